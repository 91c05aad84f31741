package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// nopMail accepts every e-mail (the warnings are only queued here).
type nopMail struct{}

func (nopMail) SendMail(context.Context, motcua.Mail) error { return nil }

// capturePortal records the dossier codes of the records sent to it.
type capturePortal struct {
	mu       sync.Mutex
	codes    []string
	agencies []string
}

func (p *capturePortal) SyncDossier(_ context.Context, d *motcua.PortalDossier, _ bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.codes = append(p.codes, d.Code)
	p.agencies = append(p.agencies, d.AgencyCode)
	return nil
}

func (p *capturePortal) SyncProgress(context.Context, *motcua.PortalProgress) error { return nil }

// pending lists the undelivered messages of the topics, by id.
func pending(t *testing.T, db *sqlstore.DB, topics ...string) []*motcua.OutboxMessage {
	t.Helper()
	var out []*motcua.OutboxMessage
	err := db.Read(context.Background(), func(tx motcua.Tx) error {
		for _, tp := range topics {
			ms, err := tx.PendingOutbox(context.Background(), tp, 1000)
			if err != nil {
				return err
			}
			out = append(out, ms...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMergeDBPendingCodes: when merge-db suffixes an absorbed dossier's
// code, everything that carries the code as text carries the new one:
// undelivered deadline notices and staff e-mails (subject, text, link),
// the warnings and notifications staff open, the results kept for the
// national store; a message to the national portal, built at delivery,
// carries it too. Each renamed code names the same dossier as before (the
// same applicant and state). On both engines.
func TestMergeDBPendingCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two provinces")
	}
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		ctx := context.Background()
		sys := motcua.NewContextWithUser(ctx, motcua.SystemUser)
		a, b, da, db := twoProvinces(t, e)
		// The absorbed province's staff have e-mail addresses; a day on,
		// its jobs warn of the overdue dossiers (in-app and by e-mail) and
		// it is connected to the portal: all of it undelivered.
		if err := db.Write(ctx, func(tx motcua.Tx) error {
			us, err := tx.Users(ctx, motcua.UserFilter{})
			if err != nil {
				return err
			}
			for _, u := range us {
				u.Email = u.Username + "@example.vn"
				if err := tx.UpdateUser(ctx, u); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		day := func() time.Time { return time.Now().Add(24 * time.Hour) }
		cal, err := calendar.Default()
		if err != nil {
			t.Fatal(err)
		}
		old := service.New(db, cal, nil, service.Config{Rules: motcua.DefaultRules(), Now: day, Mail: nopMail{}, PortalSync: true, BaseURL: "https://b.example.vn"})
		if n, err := old.WarnDeadlines(sys); err != nil || n == 0 {
			t.Fatalf("warn deadlines: %d %v", n, err)
		}
		if n, err := old.WarnClocks(sys); err != nil || n == 0 {
			t.Fatalf("warn clocks: %d %v", n, err)
		}
		if n, err := old.QueueAllForPortal(sys, nil); err != nil || n == 0 {
			t.Fatalf("queue for the portal: %d %v", n, err)
		}
		topics := []string{motcua.TopicDeadlineWarning, motcua.TopicStaffEmail}
		before := pending(t, db, topics...)
		oldA, oldB := codes(t, da), codes(t, db)
		var mine []*motcua.OutboxMessage // of the survivor, before
		mine = pending(t, da, topics...)

		dir := t.TempDir()
		args := []string{"merge-db", "--db", a, "--blobs", "file://" + dir + "/docs", "--from", b, "--tag", "H98", "--report", filepath.Join(dir, "r")}
		var out syncBuffer
		if err := run(ctx, args, &out, &out, func(string) string { return "" }); err != nil {
			t.Fatalf("merge: %v\n%s", err, out.String())
		}
		merged := codes(t, da)
		// The renamed code of an absorbed dossier's code.
		rename := func(c string) string {
			if _, ok := oldA[c]; ok {
				return c + "-H98"
			}
			return c
		}
		after := pending(t, da, topics...)
		have := map[int64]bool{}
		for _, m := range mine {
			have[m.ID] = true
		}
		var imported []*motcua.OutboxMessage
		for _, m := range after {
			if !have[m.ID] {
				imported = append(imported, m)
			}
		}
		if len(imported) != len(before) {
			t.Fatalf("%d undelivered messages imported, the absorbed province had %d", len(imported), len(before))
		}
		renamed := 0
		for i, m := range before {
			got := imported[i]
			var want []string
			for _, c := range codesOf(t, m) {
				want = append(want, rename(c))
				if rename(c) != c {
					renamed++
				}
				if merged[rename(c)] != oldB[c] {
					t.Fatalf("message %d: %s would name %q, the dossier was %q", m.ID, rename(c), merged[rename(c)], oldB[c])
				}
			}
			if g := codesOf(t, got); strings.Join(g, ",") != strings.Join(want, ",") {
				t.Fatalf("message %d (%s) carries %v after the merge, want %v:\n%s", m.ID, m.Topic, g, want, got.Payload)
			}
			for _, c := range codesOf(t, m) {
				if rename(c) != c && strings.Contains(strings.ReplaceAll(string(got.Payload), rename(c), ""), c+`"`) {
					t.Fatalf("message %d still carries the old code %s: %s", m.ID, c, got.Payload)
				}
			}
		}
		if renamed == 0 {
			t.Fatal("no pending message named a dossier code the survivor had: the test proves nothing")
		}
		// Every row that names a dossier by id and by code names it by
		// the code it has now.
		byID := map[string]string{}
		for _, r := range fields(t, da, "dossiers") {
			byID[r[0]] = r[1]
		}
		for _, c := range []struct {
			table    string
			id, code int
		}{{"deadline_warnings", 0, 3}, {"dossier_warnings", 1, 2}, {"staff_notifications", 2, 3}, {"personal_results", 2, 3},
			{"population_lookups", 10, 6}} {
			rows := fields(t, da, c.table)
			if len(rows) == 0 && c.table != "personal_results" && c.table != "population_lookups" {
				t.Fatalf("no %s: the test proves nothing", c.table)
			}
			for _, r := range rows {
				if r[c.code] != "" && r[c.id] != "0" && r[c.code] != byID[r[c.id]] {
					t.Fatalf("%s: a row names dossier %s by %s, its code is %s (%v)", c.table, r[c.id], r[c.code], byID[r[c.id]], r)
				}
			}
			if c.table == "staff_notifications" {
				for _, r := range rows {
					if !strings.Contains(r[5], r[3]) {
						t.Fatalf("staff notification of %s: its text %q does not name it", r[3], r[5])
					}
				}
			}
		}
		// The portal's record, built at delivery by the survivor, carries
		// the code the applicant holds now.
		svc := service.New(da, cal, nil, service.Config{Rules: motcua.DefaultRules(), PortalSync: true})
		p := &capturePortal{}
		checked := 0
		for _, m := range pending(t, da, motcua.TopicPortalSync) {
			id, _ := strconv.ParseInt(strings.TrimPrefix(m.Key, "dossier:"), 10, 64)
			code := byID[strconv.FormatInt(id, 10)]
			if !strings.HasSuffix(code, "-H98") {
				continue
			}
			if err := svc.PortalDeliverer(p).Deliver(ctx, m); err != nil {
				t.Fatal(err)
			}
			if got := p.codes[len(p.codes)-1]; got != code {
				t.Fatalf("the portal was sent %s for dossier %d, whose code is %s", got, id, code)
			}
			if checked++; checked == 5 {
				break
			}
		}
		if checked == 0 {
			t.Fatal("no portal message of a renamed dossier was imported")
		}
	})
}

// codesOf returns the dossier codes a pending message carries: the
// deadline notice's code, the staff e-mail's link.
func codesOf(t *testing.T, m *motcua.OutboxMessage) []string {
	t.Helper()
	s := string(m.Payload)
	switch m.Topic {
	case motcua.TopicDeadlineWarning:
		_, rest, _ := strings.Cut(s, `"code":"`)
		c, _, _ := strings.Cut(rest, `"`)
		return []string{c}
	case motcua.TopicStaffEmail:
		_, rest, ok := strings.Cut(s, "/ho-so/")
		if !ok {
			t.Fatalf("staff e-mail without a link: %s", s)
		}
		c, _, _ := strings.Cut(rest, `\n`)
		return []string{c}
	}
	panic(fmt.Sprintf("topic %s", m.Topic))
}

// checkPredicted: the dry run's figures after the merge (report 06a of the
// province and of every unit listed, each QĐ 766 indicator of the
// province) are the survivor's figures once merged.
func checkPredicted(t *testing.T, da *sqlstore.DB, rep *sqlstore.MergeReport) {
	t.Helper()
	ctx := context.Background()
	var figs service.MergeDBFigures
	if err := json.Unmarshal(rep.Counters, &figs); err != nil || len(figs.Rows06a) == 0 || len(figs.Points766) == 0 {
		t.Fatalf("the dry run's report has no figures: %v %s", err, rep.Counters)
	}
	if figs.Period.From != motcua.DayOfDate(rep.Years[0], 1, 1) || rep.Years[0] == 0 {
		t.Fatalf("period %v for the years %v", figs.Period, rep.Years)
	}
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(da, cal, nil, service.Config{Rules: motcua.DefaultRules()})
	r, err := svc.Report06a(ctx, figs.Period, service.SourceLive)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]motcua.Row06a{0: r.Total}
	for _, x := range r.Rows {
		byID[x.AgencyID] = x
	}
	changed := false
	for _, x := range figs.Rows06a {
		if x.After != byID[x.AgencyID] {
			t.Fatalf("06a of %d %s: predicted %+v, after the merge %+v", x.AgencyID, x.Name, x.After, byID[x.AgencyID])
		}
		changed = changed || (x.AgencyID == 0 && x.Before != x.After)
	}
	if !changed {
		t.Fatal("the province's 06a does not change: the test proves nothing")
	}
	idx, err := svc.Index766From(ctx, figs.Period, service.SourceLive)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]motcua.IndicatorValue{}
	for _, u := range idx.Units {
		if u.AgencyID == 0 {
			for _, v := range u.Values {
				got[v.ID] = v
			}
		}
	}
	n := 0
	for _, x := range figs.Points766 {
		if x.AgencyID != 0 || slices.Contains(figs.NotPredicted, x.Indicator) {
			continue
		}
		if g := got[x.Indicator]; g.Points != x.After || g.Status != x.StatusAfter {
			t.Fatalf("indicator %s of the province: predicted %.2f (%s), after the merge %.2f (%s)", x.Indicator, x.After, x.StatusAfter, g.Points, g.Status)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no indicator of the province was predicted")
	}
	t.Logf("predicted and found: %d rows of 06a, %d indicators of the province (%v)", len(figs.Rows06a), n, figs.Period)
}

// TestMergerPendingAgencyCode: after a merger of agencies that gives the
// successor a new e-ID code, the messages to the national portal queued
// before it, for the dossiers it moved and for the successor's own, carry
// the successor's new code and the dossiers' unchanged codes: they are
// built at delivery (no outbox payload holds an agency code).
func TestMergerPendingAgencyCode(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a province")
	}
	ctx := context.Background()
	_, _, da, _ := twoProvinces(t, sqltest.SQLite)
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(da, cal, nil, service.Config{Rules: motcua.DefaultRules(), PortalSync: true})
	if n, err := svc.QueueAllForPortal(motcua.NewContextWithUser(ctx, motcua.SystemUser), nil); err != nil || n == 0 {
		t.Fatalf("queue for the portal: %d %v", n, err)
	}
	byID := map[int64]string{}
	for _, r := range fields(t, da, "dossiers") {
		id, _ := strconv.ParseInt(r[0], 10, 64)
		byID[id] = r[1]
	}
	admin := signedIn(t, da, "admin")
	preds := []int64{agencyByCode(t, svc, "H99.101").ID, agencyByCode(t, svc, "H99.102").ID}
	succ := agencyByCode(t, svc, "H99.103")
	rep, err := svc.Merge(admin, service.MergeInput{Predecessors: preds, SuccessorID: succ.ID, NewCode: "H99.109", Decision: "Nghị quyết 3/2026"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	moved := map[int64]bool{}
	if err := da.Read(ctx, func(tx motcua.Tx) error {
		moves, err := tx.MergerMoves(ctx, rep.Merger.ID)
		for _, mv := range moves {
			if mv.Kind == motcua.MoveDossier {
				moved[mv.RowID] = true
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	p := &capturePortal{}
	checked := 0
	for _, m := range pending(t, da, motcua.TopicPortalSync) {
		id, _ := strconv.ParseInt(strings.TrimPrefix(m.Key, "dossier:"), 10, 64)
		var d *motcua.Dossier
		if err := da.Read(ctx, func(tx motcua.Tx) (err error) { d, err = tx.Dossier(ctx, id); return err }); err != nil {
			t.Fatal(err)
		}
		if d.CompetentAgencyID != succ.ID {
			continue
		}
		if err := svc.PortalDeliverer(p).Deliver(ctx, m); err != nil {
			t.Fatal(err)
		}
		if got := p.agencies[len(p.agencies)-1]; got != "H99.109" {
			t.Fatalf("dossier %s (moved %v): the portal was sent agency %s, want the successor's new code H99.109", d.Code, moved[id], got)
		}
		if got := p.codes[len(p.codes)-1]; got != byID[id] {
			t.Fatalf("the portal was sent dossier code %s, the dossier's code is %s", got, byID[id])
		}
		if moved[id] {
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no pending portal message of a moved dossier: the test proves nothing")
	}
}
