package kho_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/kho"
	"github.com/motcua/motcua/kho/sim"
)

const owner, other = "001085000123", "079190004567"

func rig(t *testing.T) (*sim.Sim, *kho.Client) {
	t.Helper()
	secret := []byte("kho-secret-0123456789")
	s := sim.New(sim.Config{Secret: secret, Integration: "MOTCUA-H99"})
	s.Add(owner, "KQ.HT.KS", "Giấy khai sinh", "12/2019/TLKS", "Ủy ban nhân dân phường Ba Đình")
	s.Add(other, "KQ.HT.KH", "Giấy chứng nhận kết hôn", "7/2020/TLKH", "Ủy ban nhân dân phường Sài Gòn")
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, kho.NewClient(kho.Config{BaseURL: srv.URL, Integration: "MOTCUA-H99", Secret: secret, Timeout: time.Second})
}

func TestDocuments(t *testing.T) {
	s, c := rig(t)
	ctx := context.Background()
	docs, err := c.Documents(ctx, motcua.StoreQuery{OwnerID: owner, RequesterID: owner, ProcedureCode: "1.004884"})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].ResultCode != "KQ.HT.KS" || docs[0].Number != "12/2019/TLKS" {
		t.Fatalf("documents %+v", docs)
	}
	for name, f := range map[string]sim.Faults{"impersonate": {Impersonate: true}, "unsigned": {Unsigned: true}, "down": {Down: true}} {
		s.SetFaults(f)
		if docs, err := c.Documents(ctx, motcua.StoreQuery{OwnerID: owner}); docs != nil || motcua.ErrorCode(err) != motcua.EUNAVAILABLE {
			t.Errorf("%s: %v %v", name, docs, err)
		}
	}
	s.SetFaults(sim.Faults{Delay: 1500 * time.Millisecond})
	if _, err := c.Documents(ctx, motcua.StoreQuery{OwnerID: owner}); motcua.ErrorCode(err) != motcua.EUNAVAILABLE {
		t.Errorf("slow: %v", err)
	}
}

func TestPush(t *testing.T) {
	s, c := rig(t)
	ctx := context.Background()
	r := &motcua.PersonalResult{IDNumber: owner, DossierCode: "H99.101-261203-0001", ProcedureCode: "1.001193", ResultName: "Giấy khai sinh",
		Number: "125/2026/TLKS", AgencyName: "UBND xã An Phú", AgencyCode: "H99.101", IssuedAt: time.Date(2026, 12, 3, 20, 0, 0, 0, time.UTC)}
	if err := c.Push(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := c.Push(ctx, r); err != nil { // idempotent
		t.Fatal(err)
	}
	if p := s.Pushed(); len(p) != 1 || p[0].NgayCap != "2026-12-04" || p[0].SoKyHieu != r.Number {
		t.Fatalf("pushed %+v", p)
	}
	docs, err := c.Documents(ctx, motcua.StoreQuery{OwnerID: owner})
	if err != nil || len(docs) != 2 {
		t.Fatalf("after push: %+v %v", docs, err)
	}
	s.SetFaults(sim.Faults{RefusePush: true})
	if err := c.Push(ctx, r); err == nil || !motcua.PermanentFailure(err) {
		t.Fatalf("refused push: %v", err)
	}
	s.SetFaults(sim.Faults{Down: true})
	if err := c.Push(ctx, r); err == nil || motcua.PermanentFailure(err) {
		t.Fatalf("down: %v", err)
	}
}

// FuzzParseAnswer: whatever the store answers, the parser never panics,
// and what it accepts is the owner's, with a code, a name and a number.
func FuzzParseAnswer(f *testing.F) {
	f.Add([]byte(`{"MaYeuCau":"q","MaLoi":"00","DanhSachGiayToKetQua":[{"MaKetQua":"KQ","TenGiayTo":"Giấy khai sinh","SoKyHieu":"1/TLKS","SoDinhDanhChuSoHuu":"001085000123","DanhSachTepDinhKem":[{"TenTep":"a.pdf","DuongDan":"https://x/a.pdf"}]}]}`))
	f.Add([]byte(`{"MaYeuCau":"q","MaLoi":"01"}`))
	f.Add([]byte(`{"MaYeuCau":"q","MaLoi":"00","DanhSachGiayToKetQua":[{"MaKetQua":"KQ","SoDinhDanhChuSoHuu":"079190004567"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := kho.ParseAnswer(kho.TruyVan{MaYeuCau: "q", SoDinhDanhChuSoHuu: owner}, data)
		if err != nil {
			return
		}
		for _, d := range docs {
			if d.ResultCode == "" || d.Name == "" || d.Number == "" {
				t.Fatalf("accepted %+v", d)
			}
		}
	})
}
