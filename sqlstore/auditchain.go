package sqlstore

import (
	"database/sql"
	"errors"
	"time"

	"github.com/motcua/motcua"
)

// auditSealLock is the PostgreSQL advisory lock that lets one instance at
// a time seal the audit chain ("motcua" + 1; migrations use "motcua").
const auditSealLock = 0x6d6f74637561 + 1

// LockAuditChain implements motcua.AuditChainStore. On PostgreSQL it is a
// transaction-scoped advisory lock, released at commit or rollback; on
// SQLite the single writer already excludes every other sealer.
func (t *tx) LockAuditChain(_ ctxT) (bool, error) {
	if t.pgtx == nil {
		return true, nil
	}
	// The lock is the transaction's: its BEGIN goes first if it waits.
	if err := t.sendBegin(); err != nil {
		return false, err
	}
	var ok bool
	err := t.pgtx.QueryRowContext(t.ctx, `SELECT pg_try_advisory_xact_lock($1)`, int64(auditSealLock)).Scan(&ok)
	return ok, mapError(err)
}

// AuditChainHead implements motcua.AuditChainStore.
func (t *tx) AuditChainHead(_ ctxT) (*motcua.AuditLink, error) {
	rows, err := t.query(`SELECT id, last_id, gap, hash, sealed_at FROM audit_chain ORDER BY id DESC LIMIT 1`)
	if err != nil {
		return nil, err
	}
	links, err := scanLinks(rows)
	if err != nil || len(links) == 0 {
		return nil, err
	}
	return links[0], nil
}

// AuditLinks implements motcua.AuditChainStore.
func (t *tx) AuditLinks(_ ctxT, after int64, limit int) ([]*motcua.AuditLink, error) {
	rows, err := t.query(`SELECT id, last_id, gap, hash, sealed_at FROM audit_chain WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	return scanLinks(rows)
}

func scanLinks(rows *sql.Rows) ([]*motcua.AuditLink, error) {
	defer rows.Close()
	var out []*motcua.AuditLink
	for rows.Next() {
		var l motcua.AuditLink
		var at int64
		if err := rows.Scan(&l.FirstID, &l.LastID, &l.Gap, &l.Hash, &at); err != nil {
			return nil, err
		}
		l.SealedAt = time.UnixMilli(at).UTC()
		out = append(out, &l)
	}
	return out, rows.Err()
}

// AddAuditLinks implements motcua.AuditChainStore.
func (t *tx) AddAuditLinks(_ ctxT, links []*motcua.AuditLink) error {
	for _, l := range links {
		if l.LastID < l.FirstID || l.Hash == "" {
			return errors.New("sqlstore: malformed audit link")
		}
		if _, err := t.exec(`INSERT INTO audit_chain (id, last_id, gap, hash, sealed_at) VALUES (?, ?, ?, ?, ?)`,
			l.FirstID, l.LastID, l.Gap, l.Hash, l.SealedAt.UnixMilli()); err != nil {
			return err
		}
	}
	return nil
}

// AuditAfter implements motcua.AuditChainStore.
func (t *tx) AuditAfter(_ ctxT, after int64, limit int) ([]*motcua.AuditEntry, error) {
	rows, err := t.query(`SELECT id, at, user_id, action, dossier_id, detail, ip FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.AuditEntry
	for rows.Next() {
		var e motcua.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Action, &e.DossierID, &e.Detail, &e.IP); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, &e)
	}
	return out, rows.Err()
}
