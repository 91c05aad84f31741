package service

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
	"unicode"

	"github.com/motcua/motcua"
)

// warnPage is how many candidate dossiers the warning job reads at once.
const warnPage = 200

// warnTimes are the warning delays in force, with the defaults filled from
// the calendar's working day.
func (s *Service) warnTimes() motcua.WarnTimes {
	return s.cfg.Warn.WithDefaults(s.Calendar().WorkingDayLength())
}

// WarnClocks tells people of every deadline of every dossier that is near
// or past (a scheduled job, run as the system): the counter's duty (the 8
// working hours to decide on an online dossier, the transfer of a paper
// one), the current step's share, each inter-agency part's share and the
// appointment (motcua.ClocksOf). A clock within its lead is "due soon" to
// those who hold the dossier; a passed one is "overdue" to them, then
// escalated to the head of the unit and then to the agency's leader as the
// configured delays pass (motcua.LevelsReached). Each warning is recorded
// once per dossier, clock, agency, level and due time — however many
// instances run the job — in the dossier's history, with an in-app
// notification to each recipient and an e-mail to those with an address
// when e-mail is configured, all in one transaction. It returns how many
// warnings it recorded.
func (s *Service) WarnClocks(ctx context.Context) (int, error) {
	now := s.now()
	cal := s.Calendar()
	w := s.warnTimes()
	upTo := cal.AddWorking(now, max(w.Lead, w.ShortLead))
	n := 0
	for _, byAppointment := range []bool{false, true} {
		var after motcua.DossierCursor
		for {
			var page []*motcua.Dossier
			var known []*motcua.DossierWarning
			if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
				if page, err = tx.DossiersWithClocks(ctx, upTo, byAppointment, after, warnPage); err != nil || len(page) == 0 {
					return err
				}
				ids := make([]int64, len(page))
				for i, d := range page {
					ids[i] = d.ID
				}
				known, err = tx.WarningsOfDossiers(ctx, ids)
				return err
			}); err != nil {
				return n, err
			}
			done := map[warnKey]bool{}
			for _, k := range known {
				done[warnKey{k.DossierID, k.Clock, k.AgencyID, k.Level, k.DueAt.UnixMilli()}] = true
			}
			for _, d := range page {
				if err := ctx.Err(); err != nil {
					return n, err
				}
				for _, c := range distinctClocks(motcua.ClocksOf(&d.Status)) {
					for _, lv := range motcua.LevelsReached(c, now, cal, w) {
						if done[warnKey{d.ID, c.Kind, c.AgencyID, lv, c.DueAt.UnixMilli()}] {
							continue
						}
						err := s.recordWarning(ctx, d, c, lv, now)
						switch motcua.ErrorCode(err) {
						case "":
							n++
						case motcua.ECONFLICT: // another instance warned first
						default:
							return n, err
						}
					}
				}
			}
			if len(page) < warnPage {
				break
			}
			last := page[len(page)-1]
			after = motcua.DossierCursor{NextDueAt: last.Status.NextDueAt(), ID: last.ID}
			if byAppointment {
				after.NextDueAt = last.Status.DueAt
			}
		}
	}
	return n, nil
}

type warnKey struct {
	dossier      int64
	clock        string
	agency       int64
	level        string
	dueUnixMilli int64
}

// distinctClocks drops a clock that ends when an earlier one of the same
// agency does (a last step whose share ends at the appointment): one
// warning says it.
func distinctClocks(cs []motcua.Clock) []motcua.Clock {
	var out []motcua.Clock
	for _, c := range cs {
		if !slices.ContainsFunc(out, func(o motcua.Clock) bool { return o.AgencyID == c.AgencyID && o.DueAt.Equal(c.DueAt) }) {
			out = append(out, c)
		}
	}
	return out
}

// recordWarning records one warning of level about clock c of dossier d,
// with its notifications, in one transaction (ECONFLICT when it exists).
func (s *Service) recordWarning(ctx context.Context, d *motcua.Dossier, c motcua.Clock, level string, now time.Time) error {
	text := warningText(d, c, level)
	var told []motcua.CacheKey // whose bell changes, once committed
	err := s.store.Write(ctx, func(tx motcua.Tx) error {
		users, err := s.warningRecipients(ctx, tx, d, c, level)
		if err != nil {
			return err
		}
		told = told[:0] // a batch that runs again runs this again
		for _, u := range users {
			told = append(told, unreadKey(u.ID))
		}
		w := &motcua.DossierWarning{DossierID: d.ID, Code: d.Code, Clock: c.Kind, AgencyID: c.AgencyID, Level: level,
			DueAt: c.DueAt, At: now}
		for _, u := range users {
			w.UserIDs, w.Names = append(w.UserIDs, u.ID), append(w.Names, u.FullName)
		}
		if err := tx.RecordDossierWarning(ctx, w); err != nil {
			return err
		}
		for _, u := range users {
			if err := tx.AddStaffNotification(ctx, &motcua.StaffNotification{UserID: u.ID, DossierID: d.ID, Code: d.Code,
				Level: level, Text: text, At: now}); err != nil {
				return err
			}
			if s.cfg.Mail == nil || u.Email == "" {
				continue
			}
			payload, err := json.Marshal(motcua.StaffEmail{UserID: u.ID, Subject: "[motcua] " + motcua.WarningLevelLabel(level) + ": hồ sơ " + d.Code,
				Body: text + "\n\nXem hồ sơ: " + s.cfg.BaseURL + "/ho-so/" + d.Code + "\n"})
			if err != nil {
				return err
			}
			if err := tx.Enqueue(ctx, &motcua.OutboxMessage{Topic: motcua.TopicStaffEmail, Payload: payload, CreatedAt: now, NextAttemptAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && len(told) > 0 {
		s.changed(ctx, told...)
	}
	return err
}

// warningText is what a warning says, without personal data.
func warningText(d *motcua.Dossier, c motcua.Clock, level string) string {
	return fmt.Sprintf("%s: hồ sơ %s (%s) — %s: %s.", motcua.WarningLevelLabel(level), d.Code, d.ProcedureName,
		lowerFirst(motcua.ClockLabel(c.Kind)), motcua.FormatDateTime(c.DueAt))
}

func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

// warningRecipients are the people a warning of level about clock c goes
// to: for due-soon and overdue, those who hold the dossier at the clock's
// agency now (the assignee, else every holder of the waiting role); for
// the escalations, the heads of department of that agency, then its
// leaders. When nobody holds such a role, the next one up is told, so a
// warning never goes unread for want of a recipient (it is still recorded
// with none).
func (s *Service) warningRecipients(ctx context.Context, tx motcua.Tx, d *motcua.Dossier, c motcua.Clock, level string) ([]*motcua.User, error) {
	var out []*motcua.User
	add := func(us ...*motcua.User) {
		for _, u := range us {
			if u != nil && !u.Disabled && !slices.ContainsFunc(out, func(o *motcua.User) bool { return o.ID == u.ID }) {
				out = append(out, u)
			}
		}
	}
	byRole := func(agency int64, role motcua.Role) error {
		us, err := tx.Users(ctx, motcua.UserFilter{AgencyID: agency, Role: role})
		add(us...)
		return err
	}
	var chain []motcua.Role
	switch level {
	case motcua.LevelDueSoon, motcua.LevelOverdue:
		for _, du := range d.Status.Duties {
			if du.AgencyID != c.AgencyID && c.Kind != motcua.ClockDue {
				continue
			}
			if du.UserID != 0 {
				u, err := tx.User(ctx, du.UserID)
				if err != nil && motcua.ErrorCode(err) != motcua.ENOTFOUND {
					return nil, err
				}
				add(u)
			} else if err := byRole(du.AgencyID, du.Role); err != nil {
				return nil, err
			}
		}
		chain = []motcua.Role{motcua.RoleHead, motcua.RoleLeader}
	case motcua.LevelEscalateHead:
		chain = []motcua.Role{motcua.RoleHead, motcua.RoleLeader}
	default:
		chain = []motcua.Role{motcua.RoleLeader}
	}
	for _, r := range chain {
		if len(out) > 0 {
			break
		}
		if err := byRole(c.AgencyID, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}
