package pdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/pdf"
)

// tool returns the path of a command-line tool the tests need (poppler's
// pdftotext and pdftoppm, zbar's zbarimg). It skips the test when the tool
// is missing, unless MOTCUA_REQUIRE_PDFTOOLS=1 (as in CI), where a missing
// tool fails it.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("MOTCUA_REQUIRE_PDFTOOLS") == "1" {
			t.Fatalf("%s is required (MOTCUA_REQUIRE_PDFTOOLS=1) but not installed: apt-get install poppler-utils zbar-tools qpdf", name)
		}
		t.Skipf("%s not installed (apt-get install poppler-utils zbar-tools qpdf); skipping", name)
	}
	return p
}

func vn(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, motcua.VietnamTime).UTC()
}

// sample is a guardianship dossier received at the An Phú counter on
// 10 March 2025 at 09:00, due 13 March at 09:00, transferred, assigned,
// appraised and extended.
func sample() *pdf.Dossier {
	agencies := map[int64]*motcua.Agency{
		1: {ID: 1, Name: "Ủy ban nhân dân tỉnh Mẫu"},
		2: {ID: 2, Name: "Ủy ban nhân dân xã An Phú", ParentID: 1},
	}
	fee := int64(5000)
	p := &motcua.Procedure{ID: 7, Code: "1.004837", Name: "Thủ tục đăng ký giám hộ", Level: motcua.LevelCommune,
		TimeLimit: &motcua.TimeLimit{Value: 3, Unit: motcua.UnitWorkingDays},
		Components: []motcua.Component{{ID: 1, Name: "Tờ khai đăng ký giám hộ", Originals: 1, Mandatory: true},
			{ID: 2, Name: "Giấy khai sinh của người được giám hộ", FromNationalDB: true},
			{ID: 3, Name: "Văn bản thỏa thuận cử người giám hộ", Originals: 1, Copies: 2}},
		Fees:    []motcua.Fee{{Name: "Lệ phí đăng ký giám hộ", Amount: &fee}},
		Process: motcua.DefaultProcess(motcua.LevelCommune)}
	recv, due := vn(2025, 3, 10, 9, 0), vn(2025, 3, 13, 9, 0)
	events := []motcua.Event{
		{Seq: 1, Action: motcua.ActReceive, At: recv, ActorID: 5, ActorName: "Huỳnh Thị Ngọc", ActorAgencyID: 2, ToState: motcua.StateReceived,
			FromStep: -1, ToStep: -1, ToAgencyID: 2, ClockStartAt: recv, DueAt: due, ActionDueAt: vn(2025, 3, 10, 17, 0)},
		{Seq: 2, Action: motcua.ActTransfer, At: vn(2025, 3, 10, 10, 15), ActorID: 5, ActorName: "Huỳnh Thị Ngọc", ActorAgencyID: 2,
			FromState: motcua.StateReceived, ToState: motcua.StateProcessing, FromAgencyID: 2, ToAgencyID: 2, FromStep: -1, ToStep: 0,
			ClockStartAt: recv, DueAt: due, StepDueAt: vn(2025, 3, 12, 10, 0), HandoverDueAt: vn(2025, 3, 10, 17, 0), Timeliness: motcua.OnTime},
		{Seq: 3, Action: motcua.ActExtend, At: vn(2025, 3, 11, 14, 0), ActorID: 9, ActorName: "Đinh Văn Phúc", ActorAgencyID: 2,
			FromState: motcua.StateProcessing, ToState: motcua.StateProcessing, FromAgencyID: 2, ToAgencyID: 2, FromStep: 0, ToStep: 0,
			ClockStartAt: recv, DueAt: vn(2025, 3, 18, 17, 0), StepDueAt: vn(2025, 3, 12, 10, 0),
			Reason: "Cần xác minh thêm nơi cư trú của người giám hộ."},
	}
	st, err := motcua.Replay(events)
	if err != nil {
		panic(err)
	}
	d := &motcua.Dossier{ID: 3, Code: "H99.101-250310-0001", ProcedureID: 7, ProcedureVersion: 1, ProcedureCode: p.Code, ProcedureName: p.Name,
		Applicant: motcua.Applicant{FullName: "Nguyễn Thị Thanh Hà", IDKind: motcua.IDPersonal, IDNumber: "089186001234", Phone: "0912345678",
			Address: "Ấp Trung, xã An Phú, tỉnh Mẫu"},
		Channel: motcua.ChannelCounter, ReceptionAgencyID: 2, CompetentAgencyID: 2, ReturnMethod: "counter",
		Components: []motcua.DossierComponent{{ComponentID: 1, Provided: true}, {ComponentID: 2, FromNationalDB: true}, {ComponentID: 3, Provided: true}},
		Fees:       []motcua.DossierFee{{Name: "Lệ phí đăng ký giám hộ", Amount: 5000}}, Verifier: "5678", LookupSecret: "q7Rk2mWx9PzL4vNc8TbY3a", Status: st}
	d.FillComponents(p)
	return &pdf.Dossier{Dossier: d, Procedure: p, Events: events, Agencies: agencies,
		Point:     &motcua.ReceptionPoint{ID: 4, AgencyID: 2, Name: "Trung tâm Phục vụ hành chính công xã An Phú", Address: "Ấp Trung, xã An Phú"},
		Users:     map[int64]string{},
		PrintedAt: vn(2025, 3, 11, 14, 5)}
}

func renderer() *pdf.Renderer {
	return &pdf.Renderer{Forms: pdf.DefaultForms(), LookupURL: func(code, secret string) string {
		return "https://motcua.example.vn/tra-cuu?ma=" + code + "&k=" + secret
	}}
}

// text renders the PDF to text with pdftotext and joins it into one line
// with single spaces, so that expectations do not depend on line breaks.
func text(t *testing.T, pdfBytes []byte) (string, string) {
	t.Helper()
	bin := tool(t, "pdftotext")
	dir := t.TempDir()
	in := filepath.Join(dir, "f.pdf")
	if err := os.WriteFile(in, pdfBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " "), in
}

// inOrder checks that every expected piece occurs in s, in order.
func inOrder(t *testing.T, s string, want ...string) {
	t.Helper()
	rest := s
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			if strings.Contains(s, w) {
				t.Errorf("%q is out of order in:\n%s", w, s)
			} else {
				t.Errorf("%q missing in:\n%s", w, s)
			}
			continue
		}
		rest = rest[i+len(w):]
	}
}

func TestReceiptTextAndQR(t *testing.T) {
	var buf bytes.Buffer
	if err := renderer().Receipt(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	s, file := text(t, buf.Bytes())
	if !norm.NFC.IsNormalString(s) {
		t.Error("extracted text is not NFC")
	}
	inOrder(t, s,
		"Mẫu số 01",
		"ỦY BAN NHÂN DÂN TỈNH MẪU", "ỦY BAN NHÂN DÂN XÃ AN PHÚ",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"An Phú, ngày 11 tháng 03 năm 2025",
		"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
		"Mã số hồ sơ: H99.101-250310-0001",
		"Bộ phận tiếp nhận và trả kết quả: Trung tâm Phục vụ hành chính công xã An Phú",
		"Tiếp nhận hồ sơ của: Nguyễn Thị Thanh Hà",
		"Số định danh cá nhân: 089186001234",
		"Số điện thoại: 0912345678",
		"Địa chỉ: Ấp Trung, xã An Phú, tỉnh Mẫu",
		"Nội dung yêu cầu giải quyết: Thủ tục đăng ký giám hộ (mã thủ tục 1.004837)",
		"1. Thành phần hồ sơ gồm:",
		"1) Tờ khai đăng ký giám hộ – đã nộp (bản chính: 1, bản sao: 0).",
		"2) Giấy khai sinh của người được giám hộ – không yêu cầu nộp, khai thác từ cơ sở dữ liệu quốc gia.",
		"3) Văn bản thỏa thuận cử người giám hộ – đã nộp (bản chính: 1, bản sao: 2).",
		"3. Thời gian giải quyết hồ sơ theo quy định: 3 ngày làm việc.",
		"4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 10/03/2025.",
		"5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 13/03/2025.",
		"6. Nơi và hình thức nhận kết quả: Trực tiếp tại Trung tâm Phục vụ hành chính công xã An Phú (Ấp Trung, xã An Phú).",
		"7. Phí, lệ phí: Lệ phí đăng ký giám hộ: 5.000 đồng.",
		"NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ",
		"Nguyễn Thị Thanh Hà", "Huỳnh Thị Ngọc")

	// The QR code opens the public lookup of this dossier.
	ppm, zbar := tool(t, "pdftoppm"), tool(t, "zbarimg")
	png := filepath.Join(filepath.Dir(file), "page")
	if out, err := exec.Command(ppm, "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", file, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	out, err := exec.Command(zbar, "--raw", "-q", png+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg found no code: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != "https://motcua.example.vn/tra-cuu?ma=H99.101-250310-0001&k=q7Rk2mWx9PzL4vNc8TbY3a" {
		t.Errorf("QR code holds %q", got)
	}
	// Every font is embedded (column "emb"), with a Unicode map ("uni").
	fonts, err := exec.Command(tool(t, "pdffonts"), file).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(fonts)), "\n")[2:]
	if len(lines) != 3 {
		t.Errorf("want 3 fonts (regular, bold, oblique):\n%s", fonts)
	}
	for _, l := range lines {
		if f := strings.Fields(l); len(f) < 7 || f[1] != "CID" || f[4] != "yes" || f[6] != "yes" {
			t.Errorf("font not embedded with a Unicode map: %s", l)
		}
	}
}

func TestExtensionAndControlSheetText(t *testing.T) {
	d := sample()
	// Decomposed input (as some keyboards type it) comes out precomposed.
	d.Applicant.FullName = norm.NFD.String("Nguyễn Thị Thanh Hà")
	forms := pdf.DefaultForms().Merge(pdf.Forms{pdf.FormExtension: {Title: pdf.ExtensionTitleNĐ61}})
	r := renderer()
	r.Forms = forms
	var buf bytes.Buffer
	if err := r.Extension(&buf, d); err != nil {
		t.Fatal(err)
	}
	s, _ := text(t, buf.Bytes())
	inOrder(t, s, "Mẫu số 04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
		"Kính gửi: Nguyễn Thị Thanh Hà",
		"Ngày 10/03/2025, Ủy ban nhân dân xã An Phú tiếp nhận hồ sơ đề nghị giải quyết thủ tục \"Thủ tục đăng ký giám hộ\" của ông/bà, hẹn trả kết quả vào 09 giờ 00 phút, ngày 13/03/2025.",
		"Lý do: Cần xác minh thêm nơi cư trú của người giám hộ.",
		"xin lỗi ông/bà và đề nghị gia hạn thời gian giải quyết, hẹn trả kết quả vào 17 giờ 00 phút, ngày 18/03/2025.",
		"Đinh Văn Phúc")

	buf.Reset()
	if err := r.ControlSheet(&buf, d); err != nil {
		t.Fatal(err)
	}
	s, _ = text(t, buf.Bytes())
	inOrder(t, s, "Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
		"Kèm theo hồ sơ của: Nguyễn Thị Thanh Hà", "Mã hồ sơ: H99.101-250310-0001",
		"Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 10/03/2025",
		"Thời gian trả kết quả: 17 giờ 00 phút, ngày 18/03/2025",
		// pdftotext reads the table's first two columns, then the others.
		"TÊN CƠ QUAN", "THỜI GIAN GIAO, NHẬN HỒ SƠ",
		"1. Giao: Ủy ban nhân dân xã An Phú 2. Nhận: Ủy ban nhân dân xã An Phú 09 giờ 00 phút, ngày 10/03/2025 Người giao: Huỳnh Thị Ngọc",
		"10 giờ 15 phút, ngày 10/03/2025 Người giao: Huỳnh Thị Ngọc",
		"14 giờ 00 phút, ngày 11/03/2025 Người giao: Đinh Văn Phúc",
		"KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)", "GHI CHÚ",
		"Tiếp nhận hồ sơ", "Đúng hạn", "Chuyển xử lý",
		"Xin lỗi và gia hạn: Cần xác minh thêm nơi cư trú của người giám hộ.")
	// Only the transfer finished work against a deadline.
	if n := strings.Count(s, "Đúng hạn") + strings.Count(s, "Quá hạn") + strings.Count(s, "Trước hạn/"); n != 2 {
		t.Errorf("%d verdicts printed, want the transfer's only", n-1)
	}
}

func TestFormsNeedTheirEvent(t *testing.T) {
	d := sample()
	d.Events = d.Events[:1]
	r := renderer()
	if got := d.Available(); len(got) != 2 || got[0] != pdf.FormReceipt || got[1] != pdf.FormControl {
		t.Errorf("available after reception only: %v", got)
	}
	for _, f := range []pdf.Form{pdf.FormSupplement, pdf.FormRefusal, pdf.FormExtension, pdf.FormStop, pdf.FormTransfer} {
		if err := r.Render(&bytes.Buffer{}, f, d); motcua.ErrorReason(err) != "form_not_available" {
			t.Errorf("%s without its event: %v", f, err)
		}
	}
	if err := (pdf.Forms{"nonsense": {Title: "x"}}).Validate(); motcua.ErrorReason(err) != "form_unknown" {
		t.Errorf("unknown form accepted: %v", err)
	}
	if err := pdf.DefaultForms().Merge(pdf.Forms{pdf.FormReceipt: {Number: "Mẫu số 1a"}}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestBookText(t *testing.T) {
	d := sample()
	var buf bytes.Buffer
	b := &pdf.Book{Agency: d.Agencies[2], Superior: d.Agencies[1].Name, From: vn(2025, 3, 1, 0, 0), To: vn(2025, 3, 31, 0, 0),
		Dossiers: []*motcua.Dossier{d.Dossier}, Agencies: d.Agencies, PrintedAt: vn(2025, 3, 20, 8, 0)}
	if err := renderer().Book(&buf, b); err != nil {
		t.Fatal(err)
	}
	s, _ := text(t, buf.Bytes())
	// On 20 March the dossier, due 18 March 17:00, is overdue.
	inOrder(t, s, "Mẫu số 07", "SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/03/2025 đến ngày 31/03/2025",
		"H99.101-250310-0001", "Thủ tục đăng ký giám hộ", "Nguyễn Thị Thanh Hà", "09:00 ngày 10/03/2025", "17:00 ngày 18/03/2025",
		"Đang xử lý", "Quá hạn")
	if !strings.Contains(s, "Tổng số: 1 hồ sơ.") {
		t.Error("no total")
	}
}

func TestResultDocument(t *testing.T) {
	var b bytes.Buffer
	r := &motcua.ResultDocument{DocCode: "KQ-H01.151-261205-0001", DossierCode: "H01.151-261205-0001", Superior: "UBND tỉnh Thử",
		Agency: "UBND xã Hòa Bình", Procedure: "Đăng ký khai sinh", Applicant: "Lê Thị Hoa", Content: "Khai sinh cho con",
		IssuedAt: time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC), Signer: "Trần Văn Bình", SignerTitle: "Chủ tịch",
		VerifyURL: "https://motcua.example/xac-thuc"}
	if err := pdf.Result(&b, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) || !bytes.Contains(b.Bytes(), []byte("\nxref\n")) {
		t.Fatal("not a PDF with a classic cross-reference table (what package sign updates)")
	}
	txt, _ := text(t, b.Bytes())
	for _, want := range []string{"KQ-H01.151-261205-0001", "Đăng ký khai sinh", "Lê Thị Hoa", "Trần Văn Bình", "ngày 05 tháng 12 năm 2026", pdf.NationalMotto} {
		if !strings.Contains(txt, want) {
			t.Errorf("result lacks %q:\n%s", want, txt)
		}
	}
}
