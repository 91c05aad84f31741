package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// PortalInbound reads a message the national portal sent to motcua,
// verifying it (signature, freshness, size, fields; the files it names are
// fetched): the result is one of *motcua.PortalSubmission,
// *motcua.PortalSupplement or *motcua.PortalWithdrawal. The dvcqg adapter
// implements it.
type PortalInbound interface {
	Read(r *http.Request) (any, error)
}

// Portal is the API's link to the national portal: the inbound reader and
// the integration account its messages act as. A nil Inbound means the
// portal is not connected.
type Portal struct {
	Inbound PortalInbound
	Account string
	// Status gives the HTTP status of a refusal by the reader (the
	// adapter's own table: 401 for a bad signature, 413 for a body too
	// large, 502 when a file could not be fetched); nil: the domain's.
	Status func(error) int
}

// SetPortal connects the API's portal endpoints.
func (a *API) SetPortal(p Portal) { a.portal = p }

// portalAnswer is what the portal is told of a message it sent.
type portalAnswer struct {
	Code         string `json:"code"`
	NationalCode string `json:"national_code"`
	State        string `json:"state"`
	Replayed     bool   `json:"replayed,omitempty"`
}

// portalMessage takes a message from the national portal: an online
// dossier, a citizen's supplement or a withdrawal request. The message is
// believed only once the adapter verified it; it then acts as the portal's
// integration account. Every refusal is written to the audit log.
func (a *API) portalMessage(w http.ResponseWriter, r *http.Request) {
	svc := a.srv.Service
	if a.portal.Inbound == nil {
		web.WriteError(w, r, motcua.Errorf(motcua.EFORBIDDEN, "portal_not_connected", "Hệ thống chưa kết nối Cổng Dịch vụ công quốc gia."))
		return
	}
	refuse := func(err error, read bool) {
		status := web.Status(err)
		if read && a.portal.Status != nil {
			if st := a.portal.Status(err); st != 0 {
				status = st
			}
		}
		svc.LogPortalRefusal(context.WithoutCancel(r.Context()), err, a.srv.ClientIP(r))
		web.LogError(r, err)
		web.WriteJSON(w, status, web.ErrorBodyOf(err))
	}
	msg, err := a.portal.Inbound.Read(r)
	if err != nil {
		refuse(err, true)
		return
	}
	// The portal's texts are stored and compared in Unicode NFC, as every
	// text people type is.
	nfcMessage(msg)
	u, err := svc.IntegrationAccount(r.Context(), a.portal.Account)
	if err != nil {
		refuse(err, false)
		return
	}
	ctx := motcua.NewContextWithUser(r.Context(), u)
	var d *motcua.Dossier
	var national string
	replayed := false
	switch m := msg.(type) {
	case *motcua.PortalSubmission:
		var in *service.Intake
		if in, err = svc.ReceiveFromPortal(ctx, m); err == nil {
			d, replayed = in.Dossier, in.Replayed
		}
		national = m.NationalCode
	case *motcua.PortalSupplement:
		d, err = svc.SupplementFromPortal(ctx, m)
		national = m.NationalCode
	case *motcua.PortalWithdrawal:
		d, err = svc.WithdrawFromPortal(ctx, m)
		national = m.NationalCode
	default:
		err = motcua.Errorf(motcua.EINVALID, "message_kind_unknown", "Loại thông điệp không được hỗ trợ.")
	}
	if err != nil {
		refuse(err, false)
		return
	}
	status := http.StatusOK
	if _, ok := msg.(*motcua.PortalSubmission); ok && !replayed {
		status = http.StatusCreated
	}
	web.WriteJSON(w, status, portalAnswer{Code: d.Code, NationalCode: national, State: string(d.Status.State), Replayed: replayed})
}

type portalPendingJSON struct {
	ID        int64  `json:"id"`
	Dossier   string `json:"dossier"`
	Seq       int    `json:"seq"`
	CreatedAt string `json:"created_at"`
	Attempts  int    `json:"attempts"`
	Failed    bool   `json:"failed"`
	LastError string `json:"last_error"`
}

// portalSync describes the link with the portal for the province's
// administrator: the backlog, its lag, what waits or failed, what came in.
func (a *API) portalSync(w http.ResponseWriter, r *http.Request) {
	o, err := a.srv.Service.PortalOverview(r.Context(), a.portal.Inbound != nil)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	pending := make([]portalPendingJSON, 0, len(o.Pending))
	for _, p := range o.Pending {
		pending = append(pending, portalPendingJSON{ID: p.Message.ID, Dossier: p.Code, Seq: p.Seq,
			CreatedAt: vn(p.Message.CreatedAt).Format(time.RFC3339), Attempts: p.Message.Attempts,
			Failed: !p.Message.FailedAt.IsZero(), LastError: p.Message.LastError})
	}
	received := make([]map[string]any, 0, len(o.Received))
	for _, m := range o.Received {
		received = append(received, map[string]any{"message_id": m.MessageID, "kind": m.Kind, "national_code": m.NationalCode,
			"received_at": vn(m.ReceivedAt).Format(time.RFC3339), "outcome": m.Outcome})
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"connected": o.Connected, "pending": o.State.Pending, "failed": o.State.Failed,
		"retrying": o.State.Retrying, "lag_seconds": int64(o.Lag.Seconds()), "alert": o.Alert, "messages": pending, "received": received})
}

// portalReplay makes a given-up status message due again.
func (a *API) portalReplay(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		web.WriteError(w, r, motcua.Errorf(motcua.EINVALID, "bad_id", "Mã thông điệp không hợp lệ."))
		return
	}
	if err := a.srv.Service.ReplayPortalMessage(r.Context(), id); err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"replayed": id})
}

// nfcMessage puts the texts of a message from the portal in Unicode NFC.
func nfcMessage(msg any) {
	nfc := norm.NFC.String
	components := func(cs []motcua.PortalComponent) {
		for i := range cs {
			cs[i].Name, cs[i].Code, cs[i].ReplacedBy = nfc(cs[i].Name), nfc(cs[i].Code), nfc(cs[i].ReplacedBy)
			for j := range cs[i].Files {
				cs[i].Files[j].Name = nfc(cs[i].Files[j].Name)
			}
		}
	}
	switch m := msg.(type) {
	case *motcua.PortalSubmission:
		a := &m.Applicant
		a.FullName, a.Address, a.OnBehalfOf, a.Email, a.Phone = nfc(a.FullName), nfc(a.Address), nfc(a.OnBehalfOf), nfc(a.Email), nfc(a.Phone)
		m.Summary = nfc(m.Summary)
		for i := range m.Payments {
			m.Payments[i].Name = nfc(m.Payments[i].Name)
		}
		components(m.Components)
	case *motcua.PortalSupplement:
		m.Note = nfc(m.Note)
		components(m.Components)
	case *motcua.PortalWithdrawal:
		m.Reason = nfc(m.Reason)
	}
}
