package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// ReviewImportItem records the administrator's decision on an item of a
// run: accepted (to publish, alone or with the others accepted) or not
// applied. Unchanged and published items cannot be reviewed.
// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, ECONFLICT.
func (s *Service) ReviewImportItem(ctx context.Context, runID, itemID int64, accept bool) (*motcua.ImportItem, error) {
	u, err := s.mayImport(ctx)
	if err != nil {
		return nil, err
	}
	var it *motcua.ImportItem
	err = s.store.Write(ctx, func(tx motcua.Tx) (err error) {
		if it, err = tx.ImportItem(ctx, runID, itemID); err != nil {
			return err
		}
		if err := reviewable(it); err != nil {
			return err
		}
		it.Status, it.ReviewedBy, it.ReviewedAt = motcua.ImportRejected, u.ID, s.now()
		if accept {
			it.Status = motcua.ImportAccepted
		}
		return tx.UpdateImportItem(ctx, it)
	})
	return it, err
}

func reviewable(it *motcua.ImportItem) error {
	switch {
	case it.Kind == motcua.ImportUnchanged:
		return motcua.Errorf(motcua.ECONFLICT, "import_item_unchanged", "Thủ tục %s không thay đổi: không có gì để cập nhật.", it.Code)
	case it.Status == motcua.ImportPublished:
		return motcua.Errorf(motcua.ECONFLICT, "import_item_published", "Thủ tục %s đã được cập nhật vào danh mục.", it.Code)
	}
	return nil
}

// PublishImportItem applies one item of a run to the catalogue, in one
// transaction with its audit entry:
//   - new: the procedure is added, unpublished, with the default process of
//     its level: an administrator sets its agency, process and (if to
//     confirm) time limit, then publishes it;
//   - changed: a new version with the national facts, keeping the
//     province's process, overrides, competent agency and publication; a
//     time limit the province confirmed is kept when the national data
//     gives only words;
//   - withdrawn: a new version, unpublished.
//
// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, ECONFLICT (unchanged,
// already published, rejected, the procedure changed since the import,
// the national record unusable), EINVALID (the result fails validation).
func (s *Service) PublishImportItem(ctx context.Context, runID, itemID int64) (*motcua.ImportItem, error) {
	u, err := s.mayImport(ctx)
	if err != nil {
		return nil, err
	}
	return s.publishItem(ctx, u, runID, itemID)
}

// PublishResult is what publishing all accepted items did.
type PublishResult struct {
	Published int
	// Failed names each accepted item left as it was, with the reason.
	Failed []PublishFailure
}

// PublishFailure is an accepted item that could not be published.
type PublishFailure struct {
	ItemID  int64
	Code    string
	Message string
}

// PublishAccepted publishes every accepted item of a run, each in its own
// transaction: one that cannot be applied (changed meanwhile, invalid) is
// reported and the others go on. Errors: EUNAUTHORIZED, EFORBIDDEN,
// ENOTFOUND (run).
func (s *Service) PublishAccepted(ctx context.Context, runID int64) (*PublishResult, error) {
	u, err := s.mayImport(ctx)
	if err != nil {
		return nil, err
	}
	var items []*motcua.ImportItem
	if err := s.store.Read(ctx, func(tx motcua.Tx) error {
		if _, err := tx.ImportRun(ctx, runID); err != nil {
			return err
		}
		items, err = tx.ImportItems(ctx, runID, "")
		return err
	}); err != nil {
		return nil, err
	}
	res := &PublishResult{}
	for _, it := range items {
		if it.Status != motcua.ImportAccepted {
			continue
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if _, err := s.publishItem(ctx, u, runID, it.ID); err != nil {
			if motcua.ErrorCode(err) == motcua.EINTERNAL {
				return res, err
			}
			msg := motcua.ErrorMessage(err)
			res.Failed = append(res.Failed, PublishFailure{ItemID: it.ID, Code: it.Code, Message: msg})
			// The reason stays on the item for the review page.
			it.Outcome = "Chưa cập nhật được: " + msg
			if err := s.store.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateImportItem(ctx, it) }); err != nil {
				return res, err
			}
			continue
		}
		res.Published++
	}
	return res, nil
}

func (s *Service) publishItem(ctx context.Context, u *motcua.User, runID, itemID int64) (*motcua.ImportItem, error) {
	now := s.now()
	var it *motcua.ImportItem
	var procID int64
	err := s.store.Write(ctx, func(tx motcua.Tx) (err error) {
		if it, err = tx.ImportItem(ctx, runID, itemID); err != nil {
			return err
		}
		if err := reviewable(it); err != nil {
			return err
		}
		if it.Status == motcua.ImportRejected {
			return motcua.Errorf(motcua.ECONFLICT, "import_item_rejected", "Thủ tục %s đã được đánh dấu không áp dụng; hãy chấp nhận lại trước khi cập nhật.", it.Code)
		}
		if it.Problem != "" {
			return motcua.Errorf(motcua.ECONFLICT, "import_item_problem", "%s", it.Problem)
		}
		var p *motcua.Procedure
		var outcome string
		switch it.Kind {
		case motcua.ImportNew:
			p, outcome, err = newFromNational(it, now)
			if err == nil {
				err = tx.CreateProcedure(ctx, p)
			}
		case motcua.ImportChanged, motcua.ImportWithdrawn:
			var cur *motcua.Procedure
			if cur, err = tx.Procedure(ctx, it.ProcedureID); err != nil {
				return err
			}
			if cur.Version != it.BaseVersion {
				return motcua.Errorf(motcua.ECONFLICT, "import_item_stale",
					"Thủ tục %s đã được sửa sau lần nhập này (phiên bản %d, lần nhập so với phiên bản %d): hãy nhập lại để so sánh với phiên bản mới nhất.",
					it.Code, cur.Version, it.BaseVersion)
			}
			if it.Kind == motcua.ImportChanged {
				p, outcome = changedFromNational(cur, it, now)
			} else {
				p = cur
				p.Published = false
				p.Notes = strings.TrimSpace(p.Notes + "\nNgừng công bố ngày " + motcua.FormatDate(now) +
					fmt.Sprintf(" theo lần nhập %d từ Cơ sở dữ liệu quốc gia: ", runID) + it.Diffs[0].New)
				outcome = "Đã ngừng công bố: thủ tục không còn nhận hồ sơ mới; hồ sơ đã nhận vẫn giải quyết theo phiên bản cũ."
			}
			p.UpdatedAt = now
			if err = p.Validate(); err == nil {
				err = tx.UpdateProcedure(ctx, p)
			}
		}
		if err != nil {
			return err
		}
		procID = p.ID
		it.Status, it.ReviewedBy, it.ReviewedAt = motcua.ImportPublished, u.ID, now
		it.ResultProcedureID, it.ResultVersion, it.Outcome = p.ID, p.Version, outcome
		if err := tx.UpdateImportItem(ctx, it); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditCataloguePublish,
			Detail: fmt.Sprintf("lần nhập %d: %s %s → thủ tục %d phiên bản %d", runID, it.Kind.Label(), it.Code, p.ID, p.Version)})
	})
	if err != nil {
		return nil, err
	}
	s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheCatalogue}, procVersionKey(procID))
	return it, nil
}

// nationalSource is the source line a publication adds to a procedure.
func nationalSource(runID int64, now time.Time) string {
	return fmt.Sprintf("%s (lần nhập %d, %s)", nationalSourcePrefix, runID, motcua.FormatDate(now))
}

const nationalSourcePrefix = "Cơ sở dữ liệu quốc gia về thủ tục hành chính"

// withNationalSource replaces an earlier import's source line.
func withNationalSource(sources []string, line string) []string {
	out := make([]string, 0, len(sources)+1)
	for _, s := range sources {
		if !strings.HasPrefix(s, nationalSourcePrefix+" (lần nhập") {
			out = append(out, s)
		}
	}
	return append(out, line)
}

// newFromNational makes the procedure a new item adds: unpublished, with
// the default process of its level.
func newFromNational(it *motcua.ImportItem, now time.Time) (*motcua.Procedure, string, error) {
	n := it.National.Procedure
	p := &motcua.Procedure{Code: it.Code, Name: strings.TrimSpace(n.Name), FieldCode: n.FieldCode, FieldName: n.FieldName,
		Level: n.Level, ServiceLevel: n.ServiceLevel, TimeLimit: n.TimeLimit, NoTimeLimit: n.NoTimeLimit,
		TimeLimitText: nationalTimeLimitText(it.National), Components: mergeComponents(nil, n.Components),
		Fees: n.Fees, Results: n.Results, LegalBasis: n.LegalBasis, Process: motcua.DefaultProcess(n.Level),
		Sources: []string{nationalSource(it.RunID, now)}, UpdatedAt: now}
	if p.TimeLimit != nil {
		p.TimeLimitText = ""
	}
	if err := p.Validate(); err != nil {
		return nil, "", err
	}
	todo := []string{"kiểm tra quy trình xử lý (đang là quy trình mặc định của " + strings.ToLower(p.Level.Label()) + ")"}
	if p.Level == motcua.LevelProvince {
		todo = append([]string{"chọn cơ quan giải quyết"}, todo...)
	}
	if p.TimeLimit == nil && !p.NoTimeLimit {
		if p.TimeLimitText != "" {
			todo = append(todo, "đặt thời hạn giải quyết (dữ liệu quốc gia ghi: \""+p.TimeLimitText+"\")")
		} else {
			todo = append(todo, "đặt thời hạn giải quyết (dữ liệu quốc gia không ghi)")
		}
	}
	return p, "Đã thêm vào danh mục ở trạng thái chưa công bố. Trước khi công bố cần: " + strings.Join(todo, "; ") + ".", nil
}

// changedFromNational is the next version of cur with the national facts
// of it, keeping what the province set.
func changedFromNational(cur *motcua.Procedure, it *motcua.ImportItem, now time.Time) (*motcua.Procedure, string) {
	n, text := it.National.Procedure, nationalTimeLimitText(it.National)
	p := *cur
	p.Name, p.FieldCode, p.FieldName, p.Level = strings.TrimSpace(n.Name), n.FieldCode, n.FieldName, n.Level
	if n.ServiceLevel != "" {
		p.ServiceLevel = n.ServiceLevel
	}
	var notes []string
	switch {
	case n.TimeLimit != nil:
		tl := *n.TimeLimit
		p.TimeLimit, p.NoTimeLimit, p.TimeLimitText = &tl, false, ""
	case n.NoTimeLimit:
		p.TimeLimit, p.NoTimeLimit, p.TimeLimitText = nil, true, ""
	case text != "":
		p.TimeLimitText = text
		if cur.TimeLimit != nil {
			notes = append(notes, "giữ thời hạn tỉnh đã xác nhận ("+cur.TimeLimit.String()+"); dữ liệu quốc gia ghi \""+text+"\" — kiểm tra lại nếu khác")
		} else if !cur.NoTimeLimit {
			notes = append(notes, "thời hạn cần xác nhận (dữ liệu quốc gia ghi \""+text+"\"): thủ tục chưa nhận hồ sơ cho đến khi đặt thời hạn")
		}
	default:
		if cur.TimeLimit != nil {
			notes = append(notes, "dữ liệu quốc gia không ghi thời hạn: giữ thời hạn tỉnh đã xác nhận ("+cur.TimeLimit.String()+")")
		}
	}
	p.Components = mergeComponents(cur.Components, n.Components)
	p.Fees, p.Results, p.LegalBasis = n.Fees, n.Results, n.LegalBasis
	p.Sources = withNationalSource(cur.Sources, nationalSource(it.RunID, now))
	if cur.Level != p.Level {
		notes = append(notes, "cấp thực hiện đổi: kiểm tra lại quy trình xử lý của tỉnh (được giữ nguyên)")
	}
	if d, expired := p.ExpiredAt(now); expired && d.EffectiveTo != nil && p.Published {
		p.Published = false
		notes = append(notes, "căn cứ pháp lý "+d.Number+" đã hết hiệu lực: thủ tục bị ngừng công bố")
	}
	out := "Đã tạo phiên bản mới, giữ quy trình, cơ quan giải quyết và các thiết lập riêng của tỉnh."
	if len(notes) > 0 {
		out += " Lưu ý: " + strings.Join(notes, "; ") + "."
	}
	return &p, out
}
