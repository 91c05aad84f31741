package service_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// fakeStore is a national store that records pushes and can fail.
type fakeStore struct {
	mu     sync.Mutex
	pushed []motcua.PersonalResult
	fail   bool
}

func (f *fakeStore) Documents(context.Context, motcua.StoreQuery) ([]motcua.StoreDocument, error) {
	return nil, nil
}

func (f *fakeStore) Push(_ context.Context, r *motcua.PersonalResult) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return errors.New("store down")
	}
	f.pushed = append(f.pushed, *r)
	return nil
}

// TestPersonalStoreAndCitizenView: a result motcua issues is kept in the
// province's store with its document name and number, shown to its owner
// only, pushed to the national store through the outbox (a failed push is
// retried, not lost), and then counted by indicator 4.4; the owner's page
// shows their dossiers and a supplement request in their words, and no one
// else's.
func TestPersonalStoreAndCitizenView(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		store := &fakeStore{fail: true}
		f := newFixture(t, e, vn(2026, 3, 10, 9, 0), func(c *service.Config) { c.ResultStore = store })
		mother := motcua.Applicant{FullName: "Võ Thị Mai", IDNumber: "001195006543", Phone: "0977009900"}
		first, err := receiveAt(t, f, "1.001193", mother, nil)
		if err != nil {
			t.Fatal(err)
		}
		code := first.Dossier.Code
		for _, s := range []struct {
			user string
			in   service.ActInput
		}{{"motcua.anphu", service.ActInput{Action: motcua.ActTransfer}}, {"cv.anphu", service.ActInput{Action: motcua.ActForward}},
			{"ct.anphu", service.ActInput{Action: motcua.ActApprove}},
			{"cv.anphu", service.ActInput{Action: motcua.ActIssueResult, ResultNumber: "125/2026/TLKS"}}} {
			if _, err := f.svc.Act(f.as(s.user), code, s.in); err != nil {
				t.Fatalf("%s: %v", s.in.Action, err)
			}
		}
		motherCtx := motcua.NewContextWithCitizen(ctx, &motcua.CitizenSession{IDNumber: mother.IDNumber, FullName: mother.FullName})
		otherCtx := motcua.NewContextWithCitizen(ctx, &motcua.CitizenSession{IDNumber: "001085007788", FullName: "Trần Văn Bình"})
		kept, err := f.svc.MyStoredResults(motherCtx)
		if err != nil || len(kept) != 1 || kept[0].Number != "125/2026/TLKS" || kept[0].ResultName != "Giấy khai sinh" ||
			kept[0].DossierCode != code || !kept[0].PushedAt.IsZero() {
			t.Fatalf("the province's store: %+v %v", kept, err)
		}
		if other, err := f.svc.MyStoredResults(otherCtx); err != nil || len(other) != 0 {
			t.Errorf("another citizen sees %+v %v", other, err)
		}
		if _, err := f.svc.MyStoredResults(ctx); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
			t.Errorf("no citizen: %v", err)
		}
		route := motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{motcua.TopicStorePush: f.svc.StoreDeliverer()}}
		if _, err := f.svc.DeliverOutbox(ctx, route); err != nil {
			t.Fatal(err)
		}
		if kept, _ := f.svc.MyStoredResults(motherCtx); !kept[0].PushedAt.IsZero() {
			t.Fatal("marked pushed although the store failed")
		}
		march := motcua.Period{From: motcua.DayOfDate(2026, 3, 1), To: motcua.DayOfDate(2026, 3, 31)}
		value := func(id string) motcua.IndicatorValue {
			idx, err := f.svc.Index766(ctx, march)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range idx.Units {
				if u.AgencyID == 0 {
					for _, v := range u.Values {
						if v.ID == id {
							return v
						}
					}
				}
			}
			t.Fatalf("no %s", id)
			return motcua.IndicatorValue{}
		}
		before := value("4.4")
		if before.Status == "no_data" {
			t.Fatalf("4.4 with a store connected: %+v", before)
		}
		store.mu.Lock()
		store.fail = false
		store.mu.Unlock()
		f.set(f.svc.Now().Add(motcua.OutboxBackoff(1) + time.Second))
		if _, err := f.svc.DeliverOutbox(ctx, route); err != nil {
			t.Fatal(err)
		}
		if len(store.pushed) != 1 || store.pushed[0].Number != "125/2026/TLKS" || store.pushed[0].IDNumber != mother.IDNumber {
			t.Fatalf("pushed %+v", store.pushed)
		}
		if kept, _ := f.svc.MyStoredResults(motherCtx); kept[0].PushedAt.IsZero() {
			t.Error("the store's acceptance is not recorded")
		}
		if after := value("4.4"); after.Num != before.Num+1 || after.Den != before.Den {
			t.Errorf("4.4 before %+v after %+v", before, after)
		}

		// A second dossier waits for a supplement: the owner reads which
		// documents, why and until when.
		second, err := receiveAt(t, f, "1.001193", mother, nil)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := f.svc.ProcedureByCode(ctx, "1.001193")
		var missing []int64
		var names []string
		for _, c := range p.Components {
			if c.Mandatory {
				missing, names = append(missing, c.ID), append(names, c.Name)
			}
		}
		for _, s := range []struct {
			user string
			in   service.ActInput
		}{{"motcua.anphu", service.ActInput{Action: motcua.ActTransfer}},
			{"cv.anphu", service.ActInput{Action: motcua.ActRequestSupplement, Reason: "Giấy chứng sinh bị mờ.", Missing: missing}}} {
			if _, err := f.svc.Act(f.as(s.user), second.Dossier.Code, s.in); err != nil {
				t.Fatalf("%s: %v", s.in.Action, err)
			}
		}
		mine, err := f.svc.MyDossiers(motherCtx)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		var sup *service.CitizenSupplement
		for _, d := range mine {
			codes = append(codes, d.Code)
			if d.Code == second.Dossier.Code {
				sup = d.Supplement
			}
		}
		if !slices.Contains(codes, code) || !slices.Contains(codes, second.Dossier.Code) {
			t.Errorf("own dossiers %v", codes)
		}
		if sup == nil || !slices.Equal(sup.Documents, names) || sup.Reason != "Giấy chứng sinh bị mờ." || sup.Until.IsZero() {
			t.Errorf("supplement as the citizen reads it: %+v", sup)
		}
		if theirs, err := f.svc.MyDossiers(otherCtx); err != nil || len(theirs) != 0 {
			t.Errorf("another citizen's list: %d %v", len(theirs), err)
		}
		if _, err := f.svc.MyDossier(otherCtx, code, ""); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Errorf("another citizen opens the dossier: %v", err)
		}
		if _, _, err := f.svc.MyResult(otherCtx, code, ""); motcua.ErrorCode(err) != motcua.ENOTFOUND && motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Errorf("another citizen downloads the result: %v", err)
		}
	})
}
