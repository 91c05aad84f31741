package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// refoldSearchText rewrites every procedure's search_text in the present
// form (procedureSearchText), from the procedure's stored data.
func refoldSearchText(ctx context.Context, c *sql.Conn, d dialect) error {
	rows, err := c.QueryContext(ctx, `SELECT id, data FROM procedures`)
	if err != nil {
		return fmt.Errorf("list procedures: %w", err)
	}
	texts := map[int64]string{}
	for rows.Next() {
		var id int64
		var data string
		if err := rows.Scan(&id, &data); err != nil {
			rows.Close()
			return err
		}
		p, err := decodeProcedure(data)
		if err != nil {
			rows.Close()
			return fmt.Errorf("procedure %d: %w", id, err)
		}
		texts[id] = procedureSearchText(p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	update := `UPDATE procedures SET search_text = ? WHERE id = ?`
	if d == postgresDialect {
		update = rebind(update)
	}
	for id, text := range texts {
		if _, err := c.ExecContext(ctx, update, text, id); err != nil {
			return fmt.Errorf("search text of procedure %d: %w", id, err)
		}
	}
	return nil
}
