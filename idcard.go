package motcua

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IDCard is what the QR code on the back of a chip-based citizen ID card
// (CCCD / thẻ căn cước) holds. A keyboard-wedge reader types it into a field
// as seven values separated by '|': the personal ID number, the old ID card
// number (often empty), the full name, the date of birth (ddmmyyyy), the sex,
// the permanent address and the date of issue (ddmmyyyy).
type IDCard struct {
	IDNumber    string
	OldIDNumber string
	FullName    string
	DateOfBirth string // YYYY-MM-DD
	Gender      string // "Nam" or "Nữ"
	Address     string
	IssuedOn    string // YYYY-MM-DD
}

// idCardQRFields is the number of '|'-separated values of the QR code.
const idCardQRFields = 7

// maxIDCardQR bounds the input: a real code is well under 300 bytes.
const maxIDCardQR = 1000

// ParseIDCardQR reads the content of a CCCD QR code as a reader typed it.
// Surrounding white space (readers end with Enter) is ignored. It returns an
// EINVALID error on the field "cccd_qr", with a Vietnamese message that
// says what is wrong, for anything malformed: the wrong number of values, an
// ID number that is not a valid personal ID number, an empty or implausible
// name, impossible dates, an unknown sex, control characters or invalid
// UTF-8. Text values are returned as read, with runs of spaces collapsed;
// the caller normalizes them to NFC.
func ParseIDCardQR(s string) (*IDCard, error) {
	bad := func(msg string) (*IDCard, error) {
		return nil, FieldError("cccd_qr", "id_card_qr_malformed", msg+" Vui lòng quét lại mã QR trên thẻ căn cước hoặc nhập tay.")
	}
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return bad("Chưa có dữ liệu quét từ mã QR.")
	case len(s) > maxIDCardQR:
		return bad("Dữ liệu quét được quá dài, không phải mã QR của thẻ căn cước.")
	case !utf8.ValidString(s):
		return bad("Dữ liệu quét được có ký tự không đọc được (sai bảng mã).")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return bad("Dữ liệu quét được có ký tự điều khiển, không phải mã QR của thẻ căn cước.")
		}
	}
	parts := strings.Split(s, "|")
	if len(parts) != idCardQRFields {
		return bad("Mã QR của thẻ căn cước có " + strconv.Itoa(idCardQRFields) + " trường ngăn cách bởi dấu \"|\"; dữ liệu quét được có " + strconv.Itoa(len(parts)) + " trường.")
	}
	for i := range parts {
		parts[i] = strings.Join(strings.Fields(parts[i]), " ")
	}
	c := &IDCard{IDNumber: parts[0], OldIDNumber: parts[1], FullName: parts[2], Address: parts[5]}
	if err := ValidateIDNumber(IDPersonal, c.IDNumber); err != nil {
		return bad("Số định danh cá nhân trong mã QR không hợp lệ: " + strings.TrimSuffix(ErrorMessage(err), ".") + ".")
	}
	if n := len(c.OldIDNumber); n != 0 && !(allDigits(c.OldIDNumber) && (n == 9 || n == 12)) {
		return bad("Số CMND cũ trong mã QR phải gồm 9 hoặc 12 chữ số.")
	}
	if !plausibleName(c.FullName) {
		return bad("Họ tên trong mã QR trống hoặc có ký tự không phải chữ cái.")
	}
	dob, ok := qrDate(parts[3])
	if !ok {
		return bad("Ngày sinh trong mã QR phải có dạng ngày tháng năm (ddmmyyyy) và là một ngày có thật.")
	}
	issued, ok := qrDate(parts[6])
	if !ok {
		return bad("Ngày cấp thẻ trong mã QR phải có dạng ngày tháng năm (ddmmyyyy) và là một ngày có thật.")
	}
	if issued < dob {
		return bad("Ngày cấp thẻ trong mã QR trước ngày sinh.")
	}
	c.DateOfBirth, c.IssuedOn = dob, issued
	switch Fold(parts[4]) {
	case "nam":
		c.Gender = "Nam"
	case "nu":
		c.Gender = "Nữ"
	default:
		return bad("Giới tính trong mã QR phải là \"Nam\" hoặc \"Nữ\".")
	}
	if c.Address == "" || utf8.RuneCountInString(c.Address) > 300 {
		return bad("Địa chỉ thường trú trong mã QR trống hoặc quá dài.")
	}
	return c, nil
}

// Applicant returns the applicant the card describes, marked as read from
// the card's QR code.
func (c *IDCard) Applicant() Applicant {
	return Applicant{Kind: ApplicantCitizen, IDKind: IDPersonal, IDNumber: c.IDNumber, FullName: c.FullName,
		DateOfBirth: c.DateOfBirth, Gender: c.Gender, Address: c.Address, Source: SourceIDCardQR}
}

// plausibleName accepts 1–100 letters, combining marks, spaces, apostrophes
// and hyphens, with at least one letter.
func plausibleName(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 100 {
		return false
	}
	letter := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.Is(unicode.Mn, r), r == ' ', r == '\'', r == '-':
		default:
			return false
		}
	}
	return letter
}

// qrDate turns ddmmyyyy into YYYY-MM-DD when it is a real date from 1900 on.
func qrDate(s string) (string, bool) {
	if len(s) != 8 || !allDigits(s) {
		return "", false
	}
	d, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[2:4])
	y, _ := strconv.Atoi(s[4:])
	if y < 1900 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return "", false
	}
	return s[4:] + "-" + s[2:4] + "-" + s[:2], true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
