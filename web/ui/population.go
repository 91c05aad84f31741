package ui

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web"
)

// popView is what the counter shows of a population-database lookup: the
// outcome and its message, and per applicant field whether the register
// verified it or holds another value.
type popView struct {
	Found    bool
	Message  string
	Warnings []string
	// Marks are the hints under the applicant's fields, by form field.
	Marks     map[string]string
	Conflicts []popConflict
	Permanent string
	Current   string
	EIDLevel  int
	// Household is the register's household, for procedures that need
	// it (motcua.Component.Household).
	Household *motcua.Household
}

// Mark is the hint a lookup puts under a field of the reception form ("" when
// none).
func (d *counterData) Mark(field string) string {
	if d.Pop == nil {
		return ""
	}
	return d.Pop.Marks[field]
}

// popConflict is a typed value the register contradicts.
type popConflict struct {
	Label, Typed, Register string
}

var popLabels = map[string]string{motcua.FieldFullName: "Họ và tên", motcua.FieldDateOfBirth: "Ngày sinh",
	motcua.FieldGender: "Giới tính", motcua.FieldAddress: "Địa chỉ thường trú"}

// popLookup looks the applicant up in the population database from the
// reception form (a submit button next to the ID number, so it works
// without script) and shows the form again: empty fields filled from the
// register and marked verified, typed fields that differ left as typed
// with a warning, or the message that the register cannot answer and the
// reception continues with typed data.
func (u *UI) popLookup(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	ctx := r.Context()
	purpose := "Tiếp nhận hồ sơ"
	lookUp := u.srv.Service.LookUpCitizen
	if id, _ := strconv.ParseInt(f.Get("thu-tuc"), 10, 64); id != 0 {
		if p, err := u.srv.Service.Procedure(ctx, id); err == nil {
			purpose += ": " + p.Name
			if p.NeedsHousehold() {
				lookUp = u.srv.Service.LookUpHousehold
			}
		}
	}
	f.Values.Del("lookup_token")
	if f.Get("applicant.source") == string(motcua.SourcePopulationDB) {
		f.Values.Set("applicant.source", string(motcua.SourceTyped))
	}
	res, err := lookUp(ctx, f.Trim("applicant.id_number"), purpose, "")
	if err != nil {
		f.fail(err)
		u.showCounterPop(w, r, web.Status(err), f, newForm(nil), "applicant.id_number", nil)
		return
	}
	pv := &popView{Message: res.Message, Warnings: res.Warnings, Marks: map[string]string{}}
	if res.Outcome != motcua.LookupFound {
		u.showCounterPop(w, r, http.StatusOK, f, newForm(nil), "applicant.full_name", pv)
		return
	}
	c := res.Citizen
	pv.Found, pv.Permanent, pv.Current, pv.EIDLevel, pv.Household = true, c.Permanent.Text, c.Current.Text, c.EIDLevel, res.Household
	fill := func(k, v string) {
		if f.Trim(k) == "" && v != "" {
			f.Values.Set(k, v)
		}
	}
	f.Values.Set("applicant.id_kind", string(motcua.IDPersonal))
	f.Values.Set("applicant.id_number", c.IDNumber)
	fill("applicant.full_name", c.FullName)
	if len(c.DateOfBirth) == 10 {
		fill("applicant.date_of_birth", isoToVN(c.DateOfBirth))
	}
	fill("applicant.gender", c.Gender)
	fill("applicant.address", c.Permanent.Text)
	fill("applicant.email", c.Email)
	f.Values.Set("applicant.source", string(motcua.SourcePopulationDB))
	f.Values.Set("lookup_token", res.Token)
	a := motcua.Applicant{FullName: f.Trim("applicant.full_name"), Gender: f.Trim("applicant.gender"), Address: f.Trim("applicant.address")}
	if iso, ok := vnToISO(f.Trim("applicant.date_of_birth")); ok {
		a.DateOfBirth = iso
	} else {
		a.DateOfBirth = f.Trim("applicant.date_of_birth")
	}
	verified, conflicts := motcua.CompareWithRegister(a, c)
	pv.Marks["applicant.id_number"] = "✓ Có trong CSDL quốc gia về dân cư."
	for _, k := range verified {
		pv.Marks["applicant."+k] = "✓ Đã xác thực với CSDL dân cư."
	}
	for _, k := range conflicts {
		reg, typed := k.Register, k.Typed
		if k.Field == motcua.FieldDateOfBirth {
			reg, typed = isoToVN(reg), isoToVN(typed)
		}
		pv.Marks["applicant."+k.Field] = "⚠ Khác CSDL dân cư, nơi ghi: " + reg
		pv.Conflicts = append(pv.Conflicts, popConflict{Label: popLabels[k.Field], Typed: typed, Register: reg})
	}
	u.showCounterPop(w, r, http.StatusOK, f, newForm(nil), "applicant.phone", pv)
}

// earlierResults finds the applicant's earlier results the procedure's
// components may reuse, once the form holds a valid personal ID number;
// nil otherwise or when the lookup fails (the counter then works as
// before).
func (u *UI) earlierResults(r *http.Request, p *motcua.Procedure, f *form) map[int64][]motcua.EarlierResult {
	id := motcua.NormalizeIDNumber(f.Trim("applicant.id_number"))
	if id == "" || motcua.ValidateIDNumber(motcua.IDPersonal, id) != nil {
		return nil
	}
	res, err := u.srv.Service.EarlierResults(r.Context(), p.ID, id)
	if err != nil || len(res) == 0 {
		return nil
	}
	out := map[int64][]motcua.EarlierResult{}
	for _, e := range res {
		out[e.ComponentID] = append(out[e.ComponentID], e)
	}
	return out
}
