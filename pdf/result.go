package pdf

import (
	"io"
	"strings"

	"github.com/motcua/motcua"
)

// Result writes the electronic result motcua makes from its template: the
// national header, the result's document code, what was settled for whom,
// the signer, and where to verify it. The PDF is written unsigned; the
// signature is added to it as an incremental update (package sign), so
// the printed copy and the signed file show the same page.
func Result(w io.Writer, r *motcua.ResultDocument) error {
	d := newDoc(false, "Kết quả giải quyết thủ tục hành chính "+r.DocCode, false)
	d.header("", r.Superior, r.Agency, placeOf(r.Agency), r.IssuedAt)
	d.title("Kết quả giải quyết thủ tục hành chính", "Số: "+r.DocCode)
	d.field("Mã hồ sơ", r.DossierCode)
	d.field("Thủ tục hành chính", r.Procedure)
	d.field("Tổ chức, cá nhân yêu cầu", r.Applicant)
	if c := strings.TrimSpace(r.Content); c != "" {
		d.field("Nội dung yêu cầu", c)
	}
	d.f.Ln(3)
	d.para(r.Agency + " đã giải quyết xong hồ sơ nêu trên và trả kết quả bằng văn bản điện tử này, có giá trị pháp lý như bản giấy " +
		"(Điều 22 Nghị định 118/2025/NĐ-CP).")
	if r.VerifyURL != "" {
		d.para("Kiểm tra chữ ký số và tính toàn vẹn của văn bản tại " + r.VerifyURL + " (nhập mã " + r.DocCode + " hoặc tải tệp lên).")
	}
	title := r.SignerTitle
	if title == "" {
		title = "Người ký"
	}
	d.f.Ln(6)
	y := d.f.GetY()
	if r.VerifyURL != "" {
		if err := d.qr(r.VerifyURL+"?ma="+r.DocCode, d.left, y, 28); err != nil {
			return err
		}
	}
	x := d.left + d.width/2
	d.f.SetXY(x, y)
	d.font("B", 11)
	d.f.MultiCell(d.width/2, 5.5, d.t(strings.ToUpper(title)), "", "C", false)
	d.f.SetX(x)
	d.font("I", 10)
	d.f.CellFormat(d.width/2, 5, "(Đã ký số)", "", 2, "C", false, 0, "")
	d.f.SetXY(x, d.f.GetY()+8)
	d.font("B", 11)
	d.f.MultiCell(d.width/2, 5.5, d.t(r.Signer), "", "C", false)
	return d.output(w)
}
