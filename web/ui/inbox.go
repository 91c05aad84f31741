package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// inboxData is a page of the inbox with its filters.
type inboxData struct {
	Page     *service.InboxPage
	Agencies map[int64]*motcua.Agency
	Mine     []option
	Own      []option // the user's agencies
	States   []option
	Channels []option
	Next     string // address of the next page
}

// inbox lists the dossiers waiting on the officer (at a step one of their
// roles acts on, or assigned to them), most urgent first, with filters by
// procedure (code), state, agency and channel, a page at a time (keyset
// pagination).
func (u *UI) inbox(w http.ResponseWriter, r *http.Request) {
	usr := u.staff(w, r)
	if usr == nil {
		return
	}
	ctx := r.Context()
	qv := r.URL.Query()
	f := newForm(qv)
	q := service.InboxQuery{Mine: f.Get("cua-toi") == "1", Cursor: f.Get("sau"), Limit: 50}
	if s := f.Get("trang-thai"); s != "" {
		q.States = []motcua.State{motcua.State(s)}
	}
	if c := f.Get("kenh"); c != "" {
		n, _ := strconv.Atoi(c)
		q.Channel = motcua.Channel(n)
	}
	if a := f.Get("co-quan"); a != "" {
		q.AgencyID, _ = strconv.ParseInt(a, 10, 64)
	}
	if code := f.Trim("thu-tuc"); code != "" {
		p, err := u.srv.Service.ProcedureByCode(ctx, code)
		if err != nil {
			f.set("thu-tuc", "Không có thủ tục mang mã “"+code+"” trong danh mục.")
		} else {
			q.ProcedureID = p.ID
		}
	}
	agencies, err := u.srv.Service.AgencyIndex(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &inboxData{Agencies: agencies, Page: &service.InboxPage{}}
	d.States = []option{{"", "Mọi hồ sơ đang chờ tôi"}}
	for _, s := range motcua.AllStates {
		// Finished dossiers wait on nobody: they are in the tracking book.
		if !s.Terminal() {
			d.States = append(d.States, option{string(s), s.Label()})
		}
	}
	d.Mine = []option{{"", "Theo vai trò của tôi"}, {"1", "Được giao riêng cho tôi"}}
	d.Channels = []option{{"", "Mọi kênh"}, {"1", motcua.ChannelCounter.Label()}, {"2", motcua.ChannelOnline.Label()}, {"3", motcua.ChannelPost.Label()}}
	d.Own = agencyOptions(usr, agencies)
	status := http.StatusOK
	if f.ok() {
		page, err := u.srv.Service.Inbox(ctx, q)
		if err != nil {
			f.fail(err)
			status = web.Status(err)
		} else {
			d.Page = page
			if page.Next != "" {
				next := url.Values{}
				for k, v := range qv {
					next[k] = v
				}
				next.Set("sau", page.Next)
				d.Next = "/hop-thu?" + next.Encode()
			}
		}
	} else {
		status = http.StatusUnprocessableEntity
	}
	u.render(w, r, status, "inbox", &page{Title: "Hộp thư hồ sơ", Section: "inbox", Form: f, Data: d})
}

// agencyOptions lists the user's agencies for the inbox filter.
func agencyOptions(usr *motcua.User, agencies map[int64]*motcua.Agency) []option {
	out := []option{{"", "Mọi cơ quan của tôi"}}
	for _, id := range usr.AgencyIDs() {
		if a, ok := agencies[id]; ok {
			out = append(out, option{strconv.FormatInt(id, 10), a.Name})
		}
	}
	return out
}
