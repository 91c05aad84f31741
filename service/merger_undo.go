package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Mergers lists the mergers of agencies, newest first, to the province's
// administrators (EFORBIDDEN otherwise).
func (s *Service) Mergers(ctx context.Context) ([]*motcua.Merger, error) {
	if _, err := s.provinceAdmin(ctx); err != nil {
		return nil, err
	}
	var out []*motcua.Merger
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { out, err = tx.Mergers(ctx); return err })
	return out, err
}

// MergerUndoPeriod is how long after a merger it may be undone.
func (s *Service) MergerUndoPeriod() time.Duration {
	if s.cfg.MergerUndoPeriod > 0 {
		return s.cfg.MergerUndoPeriod
	}
	return DefaultMergerUndoPeriod
}

func (s *Service) provinceAdmin(ctx context.Context) (*motcua.User, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	root := rootAgency(byID)
	if root == nil || !s.isAdminOver(u, root.ID, byID) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_province_admin", "Chỉ quản trị viên cấp tỉnh mới được sáp nhập cơ quan.")
	}
	return u, nil
}

// UndoMerger undoes merger id within the undo period: every row the merger
// moved goes back exactly where it was (open dossiers with a history row
// saying so, their counters with them; staff roles, reception points,
// child agencies; procedures as a new version equal to the one before the
// merger), the successor gets its old code back and the predecessors are
// active again. A successor the merger created stays, without staff.
//
// Undo is refused (ECONFLICT, nothing written) when it could not restore
// the previous assignment exactly: a moved dossier was acted on since, a
// moved procedure was edited, a moved role or point was changed by hand,
// dossiers were received for a created successor, or a later merger
// involves the same agencies (undo that one first). Errors also:
// EFORBIDDEN, ENOTFOUND, ECONFLICT merger_undo_expired / merger_already_undone.
func (s *Service) UndoMerger(ctx context.Context, id int64) error {
	u, err := s.provinceAdmin(ctx)
	if err != nil {
		return err
	}
	s.mergeMu.Lock()
	defer s.mergeMu.Unlock()
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return err
	}
	root := rootAgency(byID)
	now := s.now()
	var keys []motcua.CacheKey
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		keys = nil
		m, err := tx.Merger(ctx, id)
		if err != nil {
			return err
		}
		if !m.UndoneAt.IsZero() {
			return motcua.Errorf(motcua.ECONFLICT, "merger_already_undone", "Đợt sáp nhập này đã được hoàn tác.")
		}
		if now.Sub(m.CreatedAt) > s.MergerUndoPeriod() {
			return motcua.Errorf(motcua.ECONFLICT, "merger_undo_expired", "Đã quá thời hạn hoàn tác (%d ngày kể từ %s); không thể hoàn tác đợt sáp nhập này.",
				int(s.MergerUndoPeriod().Hours()/24), motcua.FormatDateTime(m.CreatedAt))
		}
		if err := laterMergers(ctx, tx, m); err != nil {
			return err
		}
		moves, err := tx.MergerMoves(ctx, id)
		if err != nil {
			return err
		}
		if err := s.undoBlockers(ctx, tx, m, moves); err != nil {
			return err
		}
		for i := len(moves) - 1; i >= 0; i-- {
			mv := moves[i]
			k, err := s.undoMove(ctx, tx, m, mv, u, root.ID, now)
			if err != nil {
				return err
			}
			keys = append(keys, k...)
		}
		if m.OldCode != "" {
			a, err := tx.Agency(ctx, m.SuccessorID)
			if err != nil {
				return err
			}
			a.Code = m.OldCode
			if err := tx.UpdateAgency(ctx, a); err != nil {
				return err
			}
		}
		if err := tx.DeleteSuccessions(ctx, id); err != nil {
			return err
		}
		if err := tx.MarkMergerUndone(ctx, id, u.ID, now); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: AuditAgencyMergerUndone,
			Detail: fmt.Sprintf("merger %d undone: %v back from %d", id, m.Predecessors, m.SuccessorID)})
	})
	if err != nil {
		return err
	}
	s.invalidateAgencies()
	s.changed(ctx, append(keys, motcua.CacheKey{Kind: motcua.CacheAgencies}, motcua.CacheKey{Kind: motcua.CacheSession},
		motcua.CacheKey{Kind: motcua.CacheCatalogue})...)
	return nil
}

// laterMergers refuses to undo m while a later merger that is not undone
// involves one of its agencies.
func laterMergers(ctx context.Context, tx motcua.Tx, m *motcua.Merger) error {
	all, err := tx.Mergers(ctx)
	if err != nil {
		return err
	}
	mine := append(slices.Clone(m.Predecessors), m.SuccessorID)
	for _, o := range all {
		if o.ID <= m.ID || !o.UndoneAt.IsZero() {
			continue
		}
		if slices.Contains(mine, o.SuccessorID) || slices.ContainsFunc(o.Predecessors, func(x int64) bool { return slices.Contains(mine, x) }) {
			return motcua.Errorf(motcua.ECONFLICT, "merger_undo_later", "Đợt sáp nhập số %d sau đó liên quan đến cùng cơ quan; hãy hoàn tác đợt đó trước.", o.ID)
		}
	}
	return nil
}

// undoBlockers checks that every moved row is still as the merger left it.
func (s *Service) undoBlockers(ctx context.Context, tx motcua.Tx, m *motcua.Merger, moves []motcua.MergerMove) error {
	var why []string
	add := func(msg string) {
		if len(why) < 6 {
			why = append(why, msg)
		}
	}
	if imp := m.Imported; imp != nil && len(imp.Joined) > 0 {
		add("đợt sáp nhập này được chuyển sang khi hợp nhất cơ sở dữ liệu của hai tỉnh (" + imp.Tag + ") và " + joinedLabels(imp.Joined) +
			" đã được gộp vào đơn vị cùng mã của tỉnh này")
	}
	for _, mv := range moves {
		switch mv.Kind {
		case motcua.MoveDossier:
			d, err := tx.Dossier(ctx, mv.RowID)
			if err != nil {
				return err
			}
			if int64(d.Status.Seq) != mv.Ref {
				add("hồ sơ " + d.Code + " đã được xử lý tiếp sau khi sáp nhập")
			}
		case motcua.MoveProcedure:
			v, err := tx.CurrentVersion(ctx, mv.RowID)
			if err != nil {
				return err
			}
			if int64(v) != mv.Ref {
				p, err := tx.Procedure(ctx, mv.RowID)
				if err != nil {
					return err
				}
				add("thủ tục " + p.Code + " đã được sửa sau khi sáp nhập")
			}
		case motcua.MoveGrant:
			usr, err := tx.User(ctx, mv.RowID)
			if err != nil {
				return err
			}
			if !slices.Contains(usr.Grants, motcua.Grant{AgencyID: mv.To, Role: mv.Role}) {
				add("vai trò của " + usr.FullName + " tại cơ quan kế thừa đã bị thay đổi")
			}
		case motcua.MovePoint:
			p, err := tx.ReceptionPoint(ctx, mv.RowID)
			if err != nil {
				return err
			}
			if p.AgencyID != mv.To {
				add("điểm tiếp nhận " + p.Name + " đã được chuyển đi nơi khác")
			}
		}
	}
	if m.SuccessorCreated {
		n, err := tx.DossiersCreatedSince(ctx, m.SuccessorID, m.CreatedAt)
		if err != nil {
			return err
		}
		if n > 0 {
			add(fmt.Sprintf("đã có %d hồ sơ mới tiếp nhận cho cơ quan kế thừa", n))
		}
	}
	if len(why) > 0 {
		return motcua.Errorf(motcua.ECONFLICT, "merger_undo_blocked",
			"Không thể hoàn tác chính xác đợt sáp nhập vì %s. Hãy xử lý tiếp trên cơ quan kế thừa hoặc thực hiện một đợt sáp nhập mới.", strings.Join(why, "; "))
	}
	return nil
}

// undoMove puts one logged row back; it returns the cache keys to drop.
func (s *Service) undoMove(ctx context.Context, tx motcua.Tx, m *motcua.Merger, mv motcua.MergerMove, u *motcua.User, rootID int64, now time.Time) ([]motcua.CacheKey, error) {
	switch mv.Kind {
	case motcua.MoveParent:
		a, err := tx.Agency(ctx, mv.RowID)
		if err != nil {
			return nil, err
		}
		a.ParentID = mv.From
		return nil, tx.UpdateAgency(ctx, a)
	case motcua.MoveGrant, motcua.MoveGrantDrop:
		usr, err := tx.User(ctx, mv.RowID)
		if err != nil {
			return nil, err
		}
		if mv.Kind == motcua.MoveGrant {
			usr.Grants = slices.DeleteFunc(usr.Grants, func(g motcua.Grant) bool { return g == motcua.Grant{AgencyID: mv.To, Role: mv.Role} })
		}
		if g := (motcua.Grant{AgencyID: mv.From, Role: mv.Role}); !slices.Contains(usr.Grants, g) {
			usr.Grants = append(usr.Grants, g)
		}
		return nil, tx.UpdateUser(ctx, usr)
	case motcua.MovePoint:
		return nil, tx.SetReceptionPointAgency(ctx, mv.RowID, mv.From)
	case motcua.MoveProcedure:
		old, err := tx.ProcedureVersion(ctx, mv.RowID, int(mv.Ref)-1)
		if err != nil {
			return nil, err
		}
		restored := *old
		restored.Version, restored.UpdatedAt = int(mv.Ref), now
		if err := tx.UpdateProcedure(ctx, &restored); err != nil {
			return nil, err
		}
		return []motcua.CacheKey{procVersionKey(mv.RowID)}, nil
	case motcua.MoveDossier:
		d, err := tx.Dossier(ctx, mv.RowID)
		if err != nil {
			return nil, err
		}
		events, err := tx.Events(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		// The parts of a parallel step as they were before the merger.
		before, err := motcua.Replay(events[:len(events)-1])
		if err != nil {
			return nil, err
		}
		to := dossierPlace{Reception: mv.ReceptionFrom, Competent: mv.From, Holder: mv.HolderFrom}
		if len(before.Parts) > 0 {
			to.Parts = before.Parts
		}
		reason := "Hoàn tác sáp nhập: hồ sơ trở lại cơ quan trước sáp nhập."
		if _, err := s.shiftDossier(ctx, tx, d, to, motcua.ActMergeUndo, reason, u, rootID, m.ID, now); err != nil {
			return nil, fmt.Errorf("dossier %s: %w", d.Code, err)
		}
		return []motcua.CacheKey{{Kind: motcua.CachePublic, Key: d.Code}}, nil
	}
	return nil, nil
}

// joinedLabels names, in Vietnamese, what a database merge joined (see
// motcua.MergerImport).
func joinedLabels(joined []string) string {
	var out []string
	for _, j := range joined {
		kind, code, _ := strings.Cut(j, ":")
		switch kind {
		case "agency":
			out = append(out, "cơ quan "+code)
		case "point":
			out = append(out, "điểm tiếp nhận "+code)
		case "procedure":
			out = append(out, "thủ tục "+code)
		default:
			out = append(out, j)
		}
	}
	return joinNames(first(out, 5))
}
