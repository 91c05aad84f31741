package sqlstore

import (
	"context"
	"sort"

	"github.com/motcua/motcua"
)

// TableBytes is the room one table takes: its rows and, separately, its
// indexes (on SQLite the table's B-tree and each index's, from dbstat; on
// PostgreSQL pg_relation_size and pg_indexes_size, TOAST included with the
// rows). Rows is the table's row count.
type TableBytes struct {
	Table   string
	Rows    int64
	Bytes   int64
	Indexes int64
	// Index lists each index's bytes by name.
	Index map[string]int64
}

// TableBytes measures every table of the store, largest first (bytes per
// dossier, docs/deployment.md §17). On SQLite it reads every page once
// (dbstat): seconds on a province-year.
func (db *DB) TableBytes(ctx context.Context) ([]TableBytes, error) {
	byName := map[string]*TableBytes{}
	err := db.Read(ctx, func(mt motcua.Tx) error {
		t := mt.(*tx)
		q := `SELECT c.relname, '', pg_table_size(c.oid)
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
			WHERE c.relkind = 'r'
			UNION ALL
			SELECT c.relname, i.relname, pg_relation_size(i.oid)
			FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()`
		if db.dialect == sqliteDialect {
			q = `SELECT COALESCE(m.tbl_name, s.name), CASE WHEN m.type = 'index' THEN s.name ELSE '' END, SUM(s.pgsize)
				FROM dbstat s LEFT JOIN sqlite_schema m ON m.name = s.name GROUP BY s.name`
		}
		rows, err := t.query(q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var table, index string
			var n int64
			if err := rows.Scan(&table, &index, &n); err != nil {
				return err
			}
			tb := byName[table]
			if tb == nil {
				tb = &TableBytes{Table: table, Index: map[string]int64{}}
				byName[table] = tb
			}
			if index == "" {
				tb.Bytes += n
			} else {
				tb.Indexes += n
				tb.Index[index] += n
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, tb := range byName {
			if !validTable(tb.Table) {
				continue
			}
			row, err := t.queryRow(`SELECT COUNT(*) FROM ` + tb.Table)
			if err != nil {
				return err
			}
			if err := row.Scan(&tb.Rows); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]TableBytes, 0, len(byName))
	for _, tb := range byName {
		out = append(out, *tb)
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := out[i].Bytes+out[i].Indexes, out[j].Bytes+out[j].Indexes; a != b {
			return a > b
		}
		return out[i].Table < out[j].Table
	})
	return out, nil
}

// validTable reports whether name is a plain table name, safe to put in a
// query (the names come from the catalogue, but are checked anyway).
func validTable(name string) bool {
	if name == "" || name == "sqlite_schema" || name == "sqlite_master" {
		return false
	}
	for _, c := range name {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
