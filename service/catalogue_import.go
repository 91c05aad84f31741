package service

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// Bounds on what the national database may send in one import: a
// province's catalogue holds a few thousand procedures; more is a fault of
// the source, refused rather than stored.
const (
	maxImportProcedures = 20_000
	maxImportListDiffs  = 2_000
)

// CatalogueSourceOn reports whether a national database is configured.
func (s *Service) CatalogueSourceOn() bool { return s.cfg.Catalogue != nil }

// mayImport checks that the caller is an administrator of the province (the
// root agency): the catalogue is the province's.
func (s *Service) mayImport(ctx context.Context) (*motcua.User, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	if !s.isRootAdmin(u, byID) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_root_admin", "Chỉ quản trị viên của tỉnh được nhập và cập nhật danh mục thủ tục từ Cơ sở dữ liệu quốc gia.")
	}
	return u, nil
}

// errSourceOff is returned when no national database is configured.
func errSourceOff() error {
	return motcua.Errorf(motcua.ECONFLICT, "catalogue_source_off", "Chưa kết nối Cổng Dịch vụ công quốc gia: chưa thể nhập danh mục thủ tục.")
}

// ImportCatalogue reads the national database of procedures, compares every
// procedure of the province's levels (province and commune) with the
// current version in motcua, compares the national lists of agencies and
// fields with motcua's, and stores the result as a run for review. Nothing
// in the catalogue changes. progress (may be nil) is told after each
// procedure read; a cancelled ctx stops the import and stores nothing.
// Errors: EUNAUTHORIZED, EFORBIDDEN (not the province's administrator),
// ECONFLICT catalogue_source_off, or the source's error.
func (s *Service) ImportCatalogue(ctx context.Context, progress func(done, total int)) (*motcua.ImportRun, error) {
	u, err := s.mayImport(ctx)
	if err != nil {
		return nil, err
	}
	src := s.cfg.Catalogue
	if src == nil {
		return nil, errSourceOff()
	}
	run := &motcua.ImportRun{StartedAt: s.now(), StartedBy: u.ID}
	refs, err := src.NationalProcedures(ctx)
	if err != nil {
		return nil, fmt.Errorf("national list of procedures: %w", err)
	}
	if len(refs) > maxImportProcedures {
		return nil, motcua.Errorf(motcua.EINVALID, "catalogue_too_large", "Danh sách thủ tục quốc gia có %d thủ tục, vượt giới hạn %d: không nhập.", len(refs), maxImportProcedures)
	}
	// The province's levels only, each code once.
	var wanted []motcua.NationalProcedureRef
	seen := map[string]bool{}
	for _, r := range refs {
		r.Code = strings.TrimSpace(r.Code)
		if r.Code == "" || seen[r.Code] || (r.Level != motcua.LevelProvince && r.Level != motcua.LevelCommune) {
			continue
		}
		seen[r.Code] = true
		wanted = append(wanted, r)
	}
	national := map[string]*motcua.NationalProcedure{}
	withdrawn := map[string]bool{}
	for i, r := range wanted {
		if err := ctx.Err(); err != nil {
			return nil, motcua.Errorf(motcua.ECONFLICT, "import_cancelled", "Đã dừng nhập danh mục: chưa lưu gì.")
		}
		if r.Withdrawn {
			withdrawn[r.Code] = true
		} else {
			np, err := src.NationalProcedure(ctx, r.Code)
			switch {
			case motcua.ErrorCode(err) == motcua.ENOTFOUND:
				withdrawn[r.Code] = true // listed but gone: treated as absent
			case err != nil:
				if ctx.Err() != nil {
					return nil, motcua.Errorf(motcua.ECONFLICT, "import_cancelled", "Đã dừng nhập danh mục: chưa lưu gì.")
				}
				return nil, fmt.Errorf("national procedure %s: %w", r.Code, err)
			case np.Withdrawn:
				withdrawn[r.Code] = true
			default:
				national[r.Code] = np
			}
		}
		if progress != nil {
			progress(i+1, len(wanted))
		}
	}
	agencies, err := src.NationalAgencies(ctx)
	if err != nil {
		return nil, fmt.Errorf("national list of agencies: %w", err)
	}
	fields, err := src.NationalFields(ctx)
	if err != nil {
		return nil, fmt.Errorf("national list of fields: %w", err)
	}
	local, err := s.wholeCatalogue(ctx)
	if err != nil {
		return nil, err
	}
	items := classify(wanted, national, withdrawn, local)
	for _, it := range items {
		switch it.Kind {
		case motcua.ImportNew:
			run.New++
		case motcua.ImportChanged:
			run.Changed++
		case motcua.ImportUnchanged:
			run.Unchanged++
		case motcua.ImportWithdrawn:
			run.Withdrawn++
		}
		if it.TimeLimitToConfirm && (it.Kind == motcua.ImportNew || it.Kind == motcua.ImportChanged) {
			run.ToConfirm++
		}
	}
	_, agencyList, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	run.Agencies = diffAgencies(agencies, agencyList)
	run.Fields = diffFields(fields, local)
	if err := ctx.Err(); err != nil {
		return nil, motcua.Errorf(motcua.ECONFLICT, "import_cancelled", "Đã dừng nhập danh mục: chưa lưu gì.")
	}
	run.FinishedAt = s.now()
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.CreateImportRun(ctx, run, items); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: run.FinishedAt, UserID: u.ID, Action: motcua.AuditCatalogueImport,
			Detail: fmt.Sprintf("lần nhập %d: %d mới, %d thay đổi, %d không đổi, %d bãi bỏ, %d cần xác nhận thời hạn",
				run.ID, run.New, run.Changed, run.Unchanged, run.Withdrawn, run.ToConfirm)})
	})
	if err != nil {
		return nil, err
	}
	return run, nil
}

// wholeCatalogue reads every procedure's current version, published or not.
func (s *Service) wholeCatalogue(ctx context.Context) ([]*motcua.Procedure, error) {
	var out []*motcua.Procedure
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		out = out[:0]
		for offset := 0; ; offset += 500 {
			page, err := tx.FindProcedures(ctx, motcua.ProcedureFilter{Limit: 500, Offset: offset})
			if err != nil {
				return err
			}
			out = append(out, page...)
			if len(page) < 500 {
				return nil
			}
		}
	})
	return out, err
}

// classify makes the review items: the national procedures in their list
// order (new, changed or unchanged), then the published local procedures of
// the province's levels that the national data abolished or no longer
// lists, by code.
func classify(wanted []motcua.NationalProcedureRef, national map[string]*motcua.NationalProcedure, withdrawn map[string]bool,
	local []*motcua.Procedure) []*motcua.ImportItem {
	byCode := map[string]*motcua.Procedure{}
	for _, p := range local {
		if p.Code != "" {
			byCode[p.Code] = p
		}
	}
	var items []*motcua.ImportItem
	for _, r := range wanted {
		np := national[r.Code]
		if np == nil {
			continue
		}
		it := &motcua.ImportItem{Code: r.Code, Name: np.Procedure.Name, National: np, Status: motcua.ImportPending,
			TimeLimitToConfirm: np.Procedure.TimeLimit == nil && !np.Procedure.NoTimeLimit && nationalTimeLimitText(np) != ""}
		it.Problem = nationalProblem(r.Code, np)
		if p := byCode[r.Code]; p == nil {
			it.Kind = motcua.ImportNew
		} else {
			it.ProcedureID, it.BaseVersion = p.ID, p.Version
			if it.Diffs = diffProcedure(p, np); len(it.Diffs) > 0 {
				it.Kind = motcua.ImportChanged
			} else {
				it.Kind = motcua.ImportUnchanged
			}
		}
		if it.Name == "" {
			it.Name = r.Name
		}
		items = append(items, it)
	}
	var gone []*motcua.Procedure
	for _, p := range local {
		if p.Code == "" || !p.Published || (p.Level != motcua.LevelProvince && p.Level != motcua.LevelCommune) {
			continue
		}
		if national[p.Code] == nil {
			gone = append(gone, p)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i].Code < gone[j].Code })
	for _, p := range gone {
		why := "Không còn trong danh sách thủ tục quốc gia."
		if withdrawn[p.Code] {
			why = "Đã bãi bỏ trong Cơ sở dữ liệu quốc gia về thủ tục hành chính."
		}
		items = append(items, &motcua.ImportItem{Kind: motcua.ImportWithdrawn, Code: p.Code, Name: p.Name, ProcedureID: p.ID,
			BaseVersion: p.Version, Status: motcua.ImportPending,
			Diffs: []motcua.FieldDiff{{Field: "published", Label: "Tình trạng", Old: "Đang công bố", New: why}}})
	}
	return items
}

// nationalProblem checks a national record before anyone relies on it:
// the code it carries, a name, a level, a valid time limit and fees.
func nationalProblem(code string, np *motcua.NationalProcedure) string {
	p := &np.Procedure
	var probs []string
	if strings.TrimSpace(p.Code) != code {
		probs = append(probs, fmt.Sprintf("mã thủ tục trong dữ liệu (%q) khác mã được hỏi", p.Code))
	}
	if strings.TrimSpace(p.Name) == "" {
		probs = append(probs, "thiếu tên thủ tục")
	}
	if p.Level != motcua.LevelProvince && p.Level != motcua.LevelCommune {
		probs = append(probs, "cấp thực hiện không thuộc tỉnh hoặc xã")
	}
	if p.TimeLimit != nil {
		if err := p.TimeLimit.Validate(); err != nil {
			probs = append(probs, "thời hạn không hợp lệ: "+motcua.ErrorMessage(err))
		}
	}
	if !p.ServiceLevel.Valid() {
		probs = append(probs, "mức độ dịch vụ công trực tuyến không hợp lệ")
	}
	for _, f := range p.Fees {
		if f.Amount != nil && *f.Amount < 0 {
			probs = append(probs, "mức phí âm")
			break
		}
	}
	if len(probs) == 0 {
		return ""
	}
	return "Dữ liệu quốc gia chưa dùng được: " + strings.Join(probs, "; ") + "."
}

// diffAgencies compares the national list of agencies with motcua's by
// e-ID code. Nothing is changed from it: an administrator decides.
func diffAgencies(national []motcua.NationalAgency, local []*motcua.Agency) []motcua.ListDiff {
	byCode := map[string]*motcua.Agency{}
	for _, a := range local {
		byCode[a.Code] = a
	}
	var out []motcua.ListDiff
	seen := map[string]bool{}
	for _, n := range national {
		code := strings.TrimSpace(n.Code)
		if code == "" || seen[code] {
			continue
		}
		seen[code] = true
		switch a := byCode[code]; {
		case a == nil:
			out = append(out, motcua.ListDiff{Code: code, Kind: "missing_local", National: n.Name})
		case !strings.EqualFold(strings.TrimSpace(a.Name), strings.TrimSpace(n.Name)):
			out = append(out, motcua.ListDiff{Code: code, Kind: "name_differs", National: n.Name, Local: a.Name})
		}
	}
	for _, a := range local {
		if !seen[a.Code] {
			out = append(out, motcua.ListDiff{Code: a.Code, Kind: "missing_national", Local: a.Name})
		}
	}
	return capDiffs(out)
}

// diffFields compares the national list of fields with the field codes the
// catalogue uses.
func diffFields(national []motcua.NationalField, local []*motcua.Procedure) []motcua.ListDiff {
	names := map[string]string{}
	for _, p := range local {
		if p.FieldCode != "" {
			names[p.FieldCode] = p.FieldName
		}
	}
	var out []motcua.ListDiff
	seen := map[string]bool{}
	for _, f := range national {
		code := strings.TrimSpace(f.Code)
		if code == "" || seen[code] {
			continue
		}
		seen[code] = true
		if name, ok := names[code]; ok && !strings.EqualFold(strings.TrimSpace(name), strings.TrimSpace(f.Name)) {
			out = append(out, motcua.ListDiff{Code: code, Kind: "name_differs", National: f.Name, Local: name})
		}
	}
	var codes []string
	for code := range names {
		if !seen[code] {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	for _, code := range codes {
		out = append(out, motcua.ListDiff{Code: code, Kind: "missing_national", Local: names[code]})
	}
	return capDiffs(out)
}

func capDiffs(d []motcua.ListDiff) []motcua.ListDiff {
	if len(d) > maxImportListDiffs {
		return d[:maxImportListDiffs]
	}
	return d
}

// ImportProgress is the import running on this instance, if any, and the
// outcome of the last one.
type ImportProgress struct {
	Running   bool
	Done      int
	Total     int
	StartedAt time.Time
	// LastRunID is the run the last finished import stored (0 if none);
	// LastError says why the last one stored nothing.
	LastRunID int64
	LastError string
}

// importTracker holds the background import of this instance.
type importTracker struct {
	mu     sync.Mutex
	cur    ImportProgress
	cancel context.CancelFunc
}

// StartCatalogueImport runs ImportCatalogue in the background for the
// caller (pages poll CatalogueImportProgress); one import at a time per
// instance. The import outlives the request but not CancelCatalogueImport.
// Errors: as ImportCatalogue's checks, and ECONFLICT import_running.
func (s *Service) StartCatalogueImport(ctx context.Context) error {
	if _, err := s.mayImport(ctx); err != nil {
		return err
	}
	if s.cfg.Catalogue == nil {
		return errSourceOff()
	}
	t := &s.imports
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cur.Running {
		return motcua.Errorf(motcua.ECONFLICT, "import_running", "Đang có một lần nhập danh mục chạy; vui lòng chờ hoặc dừng lần nhập đó.")
	}
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	t.cur = ImportProgress{Running: true, StartedAt: s.now(), LastRunID: t.cur.LastRunID}
	t.cancel = cancel
	go func() {
		defer cancel()
		run, err := s.ImportCatalogue(bg, func(done, total int) {
			t.mu.Lock()
			t.cur.Done, t.cur.Total = done, total
			t.mu.Unlock()
		})
		t.mu.Lock()
		defer t.mu.Unlock()
		t.cur.Running, t.cancel = false, nil
		if err != nil {
			t.cur.LastError = motcua.ErrorMessage(err)
			return
		}
		t.cur.LastRunID, t.cur.LastError = run.ID, ""
	}()
	return nil
}

// CatalogueImportProgress returns the state of this instance's import.
// Errors: EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) CatalogueImportProgress(ctx context.Context) (ImportProgress, error) {
	if _, err := s.mayImport(ctx); err != nil {
		return ImportProgress{}, err
	}
	s.imports.mu.Lock()
	defer s.imports.mu.Unlock()
	return s.imports.cur, nil
}

// CancelCatalogueImport stops this instance's running import, which then
// stores nothing. Errors: EUNAUTHORIZED, EFORBIDDEN, ECONFLICT
// import_not_running.
func (s *Service) CancelCatalogueImport(ctx context.Context) error {
	if _, err := s.mayImport(ctx); err != nil {
		return err
	}
	s.imports.mu.Lock()
	defer s.imports.mu.Unlock()
	if !s.imports.cur.Running || s.imports.cancel == nil {
		return motcua.Errorf(motcua.ECONFLICT, "import_not_running", "Không có lần nhập danh mục nào đang chạy.")
	}
	s.imports.cancel()
	return nil
}

// ImportRuns lists the latest import runs, newest first.
// Errors: EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) ImportRuns(ctx context.Context) ([]*motcua.ImportRun, error) {
	if _, err := s.mayImport(ctx); err != nil {
		return nil, err
	}
	var out []*motcua.ImportRun
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { out, err = tx.ImportRuns(ctx, 50); return err })
	return out, err
}

// ImportRun returns one run with its items of kind (all kinds when empty).
// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID (unknown kind).
func (s *Service) ImportRun(ctx context.Context, id int64, kind motcua.ImportKind) (*motcua.ImportRun, []*motcua.ImportItem, error) {
	if _, err := s.mayImport(ctx); err != nil {
		return nil, nil, err
	}
	if kind != "" && !kind.Valid() {
		return nil, nil, motcua.Errorf(motcua.EINVALID, "import_kind_invalid", "Loại thay đổi không hợp lệ.")
	}
	var run *motcua.ImportRun
	var items []*motcua.ImportItem
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if run, err = tx.ImportRun(ctx, id); err != nil {
			return err
		}
		items, err = tx.ImportItems(ctx, id, kind)
		return err
	})
	return run, items, err
}
