package ui

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// scanSearchData is the search form's page: the query and its hits.
type scanSearchData struct {
	Q      string
	Result *service.ScanSearchPage
	Next   int // the next page, 0 for none
	Prev   int // the previous page, 0 for none
}

// scanSearch searches the text of the scans of the dossiers the officer
// may see (OCR), accent-insensitively, a page of hits at a time.
func (u *UI) scanSearch(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	q := r.URL.Query()
	f := newForm(q)
	d := scanSearchData{Q: q.Get("q")}
	if d.Q == "" {
		u.render(w, r, http.StatusOK, "scansearch", &page{Title: "Tìm trong bản quét", Section: "scansearch", Form: f, Data: d})
		return
	}
	n := 1
	if s := q.Get("trang"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			n = -1 // refused by the service with its message
		}
	}
	res, err := u.srv.Service.SearchScans(r.Context(), d.Q, n, u.srv.ClientIP(r))
	if err != nil {
		f.fail(err)
		u.render(w, r, web.Status(err), "scansearch", &page{Title: "Tìm trong bản quét", Section: "scansearch", Form: f, Data: d})
		return
	}
	d.Result = res
	if res.More {
		d.Next = n + 1
	}
	if n > 1 {
		d.Prev = n - 1
	}
	u.render(w, r, http.StatusOK, "scansearch", &page{Title: "Tìm trong bản quét", Section: "scansearch", Form: f, Data: d})
}
