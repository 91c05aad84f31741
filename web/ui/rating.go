package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// ratingBox is the rating part of the lookup page and of the counter's
// tablet: the form (when the dossier is returned and not rated) or the
// rating given.
type ratingBox struct {
	Action string // where the form posts
	Code   string
	// Verifier goes back in the lookup's form (never shown).
	Verifier string
	Given    *motcua.Rating
	Form     *form
	Levels   []option
	Trips    []option
	Done     bool // just recorded
}

func levelOptions() []option {
	var out []option
	for _, l := range service.RatingLevels() {
		out = append(out, option{Value: strconv.Itoa(l), Label: motcua.LevelLabel(l)})
	}
	return out
}

func tripOptions() []option {
	return []option{{"0", "Không phải đi lại lần nào"}, {"1", "1 lần"}, {"2", "2 lần trở lên"}}
}

func newRatingBox(action, code, verifier string, f *form) *ratingBox {
	if f == nil {
		f = newForm(nil)
	}
	return &ratingBox{Action: action, Code: code, Verifier: verifier, Form: f, Levels: levelOptions(), Trips: tripOptions()}
}

// ratingInput reads the rating form; a missing or malformed choice is 0
// (or -1 for the trips), which the service refuses with its message.
func ratingInput(f *form) service.RatingInput {
	n := func(name string, missing int) int {
		v, err := strconv.Atoi(f.Trim(name))
		if err != nil {
			return missing
		}
		return v
	}
	return service.RatingInput{Level: n("muc", 0), Attitude: n("thai-do", 0), Trips: n("di-lai", -1), OnTime: f.Get("dung-hen") == "1",
		Comment: f.Get("gop-y")}
}

// ratingFieldNames maps the service's fields to the form's.
var ratingFieldNames = map[string]string{"level": "muc", "attitude": "thai-do", "trips": "di-lai", "comment": "gop-y"}

func failRating(f *form, err error) {
	f.fail(err)
	for k, v := range ratingFieldNames {
		if m, ok := f.Errors[k]; ok {
			delete(f.Errors, k)
			f.Errors[v] = m
		}
	}
}

// lookupRatingBox is the rating part of the lookup page for a returned
// dossier; nil for one not returned yet.
func (u *UI) lookupRatingBox(r *http.Request, d *service.PublicDossier, verifier string) *ratingBox {
	if d.State != motcua.StateReturned {
		return nil
	}
	box := newRatingBox("/tra-cuu/danh-gia", d.Code, verifier, nil)
	if given, err := u.srv.Service.LookupRating(r.Context(), d.Code, verifier, u.srv.ClientIP(r)); err == nil {
		box.Given = given
	} else if motcua.ErrorCode(err) != motcua.ENOTFOUND {
		web.LogError(r, err)
		return nil
	}
	return box
}

// lookupRate records the rating posted from the lookup page (code and
// verifier or the QR secret, as the lookup asks), and shows the page
// again with the rating or the reason it was refused.
func (u *UI) lookupRate(w http.ResponseWriter, r *http.Request) {
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	code, verifier := norm.NFC.String(f.Trim("ma")), f.Trim("so")
	_, rerr := u.srv.Service.RateByLookup(r.Context(), code, verifier, u.srv.ClientIP(r), ratingInput(f))
	pg := &page{Title: "Tra cứu hồ sơ", Section: "lookup", Form: newForm(url.Values{"ma": {code}})}
	d, lerr := u.srv.Service.Lookup(r.Context(), code, verifier, u.srv.ClientIP(r))
	if lerr != nil {
		pg.Form.Errors["ma"] = motcua.ErrorMessage(lerr)
		u.render(w, r, web.Status(lerr), "lookup", pg)
		return
	}
	ld := u.lookupData(r, d, verifier)
	status := http.StatusOK
	if rerr != nil {
		web.LogError(r, rerr)
		status = web.Status(rerr)
		if ld.Rate == nil {
			ld.Rate = newRatingBox("/tra-cuu/danh-gia", d.Code, verifier, nil)
		}
		ld.Rate.Form = f
		failRating(f, rerr)
	} else if ld.Rate != nil {
		ld.Rate.Done = true
	}
	pg.Data = ld
	u.render(w, r, status, "lookup", pg)
}

// counterRatingPage is the counter's tablet: the dossier the officer of
// the session returned last, for the citizen to rate.
func (u *UI) counterRatingPage(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	u.showCounterRating(w, r, http.StatusOK, nil, false)
}

func (u *UI) showCounterRating(w http.ResponseWriter, r *http.Request, status int, f *form, done bool) {
	t, err := u.srv.Service.CounterRatingTarget(r.Context())
	if err != nil && motcua.ErrorCode(err) != motcua.ENOTFOUND {
		u.fail(w, r, err)
		return
	}
	data := struct {
		T   *service.CounterRating
		Box *ratingBox
	}{T: t}
	if t != nil {
		data.Box = newRatingBox("/quay/danh-gia", t.Code, "", f)
		data.Box.Given, data.Box.Done = t.Rating, done
	}
	u.render(w, r, status, "counter_rating", &page{Title: "Đánh giá mức độ hài lòng", Section: "counter", Data: data})
}

// counterRate records the rating given on the tablet.
func (u *UI) counterRate(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if _, err := u.srv.Service.RateAtCounter(r.Context(), f.Trim("ma"), ratingInput(f)); err != nil {
		if c := motcua.ErrorCode(err); c == motcua.EFORBIDDEN || c == motcua.EUNAUTHORIZED {
			u.fail(w, r, err)
			return
		}
		web.LogError(r, err)
		failRating(f, err)
		u.showCounterRating(w, r, web.Status(err), f, false)
		return
	}
	u.showCounterRating(w, r, http.StatusOK, nil, true)
}
