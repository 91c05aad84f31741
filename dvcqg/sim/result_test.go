package sim_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/dvcqg/sim"
)

// TestElectronicResultKeptAndShown: a record whose result carries its
// document code (MaGiayToKetQua) and the link to the signed file
// (DuongDanTepTinKetQua) is kept and shown on the page; a link that is not
// an http(s) address, or a file without a code, is refused.
func TestElectronicResultKeptAndShown(t *testing.T) {
	_, srv := start(t, sim.Config{})
	d := dossier("H99.101-261201-0002", motcua.StateResultReady)
	d.Results = []motcua.PortalResult{{Name: "Quyết định công nhận giám hộ", Number: "KQ-H99.101-261201-0002",
		Code: "KQ-H99.101-261201-0002", URL: "https://motcua.example/tra-cuu/ket-qua?ma=H99.101-261201-0002&k=abc"}}
	if err := client(srv).SyncDossier(context.Background(), d, false); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "kết quả điện tử mã <b>KQ-H99.101-261201-0002</b>") ||
		!strings.Contains(string(body), `href="https://motcua.example/tra-cuu/ket-qua?ma=H99.101-261201-0002&amp;k=abc"`) {
		t.Fatalf("the page does not show the electronic result:\n%s", body)
	}
	for name, change := range map[string]func(*dvcqg.GiayToKetQua){
		"not http": func(k *dvcqg.GiayToKetQua) { k.DuongDanTepTinKetQua = "file:///etc/passwd" },
		"relative": func(k *dvcqg.GiayToKetQua) { k.DuongDanTepTinKetQua = "/ket-qua/1" },
		"no code":  func(k *dvcqg.GiayToKetQua) { k.MaGiayToKetQua = "" },
	} {
		h := dvcqg.RecordOf(d)
		h.MaHoSo = "X-" + strings.ReplaceAll(name, " ", "")
		change(&h.DanhSachGiayToKetQua[0])
		if a := call(t, srv, dvcqg.ServiceSyncDossier, "False", []dvcqg.HoSo{h}); a.ErrorCode != dvcqg.CodeInvalidRecord {
			t.Errorf("%s: %+v", name, a)
		}
	}
}
