package service

import (
	"context"
	"sort"
	"time"

	"github.com/motcua/motcua"
)

// Dashboard holds the figures the staff and public dashboards draw for a
// period, and the months of its year up to its end.
type Dashboard struct {
	Period motcua.Period
	Report *motcua.Report06a
	// OnTimeRate is the share of dossiers handled early or on time.
	OnTimeRate float64
	// Handled is OnTimeRate's denominator: the dossiers handled in the
	// period (early, on time or late); 0 means the rate is undefined.
	Handled int64
	// Waiting are the dossiers waiting for a supplement at the period's
	// end: report 06a counts them handled on time, Handled does not.
	Waiting int64
	// Received counts the period's receptions by channel.
	Counter, Online, Post int64
	// ReceivedTotal is the period's receptions (Counter + Online + Post),
	// the denominator of OnlineRate and DigitizedRate; 0 means both are
	// undefined.
	ReceivedTotal int64
	// OnlineRate is the share of the period's receptions submitted online.
	OnlineRate float64
	// DigitizedRate is indicator 4.2's ratio over the period's receptions.
	DigitizedRate float64
	// Overdue lists the agencies with dossiers pending past their
	// appointment at the period's end, most first.
	Overdue []AgencyCount
	Months  []MonthFigures
}

// AgencyCount is a count for one agency.
type AgencyCount struct {
	AgencyID int64
	N        int64
}

// MonthFigures are one month's figures for the trends.
type MonthFigures struct {
	Month          time.Month
	Online, Direct int64
	Handled        int64
	// OnTimeRate is the share handled early or on time; NaN-free: 0 when
	// nothing was handled (HasHandled says which).
	OnTimeRate float64
	HasHandled bool
}

// Dashboard computes the dashboards' figures for period p (public
// statistics: no personal data), from the live counters.
func (s *Service) Dashboard(ctx context.Context, p motcua.Period) (*Dashboard, error) {
	rep, err := s.Report06a(ctx, p, SourceLive)
	if err != nil {
		return nil, err
	}
	d := &Dashboard{Period: p, Report: rep, Waiting: rep.Total.Waiting}
	t := rep.Total
	if handled := t.Early + t.FinishedOnTime + t.Late; handled > 0 {
		d.OnTimeRate = float64(t.Early+t.FinishedOnTime) / float64(handled)
		d.Handled = handled
	}
	var flows []motcua.StatTotal
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		flows, err = sumStats(ctx, tx, p.From, p.To, motcua.MetricReceivedPost, motcua.MetricDigitized)
		return err
	}); err != nil {
		return nil, err
	}
	var digitized int64
	for _, f := range flows {
		switch f.Metric {
		case motcua.MetricReceivedPost:
			d.Post += f.N
		case motcua.MetricDigitized:
			digitized += f.N
		}
	}
	total := t.ReceivedOnline + t.ReceivedDirect
	d.Online = t.ReceivedOnline
	d.Counter = t.ReceivedDirect - d.Post
	d.ReceivedTotal = total
	if total > 0 {
		d.DigitizedRate = float64(digitized) / float64(total)
		d.OnlineRate = float64(d.Online) / float64(total)
	}
	for _, r := range rep.Rows {
		if r.Overdue > 0 {
			d.Overdue = append(d.Overdue, AgencyCount{AgencyID: r.AgencyID, N: r.Overdue})
		}
	}
	sort.Slice(d.Overdue, func(i, j int) bool {
		return d.Overdue[i].N > d.Overdue[j].N || (d.Overdue[i].N == d.Overdue[j].N && d.Overdue[i].AgencyID < d.Overdue[j].AgencyID)
	})
	end := p.To.Start().In(motcua.VietnamTime)
	for m := time.January; m <= end.Month(); m++ {
		first := motcua.DayOf(time.Date(end.Year(), m, 1, 12, 0, 0, 0, motcua.VietnamTime))
		last := motcua.DayOf(time.Date(end.Year(), m+1, 0, 12, 0, 0, 0, motcua.VietnamTime))
		if last > p.To {
			last = p.To
		}
		mr, err := s.Report06a(ctx, motcua.Period{From: first, To: last}, SourceLive)
		if err != nil {
			return nil, err
		}
		mt := mr.Total
		f := MonthFigures{Month: m, Online: mt.ReceivedOnline, Direct: mt.ReceivedDirect, Handled: mt.Early + mt.FinishedOnTime + mt.Late}
		if f.Handled > 0 {
			f.HasHandled = true
			f.OnTimeRate = float64(mt.Early+mt.FinishedOnTime) / float64(f.Handled)
		}
		d.Months = append(d.Months, f)
	}
	return d, nil
}
