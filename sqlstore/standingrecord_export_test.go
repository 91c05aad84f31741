package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// StandingRow is a row of the record of standings (dossier_standings).
type StandingRow struct {
	DossierID, Seq, At int64
	Standing           motcua.Standing
}

// StandingRows reads the whole record of standings, by dossier and seq.
func (db *DB) StandingRows(ctx context.Context) ([]StandingRow, error) {
	var out []StandingRow
	err := db.Read(ctx, func(mt motcua.Tx) error {
		rows, err := mt.(*tx).query(`SELECT dossier_id, seq, at, standing FROM dossier_standings ORDER BY dossier_id, seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r StandingRow
			if err := rows.Scan(&r.DossierID, &r.Seq, &r.At, &r.Standing); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// RefillStandings empties the record of standings and fills it again from
// the events with the statement of migration 0035, as the migration did
// for the events stored before it.
func (db *DB) RefillStandings(ctx context.Context) error {
	dir := "sqlite"
	if db.dialect == postgresDialect {
		dir = "postgres"
	}
	b, err := migrationFS.ReadFile("migrations/" + dir + "/0035_dossier_standings.sql")
	if err != nil {
		return err
	}
	s := string(b)
	i := strings.Index(s, "INSERT INTO dossier_standings")
	j := strings.Index(s, "ORDER BY dossier_id, seq;")
	if i < 0 || j < i {
		return fmt.Errorf("migration 0035: no fill statement")
	}
	fill := s[i : j+len("ORDER BY dossier_id, seq")]
	return db.Write(ctx, func(mt motcua.Tx) error {
		t := mt.(*tx)
		if _, err := t.exec(`DELETE FROM dossier_standings`); err != nil {
			return err
		}
		_, err := t.exec(fill)
		return err
	})
}

// SetPGStandingsChunk sets how many dossiers one PostgreSQL read of the
// record of standings takes, until the returned function restores it.
func SetPGStandingsChunk(n int) (restore func()) {
	old := pgStandingsChunk
	pgStandingsChunk = n
	return func() { pgStandingsChunk = old }
}
