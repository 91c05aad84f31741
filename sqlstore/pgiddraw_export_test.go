package sqlstore

// DrawIDsBeforeBegin draws n ids of table on a new pipelined write
// transaction whose BEGIN has not gone yet, as a batch's first intake does,
// and reports what the connection is left with: its synchronous_commit,
// and whether the batch's BEGIN still waits.
func DrawIDsBeforeBegin(db *DB, table string, n int) (ids []int64, syncCommit string, beginWaits bool, err error) {
	_, t, release, err := db.pgBegin(true)
	if err != nil {
		return nil, "", false, err
	}
	defer release()
	db.pgids.mu.Lock()
	seq, err := db.pgids.sequence(t, table)
	db.pgids.mu.Unlock()
	if err != nil {
		return nil, "", false, err
	}
	if ids, err = drawIDs(t, table, seq, n); err != nil {
		return nil, "", false, err
	}
	err = t.pipe.conn.QueryRowContext(t.ctx, "SHOW synchronous_commit").Scan(&syncCommit)
	return ids, syncCommit, t.beginWaits, err
}
