package ui

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// adminHome lists what an administrator can manage.
func (u *UI) adminHome(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	list, err := u.srv.Service.AdministeredAgencies(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &adminHomeData{Agencies: list}
	// The province's administrators are told here when the portal does
	// not take the province's status messages.
	if o, err := u.srv.Service.PortalOverview(r.Context(), u.opts.PortalConnected); err == nil && (o.Alert || o.State.Failed > 0) {
		d.Portal = o
	}
	u.render(w, r, http.StatusOK, "admin", &page{Title: "Quản trị", Section: "admin", Data: d})
}

// adminHomeData is the administration home: the agencies administered,
// and the portal's backlog when it needs the administrator.
type adminHomeData struct {
	Agencies []*motcua.Agency
	Portal   *service.PortalOverview
}

// agencyData is the agencies page or one agency's page.
type agencyData struct {
	List []*motcua.Agency
	// Merged says, for each agency merged into another, into which and
	// since when.
	Merged  map[int64]string
	A       *motcua.Agency
	Points  []*motcua.ReceptionPoint
	Parents []option
	Levels  []option
	Kinds   []option
	// PointForm is the form adding a reception point.
	PointForm *form
}

func (u *UI) agencyChoices(r *http.Request) (*agencyData, error) {
	list, err := u.srv.Service.AdministeredAgencies(r.Context())
	if err != nil {
		return nil, err
	}
	d := &agencyData{List: list, PointForm: newForm(nil), Merged: map[int64]string{}}
	succ, err := u.srv.Service.Successions(r.Context())
	if err != nil {
		return nil, err
	}
	byID, err := u.srv.Service.AgencyIndex(r.Context())
	if err != nil {
		return nil, err
	}
	for id, x := range succ {
		if to, ok := byID[x.SuccessorID]; ok {
			d.Merged[id] = "Đã sáp nhập vào " + to.Name + " từ " + motcua.FormatDate(x.EffectiveAt)
		}
	}
	for _, a := range list {
		d.Parents = append(d.Parents, option{strconv.FormatInt(a.ID, 10), a.Name})
	}
	for _, l := range []motcua.AgencyLevel{motcua.LevelProvince, motcua.LevelCommune, motcua.LevelVertical, motcua.LevelMinistry} {
		d.Levels = append(d.Levels, option{string(l), l.Label()})
	}
	d.Kinds = optionsOf(string(motcua.KindServiceCentre), "Trung tâm Phục vụ hành chính công", string(motcua.KindDepartment), "Sở, ban, ngành",
		string(motcua.KindCommuneCommittee), "Ủy ban nhân dân xã, phường, đặc khu", string(motcua.KindVerticalAgency), "Cơ quan ngành dọc",
		string(motcua.KindProvinceCommittee), "Ủy ban nhân dân tỉnh")
	return d, nil
}

// adminAgencies lists the agencies the administrator manages, with a form
// to add one under them.
func (u *UI) adminAgencies(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	d, err := u.agencyChoices(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "admin_agencies", &page{Title: "Cơ quan, đơn vị", Section: "admin", Data: d})
}

// agencyFromForm reads an agency's fields.
func agencyFromForm(f *form, a *motcua.Agency) {
	a.Code, a.Name = f.Trim("code"), f.Trim("name")
	a.Level, a.Kind = motcua.AgencyLevel(f.Get("level")), motcua.AgencyKind(f.Get("kind"))
	a.ParentID, _ = strconv.ParseInt(f.Get("parent_id"), 10, 64)
	a.Address, a.Phone = f.Trim("address"), f.Trim("phone")
	a.OneStop = f.Get("one_stop") == "1"
}

func agencyValues(a *motcua.Agency) *form {
	f := newForm(nil)
	f.Values.Set("code", a.Code)
	f.Values.Set("name", a.Name)
	f.Values.Set("level", string(a.Level))
	f.Values.Set("kind", string(a.Kind))
	f.Values.Set("parent_id", strconv.FormatInt(a.ParentID, 10))
	f.Values.Set("address", a.Address)
	f.Values.Set("phone", a.Phone)
	if a.OneStop {
		f.Values.Set("one_stop", "1")
	}
	return f
}

func (u *UI) adminCreateAgency(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	a := &motcua.Agency{}
	agencyFromForm(f, a)
	if err := u.srv.Service.CreateAgency(r.Context(), a); err != nil {
		f.fail(err)
		d, err2 := u.agencyChoices(r)
		if err2 != nil {
			u.fail(w, r, err2)
			return
		}
		u.render(w, r, web.Status(err), "admin_agencies", &page{Title: "Cơ quan, đơn vị", Section: "admin", Form: f, Data: d})
		return
	}
	seeOther(w, r, "/quan-tri/co-quan/"+strconv.FormatInt(a.ID, 10)+"?xong=1")
}

// adminAgency shows one agency's form and its reception points.
func (u *UI) adminAgency(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	p := &page{Section: "admin"}
	if r.URL.Query().Get("xong") != "" {
		p.Flash = "Đã lưu."
	}
	u.showAgency(w, r, http.StatusOK, nil, nil, p)
}

func (u *UI) showAgency(w http.ResponseWriter, r *http.Request, status int, f, pf *form, p *page) {
	d, err := u.agencyChoices(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	for _, a := range d.List {
		if a.ID == id {
			d.A = a
		}
	}
	if d.A == nil {
		u.fail(w, r, motcua.Errorf(motcua.ENOTFOUND, "agency_not_found", "Không tìm thấy cơ quan trong phạm vi bạn quản trị."))
		return
	}
	if d.Points, err = u.srv.Service.ReceptionPoints(r.Context(), id); err != nil {
		u.fail(w, r, err)
		return
	}
	if f == nil {
		f = agencyValues(d.A)
	}
	if pf != nil {
		d.PointForm = pf
	}
	p.Title, p.Form, p.Data = d.A.Name, f, d
	u.render(w, r, status, "admin_agency", p)
}

func (u *UI) adminUpdateAgency(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	a := &motcua.Agency{ID: id}
	agencyFromForm(f, a)
	if err := u.srv.Service.UpdateAgency(r.Context(), a); err != nil {
		f.fail(err)
		u.showAgency(w, r, web.Status(err), f, nil, &page{Section: "admin"})
		return
	}
	seeOther(w, r, "/quan-tri/co-quan/"+strconv.FormatInt(id, 10)+"?xong=1")
}

func (u *UI) adminCreatePoint(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	pf, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p := &motcua.ReceptionPoint{AgencyID: id, Code: pf.Trim("code"), Name: pf.Trim("name"), Address: pf.Trim("address")}
	if err := u.srv.Service.CreateReceptionPoint(r.Context(), p); err != nil {
		pf.fail(err)
		u.showAgency(w, r, web.Status(err), nil, pf, &page{Section: "admin"})
		return
	}
	seeOther(w, r, "/quan-tri/co-quan/"+strconv.FormatInt(id, 10)+"?xong=1")
}
