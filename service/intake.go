package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// Decisions an officer can take on a new dossier at the counter.
const (
	DecisionReceive    = "receive"    // complete and valid: receive it, the clock starts
	DecisionSupplement = "supplement" // incomplete: ask once for what is missing
	DecisionRefuse     = "refuse"     // not eligible: refuse with a reason
	DecisionSubmit     = "submit"     // an online dossier forwarded by the national portal
)

// ComponentInput says, for one component of the procedure, what the
// applicant brought.
type ComponentInput struct {
	ComponentID int64 `json:"component_id"`
	Provided    bool  `json:"provided"`
	Reused      bool  `json:"reused"`
	// IgnoredDigitized is accepted (the API's "digitized", kept so that
	// older clients are not refused) and ignored: a component is digitized
	// exactly when a validly signed file of it is stored (AttachFile),
	// never on a caller's word.
	IgnoredDigitized bool `json:"digitized,omitempty"`
	// TakenFromStore: taken from the citizen's electronic data store.
	TakenFromStore bool `json:"taken_from_store,omitempty"`
	// ReuseDossier names the earlier dossier whose result is reused for
	// this component (ReceiveAtCounter checks it and fills the two fields
	// below, which no client sets).
	ReuseDossier string `json:"reuse_dossier,omitempty"`
	// ReuseStore names a document of the national store to reuse
	// instead, as motcua.StoreReuseRef ("<result code>|<number>");
	// ReceiveAtCounter asks the store again before believing it.
	ReuseStore   string `json:"reuse_store,omitempty"`
	ReusedResult string `json:"-"`
	ReusedFrom   string `json:"-"`
}

// NewDossier is a new dossier as the counter (or the portal) gives it.
type NewDossier struct {
	ProcedureID      int64 `json:"procedure_id"`
	ReceptionPointID int64 `json:"reception_point_id"`
	// CompetentAgencyID chooses the commune for commune-level procedures;
	// it defaults to the reception agency when that is a commune.
	CompetentAgencyID int64            `json:"competent_agency_id,omitempty"`
	Channel           motcua.Channel   `json:"channel"`
	Assisted          bool             `json:"assisted,omitempty"`
	Applicant         motcua.Applicant `json:"applicant"`
	Content           string           `json:"content,omitempty"`
	ReturnMethod      string           `json:"return_method,omitempty"`
	Components        []ComponentInput `json:"components"`
	Decision          string           `json:"decision,omitempty"`
	Reason            string           `json:"reason,omitempty"`
	Missing           []int64          `json:"missing,omitempty"`
	// NationalCode is the national portal's code of a dossier it
	// forwarded; set only by the portal's inbound path (ReceiveFromPortal),
	// never from a client's JSON.
	NationalCode string `json:"-"`
	// TicketID is the queue ticket the officer is serving for this
	// applicant (0: none); the ticket ends with this dossier (linkTicket).
	TicketID int64 `json:"ticket_id,omitempty"`
}

// Intake is the outcome of ReceiveDossier: the dossier, and whether it was
// created by an earlier request with the same idempotency key.
type Intake struct {
	Dossier  *motcua.Dossier
	Replayed bool
}

// Bounds of the free texts of a dossier, in characters: generous for any
// real name, address or request, small enough that a receipt, a form and
// the tracking book stay a page per dossier.
const (
	maxNameLen    = 200
	maxAddressLen = 500
	maxEmailLen   = 254
	maxContentLen = 2000
)

// badText is the message for a free text refused by CleanLine or
// CleanText.
func badText(label, v string, max int) string {
	if utf8.RuneCountInString(v) > max {
		return fmt.Sprintf("%s quá dài (tối đa %d ký tự).", label, max)
	}
	return label + " có ký tự điều khiển hoặc ký tự ẩn không được phép; vui lòng nhập lại."
}

// normalize cleans what people type and checks it without the store,
// collecting every field error at once so that a form can show them all.
// now bounds dates (no birth after today).
func (n *NewDossier) normalize(now time.Time) error {
	fields := map[string]string{}
	add := func(err error) {
		if e, ok := err.(*motcua.Error); ok {
			for k, v := range e.Fields {
				fields[k] = v
			}
		}
	}
	a := &n.Applicant
	// Every free text is bounded and printable: what is stored is printed
	// on receipts, forms and the tracking book, so a 1 MB address or a
	// right-to-left override would reach paper (see motcua.CleanLine).
	line := func(field, label string, v *string, max int) {
		var ok bool
		if *v, ok = motcua.CleanLine(*v, max); !ok {
			fields[field] = badText(label, *v, max)
		}
	}
	text := func(field, label string, v *string, max int) {
		var ok bool
		if *v, ok = motcua.CleanText(*v, max); !ok {
			fields[field] = badText(label, *v, max)
		}
	}
	line("applicant.full_name", "Họ tên", &a.FullName, maxNameLen)
	line("applicant.address", "Địa chỉ", &a.Address, maxAddressLen)
	line("applicant.email", "Thư điện tử", &a.Email, maxEmailLen)
	line("applicant.on_behalf_of", "Người được đại diện", &a.OnBehalfOf, maxNameLen)
	line("applicant.gender", "Giới tính", &a.Gender, 10)
	text("content", "Nội dung yêu cầu", &n.Content, maxContentLen)
	text("reason", "Lý do", &n.Reason, maxContentLen)
	a.IDNumber = motcua.NormalizeIDNumber(a.IDNumber)
	a.Phone = motcua.NormalizePhone(a.Phone)
	if a.Kind == "" {
		a.Kind = motcua.ApplicantCitizen
	}
	if a.IDKind == "" {
		a.IDKind = motcua.IDPersonal
		if a.Kind == motcua.ApplicantOrganization {
			a.IDKind = motcua.IDTaxCode
		}
	}
	if a.Source == "" {
		a.Source = motcua.SourceTyped
	}
	if a.Kind != motcua.ApplicantCitizen && a.Kind != motcua.ApplicantOrganization {
		fields["applicant.kind"] = "Loại người nộp phải là công dân hoặc tổ chức."
	}
	if a.FullName == "" && fields["applicant.full_name"] == "" {
		fields["applicant.full_name"] = "Chưa nhập họ tên người nộp (hoặc tên tổ chức)."
	}
	if a.IDNumber == "" {
		fields["applicant.id_number"] = "Chưa nhập số giấy tờ tùy thân (số định danh cá nhân)."
	} else {
		add(motcua.ValidateIDNumber(a.IDKind, a.IDNumber))
	}
	add(motcua.ValidatePhone(a.Phone))
	if a.Email != "" && fields["applicant.email"] == "" && (!strings.Contains(a.Email, "@") || strings.ContainsAny(a.Email, " <>")) {
		fields["applicant.email"] = "Địa chỉ thư điện tử không hợp lệ."
	}
	if a.DateOfBirth != "" && !validISODate(a.DateOfBirth) {
		fields["applicant.date_of_birth"] = "Ngày sinh không hợp lệ."
	} else if a.DateOfBirth != "" && a.DateOfBirth > now.In(motcua.VietnamTime).Format("2006-01-02") {
		fields["applicant.date_of_birth"] = "Ngày sinh không được sau ngày hôm nay."
	}
	if a.Source != motcua.SourceTyped && a.Source != motcua.SourceIDCardQR && a.Source != motcua.SourcePopulationDB {
		fields["applicant.source"] = "Nguồn dữ liệu người nộp không hợp lệ."
	}
	// An online dossier whose message names no choice is told through
	// every contact it carries; at the counter the officer records the
	// choice.
	if a.Notify == "" && n.Channel == motcua.ChannelOnline {
		a.Notify = motcua.DefaultNotice(*a)
		if a.Notify.Email() && fields["applicant.email"] != "" {
			a.Notify = motcua.NotifySMS
			if a.Phone == "" {
				a.Notify = motcua.NotifyNone
			}
		}
	}
	add(motcua.CheckNotice(*a))
	if !n.Channel.Valid() {
		fields["channel"] = "Kênh nộp phải là trực tiếp, trực tuyến hoặc bưu chính."
	}
	if n.ProcedureID == 0 {
		fields["procedure_id"] = "Chưa chọn thủ tục hành chính."
	}
	if n.ReceptionPointID == 0 {
		fields["reception_point_id"] = "Chưa chọn điểm tiếp nhận."
	}
	switch n.ReturnMethod {
	case "":
		n.ReturnMethod = "counter"
		if n.Channel == motcua.ChannelOnline {
			n.ReturnMethod = "online"
		}
	case "counter", "post", "online":
	default:
		fields["return_method"] = "Hình thức trả kết quả phải là tại quầy, qua bưu chính hoặc trực tuyến."
	}
	switch n.Decision {
	case "":
		n.Decision = DecisionReceive
	case DecisionReceive, DecisionSupplement, DecisionRefuse, DecisionSubmit:
	default:
		fields["decision"] = "Quyết định phải là tiếp nhận, yêu cầu bổ sung hoặc từ chối."
	}
	if n.Decision == DecisionSubmit && n.Channel != motcua.ChannelOnline {
		fields["channel"] = "Chỉ hồ sơ trực tuyến mới được chuyển từ Cổng Dịch vụ công quốc gia."
	}
	if len(fields) > 0 {
		return &motcua.Error{Code: motcua.EINVALID, Reason: "dossier_invalid", Message: "Thông tin hồ sơ chưa hợp lệ; vui lòng kiểm tra các trường được đánh dấu.", Fields: fields}
	}
	return nil
}

func validISODate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	y, m, d := atoi(s[:4]), atoi(s[5:7]), atoi(s[8:])
	if y < 1900 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// ReceiveDossier records a new dossier: received (the clock starts), asked
// for a supplement, refused at reception, or — for integration accounts —
// submitted online. The caller must hold the reception role at the
// reception point's agency (or the integration role). With a non-empty
// idempotency key, a repeated request returns the dossier the first one
// created instead of a duplicate; the same key with a different request is
// ECONFLICT. Nothing is written when any check fails.
func (s *Service) ReceiveDossier(ctx context.Context, key string, n NewDossier) (*Intake, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	if err := n.normalize(s.now()); err != nil {
		return nil, err
	}
	if len(key) > 200 {
		return nil, motcua.FieldError("idempotency_key", "idempotency_key_too_long", "Khóa chống trùng quá dài (tối đa 200 ký tự).")
	}
	reqHash := hashRequest(n)
	now := s.now()

	// Everything that needs no lock is read and checked before the write,
	// so that the single writer spends its time only on writing.
	proc, err := s.currentProcedure(ctx, n.ProcedureID)
	if err != nil {
		return nil, fieldNotFound(err)
	}
	point, err := s.receptionPoint(ctx, n.ReceptionPointID)
	if err != nil {
		return nil, fieldNotFound(err)
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	if err := proc.CanReceive(now); err != nil {
		return nil, err
	}
	competent, err := s.competentAgency(proc, point, n.CompetentAgencyID, byID)
	if err != nil {
		return nil, err
	}
	d := &motcua.Dossier{
		ProcedureID: proc.ID, ProcedureVersion: proc.Version, ProcedureCode: proc.Code, ProcedureName: proc.Name,
		Applicant: n.Applicant, Channel: n.Channel, Assisted: n.Assisted, ReceptionPointID: point.ID,
		ReceptionAgencyID: point.AgencyID, CompetentAgencyID: competent.ID, Content: n.Content, ReturnMethod: n.ReturnMethod,
		Verifier: motcua.VerifierFor(n.Applicant), LookupSecret: newLookupSecret(), CreatedAt: now, Status: motcua.Status{Step: -1},
	}
	if d.Components, err = dossierComponents(proc, n); err != nil {
		return nil, err
	}
	for _, f := range proc.Fees {
		if f.Amount != nil {
			d.Fees = append(d.Fees, motcua.DossierFee{Name: f.Name, Amount: *f.Amount})
		}
	}
	cmd := motcua.Command{Reason: n.Reason, Missing: n.Missing}
	switch n.Decision {
	case DecisionReceive:
		cmd.Action = motcua.ActReceive
		if err := requireComponents(d.Components); err != nil {
			return nil, err
		}
	case DecisionSupplement:
		cmd.Action = motcua.ActRequestSupplement
	case DecisionRefuse:
		cmd.Action = motcua.ActRefuse
	case DecisionSubmit:
		cmd.Action = motcua.ActSubmit
	}
	ev, err := s.decider().Decide(d, proc, u, now, cmd)
	if err != nil {
		return nil, err
	}
	prev := d.Status
	if d.Status, err = d.Status.Apply(ev); err != nil {
		return nil, err
	}
	d.Status.Report = motcua.ReportFactsOf(d, proc, s.Calendar())
	d.Status.Report.LastEventAt = now
	deltas := motcua.StatDeltasOf(d, &prev, now)
	codeAgency := competent.Code
	if interAgency(proc) {
		codeAgency = byID[point.AgencyID].Code
	}

	// A retried request is answered from the record of the first one: the
	// key's uniqueness refuses the copy inside the transaction (which gives
	// its number back), and the first request's dossier is read back. New
	// requests, the common case, pay no extra read for this.
	var out Intake
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		nd := *d
		e := ev
		render := func(seq int) string { return s.cfg.CodePattern.Render(codeAgency, now, seq) }
		if err := tx.CreateNumberedDossier(ctx, &nd, &e, motcua.CounterKey(codeAgency, now), render); err != nil {
			return err
		}
		if err := tx.AddStats(ctx, deltas); err != nil {
			return err
		}
		if err := s.linkTicket(ctx, tx, u, n.TicketID, &nd, now); err != nil {
			return err
		}
		if key != "" {
			if err := tx.SaveIdempotency(ctx, &motcua.IdempotencyRecord{UserID: u.ID, Key: key, RequestHash: reqHash, DossierID: nd.ID, CreatedAt: now}); err != nil {
				return err
			}
		}
		// After the key: a dossier forwarded again is a replay of the key,
		// not a second dossier with the same national code.
		if err := s.queuePortalSync(ctx, tx, nd.ID, e.Seq, n.NationalCode, now); err != nil {
			return err
		}
		if err := s.queueNotices(ctx, tx, &nd, &e, now); err != nil {
			return err
		}
		out.Dossier = &nd
		return nil
	})
	// A retry of a request already acknowledged is answered from a read
	// when the write fails for want of storage (a full disk, a database
	// restarting): the dossier exists, and the client must not be told
	// otherwise.
	if key != "" && (motcua.ErrorReason(err) == "idempotency_key_reused" || motcua.ErrorCode(err) == motcua.EUNAVAILABLE) {
		if in, err := s.replayIntake(ctx, u.ID, key, reqHash); in != nil || err != nil {
			return in, err
		}
	}
	if err != nil {
		return nil, err
	}
	s.nudgeOutbox()
	return &out, nil
}

// replayIntake returns the dossier an earlier request with the same key
// created, ECONFLICT if that request was a different one, or (nil, nil)
// when the key is new.
func (s *Service) replayIntake(ctx context.Context, userID int64, key string, reqHash []byte) (*Intake, error) {
	var out *Intake
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		prev, err := tx.Idempotency(ctx, userID, key)
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		if string(prev.RequestHash) != string(reqHash) {
			return motcua.Errorf(motcua.ECONFLICT, "idempotency_key_reused",
				"Khóa chống trùng này đã được dùng cho một hồ sơ khác; hãy tạo khóa mới cho hồ sơ mới.")
		}
		d, err := tx.Dossier(ctx, prev.DossierID)
		if err != nil {
			return err
		}
		p, err := s.procedureVersion(ctx, tx, d.ProcedureID, d.ProcedureVersion)
		if err != nil {
			return err
		}
		d.FillComponents(p)
		out = &Intake{Dossier: d, Replayed: true}
		return nil
	})
	return out, err
}

// competentAgency decides which agency settles the dossier: the procedure's
// own agency, or for commune-level procedures the chosen commune (by
// default the reception agency when it is a commune), since dossiers are
// received regardless of administrative boundary (Art.3(7), 14(2)).
//
// After a merger of agencies the dossier goes to the successor of a merged
// agency, whether the procedure names the merged one or the officer chose
// it (a counter of the new unit receives every procedure of the units it
// replaced).
func (s *Service) competentAgency(p *motcua.Procedure, point *motcua.ReceptionPoint, chosen int64, byID map[int64]*motcua.Agency) (*motcua.Agency, error) {
	if chosen != 0 {
		chosen = s.successorOf(chosen)
	}
	if p.AgencyID != 0 {
		owner := s.successorOf(p.AgencyID)
		if chosen != 0 && chosen != owner {
			return nil, motcua.FieldError("competent_agency_id", "competent_agency_mismatch", "Thủ tục này do một cơ quan xác định giải quyết; không thể chọn cơ quan khác.")
		}
		a, ok := byID[owner]
		if !ok {
			return nil, motcua.Errorf(motcua.ECONFLICT, "procedure_agency_missing", "Thủ tục chưa được gán cơ quan giải quyết; quản trị viên cần cập nhật.")
		}
		return a, nil
	}
	if chosen == 0 {
		if a := byID[s.successorOf(point.AgencyID)]; a != nil && a.Level == p.Level && a.Kind == motcua.KindCommuneCommittee {
			return a, nil
		}
		return nil, motcua.FieldError("competent_agency_id", "competent_agency_required", "Vui lòng chọn xã, phường có thẩm quyền giải quyết hồ sơ.")
	}
	a, ok := byID[chosen]
	if !ok || a.Level != p.Level || (p.Level == motcua.LevelCommune && a.Kind != motcua.KindCommuneCommittee) {
		return nil, motcua.FieldError("competent_agency_id", "competent_agency_invalid", "Cơ quan được chọn không có thẩm quyền giải quyết thủ tục này.")
	}
	return a, nil
}

// interAgency reports whether the procedure's process involves agencies
// other than the competent one; such dossiers carry the receiving unit's
// code (Art.28).
func interAgency(p *motcua.Procedure) bool {
	for _, st := range p.Process.Steps {
		if st.AgencyID != 0 || len(st.Parts) > 0 {
			return true
		}
	}
	return false
}

// dossierComponents checks the officer's ticks against the procedure's
// list. Components held in a national database are marked as taken from it
// and never required of the applicant.
func dossierComponents(p *motcua.Procedure, n NewDossier) ([]motcua.DossierComponent, error) {
	given := map[int64]ComponentInput{}
	for _, c := range n.Components {
		if !slices.ContainsFunc(p.Components, func(pc motcua.Component) bool { return pc.ID == c.ComponentID }) {
			return nil, motcua.FieldError("components", "component_unknown", "Có thành phần hồ sơ không thuộc thủ tục đã chọn.")
		}
		if _, dup := given[c.ComponentID]; dup {
			return nil, motcua.FieldError("components", "component_duplicate", "Một thành phần hồ sơ được kê khai hai lần.")
		}
		given[c.ComponentID] = c
	}
	out := make([]motcua.DossierComponent, 0, len(p.Components))
	for _, pc := range p.Components {
		g := given[pc.ID]
		if (g.Reused || g.TakenFromStore) && !pc.Reusable && !pc.FromNationalDB {
			return nil, motcua.FieldError("components", "component_not_reusable", "Thành phần \""+pc.Name+"\" không thể dùng lại kết quả điện tử đã có.")
		}
		out = append(out, motcua.DossierComponent{ComponentID: pc.ID, Name: pc.Name, Mandatory: pc.Mandatory,
			Provided: g.Provided, FromNationalDB: pc.FromNationalDB, Reused: g.Reused,
			TakenFromStore: g.TakenFromStore, ReusedResult: g.ReusedResult, ReusedFrom: g.ReusedFrom})
	}
	return out, nil
}

// requireComponents refuses to receive a dossier that lacks a mandatory
// component: it must be completed or a supplement requested instead.
func requireComponents(cs []motcua.DossierComponent) error {
	var missing []string
	for _, c := range cs {
		if c.Mandatory && !c.Satisfied() {
			missing = append(missing, "\""+c.Name+"\"")
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return motcua.FieldError("components", "component_missing",
		"Hồ sơ còn thiếu thành phần bắt buộc: "+strings.Join(missing, "; ")+". Hãy bổ sung đủ trước khi tiếp nhận, hoặc chọn \"Yêu cầu bổ sung\".")
}

func hashRequest(n NewDossier) []byte {
	b, _ := json.Marshal(n)
	h := sha256.Sum256(b)
	return h[:]
}

// fieldNotFound turns a missing procedure or reception point into a field
// error on the form.
func fieldNotFound(err error) error {
	switch motcua.ErrorReason(err) {
	case "procedure_not_found":
		return motcua.FieldError("procedure_id", "procedure_not_found", "Thủ tục hành chính không tồn tại trong danh mục.")
	case "reception_point_not_found":
		return motcua.FieldError("reception_point_id", "reception_point_not_found", "Điểm tiếp nhận không tồn tại.")
	}
	return err
}

// newLookupSecret returns a dossier's lookup secret: 128 random bits in
// base64url (motcua.LookupSecretLen characters).
func newLookupSecret() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand panics instead on a broken system)
	return base64.RawURLEncoding.EncodeToString(b)
}
