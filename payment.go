package motcua

import (
	"context"
	"time"
)

// PaymentMethod is how the fees of a dossier were paid.
type PaymentMethod string

// Payment methods.
const (
	// PayOnline: through the national payment platform (DVCQG), confirmed
	// by a verified callback or by a query to the platform.
	PayOnline PaymentMethod = "online"
	// PayCash: in cash at the counter, recorded by a reception officer
	// with the number of the receipt (biên lai) given to the payer.
	PayCash PaymentMethod = "cash"
)

// Valid reports whether m is a known method.
func (m PaymentMethod) Valid() bool { return m == PayOnline || m == PayCash }

// Label is the Vietnamese name of the method.
func (m PaymentMethod) Label() string {
	switch m {
	case PayOnline:
		return "Trực tuyến"
	case PayCash:
		return "Tiền mặt"
	}
	return "Không rõ"
}

// PaymentState is where a payment stands. A payment starts pending and
// moves once, forward, to one of the final states; it never moves back.
type PaymentState string

// Payment states.
const (
	PaymentPending   PaymentState = "pending"
	PaymentPaid      PaymentState = "paid"
	PaymentFailed    PaymentState = "failed"
	PaymentCancelled PaymentState = "cancelled"
)

// Valid reports whether s is a known state.
func (s PaymentState) Valid() bool {
	switch s {
	case PaymentPending, PaymentPaid, PaymentFailed, PaymentCancelled:
		return true
	}
	return false
}

// Final reports whether s is a state a payment never leaves.
func (s PaymentState) Final() bool { return s.Valid() && s != PaymentPending }

// Label is the Vietnamese name of the state.
func (s PaymentState) Label() string {
	switch s {
	case PaymentPending:
		return "Đang chờ thanh toán"
	case PaymentPaid:
		return "Đã thanh toán"
	case PaymentFailed:
		return "Thanh toán không thành công"
	case PaymentCancelled:
		return "Đã hủy"
	}
	return "Không rõ"
}

// PaymentFee is one fee line a payment covers, in đồng.
type PaymentFee struct {
	Name   string `json:"name"`
	Amount int64  `json:"amount"`
}

// Payment is one payment of the fees of a dossier: an attempt online
// through the national platform, or cash taken at the counter. It is the
// only source of "paid": a dossier's fees count as paid when it has a
// payment in state PaymentPaid (see FeesPaid), never because a client said
// so.
type Payment struct {
	ID        int64         `json:"id"`
	DossierID int64         `json:"dossier_id"`
	Method    PaymentMethod `json:"method"`
	// Amount is the total in đồng; it equals the sum of Fees.
	Amount int64        `json:"amount"`
	Fees   []PaymentFee `json:"fees"`
	// Reference is motcua's unique reference of the payment (MaThamChieu
	// on the national platform; for cash, derived from the receipt).
	Reference string       `json:"reference"`
	State     PaymentState `json:"state"`
	// TransactionID is the platform's id of the transaction (online).
	TransactionID string `json:"transaction_id,omitempty"`
	// ReceiptNumber is the number of the receipt (biên lai): typed by the
	// officer for cash, returned by the platform for online payments.
	ReceiptNumber string `json:"receipt_number,omitempty"`
	// ReceiptURL is where the electronic receipt can be fetched, if any.
	ReceiptURL string `json:"receipt_url,omitempty"`
	// PaidAt is when the money was taken (zero unless paid).
	PaidAt time.Time `json:"paid_at,omitzero"`
	// RecordedBy is the officer who recorded a cash payment, or who
	// started an online payment for a citizen (0: the citizen).
	RecordedBy int64     `json:"recorded_by,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	// UpdatedAt is when the state last changed.
	UpdatedAt time.Time `json:"updated_at"`
}

// Advance moves p to state to, only forward: from pending to paid,
// failed or cancelled. Moving to the state p is already in is a no-op
// (nil), so that a replayed confirmation changes nothing. Any other move
// — out of a final state, or back to pending — is ECONFLICT with reason
// payment_state_backward; an unknown state is EINVALID.
func (p *Payment) Advance(to PaymentState) error {
	if !to.Valid() {
		return Errorf(EINVALID, "payment_state_unknown", "Trạng thái thanh toán không hợp lệ.")
	}
	if to == p.State {
		return nil
	}
	if p.State != PaymentPending || to == PaymentPending {
		return Errorf(ECONFLICT, "payment_state_backward",
			"Khoản thanh toán đang ở trạng thái \"%s\", không thể chuyển sang \"%s\".", p.State.Label(), to.Label())
	}
	p.State = to
	return nil
}

// FeesDue returns the total of a dossier's fee lines, in đồng.
func FeesDue(fees []DossierFee) int64 {
	var t int64
	for _, f := range fees {
		t += f.Amount
	}
	return t
}

// FeesPaid returns the first paid payment among ps, or nil. The fees of a
// dossier are paid when, and only when, it has one.
func FeesPaid(ps []*Payment) *Payment {
	for _, p := range ps {
		if p.State == PaymentPaid {
			return p
		}
	}
	return nil
}

// MarkFeesPaid sets the Paid and PaidOnline flags of fees from the
// dossier's payment records ps, overwriting whatever they held: the flags
// are a view of the records, never data of their own.
func MarkFeesPaid(fees []DossierFee, ps []*Payment) {
	paid := FeesPaid(ps)
	for i := range fees {
		fees[i].Paid = paid != nil
		fees[i].PaidOnline = paid != nil && paid.Method == PayOnline
	}
}

// PaymentAgg are the payment facts of one competent agency and procedure
// for a period, from which indicators 3.5, 3.5b and 3.6 are computed.
type PaymentAgg struct {
	AgencyID    int64
	ProcedureID int64
	// FeeDossiers counts the dossiers received in the period with at
	// least one non-zero fee line; PaidOnline those of them whose fees
	// were paid online (a paid online payment on record).
	FeeDossiers int64
	PaidOnline  int64
	// OnlineStarted counts online payments started in the period (their
	// fee data sent to the national platform); OnlinePaid the online
	// payments confirmed paid in the period.
	OnlineStarted int64
	OnlinePaid    int64
}

// PaymentStore keeps payments. States only move forward, and the store
// enforces it too: SettlePayment changes a row only while it is pending.
type PaymentStore interface {
	// CreatePayment stores p and sets p.ID. ECONFLICT (reason
	// payment_reference_exists) when the reference exists.
	CreatePayment(ctx context.Context, p *Payment) error
	// Payment returns a payment by id; ENOTFOUND when none.
	Payment(ctx context.Context, id int64) (*Payment, error)
	// PaymentByReference returns a payment by reference; ENOTFOUND when
	// none.
	PaymentByReference(ctx context.Context, reference string) (*Payment, error)
	// DossierPayments returns a dossier's payments, oldest first.
	DossierPayments(ctx context.Context, dossierID int64) ([]*Payment, error)
	// SettlePayment stores p's final state and what came with it
	// (transaction id, receipt, paid at, updated at) only if the stored
	// payment is still pending; ECONFLICT (payment_not_pending) otherwise.
	SettlePayment(ctx context.Context, p *Payment) error
	// SetPaymentReceipt records the receipt of a paid payment that had
	// none yet (GET_BILL answered after the payment was settled).
	SetPaymentReceipt(ctx context.Context, id int64, number, url string) error
	// PendingPayments returns up to limit pending online payments created
	// before before, oldest first (for reconciliation).
	PendingPayments(ctx context.Context, before time.Time, limit int) ([]*Payment, error)
	// PaymentAggs returns the payment facts of [from, to) per competent
	// agency and procedure.
	PaymentAggs(ctx context.Context, from, to time.Time) ([]PaymentAgg, error)
	// OnlinePaymentAggs is PaymentAggs without FeeDossiers (always 0),
	// for callers that counted the fee-bearing receptions already
	// (PeriodFacts' FeeBearing).
	OnlinePaymentAggs(ctx context.Context, from, to time.Time) ([]PaymentAgg, error)
	// PaymentsRecorded reports whether any payment has ever been recorded.
	PaymentsRecorded(ctx context.Context) (bool, error)
}

// PaymentRequest is what motcua asks the payment platform to collect.
type PaymentRequest struct {
	Reference     string
	Amount        int64
	Fees          []PaymentFee
	DossierCode   string
	ProcedureCode string
	// AgencyCode is the e-ID code of the agency the fees are paid to.
	AgencyCode  string
	Description string
	// IP is the payer's address, as the platform asks for it.
	IP string
	At time.Time
}

// PaymentStarted is the platform's answer to a payment request: where to
// send the payer, and the platform's transaction id if it gives one.
type PaymentStarted struct {
	RedirectURL   string
	TransactionID string
}

// PaymentStatus is what the platform says of a payment, by a query or a
// callback. Only a verified message becomes a PaymentStatus.
type PaymentStatus struct {
	Reference     string
	TransactionID string
	State         PaymentState
	Amount        int64
	PaidAt        time.Time
}

// PaymentReceipt is the receipt (biên lai) the platform issued.
type PaymentReceipt struct {
	Reference string
	Number    string
	URL       string
}

// PaymentCallback is a confirmation pushed by the platform, parsed and
// verified (its integrity code checked) by the adapter.
type PaymentCallback struct {
	PaymentStatus
	// Raw is a short, printable summary of the message for the audit
	// log; never the secret or the integrity code.
	Raw string
}

// PaymentGateway is the national payment platform seen from motcua. Every
// answer is checked (integrity code, sizes) before it is returned; a
// message that fails is an error, never a result.
type PaymentGateway interface {
	// Init starts a payment (INIT) and returns where to send the payer.
	Init(ctx context.Context, req PaymentRequest) (*PaymentStarted, error)
	// Query asks the platform where a payment stands (QUERY).
	Query(ctx context.Context, reference string) (*PaymentStatus, error)
	// Bill fetches the receipt of a paid payment (GET_BILL).
	Bill(ctx context.Context, reference string) (*PaymentReceipt, error)
	// ParseCallback parses and verifies a confirmation pushed by the
	// platform; EINVALID or EFORBIDDEN (bad integrity code) otherwise.
	ParseCallback(body []byte) (*PaymentCallback, error)
	// AnswerCallback is the body to answer the platform with, for the
	// outcome err of handling its callback (nil: accepted).
	AnswerCallback(err error) (contentType string, body []byte)
}

// Audit actions of payments.
const (
	AuditPaymentStarted          = "payment_started"
	AuditPaymentSettled          = "payment_settled"
	AuditPaymentCash             = "payment_cash"
	AuditPaymentCallbackRefused  = "payment_callback_refused"
	AuditPaymentCallbackReplayed = "payment_callback_replayed"
	AuditPaymentReconciled       = "payment_reconciled"
)
