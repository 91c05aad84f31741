package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

const paymentColumns = `id, dossier_id, method, amount, fees, reference, state, transaction_id, receipt_number, receipt_url,
	paid_at, recorded_by, created_at, updated_at`

// CreatePayment implements motcua.PaymentStore.
func (t *tx) CreatePayment(_ ctxT, p *motcua.Payment) error {
	fees, err := json.Marshal(nonNilFees(p.Fees))
	if err != nil {
		return err
	}
	id, err := t.insert(`INSERT INTO payments (dossier_id, method, amount, fees, reference, state, transaction_id, receipt_number,
		receipt_url, paid_at, recorded_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.DossierID, string(p.Method), p.Amount, string(fees), p.Reference, string(p.State), p.TransactionID, p.ReceiptNumber,
		p.ReceiptURL, ms(p.PaidAt), p.RecordedBy, p.CreatedAt.UnixMilli(), p.UpdatedAt.UnixMilli())
	if err != nil {
		return conflict(err, "payment_reference_exists", "Mã tham chiếu thanh toán (hoặc số biên lai) đã được ghi nhận trước đó.")
	}
	p.ID = id
	return nil
}

func nonNilFees(f []motcua.PaymentFee) []motcua.PaymentFee {
	if f == nil {
		return []motcua.PaymentFee{}
	}
	return f
}

func scanPayment(sc interface{ Scan(...any) error }) (*motcua.Payment, error) {
	var p motcua.Payment
	var method, state, fees string
	var paid sql.NullInt64
	var created, updated int64
	if err := sc.Scan(&p.ID, &p.DossierID, &method, &p.Amount, &fees, &p.Reference, &state, &p.TransactionID, &p.ReceiptNumber,
		&p.ReceiptURL, &paid, &p.RecordedBy, &created, &updated); err != nil {
		return nil, err
	}
	p.Method, p.State = motcua.PaymentMethod(method), motcua.PaymentState(state)
	if err := json.Unmarshal([]byte(fees), &p.Fees); err != nil {
		return nil, fmt.Errorf("payment %d fees: %w", p.ID, err)
	}
	p.PaidAt = fromMS(paid)
	p.CreatedAt, p.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	return &p, nil
}

func (t *tx) onePayment(where string, arg any) (*motcua.Payment, error) {
	row, err := t.queryRow(`SELECT `+paymentColumns+` FROM payments WHERE `+where, arg)
	if err != nil {
		return nil, err
	}
	p, err := scanPayment(row)
	if err != nil {
		return nil, notFound(err, "payment_not_found", "Không tìm thấy khoản thanh toán.")
	}
	return p, nil
}

// Payment implements motcua.PaymentStore.
func (t *tx) Payment(_ ctxT, id int64) (*motcua.Payment, error) { return t.onePayment("id = ?", id) }

// PaymentByReference implements motcua.PaymentStore.
func (t *tx) PaymentByReference(_ ctxT, reference string) (*motcua.Payment, error) {
	return t.onePayment("reference = ?", reference)
}

func (t *tx) payments(query string, args ...any) ([]*motcua.Payment, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanPayments(rows)
}

// scanPayments reads the payments of rows (paymentColumns).
func scanPayments(rows rowsScanner) ([]*motcua.Payment, error) {
	var out []*motcua.Payment
	for rows.Next() {
		p, err := scanPayment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// DossierPayments implements motcua.PaymentStore.
func (t *tx) DossierPayments(_ ctxT, dossierID int64) ([]*motcua.Payment, error) {
	return t.payments(`SELECT `+paymentColumns+` FROM payments WHERE dossier_id = ? ORDER BY id`, dossierID)
}

// SettlePayment implements motcua.PaymentStore. The WHERE state =
// 'pending' makes the forward-only rule hold in SQL as well: of two
// transactions settling one payment, the second changes nothing and is
// told so.
func (t *tx) SettlePayment(_ ctxT, p *motcua.Payment) error {
	if !p.State.Final() {
		return motcua.Errorf(motcua.EINVALID, "payment_state_unknown", "Trạng thái thanh toán không hợp lệ.")
	}
	res, err := t.exec(`UPDATE payments SET state = ?, transaction_id = ?, receipt_number = ?, receipt_url = ?, paid_at = ?,
		recorded_by = ?, updated_at = ? WHERE id = ? AND state = 'pending'`,
		string(p.State), p.TransactionID, p.ReceiptNumber, p.ReceiptURL, ms(p.PaidAt), p.RecordedBy, p.UpdatedAt.UnixMilli(), p.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return motcua.Errorf(motcua.ECONFLICT, "payment_not_pending", "Khoản thanh toán đã được xử lý xong trước đó.")
	}
	return nil
}

// SetPaymentReceipt implements motcua.PaymentStore.
func (t *tx) SetPaymentReceipt(_ ctxT, id int64, number, url string) error {
	_, err := t.exec(`UPDATE payments SET receipt_number = ?, receipt_url = ? WHERE id = ? AND state = 'paid' AND receipt_number = ''`,
		number, url, id)
	return err
}

// PendingPayments implements motcua.PaymentStore.
func (t *tx) PendingPayments(_ ctxT, before time.Time, limit int) ([]*motcua.Payment, error) {
	if limit <= 0 {
		limit = 100
	}
	return t.payments(`SELECT `+paymentColumns+` FROM payments WHERE state = 'pending' AND method = 'online' AND created_at < ?
		ORDER BY created_at, id LIMIT ?`, before.UnixMilli(), limit)
}

// PaymentAggs implements motcua.PaymentStore.
func (t *tx) PaymentAggs(_ ctxT, from, to time.Time) ([]motcua.PaymentAgg, error) {
	return t.paymentAggs(from, to, true)
}

// OnlinePaymentAggs implements motcua.PaymentStore.
func (t *tx) OnlinePaymentAggs(_ ctxT, from, to time.Time) ([]motcua.PaymentAgg, error) {
	return t.paymentAggs(from, to, false)
}

// paymentAggs is PaymentAggs, counting the fee-bearing receptions only
// when fees is set.
func (t *tx) paymentAggs(from, to time.Time, fees bool) ([]motcua.PaymentAgg, error) {
	var second *pconn
	if fees {
		second = t.helper() // before t's first read
	}
	f, tt := from.UnixMilli(), to.UnixMilli()
	type key struct{ agency, procedure int64 }
	aggs := map[key]*motcua.PaymentAgg{}
	var order []key
	agg := func(k key) *motcua.PaymentAgg {
		a, ok := aggs[k]
		if !ok {
			a = &motcua.PaymentAgg{AgencyID: k.agency, ProcedureID: k.procedure}
			aggs[k] = a
			order = append(order, k)
		}
		return a
	}
	// 3.6: the fee-bearing dossiers received in the period (from the index
	// of receptions), and which of them have a paid online payment (from
	// the paid payments: testing the payments of every fee-bearing
	// reception cost 2 s on 400,000 dossiers on PostgreSQL, issue 15).
	queries := []string{
		fmt.Sprintf(`SELECT competent_agency_id, procedure_id, COUNT(*) FROM dossiers`+t.db.dialect.indexedBy("dossiers_received")+`
			WHERE received_at IS NOT NULL AND received_at >= ? AND received_at < ? AND (report_flags & %d) != 0
			GROUP BY competent_agency_id, procedure_id`, motcua.FlagFeeBearing),
		// CROSS JOIN: SQLite then reads the payments first.
		fmt.Sprintf(`SELECT d.competent_agency_id, d.procedure_id, COUNT(DISTINCT d.id) FROM payments p CROSS JOIN dossiers d
			WHERE d.id = p.dossier_id AND p.method = 'online' AND p.state = 'paid'
			AND d.received_at IS NOT NULL AND d.received_at >= ? AND d.received_at < ? AND (d.report_flags & %d) != 0
			GROUP BY d.competent_agency_id, d.procedure_id`, motcua.FlagFeeBearing),
	}
	for i, q := range queries {
		if i == 0 && !fees {
			continue
		}
		if i == 0 {
			counts, ok, err := t.flaggedReceptions(second, motcua.FlagFeeBearing, f, tt)
			if err != nil {
				return nil, err
			}
			if ok {
				for _, k := range sortedKeys(counts) {
					agg(key{k.agency, k.procedure}).FeeDossiers += counts[k]
				}
				continue
			}
		}
		rows, err := t.query(q, f, tt)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k key
			var n int64
			if err := rows.Scan(&k.agency, &k.procedure, &n); err != nil {
				rows.Close()
				return nil, err
			}
			if i == 0 {
				agg(k).FeeDossiers += n
			} else {
				agg(k).PaidOnline += n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	// 3.5 and 3.5b: online payments started, and paid, in the period.
	rows, err := t.query(`SELECT d.competent_agency_id, d.procedure_id,
		SUM(CASE WHEN p.created_at >= ? AND p.created_at < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN p.state = 'paid' AND p.paid_at >= ? AND p.paid_at < ? THEN 1 ELSE 0 END)
		FROM payments p JOIN dossiers d ON d.id = p.dossier_id
		WHERE p.method = 'online' AND ((p.created_at >= ? AND p.created_at < ?) OR (p.paid_at >= ? AND p.paid_at < ?))
		GROUP BY d.competent_agency_id, d.procedure_id`, f, tt, f, tt, f, tt, f, tt)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k key
		var started, paid int64
		if err := rows.Scan(&k.agency, &k.procedure, &started, &paid); err != nil {
			return nil, err
		}
		a := agg(k)
		a.OnlineStarted += started
		a.OnlinePaid += paid
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]motcua.PaymentAgg, 0, len(order))
	for _, k := range order {
		out = append(out, *aggs[k])
	}
	return out, nil
}

// PaymentsRecorded implements motcua.PaymentStore.
func (t *tx) PaymentsRecorded(_ ctxT) (bool, error) {
	row, err := t.queryRow(`SELECT COUNT(*) FROM (SELECT 1 FROM payments LIMIT 1) AS p`)
	if err != nil {
		return false, err
	}
	var n int64
	if err := row.Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}
