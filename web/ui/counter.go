package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// counterData is the reception screen: the procedure search, then the
// reception form for the chosen procedure.
type counterData struct {
	Hits []service.SearchHit
	P    *motcua.Procedure
	// Block is why the procedure cannot receive now and who must act;
	// the reception form is not shown then.
	Block     *service.ReceiveBlock
	Competent *motcua.Agency
	Points    []option
	Communes  []option
	FeeTotal  int64
	// Focus names the field the cursor starts in.
	Focus string
	// ScanForm holds the QR field and its error.
	ScanForm *form
	// Pop is the outcome of a population-database lookup just made.
	Pop *popView
	// PopOn: the population database is connected.
	PopOn bool
	// Earlier are the applicant's earlier results that components of the
	// procedure may reuse, by component.
	Earlier map[int64][]motcua.EarlierResult
	// Ticket is the queue ticket the officer is serving: the dossier
	// received is linked to it (service.NewDossier.TicketID).
	Ticket *service.CalledTicket
}

// applicantFields are the applicant's fields in screen order, for placing
// the cursor on the first wrong one.
var applicantFields = []string{"applicant.id_number", "applicant.full_name", "applicant.date_of_birth", "applicant.gender",
	"applicant.phone", "applicant.email", "applicant.notify", "applicant.address", "competent_agency_id", "components", "reason"}

// counter shows the procedure search or, with ?thu-tuc=ID, the reception
// form of that procedure.
func (u *UI) counter(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	q := r.URL.Query()
	f := newForm(url.Values{"thu-tuc": {q.Get("thu-tuc")}, "q": {q.Get("q")}})
	u.showCounter(w, r, http.StatusOK, f, newForm(nil), "")
}

// showCounter renders the reception screen with the form f (what was typed
// and its errors) and the scan form sf.
func (u *UI) showCounter(w http.ResponseWriter, r *http.Request, status int, f, sf *form, focus string) {
	u.showCounterPop(w, r, status, f, sf, focus, nil)
}

// showCounterPop is showCounter with the outcome of a population-database
// lookup.
func (u *UI) showCounterPop(w http.ResponseWriter, r *http.Request, status int, f, sf *form, focus string, pop *popView) {
	ctx := r.Context()
	desk, err := u.srv.Service.CounterDesk(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &counterData{ScanForm: sf, Focus: focus, Pop: pop, PopOn: u.srv.Service.PopulationConnected()}
	for _, p := range desk.Points {
		d.Points = append(d.Points, option{strconv.FormatInt(p.ID, 10), p.Name})
	}
	for _, a := range desk.Communes {
		d.Communes = append(d.Communes, option{strconv.FormatInt(a.ID, 10), a.Name})
	}
	id, _ := strconv.ParseInt(f.Get("thu-tuc"), 10, 64)
	if id == 0 {
		hits, err := u.srv.Service.SearchProcedures(ctx, service.SearchQuery{Text: f.Trim("q"), Limit: 15})
		if err != nil {
			u.fail(w, r, err)
			return
		}
		d.Hits = hits
		u.render(w, r, status, "counter", &page{Title: "Tiếp nhận hồ sơ", Section: "counter", Form: f, Data: d})
		return
	}
	if d.P, err = u.srv.Service.Procedure(ctx, id); err != nil {
		u.fail(w, r, err)
		return
	}
	if d.Block, err = u.srv.Service.ReceiveBlock(ctx, d.P); err != nil {
		u.fail(w, r, err)
		return
	}
	d.FeeTotal = d.P.FeeTotal()
	d.Earlier = u.earlierResults(r, d.P, f)
	agencies, err := u.srv.Service.AgencyIndex(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if d.P.AgencyID != 0 {
		d.Competent = agencies[d.P.AgencyID]
	}
	// Defaults for a new form: the officer's first counter, the commune
	// of that counter, a paper dossier at the counter, a fresh key.
	def := func(k, v string) {
		if _, ok := f.Values[k]; !ok {
			f.Values.Set(k, v)
		}
	}
	if len(desk.Points) > 0 {
		def("reception_point_id", strconv.FormatInt(desk.Points[0].ID, 10))
		if a := agencies[desk.Points[0].AgencyID]; a != nil && a.Kind == motcua.KindCommuneCommittee {
			def("competent_agency_id", strconv.FormatInt(a.ID, 10))
		}
	}
	def("channel", "1")
	def("return_method", "counter")
	def("applicant.id_kind", string(motcua.IDPersonal))
	def("applicant.source", string(motcua.SourceTyped))
	def("idem", newKey())
	if d.Ticket, err = u.srv.Service.ServingTicket(ctx, desk.Points); err == nil && d.Ticket != nil {
		def("ticket_id", strconv.FormatInt(d.Ticket.Ticket.ID, 10))
	}
	u.render(w, r, status, "counter", &page{Title: "Tiếp nhận: " + d.P.Name, Section: "counter", Form: f, Data: d})
}

// scan reads a CCCD QR code typed by a keyboard-wedge reader and fills the
// applicant. A script asks for JSON and fills the fields in place; without
// script the reception form comes back filled.
func (u *UI) scan(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	sf, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	card, err := motcua.ParseIDCardQR(sf.Get("cccd_qr"))
	wantJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	if wantJSON {
		if err != nil {
			web.WriteError(w, r, err)
			return
		}
		web.WriteJSON(w, http.StatusOK, cardFields(card))
		return
	}
	f := newForm(url.Values{"thu-tuc": {sf.Get("thu-tuc")}})
	if err != nil {
		sf.fail(err)
		u.showCounter(w, r, http.StatusUnprocessableEntity, f, sf, "cccd_qr")
		return
	}
	for k, v := range cardFields(card) {
		f.Values.Set(k, v)
	}
	u.showCounter(w, r, http.StatusOK, f, newForm(nil), "applicant.phone")
}

// cardFields are the reception form's applicant fields from a card.
func cardFields(c *motcua.IDCard) map[string]string {
	return map[string]string{
		"applicant.id_kind": string(motcua.IDPersonal), "applicant.id_number": c.IDNumber,
		"applicant.full_name": c.FullName, "applicant.date_of_birth": isoToVN(c.DateOfBirth),
		"applicant.gender": c.Gender, "applicant.address": c.Address, "applicant.source": string(motcua.SourceIDCardQR),
	}
}

// receive records the decision on a new dossier: received, asked for a
// supplement, or refused; then shows the dossier with its form to print.
// A repeated post (a double click, a retry on a weak line) carries the
// same key and gets the same dossier back.
func (u *UI) receive(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	n, err := u.newDossier(r, f)
	if err == nil {
		var in *service.Intake
		// The register's flags are believed only with the token of this
		// officer's own lookup (service.ReceiveAtCounter).
		if in, err = u.srv.Service.ReceiveAtCounter(r.Context(), f.Get("idem"), n, f.Get("lookup_token")); err == nil {
			seeOther(w, r, "/ho-so/"+url.PathEscape(in.Dossier.Code)+"?moi="+n.Decision)
			return
		}
	}
	f.fail(err)
	focus := ""
	for _, k := range applicantFields {
		if f.Err(k) != "" && focus == "" {
			focus = k
		}
	}
	u.showCounter(w, r, web.Status(err), f, newForm(nil), focus)
}

// newDossier reads the reception form.
func (u *UI) newDossier(r *http.Request, f *form) (service.NewDossier, error) {
	id := func(k string) int64 { n, _ := strconv.ParseInt(f.Get(k), 10, 64); return n }
	n := service.NewDossier{ProcedureID: id("thu-tuc"), ReceptionPointID: id("reception_point_id"),
		CompetentAgencyID: id("competent_agency_id"), TicketID: id("ticket_id"), ReturnMethod: f.Get("return_method"),
		Content: f.Trim("content"), Reason: f.Trim("reason"), Decision: f.Get("decision"),
		Applicant: motcua.Applicant{Kind: motcua.ApplicantKind(f.Get("applicant.kind")), IDKind: motcua.IDKind(f.Get("applicant.id_kind")),
			IDNumber: f.Trim("applicant.id_number"), FullName: f.Trim("applicant.full_name"), Gender: f.Trim("applicant.gender"),
			Phone: f.Trim("applicant.phone"), Email: f.Trim("applicant.email"), Address: f.Trim("applicant.address"),
			OnBehalfOf: f.Trim("applicant.on_behalf_of"), Source: motcua.DataSource(f.Get("applicant.source")),
			EIDHelped: f.Get("applicant.eid_helped") == "1", Notify: motcua.NoticeChoice(f.Get("applicant.notify"))}}
	if n.Applicant.IDKind == motcua.IDTaxCode {
		n.Applicant.Kind = motcua.ApplicantOrganization
	}
	switch f.Get("channel") {
	case "1":
		n.Channel = motcua.ChannelCounter
	case "3":
		n.Channel = motcua.ChannelPost
	case "2":
		n.Channel, n.Assisted = motcua.ChannelOnline, true
	}
	if dob := f.Trim("applicant.date_of_birth"); dob != "" {
		iso, ok := vnToISO(dob)
		if !ok {
			return n, motcua.FieldError("applicant.date_of_birth", "date_malformed", "Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 14/03/1986.")
		}
		n.Applicant.DateOfBirth = iso
	}
	if n.ProcedureID != 0 {
		p, err := u.srv.Service.Procedure(r.Context(), n.ProcedureID)
		if err != nil {
			return n, err
		}
		for _, c := range p.Components {
			if c.FromNationalDB {
				continue
			}
			sid := strconv.FormatInt(c.ID, 10)
			// A reuse is the choice of one earlier result (a dossier
			// code, or a national-store document "<code>|<number>"),
			// which the service checks.
			in := service.ComponentInput{ComponentID: c.ID, Provided: f.Has("nop", sid)}
			if ref := f.Trim("dung-lai-tu-" + sid); strings.Contains(ref, "|") {
				in.ReuseStore, in.Reused = ref, true
			} else if ref != "" {
				in.ReuseDossier, in.Reused = ref, true
			}
			n.Components = append(n.Components, in)
			if !in.Provided && !in.Reused {
				n.Missing = append(n.Missing, c.ID)
			}
		}
	}
	if n.Decision != service.DecisionSupplement {
		n.Missing = nil
	}
	return n, nil
}

// isoToVN turns YYYY-MM-DD into dd/mm/yyyy.
func isoToVN(s string) string {
	if len(s) != 10 {
		return s
	}
	return s[8:] + "/" + s[5:7] + "/" + s[:4]
}

// vnToISO reads d/m/yyyy or dd/mm/yyyy (also with '-' or '.') as
// YYYY-MM-DD; the service checks that the date exists.
func vnToISO(s string) (string, bool) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return "", false
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			return "", false
		}
	}
	pad := func(p string) string {
		if len(p) == 1 {
			return "0" + p
		}
		return p
	}
	return parts[2] + "-" + pad(parts[1]) + "-" + pad(parts[0]), true
}
