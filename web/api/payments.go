package api

import (
	"io"
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// paymentOut is a payment as the API shows it.
type paymentOut struct {
	Reference     string               `json:"reference"`
	Method        motcua.PaymentMethod `json:"method"`
	MethodLabel   string               `json:"method_label"`
	State         motcua.PaymentState  `json:"state"`
	StateLabel    string               `json:"state_label"`
	Amount        int64                `json:"amount"`
	Fees          []motcua.PaymentFee  `json:"fees"`
	TransactionID string               `json:"transaction_id,omitempty"`
	ReceiptNumber string               `json:"receipt_number,omitempty"`
	ReceiptURL    string               `json:"receipt_url,omitempty"`
	PaidAt        time.Time            `json:"paid_at,omitzero"`
	RecordedBy    string               `json:"recorded_by,omitempty"`
	CreatedAt     time.Time            `json:"created_at"`
}

func paymentOf(p *motcua.Payment, recorders map[int64]string) paymentOut {
	out := paymentOut{Reference: p.Reference, Method: p.Method, MethodLabel: p.Method.Label(), State: p.State, StateLabel: p.State.Label(),
		Amount: p.Amount, Fees: p.Fees, TransactionID: p.TransactionID, ReceiptNumber: p.ReceiptNumber, ReceiptURL: p.ReceiptURL,
		PaidAt: vn(p.PaidAt), RecordedBy: recorders[p.RecordedBy], CreatedAt: vn(p.CreatedAt)}
	if out.Fees == nil {
		out.Fees = []motcua.PaymentFee{}
	}
	return out
}

// paymentsOut is the fees and payments of a dossier.
type paymentsOut struct {
	OnlineEnabled bool                `json:"online_enabled"`
	Due           int64               `json:"due"`
	Paid          bool                `json:"paid"`
	Fees          []motcua.DossierFee `json:"fees"`
	Payments      []paymentOut        `json:"payments"`
	CanRecordCash bool                `json:"can_record_cash"`
}

func (a *API) dossierPayments(w http.ResponseWriter, r *http.Request) {
	v, err := a.srv.Service.DossierPayments(r.Context(), r.PathValue("code"))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	out := paymentsOut{OnlineEnabled: v.Enabled, Due: v.Due, Paid: v.Paid != nil, Fees: v.Fees, Payments: []paymentOut{},
		CanRecordCash: v.CanRecordCash}
	if out.Fees == nil {
		out.Fees = []motcua.DossierFee{}
	}
	for _, p := range v.Payments {
		out.Payments = append(out.Payments, paymentOf(p, v.Recorders))
	}
	web.WriteJSON(w, http.StatusOK, out)
}

func (a *API) recordCash(w http.ResponseWriter, r *http.Request) {
	var in service.CashInput
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	p, err := a.srv.Service.RecordCashPayment(r.Context(), r.PathValue("code"), in, a.srv.ClientIP(r))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, paymentOf(p, nil))
}

// onlineRequest starts an online payment: staff involved with the dossier
// send nothing; anyone else sends the dossier's verifier.
type onlineRequest struct {
	Verifier string `json:"verifier,omitempty"`
}

type onlineOut struct {
	Payment     paymentOut `json:"payment"`
	RedirectURL string     `json:"redirect_url"`
}

func (a *API) startOnline(w http.ResponseWriter, r *http.Request) {
	var in onlineRequest
	if r.ContentLength != 0 {
		if err := decode(w, r, &in); err != nil {
			web.WriteError(w, r, err)
			return
		}
	}
	p, redirect, err := a.srv.Service.StartOnlinePayment(r.Context(), r.PathValue("code"), in.Verifier, a.srv.ClientIP(r))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, onlineOut{Payment: paymentOf(p, nil), RedirectURL: redirect})
}

// maxCallback bounds a confirmation's body here; the adapter checks its
// own, smaller limit.
const maxCallback = 16 << 10

// paymentCallback takes the payment platform's confirmation. It needs no
// session: the message's integrity code (MaXacThuc) is its credential,
// and a program's request carries no browser headers, so the protection
// against cross-site requests lets it through like every machine client.
// The answer is in the platform's format, with the HTTP status of the
// outcome.
func (a *API) paymentCallback(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCallback))
	if err != nil {
		err = motcua.Errorf(motcua.EINVALID, "payment_callback_too_large", "Xác nhận thanh toán quá lớn.")
	}
	if err == nil {
		_, err = a.srv.Service.HandlePaymentCallback(r.Context(), body, a.srv.ClientIP(r))
	}
	ct, ans := a.srv.Service.PaymentCallbackAnswer(err)
	if ans == nil { // no platform configured
		web.WriteError(w, r, err)
		return
	}
	status := http.StatusOK
	if err != nil {
		status = web.Status(err)
		web.LogError(r, err)
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(ans)
}
