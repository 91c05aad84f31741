package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"runtime/metrics"
	"sort"
	"syscall"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
)

// ReportOptions control RunReports.
type ReportOptions struct {
	DB   string // a database filled by motcua demo --dossiers N --year Y
	Year int
	Runs int // timed runs of each measurement; the median is reported
	Out  io.Writer
}

// ReportFigures are the report timings on one database.
type ReportFigures struct {
	Dossiers      int64
	Baseline      time.Duration // a full COUNT(*) of the dossiers, in the same run
	Base06aYear   time.Duration // report 06a for the province, the whole year, from the dossiers
	Base06aMonth  time.Duration // the same for December
	Base06aMarch  time.Duration // the same for March (its pending dossiers all changed since: history replays)
	Live06aYear   time.Duration // from the live counters
	Live06aSpan   time.Duration // from the live counters, 15 January to 20 November (days, months)
	IndexYear     time.Duration // the QĐ 766 index for every unit, the whole year (live counters)
	IndexBaseYear time.Duration // the same from the dossiers
	MaxRSS        int64         // bytes, the process's peak resident memory
	// Four is the time of four reports at once from the dossiers (two
	// indexes and two 06a for the year), and FourPeak the Go runtime's
	// peak memory meanwhile (runtime/metrics /memory/classes/total:bytes,
	// sampled every 5 ms: what the process obtained from the system).
	Four          time.Duration
	FourPeak      uint64
	GoHeapSys     uint64 // bytes obtained from the system by the Go heap
	Units, Agency int

	// Base06aWorst is the slowest of every month, quarter and span from 1
	// January to a month's end (Base06aWorstPeriod names it), timed again
	// as the others are once found.
	Base06aWorst       time.Duration
	Base06aWorstPeriod string
}

// RunReports times the reports on a generated province-year.
func RunReports(ctx context.Context, o ReportOptions) (*ReportFigures, error) {
	if o.Runs <= 0 {
		o.Runs = 5
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	db, err := sqlstore.OpenURL(ctx, o.DB, sqlstore.Options{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.CheckSchema(ctx); err != nil {
		return nil, fmt.Errorf("%s: %s", o.DB, motcua.ErrorMessage(err))
	}
	cal, err := calendar.Default()
	if err != nil {
		return nil, err
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	svc := service.New(db, cal, password.Default(), service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern})
	// The reports read as the server's report pages do: on the long-read
	// connections (sqlstore.Options.LongReadConns), so that four at once
	// take the connections, and the memory, they would take there.
	ctx = motcua.NewContextLongRead(ctx)
	day := func(m time.Month, d int) motcua.Day {
		return motcua.DayOf(time.Date(o.Year, m, d, 12, 0, 0, 0, motcua.VietnamTime))
	}
	year := motcua.Period{From: day(1, 1), To: day(12, 31)}
	december := motcua.Period{From: day(12, 1), To: day(12, 31)}
	f := &ReportFigures{}

	median := func(name string, fn func() error) (time.Duration, error) {
		var ds, cpus []time.Duration
		for range o.Runs {
			t0, c0 := time.Now(), cpuTime()
			if err := fn(); err != nil {
				return 0, fmt.Errorf("%s: %w", name, err)
			}
			ds = append(ds, time.Since(t0))
			cpus = append(cpus, cpuTime()-c0)
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		sort.Slice(cpus, func(i, j int) bool { return cpus[i] < cpus[j] })
		fmt.Fprintf(o.Out, "  %-44s %8.1f ms (median of %d; min %.1f, max %.1f; CPU %.1f ms)\n", name,
			ms(ds[len(ds)/2]), o.Runs, ms(ds[0]), ms(ds[len(ds)-1]), ms(cpus[len(cpus)/2]))
		return ds[len(ds)/2], nil
	}
	if f.Baseline, err = median("baseline: SELECT COUNT(*) FROM dossiers", func() error {
		var err error
		f.Dossiers, err = db.CountRows(ctx, "dossiers")
		return err
	}); err != nil {
		return nil, err
	}
	var rep *motcua.Report06a
	if f.Base06aYear, err = median("06a province, year, from the dossiers", func() (err error) {
		rep, err = svc.Report06a(ctx, year, service.SourceBase)
		return err
	}); err != nil {
		return nil, err
	}
	f.Agency = len(rep.Rows)
	if f.Base06aMonth, err = median("06a province, December, from the dossiers", func() error {
		_, err := svc.Report06a(ctx, december, service.SourceBase)
		return err
	}); err != nil {
		return nil, err
	}
	march := motcua.Period{From: day(3, 1), To: day(3, 31)}
	var baseMarch, liveMarch *motcua.Report06a
	if f.Base06aMarch, err = median("06a province, March, from the dossiers", func() (err error) {
		baseMarch, err = svc.Report06a(ctx, march, service.SourceBase)
		return err
	}); err != nil {
		return nil, err
	}
	if liveMarch, err = svc.Report06a(ctx, march, service.SourceLive); err != nil {
		return nil, err
	}
	if baseMarch.Total != liveMarch.Total {
		return nil, fmt.Errorf("the two sources disagree on March: base %+v, live %+v", baseMarch.Total, liveMarch.Total)
	}
	if f.Base06aWorst, f.Base06aWorstPeriod, err = slowest06a(ctx, svc, o, day, median); err != nil {
		return nil, err
	}
	var live *motcua.Report06a
	if f.Live06aYear, err = median("06a province, year, from the live counters", func() (err error) {
		live, err = svc.Report06a(ctx, year, service.SourceLive)
		return err
	}); err != nil {
		return nil, err
	}
	if live.Total != rep.Total {
		return nil, fmt.Errorf("the two sources disagree: base %+v, live %+v", rep.Total, live.Total)
	}
	if f.Live06aSpan, err = median("06a province, 15/01–20/11, live counters", func() error {
		_, err := svc.Report06a(ctx, motcua.Period{From: day(1, 15), To: day(11, 20)}, service.SourceLive)
		return err
	}); err != nil {
		return nil, err
	}
	var idx, idxBase *motcua.IndexReport
	if f.IndexYear, err = median("QĐ 766 index, every unit, year, live counters", func() (err error) {
		idx, err = svc.Index766From(ctx, year, service.SourceLive)
		return err
	}); err != nil {
		return nil, err
	}
	if f.IndexBaseYear, err = median("QĐ 766 index, every unit, year, from the dossiers", func() (err error) {
		idxBase, err = svc.Index766From(ctx, year, service.SourceBase)
		return err
	}); err != nil {
		return nil, err
	}
	if !reflect.DeepEqual(idx.Units, idxBase.Units) || !reflect.DeepEqual(idx.Averages, idxBase.Averages) {
		return nil, fmt.Errorf("the two sources of the index disagree")
	}
	f.Units = len(idx.Units)
	if f.Four, f.FourPeak, err = fourAtOnce(func(i int) error {
		if i%2 == 0 {
			_, err := svc.Index766From(ctx, year, service.SourceBase)
			return err
		}
		_, err := svc.Report06a(ctx, year, service.SourceBase)
		return err
	}); err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Out, "  %-44s %8.1f ms, peak Go memory %.1f MB\n", "four at once (2 indexes, 2 06a), from the dossiers", ms(f.Four), float64(f.FourPeak)/(1<<20))
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	f.MaxRSS = ru.Maxrss * 1024
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	f.GoHeapSys = m.HeapSys
	fmt.Fprintf(o.Out, "  %d dossiers; %d agencies in 06a; %d units in the index (with the province)\n", f.Dossiers, f.Agency, f.Units)
	fmt.Fprintf(o.Out, "  province total: %d to handle, %d handled (%d late), %d pending (%d overdue)\n",
		rep.Total.Col(3), rep.Total.Col(7), rep.Total.Col(10), rep.Total.Col(11), rep.Total.Col(13))
	return f, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// slowest06a times report 06a from the dossiers for every month, quarter
// and span from 1 January to a month's end of the year (median of up to
// three runs each, checked against the live counters), then the slowest of
// them as median does. Every past period's end has its pending dossiers
// replayed, and the long spans count most receptions: which period is
// slowest depends on the province, so every one is tried.
func slowest06a(ctx context.Context, svc *service.Service, o ReportOptions, day func(time.Month, int) motcua.Day,
	median func(string, func() error) (time.Duration, error)) (time.Duration, string, error) {
	type named struct {
		name string
		p    motcua.Period
	}
	end := func(m time.Month) motcua.Day { return day(m+1, 1) - 1 } // month 13: January of the next year
	var periods []named
	for m := time.January; m <= time.December; m++ {
		periods = append(periods, named{fmt.Sprintf("%02d/%d", int(m), o.Year), motcua.Period{From: day(m, 1), To: end(m)}})
	}
	for q := range 4 {
		first := time.Month(3*q + 1)
		periods = append(periods, named{fmt.Sprintf("quarter %d", q+1), motcua.Period{From: day(first, 1), To: end(first + 2)}})
	}
	for m := time.January; m < time.December; m++ {
		periods = append(periods, named{fmt.Sprintf("01/01–%02d/%02d", end(m).Start().In(motcua.VietnamTime).Day(), int(m)),
			motcua.Period{From: day(1, 1), To: end(m)}})
	}
	sweep := o
	sweep.Runs = min(o.Runs, 3)
	var worst named
	var worstD time.Duration
	for _, pr := range periods {
		var ds, cpus []time.Duration
		for range sweep.Runs {
			t0, c0 := time.Now(), cpuTime()
			base, err := svc.Report06a(ctx, pr.p, service.SourceBase)
			if err != nil {
				return 0, "", fmt.Errorf("06a %s: %w", pr.name, err)
			}
			ds, cpus = append(ds, time.Since(t0)), append(cpus, cpuTime()-c0)
			live, err := svc.Report06a(ctx, pr.p, service.SourceLive)
			if err != nil {
				return 0, "", fmt.Errorf("06a %s, live: %w", pr.name, err)
			}
			if base.Total != live.Total {
				return 0, "", fmt.Errorf("the two sources disagree on %s: base %+v, live %+v", pr.name, base.Total, live.Total)
			}
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		sort.Slice(cpus, func(i, j int) bool { return cpus[i] < cpus[j] })
		fmt.Fprintf(o.Out, "    06a %-22s %8.1f ms (median of %d; CPU %.1f ms)\n", pr.name, ms(ds[len(ds)/2]), sweep.Runs, ms(cpus[len(cpus)/2]))
		if d := ds[len(ds)/2]; d > worstD {
			worst, worstD = pr, d
		}
	}
	d, err := median("06a province, slowest: "+worst.name, func() error {
		_, err := svc.Report06a(ctx, worst.p, service.SourceBase)
		return err
	})
	return d, worst.name, err
}

// fourAtOnce runs fn(0..3) at once and returns their time and the peak of
// the memory the Go runtime holds meanwhile.
func fourAtOnce(fn func(i int) error) (time.Duration, uint64, error) {
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	t0 := time.Now()
	errs := make(chan error, 4)
	for i := range 4 {
		go func() { errs <- fn(i) }()
	}
	var err error
	for range 4 {
		err = errors.Join(err, <-errs)
	}
	d := time.Since(t0)
	close(stop)
	<-sampled
	return d, peak, err
}
