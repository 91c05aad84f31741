package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// signedIn returns ctx with the account username of db signed in.
func signedIn(t *testing.T, db *sqlstore.DB, username string) context.Context {
	t.Helper()
	ctx := context.Background()
	var u *motcua.User
	if err := db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, username); return err }); err != nil {
		t.Fatal(err)
	}
	return motcua.NewContextWithUser(ctx, u)
}

// agencyByCode returns the id of the agency of code in db.
func agencyByCode(t *testing.T, svc *service.Service, code string) *motcua.Agency {
	t.Helper()
	a, _, err := svc.Agency(context.Background(), code)
	if err != nil {
		t.Fatalf("agency %s: %v", code, err)
	}
	return a
}

// TestMergeDBUndoImportedMerger: a merger of agencies recorded in the
// absorbed province comes over with merge-db and can be undone in the
// survivor, ids remapped — every dossier it moved back at its (imported)
// commune, the counters equal to a recount — when the merge joined
// nothing it moved; one whose communes were joined to the survivor's
// communes of the same code is refused with the reason, nothing written.
// On both engines.
func TestMergeDBUndoImportedMerger(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two provinces")
	}
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		ctx := context.Background()
		a, b, da, db := twoProvinces(t, e)
		cal, err := calendar.Default()
		if err != nil {
			t.Fatal(err)
		}
		cfg := service.Config{Rules: motcua.DefaultRules()}
		old := service.New(db, cal, nil, cfg)
		admin := signedIn(t, db, "admin")
		// In the absorbed province, two communes got codes of their own
		// (the survivor has no such codes) and were merged into a new
		// one; the third was merged into the provincial department of
		// the same code as the survivor's.
		for _, c := range [][2]string{{"H99.101", "H97.101"}, {"H99.102", "H97.102"}} {
			ag := agencyByCode(t, old, c[0])
			ag.Code = c[1]
			if err := old.UpdateAgency(admin, ag); err != nil {
				t.Fatal(err)
			}
		}
		own, err := old.Merge(admin, service.MergeInput{Predecessors: []int64{agencyByCode(t, old, "H97.101").ID, agencyByCode(t, old, "H97.102").ID},
			NewSuccessor: &motcua.Agency{Code: "H97.110", Name: "Ủy ban nhân dân xã An Bình"}, Decision: "Nghị quyết 1/2026"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		joined, err := old.Merge(admin, service.MergeInput{Predecessors: []int64{agencyByCode(t, old, "H99.103").ID},
			NewSuccessor: &motcua.Agency{Code: "H97.120", Name: "Ủy ban nhân dân xã Hòa Thịnh"}, Decision: "Nghị quyết 2/2026"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		moved := 0
		for _, c := range own.Counts {
			if c.Table == "dossiers" && c.State == "" {
				moved = c.N
			}
		}
		if moved == 0 {
			t.Fatal("the absorbed merger moved no dossier: the test proves nothing")
		}

		dir := t.TempDir()
		var out syncBuffer
		if err := run(ctx, []string{"merge-db", "--db", a, "--blobs", "file://" + dir + "/docs", "--from", b, "--tag", "H98",
			"--report", filepath.Join(dir, "r")}, &out, &out, func(string) string { return "" }); err != nil {
			t.Fatalf("merge: %v\n%s", err, out.String())
		}
		svc := service.New(da, cal, nil, cfg)
		sadmin := signedIn(t, da, "admin")
		ms, err := svc.Mergers(sadmin)
		if err != nil {
			t.Fatal(err)
		}
		var mOwn, mJoined *motcua.Merger
		for _, m := range ms {
			switch m.Decision {
			case own.Merger.Decision:
				mOwn = m
			case joined.Merger.Decision:
				mJoined = m
			}
		}
		if mOwn == nil || mJoined == nil || mOwn.Imported == nil || len(mOwn.Imported.Joined) != 0 || mJoined.Imported == nil ||
			len(mJoined.Imported.Joined) == 0 {
			t.Fatalf("imported mergers: %+v %+v", mOwn, mJoined)
		}
		// The predecessors are the imported communes, by their new ids.
		want := []int64{agencyByCode(t, svc, "H97.101").ID, agencyByCode(t, svc, "H97.102").ID}
		if len(mOwn.Predecessors) != 2 || mOwn.Predecessors[0] != want[0] || mOwn.Predecessors[1] != want[1] ||
			mOwn.SuccessorID != agencyByCode(t, svc, "H97.110").ID {
			t.Fatalf("imported merger %+v, want predecessors %v", mOwn, want)
		}

		before := sums(t, da)
		err = svc.UndoMerger(sadmin, mJoined.ID)
		if motcua.ErrorReason(err) != "merger_undo_blocked" || !strings.Contains(motcua.ErrorMessage(err), "cơ quan H99.103") ||
			!strings.Contains(motcua.ErrorMessage(err), "hợp nhất cơ sở dữ liệu") {
			t.Fatalf("undo of a merger whose commune was joined: %v", err)
		}
		if sums(t, da) != before {
			t.Fatal("the refused undo wrote")
		}

		if err := svc.UndoMerger(sadmin, mOwn.ID); err != nil {
			t.Fatalf("undo of the imported merger: %v", err)
		}
		n, back := 0, 0
		if err := da.Read(ctx, func(tx motcua.Tx) error {
			moves, err := tx.MergerMoves(ctx, mOwn.ID)
			if err != nil {
				return err
			}
			for _, mv := range moves {
				if mv.Kind != motcua.MoveDossier {
					continue
				}
				d, err := tx.Dossier(ctx, mv.RowID)
				if err != nil {
					return err
				}
				if d.CompetentAgencyID != mv.From || d.ReceptionAgencyID != mv.ReceptionFrom || d.Status.AgencyID != mv.HolderFrom {
					t.Errorf("dossier %s: at %d/%d/%d after the undo, the merger moved it from %d/%d/%d", d.Code,
						d.CompetentAgencyID, d.ReceptionAgencyID, d.Status.AgencyID, mv.From, mv.ReceptionFrom, mv.HolderFrom)
				}
				for _, x := range []int64{mv.From, mv.ReceptionFrom, mv.HolderFrom} {
					if x == want[0] || x == want[1] {
						back++
						break
					}
				}
				n++
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if n != moved || back != moved {
			t.Fatalf("%d dossiers back (%d to the imported communes), the merger moved %d", n, back, moved)
		}
		if ok, note, err := sqlstore.RecountStats(ctx, da); err != nil || !ok {
			t.Fatalf("recount after the undo: %v %s", err, note)
		}
		if ms, _ := svc.Mergers(sadmin); func() bool {
			for _, m := range ms {
				if m.ID == mOwn.ID {
					return m.UndoneAt.IsZero()
				}
			}
			return true
		}() {
			t.Fatal("the merger is not marked undone")
		}
	})
}
