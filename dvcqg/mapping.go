// Package dvcqg is motcua's adapter to the national public service portal
// (Cổng Dịch vụ công quốc gia, DVCQG): the outbound client that reports
// dossiers and their progress and reads the national catalogue, and the
// inbound reader of dossiers, supplements and withdrawals the portal
// forwards. It is the only package that knows a national field name,
// service name or status code.
//
// What comes from public sources (docs/dvcqg.md, integrations.md §1) and
// what is motcua's own choice is marked on each name of this file and of
// messages.go: a province holding the official specification changes those
// two files only.
package dvcqg

import (
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// Service names of the integration endpoint [confirmed: OpenCPS
// DVCQGIntegrationActionImpl].
const (
	ServiceSyncDossier     = "DongBoHoSoMC"
	ServiceSyncProgress    = "CapNhatTienDoHoSoMC"
	ServiceProcedureList   = "LayDanhSachTTHC"
	ServiceProcedure       = "LayThuTuc"
	ServiceAgencies        = "LayDanhMucCoQuan"
	ServiceFields          = "LayDanhMucLinhVuc"
	ServiceLookupDossier   = "TraCuuHoSo"
	HeaderDstCode          = "dstcode"
	isUpdatingTrue         = "True" // isUpdating is written True/False [confirmed]
	isUpdatingFalse        = "False"
	inboundServiceSubmit   = "TiepNhanHoSoTrucTuyen" // motcua's own name (unconfirmed)
	inboundServiceSupplied = "BoSungHoSo"            // motcua's own name (unconfirmed)
	inboundServiceWithdraw = "RutHoSo"               // motcua's own name (unconfirmed)
)

// Inbound service names, exported for the simulator. They are motcua's own
// (no public source shows how the portal names its forwarded messages).
const (
	InboundSubmit     = inboundServiceSubmit
	InboundSupplement = inboundServiceSupplied
	InboundWithdraw   = inboundServiceWithdraw
)

// Headers of a forwarded (inbound) message. The whole signature scheme is
// motcua's own, unconfirmed: HMAC-SHA256 with a shared secret over
// message id "|" timestamp "|" body, hex-encoded; the timestamp is Unix
// seconds in decimal.
const (
	HeaderMessageID = "X-DVCQG-Message-Id"
	HeaderTimestamp = "X-DVCQG-Timestamp"
	HeaderSignature = "X-DVCQG-Signature"
)

// Answer codes (error_code) of the portal. Only 0 = success is confirmed;
// the others are motcua's own numbering, used by the client and the
// simulator alike.
const (
	CodeOK             = 0
	CodeSessionExpired = 1  // the session is unknown or expired: log in again
	CodeAuthFailed     = 2  // wrong user name, password or dstcode
	CodeInvalidRecord  = 3  // the record breaks the protocol: permanent
	CodeRecordExists   = 4  // create of a dossier the portal already holds
	CodeRecordUnknown  = 5  // update of a dossier the portal does not hold
	CodeUnknownService = 6  // no such service: permanent
	CodeNotFound       = 7  // catalogue: no procedure with that code
	CodeInternal       = 99 // the portal failed: try again later
)

// permanentCodes are answers that will not change if the same message is
// sent again.
var permanentCodes = map[int]bool{CodeInvalidRecord: true, CodeUnknownService: true, CodeAuthFailed: true}

// National dossier status codes TrangThaiHoSo [confirmed: TD formData.ts].
const (
	StatusRegistered      = 1  // Mới đăng ký
	StatusReceived        = 2  // Được tiếp nhận
	StatusNotReceived     = 3  // Không được tiếp nhận
	StatusProcessing      = 4  // Đang xử lý
	StatusSupplement      = 5  // Yêu cầu bổ sung giấy tờ
	StatusFinancial       = 6  // Yêu cầu thực hiện nghĩa vụ tài chính
	StatusWithdrawRequest = 7  // Công dân yêu cầu rút hồ sơ
	StatusStopped         = 8  // Dừng xử lý
	StatusDone            = 9  // Đã xử lý xong
	StatusReturned        = 10 // Đã trả kết quả
)

var statusNames = [...]string{"", "Mới đăng ký", "Được tiếp nhận", "Không được tiếp nhận", "Đang xử lý",
	"Yêu cầu bổ sung giấy tờ", "Yêu cầu thực hiện nghĩa vụ tài chính", "Công dân yêu cầu rút hồ sơ",
	"Dừng xử lý", "Đã xử lý xong", "Đã trả kết quả"}

// StatusName returns the portal's Vietnamese name of a status code, or ""
// for a code outside 1–10.
func StatusName(code int) string {
	if code < 1 || code >= len(statusNames) {
		return ""
	}
	return statusNames[code]
}

// ValidStatus reports whether code is one of the national codes 1–10.
func ValidStatus(code int) bool { return StatusName(code) != "" }

// StatusCode maps a motcua state, with the two flags the portal shows as
// statuses of their own, to TrangThaiHoSo. The choices, motcua's reading of
// the ten names:
//   - submitted (online, awaiting reception) → 1; received → 2;
//     processing → 4; awaiting_supplement → 5.
//   - approved → 4: decided but the result is still being issued (signed,
//     numbered), so processing has not ended; result_ready → 9.
//   - refused after appraisal → 9: processing ended, its result is the
//     notice of refusal, which is then handed over (returned → 10).
//   - returned → 10.
//   - rejected_at_reception → 3.
//   - withdrawn, stopped and closed (supplement not completed in time) → 8:
//     processing stopped without a result; 7 is only the citizen's request.
//   - withdrawalRequested on a state that is not terminal → 7 (the agency
//     has not acted on it yet).
//   - paymentPending while received, processing, approved or result_ready
//     → 6 (fees owed before the result is handed over).
//
// An unknown state maps to 0, which no record may carry: the caller's
// outbox then keeps the message as a permanent failure to look at.
func StatusCode(s motcua.State, paymentPending, withdrawalRequested bool) int {
	if withdrawalRequested && s.Valid() && !s.Terminal() {
		return StatusWithdrawRequest
	}
	if paymentPending {
		switch s {
		case motcua.StateReceived, motcua.StateProcessing, motcua.StateApproved, motcua.StateResultReady:
			return StatusFinancial
		}
	}
	switch s {
	case motcua.StateNone, motcua.StateSubmitted:
		return StatusRegistered
	case motcua.StateReceived:
		return StatusReceived
	case motcua.StateProcessing, motcua.StateApproved:
		return StatusProcessing
	case motcua.StateAwaitingSupplement:
		return StatusSupplement
	case motcua.StateRefused, motcua.StateResultReady:
		return StatusDone
	case motcua.StateReturned:
		return StatusReturned
	case motcua.StateWithdrawn, motcua.StateStopped, motcua.StateClosed:
		return StatusStopped
	case motcua.StateRejected:
		return StatusNotReceived
	}
	return 0
}

// ChannelCode maps a channel to KenhThucHien (1 direct, 2 online, 3 post)
// [confirmed: TD SyncLocalDataToDVCQG]; 0 for an unknown channel.
func ChannelCode(c motcua.Channel) int {
	switch c {
	case motcua.ChannelCounter:
		return 1
	case motcua.ChannelOnline:
		return 2
	case motcua.ChannelPost:
		return 3
	}
	return 0
}

// Online payment (DuocThanhToanTrucTuyen) [confirmed]: 1 paid on DVCQG's
// payment platform, 2 on the provincial gateway; 0 (motcua's own) not paid
// online. motcua pays through DVCQG only.
const (
	paidOnlineNo    = 0
	paidOnlineDVCQG = 1
)

// Applicant kinds (LoaiDoiTuong) and identifier kinds (LoaiDinhDanh):
// motcua's own numbering, unconfirmed.
const (
	applicantCitizen      = 1
	applicantOrganization = 2
)

var idKindCodes = map[motcua.IDKind]int{motcua.IDPersonal: 1, motcua.IDOldCard: 2, motcua.IDPassport: 3, motcua.IDTaxCode: 4}

// IDKindFromCode maps LoaiDinhDanh back to an ID kind ("" when unknown).
func IDKindFromCode(code int) motcua.IDKind {
	for k, c := range idKindCodes {
		if c == code {
			return k
		}
	}
	return ""
}

// IDKindCode maps an ID kind to LoaiDinhDanh (0 when unknown).
func IDKindCode(k motcua.IDKind) int { return idKindCodes[k] }

// HinhThuc of a dossier record: 0 one-stop (một cửa), 1 inter-agency (liên
// thông). motcua's reading, unconfirmed; motcua reports 0.
const formOneStop = 0

// Return methods of a forwarded dossier (HinhThucNhanKetQua, motcua's own
// field name and numbering).
var returnMethods = map[int]string{1: "counter", 2: "post", 3: "online"}

// ReturnMethodCode maps motcua's return method to HinhThucNhanKetQua.
func ReturnMethodCode(m string) int {
	for c, s := range returnMethods {
		if s == m {
			return c
		}
	}
	return 0
}

// dateLayout is the portal's date format, yyyyMMddHHmmss [confirmed], in
// Vietnam time (motcua's reading: the portal is a Vietnamese system and the
// format carries no zone).
const dateLayout = "20060102150405"

// FormatTime writes t the way the portal does; "" for the zero time.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(motcua.VietnamTime).Format(dateLayout)
}

// ParseTime reads a portal date (yyyyMMddHHmmss, Vietnam time); "" is the
// zero time.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) != len(dateLayout) {
		return time.Time{}, fmt.Errorf("date %q: want yyyyMMddHHmmss", s)
	}
	t, err := time.ParseInLocation(dateLayout, s, motcua.VietnamTime)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want yyyyMMddHHmmss", s)
	}
	return t, nil
}

// flag writes a boolean the way the newer fields do (1 yes, 0 no; motcua's
// reading of TD's integer fields).
func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Levels of the national catalogue (CapThucHien), as the national data
// writes them.
var levelNames = map[string]motcua.AgencyLevel{
	"cấp xã": motcua.LevelCommune, "cấp tỉnh": motcua.LevelProvince,
	"cấp bộ": motcua.LevelMinistry, "cơ quan ngành dọc": motcua.LevelVertical,
}
