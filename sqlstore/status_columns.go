package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/motcua/motcua"
)

// moveStatusColumns moves the appraiser and the result's number out of
// the status documents written before migration 41 into their columns,
// 5,000 dossiers at a time: each document that names either key is
// decoded as the dossier's status and written again without them
// (encodeStatusExtra); a column already set keeps its value. On
// PostgreSQL the migration's SQL has moved them in its rewrite of the
// table, and this finds nothing left; on SQLite it moves every one.
func moveStatusColumns(ctx context.Context, c *sql.Conn, dl dialect) error {
	sel, upd := `SELECT id, status, appraiser_id, result_number FROM dossiers
		WHERE id > ? AND (status LIKE '%"appraiser_id":%' OR status LIKE '%"result_number":%') ORDER BY id LIMIT 5000`,
		`UPDATE dossiers SET status = ?, appraiser_id = ?, result_number = ? WHERE id = ?`
	if dl == postgresDialect {
		sel, upd = rebind(sel), rebind(upd)
	}
	type change struct {
		id, appraiser int64
		status, num   string
	}
	var after int64
	for {
		rows, err := c.QueryContext(ctx, sel, after)
		if err != nil {
			return fmt.Errorf("read dossiers: %w", err)
		}
		var changes []change
		for rows.Next() {
			var ch change
			if err := rows.Scan(&ch.id, &ch.status, &ch.appraiser, &ch.num); err != nil {
				rows.Close()
				return err
			}
			after = ch.id
			var s motcua.Status
			if err := json.Unmarshal([]byte(ch.status), &s); err != nil {
				rows.Close()
				return fmt.Errorf("decode dossier %d status: %w", ch.id, err)
			}
			if ch.appraiser == 0 {
				ch.appraiser = s.AppraiserID
			}
			if ch.num == "" {
				ch.num = s.ResultNumber
			}
			if ch.status, err = encodeStatusExtra(&s); err != nil {
				rows.Close()
				return err
			}
			changes = append(changes, ch)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, ch := range changes {
			if _, err := c.ExecContext(ctx, upd, ch.status, ch.appraiser, ch.num, ch.id); err != nil {
				return fmt.Errorf("status of dossier %d: %w", ch.id, err)
			}
		}
		if len(changes) < 5000 {
			return nil
		}
	}
}
