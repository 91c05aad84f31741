package pdf

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Renderer renders the forms with the configured numbers and titles.
type Renderer struct {
	Forms Forms
	// LookupURL returns the public lookup address of a dossier, given
	// its code and lookup secret (motcua.Dossier.LookupSecret, "" for an
	// old dossier without one); the receipt prints it and encodes it in
	// its QR code.
	LookupURL func(code, secret string) string
}

// Dossier is a dossier with everything its forms print. Agencies must hold
// every agency its history names; Users gives people's names by ID for the
// control sheet (missing names are left blank for a handwritten one).
type Dossier struct {
	*motcua.Dossier
	Procedure *motcua.Procedure
	Events    []motcua.Event
	Agencies  map[int64]*motcua.Agency
	Point     *motcua.ReceptionPoint
	Users     map[int64]string
	PrintedAt time.Time
}

func (d *Dossier) agencyName(id int64) string {
	if a, ok := d.Agencies[id]; ok {
		return a.Name
	}
	return ""
}

// place is the place name of agency id's documents: that of its own name,
// else of the nearest body above it that names one.
func (d *Dossier) place(id int64) string {
	for i := 0; i < 10; i++ {
		a, ok := d.Agencies[id]
		if !ok {
			return ""
		}
		if p := placeOf(a.Name); p != "" {
			return p
		}
		id = a.ParentID
	}
	return ""
}

// superior is the name of the body above agency id ("" at the top).
func (d *Dossier) superior(id int64) string {
	if a, ok := d.Agencies[id]; ok {
		return d.agencyName(a.ParentID)
	}
	return ""
}

// last returns the last event of one of the actions.
func (d *Dossier) last(actions ...motcua.Action) (motcua.Event, bool) {
	for i := len(d.Events) - 1; i >= 0; i-- {
		for _, a := range actions {
			if d.Events[i].Action == a {
				return d.Events[i], true
			}
		}
	}
	return motcua.Event{}, false
}

// Available lists the forms that can be printed for the dossier now, each
// from the event it records.
func (d *Dossier) Available() []Form {
	out := []Form{}
	has := func(a ...motcua.Action) bool { _, ok := d.last(a...); return ok }
	if has(motcua.ActReceive) {
		out = append(out, FormReceipt)
	}
	if has(motcua.ActRequestSupplement) {
		out = append(out, FormSupplement)
	}
	if has(motcua.ActRefuse) {
		out = append(out, FormRefusal)
	}
	if has(motcua.ActExtend) {
		out = append(out, FormExtension)
	}
	if has(motcua.ActStop, motcua.ActWithdraw, motcua.ActClose) {
		out = append(out, FormStop)
	}
	if has(motcua.ActTransfer) {
		out = append(out, FormTransfer)
	}
	return append(out, FormControl)
}

// Render writes one dossier form. Errors: ECONFLICT when the dossier has no
// event the form records (a receipt for a dossier never received, …).
func (r *Renderer) Render(w io.Writer, form Form, d *Dossier) error {
	switch form {
	case FormReceipt:
		return r.Receipt(w, d)
	case FormSupplement:
		return r.Supplement(w, d)
	case FormRefusal:
		return r.Refusal(w, d)
	case FormExtension:
		return r.Extension(w, d)
	case FormStop:
		return r.Stop(w, d)
	case FormControl:
		return r.ControlSheet(w, d)
	case FormTransfer:
		return r.Transfer(w, d)
	}
	return motcua.Errorf(motcua.ENOTFOUND, "form_unknown", "Không có biểu mẫu \"%s\" cho hồ sơ.", form)
}

func noEvent(form string) error {
	return motcua.Errorf(motcua.ECONFLICT, "form_not_available", "Hồ sơ chưa có %s để in.", form)
}

// render writes a dossier form on the fast writer, and again through fpdf
// when one of its texts needs a glyph the fast fonts lack (another
// script, a rare symbol): both lay a form out alike, fpdf only costs
// more.
func render(form func(io.Writer, *Dossier, bool) error, w io.Writer, d *Dossier) error {
	err := form(w, d, true)
	if errors.Is(err, errGlyphs) {
		return form(w, d, false)
	}
	return err
}

func (r *Renderer) start(form Form, d *Dossier, agencyID int64, landscape, fast bool) *doc {
	t := r.Forms[form]
	doc := newDoc(landscape, t.Title+" – "+d.Code, fast)
	doc.header(t.Number, d.superior(agencyID), d.agencyName(agencyID), d.place(agencyID), d.PrintedAt)
	return doc
}

func idLabel(k motcua.IDKind) string {
	switch k {
	case motcua.IDTaxCode:
		return "Mã số thuế / mã số doanh nghiệp"
	case motcua.IDPassport:
		return "Số hộ chiếu"
	case motcua.IDOldCard:
		return "Số chứng minh nhân dân"
	}
	return "Số định danh cá nhân"
}

// applicant writes the applicant's lines.
func applicant(doc *doc, a motcua.Applicant, heading string) {
	for _, l := range applicantLines(a, heading) {
		doc.field(l[0], l[1])
	}
}

// applicantLines are the applicant's lines as label and value.
func applicantLines(a motcua.Applicant, heading string) [][2]string {
	out := [][2]string{{heading, a.FullName}, {idLabel(a.IDKind), a.IDNumber}}
	if a.Phone != "" || a.Email != "" {
		contact := a.Phone
		if a.Email != "" {
			contact = strings.TrimSpace(contact + "  –  Thư điện tử: " + a.Email)
		}
		out = append(out, [2]string{"Số điện thoại", contact})
	}
	if a.Address != "" {
		out = append(out, [2]string{"Địa chỉ", a.Address})
	}
	if a.OnBehalfOf != "" {
		out = append(out, [2]string{"Người nộp thay", a.OnBehalfOf})
	}
	return out
}

func returnPlace(d *Dossier) string {
	switch d.ReturnMethod {
	case "post":
		return "Qua dịch vụ bưu chính công ích, theo địa chỉ của người nộp hồ sơ"
	case "online":
		return "Trực tuyến, trên Cổng Dịch vụ công quốc gia (bản điện tử)"
	}
	if d.Point != nil {
		s := d.Point.Name
		if d.Point.Address != "" {
			s += " (" + d.Point.Address + ")"
		}
		return "Trực tiếp tại " + s
	}
	return "Trực tiếp tại " + d.agencyName(d.ReceptionAgencyID)
}

// Receipt writes the receipt and appointment (Giấy tiếp nhận hồ sơ và hẹn
// trả kết quả): the dossier code with a QR code that opens the public
// lookup, the applicant, the request, the components, the valid-reception
// time that starts the clock, the appointment, the place and manner of
// return (NĐ 118 Art.17(3), 22(3)) and the fees.
func (r *Renderer) Receipt(w io.Writer, d *Dossier) error { return render(r.receipt, w, d) }

func (r *Renderer) receipt(w io.Writer, d *Dossier, fast bool) error {
	ev, ok := d.last(motcua.ActReceive)
	if !ok {
		return noEvent("giấy tiếp nhận")
	}
	doc := r.start(FormReceipt, d, d.ReceptionAgencyID, false, fast)
	// The receipt is handed over as one sheet: catalogue component
	// names run to several lines each, so its text is set tighter.
	doc.size, doc.lineH = 10, 4.8
	doc.title(r.Forms[FormReceipt].Title, "")
	f := doc.f
	y := f.GetY()
	url := r.LookupURL(d.Code, d.LookupSecret)
	side := 30.0
	if err := doc.qr(url, doc.left+doc.width-side, y, side); err != nil {
		return err
	}
	f.SetY(y)
	textW := doc.width - side - 4
	line := func(label, value string) {
		doc.font("", doc.size)
		f.SetX(doc.left)
		lw := f.GetStringWidth(label + ": ")
		f.CellFormat(lw, doc.lineH, label+": ", "", 0, "L", false, 0, "")
		doc.font("B", doc.size)
		f.MultiCell(textW-lw, doc.lineH, doc.t(value), "", "L", false)
	}
	line("Mã số hồ sơ", d.Code)
	place := d.agencyName(d.ReceptionAgencyID)
	if d.Point != nil {
		place = d.Point.Name
	}
	doc.font("", doc.size)
	f.SetX(doc.left)
	f.MultiCell(textW, doc.lineH, doc.t("Bộ phận tiếp nhận và trả kết quả: "+place), "", "L", false)
	// The applicant's lines sit beside the QR code too, which would
	// otherwise leave its height blank.
	for _, l := range applicantLines(d.Applicant, "Tiếp nhận hồ sơ của") {
		line(l[0], l[1])
	}
	f.SetY(max(f.GetY(), y+side) + 1)
	req := d.ProcedureName
	if d.ProcedureCode != "" {
		req += " (mã thủ tục " + d.ProcedureCode + ")"
	}
	doc.field("Nội dung yêu cầu giải quyết", req)
	if d.Content != "" && !strings.Contains(d.Content, d.ProcedureName) {
		doc.item(d.Content)
	}
	doc.para("1. Thành phần hồ sơ gồm:")
	doc.size, doc.lineH = 9, 4.2
	comps := d.Procedure.Components
	for i, c := range d.Components {
		state := "chưa nộp"
		switch {
		case c.FromNationalDB:
			state = "không yêu cầu nộp, khai thác từ cơ sở dữ liệu quốc gia"
		case c.Reused:
			state = "tái sử dụng kết quả điện tử đã có"
		case c.Provided:
			state = "đã nộp"
			for _, pc := range comps {
				if pc.ID == c.ComponentID && (pc.Originals > 0 || pc.Copies > 0) {
					state += fmt.Sprintf(" (bản chính: %d, bản sao: %d)", pc.Originals, pc.Copies)
				}
			}
		}
		doc.item(fmt.Sprintf("%d) %s – %s.", i+1, strings.TrimRight(c.Name, ". "), state))
	}
	doc.size, doc.lineH = 10, 4.8
	doc.para("2. Số lượng hồ sơ: 01 (bộ).")
	limit := "Không quy định"
	if d.Procedure.TimeLimit != nil {
		limit = d.Procedure.TimeLimit.String()
	}
	doc.para("3. Thời gian giải quyết hồ sơ theo quy định: " + limit + ".")
	doc.para("4. Thời gian nhận hồ sơ: " + longTime(ev.At) + ".")
	due := "Không có thời hạn"
	if !ev.DueAt.IsZero() {
		due = longTime(ev.DueAt)
	}
	doc.para("5. Thời gian trả kết quả giải quyết hồ sơ: " + due + ".")
	doc.para("6. Nơi và hình thức nhận kết quả: " + returnPlace(d) + ".")
	doc.para("7. Phí, lệ phí: " + feeLine(d.Fees) + ".")
	doc.font("I", 9)
	f.SetX(doc.left)
	f.MultiCell(doc.width, 4.2, doc.t("Tra cứu tình trạng hồ sơ: quét mã QR trên giấy này, hoặc truy cập "+url+
		" (nhập mã số hồ sơ và 4 chữ số cuối của số điện thoại đã đăng ký, hoặc của số định danh khi không có điện thoại)."), "", "L", false)
	doc.signatures([2]string{"Người nộp hồ sơ", d.Applicant.FullName}, [2]string{"Người tiếp nhận hồ sơ", ev.ActorName})
	return doc.output(w)
}

// feeLine is what the receipt says after "Phí, lệ phí:": each fee with its
// name unless the name only repeats the heading ("Phí, lệ phí"), the total
// when there are several, "không thu" when all are nothing.
func feeLine(fees []motcua.DossierFee) string {
	if len(fees) == 0 {
		return "không thu hoặc theo quy định (không có mức cố định)"
	}
	var parts []string
	var total int64
	for _, fe := range fees {
		total += fe.Amount
		name := strings.TrimSpace(fe.Name)
		switch strings.Trim(strings.ToLower(nfc(name)), " .:") {
		case "", "phí, lệ phí", "phí và lệ phí", "phí", "lệ phí":
			parts = append(parts, money(fe.Amount))
		default:
			parts = append(parts, name+": "+money(fe.Amount))
		}
	}
	if total == 0 {
		return "không thu (0 đồng)"
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts, "; ") + ". Tổng cộng: " + money(total)
}

// Supplement writes the supplement request (Phiếu yêu cầu bổ sung, hoàn
// thiện hồ sơ) from the last request: what to supplement, with complete
// guidance once, the components missing and the deadline after which the
// dossier is closed.
func (r *Renderer) Supplement(w io.Writer, d *Dossier) error { return render(r.supplement, w, d) }

func (r *Renderer) supplement(w io.Writer, d *Dossier, fast bool) error {
	ev, ok := d.last(motcua.ActRequestSupplement)
	if !ok {
		return noEvent("phiếu yêu cầu bổ sung")
	}
	doc := r.start(FormSupplement, d, d.ReceptionAgencyID, false, fast)
	doc.title(r.Forms[FormSupplement].Title, "")
	doc.field("Mã số hồ sơ", d.Code)
	applicant(doc, d.Applicant, "Kính gửi")
	doc.field("Thủ tục hành chính", d.ProcedureName)
	stage := "khi tiếp nhận hồ sơ"
	if ev.Stage == motcua.StageAppraisal {
		stage = "sau khi thẩm định hồ sơ"
	}
	doc.para(fmt.Sprintf("Ngày %s, %s đã kiểm tra hồ sơ (%s) và đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
		motcua.FormatDate(ev.At), d.agencyName(ev.ActorAgencyID), stage))
	doc.item(ev.Reason)
	if len(ev.Missing) > 0 {
		doc.para("Thành phần hồ sơ cần bổ sung:")
		for i, id := range ev.Missing {
			for _, c := range d.Procedure.Components {
				if c.ID == id {
					doc.item(fmt.Sprintf("%d) %s", i+1, c.Name))
				}
			}
		}
	}
	if !ev.ActionDueAt.IsZero() {
		doc.para("Thời hạn bổ sung: trước " + longTime(ev.ActionDueAt) + ". Quá thời hạn này mà chưa bổ sung, hồ sơ sẽ bị đóng trên hệ thống theo quy định tại Điều 19 Nghị định 118/2025/NĐ-CP.")
	}
	doc.para("Nội dung yêu cầu bổ sung được hướng dẫn đầy đủ, chính xác một lần. Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ Bộ phận Một cửa để được hướng dẫn.")
	doc.signatures([2]string{"Người nộp hồ sơ", d.Applicant.FullName}, [2]string{"Người hướng dẫn", ev.ActorName})
	return doc.output(w)
}

// Refusal writes the refusal (Phiếu từ chối tiếp nhận giải quyết hồ sơ)
// from the refusal event, at reception or after appraisal, with its reason.
func (r *Renderer) Refusal(w io.Writer, d *Dossier) error { return render(r.refusal, w, d) }

func (r *Renderer) refusal(w io.Writer, d *Dossier, fast bool) error {
	ev, ok := d.last(motcua.ActRefuse)
	if !ok {
		return noEvent("phiếu từ chối")
	}
	doc := r.start(FormRefusal, d, d.ReceptionAgencyID, false, fast)
	doc.title(r.Forms[FormRefusal].Title, "")
	doc.field("Mã số hồ sơ", d.Code)
	applicant(doc, d.Applicant, "Kính gửi")
	doc.field("Thủ tục hành chính", d.ProcedureName)
	when := "khi tiếp nhận"
	if ev.FromState == motcua.StateProcessing {
		when = "sau khi thẩm định"
	}
	doc.para(fmt.Sprintf("Ngày %s, %s từ chối giải quyết hồ sơ (%s) với lý do sau:", motcua.FormatDate(ev.At), d.agencyName(ev.ActorAgencyID), when))
	doc.item(ev.Reason)
	doc.para("Xin thông báo để ông/bà được biết.")
	doc.signatures([2]string{"Người nộp hồ sơ", d.Applicant.FullName}, [2]string{"Người thông báo", ev.ActorName})
	return doc.output(w)
}

// Extension writes the apology and extension request (Văn bản xin lỗi và
// đề nghị gia hạn thời gian giải quyết; under NĐ 61 "Phiếu xin lỗi và hẹn
// lại ngày trả kết quả") from the extension event: the reason for the
// delay, the apology and the new appointment (Art.19(6)).
func (r *Renderer) Extension(w io.Writer, d *Dossier) error { return render(r.extension, w, d) }

func (r *Renderer) extension(w io.Writer, d *Dossier, fast bool) error {
	ev, ok := d.last(motcua.ActExtend)
	if !ok {
		return noEvent("văn bản xin lỗi và gia hạn")
	}
	var oldDue time.Time
	for _, x := range d.Status.Extensions {
		if x.At.Equal(ev.At) {
			oldDue = x.OldDue
		}
	}
	doc := r.start(FormExtension, d, d.CompetentAgencyID, false, fast)
	doc.title(r.Forms[FormExtension].Title, "")
	applicant(doc, d.Applicant, "Kính gửi")
	doc.field("Mã số hồ sơ", d.Code)
	doc.para(fmt.Sprintf("Ngày %s, %s tiếp nhận hồ sơ đề nghị giải quyết thủ tục \"%s\" của ông/bà, hẹn trả kết quả vào %s.",
		motcua.FormatDate(d.Status.ReceivedAt), d.agencyName(d.ReceptionAgencyID), d.ProcedureName, longTime(oldDue)))
	doc.para("Tuy nhiên đến nay, " + d.agencyName(d.CompetentAgencyID) + " chưa giải quyết xong hồ sơ của ông/bà. Lý do:")
	doc.item(ev.Reason)
	doc.para("Sự chậm trễ này đã gây phiền hà cho ông/bà. " + d.agencyName(d.CompetentAgencyID) + " xin lỗi ông/bà và đề nghị gia hạn thời gian giải quyết, hẹn trả kết quả vào " + longTime(ev.DueAt) + ".")
	doc.para("Việc hẹn lại ngày trả kết quả chỉ thực hiện một lần (Điều 19 khoản 6 Nghị định 118/2025/NĐ-CP).")
	doc.signatures([2]string{"Thủ trưởng cơ quan giải quyết", ev.ActorName})
	return doc.output(w)
}

// Stop writes the notice that processing has ended without a result
// (Thông báo dừng giải quyết hồ sơ): stopped, withdrawn at the applicant's
// request, or closed because the supplement did not come.
func (r *Renderer) Stop(w io.Writer, d *Dossier) error { return render(r.stop, w, d) }

func (r *Renderer) stop(w io.Writer, d *Dossier, fast bool) error {
	ev, ok := d.last(motcua.ActStop, motcua.ActWithdraw, motcua.ActClose)
	if !ok {
		return noEvent("thông báo dừng giải quyết")
	}
	agency := d.CompetentAgencyID
	if ev.Action != motcua.ActStop {
		agency = d.ReceptionAgencyID
	}
	doc := r.start(FormStop, d, agency, false, fast)
	doc.title(r.Forms[FormStop].Title, "")
	applicant(doc, d.Applicant, "Kính gửi")
	doc.field("Mã số hồ sơ", d.Code)
	doc.field("Thủ tục hành chính", d.ProcedureName)
	doc.field("Ngày tiếp nhận", motcua.FormatDate(d.Status.ReceivedAt))
	var why string
	switch ev.Action {
	case motcua.ActWithdraw:
		why = "theo đề nghị rút hồ sơ của ông/bà"
	case motcua.ActClose:
		why = "do hồ sơ không được bổ sung, hoàn thiện trong thời hạn quy định"
	default:
		why = "với lý do dưới đây"
	}
	doc.para(fmt.Sprintf("%s thông báo dừng giải quyết hồ sơ nêu trên kể từ %s, %s.", d.agencyName(agency), longTime(ev.At), why))
	if ev.Reason != "" {
		doc.item(ev.Reason)
	}
	doc.para("Thông tin về hồ sơ được lưu trên hệ thống; ông/bà có thể tra cứu bằng mã số hồ sơ.")
	name := ev.ActorName
	if ev.Action == motcua.ActClose {
		name = ""
	}
	doc.signatures([2]string{"Người thông báo", name})
	return doc.output(w)
}

// handover is one row pair of the control sheet.
type handover struct {
	from, to, at, giver, taker, verdict, note string
}

// takerAfter is who received a handover to agency to when no one was
// assigned by name: the next person of that agency who acted on the
// dossier ("" while no one has, for a handwritten name).
func takerAfter(later []motcua.Event, to int64) string {
	for _, e := range later {
		if e.ActorAgencyID == to && e.ActorName != "" {
			return e.ActorName
		}
	}
	return ""
}

// ControlSheet writes the control sheet (Phiếu kiểm soát quá trình giải
// quyết hồ sơ) from the dossier's history: one row per event after
// reception, with who handed what to whom and when, and the verdict on the
// work it finished (early, on time, late).
func (r *Renderer) ControlSheet(w io.Writer, d *Dossier) error { return render(r.controlSheet, w, d) }

func (r *Renderer) controlSheet(w io.Writer, d *Dossier, fast bool) error {
	doc := r.start(FormControl, d, d.ReceptionAgencyID, false, fast)
	doc.title(r.Forms[FormControl].Title, "")
	doc.field("Kèm theo hồ sơ của", d.Applicant.FullName)
	doc.field("Mã hồ sơ", d.Code)
	doc.field("Thủ tục", d.ProcedureName)
	doc.field("Thời gian nhận hồ sơ", longTime(d.Status.ReceivedAt))
	doc.field("Thời gian trả kết quả", longTime(d.Status.DueAt))
	doc.field("Cơ quan giải quyết hồ sơ", d.agencyName(d.CompetentAgencyID))
	var others []string
	seen := map[int64]bool{d.CompetentAgencyID: true, d.ReceptionAgencyID: true}
	for _, e := range d.Events {
		for _, id := range []int64{e.FromAgencyID, e.ToAgencyID} {
			if id != 0 && !seen[id] {
				seen[id] = true
				others = append(others, d.agencyName(id))
			}
		}
	}
	if len(others) > 0 {
		doc.field("Cơ quan phối hợp giải quyết", strings.Join(others, "; "))
	}
	doc.f.Ln(3)
	var rows [][]string
	for i, e := range d.Events {
		h := handover{from: d.agencyName(e.FromAgencyID), to: d.agencyName(e.ToAgencyID), at: longTime(e.At), giver: e.ActorName}
		if e.FromAgencyID == 0 {
			h.from = d.agencyName(e.ActorAgencyID)
		}
		if e.AssigneeID != 0 {
			h.taker = d.Users[e.AssigneeID]
		}
		if h.taker == "" {
			h.taker = takerAfter(d.Events[i+1:], e.ToAgencyID)
		}
		if e.Timeliness != "" {
			h.verdict = e.Timeliness.Label()
		}
		h.note = e.Action.Label()
		if e.Reason != "" {
			h.note += ": " + e.Reason
		}
		if e.ResultNumber != "" {
			h.note += " (số " + e.ResultNumber + ")"
		}
		rows = append(rows, []string{"1. Giao: " + h.from + "\n2. Nhận: " + h.to,
			h.at + "\nNgười giao: " + h.giver + "\nNgười nhận: " + h.taker, h.verdict, h.note})
	}
	doc.table([]float64{48, 52, 28, doc.width - 128},
		[]string{"TÊN CƠ QUAN", "THỜI GIAN GIAO, NHẬN HỒ SƠ", "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)", "GHI CHÚ"}, rows, 9)
	return doc.output(w)
}

// Transfer writes the transfer slip (Phiếu chuyển xử lý, Art.20(2)(a))
// from the transfer to the competent agency: the dossier, and each step of
// the process with its agency, what it does and its share of the time.
func (r *Renderer) Transfer(w io.Writer, d *Dossier) error { return render(r.transfer, w, d) }

func (r *Renderer) transfer(w io.Writer, d *Dossier, fast bool) error {
	ev, ok := d.last(motcua.ActTransfer)
	if !ok {
		return noEvent("phiếu chuyển xử lý")
	}
	doc := r.start(FormTransfer, d, d.ReceptionAgencyID, false, fast)
	doc.title(r.Forms[FormTransfer].Title, "")
	doc.field("Kính gửi", d.agencyName(ev.ToAgencyID))
	doc.field("Mã số hồ sơ", d.Code)
	doc.field("Thủ tục hành chính", d.ProcedureName)
	doc.field("Người nộp hồ sơ", d.Applicant.FullName)
	doc.field("Thời gian nhận hồ sơ", longTime(d.Status.ReceivedAt))
	doc.field("Thời gian chuyển hồ sơ", longTime(ev.At))
	doc.field("Hạn trả kết quả", longTime(ev.DueAt))
	if !ev.StepDueAt.IsZero() {
		doc.field("Hạn hoàn thành bước đầu tiên", longTime(ev.StepDueAt))
	}
	doc.f.Ln(2)
	doc.para("Nhiệm vụ của từng cơ quan theo quy trình giải quyết:")
	var rows [][]string
	for i, st := range d.Procedure.Process.Steps {
		agency := d.CompetentAgencyID
		if st.AgencyID != 0 {
			agency = st.AgencyID
		}
		who := d.agencyName(agency)
		for _, p := range st.Parts {
			pa := p.AgencyID
			if pa == 0 {
				pa = d.CompetentAgencyID
			}
			if pa != agency {
				who += "\nPhối hợp: " + d.agencyName(pa)
			}
		}
		rows = append(rows, []string{fmt.Sprint(i + 1), st.Name, who, st.Role.Label(), fmt.Sprintf("%.0f%%", st.Share*100)})
	}
	doc.table([]float64{10, 45, 60, 35, doc.width - 150},
		[]string{"STT", "Nhiệm vụ", "Cơ quan thực hiện", "Người thực hiện", "Thời gian (tỷ lệ)"}, rows, 9)
	doc.signatures([2]string{"Người chuyển hồ sơ", ev.ActorName}, [2]string{"Người nhận hồ sơ", ""})
	return doc.output(w)
}
