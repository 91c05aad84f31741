package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// procedureForm is a procedure's edit page: the blocks of rows (existing
// ones plus a few empty ones to add) and the choices.
type procedureForm struct {
	P                          *motcua.Procedure // nil for a new procedure
	Comps, Fees, Legal, Steps  []int
	Levels, Units, ServiceLvls []option
	Agencies, Kinds, Roles     []option
}

// extra is how many empty rows each block offers for additions.
const extra = 2

// adminProcedures lists the catalogue (unpublished procedures included).
func (u *UI) adminProcedures(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f := newForm(r.URL.Query())
	hits, err := u.srv.Service.SearchProcedures(r.Context(), service.SearchQuery{Text: f.Trim("q"), Limit: 200})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "admin_procedures", &page{Title: "Thủ tục hành chính", Section: "admin", Form: f, Data: hits})
}

// adminProcedure shows the edit form of a procedure ("moi": a new one).
func (u *UI) adminProcedure(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	p := &page{Section: "admin"}
	if r.URL.Query().Get("xong") != "" {
		p.Flash = "Đã lưu thủ tục."
	}
	var proc *motcua.Procedure
	if id := r.PathValue("id"); id != "moi" {
		n, _ := strconv.ParseInt(id, 10, 64)
		var err error
		if proc, err = u.srv.Service.Procedure(r.Context(), n); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	u.showProcedureForm(w, r, http.StatusOK, proc, procedureValues(proc), p)
}

func (u *UI) showProcedureForm(w http.ResponseWriter, r *http.Request, status int, proc *motcua.Procedure, f *form, p *page) {
	agencies, err := u.srv.Service.Agencies(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &procedureForm{P: proc}
	count := func(prefix string) []int {
		n := 0
		for k := range f.Values {
			head, _, ok := strings.Cut(k, ".")
			if !ok || !strings.HasPrefix(head, prefix) {
				continue
			}
			if i, err := strconv.Atoi(head[len(prefix):]); err == nil && i >= 0 && i < 500 && i+1 > n {
				n = i + 1
			}
		}
		out := make([]int, n+extra)
		for i := range out {
			out[i] = i
		}
		return out
	}
	d.Comps, d.Fees, d.Legal, d.Steps = count("c"), count("f"), count("l"), count("s")
	d.Levels = optionsOf(string(motcua.LevelCommune), motcua.LevelCommune.Label(), string(motcua.LevelProvince), motcua.LevelProvince.Label(),
		string(motcua.LevelVertical), motcua.LevelVertical.Label(), string(motcua.LevelMinistry), motcua.LevelMinistry.Label())
	d.Units = optionsOf(string(motcua.UnitWorkingDays), motcua.UnitWorkingDays.Label(), string(motcua.UnitWorkingHours), motcua.UnitWorkingHours.Label(),
		string(motcua.UnitCalendarDays), motcua.UnitCalendarDays.Label(), string(motcua.UnitMonths), motcua.UnitMonths.Label())
	d.ServiceLvls = optionsOf("", motcua.ServiceLevel("").Label(), string(motcua.ServiceFull), motcua.ServiceFull.Label(),
		string(motcua.ServicePartial), motcua.ServicePartial.Label(), string(motcua.ServiceInfo), motcua.ServiceInfo.Label())
	d.Agencies = []option{{"0", "Cơ quan có thẩm quyền của hồ sơ (mỗi xã giải quyết)"}}
	for _, a := range agencies {
		d.Agencies = append(d.Agencies, option{strconv.FormatInt(a.ID, 10), a.Name})
	}
	d.Kinds = []option{{"", "— (bỏ trống để xóa bước) —"}}
	for _, k := range []motcua.StepKind{motcua.StepAssign, motcua.StepAppraise, motcua.StepConsult, motcua.StepReview, motcua.StepApprove, motcua.StepIssue} {
		d.Kinds = append(d.Kinds, option{string(k), k.Label()})
	}
	for _, role := range []motcua.Role{motcua.RoleSpecialist, motcua.RoleHead, motcua.RoleLeader} {
		d.Roles = append(d.Roles, option{string(role), role.Label()})
	}
	p.Title = "Thủ tục mới"
	if proc != nil {
		p.Title = proc.Name
	}
	p.Form, p.Data = f, d
	u.render(w, r, status, "admin_procedure", p)
}

// procedureValues fills the form from a procedure (nil: defaults of a new
// one).
func procedureValues(p *motcua.Procedure) *form {
	f := newForm(nil)
	set := f.Values.Set
	if p == nil {
		set("level", string(motcua.LevelCommune))
		set("tl_unit", string(motcua.UnitWorkingDays))
		set("agency_id", "0")
		return f
	}
	set("version", strconv.Itoa(p.Version))
	set("code", p.Code)
	set("name", p.Name)
	set("field_name", p.FieldName)
	set("level", string(p.Level))
	set("agency_id", strconv.FormatInt(p.AgencyID, 10))
	set("service_level", string(p.ServiceLevel))
	set("notes", p.Notes)
	if p.Published {
		set("published", "1")
	}
	if p.NoTimeLimit {
		set("no_time_limit", "1")
	}
	if l := p.TimeLimit; l != nil {
		set("tl_value", strconv.FormatFloat(l.Value, 'f', -1, 64))
		set("tl_unit", string(l.Unit))
		if l.CutOff != nil {
			set("tl_cutoff", l.CutOff.String())
		}
	} else {
		set("tl_unit", string(motcua.UnitWorkingDays))
	}
	for i, c := range p.Components {
		k := func(s string) string { return fmt.Sprintf("c%d.%s", i, s) }
		set(k("id"), strconv.FormatInt(c.ID, 10))
		set(k("name"), c.Name)
		set(k("originals"), strconv.Itoa(c.Originals))
		set(k("copies"), strconv.Itoa(c.Copies))
		set(k("doc_type"), c.DocTypeCode)
		for flag, on := range map[string]bool{"mandatory": c.Mandatory, "national": c.FromNationalDB, "reusable": c.Reusable, "household": c.Household} {
			if on {
				set(k(flag), "1")
			}
		}
	}
	for i, fe := range p.Fees {
		set(fmt.Sprintf("f%d.name", i), fe.Name)
		if fe.Amount != nil {
			set(fmt.Sprintf("f%d.amount", i), strconv.FormatInt(*fe.Amount, 10))
		}
		set(fmt.Sprintf("f%d.desc", i), fe.Description)
	}
	for i, l := range p.LegalBasis {
		set(fmt.Sprintf("l%d.number", i), l.Number)
		set(fmt.Sprintf("l%d.title", i), l.Title)
		if l.EffectiveFrom != nil {
			set(fmt.Sprintf("l%d.from", i), motcua.FormatDate(*l.EffectiveFrom))
		}
		if l.EffectiveTo != nil {
			set(fmt.Sprintf("l%d.to", i), motcua.FormatDate(*l.EffectiveTo))
		}
	}
	for i, st := range p.Process.Steps {
		k := func(s string) string { return fmt.Sprintf("s%d.%s", i, s) }
		set(k("name"), st.Name)
		set(k("kind"), string(st.Kind))
		set(k("role"), string(st.Role))
		set(k("agency"), strconv.FormatInt(st.AgencyID, 10))
		set(k("share"), strconv.FormatFloat(st.Share*100, 'f', -1, 64))
		if len(st.Parts) > 0 {
			b, _ := json.Marshal(st.Parts)
			set(k("parts"), string(b))
		}
	}
	return f
}

// procedureFromForm reads the edit form; row-level mistakes (numbers,
// dates) are recorded on f.
func procedureFromForm(f *form, p *motcua.Procedure) {
	num := func(field string, min float64) float64 {
		s := f.Trim(field)
		if s == "" {
			return 0
		}
		x, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
		if err != nil || x < min {
			f.set(field, "Phải là một số không âm.")
		}
		return x
	}
	p.Code, p.Name, p.FieldName = f.Trim("code"), f.Trim("name"), f.Trim("field_name")
	p.Level, p.ServiceLevel = motcua.AgencyLevel(f.Get("level")), motcua.ServiceLevel(f.Get("service_level"))
	p.AgencyID, _ = strconv.ParseInt(f.Get("agency_id"), 10, 64)
	p.Published, p.NoTimeLimit = f.Get("published") == "1", f.Get("no_time_limit") == "1"
	p.Notes = f.Trim("notes")
	p.TimeLimit = nil
	if f.Trim("tl_value") != "" {
		tl := &motcua.TimeLimit{Value: num("tl_value", 0), Unit: motcua.TimeUnit(f.Get("tl_unit"))}
		if c := f.Trim("tl_cutoff"); c != "" {
			ct, err := motcua.ParseClockTime(c)
			if err != nil {
				f.set("tl_cutoff", "Giờ chốt phải có dạng giờ:phút, ví dụ 15:00.")
			}
			tl.CutOff = &ct
		}
		p.TimeLimit = tl
	}
	p.Components, p.Fees, p.LegalBasis, p.Process.Steps = nil, nil, nil, nil
	for i := 0; ; i++ {
		k := func(s string) string { return fmt.Sprintf("c%d.%s", i, s) }
		if _, ok := f.Values[k("name")]; !ok {
			break
		}
		if f.Trim(k("name")) == "" || f.Get(k("del")) == "1" {
			continue
		}
		id, _ := strconv.ParseInt(f.Get(k("id")), 10, 64)
		p.Components = append(p.Components, motcua.Component{ID: id, Name: f.Trim(k("name")),
			Originals: int(num(k("originals"), 0)), Copies: int(num(k("copies"), 0)), DocTypeCode: f.Trim(k("doc_type")),
			Mandatory: f.Get(k("mandatory")) == "1", FromNationalDB: f.Get(k("national")) == "1", Reusable: f.Get(k("reusable")) == "1",
			Household: f.Get(k("household")) == "1"})
	}
	for i := 0; ; i++ {
		k := func(s string) string { return fmt.Sprintf("f%d.%s", i, s) }
		if _, ok := f.Values[k("name")]; !ok {
			break
		}
		if f.Trim(k("name")) == "" {
			continue
		}
		fe := motcua.Fee{Name: f.Trim(k("name")), Description: f.Trim(k("desc"))}
		if f.Trim(k("amount")) != "" {
			a := int64(num(k("amount"), 0))
			fe.Amount = &a
		}
		p.Fees = append(p.Fees, fe)
	}
	for i := 0; ; i++ {
		k := func(s string) string { return fmt.Sprintf("l%d.%s", i, s) }
		if _, ok := f.Values[k("number")]; !ok {
			break
		}
		if f.Trim(k("number")) == "" {
			continue
		}
		l := motcua.LegalDoc{Number: f.Trim(k("number")), Title: f.Trim(k("title"))}
		for _, x := range []struct {
			field string
			into  **time.Time
		}{{k("from"), &l.EffectiveFrom}, {k("to"), &l.EffectiveTo}} {
			if s := f.Trim(x.field); s != "" {
				t, ok := parseVNDate(s)
				if !ok {
					f.set(x.field, "Ngày phải có dạng ngày/tháng/năm.")
				}
				*x.into = &t
			}
		}
		p.LegalBasis = append(p.LegalBasis, l)
	}
	for i := 0; ; i++ {
		k := func(s string) string { return fmt.Sprintf("s%d.%s", i, s) }
		if _, ok := f.Values[k("name")]; !ok {
			break
		}
		if f.Get(k("kind")) == "" || f.Trim(k("name")) == "" {
			continue
		}
		ag, _ := strconv.ParseInt(f.Get(k("agency")), 10, 64)
		st := motcua.Step{Name: f.Trim(k("name")), Kind: motcua.StepKind(f.Get(k("kind"))), Role: motcua.Role(f.Get(k("role"))),
			AgencyID: ag, Share: num(k("share"), 0) / 100}
		if parts := f.Get(k("parts")); parts != "" && st.Kind == motcua.StepConsult {
			if err := json.Unmarshal([]byte(parts), &st.Parts); err != nil {
				f.set(k("name"), "Dữ liệu cơ quan phối hợp của bước này bị hỏng; hãy tải lại trang.")
			}
		}
		p.Process.Steps = append(p.Process.Steps, st)
	}
}

// adminSaveProcedure creates ("moi") or updates a procedure.
func (u *UI) adminSaveProcedure(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	ctx := r.Context()
	var old *motcua.Procedure
	p := &motcua.Procedure{}
	if id := r.PathValue("id"); id != "moi" {
		n, _ := strconv.ParseInt(id, 10, 64)
		if old, err = u.srv.Service.Procedure(ctx, n); err != nil {
			u.fail(w, r, err)
			return
		}
		cp := *old
		p = &cp
		p.Version, _ = strconv.Atoi(f.Get("version"))
	}
	procedureFromForm(f, p)
	if f.ok() {
		if old == nil {
			err = u.srv.Service.CreateProcedure(ctx, p)
		} else {
			err = u.srv.Service.UpdateProcedure(ctx, p)
		}
		if err == nil {
			seeOther(w, r, "/quan-tri/thu-tuc/"+strconv.FormatInt(p.ID, 10)+"?xong=1")
			return
		}
		f.fail(err)
	} else {
		err = motcua.Errorf(motcua.EINVALID, "procedure_form_invalid", "%s", f.Message)
	}
	u.showProcedureForm(w, r, web.Status(err), old, f, &page{Section: "admin"})
}
