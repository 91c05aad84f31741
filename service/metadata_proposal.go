package service

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/motcua/motcua"
)

// Patterns of Vietnamese administrative documents (the layout of NĐ
// 30/2020 on administrative documents): "Số: 12/2026/QĐ-UBND", a date
// "ngày 05 tháng 3 năm 2026", a summary "V/v …" or "Về việc …", a
// validity "có giá trị đến ngày …".
var (
	reNumber  = regexp.MustCompile(`(?i)\bSố\s*[:.]?\s*([0-9A-ZĐ][0-9A-Za-zĐđ./\-]*[0-9A-Za-zĐđ])`)
	reDate    = regexp.MustCompile(`(?i)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})`)
	reValid   = regexp.MustCompile(`(?i)(?:có\s+giá\s+trị|hiệu\s+lực)\s+(?:đến|tới)\s+(?:hết\s+)?ngày\s+(\d{1,2})[/\s]*(?:tháng\s+)?(\d{1,2})[/\s]*(?:năm\s+)?(\d{4})`)
	reSummary = regexp.MustCompile(`(?i)^\s*(?:V/v|Về\s+việc)\s*[:.]?\s*(.+)$`)
	reMotto   = regexp.MustCompile(`(?i)Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc`)
)

// nationalLines are header lines that are never the issuer or the type.
var nationalLines = []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}

// docTypes are the titles of the usual results and documents, upper case.
var docTypes = []string{"QUYẾT ĐỊNH", "GIẤY CHỨNG NHẬN", "GIẤY PHÉP", "GIẤY KHAI SINH", "TRÍCH LỤC", "THÔNG BÁO", "CÔNG VĂN",
	"CHỨNG THỰC", "KẾT QUẢ GIẢI QUYẾT", "GIẤY XÁC NHẬN", "BẢN SAO", "TỜ KHAI", "ĐƠN"}

// ProposeMetadata reads the Art.19(2) metadata a scan's text suggests: the
// number and symbol, the date, the issuer (the first upper-case heading
// other than the national one), the type (a known title), the summary, the
// validity and the signer (the last line that looks like a name). It only
// proposes: what it cannot find stays empty, and an officer confirms or
// corrects every field before it may be recorded.
func ProposeMetadata(text string) motcua.DocumentMetadata {
	var m motcua.DocumentMetadata
	if sm := reNumber.FindStringSubmatch(text); sm != nil {
		m.NumberSymbol = strings.TrimRight(sm[1], ".-/")
	}
	if sm := reDate.FindStringSubmatch(text); sm != nil {
		m.IssuedOn = vnDate(sm[1], sm[2], sm[3])
	}
	if sm := reValid.FindStringSubmatch(text); sm != nil {
		m.ValidUntil = vnDate(sm[1], sm[2], sm[3])
	}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		// The two columns of the header are read as one line: the
		// national name and motto are taken out of it.
		for _, n := range nationalLines {
			l = strings.ReplaceAll(l, n, " ")
			l = reMotto.ReplaceAllString(l, " ")
		}
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	// The issuer is the last heading above the title (the superior body
	// comes first, the issuing agency under it), or the first heading
	// when there is no known title.
	var headings []string
	for i, l := range lines {
		up := upper(l)
		switch {
		case m.Summary == "" && reSummary.MatchString(l):
			m.Summary = strings.TrimSpace(reSummary.FindStringSubmatch(l)[1])
		case up && m.DocType == "" && knownType(l) != "":
			m.DocType = knownType(l)
			if m.Summary == "" && i+1 < len(lines) && !upper(lines[i+1]) && !strings.HasPrefix(lines[i+1], "Số") && !reSummary.MatchString(lines[i+1]) {
				m.Summary = lines[i+1]
			}
		case up && knownType(l) == "" && len([]rune(l)) > 6:
			if m.DocType == "" {
				headings = append(headings, l)
			}
		}
	}
	if len(headings) > 0 {
		m.Issuer = headings[len(headings)-1]
		if m.DocType == "" {
			m.Issuer = headings[0]
		}
	}
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-6; i-- {
		if personName(lines[i]) {
			m.Signer = lines[i]
			break
		}
	}
	return m
}

// vnDate is the day d/mo/y in Vietnam time; zero when it is not a date.
func vnDate(d, mo, y string) time.Time {
	dd, _ := strconv.Atoi(d)
	mm, _ := strconv.Atoi(mo)
	yy, _ := strconv.Atoi(y)
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, motcua.VietnamTime)
	if dd < 1 || mm < 1 || mm > 12 || yy < 1900 || yy > 2200 || t.Day() != dd {
		return time.Time{}
	}
	return t
}

// upper reports whether l's letters are all capitals (a heading).
func upper(l string) bool {
	letters := 0
	for _, r := range l {
		if unicode.IsLetter(r) {
			letters++
			if !unicode.IsUpper(r) {
				return false
			}
		}
	}
	return letters >= 3
}

func knownType(l string) string {
	for _, t := range docTypes {
		if strings.HasPrefix(l, t) {
			return l
		}
	}
	return ""
}

// personName: two to five words, each capitalised and the rest lower case
// (a Vietnamese full name as signed under a document).
func personName(l string) bool {
	words := strings.Fields(l)
	if len(words) < 2 || len(words) > 5 {
		return false
	}
	for _, w := range words {
		r := []rune(w)
		if !unicode.IsUpper(r[0]) {
			return false
		}
		for _, c := range r[1:] {
			if !unicode.IsLower(c) {
				return false
			}
		}
	}
	return true
}
