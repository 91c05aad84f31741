package service_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestConfirmMetadata: the officer who handles the dossier records the
// metadata of a scan (with who and when), replacing a proposal nobody
// saved; bad input is refused field by field with nothing written; a
// supervisor reads it but may not confirm it; a stranger sees nothing.
func TestConfirmMetadata(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		reader := newCountingText("ỦY BAN NHÂN DÂN XÃ AN PHÚ\nQUYẾT ĐỊNH\nSố: 12/QĐ-UBND\nAn Phú, ngày 02 tháng 3 năm 2026\nĐinh Văn Phúc")
		f, _ := newSigningFixture(t, e, func(c *service.Config) { c.Text = reader })
		code, files := attachScans(t, f, 1)
		id := files[0].ID
		if _, err := f.svc.ReadScans(ctx); err != nil {
			t.Fatal(err)
		}
		st, err := f.svc.FileText(f.as("cv.anphu"), code, id, "")
		if err != nil || st.Confirmed != nil || !st.MayConfirm || st.Proposed.NumberSymbol != "12/QĐ-UBND" {
			t.Fatalf("before: %+v %v", st, err)
		}
		good := service.MetadataInput{DocType: "Quyết định", NumberSymbol: "12/QĐ-UBND", IssuedOn: "02/03/2026", Issuer: "UBND xã An Phú",
			Signer: "Đinh Văn Phúc", ValidUntil: "", Summary: "Về việc công nhận hộ gia đình văn hóa"}
		bad := []struct {
			field string
			in    func(*service.MetadataInput)
		}{
			{"issued_on", func(m *service.MetadataInput) { m.IssuedOn = "2026-03-02" }},
			{"issued_on", func(m *service.MetadataInput) { m.IssuedOn = "31/02/2026" }},
			{"issued_on", func(m *service.MetadataInput) { m.IssuedOn = "" }},
			{"valid_until", func(m *service.MetadataInput) { m.ValidUntil = "01/01/2026" }},
			{"doc_type", func(m *service.MetadataInput) { m.DocType = "" }},
			{"number_symbol", func(m *service.MetadataInput) { m.NumberSymbol = strings.Repeat("1", 101) }},
			{"summary", func(m *service.MetadataInput) { m.Summary = strings.Repeat("á", 2001) }},
			{"issuer", func(m *service.MetadataInput) { m.Issuer = "UBND xa\u0303 An Phu\u0301" }}, // decomposed (NFD)
			{"signer", func(m *service.MetadataInput) { m.Signer = "Đinh\u202eVăn" }},
		}
		for _, b := range bad {
			in := good
			b.in(&in)
			_, err := f.svc.ConfirmMetadata(f.as("cv.anphu"), code, id, in, "")
			var me *motcua.Error
			if motcua.ErrorCode(err) != motcua.EINVALID || !errors.As(err, &me) || me.Fields[b.field] == "" {
				t.Errorf("%s: %v", b.field, err)
			}
		}
		if st, _ := f.svc.FileText(f.as("cv.anphu"), code, id, ""); st.Confirmed != nil {
			t.Fatal("a refused input was recorded")
		}
		if _, err := f.svc.ConfirmMetadata(f.as("giamsat.tinh"), code, id, good, ""); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Errorf("supervisor: %v", err)
		}
		if _, err := f.svc.ConfirmMetadata(f.as("motcua.hoabinh"), code, id, good, ""); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Errorf("stranger: %v", err)
		}
		m, err := f.svc.ConfirmMetadata(f.as("cv.anphu"), code, id, good, "192.0.2.8")
		if err != nil {
			t.Fatal(err)
		}
		st, err = f.svc.FileText(f.as("giamsat.tinh"), code, id, "")
		if err != nil || st.MayConfirm || st.Confirmed == nil || st.ConfirmedByName != "Võ Văn Tài" {
			t.Fatalf("after: %+v %v", st, err)
		}
		c := st.Confirmed
		if c.DocType != "Quyết định" || c.Summary != good.Summary || motcua.FormatDate(c.IssuedOn) != "02/03/2026" || !c.ValidUntil.IsZero() ||
			!c.ConfirmedAt.Equal(m.ConfirmedAt) || c.ConfirmedBy != m.ConfirmedBy {
			t.Errorf("confirmed %+v", c)
		}
		meta, err := f.svc.FilesMetadata(f.as("ct.anphu"), code, "")
		if err != nil || meta[id] == nil || meta[id].NumberSymbol != "12/QĐ-UBND" {
			t.Errorf("files' metadata: %v %v", meta, err)
		}
		// A correction replaces it.
		good.ValidUntil = "31/12/2030"
		if _, err := f.svc.ConfirmMetadata(f.as("ct.anphu"), code, id, good, ""); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.svc.FileText(f.as("cv.anphu"), code, id, ""); motcua.FormatDate(st.Confirmed.ValidUntil) != "31/12/2030" || st.ConfirmedByName == "Võ Văn Tài" {
			t.Errorf("corrected: %+v", st.Confirmed)
		}
	})
}
