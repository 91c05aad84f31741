package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// DefaultMergerUndoPeriod is how long a merger of agencies may be undone
// when Config.MergerUndoPeriod is 0.
const DefaultMergerUndoPeriod = 30 * 24 * time.Hour

// AuditAgencyMerger and AuditAgencyMergerUndone record mergers of agencies
// in the audit log (Detail names the merger and its agencies).
const (
	AuditAgencyMerger       = "agency_merger"
	AuditAgencyMergerUndone = "agency_merger_undone"
)

// MergeInput is an administrator's merger of agencies: Predecessors are
// merged into the existing agency SuccessorID, or into a new agency
// NewSuccessor (its code, name, address and phone; its level, kind and
// parent are those of the predecessors). NewCode gives an existing
// successor a new e-ID code. Decision names the legal act.
type MergeInput struct {
	Predecessors []int64        `json:"predecessors"`
	SuccessorID  int64          `json:"successor_id,omitempty"`
	NewSuccessor *motcua.Agency `json:"new_successor,omitempty"`
	NewCode      string         `json:"new_code,omitempty"`
	Decision     string         `json:"decision"`
}

// MergeProgress is told how far a merger has come (done of total open
// dossiers moved); a non-nil error stops it and nothing is written.
type MergeProgress func(done, total int) error

// errDryRun rolls back the transaction of a dry run.
var errDryRun = errors.New("dry run: roll back")

// mergerRun holds what one run of a merger reads and writes.
type mergerRun struct {
	s        *Service
	u        *motcua.User
	in       MergeInput
	byID     map[int64]*motcua.Agency
	root     *motcua.Agency
	preds    []*motcua.Agency
	succ     *motcua.Agency // the successor (ID 0 until created)
	planned  motcua.Agency  // the successor as validated (fn may be retried)
	m        *motcua.Merger
	moves    []motcua.MergerMove
	rep      *MergerReport
	now      time.Time
	progress MergeProgress
}

// PlanMerger is the dry run of a merger: it runs the whole merger in a
// transaction that is rolled back, and reports what would move, what
// conflicts and which figures would change. Nothing is written. Errors as
// Merge.
func (s *Service) PlanMerger(ctx context.Context, in MergeInput) (*MergerReport, error) {
	return s.merge(ctx, in, true, nil)
}

// Merge merges in.Predecessors into the successor in one transaction: the
// successor is created or given its new code; the predecessors' staff
// roles, reception points, procedures offered and every open dossier move
// to it (each dossier with a history row naming the merger, its deadlines
// and supplement clocks unchanged, its code unchanged); closed dossiers
// stay with the unit that handled them; the predecessors get a "merged
// into" link. The caller must administer the province. Errors: EFORBIDDEN;
// EINVALID with a Vietnamese message for an empty list, an unknown or
// already merged agency, a successor among the predecessors or below one,
// a cycle, different levels, kinds or parents; ECONFLICT when a code is
// taken; whatever progress returns (nothing is then written).
func (s *Service) Merge(ctx context.Context, in MergeInput, progress MergeProgress) (*MergerReport, error) {
	s.mergeMu.Lock()
	defer s.mergeMu.Unlock()
	return s.merge(ctx, in, false, progress)
}

// mergeLock keeps one merger at a time per instance (the transaction
// keeps it so across instances).
type mergeLock = sync.Mutex

// prepareMerge checks the caller and the input against the agencies,
// before any transaction.
func (s *Service) prepareMerge(ctx context.Context, in MergeInput, progress MergeProgress) (*mergerRun, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	s.invalidateAgencies()
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	succs, err := s.successions(ctx)
	if err != nil {
		return nil, err
	}
	root := rootAgency(byID)
	if root == nil || !s.isAdminOver(u, root.ID, byID) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_province_admin", "Chỉ quản trị viên cấp tỉnh mới được sáp nhập cơ quan.")
	}
	r := &mergerRun{s: s, u: u, in: in, byID: byID, root: root, now: s.now(), progress: progress}
	if err := r.validate(succs); err != nil {
		return nil, err
	}
	r.planned = *r.succ
	return r, nil
}

func (s *Service) merge(ctx context.Context, in MergeInput, dry bool, progress MergeProgress) (*MergerReport, error) {
	r, err := s.prepareMerge(ctx, in, progress)
	if err != nil {
		return nil, err
	}
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		// A store may run fn again: start from what was validated.
		r.moves, r.rep, r.m = nil, &MergerReport{DryRun: dry, Predecessors: r.preds}, nil
		succ := r.planned
		r.succ = &succ
		if err := r.run(ctx, tx); err != nil {
			return err
		}
		if dry {
			return errDryRun
		}
		return nil
	})
	if dry && errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	if !dry {
		s.invalidateAgencies()
		keys := []motcua.CacheKey{{Kind: motcua.CacheAgencies}, {Kind: motcua.CacheSession}, {Kind: motcua.CacheCatalogue}}
		for _, mv := range r.moves {
			switch mv.Kind {
			case motcua.MoveProcedure:
				keys = append(keys, procVersionKey(mv.RowID))
			case motcua.MoveDossier:
				keys = append(keys, motcua.CacheKey{Kind: motcua.CachePublic, Key: r.rep.codes[mv.RowID]})
			}
		}
		s.changed(ctx, keys...)
	}
	r.rep.Merger, r.rep.Successor = r.m, r.succ
	if dry {
		// The merger was rolled back: what the report names was not
		// stored.
		r.rep.Merger.ID = 0
		if r.in.NewSuccessor != nil {
			r.rep.Successor.ID = 0
		}
	}
	if err := s.indexPoints(ctx, r.rep); err != nil {
		return nil, err
	}
	return r.rep, nil
}

// validate checks the input against the agencies before anything is
// written, and sets preds and succ.
func (r *mergerRun) validate(succs motcua.Successors) error {
	in := &r.in
	in.Decision = strings.TrimSpace(in.Decision)
	in.NewCode = strings.TrimSpace(in.NewCode)
	if len(in.Predecessors) == 0 {
		return motcua.FieldError("predecessors", "merger_empty", "Chưa chọn cơ quan nào để sáp nhập.")
	}
	if in.Decision == "" {
		return motcua.FieldError("decision", "merger_decision_required", "Chưa nhập số, ngày văn bản quyết định việc sáp nhập.")
	}
	if len([]rune(in.Decision)) > 300 {
		return motcua.FieldError("decision", "merger_decision_too_long", "Tên văn bản quyết định quá dài (tối đa 300 ký tự).")
	}
	seen := map[int64]bool{}
	for _, id := range in.Predecessors {
		a, ok := r.byID[id]
		if !ok {
			return motcua.FieldError("predecessors", "merger_agency_unknown", "Có cơ quan được chọn không tồn tại.")
		}
		if seen[id] {
			return motcua.FieldError("predecessors", "merger_agency_twice", "Cơ quan "+a.Name+" được chọn hai lần.")
		}
		seen[id] = true
		if s, merged := succs[id]; merged {
			into := "một cơ quan khác"
			if b := r.byID[s.SuccessorID]; b != nil {
				into = b.Name
			}
			return motcua.FieldError("predecessors", "merger_agency_merged", "Cơ quan "+a.Name+" đã được sáp nhập vào "+into+" từ trước; không thể sáp nhập lần nữa.")
		}
		if a.ID == r.root.ID {
			return motcua.FieldError("predecessors", "merger_root", "Không thể sáp nhập cơ quan cấp cao nhất của hệ thống ("+a.Name+").")
		}
		r.preds = append(r.preds, a)
	}
	first := r.preds[0]
	for _, a := range r.preds[1:] {
		if a.Level != first.Level || a.Kind != first.Kind {
			return motcua.FieldError("predecessors", "merger_kinds_differ", "Chỉ sáp nhập các cơ quan cùng cấp và cùng loại ("+first.Name+" và "+a.Name+" khác nhau).")
		}
		if a.ParentID != first.ParentID {
			return motcua.FieldError("predecessors", "merger_parents_differ", "Các cơ quan "+first.Name+" và "+a.Name+" thuộc các cơ quan cấp trên khác nhau; theo quy định chỉ sáp nhập các đơn vị cùng cấp trên trực tiếp.")
		}
	}
	switch {
	case in.SuccessorID != 0 && in.NewSuccessor != nil:
		return motcua.FieldError("successor_id", "merger_successor_twice", "Chọn cơ quan kế thừa có sẵn hoặc tạo cơ quan mới, không chọn cả hai.")
	case in.SuccessorID != 0:
		a, ok := r.byID[in.SuccessorID]
		if !ok {
			return motcua.FieldError("successor_id", "merger_successor_unknown", "Cơ quan kế thừa không tồn tại.")
		}
		if seen[a.ID] {
			return motcua.FieldError("successor_id", "merger_into_itself", "Cơ quan "+a.Name+" không thể sáp nhập vào chính nó.")
		}
		if _, merged := succs[a.ID]; merged {
			// Its chain would lead back through the links already set: a
			// successor must be active, so no chain can close a cycle.
			if slices.Contains(in.Predecessors, succs.Final(a.ID)) {
				return motcua.FieldError("successor_id", "merger_cycle", "Sáp nhập này tạo vòng lặp cơ quan kế thừa; không thể thực hiện.")
			}
			return motcua.FieldError("successor_id", "merger_successor_inactive", "Cơ quan kế thừa "+a.Name+" đã được sáp nhập vào cơ quan khác; hãy chọn cơ quan đang hoạt động.")
		}
		for cur, n := a.ParentID, 0; cur != 0 && n < 64; n++ {
			if seen[cur] {
				return motcua.FieldError("successor_id", "merger_into_child", "Không thể sáp nhập "+r.byID[cur].Name+" vào đơn vị trực thuộc của chính nó ("+a.Name+").")
			}
			p, ok := r.byID[cur]
			if !ok {
				break
			}
			cur = p.ParentID
		}
		if a.Level != first.Level || a.Kind != first.Kind {
			return motcua.FieldError("successor_id", "merger_kinds_differ", "Cơ quan kế thừa phải cùng cấp và cùng loại với các cơ quan được sáp nhập.")
		}
		if a.ParentID != first.ParentID {
			return motcua.FieldError("successor_id", "merger_parents_differ", "Cơ quan kế thừa thuộc cơ quan cấp trên khác; theo quy định chỉ sáp nhập các đơn vị cùng cấp trên trực tiếp.")
		}
		c := *a
		r.succ = &c
		if in.NewCode != "" && in.NewCode != a.Code {
			if err := r.checkCode(in.NewCode); err != nil {
				return err
			}
		}
	case in.NewSuccessor != nil:
		n := *in.NewSuccessor
		n.ID = 0
		n.Code, n.Name = strings.TrimSpace(n.Code), strings.TrimSpace(n.Name)
		n.Level, n.Kind, n.ParentID = first.Level, first.Kind, first.ParentID
		n.OneStop = slices.ContainsFunc(r.preds, func(a *motcua.Agency) bool { return a.OneStop })
		if err := n.Validate(); err != nil {
			return err
		}
		if err := r.checkCode(n.Code); err != nil {
			return err
		}
		r.succ = &n
	default:
		return motcua.FieldError("successor_id", "merger_successor_required", "Chưa chọn cơ quan kế thừa (có sẵn hoặc tạo mới).")
	}
	return nil
}

// checkCode checks a new e-ID code: its pattern, and that no agency has it.
func (r *mergerRun) checkCode(code string) error {
	if err := r.s.cfg.AgencyCodes.Check(code); err != nil {
		return err
	}
	for _, a := range r.byID {
		if a.Code == code {
			return motcua.FieldError("code", "agency_code_exists", "Mã định danh "+code+" đã là mã của "+a.Name+".")
		}
	}
	return nil
}

// run does the merger inside tx: what the report shows is read before and
// after, around the moves.
func (r *mergerRun) run(ctx context.Context, tx motcua.Tx) error {
	involved := []int64{}
	for _, a := range r.preds {
		involved = append(involved, a.ID)
	}
	if r.succ.ID != 0 {
		involved = append(involved, r.succ.ID)
	}
	before, err := r.figures(ctx, tx, involved)
	if err != nil {
		return err
	}
	if err := r.conflicts(ctx, tx); err != nil {
		return err
	}
	if r.succ.ID == 0 {
		created := *r.succ
		if err := tx.CreateAgency(ctx, &created); err != nil {
			return fmt.Errorf("create successor: %w", err)
		}
		r.succ = &created
		involved = append(involved, created.ID)
	} else if r.in.NewCode != "" && r.in.NewCode != r.succ.Code {
		changed := *r.succ
		changed.Code = r.in.NewCode
		if err := tx.UpdateAgency(ctx, &changed); err != nil {
			return err
		}
		r.succ = &changed
	}
	r.m = &motcua.Merger{SuccessorID: r.succ.ID, SuccessorCreated: r.in.NewSuccessor != nil, Decision: r.in.Decision,
		EffectiveAt: r.now, CreatedBy: r.u.ID, CreatedAt: r.now}
	for _, a := range r.preds {
		r.m.Predecessors = append(r.m.Predecessors, a.ID)
	}
	if r.in.NewCode != "" && r.in.NewSuccessor == nil {
		r.m.OldCode = r.byID[r.succ.ID].Code
	}
	if err := tx.CreateMerger(ctx, r.m); err != nil {
		return fmt.Errorf("create merger: %w", err)
	}
	for _, a := range r.preds {
		if err := tx.SetSuccession(ctx, motcua.Succession{AgencyID: a.ID, SuccessorID: r.succ.ID, MergerID: r.m.ID, EffectiveAt: r.now}); err != nil {
			return fmt.Errorf("succession: %w", err)
		}
	}
	for i, step := range []func(context.Context, motcua.Tx) error{r.moveChildren, r.moveGrants, r.movePoints, r.moveProcedures, r.moveDossiers} {
		if err := step(ctx, tx); err != nil {
			return fmt.Errorf("merger step %d: %w", i+1, err)
		}
	}
	for i := range r.moves {
		r.moves[i].MergerID, r.moves[i].Seq = r.m.ID, i+1
	}
	if err := tx.AddMergerMoves(ctx, r.moves); err != nil {
		return fmt.Errorf("merger log: %w", err)
	}
	after, err := r.figures(ctx, tx, involved)
	if err != nil {
		return err
	}
	r.rep.figureChanges(before, after, r.byID, r.succ)
	r.rep.count(r.moves)
	return tx.Audit(ctx, &motcua.AuditEntry{At: r.now, UserID: r.u.ID, Action: AuditAgencyMerger,
		Detail: fmt.Sprintf("merger %d: %v into %d (%s)", r.m.ID, r.m.Predecessors, r.succ.ID, r.in.Decision)})
}

// mapAgency returns the agency that stands for id after the merger.
func (r *mergerRun) mapAgency(id int64) int64 {
	if slices.Contains(r.m.Predecessors, id) {
		return r.succ.ID
	}
	return id
}

// moveChildren puts the agencies below a predecessor under the successor.
func (r *mergerRun) moveChildren(ctx context.Context, tx motcua.Tx) error {
	list, err := tx.Agencies(ctx)
	if err != nil {
		return err
	}
	for _, a := range list {
		if a.ParentID == 0 || !slices.Contains(r.m.Predecessors, a.ParentID) {
			continue
		}
		from := a.ParentID
		a.ParentID = r.succ.ID
		if err := tx.UpdateAgency(ctx, a); err != nil {
			return err
		}
		r.moves = append(r.moves, motcua.MergerMove{Kind: motcua.MoveParent, RowID: a.ID, From: from, To: r.succ.ID})
	}
	return nil
}

// moveGrants gives the predecessors' staff the same roles at the
// successor; a role a person already held there is not doubled (the
// predecessor's copy is dropped and logged, so an undo gives it back).
func (r *mergerRun) moveGrants(ctx context.Context, tx motcua.Tx) error {
	done := map[int64]bool{}
	for _, a := range r.preds {
		users, err := tx.Users(ctx, motcua.UserFilter{AgencyID: a.ID})
		if err != nil {
			return err
		}
		for _, u := range users {
			if done[u.ID] {
				continue
			}
			done[u.ID] = true
			var grants []motcua.Grant
			for _, g := range u.Grants {
				if !slices.Contains(r.m.Predecessors, g.AgencyID) {
					grants = append(grants, g)
				}
			}
			for _, g := range u.Grants {
				if !slices.Contains(r.m.Predecessors, g.AgencyID) {
					continue
				}
				to := motcua.Grant{AgencyID: r.succ.ID, Role: g.Role}
				kind := motcua.MoveGrant
				if slices.Contains(grants, to) {
					kind = motcua.MoveGrantDrop
				} else {
					grants = append(grants, to)
				}
				r.moves = append(r.moves, motcua.MergerMove{Kind: kind, RowID: u.ID, Role: g.Role, From: g.AgencyID, To: r.succ.ID})
			}
			u.Grants = grants
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
		}
	}
	return nil
}

// movePoints moves the predecessors' reception points to the successor:
// its counters now receive where theirs did.
func (r *mergerRun) movePoints(ctx context.Context, tx motcua.Tx) error {
	for _, a := range r.preds {
		points, err := tx.ReceptionPoints(ctx, a.ID)
		if err != nil {
			return err
		}
		for _, p := range points {
			if err := tx.SetReceptionPointAgency(ctx, p.ID, r.succ.ID); err != nil {
				return err
			}
			r.moves = append(r.moves, motcua.MergerMove{Kind: motcua.MovePoint, RowID: p.ID, From: a.ID, To: r.succ.ID})
		}
	}
	return nil
}

// moveProcedures gives the successor the procedures a predecessor settles
// or takes part in, as a new version of each (the versions dossiers were
// received under stay as they were).
func (r *mergerRun) moveProcedures(ctx context.Context, tx motcua.Tx) error {
	procs, err := allProcedures(ctx, tx)
	if err != nil {
		return err
	}
	for _, p := range procs {
		from, changed := p.AgencyID, false
		if to := r.mapAgency(p.AgencyID); to != p.AgencyID {
			p.AgencyID, changed = to, true
		}
		for i := range p.Process.Steps {
			st := &p.Process.Steps[i]
			if to := r.mapAgency(st.AgencyID); to != st.AgencyID {
				st.AgencyID, changed = to, true
			}
			for j := range st.Parts {
				if to := r.mapAgency(st.Parts[j].AgencyID); to != st.Parts[j].AgencyID {
					st.Parts[j].AgencyID, changed = to, true
				}
			}
		}
		if !changed {
			continue
		}
		p.UpdatedAt = r.now
		if err := tx.UpdateProcedure(ctx, p); err != nil {
			return err
		}
		r.moves = append(r.moves, motcua.MergerMove{Kind: motcua.MoveProcedure, RowID: p.ID, From: from, To: p.AgencyID, Ref: int64(p.Version)})
	}
	return nil
}

// allProcedures reads the current version of every procedure.
func allProcedures(ctx context.Context, tx motcua.Tx) ([]*motcua.Procedure, error) {
	var out []*motcua.Procedure
	for off := 0; ; off += 500 {
		page, err := tx.FindProcedures(ctx, motcua.ProcedureFilter{Limit: 500, Offset: off})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < 500 {
			return out, nil
		}
	}
}
