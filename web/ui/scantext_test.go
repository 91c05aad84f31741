package ui_test

import (
	"context"
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
