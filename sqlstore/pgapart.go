package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// queryApart runs query in a transaction of its own on conn, committed with
// synchronous_commit off, and hands its rows to scan; it returns scan's
// error, the server's, or errCommitRolledBack. The setting ends with the
// transaction (SET LOCAL): the connection's next commit waits for its
// flush as before.
//
// For a draw that a write batch makes before its own commit (its dossier
// numbers, numbersdraw.go; its ids, drawIDsApart): a flush of the draw
// alone would only delay the batch. Whatever holds a drawn value is
// durable only through the batch's commit, which is flushed and comes
// later in the WAL than the draw. A crash before that flush may lose the
// draw, and the values may be drawn again, but then no acknowledged row
// holds them.
func queryApart(ctx context.Context, conn *sql.Conn, scan func(pgx.Rows) error, query string, args ...any) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("driver connection is %T, not pgx", dc)
		}
		b := &pgx.Batch{}
		b.Queue("BEGIN ISOLATION LEVEL READ COMMITTED")
		b.Queue("SET LOCAL synchronous_commit = off")
		b.Queue(query, args...)
		b.Queue("COMMIT")
		br := c.Conn().SendBatch(ctx, b)
		defer br.Close()
		for range 2 {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		rows, err := br.Query()
		if err != nil {
			return err
		}
		err = scan(rows)
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
		if err != nil {
			return err
		}
		tag, err := br.Exec()
		if err != nil {
			return err
		}
		if tag.String() != "COMMIT" {
			return errCommitRolledBack
		}
		return br.Close()
	})
}
