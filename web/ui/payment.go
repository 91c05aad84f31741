package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// payGoData is the page that sends the payer on to the platform.
type payGoData struct {
	Code     string
	Payment  *motcua.Payment
	Redirect string
}

// lookupPay starts the online payment of a dossier's fees from the public
// lookup (code and verifier, as the lookup asks). The page that follows
// links to the platform's payment page rather than redirecting: the
// site's policy lets forms post only to the site itself.
func (u *UI) lookupPay(w http.ResponseWriter, r *http.Request) {
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	code, verifier := norm.NFC.String(f.Trim("ma")), f.Trim("so")
	p, redirect, err := u.srv.Service.StartOnlinePayment(r.Context(), code, verifier, u.srv.ClientIP(r))
	if err != nil {
		web.LogError(r, err)
		pg := &page{Title: "Tra cứu hồ sơ", Section: "lookup", Form: newForm(url.Values{"ma": {code}, "so": {verifier}})}
		pg.Form.Message = motcua.ErrorMessage(err)
		if d, lerr := u.srv.Service.Lookup(r.Context(), code, verifier, u.srv.ClientIP(r)); lerr == nil {
			ld := u.lookupData(r, d, verifier)
			ld.PayError = pg.Form.Message
			pg.Data = ld
		} else {
			// The code and verifier themselves were refused: say so by
			// the code, as the lookup does.
			pg.Form.Errors["ma"] = pg.Form.Message
		}
		u.render(w, r, web.Status(err), "lookup", pg)
		return
	}
	u.render(w, r, http.StatusOK, "payment_go", &page{Title: "Thanh toán trực tuyến", Section: "lookup",
		Data: payGoData{Code: strings.ToUpper(code), Payment: p, Redirect: redirect}})
}

// paymentReturn is where the platform sends the payer back: it says where
// the payment stands (the platform's confirmation may come a moment later).
func (u *UI) paymentReturn(w http.ResponseWriter, r *http.Request) {
	ret, err := u.srv.Service.PaymentByReference(r.Context(), r.URL.Query().Get("ref"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "payment_return", &page{Title: "Kết quả thanh toán", Section: "lookup", Data: ret})
}

// recordCash records a cash payment from the dossier page's form (no
// script needed); a mistake brings the page back with the message next
// to the field.
func (u *UI) recordCash(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	code := r.PathValue("code")
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	f.Action = "cash"
	// A number that does not parse is an amount of -1, which the service
	// refuses with its own message once it has checked who is asking.
	amount, perr := strconv.ParseInt(strings.ReplaceAll(strings.ReplaceAll(f.Trim("amount"), ".", ""), " ", ""), 10, 64)
	if perr != nil {
		amount = -1
	}
	in := service.CashInput{ReceiptNumber: f.Get("receipt_number"), Amount: amount}
	if _, err := u.srv.Service.RecordCashPayment(r.Context(), code, in, u.srv.ClientIP(r)); err != nil {
		f.fail(err)
		u.showDossier(w, r, web.Status(err), code, f, &page{Section: "inbox"}, "")
		return
	}
	seeOther(w, r, "/ho-so/"+url.PathEscape(code)+"?thu-phi=1#phi-le-phi")
}

// lookupData is the lookup page's data for dossier d, with its fees. A
// failure to read the fees leaves them out rather than failing the page.
func (u *UI) lookupData(r *http.Request, d *service.PublicDossier, verifier string) lookupData {
	ld := lookupData{D: d, Now: u.srv.Service.Now(), Verifier: verifier}
	ld.Rate = u.lookupRatingBox(r, d, verifier)
	if pay, err := u.srv.Service.PublicPayments(r.Context(), d.Code, verifier, u.srv.ClientIP(r)); err == nil {
		ld.Pay = pay
	} else {
		web.LogError(r, err)
	}
	return ld
}
