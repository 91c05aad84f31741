package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// DefaultPopulationTimeout bounds a lookup in the population database when
// Config.PopulationTimeout is 0: the officer waits no longer than this
// before the counter continues with typed data.
const DefaultPopulationTimeout = 4 * time.Second

// LookupTokenTTL is how long the answer of a lookup may be used to receive
// a dossier of that citizen by the officer who looked them up.
const LookupTokenTTL = 30 * time.Minute

// AuditPopulationLookup is the audit action of a query to the population
// database (who, when, why, for which dossier: NĐ 104/2022 and the
// register's own rules require every query to be traceable).
const AuditPopulationLookup = "population_lookup"

// BeforeReception is what the log says of a lookup made before the dossier
// has a code.
const BeforeReception = "trước tiếp nhận"

// CitizenLookup is the outcome of a lookup for the counter. When Outcome is
// motcua.LookupFound, Citizen holds the register's answer and Token must be
// carried by the reception form (ReceiveAtCounter) for the dossier to be
// marked as holding verified data. Otherwise Message tells the officer
// why, and that the reception continues with typed data marked unverified.
type CitizenLookup struct {
	LookupID  int64             `json:"lookup_id,omitempty"`
	Outcome   string            `json:"outcome"`
	Citizen   *motcua.Citizen   `json:"citizen,omitempty"`
	Household *motcua.Household `json:"household,omitempty"`
	Token     string            `json:"token,omitempty"`
	Message   string            `json:"message"`
	// Warnings are facts of the answer the officer must see (the citizen
	// has died, has no VNeID account).
	Warnings []string `json:"warnings,omitempty"`
}

// PopulationConnected reports whether the service has a population
// database to ask.
func (s *Service) PopulationConnected() bool { return s.cfg.Population != nil }

// LookUpCitizen asks the population database about the citizen with
// idNumber, for a one-stop officer: purpose says why (required, at most
// 200 characters) and dossierCode for which dossier ("" before
// reception). The ID number is checked first (motcua.ValidateIDNumber);
// the register is given at most Config.PopulationTimeout. Every query is
// recorded in the lookup log and the audit log with the officer, the
// purpose and the dossier. A register that is down, slow, refuses or
// answers something that fails the adapter's checks is not an error: the
// result says so (Outcome, Message) and the counter continues with typed
// data. Errors: EUNAUTHORIZED, EFORBIDDEN (not a reception officer),
// EINVALID (ID number, purpose, dossier code).
func (s *Service) LookUpCitizen(ctx context.Context, idNumber, purpose, dossierCode string) (*CitizenLookup, error) {
	return s.lookUp(ctx, idNumber, purpose, dossierCode, false)
}

// LookUpHousehold is LookUpCitizen that also reads the citizen's household
// (members with their relation to the head), for procedures that need it.
func (s *Service) LookUpHousehold(ctx context.Context, idNumber, purpose, dossierCode string) (*CitizenLookup, error) {
	return s.lookUp(ctx, idNumber, purpose, dossierCode, true)
}

func (s *Service) lookUp(ctx context.Context, idNumber, purpose, dossierCode string, household bool) (*CitizenLookup, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	agencies := u.AgenciesWith(motcua.RoleReception)
	if len(agencies) == 0 {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_reception_officer", "Chỉ công chức Bộ phận Một cửa được tra cứu cơ sở dữ liệu dân cư.")
	}
	idNumber = motcua.NormalizeIDNumber(idNumber)
	if err := motcua.ValidateIDNumber(motcua.IDPersonal, idNumber); err != nil {
		return nil, err
	}
	purpose = strings.Join(strings.Fields(purpose), " ")
	if purpose == "" || utf8.RuneCountInString(purpose) > 200 {
		return nil, motcua.FieldError("purpose", "purpose_required", "Vui lòng ghi mục đích tra cứu (tối đa 200 ký tự).")
	}
	dossierCode = strings.TrimSpace(dossierCode)
	if len(dossierCode) > 60 {
		return nil, motcua.FieldError("dossier_code", "dossier_code_malformed", "Mã hồ sơ không hợp lệ.")
	}
	if s.cfg.Population == nil {
		return &CitizenLookup{Outcome: motcua.LookupUnavailable, Message: "Hệ thống chưa kết nối Cơ sở dữ liệu quốc gia về dân cư. " + continueTyped}, nil
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	agencyCode := ""
	if a := byID[agencies[0]]; a != nil {
		agencyCode = a.Code
	}
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	q := motcua.PopulationQuery{RequestID: "MC-" + hex.EncodeToString(secret[:12]), IDNumber: idNumber, OfficerCode: u.Username,
		AgencyCode: agencyCode, Purpose: purpose}
	rctx, cancel := context.WithTimeout(ctx, s.cfg.PopulationTimeout)
	defer cancel()
	out := &CitizenLookup{}
	c, err := s.cfg.Population.LookUpCitizen(rctx, q)
	if err == nil && household {
		q.RequestID = "MC-" + hex.EncodeToString(secret[4:])
		out.Household, err = s.cfg.Population.Household(rctx, q)
	}
	out.Outcome, out.Message = lookupOutcome(err, s.cfg.PopulationTimeout)
	if err != nil && out.Outcome == motcua.LookupUnavailable {
		slog.Warn("population register unavailable", "err", err, "officer", u.Username)
	}
	now := s.now()
	l := &motcua.PopulationLookup{At: now, UserID: u.ID, AgencyID: agencies[0], IDNumber: idNumber, Purpose: purpose,
		DossierCode: dossierCode, Outcome: out.Outcome}
	if out.Outcome == motcua.LookupFound {
		l.Citizen, out.Citizen, l.Household = c, c, out.Household
		h := sha256.Sum256(secret)
		l.TokenHash = h[:]
		out.Warnings = citizenWarnings(c)
	}
	where := dossierCode
	if where == "" {
		where = BeforeReception
	}
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.SavePopulationLookup(ctx, l); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: AuditPopulationLookup,
			Detail: fmt.Sprintf("tra cứu %d: số định danh %s; mục đích: %s; hồ sơ: %s; kết quả: %s", l.ID, idNumber, purpose, where, l.Outcome)})
	})
	if err != nil {
		return nil, err
	}
	out.LookupID = l.ID
	if out.Outcome == motcua.LookupFound {
		out.Token = strconv.FormatInt(l.ID, 10) + "." + hex.EncodeToString(secret)
	}
	return out, nil
}

const continueTyped = "Tiếp tục tiếp nhận với thông tin nhập tay; hồ sơ được ghi là \"chưa xác thực với CSDL dân cư\"."

// lookupOutcome classifies a register error for the log and the officer.
func lookupOutcome(err error, timeout time.Duration) (string, string) {
	switch {
	case err == nil:
		return motcua.LookupFound, "Đã tra cứu Cơ sở dữ liệu quốc gia về dân cư; các trường lấy từ CSDL được đánh dấu \"đã xác thực\"."
	case motcua.ErrorCode(err) == motcua.ENOTFOUND:
		return motcua.LookupNotFound, "Cơ sở dữ liệu quốc gia về dân cư không có công dân mang số định danh này; vui lòng kiểm tra lại số. " + continueTyped
	case motcua.ErrorCode(err) == motcua.EINVALID:
		return motcua.LookupRefused, "Cơ sở dữ liệu quốc gia về dân cư không chấp nhận yêu cầu tra cứu. " + continueTyped
	}
	return motcua.LookupUnavailable, fmt.Sprintf("Cơ sở dữ liệu quốc gia về dân cư không trả lời được (mất kết nối, quá %d giây hoặc trả lời không hợp lệ). %s",
		int(timeout.Round(time.Second)/time.Second), continueTyped)
}

func citizenWarnings(c *motcua.Citizen) []string {
	var w []string
	if c.Deceased {
		w = append(w, "Theo CSDL dân cư, công dân này đã chết: kiểm tra lại người nộp hồ sơ.")
	}
	if c.EIDLevel == 0 {
		w = append(w, "Công dân chưa có tài khoản định danh điện tử (VNeID): hướng dẫn, hỗ trợ đăng ký tài khoản mức 1 (NĐ 118/2025, Điều 17 khoản 1 điểm a).")
	}
	return w
}

// ReceiveAtCounter is ReceiveDossier for the counter and the API: it does
// not believe the client's flags. The applicant is marked as coming from
// the population database (Source population_db, a RegisterRecord with
// the residence valid now, the fields verified and the typed values that
// contradict the register) and VNeIDVerified only when lookupToken is the
// token of a lookup that found this citizen, made by the same officer less
// than LookupTokenTTL ago. Without such a token the flags are downgraded:
// Source population_db becomes typed, VNeIDVerified false, and any
// RegisterRecord sent is dropped; the dossier is received all the same
// (the counter must not stop because a lookup expired). A token may serve
// several dossiers of the same citizen (a birth registration and a
// residence registration at one visit). A component that names an earlier
// dossier to reuse (ComponentInput.ReuseDossier) must name one of the same
// applicant whose result matches it, else EINVALID (reuse_invalid); it then
// records the result's number and where it came from. Errors: those of
// ReceiveDossier.
func (s *Service) ReceiveAtCounter(ctx context.Context, key string, n NewDossier, lookupToken string) (*Intake, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	a := &n.Applicant
	a.Register = nil
	if a.Source == motcua.SourcePopulationDB {
		a.Source = motcua.SourceTyped
	}
	a.VNeIDVerified = false
	var l *motcua.PopulationLookup
	if lookupToken != "" {
		l = s.validLookup(ctx, u, lookupToken, motcua.NormalizeIDNumber(a.IDNumber))
	}
	if l != nil {
		verified, conflicts := motcua.CompareWithRegister(*a, l.Citizen)
		a.Source = motcua.SourcePopulationDB
		a.VNeIDVerified = l.Citizen.EIDLevel >= 1
		a.Register = &motcua.RegisterRecord{LookupID: l.ID, LookedUpAt: l.At, Permanent: l.Citizen.Permanent, Current: l.Citizen.Current,
			Verified: verified, Conflicts: conflicts, EIDLevel: l.Citizen.EIDLevel, Household: l.Household}
	}
	// The components' reuse flags are the service's to set: only a reuse
	// it checks (a result of motcua's named, or a document the national
	// store confirms) counts (indicators 4.3, 4.4).
	for i := range n.Components {
		c := &n.Components[i]
		c.TakenFromStore = false
		if c.ReuseDossier == "" && c.ReuseStore == "" {
			c.Reused = false
		}
	}
	if err := s.checkReuse(ctx, &n); err != nil {
		return nil, err
	}
	in, err := s.ReceiveDossier(ctx, key, n)
	if err != nil {
		return nil, err
	}
	if l != nil && l.DossierID == 0 && !in.Replayed {
		// The log says which dossier the answer went into (the first one);
		// a failure here loses only that link, never the dossier.
		if err := s.store.Write(ctx, func(tx motcua.Tx) error { return tx.LinkPopulationLookup(ctx, l.ID, in.Dossier.ID) }); err != nil &&
			motcua.ErrorCode(err) != motcua.ECONFLICT {
			slog.Error("link population lookup", "lookup", l.ID, "err", err)
		}
	}
	return in, nil
}

// validLookup returns the lookup a token stands for when it found the
// citizen idNumber, was made by u, and is younger than LookupTokenTTL; nil
// otherwise.
func (s *Service) validLookup(ctx context.Context, u *motcua.User, token, idNumber string) *motcua.PopulationLookup {
	idPart, secretHex, ok := strings.Cut(token, ".")
	id, err := strconv.ParseInt(idPart, 10, 64)
	secret, err2 := hex.DecodeString(secretHex)
	if !ok || err != nil || err2 != nil || len(secret) != 16 {
		return nil
	}
	var l *motcua.PopulationLookup
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { l, err = tx.PopulationLookup(ctx, id); return err }); err != nil {
		return nil
	}
	h := sha256.Sum256(secret)
	age := s.now().Sub(l.At)
	if subtle.ConstantTimeCompare(h[:], l.TokenHash) != 1 || l.UserID != u.ID || l.IDNumber != idNumber ||
		l.Outcome != motcua.LookupFound || l.Citizen == nil || age < 0 || age > LookupTokenTTL {
		return nil
	}
	return l
}

// identityHeld reports whether the index may count the use of population
// data (4.5a, 4.5b): a register is connected or lookups were recorded.
func (s *Service) identityHeld(ctx context.Context) (bool, error) {
	if s.PopulationConnected() {
		return true, nil
	}
	var ls []*motcua.PopulationLookup
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { ls, err = tx.PopulationLookups(ctx, "", 1); return err })
	return len(ls) > 0, err
}
