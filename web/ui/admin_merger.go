package ui

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// mergerData is the content of the mergers page: the form, the report of
// a dry run, the mergers so far.
type mergerData struct {
	Choices    []*motcua.Agency // agencies that may be merged (active, not the province)
	Successors []option
	Chosen     []int64
	Report     *service.MergerReport
	Mergers    []mergerLine
	Names      map[int64]string
	Status     *service.MergerStatus
	UndoDays   int
}

// mergerLine is a merger in the list, with whether it may still be undone.
type mergerLine struct {
	M        *motcua.Merger
	Undoable bool
}

// mergerInput reads the merger form.
func mergerInput(f *form) (service.MergeInput, []int64) {
	var in service.MergeInput
	for _, v := range f.Values["co_quan"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && !slices.Contains(in.Predecessors, id) {
			in.Predecessors = append(in.Predecessors, id)
		}
	}
	in.Decision, in.NewCode = f.Trim("quyet_dinh"), f.Trim("ma_moi")
	if s := f.Trim("ke_thua"); s == "moi" {
		in.NewSuccessor = &motcua.Agency{Code: f.Trim("ma_don_vi_moi"), Name: f.Trim("ten_don_vi_moi"), Address: f.Trim("dia_chi_moi")}
	} else if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		in.SuccessorID = id
	}
	return in, in.Predecessors
}

// mergerFields maps the service's field names to the form's.
var mergerFields = map[string]string{"predecessors": "co_quan", "successor_id": "ke_thua", "decision": "quyet_dinh", "code": "ma_don_vi_moi", "name": "ten_don_vi_moi"}

// adminMergers shows the mergers page.
func (u *UI) adminMergers(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	p := &page{Title: "Sáp nhập cơ quan, đơn vị", Section: "admin"}
	switch r.URL.Query().Get("xong") {
	case "hoan-tac":
		p.Flash = "Đã hoàn tác đợt sáp nhập: mọi hồ sơ, vai trò, điểm tiếp nhận và thủ tục đã trở lại như trước."
	}
	u.showMergers(w, r, http.StatusOK, newForm(nil), nil, p)
}

func (u *UI) showMergers(w http.ResponseWriter, r *http.Request, status int, f *form, rep *service.MergerReport, p *page) {
	ctx := r.Context()
	ms, err := u.srv.Service.Mergers(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	list, err := u.srv.Service.Agencies(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	merged := map[int64]bool{}
	for _, m := range ms {
		if m.UndoneAt.IsZero() {
			for _, id := range m.Predecessors {
				merged[id] = true
			}
		}
	}
	d := &mergerData{Report: rep, Names: map[int64]string{}, UndoDays: int(u.srv.Service.MergerUndoPeriod().Hours() / 24)}
	d.Successors = []option{{"", "— Chọn —"}, {"moi", "Tạo đơn vị mới"}}
	for _, a := range list {
		d.Names[a.ID] = a.Name
		if merged[a.ID] || a.ParentID == 0 {
			continue
		}
		d.Choices = append(d.Choices, a)
		d.Successors = append(d.Successors, option{strconv.FormatInt(a.ID, 10), a.Name + " (" + a.Code + ")"})
	}
	_, d.Chosen = mergerInput(f)
	now := u.srv.Service.Now()
	for _, m := range ms {
		d.Mergers = append(d.Mergers, mergerLine{M: m, Undoable: m.UndoneAt.IsZero() && now.Sub(m.CreatedAt) <= u.srv.Service.MergerUndoPeriod()})
	}
	p.Form, p.Data = f, d
	u.render(w, r, status, "admin_mergers", p)
}

// mergerFail shows the form again with the service's refusal.
func (u *UI) mergerFail(w http.ResponseWriter, r *http.Request, f *form, err error) {
	if motcua.ErrorCode(err) == motcua.EFORBIDDEN || motcua.ErrorCode(err) == motcua.EUNAUTHORIZED {
		u.fail(w, r, err)
		return
	}
	f.fail(err)
	if msg, ok := f.Errors["code"]; ok && f.Trim("ke_thua") != "moi" {
		// The new code of an existing successor.
		delete(f.Errors, "code")
		f.Errors["ma_moi"] = msg
	}
	for from, to := range mergerFields {
		if msg, ok := f.Errors[from]; ok {
			delete(f.Errors, from)
			f.Errors[to] = msg
		}
	}
	u.showMergers(w, r, web.Status(err), f, nil, &page{Title: "Sáp nhập cơ quan, đơn vị", Section: "admin"})
}

// adminPlanMerger runs the merger dry: the page shows what would move,
// what conflicts and which figures would change, with a button to confirm.
func (u *UI) adminPlanMerger(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	in, _ := mergerInput(f)
	rep, err := u.srv.Service.PlanMerger(r.Context(), in)
	if err != nil {
		u.mergerFail(w, r, f, err)
		return
	}
	if format := f.Trim("tai"); format != "" {
		writeMergerReport(w, rep, format, u.srv.Service.Now())
		return
	}
	u.showMergers(w, r, http.StatusOK, f, rep, &page{Title: "Sáp nhập cơ quan, đơn vị: báo cáo chạy thử", Section: "admin"})
}

// adminStartMerger starts the real merger in the background and shows its
// progress.
func (u *UI) adminStartMerger(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	in, _ := mergerInput(f)
	// The checks that need no transaction answer at once, on the form.
	if err := u.srv.Service.StartMerge(r.Context(), in); err != nil {
		u.mergerFail(w, r, f, err)
		return
	}
	seeOther(w, r, "/quan-tri/sap-nhap/tien-do")
}

// adminMergerProgress shows how the merger started here is going, and its
// report once it is done; the page reloads itself while it runs.
func (u *UI) adminMergerProgress(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	st, err := u.srv.Service.MergeStatus(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := &page{Title: "Sáp nhập cơ quan, đơn vị: tiến độ", Section: "admin"}
	d := &mergerData{Status: &st, Report: st.Report, Names: map[int64]string{}}
	list, err := u.srv.Service.Agencies(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, a := range list {
		d.Names[a.ID] = a.Name
	}
	p.Form, p.Data = newForm(nil), d
	if st.Err != nil {
		p.Form.fail(st.Err)
	}
	u.render(w, r, http.StatusOK, "admin_merger_progress", p)
}

// adminUndoMerger undoes a merger.
func (u *UI) adminUndoMerger(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.fail(w, r, motcua.Errorf(motcua.ENOTFOUND, "merger_not_found", "Không tìm thấy đợt sáp nhập."))
		return
	}
	if err := u.srv.Service.UndoMerger(r.Context(), id); err != nil {
		if motcua.ErrorCode(err) == motcua.ECONFLICT {
			f := newForm(nil)
			f.fail(err)
			u.showMergers(w, r, http.StatusConflict, f, nil, &page{Title: "Sáp nhập cơ quan, đơn vị", Section: "admin"})
			return
		}
		u.fail(w, r, err)
		return
	}
	seeOther(w, r, "/quan-tri/sap-nhap?xong=hoan-tac")
}

// writeMergerReport sends the dry run's report as a file: JSON, or CSV
// (UTF-8 with a byte-order mark, which spreadsheet programs need to read
// Vietnamese).
func writeMergerReport(w http.ResponseWriter, rep *service.MergerReport, format string, now time.Time) {
	name := "bao-cao-sap-nhap-" + now.In(motcua.VietnamTime).Format("20060102")
	if format == "json" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.json"`)
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
		return
	}
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	cw := csv.NewWriter(&b)
	cw.Write([]string{"Phần", "Bảng / đơn vị", "Trạng thái / cột", "Trước", "Sau"})
	for _, c := range rep.Counts {
		cw.Write([]string{"Chuyển", c.Table, string(c.State), "", strconv.Itoa(c.N)})
	}
	for _, c := range rep.Conflicts {
		cw.Write([]string{"Cần rà soát", c.Kind, c.Message, "", ""})
	}
	for _, fg := range rep.Figures {
		for col := 3; col <= 13; col++ {
			cw.Write([]string{"Biểu 06a", fg.Name, "Cột " + strconv.Itoa(col), strconv.FormatInt(fg.Before.Col(col), 10), strconv.FormatInt(fg.After.Col(col), 10)})
		}
		cw.Write([]string{"Chỉ số 766", fg.Name, "Điểm", strconv.FormatFloat(fg.PointsBefore, 'f', 2, 64), strconv.FormatFloat(fg.PointsAfter, 'f', 2, 64)})
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	w.Write(b.Bytes())
}

// TableLabel names a table of the merger's report in Vietnamese.
func (d *mergerData) TableLabel(t string) string {
	switch t {
	case "agencies":
		return "Đơn vị trực thuộc chuyển cấp trên"
	case "user_grants":
		return "Vai trò của cán bộ"
	case "reception_points":
		return "Điểm tiếp nhận"
	case "procedures":
		return "Thủ tục (phiên bản mới)"
	case "dossiers":
		return "Hồ sơ đang giải quyết"
	}
	return t
}

// Checked reports whether the agency is among those chosen.
func (d *mergerData) Checked(id int64) bool { return slices.Contains(d.Chosen, id) }

// Cols are the columns of report 06a the page compares: every counter (3
// to 13), as the CSV file does.
func (d *mergerData) Cols() []int { return []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13} }

// Percent is how far the merger has come, 0 to 100.
func (d *mergerData) Percent() int {
	if d.Status == nil || d.Status.Total == 0 {
		return 0
	}
	return d.Status.Done * 100 / d.Status.Total
}
