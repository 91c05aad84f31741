package ui

import (
	"net/http"
	"net/url"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web"
)

// signBatchData is the leader's page of results to sign at once.
type signBatchData struct {
	Items []*motcua.Dossier
	// Done are the outcomes of the batch just signed, in its order.
	Done []signOutcome
}

// signOutcome is one result of a signed batch, with the Vietnamese
// message of its failure ("" when signed).
type signOutcome struct {
	Code, DocCode, Error string
}

// signBatch is the leader's page: the approved results of their agencies
// not signed yet (service.ResultsToSign), all ticked, and one button that
// signs the ticked ones (service.SignResults); after a batch, what was
// signed and what was not, with why. Signing off, or a caller who leads
// no agency, is said on the page.
func (u *UI) signBatch(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	p := &page{Title: "Ký số kết quả hàng loạt", Section: "sign"}
	f := newForm(url.Values{})
	d := &signBatchData{}
	p.Form, p.Data = f, d
	// Who may sign here at all (a leader, signing configured) is asked
	// before anything is signed.
	items, err := u.srv.Service.ResultsToSign(r.Context())
	if err != nil {
		if motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			u.fail(w, r, err)
			return
		}
		f.fail(err)
		u.render(w, r, web.Status(err), "sign_batch", p)
		return
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			u.fail(w, r, motcua.Errorf(motcua.EINVALID, "form_malformed", "Biểu mẫu không hợp lệ."))
			return
		}
		out, err := u.srv.Service.SignResults(r.Context(), r.PostForm["ma"])
		if err != nil {
			f.fail(err)
			status = web.Status(err)
		}
		for _, o := range out {
			s := signOutcome{Code: o.Code}
			if o.Err != nil {
				web.LogError(r, o.Err)
				s.Error = motcua.ErrorMessage(o.Err)
			} else {
				s.DocCode = o.File.DocCode
			}
			d.Done = append(d.Done, s)
		}
		if items, err = u.srv.Service.ResultsToSign(r.Context()); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	d.Items = items
	u.render(w, r, status, "sign_batch", p)
}
