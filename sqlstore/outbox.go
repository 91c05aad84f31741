package sqlstore

import (
	"database/sql"
	"sort"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Enqueue implements motcua.OutboxStore.
func (t *tx) Enqueue(_ ctxT, m *motcua.OutboxMessage) error {
	id, err := t.insert(`INSERT INTO outbox (topic, okey, payload, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)`,
		m.Topic, m.Key, string(m.Payload), m.CreatedAt.UnixMilli(), m.NextAttemptAt.UnixMilli())
	if err != nil {
		return err
	}
	m.ID = id
	return nil
}

const outboxColumns = `id, topic, okey, payload, created_at, attempts, next_attempt_at, delivered_at, failed_at, last_error`

func scanOutbox(sc interface{ Scan(...any) error }) (*motcua.OutboxMessage, error) {
	var m motcua.OutboxMessage
	var payload string
	var created, next int64
	var delivered, failed sql.NullInt64
	if err := sc.Scan(&m.ID, &m.Topic, &m.Key, &payload, &created, &m.Attempts, &next, &delivered, &failed, &m.LastError); err != nil {
		return nil, err
	}
	m.Payload = []byte(payload)
	m.CreatedAt, m.NextAttemptAt = time.UnixMilli(created).UTC(), time.UnixMilli(next).UTC()
	m.DeliveredAt, m.FailedAt = fromMS(delivered), fromMS(failed)
	return &m, nil
}

// scanOutboxRows reads and closes rows of outboxColumns.
func scanOutboxRows(rows *sql.Rows) ([]*motcua.OutboxMessage, error) {
	defer rows.Close()
	var out []*motcua.OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ClaimOutbox implements motcua.OutboxStore. The lease is written and
// committed before delivery starts, so an instance that dies while
// delivering only delays its messages until the lease ends. On PostgreSQL
// the candidate rows are locked with SKIP LOCKED, so concurrent claimers on
// other instances take other messages instead of waiting; on SQLite the
// single writer serializes claims.
//
// A message with an ordering key is claimed only when no earlier message
// of its key is undelivered (waiting, leased to someone, or given up), so
// at most one message per key is in flight and they arrive in order. The
// check reads committed rows, not locked ones: a claimer that skips a
// locked earlier message still sees it undelivered and leaves the later
// one alone.
func (t *tx) ClaimOutbox(_ ctxT, now, until time.Time, limit int, topics []string) ([]*motcua.OutboxMessage, error) {
	args := []any{until.UnixMilli(), now.UnixMilli(), now.UnixMilli()}
	only := ""
	if topics != nil {
		// "!t" leaves topic t out (motcua.DeliverByTopic.Except).
		var in, out []any
		for _, tp := range topics {
			if rest, ok := strings.CutPrefix(tp, "!"); ok {
				out = append(out, rest)
			} else {
				in = append(in, tp)
			}
		}
		if len(in) > 0 || len(out) == 0 {
			only = " AND topic IN (''" + strings.Repeat(", ?", len(in)) + ")"
			args = append(args, in...)
		}
		if len(out) > 0 {
			only += " AND topic NOT IN (" + strings.Repeat("?, ", len(out)-1) + "?)"
			args = append(args, out...)
		}
	}
	rows, err := t.query(`UPDATE outbox SET leased_until = ?, attempts = attempts + 1 WHERE id IN (
		SELECT id FROM outbox o WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? AND leased_until <= ?`+only+`
		AND (okey = '' OR NOT EXISTS (SELECT 1 FROM outbox e WHERE e.okey = o.okey AND e.okey <> '' AND e.id < o.id AND e.delivered_at IS NULL))
		ORDER BY next_attempt_at, id LIMIT ?`+t.db.dialect.skipLocked()+`) RETURNING `+outboxColumns,
		append(args, limit)...)
	if err != nil {
		return nil, err
	}
	out, err := scanOutboxRows(rows)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// OutboxDelivered implements motcua.OutboxStore.
func (t *tx) OutboxDelivered(_ ctxT, id int64, at time.Time) error {
	res, err := t.exec(`UPDATE outbox SET delivered_at = ?, leased_until = 0, last_error = '' WHERE id = ?`, at.UnixMilli(), id)
	if err != nil {
		return err
	}
	return mustAffect(res, "outbox_message_not_found", "Không tìm thấy thông điệp cần gửi.")
}

// OutboxRetry implements motcua.OutboxStore.
func (t *tx) OutboxRetry(_ ctxT, id int64, errText string, now, next time.Time, giveUp bool) error {
	var failed any
	if giveUp {
		failed = now.UnixMilli()
	}
	if len(errText) > 1000 {
		errText = errText[:1000]
	}
	res, err := t.exec(`UPDATE outbox SET next_attempt_at = ?, leased_until = 0, last_error = ?, failed_at = ? WHERE id = ? AND delivered_at IS NULL`,
		next.UnixMilli(), errText, failed, id)
	if err != nil {
		return err
	}
	return mustAffect(res, "outbox_message_not_found", "Không tìm thấy thông điệp cần gửi.")
}

// FailedOutbox implements motcua.OutboxStore.
func (t *tx) FailedOutbox(_ ctxT, limit int) ([]*motcua.OutboxMessage, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := t.query(`SELECT `+outboxColumns+` FROM outbox WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	return scanOutboxRows(rows)
}

// OutboxBacklog implements motcua.OutboxStore.
func (t *tx) OutboxBacklog(_ ctxT) (int, error) {
	row, err := t.queryRow(`SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL`)
	if err != nil {
		return 0, err
	}
	var n int
	return n, row.Scan(&n)
}

// OutboxTopicState implements motcua.OutboxStore.
func (t *tx) OutboxTopicState(_ ctxT, topic string, now time.Time) (motcua.OutboxState, error) {
	var st motcua.OutboxState
	var oldest, oldestFailing sql.NullInt64
	row, err := t.queryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN failed_at IS NULL AND last_error <> '' THEN 1 ELSE 0 END), 0), MIN(created_at),
		MIN(CASE WHEN failed_at IS NULL AND last_error <> '' THEN created_at END)
		FROM outbox WHERE delivered_at IS NULL AND topic = ?`, topic)
	if err != nil {
		return st, err
	}
	if err := row.Scan(&st.Pending, &st.Failed, &st.Retrying, &oldest, &oldestFailing); err != nil {
		return st, err
	}
	st.Oldest, st.OldestFailing = fromMS(oldest), fromMS(oldestFailing)
	return st, nil
}

// PendingOutbox implements motcua.OutboxStore.
func (t *tx) PendingOutbox(_ ctxT, topic string, limit int) ([]*motcua.OutboxMessage, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := t.query(`SELECT `+outboxColumns+` FROM outbox WHERE delivered_at IS NULL AND topic = ? ORDER BY id LIMIT ?`, topic, limit)
	if err != nil {
		return nil, err
	}
	return scanOutboxRows(rows)
}

// ReplayOutbox implements motcua.OutboxStore.
func (t *tx) ReplayOutbox(_ ctxT, id int64, now time.Time) error {
	res, err := t.exec(`UPDATE outbox SET failed_at = NULL, attempts = 0, next_attempt_at = ?, leased_until = 0
		WHERE id = ? AND delivered_at IS NULL`, now.UnixMilli(), id)
	if err != nil {
		return err
	}
	return mustAffect(res, "outbox_message_not_found", "Không tìm thấy thông điệp chưa gửi này (có thể đã được gửi).")
}

// DossiersToWarn implements motcua.WarningStore. The states are those in
// which the processing clock runs toward the appointment.
func (t *tx) DossiersToWarn(_ ctxT, kind string, after, upTo time.Time, limit int) ([]*motcua.Dossier, error) {
	return t.dossiers(`SELECT `+dossierColumns+` FROM dossiers d WHERE finished_at IS NULL AND due_at > ? AND due_at <= ?
		AND state IN ('received', 'processing', 'approved')
		AND NOT EXISTS (SELECT 1 FROM deadline_warnings w WHERE w.dossier_id = d.id AND w.kind = ? AND w.due_at = d.due_at)
		ORDER BY due_at, id LIMIT ?`, after.UnixMilli(), upTo.UnixMilli(), kind, limit)
}

// RecordDeadlineWarning implements motcua.WarningStore.
func (t *tx) RecordDeadlineWarning(_ ctxT, w *motcua.DeadlineWarning) error {
	_, err := t.exec(`INSERT INTO deadline_warnings (dossier_id, kind, due_at, code, holder_agency_id, at) VALUES (?, ?, ?, ?, ?, ?)`,
		w.DossierID, w.Kind, w.DueAt.UnixMilli(), w.Code, w.HolderAgencyID, w.At.UnixMilli())
	return conflict(err, "deadline_warning_exists", "Hồ sơ "+w.Code+" đã được cảnh báo về thời hạn này.")
}

// DeadlineWarnings implements motcua.WarningStore.
func (t *tx) DeadlineWarnings(_ ctxT, since time.Time) ([]*motcua.DeadlineWarning, error) {
	rows, err := t.query(`SELECT dossier_id, kind, due_at, code, holder_agency_id, at FROM deadline_warnings WHERE at >= ?
		ORDER BY at, dossier_id, kind`, since.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.DeadlineWarning
	for rows.Next() {
		var w motcua.DeadlineWarning
		var due, at int64
		if err := rows.Scan(&w.DossierID, &w.Kind, &due, &w.Code, &w.HolderAgencyID, &at); err != nil {
			return nil, err
		}
		w.DueAt, w.At = time.UnixMilli(due).UTC(), time.UnixMilli(at).UTC()
		out = append(out, &w)
	}
	return out, rows.Err()
}
