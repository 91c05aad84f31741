package demo

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// Portal is the national portal as the demo drives it: a citizen submits
// an online dossier there, sends a supplement, asks to withdraw. The
// portal's simulator implements it over HTTP (cmd/motcua adapts it), so
// every online dossier of the demo reaches motcua by the real path: a
// signed message to motcua's endpoint.
type Portal interface {
	Submit(ctx context.Context, d OnlineDossier) (nationalCode string, err error)
	Supplement(ctx context.Context, nationalCode, note string, files []OnlineFile) error
	Withdraw(ctx context.Context, nationalCode, reason string) error
}

// OnlineDossier is what a citizen submits on the portal.
type OnlineDossier struct {
	ProcedureCode string
	AgencyCode    string
	Applicant     motcua.Applicant
	Summary       string
	Files         []OnlineFile
}

// OnlineFile is a document the citizen attaches, for a component named as
// in the procedure.
type OnlineFile struct {
	Component string
	Seq       int
	Name      string
	Data      []byte
}

// OnlineOptions configure ForwardOnline.
type OnlineOptions struct {
	Service *service.Service // the running system's service (real clock)
	Store   motcua.Store
	Portal  Portal
}

// ForwardOnline has citizens submit online dossiers on the portal and the
// demo staff act on them through the service, leaving one in each state an
// online dossier goes through: waiting for the counter's decision,
// refused at reception, accepted and at appraisal, waiting for a
// supplement, completed by an online supplement, withdrawn at the citizen's
// request through the portal, and returned with its result. It returns the
// national codes by the state each was left in.
func ForwardOnline(ctx context.Context, o OnlineOptions) (map[string]motcua.State, error) {
	as := func(username string) (context.Context, error) {
		var u *motcua.User
		err := o.Store.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, username); return err })
		return motcua.NewContextWithUser(ctx, u), err
	}
	p, err := o.Service.ProcedureByCode(ctx, "1.004837")
	if err != nil {
		return nil, err
	}
	people := []motcua.Applicant{
		{FullName: "Nguyễn Thị Thu Hà", IDNumber: "001190004321", Phone: "0987001122", Address: "Ấp Trung, xã An Phú"},
		{FullName: "Trần Văn Bình", IDNumber: "001085007788", Phone: "0912003344", Address: "Ấp Bắc, xã An Phú"},
		{FullName: "Lê Thị Hồng", IDNumber: "001192001234", Phone: "0903005566", Address: "Ấp Nam, xã An Phú"},
		{FullName: "Phạm Quốc Cường", IDNumber: "001088009876", Phone: "0938007788", Address: "Ấp Đông, xã An Phú"},
		{FullName: "Võ Thị Mai", IDNumber: "001195006543", Phone: "0977009900", Address: "Ấp Tây, xã An Phú"},
		{FullName: "Đặng Văn Hải", IDNumber: "001080002468", Phone: "0965001357", Address: "Ấp Trung, xã An Phú"},
		{FullName: "Huỳnh Thị Lan", IDNumber: "001193003579", Phone: "0944002468", Address: "Ấp Bắc, xã An Phú"},
	}
	out := map[string]motcua.State{}
	var codes []string
	for i, a := range people {
		a.Kind, a.IDKind = motcua.ApplicantCitizen, motcua.IDPersonal
		d := OnlineDossier{ProcedureCode: p.Code, AgencyCode: "H99.101", Applicant: a,
			Summary: "Đăng ký giám hộ (nộp trực tuyến trên Cổng Dịch vụ công quốc gia)"}
		for j, c := range p.Components {
			if c.FromNationalDB || c.Reusable {
				continue
			}
			d.Files = append(d.Files, OnlineFile{Component: c.Name, Seq: j + 1, Name: fmt.Sprintf("thanh-phan-%d.pdf", j+1),
				Data: ScanPDF(fmt.Sprintf("%s - thanh phan %d", a.IDNumber, j+1))})
		}
		code, err := o.Portal.Submit(ctx, d)
		if err != nil {
			return nil, fmt.Errorf("online dossier %d: %w", i+1, err)
		}
		codes = append(codes, code)
	}
	// The portal's code leads to motcua's through the sync records.
	local := func(national string) (string, error) {
		var code string
		err := o.Store.Read(ctx, func(tx motcua.Tx) error {
			st, err := tx.PortalSyncByNationalCode(ctx, national)
			if err != nil {
				return err
			}
			d, err := tx.Dossier(ctx, st.DossierID)
			if err == nil {
				code = d.Code
			}
			return err
		})
		return code, err
	}
	counter, err := as("motcua.anphu")
	if err != nil {
		return nil, err
	}
	specialist, err := as("cv.anphu")
	if err != nil {
		return nil, err
	}
	leader, err := as("ct.anphu")
	if err != nil {
		return nil, err
	}
	step := func(national string, who context.Context, in service.ActInput) error {
		code, err := local(national)
		if err != nil {
			return err
		}
		if _, err := o.Service.Act(who, code, in); err != nil {
			return fmt.Errorf("%s %s: %w", code, in.Action, err)
		}
		return nil
	}
	steps := func(national string, list ...func(string) error) error {
		for _, f := range list {
			if err := f(national); err != nil {
				return err
			}
		}
		return nil
	}
	do := func(who context.Context, a motcua.Action, reason string) func(string) error {
		return func(n string) error { return step(n, who, service.ActInput{Action: a, Reason: reason}) }
	}
	askFirst := func(n string) error {
		return step(n, specialist, service.ActInput{Action: motcua.ActRequestSupplement, Missing: []int64{p.Components[0].ID},
			Reason: "Tờ khai chưa ghi quan hệ giữa người giám hộ và người được giám hộ; đề nghị bổ sung tờ khai đã ghi đủ."})
	}
	supplement := func(n string) error {
		return o.Portal.Supplement(ctx, n, "Bổ sung tờ khai đã ghi quan hệ giám hộ.", []OnlineFile{{Component: p.Components[0].Name, Seq: 1,
			Name: "to-khai-bo-sung.pdf", Data: ScanPDF(n + " - to khai bo sung")}})
	}
	plan := []struct {
		state motcua.State
		steps []func(string) error
	}{
		{motcua.StateSubmitted, nil},
		{motcua.StateRejected, []func(string) error{do(counter, motcua.ActRefuse, "Thủ tục thuộc thẩm quyền của xã nơi cư trú của người được giám hộ (xã Bình Minh).")}},
		{motcua.StateProcessing, []func(string) error{do(counter, motcua.ActReceive, ""), do(counter, motcua.ActTransfer, "")}},
		{motcua.StateAwaitingSupplement, []func(string) error{do(counter, motcua.ActReceive, ""), do(counter, motcua.ActTransfer, ""), askFirst}},
		{motcua.StateProcessing, []func(string) error{do(counter, motcua.ActReceive, ""), do(counter, motcua.ActTransfer, ""), askFirst, supplement}},
		{motcua.StateWithdrawn, []func(string) error{do(counter, motcua.ActReceive, ""), func(n string) error {
			return o.Portal.Withdraw(ctx, n, "Gia đình đã thống nhất cử người giám hộ khác; xin rút hồ sơ.")
		}}},
		{motcua.StateReturned, []func(string) error{do(counter, motcua.ActReceive, ""), do(counter, motcua.ActTransfer, ""),
			do(specialist, motcua.ActForward, "Hồ sơ đủ điều kiện đăng ký giám hộ."), do(leader, motcua.ActApprove, ""),
			func(n string) error {
				return step(n, specialist, service.ActInput{Action: motcua.ActIssueResult, ResultNumber: "01/" + strconv.Itoa(o.Service.Now().Year()) + "/TLGH"})
			},
			do(counter, motcua.ActReturn, "")}},
	}
	for i, pl := range plan {
		if err := steps(codes[i], pl.steps...); err != nil {
			return nil, err
		}
		out[codes[i]] = pl.state
	}
	return out, nil
}

// ScanPDF returns a small, well-formed one-page PDF that stands for a
// citizen's scan: its page reads the given line (ASCII).
func ScanPDF(line string) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	text := "BT /F1 14 Tf 72 770 Td (" + pdfEscape(line) + ") Tj ET"
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(text), text))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

func pdfEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r > 0x7e:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
