package service

import (
	"context"

	"github.com/motcua/motcua"
)

// paymentUnit are the payment facts of one unit of the index (indicators
// 3.5, 3.5b and 3.6), read from the payment records.
type paymentUnit struct {
	// held: the system records payments (a platform is connected, or
	// payments exist). Never a configuration flag.
	held bool
	// started and paid are the procedures with an online payment started,
	// and paid, in the period.
	started, paid map[int64]bool
	// feeDossiers and paidOnline count, for 3.6, the fee-bearing dossiers
	// received in the period and those of them paid online.
	feeDossiers, paidOnline int64
}

// paymentIndexInputs adds the period's payment facts to the units (the
// agencies and the province, 0), creating units that only payments name.
// The fee-bearing receptions come from in when its one pass counted them.
func (s *Service) paymentIndexInputs(ctx context.Context, p motcua.Period, in *indexInputs, units map[int64]*unitData, unit func(int64) *unitData) error {
	var aggs []motcua.PaymentAgg
	recorded := false
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if recorded, err = tx.PaymentsRecorded(ctx); err != nil {
			return err
		}
		read := tx.PaymentAggs
		if in.onePass {
			read = tx.OnlinePaymentAggs
		}
		aggs, err = read(ctx, p.From.Start(), p.To.End())
		return err
	})
	if err != nil {
		return err
	}
	aggs = append(aggs, in.fees...)
	for _, a := range aggs {
		for _, u := range []*unitData{unit(a.AgencyID), unit(0)} {
			pu := u.paymentFacts()
			pu.feeDossiers += a.FeeDossiers
			pu.paidOnline += a.PaidOnline
			if a.OnlineStarted > 0 {
				pu.started[a.ProcedureID] = true
			}
			if a.OnlinePaid > 0 {
				pu.paid[a.ProcedureID] = true
			}
		}
	}
	held := recorded || s.PaymentsEnabled()
	unit(0)
	for _, u := range units {
		u.paymentFacts().held = held
	}
	return nil
}

func (u *unitData) paymentFacts() *paymentUnit {
	if u.payments == nil {
		u.payments = &paymentUnit{started: map[int64]bool{}, paid: map[int64]bool{}}
	}
	return u.payments
}

// paymentValues puts the numerators and denominators of 3.5, 3.5b and 3.6
// into values, and whether payments are held into held (overriding any
// configuration: the input is held only when the system records it).
//
//   - 3.5: procedures of the unit with fees whose fee data reached the
//     national payment platform (an online payment started: its INIT
//     carries the fee lines) / procedures of the unit with fees.
//   - 3.5b: procedures of the unit with fees that had an online payment
//     actually paid / procedures of the unit with fees.
//   - 3.6: dossiers received in the period with a non-zero fee paid online
//     / dossiers received in the period with a non-zero fee.
//
// A procedure has fees when its fixed fee amounts add up to more than 0;
// fees without a fixed amount cannot be collected online by the system.
func paymentValues(values map[string][2]int64, held map[motcua.IndexInput]bool, u *unitData) {
	pu := u.paymentFacts()
	held[motcua.InputPayments] = pu.held
	var withFees, started, paid int64
	for _, p := range u.procedures {
		if p.FeeTotal() <= 0 {
			continue
		}
		withFees++
		if pu.started[p.ID] {
			started++
		}
		if pu.paid[p.ID] {
			paid++
		}
	}
	values["3.5"] = [2]int64{started, withFees}
	values["3.5b"] = [2]int64{paid, withFees}
	values["3.6"] = [2]int64{pu.paidOnline, pu.feeDossiers}
}
