package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// userData is the accounts page or one account's page.
type userData struct {
	Agencies []option
	Roles    []option
	Users    []*motcua.User
	U        *motcua.User
	Names    map[int64]*motcua.Agency
	// Grants are the account's roles as "agencyID:role" with labels.
	Grants []option
	// AddAgencies and AddRoles offer a role to add ("" first: none).
	AddAgencies, AddRoles []option
	// TwoFactor tells whether the account has a second factor.
	TwoFactor bool
}

func (u *UI) userChoices(r *http.Request) (*userData, error) {
	list, err := u.srv.Service.AdministeredAgencies(r.Context())
	if err != nil {
		return nil, err
	}
	d := &userData{Names: map[int64]*motcua.Agency{}}
	for _, a := range list {
		d.Agencies = append(d.Agencies, option{strconv.FormatInt(a.ID, 10), a.Name})
		d.Names[a.ID] = a
	}
	for _, role := range motcua.StaffRoles {
		d.Roles = append(d.Roles, option{string(role), role.Label()})
	}
	d.AddAgencies = append([]option{{"", "— Không thêm —"}}, d.Agencies...)
	d.AddRoles = append([]option{{"", "—"}}, d.Roles...)
	return d, nil
}

// adminUsers lists the accounts of an agency, with a form to create one.
func (u *UI) adminUsers(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	u.showUsers(w, r, http.StatusOK, newForm(r.URL.Query()))
}

func (u *UI) showUsers(w http.ResponseWriter, r *http.Request, status int, f *form) {
	d, err := u.userChoices(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if f.Get("co-quan") == "" && len(d.Agencies) > 0 {
		f.Values.Set("co-quan", d.Agencies[0].Value)
	}
	agency, _ := strconv.ParseInt(f.Get("co-quan"), 10, 64)
	if d.Users, err = u.srv.Service.Users(r.Context(), motcua.UserFilter{AgencyID: agency}); err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, status, "admin_users", &page{Title: "Tài khoản cán bộ", Section: "admin", Form: f, Data: d})
}

func (u *UI) adminCreateUser(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	agency, _ := strconv.ParseInt(f.Get("grant_agency"), 10, 64)
	nu := service.NewUser{Username: f.Trim("username"), FullName: f.Trim("full_name"), Title: f.Trim("title"),
		Email: f.Trim("email"), Phone: f.Trim("phone"), Password: f.Get("password"),
		Grants: []motcua.Grant{{AgencyID: agency, Role: motcua.Role(f.Get("grant_role"))}}}
	created, err := u.srv.Service.CreateUser(r.Context(), nu)
	if err != nil {
		f.fail(err)
		f.Values.Del("password")
		f.Values.Set("co-quan", f.Get("grant_agency"))
		u.showUsers(w, r, web.Status(err), f)
		return
	}
	seeOther(w, r, "/quan-tri/tai-khoan/"+strconv.FormatInt(created.ID, 10)+"?xong=1")
}

// adminUser shows one account's form.
func (u *UI) adminUser(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	p := &page{Section: "admin"}
	if r.URL.Query().Get("xong") != "" {
		p.Flash = "Đã lưu."
	}
	u.showUser(w, r, http.StatusOK, nil, p)
}

func (u *UI) showUser(w http.ResponseWriter, r *http.Request, status int, f *form, p *page) {
	d, err := u.userChoices(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if d.U, err = u.srv.Service.User(r.Context(), id); err != nil {
		u.fail(w, r, err)
		return
	}
	all, err := u.srv.Service.AgencyIndex(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, g := range d.U.Grants {
		name := ""
		if a, ok := all[g.AgencyID]; ok {
			name = a.Name
		}
		d.Grants = append(d.Grants, option{strconv.FormatInt(g.AgencyID, 10) + ":" + string(g.Role), g.Role.Label() + " – " + name})
	}
	if f == nil {
		f = newForm(nil)
		f.Values.Set("full_name", d.U.FullName)
		f.Values.Set("title", d.U.Title)
		f.Values.Set("email", d.U.Email)
		f.Values.Set("phone", d.U.Phone)
		if d.U.Disabled {
			f.Values.Set("disabled", "1")
		}
		for _, g := range d.Grants {
			f.Values.Add("grant", g.Value)
		}
	}
	if d.TwoFactor, err = u.srv.Service.HasTwoFactor(r.Context(), id); err != nil {
		u.fail(w, r, err)
		return
	}
	p.Title, p.Form, p.Data = d.U.FullName, f, d
	u.render(w, r, status, "admin_user", p)
}

// adminRemoveTwoFactor removes an account's second factor (its owner lost
// their phone and recovery codes).
func (u *UI) adminRemoveTwoFactor(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	if _, err := readForm(w, r); err != nil {
		u.fail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := u.srv.Service.RemoveTwoFactor(r.Context(), id); err != nil {
		u.fail(w, r, err)
		return
	}
	seeOther(w, r, "/quan-tri/tai-khoan/"+strconv.FormatInt(id, 10)+"?xong=1")
}

func (u *UI) adminUpdateUser(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c := service.UserChange{ID: id, FullName: f.Trim("full_name"), Title: f.Trim("title"), Email: f.Trim("email"),
		Phone: f.Trim("phone"), Disabled: f.Get("disabled") == "1", Password: f.Get("password")}
	for _, g := range f.Values["grant"] {
		a, role, _ := strings.Cut(g, ":")
		n, _ := strconv.ParseInt(a, 10, 64)
		c.Grants = append(c.Grants, motcua.Grant{AgencyID: n, Role: motcua.Role(role)})
	}
	if a := f.Get("new_agency"); a != "" && f.Get("new_role") != "" {
		n, _ := strconv.ParseInt(a, 10, 64)
		c.Grants = append(c.Grants, motcua.Grant{AgencyID: n, Role: motcua.Role(f.Get("new_role"))})
	}
	if _, err := u.srv.Service.UpdateUser(r.Context(), c); err != nil {
		f.fail(err)
		f.Values.Del("password")
		u.showUser(w, r, web.Status(err), f, &page{Section: "admin"})
		return
	}
	seeOther(w, r, "/quan-tri/tai-khoan/"+strconv.FormatInt(id, 10)+"?xong=1")
}
