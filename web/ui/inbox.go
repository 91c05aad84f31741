package ui

import (
	"html/template"
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
	Body     template.HTML // the table's lines (inboxBody), "none" until a page is read
	Agencies map[int64]*motcua.Agency
	Mine     []option
	Own      []option // the user's agencies
	States   []option
	Channels []option
	Next     string // address of the next page
}

// inboxRow is a line of the inbox with its texts written once, in Go: the
// template then only reads fields. Each function or method a template
// calls costs about a microsecond of reflection, and at ten a line and
// fifty lines a page they were a third of the CPU of the page officers
// open most.
type inboxRow struct {
	service.InboxItem
	Due      string // date and time of the deadline; "" without one
	Late     bool   // the deadline has passed
	State    string // label of the dossier's state
	Channel  string // label of its channel
	Agency   string // name of the agency holding it
	Warn     string // label of the warning level (Alert), if any
	Clock    string // label of the clock that warns
	ClockDue string // that clock's deadline
}

// inboxRows writes the texts of the page's lines.
func inboxRows(items []service.InboxItem, agencies map[int64]*motcua.Agency) []inboxRow {
	rows := make([]inboxRow, len(items))
	for i, it := range items {
		x := it.Dossier
		r := inboxRow{InboxItem: it, Due: motcua.FormatDateTime(it.DueAt), Late: it.Timeliness == motcua.Overdue,
			State: x.Status.State.Label(), Channel: x.Channel.Label()}
		if a, ok := agencies[x.Status.AgencyID]; ok {
			r.Agency = a.Name
		}
		if it.Alert != "" {
			r.Warn, r.Clock, r.ClockDue = motcua.WarningLevelLabel(it.Alert), motcua.ClockLabel(it.AlertClock.Kind), motcua.FormatDateTime(it.AlertClock.DueAt)
		}
		rows[i] = r
	}
	return rows
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
	d := &inboxData{Agencies: agencies, Page: &service.InboxPage{}, Body: inboxBody(nil)}
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
			d.Body = inboxBody(inboxRows(page.Items, agencies))
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
