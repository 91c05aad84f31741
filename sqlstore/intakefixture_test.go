package sqlstore_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
)

// intakeFixture is an agency with a reception point and a procedure, and
// the dossiers its intakes make, numbered per agency and day as the
// service numbers them.
type intakeFixture struct {
	agency *motcua.Agency
	point  *motcua.ReceptionPoint
	proc   *motcua.Procedure
	at     time.Time
}

// newIntakeFixture creates the agency code, its point and a procedure, at
// the day at.
func newIntakeFixture(t *testing.T, db motcua.Store, code string, at time.Time) *intakeFixture {
	t.Helper()
	f := &intakeFixture{agency: mustAgency(t, db, code), at: at}
	f.point = &motcua.ReceptionPoint{AgencyID: f.agency.ID, Code: "P1", Name: "Quầy 1"}
	mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, f.point) })
	f.proc = &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
	mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, f.proc) })
	return f
}

// code is the code of the fixture's seq-th dossier of the day.
func (f *intakeFixture) code(seq int) string {
	return fmt.Sprintf("%s-%s-%04d", f.agency.Code, f.at.Format("060102"), seq)
}

// intake creates the i-th applicant's dossier, numbered, in tx; spoil (if
// not nil) changes the dossier before it is written.
func (f *intakeFixture) intake(tx motcua.Tx, i int, spoil func(*motcua.Dossier)) (*motcua.Dossier, error) {
	a := f.agency.ID
	e1 := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: f.at, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
		ToAgencyID: a, ClockStartAt: f.at, DueAt: f.at.Add(72 * time.Hour)}
	st, _ := motcua.Replay([]motcua.Event{*e1})
	st.Duties = []motcua.Duty{{AgencyID: a, Role: motcua.RoleReception}}
	d := &motcua.Dossier{ProcedureID: f.proc.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
		ReceptionPointID: f.point.ID, ReceptionAgencyID: a, CompetentAgencyID: a, Verifier: "1", CreatedAt: f.at, Status: st,
		Applicant: motcua.Applicant{FullName: fmt.Sprintf("Người nộp %d", i)}}
	if spoil != nil {
		spoil(d)
	}
	return d, tx.CreateNumberedDossier(ctx, d, e1, f.agency.Code+"|"+f.at.Format("2006-01-02"), f.code)
}

// writeAsOneBatch runs n writes, fn(tx, i) for i in [0, n), queued while
// the store's writer is held, so that they run as one batch (with
// PGWriters 1), and returns their results. The held write creates the
// agency H98.HOLD: once per store.
func writeAsOneBatch(t *testing.T, db *sqlstore.DB, n int, fn func(tx motcua.Tx, i int) error) []error {
	t.Helper()
	release := holdWriter(t, db, "H98.HOLD")
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Write(ctx, func(tx motcua.Tx) error { return fn(tx, i) })
		}()
	}
	waitQueued(t, db, n)
	if err := release(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	return errs
}
