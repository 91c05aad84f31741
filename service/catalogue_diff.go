package service

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/motcua/motcua"
)

// This file compares a procedure as motcua publishes it with the national
// record, field by field, in words a reviewer reads. Only what the national
// database publishes is compared: the province's own settings (process,
// overrides, competent agency, index attributes, which components staff
// pull from national databases) are not national facts.

// nationalTimeLimitText is the national wording of a time limit that is not
// a plain amount ("1 Khác", prose), wherever the adapter put it.
func nationalTimeLimitText(np *motcua.NationalProcedure) string {
	if t := strings.TrimSpace(np.TimeLimitText); t != "" {
		return t
	}
	return strings.TrimSpace(np.Procedure.TimeLimitText)
}

// limitWords renders a time limit for the review.
func limitWords(tl *motcua.TimeLimit, none bool, text string) string {
	switch {
	case tl != nil:
		return tl.String()
	case none:
		return "Không quy định"
	case text != "":
		return "Cần xác nhận — dữ liệu quốc gia ghi: \"" + text + "\""
	}
	return "Chưa có"
}

// sameLimit reports whether the local limit is what the national record
// says: the same amount, or, when the national data gives only words, the
// same words were imported before (whatever limit the province confirmed
// for them).
func sameLimit(local *motcua.Procedure, np *motcua.NationalProcedure) bool {
	n, text := &np.Procedure, nationalTimeLimitText(np)
	switch {
	case n.TimeLimit != nil:
		// The wording kept from an earlier import is moot once the
		// national data gives the amount the province confirmed.
		return local.TimeLimit != nil && local.TimeLimit.String() == n.TimeLimit.String()
	case n.NoTimeLimit:
		return local.NoTimeLimit
	case text != "":
		return local.TimeLimitText == text
	}
	return local.TimeLimit == nil && !local.NoTimeLimit
}

func componentWords(cs []motcua.Component) string {
	var b strings.Builder
	for i, c := range cs {
		fmt.Fprintf(&b, "%d. %s (chính %d, sao %d)\n", i+1, strings.TrimSpace(c.Name), c.Originals, c.Copies)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func feeWords(fs []motcua.Fee) string {
	var b strings.Builder
	for _, f := range fs {
		amount := "không nêu mức"
		if f.Amount != nil {
			amount = strconv.FormatInt(*f.Amount, 10) + " đồng"
		}
		fmt.Fprintf(&b, "%s: %s", strings.TrimSpace(f.Name), amount)
		if d := strings.TrimSpace(f.Description); d != "" {
			b.WriteString(" — " + d)
		}
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func resultWords(rs []motcua.ResultType) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(strings.TrimSpace(r.Name))
		if r.Code != "" {
			b.WriteString(" [" + r.Code + "]")
		}
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func legalWords(ds []motcua.LegalDoc) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(strings.TrimSpace(d.Number))
		if t := strings.TrimSpace(d.Title); t != "" && t != d.Number {
			b.WriteString(" — " + t)
		}
		if d.EffectiveFrom != nil {
			b.WriteString(" (hiệu lực từ " + motcua.FormatDate(*d.EffectiveFrom) + ")")
		}
		if d.EffectiveTo != nil {
			b.WriteString(" (hết hiệu lực " + motcua.FormatDate(*d.EffectiveTo) + ")")
		}
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func fieldWords(code, name string) string {
	return strings.TrimSpace(strings.TrimSpace(code) + " " + strings.TrimSpace(name))
}

// diffProcedure lists the compared fields where local and the national
// record differ, old (local) and new (national) in words.
func diffProcedure(local *motcua.Procedure, np *motcua.NationalProcedure) []motcua.FieldDiff {
	n := &np.Procedure
	var out []motcua.FieldDiff
	add := func(field, label, old, new string) {
		if old != new {
			out = append(out, motcua.FieldDiff{Field: field, Label: label, Old: old, New: new})
		}
	}
	add("name", "Tên thủ tục", strings.TrimSpace(local.Name), strings.TrimSpace(n.Name))
	// A field is the same when its code is (both given) or else its name.
	if fc, nc := strings.TrimSpace(local.FieldCode), strings.TrimSpace(n.FieldCode); (fc != "" && nc != "" && fc != nc) ||
		((fc == "" || nc == "") && motcua.Fold(local.FieldName) != motcua.Fold(n.FieldName)) {
		out = append(out, motcua.FieldDiff{Field: "field", Label: "Lĩnh vực", Old: fieldWords(local.FieldCode, local.FieldName), New: fieldWords(n.FieldCode, n.FieldName)})
	}
	add("level", "Cấp thực hiện", local.Level.Label(), n.Level.Label())
	if !sameLimit(local, np) {
		old := limitWords(local.TimeLimit, local.NoTimeLimit, "")
		if local.TimeLimitText != "" {
			old += " (dữ liệu quốc gia đã ghi: \"" + local.TimeLimitText + "\")"
		}
		out = append(out, motcua.FieldDiff{Field: "time_limit", Label: "Thời hạn giải quyết", Old: old,
			New: limitWords(n.TimeLimit, n.NoTimeLimit, nationalTimeLimitText(np))})
	}
	if !sameComponents(local.Components, n.Components) {
		out = append(out, motcua.FieldDiff{Field: "components", Label: "Thành phần hồ sơ", Old: componentWords(local.Components), New: componentWords(n.Components)})
	}
	if !sameFees(local.Fees, n.Fees) {
		out = append(out, motcua.FieldDiff{Field: "fees", Label: "Phí, lệ phí", Old: feeWords(local.Fees), New: feeWords(n.Fees)})
	}
	if wordsKey(resultWords(local.Results)) != wordsKey(resultWords(n.Results)) {
		out = append(out, motcua.FieldDiff{Field: "results", Label: "Kết quả", Old: resultWords(local.Results), New: resultWords(n.Results)})
	}
	if !slices.Equal(legalNumbers(local.LegalBasis), legalNumbers(n.LegalBasis)) {
		out = append(out, motcua.FieldDiff{Field: "legal_basis", Label: "Căn cứ pháp lý", Old: legalWords(local.LegalBasis), New: legalWords(n.LegalBasis)})
	}
	// The national data often leaves the service level out: silence is
	// not a change.
	if n.ServiceLevel != "" {
		add("service_level", "Mức độ dịch vụ công trực tuyến", local.ServiceLevel.Label(), n.ServiceLevel.Label())
	}
	return out
}

// mergeComponents takes the national list of components, keeping for each
// one of the same name the ID (dossiers point at it across versions) and the
// province's own flags; a new component gets an ID above every earlier one.
func mergeComponents(old, national []motcua.Component) []motcua.Component {
	byName := map[string]motcua.Component{}
	var top int64
	for _, c := range old {
		byName[motcua.Fold(c.Name)] = c
		top = max(top, c.ID)
	}
	out := make([]motcua.Component, 0, len(national))
	for _, c := range national {
		c.ID, c.Seq = 0, 0
		if prev, ok := byName[motcua.Fold(c.Name)]; ok {
			c.ID, c.Mandatory, c.FromNationalDB = prev.ID, prev.Mandatory, prev.FromNationalDB
			c.Reusable, c.DocTypeCode, c.Household = prev.Reusable, prev.DocTypeCode, prev.Household
			delete(byName, motcua.Fold(c.Name))
		} else {
			top++
			c.ID = top
			if c.FromNationalDB {
				c.Mandatory = false // never required from the applicant (Validate)
			}
		}
		out = append(out, c)
	}
	return out
}

// sameFees compares fees as the national data states them: as free text.
// Its texts are the facts (the amount is read from them, and two readings
// of one text may differ, such as "0" where the provincial council sets
// the amount), so fees are the same when their texts are, word for word
// but for case, diacritics-insensitive spacing and punctuation; fees
// without text compare by their amounts.
func sameFees(a, b []motcua.Fee) bool {
	key := func(fs []motcua.Fee) []string {
		var out []string
		for _, f := range fs {
			k := motcua.Fold(f.Description)
			if k == "" && f.Amount != nil {
				k = strconv.FormatInt(*f.Amount, 10)
			}
			if k != "" && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(key(a), key(b))
}

// sameComponents compares two lists of components by name (without case,
// diacritics, the final punctuation or the count of copies written into
// it) and counts of originals and copies, in order.
func sameComponents(a, b []motcua.Component) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if componentKey(a[i].Name) != componentKey(b[i].Name) || a[i].Originals != b[i].Originals || a[i].Copies != b[i].Copies {
			return false
		}
	}
	return true
}

// wordsKey is a text as compared: its words, folded, without punctuation
// (the national data and the province split lists differently).
func wordsKey(s string) string {
	return strings.Join(strings.FieldsFunc(motcua.Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// legalNumber finds a legal document's number and symbol (60/2014/QH13,
// 123/2015/NĐ-CP).
var legalNumber = regexp.MustCompile(`\d+/\d{4}/[\p{Lu}Đ0-9-]+`)

// legalNumbers lists the documents of a legal basis by number and symbol,
// with their validity: the national data writes a document's title and
// number in one text, the province apart.
func legalNumbers(ds []motcua.LegalDoc) []string {
	var out []string
	for _, d := range ds {
		k := legalNumber.FindString(d.Number)
		if k == "" {
			k = legalNumber.FindString(d.Title)
		}
		if k == "" {
			k = wordsKey(d.Number + " " + d.Title)
		}
		if d.EffectiveFrom != nil {
			k += " from " + d.EffectiveFrom.Format("2006-01-02")
		}
		if d.EffectiveTo != nil {
			k += " to " + d.EffectiveTo.Format("2006-01-02")
		}
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
