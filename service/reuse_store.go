package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/motcua/motcua"
)

// storeTimeout bounds one question to the national store at the counter:
// a slow store must not hold the officer.
const storeTimeout = 4 * time.Second

// storeQuery is the question for the applicant's documents that the
// procedure p can reuse: narrowed to the document type codes when every
// reusable component has one (else names decide, so all are asked for).
func storeQuery(u *motcua.User, p *motcua.Procedure, idNumber string) motcua.StoreQuery {
	q := motcua.StoreQuery{OwnerID: idNumber, RequesterID: idNumber, RequesterName: u.FullName, Channel: motcua.ChannelCounter,
		ProcedureCode: p.Code}
	for _, c := range p.Components {
		if !c.Reusable {
			continue
		}
		if c.DocTypeCode == "" {
			return motcua.StoreQuery{OwnerID: q.OwnerID, RequesterID: q.RequesterID, RequesterName: q.RequesterName, Channel: q.Channel,
				ProcedureCode: q.ProcedureCode}
		}
		q.Wanted = append(q.Wanted, c.DocTypeCode)
	}
	return q
}

// storeResults lists the national store's documents of the applicant that
// match reusable components of p, leaving out those already listed from
// motcua's own results (the same number for the same component). A store
// that cannot answer leaves the list to motcua's results: the counter
// goes on with paper.
func (s *Service) storeResults(ctx context.Context, u *motcua.User, p *motcua.Procedure, idNumber string, have []motcua.EarlierResult) []motcua.EarlierResult {
	if s.cfg.ResultStore == nil {
		return nil
	}
	rctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	docs, err := s.cfg.ResultStore.Documents(rctx, storeQuery(u, p, idNumber))
	if err != nil {
		slog.Warn("national store unavailable", "err", err, "officer", u.Username)
		return nil
	}
	var out []motcua.EarlierResult
	for _, c := range p.Components {
		for _, d := range docs {
			if !motcua.StoreDocumentMatches(c, d) {
				continue
			}
			dup := false
			for _, h := range have {
				dup = dup || (h.ComponentID == c.ID && h.ResultNumber == d.Number)
			}
			if !dup {
				out = append(out, motcua.EarlierResult{Source: motcua.EarlierFromStore, ComponentID: c.ID, ResultCode: d.ResultCode,
					ResultName: d.Name, ResultNumber: d.Number, Issuer: d.Issuer})
			}
		}
	}
	return out
}

// checkStoreReuse verifies a component's claim to reuse a document of the
// national store: the store is asked again for the applicant's documents
// and must hold one with that code and number which matches the
// component; the component then records the number and where it came from
// (motcua.ReuseSourceStore and the code), and counts as taken from the
// store. *pp caches the current procedure across components.
func (s *Service) checkStoreReuse(ctx context.Context, n *NewDossier, c *ComponentInput, pp **motcua.Procedure) error {
	bad := motcua.FieldError("components", "reuse_invalid",
		"Giấy tờ được chọn từ Kho dữ liệu điện tử không phải của người nộp này hoặc không phù hợp với thành phần hồ sơ; vui lòng chọn lại.")
	code, number, ok := motcua.ParseStoreReuseRef(c.ReuseStore)
	if !ok {
		return bad
	}
	if s.cfg.ResultStore == nil {
		return motcua.FieldError("components", "store_off", "Hệ thống chưa kết nối Kho dữ liệu điện tử; vui lòng nhận giấy tờ của người nộp.")
	}
	if *pp == nil {
		p, err := s.currentProcedure(ctx, n.ProcedureID)
		if err != nil {
			return fieldNotFound(err)
		}
		*pp = p
	}
	p := *pp
	owner := motcua.NormalizeIDNumber(n.Applicant.IDNumber)
	if motcua.ValidateIDNumber(motcua.IDPersonal, owner) != nil {
		return bad
	}
	u := motcua.UserFromContext(ctx)
	if u == nil {
		return motcua.Errorf(motcua.EUNAUTHORIZED, "not_signed_in", "Vui lòng đăng nhập để tiếp tục.")
	}
	rctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	docs, err := s.cfg.ResultStore.Documents(rctx, storeQuery(u, p, owner))
	if err != nil {
		slog.Warn("national store unavailable at reception", "err", err, "officer", u.Username)
		return motcua.FieldError("components", "store_unavailable",
			"Kho dữ liệu điện tử không trả lời được để xác nhận giấy tờ đã chọn; vui lòng nhận giấy tờ của người nộp hoặc thử lại.")
	}
	var pc *motcua.Component
	for i := range p.Components {
		if p.Components[i].ID == c.ComponentID {
			pc = &p.Components[i]
		}
	}
	for _, d := range docs {
		if pc != nil && d.ResultCode == code && d.Number == number && motcua.StoreDocumentMatches(*pc, d) {
			c.Reused, c.TakenFromStore, c.ReusedResult, c.ReusedFrom = true, true, d.Number, motcua.ReuseSourceStore+d.ResultCode
			return nil
		}
	}
	return bad
}
