package kho

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// Error is an answer of the store that cannot be used (transport, status,
// signature, shape, another person's documents). Permanent marks a refusal
// that sending again cannot change.
type Error struct {
	Service   string
	Detail    string
	Permanent bool
}

func (e *Error) Error() string { return "kho " + e.Service + ": " + e.Detail }

// PermanentFailure lets the outbox give up at once (motcua.PermanentFailure).
func (e *Error) PermanentFailure() bool { return e.Permanent }

// Unwrap makes the error an EUNAVAILABLE domain error for the service.
func (e *Error) Unwrap() error {
	return motcua.Errorf(motcua.EUNAVAILABLE, "store_unavailable",
		"Kho dữ liệu điện tử trên Cổng Dịch vụ công quốc gia tạm thời không trả lời được; hồ sơ tiếp tục với giấy tờ người nộp mang đến.")
}

func failf(service, format string, args ...any) error {
	return &Error{Service: service, Detail: fmt.Sprintf(format, args...)}
}

// text checks a text field: valid UTF-8, no control characters, at most
// max bytes; required when req.
func text(s string, max int, req bool) bool {
	if req && strings.TrimSpace(s) == "" {
		return false
	}
	return len(s) <= max && utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f })
}

// ParseAnswer checks the store's answer to query q and maps its documents:
// the same MaYeuCau, MaLoi "00", at most MaxDocuments documents, each of
// the owner asked (one document of another person refuses the whole
// answer), with a code, a name and a number, sane texts and http(s) file
// addresses. A refusal ("01") is EINVALID; every other failure an *Error.
func ParseAnswer(q TruyVan, data []byte) ([]motcua.StoreDocument, error) {
	var a TraLoi
	if len(data) > MaxAnswer {
		return nil, failf(ServiceQuery, "answer larger than %d bytes", MaxAnswer)
	}
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, failf(ServiceQuery, "malformed answer: %v", err)
	}
	if a.MaYeuCau != q.MaYeuCau {
		return nil, failf(ServiceQuery, "answer to another request")
	}
	switch a.MaLoi {
	case "00":
	case "01":
		return nil, motcua.Errorf(motcua.EINVALID, "store_refused", "Kho dữ liệu điện tử không chấp nhận yêu cầu tra cứu.")
	default:
		return nil, failf(ServiceQuery, "error code %q", a.MaLoi)
	}
	if len(a.DanhSachGiayToKetQua) > MaxDocuments {
		return nil, failf(ServiceQuery, "%d documents, more than %d", len(a.DanhSachGiayToKetQua), MaxDocuments)
	}
	out := make([]motcua.StoreDocument, 0, len(a.DanhSachGiayToKetQua))
	for i, g := range a.DanhSachGiayToKetQua {
		if g.SoDinhDanhChuSoHuu != q.SoDinhDanhChuSoHuu {
			// Never logged: the other person's number is not ours to keep.
			return nil, failf(ServiceQuery, "document %d belongs to another person", i)
		}
		if !text(g.MaKetQua, 60, true) || !text(g.TenGiayTo, 400, true) || !text(g.SoKyHieu, 100, true) || !text(g.CoQuanChuQuan, 400, false) ||
			strings.Contains(g.MaKetQua, "|") || strings.Contains(g.SoKyHieu, "|") {
			return nil, failf(ServiceQuery, "document %d has a missing or malformed field", i)
		}
		if len(g.DanhSachTepDinhKem) > 20 {
			return nil, failf(ServiceQuery, "document %d has too many files", i)
		}
		d := motcua.StoreDocument{ResultCode: g.MaKetQua, Name: g.TenGiayTo, Number: g.SoKyHieu, Issuer: g.CoQuanChuQuan}
		for _, f := range g.DanhSachTepDinhKem {
			u, err := url.Parse(f.DuongDan)
			if !text(f.TenTep, 255, true) || len(f.DuongDan) > 2048 || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return nil, failf(ServiceQuery, "document %d has a malformed file", i)
			}
			d.Files = append(d.Files, motcua.StoreFile{Name: f.TenTep, URL: f.DuongDan})
		}
		out = append(out, d)
	}
	return out, nil
}
