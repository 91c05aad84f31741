package ui

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/web"
)

// bookData is the tracking book's page: the choice of agency and period.
type bookData struct {
	Agencies []option
}

// book shows the form of the tracking book (sổ theo dõi hồ sơ) and, once
// the agency and the period are given, sends the book as a PDF.
func (u *UI) book(w http.ResponseWriter, r *http.Request) {
	usr := u.staff(w, r)
	if usr == nil {
		return
	}
	ctx := r.Context()
	f := newForm(r.URL.Query())
	agencies, err := u.srv.Service.AgencyIndex(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	readable, err := u.srv.Service.BookAgencies(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &bookData{}
	for _, a := range readable {
		d.Agencies = append(d.Agencies, option{strconv.FormatInt(a.ID, 10), a.Name})
	}
	now := u.srv.Service.Now().In(motcua.VietnamTime)
	show := func(status int) {
		if _, ok := f.Values["tu"]; !ok {
			f.Values.Set("tu", time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, motcua.VietnamTime).Format("02/01/2006"))
			f.Values.Set("den", now.Format("02/01/2006"))
		}
		u.render(w, r, status, "book", &page{Title: "Sổ theo dõi hồ sơ", Section: "book", Form: f, Data: d})
	}
	if f.Get("in") == "" {
		show(http.StatusOK)
		return
	}
	from, okFrom := parseVNDate(f.Trim("tu"))
	to, okTo := parseVNDate(f.Trim("den"))
	if !okFrom {
		f.set("tu", "Ngày bắt đầu phải có dạng ngày/tháng/năm, ví dụ 01/03/2025.")
	}
	if !okTo {
		f.set("den", "Ngày kết thúc phải có dạng ngày/tháng/năm, ví dụ 31/03/2025.")
	}
	agencyID, _ := strconv.ParseInt(f.Get("co-quan"), 10, 64)
	if !f.ok() {
		show(http.StatusUnprocessableEntity)
		return
	}
	ds, err := u.srv.Service.DossierBook(ctx, agencyID, from, to, u.srv.ClientIP(r))
	if err != nil {
		f.fail(err)
		if f.Errors["to"] != "" {
			f.Errors["den"] = f.Errors["to"]
			delete(f.Errors, "to")
		}
		show(web.Status(err))
		return
	}
	a := agencies[agencyID]
	b := &pdf.Book{Agency: a, From: from, To: to, Dossiers: ds, Agencies: agencies, PrintedAt: u.srv.Service.Now()}
	if p, ok := agencies[a.ParentID]; ok {
		b.Superior = p.Name
	}
	release, err := pdfSlot(r.Context())
	if err != nil {
		return // the client left while the PDFs before it were rendered
	}
	var buf bytes.Buffer
	err = u.pdf.Book(&buf, b)
	release()
	if err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="so-theo-doi-ho-so.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// parseVNDate reads dd/mm/yyyy as the start of that day in Vietnam time.
func parseVNDate(s string) (time.Time, bool) {
	iso, ok := vnToISO(s)
	if !ok {
		return time.Time{}, false
	}
	d, err := calendar.ParseDate(iso)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, motcua.VietnamTime), true
}
