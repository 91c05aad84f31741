package service

import (
	"context"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// PublicStep is one line of the public timeline: what happened, when, at
// which agency, and whether it was on time. It names no person.
type PublicStep struct {
	At         time.Time         `json:"at"`
	Action     motcua.Action     `json:"action"`
	Label      string            `json:"label"`
	Agency     string            `json:"agency"`
	Timeliness motcua.Timeliness `json:"timeliness,omitempty"`
}

// PublicDossier is what anyone holding a dossier's code and verifier may
// see: its status and timeline, without personal data.
type PublicDossier struct {
	Code          string            `json:"code"`
	ProcedureCode string            `json:"procedure_code"`
	ProcedureName string            `json:"procedure_name"`
	Agency        string            `json:"agency"`
	State         motcua.State      `json:"state"`
	StateLabel    string            `json:"state_label"`
	ReceivedAt    time.Time         `json:"received_at,omitzero"`
	DueAt         time.Time         `json:"due_at,omitzero"`
	FinishedAt    time.Time         `json:"finished_at,omitzero"`
	ReturnedAt    time.Time         `json:"returned_at,omitzero"`
	Timeliness    motcua.Timeliness `json:"timeliness,omitempty"`
	// SupplementDeadline is set while the dossier waits for the applicant.
	SupplementDeadline time.Time    `json:"supplement_deadline,omitzero"`
	Timeline           []PublicStep `json:"timeline"`
	// ResultDocCode is the document code of the signed electronic result
	// the dossier was issued with, which the holder of the code and
	// verifier may download (ResultDownload); "" when there is none.
	ResultDocCode string `json:"result_doc_code,omitempty"`
}

// Lookup returns the public view of a dossier to whoever gives its code
// and either the secret of the receipt's QR link (Dossier.LookupSecret) or
// the verifier typed by hand (the last four digits of the applicant's
// phone, or of the ID number); ip is the client's address. A wrong
// verifier and an unknown code get the same ENOTFOUND.
//
// Guessing is limited per client address (an IPv6 /64), never per code:
// a limit on the code would let a stranger lock the citizen out of their
// own dossier by guessing wrong ten times. An address with too many
// failures in the window gets ETOOMANY for every code; the count is
// reserved before each try, so that concurrent guesses cannot slip past
// it, and given back when the try succeeds.
func (s *Service) Lookup(ctx context.Context, code, verifier, ip string) (*PublicDossier, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	verifier = strings.TrimSpace(verifier)
	now := s.now()
	notFound := motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found",
		"Không tìm thấy hồ sơ với mã và số kiểm tra đã nhập. Vui lòng kiểm tra lại mã hồ sơ trên giấy tiếp nhận và 4 số cuối điện thoại đã đăng ký.")
	if code == "" || len(code) > 64 || verifier == "" || len(verifier) > 64 {
		return nil, notFound
	}
	// The QR link's secret is not limited: guessing 128 random bits is
	// hopeless, and so a citizen holding the receipt is never turned away,
	// whatever a stranger on the same address did.
	link := len(verifier) == motcua.LookupSecretLen
	addr := "lookup " + addressKey(ip)
	if !link && !s.lookups.attempt(addr, now) {
		return nil, motcua.Errorf(motcua.ETOOMANY, "too_many_lookup_failures",
			"Tra cứu sai quá nhiều lần từ địa chỉ này; vui lòng thử lại sau 15 phút, hoặc quét mã QR trên giấy tiếp nhận.")
	}
	rec, hit, gen := s.public.get(code, now)
	var err error
	if !hit {
		err = s.store.Read(ctx, func(tx motcua.Tx) (err error) {
			rec, err = tx.PublicDossier(ctx, code)
			return err
		})
		if err == nil {
			s.public.put(code, rec, gen, now)
		}
	}
	if err == nil && !verifierMatches(rec.Verifier, verifier) && !verifierMatches(rec.Secret, verifier) {
		err = notFound
	}
	if err != nil {
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			if !link {
				s.tellOthers(ctx, motcua.CacheKey{Kind: motcua.CacheLookupFailure, Key: addr})
			}
			return nil, notFound
		}
		if !link {
			s.lookups.refund(addr) // the system failed, not the guess
		}
		return nil, err
	}
	if !link {
		s.lookups.refund(addr)
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	name := func(id int64) string {
		if a, ok := byID[id]; ok {
			return a.Name
		}
		return ""
	}
	st := &rec.Status
	p := &PublicDossier{Code: rec.Code, ProcedureCode: rec.ProcedureCode, ProcedureName: rec.ProcedureName,
		Agency: name(rec.CompetentAgencyID), State: st.State, StateLabel: st.State.Label(), ReceivedAt: st.ReceivedAt,
		DueAt: st.DueAt, FinishedAt: st.FinishedAt, ReturnedAt: st.ReturnedAt,
		Timeliness: st.Result(now, motcua.VietnamTime), Timeline: make([]PublicStep, 0, len(rec.Events))}
	if st.State == motcua.StateAwaitingSupplement {
		p.SupplementDeadline = st.ActionDueAt
	}
	for _, e := range rec.Events {
		p.Timeline = append(p.Timeline, PublicStep{At: e.At, Action: e.Action, Label: e.Action.Label(),
			Agency: name(e.AgencyID), Timeliness: e.Timeliness})
	}
	if st.State == motcua.StateResultReady || st.State == motcua.StateReturned {
		if err := s.store.Read(ctx, func(tx motcua.Tx) error {
			f, err := s.issuedResultFile(ctx, tx, rec.ID, st.State)
			if f != nil {
				p.ResultDocCode = f.DocCode
			}
			return err
		}); err != nil {
			return nil, err
		}
	}
	return p, nil
}
