package service

import (
	"fmt"
	"strconv"
	"strings"

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
	add("field", "Lĩnh vực", fieldWords(local.FieldCode, local.FieldName), fieldWords(n.FieldCode, n.FieldName))
	add("level", "Cấp thực hiện", local.Level.Label(), n.Level.Label())
	if !sameLimit(local, np) {
		old := limitWords(local.TimeLimit, local.NoTimeLimit, "")
		if local.TimeLimitText != "" {
			old += " (dữ liệu quốc gia đã ghi: \"" + local.TimeLimitText + "\")"
		}
		out = append(out, motcua.FieldDiff{Field: "time_limit", Label: "Thời hạn giải quyết", Old: old,
			New: limitWords(n.TimeLimit, n.NoTimeLimit, nationalTimeLimitText(np))})
	}
	add("components", "Thành phần hồ sơ", componentWords(local.Components), componentWords(n.Components))
	add("fees", "Phí, lệ phí", feeWords(local.Fees), feeWords(n.Fees))
	add("results", "Kết quả", resultWords(local.Results), resultWords(n.Results))
	add("legal_basis", "Căn cứ pháp lý", legalWords(local.LegalBasis), legalWords(n.LegalBasis))
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
			c.Reusable, c.DocTypeCode = prev.Reusable, prev.DocTypeCode
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
