package sqlstore

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// ClaimScanRead implements motcua.ScanTextStore. The claim is one
// statement — an insert of the row, or, when the row exists, an update
// taking it only if it is unread and its lease has ended — so two claimers
// on any instances never both win: on SQLite the single writer orders
// them, on PostgreSQL the row's lock and the primary key do.
func (t *tx) ClaimScanRead(_ ctxT, fileID, dossierID int64, now, until time.Time) (motcua.ScanClaim, error) {
	res, err := t.exec(`INSERT INTO scan_texts (file_id, dossier_id, leased_until) VALUES (?, ?, ?)
		ON CONFLICT (file_id) DO UPDATE SET leased_until = excluded.leased_until
		WHERE scan_texts.read_at = 0 AND scan_texts.leased_until <= ?`, fileID, dossierID, until.UnixMilli(), now.UnixMilli())
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if n == 1 {
		return motcua.ScanClaimed, nil
	}
	row, err := t.queryRow(`SELECT read_at FROM scan_texts WHERE file_id = ?`, fileID)
	if err != nil {
		return 0, err
	}
	var read int64
	if err := row.Scan(&read); err != nil {
		return 0, err
	}
	if read != 0 {
		return motcua.ScanAlreadyRead, nil
	}
	return motcua.ScanBusy, nil
}

// SaveScanText implements motcua.ScanTextStore.
func (t *tx) SaveScanText(_ ctxT, s *motcua.ScanText) error {
	res, err := t.exec(`UPDATE scan_texts SET text = ?, folded = ?, read_at = ?, leased_until = 0 WHERE file_id = ?`,
		s.Text, motcua.SearchText(s.Text), s.ReadAt.UnixMilli(), s.FileID)
	if err != nil {
		return err
	}
	return mustAffect(res, "scan_not_claimed", "Bản quét chưa được nhận để đọc chữ.")
}

// ReleaseScanRead implements motcua.ScanTextStore.
func (t *tx) ReleaseScanRead(_ ctxT, fileID int64) error {
	_, err := t.exec(`UPDATE scan_texts SET leased_until = 0 WHERE file_id = ? AND read_at = 0`, fileID)
	return err
}

// StoredScanText implements motcua.ScanTextStore.
func (t *tx) StoredScanText(_ ctxT, fileID int64) (*motcua.ScanText, error) {
	row, err := t.queryRow(`SELECT file_id, dossier_id, text, read_at FROM scan_texts WHERE file_id = ? AND read_at <> 0`, fileID)
	if err != nil {
		return nil, err
	}
	var s motcua.ScanText
	var at int64
	if err := row.Scan(&s.FileID, &s.DossierID, &s.Text, &at); err != nil {
		return nil, notFound(err, "scan_text_not_found", "Bản quét chưa được nhận dạng chữ.")
	}
	s.ReadAt = time.UnixMilli(at).UTC()
	return &s, nil
}

// SearchScans implements motcua.ScanTextStore. The words and agencies are
// bound as one JSON parameter each, so the statement's text (and its
// prepared form) is the same for every search. SQLite matches each word
// with LIKE on the folded text framed by spaces (a scan of the candidate
// rows, bounded by the agencies); PostgreSQL uses the GIN index over
// to_tsvector('simple', folded), whose words are the same.
func (t *tx) SearchScans(_ ctxT, q motcua.ScanSearch) ([]*motcua.ScanHit, bool, error) {
	if len(q.Words) == 0 || (!q.AllAgencies && len(q.AgencyIDs) == 0) {
		return nil, false, nil
	}
	limit := min(max(q.Limit, 1), 100)
	words, _ := json.Marshal(q.Words)
	ids := q.AgencyIDs
	if ids == nil {
		ids = []int64{}
	}
	agencies, _ := json.Marshal(ids)
	match := `NOT EXISTS (SELECT 1 FROM json_each(?) w WHERE ' ' || s.folded || ' ' NOT LIKE '% ' || w.value || ' %')`
	in := `IN (SELECT value FROM json_each(?))`
	var wordArg any = string(words)
	if t.db.dialect == postgresDialect {
		match = `to_tsvector('simple', s.folded) @@ plainto_tsquery('simple', ?)`
		in = `IN (SELECT json_array_elements_text(CAST(? AS json))::bigint)`
		wordArg = strings.Join(q.Words, " ")
	}
	rows, err := t.query(`SELECT s.dossier_id, d.code, s.file_id, f.name, s.text
		FROM scan_texts s JOIN dossiers d ON d.id = s.dossier_id JOIN dossier_files f ON f.id = s.file_id
		WHERE s.read_at <> 0 AND `+match+`
		AND (? OR d.reception_agency_id `+in+` OR d.competent_agency_id `+in+` OR d.holder_agency_id `+in+`)
		ORDER BY s.file_id DESC LIMIT ? OFFSET ?`,
		wordArg, q.AllAgencies, string(agencies), string(agencies), string(agencies), limit+1, max(q.Offset, 0))
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []*motcua.ScanHit
	for rows.Next() {
		var h motcua.ScanHit
		if err := rows.Scan(&h.DossierID, &h.DossierCode, &h.FileID, &h.FileName, &h.Text); err != nil {
			return nil, false, err
		}
		out = append(out, &h)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// SaveFileMetadata implements motcua.ScanTextStore.
func (t *tx) SaveFileMetadata(_ ctxT, m *motcua.ConfirmedMetadata) error {
	_, err := t.exec(`INSERT INTO file_metadata (file_id, dossier_id, doc_type, number_symbol, issued_on, issuer, signer, valid_until,
		summary, confirmed_by, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (file_id) DO UPDATE SET doc_type = excluded.doc_type, number_symbol = excluded.number_symbol,
		issued_on = excluded.issued_on, issuer = excluded.issuer, signer = excluded.signer, valid_until = excluded.valid_until,
		summary = excluded.summary, confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at`,
		m.FileID, m.DossierID, m.DocType, m.NumberSymbol, dayMS(m.IssuedOn), m.Issuer, m.Signer, dayMS(m.ValidUntil),
		m.Summary, m.ConfirmedBy, m.ConfirmedAt.UnixMilli())
	return err
}

// FileMetadata implements motcua.ScanTextStore.
func (t *tx) FileMetadata(_ ctxT, dossierID int64) (map[int64]*motcua.ConfirmedMetadata, error) {
	rows, err := t.query(`SELECT file_id, dossier_id, doc_type, number_symbol, issued_on, issuer, signer, valid_until, summary,
		confirmed_by, confirmed_at FROM file_metadata WHERE dossier_id = ?`, dossierID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*motcua.ConfirmedMetadata{}
	for rows.Next() {
		var m motcua.ConfirmedMetadata
		var issued, valid, at int64
		if err := rows.Scan(&m.FileID, &m.DossierID, &m.DocType, &m.NumberSymbol, &issued, &m.Issuer, &m.Signer, &valid, &m.Summary,
			&m.ConfirmedBy, &at); err != nil {
			return nil, err
		}
		m.IssuedOn, m.ValidUntil, m.ConfirmedAt = fromDayMS(issued), fromDayMS(valid), time.UnixMilli(at).UTC()
		out[m.FileID] = &m
	}
	return out, rows.Err()
}

// dayMS stores a day (midnight, Vietnam time) as milliseconds; 0 for none.
func dayMS(d time.Time) int64 {
	if d.IsZero() {
		return 0
	}
	return d.UnixMilli()
}

func fromDayMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).In(motcua.VietnamTime)
}
