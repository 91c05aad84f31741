package service

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// CitizenDossier is one of the signed-in citizen's dossiers as they see
// it: where it is, in plain words, what it still needs from them, and
// whether its electronic result can be downloaded.
type CitizenDossier struct {
	Code          string
	ProcedureName string
	Agency        string
	State         motcua.State
	StateLabel    string
	// Progress says in plain words where the dossier is and what comes
	// next.
	Progress   string
	ReceivedAt time.Time
	DueAt      time.Time
	FinishedAt time.Time
	ReturnedAt time.Time
	Timeliness motcua.Timeliness
	// Supplement is the open supplement request, nil when none.
	Supplement *CitizenSupplement
	// ResultNumber is the result's document number; ResultFile says an
	// electronic (signed) result can be downloaded.
	ResultNumber string
	ResultFile   bool
	// Timeline is the dossier's history (only in MyDossier).
	Timeline []PublicStep
}

// CitizenSupplement is a supplement request in the citizen's words: which
// documents, why, and until when.
type CitizenSupplement struct {
	Documents   []string
	Reason      string
	RequestedAt time.Time
	Until       time.Time
}

// progress says where a dossier is, in plain words.
func progress(d *motcua.Dossier, agency string) string {
	st := &d.Status
	due := ""
	if !st.DueAt.IsZero() {
		due = " Ngày hẹn trả kết quả: " + motcua.FormatDate(st.DueAt) + "."
	}
	switch st.State {
	case motcua.StateSubmitted:
		return "Hồ sơ đã được gửi và đang chờ cán bộ " + agency + " kiểm tra, tiếp nhận."
	case motcua.StateReceived, motcua.StateProcessing:
		return "Hồ sơ đã được tiếp nhận và đang được " + agency + " giải quyết." + due
	case motcua.StateAwaitingSupplement:
		return "Hồ sơ đang tạm dừng vì cần bổ sung giấy tờ (xem bên dưới). Khi nộp đủ, hồ sơ được giải quyết tiếp."
	case motcua.StateApproved:
		return "Hồ sơ đã được phê duyệt; kết quả đang được ban hành." + due
	case motcua.StateResultReady:
		return "Đã có kết quả. Mời ông/bà nhận kết quả theo hình thức đã đăng ký hoặc tải kết quả điện tử bên dưới."
	case motcua.StateReturned:
		return "Đã trả kết quả ngày " + motcua.FormatDate(st.ReturnedAt) + "."
	case motcua.StateRefused:
		return "Cơ quan giải quyết đã từ chối hồ sơ và có văn bản nêu rõ lý do; mời ông/bà nhận văn bản tại nơi nộp hồ sơ."
	case motcua.StateRejected:
		return "Hồ sơ không được tiếp nhận; lý do đã được ghi trong phiếu từ chối tiếp nhận."
	case motcua.StateWithdrawn:
		return "Hồ sơ đã được rút theo đề nghị của ông/bà."
	case motcua.StateStopped:
		return "Việc giải quyết hồ sơ đã dừng."
	case motcua.StateClosed:
		return "Hồ sơ đã đóng vì không nhận được giấy tờ bổ sung trong thời hạn."
	}
	return st.State.Label()
}

// citizenView maps a dossier for its applicant, with the procedure
// version p (for the names of the documents a supplement asks for).
func (s *Service) citizenView(d *motcua.Dossier, p *motcua.Procedure, byID map[int64]*motcua.Agency) CitizenDossier {
	agency := "cơ quan có thẩm quyền"
	if a := byID[d.CompetentAgencyID]; a != nil {
		agency = a.Name
	}
	st := &d.Status
	v := CitizenDossier{Code: d.Code, ProcedureName: d.ProcedureName, Agency: agency, State: st.State, StateLabel: st.State.Label(),
		Progress: progress(d, agency), ReceivedAt: st.ReceivedAt, DueAt: st.DueAt, FinishedAt: st.FinishedAt, ReturnedAt: st.ReturnedAt,
		Timeliness: st.Result(s.now(), motcua.VietnamTime), ResultNumber: st.ResultNumber, ResultFile: st.ResultFileRef != ""}
	if n := len(st.Supplements); st.State == motcua.StateAwaitingSupplement && n > 0 {
		sup := st.Supplements[n-1]
		cs := &CitizenSupplement{Reason: sup.Reason, RequestedAt: sup.RequestedAt, Until: sup.Deadline}
		if p != nil {
			for _, c := range p.Components {
				if slices.Contains(sup.Missing, c.ID) {
					cs.Documents = append(cs.Documents, c.Name)
				}
			}
		}
		v.Supplement = cs
	}
	return v
}

// MyDossiers lists the signed-in citizen's dossiers across agencies (those
// whose applicant carries their verified ID number), newest first. The
// view is logged. Errors: EUNAUTHORIZED.
func (s *Service) MyDossiers(ctx context.Context) ([]CitizenDossier, error) {
	c, err := citizen(ctx)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var out []CitizenDossier
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		ds, err := tx.DossiersOfApplicant(ctx, c.IDNumber, 200)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if d.Applicant.IDNumber != c.IDNumber {
				continue // the store's answer is checked, not believed
			}
			var p *motcua.Procedure
			if d.Status.State == motcua.StateAwaitingSupplement {
				if p, err = s.procedureVersion(ctx, tx, d.ProcedureID, d.ProcedureVersion); err != nil {
					return err
				}
			}
			out = append(out, s.citizenView(d, p, byID))
		}
		return nil
	})
	return out, err
}

// myDossier finds the citizen's dossier with code; a dossier of anyone
// else is ENOTFOUND, as one that does not exist.
func (s *Service) myDossier(ctx context.Context, tx motcua.Tx, c *motcua.CitizenSession, code string) (*motcua.Dossier, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	notFound := motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ %s trong các hồ sơ của ông/bà.", code)
	if code == "" || len(code) > 64 {
		return nil, notFound
	}
	d, err := tx.DossierByCode(ctx, code)
	if motcua.ErrorCode(err) == motcua.ENOTFOUND || (err == nil && d.Applicant.IDNumber != c.IDNumber) {
		return nil, notFound
	}
	return d, err
}

// MyDossier returns one of the signed-in citizen's dossiers with its
// timeline; the view is logged. Errors: EUNAUTHORIZED, ENOTFOUND (no such
// dossier of theirs).
func (s *Service) MyDossier(ctx context.Context, code, ip string) (*CitizenDossier, error) {
	c, err := citizen(ctx)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var out CitizenDossier
	var dossierID int64
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		d, err := s.myDossier(ctx, tx, c, code)
		if err != nil {
			return err
		}
		p, err := s.procedureVersion(ctx, tx, d.ProcedureID, d.ProcedureVersion)
		if err != nil {
			return err
		}
		evs, err := tx.Events(ctx, d.ID)
		if err != nil {
			return err
		}
		out, dossierID = s.citizenView(d, p, byID), d.ID
		for _, e := range evs {
			name := ""
			if a := byID[e.ActorAgencyID]; a != nil {
				name = a.Name
			}
			out.Timeline = append(out.Timeline, PublicStep{At: e.At, Action: e.Action, Label: e.Action.Label(), Agency: name, Timeliness: e.Timeliness})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), Action: AuditCitizenView, DossierID: dossierID,
			Detail: "công dân " + c.IDNumber + " xem hồ sơ của mình " + out.Code, IP: ip})
	})
	return &out, err
}

// MyResult opens the signed electronic result of one of the citizen's
// dossiers; every download is logged. The caller closes the reader.
// Errors: EUNAUTHORIZED, ENOTFOUND (no such dossier of theirs, or no
// signed electronic result), EFORBIDDEN (documents off).
func (s *Service) MyResult(ctx context.Context, code, ip string) (*motcua.DossierFile, io.ReadCloser, error) {
	c, err := citizen(ctx)
	if err != nil {
		return nil, nil, err
	}
	if s.cfg.Blobs == nil {
		return nil, nil, documentsOff()
	}
	var f *motcua.DossierFile
	var d *motcua.Dossier
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		if d, err = s.myDossier(ctx, tx, c, code); err != nil {
			return err
		}
		id, perr := strconv.ParseInt(d.Status.ResultFileRef, 10, 64)
		if perr != nil || id <= 0 {
			return motcua.Errorf(motcua.ENOTFOUND, "result_file_not_found", "Hồ sơ chưa có kết quả điện tử để tải về.")
		}
		f, err = tx.DossierFile(ctx, d.ID, id)
		if err == nil && (f.ComponentID != motcua.ResultComponent || !f.Signed()) {
			err = motcua.Errorf(motcua.ENOTFOUND, "result_file_not_found", "Hồ sơ chưa có kết quả điện tử đã ký số để tải về.")
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	rc, err := s.cfg.Blobs.Get(ctx, f.BlobKey)
	if err != nil {
		return nil, nil, fmt.Errorf("open result %s: %v", f.BlobKey, err)
	}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), Action: AuditCitizenDownload, DossierID: d.ID,
			Detail: fmt.Sprintf("công dân %s tải kết quả %s (tệp %d) của hồ sơ %s", c.IDNumber, f.DocCode, f.ID, d.Code), IP: ip})
	}); err != nil {
		rc.Close()
		return nil, nil, fmt.Errorf("audit result download: %w", err)
	}
	return f, rc, nil
}

// MyStoredResults lists the citizen's results kept in the province's store
// of personal e-data, newest first. Errors: EUNAUTHORIZED.
func (s *Service) MyStoredResults(ctx context.Context) ([]*motcua.PersonalResult, error) {
	c, err := citizen(ctx)
	if err != nil {
		return nil, err
	}
	var out []*motcua.PersonalResult
	err = s.store.Read(ctx, func(tx motcua.Tx) (err error) { out, err = tx.PersonalResults(ctx, c.IDNumber, 100); return err })
	return slices.DeleteFunc(out, func(r *motcua.PersonalResult) bool { return r.IDNumber != c.IDNumber }), err
}
