package sqlstore_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// domainConstants returns the values of the string constants of the root
// package (motcua) declared with the named type, read from its source, so
// that a constant added there is seen here without anyone listing it.
func domainConstants(t *testing.T, typ string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != typ {
					continue
				}
				for _, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Fatalf("%s: a %s constant that is not a string literal", fset.Position(v.Pos()), typ)
					}
					u, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, u)
				}
			}
		}
	}
	return out
}

// TestPGEventCodesCoverTheDomain: PostgreSQL stores an event's action,
// states and timeliness as enums (migration 0036), which refuse a value
// they do not list. Every action, state and timeliness the domain declares
// must be one of their labels, or an event carrying it could not be
// written: a new one needs a migration adding it (ALTER TYPE … ADD VALUE).
func TestPGEventCodesCoverTheDomain(t *testing.T) {
	sqltest.RequirePostgres(t)
	db := sqltest.Open(t, sqltest.Postgres)
	for _, c := range []struct{ enum, typ string }{
		{"event_action", "Action"}, {"dossier_state", "State"}, {"event_timeliness", "Timeliness"},
	} {
		labels, err := db.EnumLabels(context.Background(), c.enum)
		if err != nil {
			t.Fatal(err)
		}
		values := domainConstants(t, c.typ)
		if len(values) < 3 {
			t.Fatalf("found only %d motcua.%s constants: %q", len(values), c.typ, values)
		}
		if c.typ == "Timeliness" {
			values = append(values, "") // an event with no deadline to judge
		}
		for _, v := range values {
			if !slices.Contains(labels, v) {
				t.Errorf("motcua.%s %q is not a label of the PostgreSQL enum %s %q: add it in a migration", c.typ, v, c.enum, labels)
			}
		}
	}
	// The parse sees the constants the code uses.
	if !slices.Contains(domainConstants(t, "Action"), string(motcua.ActMergeUndo)) || !slices.Contains(domainConstants(t, "State"), string(motcua.StateNone)) {
		t.Error("the parse of package motcua missed a known constant")
	}
}

// TestUsualFactsCutByMigration takes the demo province's facts documents
// back to their form of before migration 0036 (the applicant's kind and ID
// kind and the return method always named) and migrates again: every
// dossier and its history read back as they were, and no document names a
// usual value any more (on PostgreSQL the migration's SQL cuts them, on
// SQLite the program rewrites the documents).
func TestUsualFactsCutByMigration(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := seedDemo(t, e)
		ds, evs := histories(t, db)
		if err := db.Rewind(ctx, 36); err != nil {
			t.Fatal(err)
		}
		usual := []string{`"kind":"citizen"`, `"id_kind":"personal_id"`, `"return_method":"counter"`}
		named, before := 0, 0
		for id := range ds {
			f, err := db.Facts(id)
			if err != nil {
				t.Fatal(err)
			}
			before += len(f)
			if strings.Contains(f, usual[0]) && strings.Contains(f, usual[2]) {
				named++
			}
		}
		if named < len(ds)/2 {
			t.Fatalf("only %d of %d documents in the old form name the usual values", named, len(ds))
		}
		if err := db.Migrate(ctx, func(int, string) {}); err != nil {
			t.Fatal(err)
		}
		ds2, evs2 := histories(t, db)
		after := 0
		for id, d := range ds {
			if !reflect.DeepEqual(d, ds2[id]) {
				t.Errorf("dossier %d differs after the migration:\n%+v\n%+v", id, d, ds2[id])
			}
			if !reflect.DeepEqual(evs[id], evs2[id]) {
				t.Errorf("history of dossier %d differs after the migration", id)
			}
			f, err := db.Facts(id)
			if err != nil {
				t.Fatal(err)
			}
			after += len(f)
			for _, u := range usual {
				if strings.Contains(f, u) {
					t.Errorf("dossier %d: %s after the migration: %s", id, u, f)
				}
			}
		}
		if after >= before {
			t.Errorf("facts: %d bytes after the migration, %d before", after, before)
		}
		t.Logf("facts of %d dossiers: %d bytes in the old form, %d migrated", len(ds), before, after)
	})
}
