package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/dvcqg/sim"
	"github.com/motcua/motcua/jobs"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
)

// SyncOptions control RunSync.
type SyncOptions struct {
	Dir      string        // scratch folder (default: a temporary one)
	Postgres string        // measure on this PostgreSQL database instead of SQLite
	Duration time.Duration // length of the intake and of the lag measurement
	Clients  int           // concurrent intake clients
	// Interval is how often the delivery job runs in the lag measurement
	// (the deployment's --outbox-interval).
	Interval time.Duration
	// Rate is the steady intake, in dossiers per second, during the lag
	// measurement.
	Rate float64
	Out  io.Writer
}

// SyncReport holds the status synchronisation's figures: the durable
// intake rate through the API (each intake queues one status message), the
// rate at which one delivery loop drains the queue to the portal's
// simulator over HTTP (a message is the dossier's record and one progress
// row: two calls), and the delivery lag of a steady intake with the portal
// up.
type SyncReport struct {
	Intake   Figure
	Queued   int
	Drain    Figure
	Lag      []time.Duration // per message, sorted
	LagRate  float64         // dossiers per second offered during the lag measurement
	Interval time.Duration
}

// Percentile returns the p-th percentile (0–100) of the lags.
func (r *SyncReport) Percentile(p float64) time.Duration {
	if len(r.Lag) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(r.Lag)-1))
	return r.Lag[i]
}

// RunSync measures the synchronisation of statuses with the national
// portal against the intake in the same run.
func RunSync(ctx context.Context, o SyncOptions) (*SyncReport, error) {
	if o.Duration <= 0 {
		o.Duration = 5 * time.Second
	}
	if o.Clients <= 0 {
		o.Clients = 64
	}
	if o.Interval <= 0 {
		o.Interval = 2 * time.Second
	}
	if o.Rate <= 0 {
		o.Rate = 20
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	sc, err := openScratch(ctx, o.Dir, o.Postgres, sqlstore.Options{})
	if err != nil {
		return nil, err
	}
	defer sc.done()
	store := sc.store
	fmt.Fprintf(o.Out, "engine: %s\n", store.Engine())

	// The portal's simulator on loopback.
	portal, err := sim.New(sim.Config{Username: "bench", Password: "bench-password", DstCode: "H99"})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: portal}
	go hs.Serve(ln)
	defer hs.Close()
	client := dvcqg.NewClient(dvcqg.Config{BaseURL: "http://" + ln.Addr().String(), Username: "bench", Password: "bench-password",
		DstCode: "H99", AgencyCode: "000.00.00.H99", Timeout: 10 * time.Second})

	e, err := startWith(ctx, store, o.Out, func(c *service.Config) { c.PortalSync = true })
	if err != nil {
		store.Close()
		return nil, err
	}
	defer e.close()
	rep := &SyncReport{Interval: o.Interval, LagRate: o.Rate}
	lags := &lagRecorder{}
	deliver := motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{
		motcua.TopicPortalSync: lags.wrap(e.svc.PortalDeliverer(client))}}

	fmt.Fprintf(o.Out, "intake through the API, %d clients, %s (each queues one status message)…\n", o.Clients, o.Duration)
	if rep.Intake, err = measured(func() (Figure, error) { return e.intake(ctx, o.Clients, o.Duration) }); err != nil {
		return nil, err
	}
	st, err := e.svc.PortalBacklog(ctx)
	if err != nil {
		return nil, err
	}
	rep.Queued = st.Pending
	fmt.Fprintf(o.Out, "draining %d messages to the simulator with one delivery loop…\n", rep.Queued)
	rep.Drain, err = measured(func() (Figure, error) {
		start := time.Now()
		total := 0
		for {
			n, err := e.svc.DeliverOutbox(ctx, deliver)
			if err != nil {
				return Figure{}, err
			}
			total += n
			if n == 0 {
				break
			}
		}
		return Figure{Rate: float64(total) / time.Since(start).Seconds(), Ops: int64(total)}, nil
	})
	if err != nil {
		return nil, err
	}
	if st, err = e.svc.PortalBacklog(ctx); err != nil {
		return nil, err
	} else if st.Pending != 0 {
		return nil, fmt.Errorf("%d messages left after draining (%d failed)", st.Pending, st.Failed)
	}
	if got := portal.Snapshot().Counts; got.Rows < rep.Queued || got.OutOfOrder != 0 {
		return nil, fmt.Errorf("the simulator holds %d rows (%d out of order) for %d messages", got.Rows, got.OutOfOrder, rep.Queued)
	}

	fmt.Fprintf(o.Out, "lag: %.0f dossiers/s for %s, delivery every %s and when a change is queued…\n", o.Rate, o.Duration, o.Interval)
	lags.reset()
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		jobs.RunNudged(runCtx, o.Interval, 50*time.Millisecond, e.svc.OutboxNudges(), []jobs.Job{{Name: "deliver-outbox",
			Run: func(ctx context.Context) (int, error) { return e.svc.DeliverOutbox(ctx, deliver) }}})
	}()
	if err := e.steadyIntake(ctx, o.Rate, o.Duration); err != nil {
		stop()
		wg.Wait()
		return nil, err
	}
	// Let the last messages go out, then stop the loop.
	for deadline := time.Now().Add(o.Interval*3 + 5*time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if st, err := e.svc.PortalBacklog(ctx); err == nil && st.Pending == 0 {
			break
		}
	}
	stop()
	wg.Wait()
	rep.Lag = lags.sorted()
	return rep, nil
}

// steadyIntake receives rate dossiers a second through the API for d.
func (e *env) steadyIntake(ctx context.Context, rate float64, d time.Duration) error {
	every := time.Duration(float64(time.Second) / rate)
	t := time.NewTicker(every)
	defer t.Stop()
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	c := &http.Client{Timeout: 30 * time.Second}
	for time.Now().Before(end) {
		<-t.C
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.receiveOne(ctx, c, 1); err != nil {
				mu.Lock()
				first = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

// lagRecorder keeps, for each message delivered, the time from its
// creation (in the transaction of the change) to the portal's acceptance.
type lagRecorder struct {
	mu   sync.Mutex
	lags []time.Duration
}

func (l *lagRecorder) wrap(d motcua.Deliverer) motcua.Deliverer {
	return deliverFunc(func(ctx context.Context, m *motcua.OutboxMessage) error {
		err := d.Deliver(ctx, m)
		if err == nil {
			l.mu.Lock()
			l.lags = append(l.lags, time.Since(m.CreatedAt))
			l.mu.Unlock()
		}
		return err
	})
}

func (l *lagRecorder) reset() {
	l.mu.Lock()
	l.lags = nil
	l.mu.Unlock()
}

func (l *lagRecorder) sorted() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := append([]time.Duration(nil), l.lags...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

type deliverFunc func(ctx context.Context, m *motcua.OutboxMessage) error

func (f deliverFunc) Deliver(ctx context.Context, m *motcua.OutboxMessage) error { return f(ctx, m) }
