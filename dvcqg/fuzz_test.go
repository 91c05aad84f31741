package dvcqg_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/dvcqg/sim"
)

// Seed corpora: the f.Add calls below plus the files under
// testdata/fuzz/<target>/.

func seedBodies(f *testing.F) {
	data := validData("http://portal.test/files/a1")
	data.DinhDanhCHS = []dvcqg.DinhDanh{{LoaiDinhDanh: 1, SoDinhDanh: "001203004567"}}
	data.DanhSachLePhi = []dvcqg.LePhi{{TenPhiLePhi: "Lệ phí", MucPhi: 8000, DaThanhToan: 1, ThanhToanTrucTuyen: 1, NgayThanhToan: "20261201080000", MaGiaoDich: "P1"}}
	data.TaiKhoanDuocXacThucVoiVNeID, data.MucDoTaiKhoan = 1, 2
	for _, v := range []any{
		dvcqg.Envelope{Service: dvcqg.InboundSubmit, Data: mustJSONF(data)},
		dvcqg.Envelope{Service: dvcqg.InboundSupplement, Data: mustJSONF(dvcqg.BoSungHoSo{MaHoSo: "G22.1", NgayBoSung: "20261201080000", NoiDung: "x",
			TaiLieuNop: []dvcqg.TaiLieu{{TenTepDinhKem: "b.pdf", TenThanhPhanHoSo: "Giấy", DuongDanTaiTepTin: "http://portal.test/files/b"}}})},
		dvcqg.Envelope{Service: dvcqg.InboundWithdraw, Data: mustJSONF(dvcqg.RutHoSo{MaHoSo: "G22.1", NgayYeuCau: "20261201080000", LyDo: "Thôi"})},
	} {
		f.Add(mustJSONF(v))
	}
	f.Add([]byte(`{"service":"RutHoSo","data":null}`))
	f.Add([]byte(`{"service":"TiepNhanHoSoTrucTuyen","data":{"TaiLieuNop":[{},{},{},{},{},{},{}]}}`))
}

func mustJSONF(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// checkRead holds for every outcome of reading a message: exactly one
// kind of value, or a domain error with a reason, a message and a 4xx/5xx
// status.
func checkRead(t *testing.T, v any, err error) {
	if err != nil {
		var me *motcua.Error
		if v != nil || !errors.As(err, &me) || me.Reason == "" || me.Message == "" || dvcqg.HTTPStatus(err) < 400 {
			t.Fatalf("bad failure: %v %v", v, err)
		}
		return
	}
	switch m := v.(type) {
	case *motcua.PortalSubmission:
		if m.NationalCode == "" || m.ProcedureCode == "" || m.Applicant.FullName == "" || m.SubmittedAt.IsZero() ||
			motcua.ValidateIDNumber(m.Applicant.IDKind, m.Applicant.IDNumber) != nil {
			t.Fatalf("accepted an incomplete submission: %+v", m)
		}
		if m.Applicant.VNeIDVerified != (m.AccountLevel > 0) {
			t.Fatalf("VNeID flag and level disagree: %+v", m)
		}
	case *motcua.PortalSupplement:
		if m.NationalCode == "" || m.At.IsZero() {
			t.Fatalf("accepted an incomplete supplement: %+v", m)
		}
	case *motcua.PortalWithdrawal:
		if m.NationalCode == "" || m.At.IsZero() || m.Reason == "" {
			t.Fatalf("accepted an incomplete withdrawal: %+v", m)
		}
	default:
		t.Fatalf("Read returned %T", v)
	}
}

func FuzzParseBody(f *testing.F) {
	seedBodies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		v, files, err := dvcqg.ParseBody(body, "m", 5)
		checkRead(t, v, err)
		if len(files) > 5 {
			t.Fatalf("%d files accepted, limit 5", len(files))
		}
		for _, p := range files {
			if p.URL == "" || p.Upload == nil {
				t.Fatalf("pending file without URL or upload: %+v", p)
			}
		}
	})
}

// fixedFiles answers every request with a few bytes, without a network.
type fixedFiles struct{}

func (fixedFiles) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("tệp")), Header: http.Header{}, Request: r}, nil
}

func FuzzInboundRead(f *testing.F) {
	seedBodies(f)
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, motcua.VietnamTime)
	in := &dvcqg.Inbound{Secret: secret, MaxBody: 64 << 10, MaxFile: 16, MaxFiles: 5, FileBase: "http://portal.test/files/",
		HTTP: &http.Client{Transport: fixedFiles{}}, Clock: func() time.Time { return now }}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/dvcqg/inbound", bytes.NewReader(body))
		ts := strconv.FormatInt(now.Unix(), 10)
		r.Header.Set(dvcqg.HeaderMessageID, "m1")
		r.Header.Set(dvcqg.HeaderTimestamp, ts)
		r.Header.Set(dvcqg.HeaderSignature, dvcqg.Sign(secret, "m1", ts, body))
		v, err := in.Read(r)
		checkRead(t, v, err)
		if s, ok := v.(*motcua.PortalSubmission); ok {
			for _, c := range s.Components {
				for _, u := range c.Files {
					if string(u.Data) != "tệp" {
						t.Fatalf("file %q not fetched", u.Name)
					}
				}
			}
		}
	})
}

func FuzzTimeLimitText(f *testing.F) {
	s, err := sim.New(sim.Config{})
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range s.Procedures() {
		for _, th := range p.ThoiHanGiaiQuyet {
			f.Add(th.ThoiGian)
		}
	}
	f.Add("0,5 Ngày làm việc")
	f.Add("9999 Tháng")
	f.Fuzz(func(t *testing.T, text string) {
		l, no := dvcqg.ParseTimeLimit(text)
		if l != nil && no {
			t.Fatal("both a limit and no limit")
		}
		if l != nil {
			if err := l.Validate(); err != nil {
				t.Fatalf("%q gave an invalid limit %v: %v", text, *l, err)
			}
			if strings.Contains(strings.ToLower(text), "khác") && !strings.Contains(text, " — ") {
				t.Fatalf("%q: an 'other' unit was read as %v", text, *l)
			}
		}
		l2, no2 := dvcqg.ParseTimeLimit(text)
		if no2 != no || (l == nil) != (l2 == nil) || (l != nil && *l != *l2) {
			t.Fatal("not deterministic")
		}
	})
}

func FuzzAnswer(f *testing.F) {
	s, err := sim.New(sim.Config{})
	if err != nil {
		f.Fatal(err)
	}
	// Small records only: the fuzzer's mutator crawls over inputs of
	// several kilobytes, and the fields of one short record cover the code.
	for _, p := range s.Procedures() {
		if b := mustJSONF(dvcqg.Answer{Data: mustJSONF(p)}); len(b) < 1500 {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"error_code":0,"data":[{"MaTTHC":"1.000593","TenTTHC":"x","MaLinhVuc":null,"CapThucHien":"cấp xã","NgayCapNhat":"20261122000000","BaiBo":false}]}`))
	f.Add([]byte(`{"error_code":1,"message":"hết phiên"}`))
	f.Add([]byte(`{"session":"x"}`))
	f.Add([]byte(`{"error_code":0,"session":"abc"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if a, err := dvcqg.ParseAuthAnswer(data); err == nil && a == nil {
			t.Fatal("nil auth answer without error")
		}
		a, err := dvcqg.ParseAnswer(data)
		if err != nil {
			return
		}
		var one dvcqg.ThuTuc
		if dvcqg.DecodeAnswerData(a.Data, &one) == nil {
			np := dvcqg.ProcedureOf(&one)
			if np.Procedure.Name != one.TenTTHC {
				t.Fatal("name not kept")
			}
			if np.Procedure.TimeLimit != nil && np.Procedure.TimeLimit.Validate() != nil {
				t.Fatalf("invalid limit %v", *np.Procedure.TimeLimit)
			}
			for _, fee := range np.Procedure.Fees {
				if fee.Amount != nil && *fee.Amount < 0 {
					t.Fatalf("negative fee from %q", fee.Description)
				}
			}
		}
		var list []dvcqg.ThuTucTomTat
		if dvcqg.DecodeAnswerData(a.Data, &list) == nil {
			for i := range list {
				_ = dvcqg.RefOf(&list[i])
			}
		}
	})
}
