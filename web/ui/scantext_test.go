package ui_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

type fixedText string

func (f fixedText) ReadText(context.Context, []byte, string) (string, error) { return string(f), nil }

// TestScanTextPage: once the OCR job has read a scan, the dossier page
// links to its text, whose page shows the proposed metadata as a proposal
// (not saved); an officer of another commune gets nothing.
func TestScanTextPage(t *testing.T) {
	e := newEnvWith(t, func(c *service.Config) {
		c.Text = fixedText("ỦY BAN NHÂN DÂN XÃ AN PHÚ\nGIẤY XÁC NHẬN\nSố: 45/GXN-UBND\nAn Phú, ngày 09 tháng 3 năm 2026\nĐinh Văn Phúc")
	})
	code, comps := e.receiveGuardianship()
	var u *motcua.User
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, "motcua.anphu"); return err })
	f, err := e.svc.AttachFile(motcua.NewContextWithUser(ctx, u), code, comps[0].ComponentID, "gxn.pdf", strings.NewReader("%PDF-1.4\n%%EOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	page := "/ho-so/" + code + "/tai-lieu/" + f.IDString() + "/van-ban"
	b := e.login("motcua.anphu")
	if r := b.get(page); r.status != 200 || !strings.Contains(r.body, "đang chờ nhận dạng") {
		t.Fatalf("before the job: %d\n%s", r.status, r.body)
	}
	if _, err := e.svc.DeliverOutbox(ctx, motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{motcua.TopicScanText: e.svc.ScanTextDeliverer()}}); err != nil {
		t.Fatal(err)
	}
	if r := b.get("/ho-so/" + code); !strings.Contains(r.body, page) {
		t.Fatalf("the dossier page has no link to the text:\n%s", r.body)
	}
	r := b.get(page)
	for _, want := range []string{"45/GXN-UBND", "09/03/2026", "ỦY BAN NHÂN DÂN XÃ AN PHÚ", "Đinh Văn Phúc", "chưa được lưu"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the text page lacks %q:\n%s", want, r.body)
		}
	}
	if r := e.login("motcua.hoabinh").get(page); r.status != 404 {
		t.Errorf("another commune's officer: %d", r.status)
	}
}

// TestConfirmMetadataPage: the officer who handles the dossier corrects
// the proposal and confirms it; a bad date or an overlong field is shown
// in Vietnamese and nothing is saved; once saved, the page shows the
// confirmed values with who confirmed them, to the supervisor too, who
// may not confirm. The text is then found by a search without accents.
func TestConfirmMetadataPage(t *testing.T) {
	e := newEnvWith(t, func(c *service.Config) {
		c.Text = fixedText("ỦY BAN NHÂN DÂN XÃ AN PHÚ\nGIẤY XÁC NHẬN\nSố: 45/GXN-UBND\nAn Phú, ngày 09 tháng 3 năm 2026\nxác nhận tình trạng hôn nhân\nĐinh Văn Phúc")
	})
	code, comps := e.receiveGuardianship()
	var u *motcua.User
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, "motcua.anphu"); return err })
	f, err := e.svc.AttachFile(motcua.NewContextWithUser(ctx, u), code, comps[0].ComponentID, "gxn.pdf", strings.NewReader("%PDF-1.4\n%%EOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ReadScans(ctx); err != nil {
		t.Fatal(err)
	}
	page := "/ho-so/" + code + "/tai-lieu/" + f.IDString() + "/van-ban"
	good := url.Values{"doc_type": {"Giấy xác nhận tình trạng hôn nhân"}, "number_symbol": {"45/GXN-UBND"}, "issued_on": {"09/03/2026"},
		"issuer": {"UBND xã An Phú"}, "signer": {"Đinh Văn Phúc"}, "valid_until": {"09/09/2026"}, "summary": {"Xác nhận tình trạng hôn nhân"}}
	b := e.login("cv.anphu")
	bad := url.Values{}
	for k, v := range good {
		bad[k] = v
	}
	bad.Set("issued_on", "2026-03-09")
	bad.Set("issuer", strings.Repeat("Ủy ban ", 60))
	r := b.post(page, bad)
	if r.status != 422 || !strings.Contains(r.body, "Ngày ban hành phải có dạng ngày/tháng/năm") || !strings.Contains(r.body, "Cơ quan ban hành dài quá 300 ký tự") {
		t.Fatalf("bad input: %d\n%s", r.status, r.body)
	}
	if r := b.get(page); !strings.Contains(r.body, "chưa được lưu") {
		t.Fatalf("a refused form saved something:\n%s", r.body)
	}
	if r := e.login("giamsat.tinh").post(page, good); r.status != 403 {
		t.Errorf("the supervisor confirms: %d", r.status)
	}
	if r := b.post(page, good); r.status != 303 {
		t.Fatalf("confirm: %d\n%s", r.status, r.body)
	}
	for _, who := range []string{"cv.anphu", "giamsat.tinh"} {
		r := e.login(who).get(page)
		for _, want := range []string{"Đã xác nhận", "Võ Văn Tài", "Giấy xác nhận tình trạng hôn nhân", "09/09/2026", "UBND xã An Phú"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("%s: the page lacks %q", who, want)
			}
		}
	}
	if r := b.get("/tim-ban-quet?q=xac+nhan+tinh+trang+hon+nhan"); r.status != 200 || !strings.Contains(r.body, code) || !strings.Contains(r.body, "xác nhận tình trạng hôn nhân") {
		t.Errorf("search: %d\n%s", r.status, r.body)
	}
	if r := e.login("motcua.hoabinh").get("/tim-ban-quet?q=xac+nhan+tinh+trang+hon+nhan"); r.status != 200 || strings.Contains(r.body, code) {
		t.Errorf("another commune's officer finds the scan: %d", r.status)
	}
}
