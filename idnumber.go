package motcua

import (
	"strings"
	"unicode"
)

// IDKind is the kind of identification number of an applicant.
type IDKind string

// Identification kinds. The personal ID number (số định danh cá nhân) is the
// 12-digit number of the chip-based citizen ID card (CCCD / thẻ căn cước);
// the old 9-digit ID card (CMND) is still met on old papers; foreigners give
// a passport number; organisations their tax code (mã số thuế, which is also
// the enterprise code).
const (
	IDPersonal IDKind = "personal_id"
	IDOldCard  IDKind = "old_id_card"
	IDPassport IDKind = "passport"
	IDTaxCode  IDKind = "tax_code"
)

// Label is the Vietnamese name of the kind.
func (k IDKind) Label() string {
	switch k {
	case IDPersonal:
		return "Số định danh cá nhân (CCCD)"
	case IDOldCard:
		return "Số CMND cũ"
	case IDPassport:
		return "Số hộ chiếu"
	case IDTaxCode:
		return "Mã số thuế / mã số doanh nghiệp"
	}
	return string(k)
}

// personalIDPlaces are the first three digits of a personal ID number: the
// code of the province (old 63-province list) where the birth was registered,
// from the appendix of Thông tư 07/2016/TT-BCA (kept by later circulars).
// Cards issued before the 2025 merger keep these prefixes.
var personalIDPlaces = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027
		030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064
		066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096`) {
		personalIDPlaces[c] = true
	}
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NormalizeIDNumber removes spaces and dots people type inside numbers and
// upper-cases letters (passports).
func NormalizeIDNumber(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '.' {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// ValidateIDNumber checks an identification number of the given kind (already
// normalized) and returns an EINVALID field error on "applicant.id_number"
// that says, in Vietnamese, what is wrong.
func ValidateIDNumber(kind IDKind, n string) error {
	bad := func(msg string) error { return FieldError("applicant.id_number", "id_number_malformed", msg) }
	switch kind {
	case IDPersonal:
		if len(n) != 12 || !allDigits(n) {
			return bad("Số định danh cá nhân phải gồm đúng 12 chữ số.")
		}
		if !personalIDPlaces[n[:3]] {
			return bad("Số định danh cá nhân có mã tỉnh \"" + n[:3] + "\" không tồn tại; vui lòng kiểm tra lại.")
		}
	case IDOldCard:
		if len(n) != 9 || !allDigits(n) {
			return bad("Số chứng minh nhân dân cũ phải gồm đúng 9 chữ số.")
		}
	case IDPassport:
		if len(n) < 6 || len(n) > 12 {
			return bad("Số hộ chiếu phải có từ 6 đến 12 ký tự.")
		}
		for _, r := range n {
			if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
				return bad("Số hộ chiếu chỉ gồm chữ cái và chữ số.")
			}
		}
	case IDTaxCode:
		main, branch, hasBranch := strings.Cut(n, "-")
		if len(main) != 10 || !allDigits(main) || (hasBranch && (len(branch) != 3 || !allDigits(branch))) {
			return bad("Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số.")
		}
	default:
		return FieldError("applicant.id_kind", "id_kind_unknown", "Loại giấy tờ tùy thân không hợp lệ.")
	}
	return nil
}

// NormalizePhone removes separators from a phone number and rewrites the
// international prefix +84 as 0.
func NormalizePhone(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '.' || r == '-' || r == '(' || r == ')' {
			return -1
		}
		return r
	}, s)
	if strings.HasPrefix(s, "+84") {
		s = "0" + s[3:]
	} else if strings.HasPrefix(s, "84") && len(s) == 11 {
		s = "0" + s[2:]
	}
	return s
}

// ValidatePhone checks a Vietnamese phone number (normalized): 10 digits
// starting with 0 for mobiles, or 10–11 digits for landlines.
func ValidatePhone(p string) error {
	if p == "" {
		return nil
	}
	if !allDigits(p) || p[0] != '0' || len(p) < 10 || len(p) > 11 {
		return FieldError("applicant.phone", "phone_malformed", "Số điện thoại phải gồm 10 hoặc 11 chữ số và bắt đầu bằng số 0.")
	}
	return nil
}
