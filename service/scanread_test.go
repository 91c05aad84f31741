package service_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// countingText is a TextReader that counts its readings per scan (by the
// stored bytes) and answers, for each new scan, the next of texts.
type countingText struct {
	mu     sync.Mutex
	texts  []string
	byDoc  map[[32]byte]string
	calls  map[[32]byte]int
	during func() // run inside each reading (a slow tesseract)
	wait   time.Duration
}

func newCountingText(texts ...string) *countingText {
	return &countingText{texts: texts, byDoc: map[[32]byte]string{}, calls: map[[32]byte]int{}}
}

func (c *countingText) ReadText(ctx context.Context, doc []byte, _ string) (string, error) {
	k := sha256.Sum256(doc)
	c.mu.Lock()
	c.calls[k]++
	text, ok := c.byDoc[k]
	if !ok && len(c.texts) > 0 {
		text, c.texts = c.texts[0], c.texts[1:]
		c.byDoc[k] = text
	}
	during, wait := c.during, c.wait
	c.mu.Unlock()
	if during != nil {
		during()
	}
	select {
	case <-time.After(wait):
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return text, nil
}

// readings returns how many scans were read and the most readings of one.
func (c *countingText) readings() (scans, most int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range c.calls {
		scans++
		most = max(most, n)
	}
	return scans, most
}

// attachScans receives a dossier at An Phú and attaches n scans to its
// first component.
func attachScans(t *testing.T, f *fixture, n int) (string, []*motcua.DossierFile) {
	t.Helper()
	in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912000444"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*motcua.DossierFile
	for i := range n {
		file, err := f.svc.AttachFile(f.as("motcua.anphu"), in.Dossier.Code, in.Dossier.Components[0].ComponentID,
			fmt.Sprintf("scan-%d.pdf", i), bytes.NewReader(scanPDF(t, fmt.Sprintf("SCAN-%d", i))))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	return in.Dossier.Code, files
}

// TestScansReadOnceByTwoInstances: two services on one store run the OCR
// job at once over eight scans; each scan is read by tesseract exactly
// once and every text is stored.
func TestScansReadOnceByTwoInstances(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		reader := newCountingText()
		reader.wait = 20 * time.Millisecond
		f, _ := newSigningFixture(t, e, func(c *service.Config) { c.Text = reader; c.OutboxLease = time.Second })
		code, files := attachScans(t, f, 8)
		cal, _ := calendar.Default()
		other := service.New(f.db, cal, cheap, f.cfg)
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for _, svc := range []*service.Service{f.svc, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					n, err := svc.ReadScans(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					total += n
					mu.Unlock()
					if n == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		if scans, most := reader.readings(); scans != 8 || most != 1 || total != 8 {
			t.Fatalf("%d scans read, at most %d times each, %d deliveries (want 8, 1, 8)", scans, most, total)
		}
		for _, file := range files {
			st, err := f.svc.FileText(f.as("cv.anphu"), code, file.ID, "")
			if err != nil || !st.Ready {
				t.Errorf("file %d: %+v %v", file.ID, st, err)
			}
		}
	})
}

// TestScanNotReadAgainAfterItsLease: under the generic outbox runner with
// a lease shorter than a reading (the fault of the first OCR job), a
// second instance that takes the message while the first still reads
// finds the scan claimed and leaves it (a retry); the first records the
// delivery: one reading in all.
func TestScanNotReadAgainAfterItsLease(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		reader := newCountingText("GIẤY KHAI SINH")
		var f *fixture
		second := make(chan int, 1)
		var once sync.Once
		f, _ = newSigningFixture(t, e, func(c *service.Config) { c.Text = reader; c.OutboxLease = 5 * time.Second })
		code, files := attachScans(t, f, 1)
		cal, _ := calendar.Default()
		other := service.New(f.db, cal, cheap, f.cfg)
		only := motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{motcua.TopicScanText: other.ScanTextDeliverer()}}
		reader.during = func() {
			once.Do(func() {
				// The reading outlasts the outbox lease: another instance
				// claims the same message meanwhile.
				f.set(f.clock.Load().Add(time.Minute))
				n, err := other.DeliverOutbox(ctx, only)
				if err != nil {
					t.Error(err)
				}
				second <- n
			})
		}
		if n, err := f.svc.DeliverOutbox(ctx, motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{motcua.TopicScanText: f.svc.ScanTextDeliverer()}}); err != nil || n != 1 {
			t.Fatalf("first instance: %d, %v", n, err)
		}
		if n := <-second; n != 0 {
			t.Fatalf("the second instance delivered %d while the scan was being read", n)
		}
		// The first instance recorded the delivery after the second's
		// retry: nothing is left to deliver, nothing is listed as failed.
		f.set(f.clock.Load().Add(10 * time.Minute))
		if n, err := other.DeliverOutbox(ctx, only); err != nil || n != 0 {
			t.Fatalf("after: %d, %v", n, err)
		}
		if failed, err := f.svc.FailedDeliveries(f.as("admin"), 10); err != nil || len(failed) != 0 {
			t.Fatalf("failed: %d %v", len(failed), err)
		}
		if scans, most := reader.readings(); scans != 1 || most != 1 {
			t.Fatalf("%d scans, read %d times", scans, most)
		}
		st, err := f.svc.FileText(f.as("cv.anphu"), code, files[0].ID, "")
		if err != nil || st.Text != "GIẤY KHAI SINH" {
			t.Fatalf("%+v %v", st, err)
		}
	})
}

// TestScanReadBudget: a reading that outlasts the per-scan budget is
// stopped, given up (listed for the administrator, not retried for
// hours) and the job goes on to the next scan.
func TestScanReadBudget(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		reader := newCountingText("TRÍCH LỤC", "QUYẾT ĐỊNH")
		reader.wait = time.Hour
		f, _ := newSigningFixture(t, e, func(c *service.Config) { c.Text = reader; c.ScanReadBudget = 100 * time.Millisecond })
		attachScans(t, f, 2)
		start := time.Now()
		n, err := f.svc.ReadScans(ctx)
		if err != nil || n != 0 {
			t.Fatalf("ReadScans: %d, %v", n, err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("two scans over budget took %s", took)
		}
		failed, err := f.svc.FailedDeliveries(f.as("admin"), 10)
		if err != nil || len(failed) != 2 || !strings.Contains(failed[0].LastError, "longer than") {
			t.Fatalf("failed: %d %v", len(failed), err)
		}
	})
}
