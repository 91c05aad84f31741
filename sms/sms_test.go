package sms_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sms"
	"github.com/motcua/motcua/sms/sim"
)

func start(t *testing.T) (*sim.Sim, *httptest.Server) {
	t.Helper()
	s, err := sim.New(sim.Config{APIKey: "k-123", StateFile: stateFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs
}

// TestSendThroughSimulator sends a Vietnamese message over HTTP: the
// simulator keeps it once although it is sent twice with the same id, and
// lists it on its page.
func TestSendThroughSimulator(t *testing.T) {
	s, hs := start(t)
	c, err := sms.New(sms.Config{URL: hs.URL, APIKey: "k-123", Sender: "MOTCUA"})
	if err != nil {
		t.Fatal(err)
	}
	m := motcua.SMS{ID: "notice-7", To: "0912345678", Text: "Hồ sơ H99.101-250310-0001 đã được tiếp nhận."}
	for range 2 {
		if err := c.SendSMS(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	got := s.Messages()
	if len(got) != 1 || got[0].Text != m.Text || got[0].To != m.To || got[0].Sender != "MOTCUA" {
		t.Fatalf("simulator holds %+v", got)
	}
	resp, err := http.Get(hs.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "đã được tiếp nhận") || !strings.Contains(string(page), "Cổng SMS mô phỏng") {
		t.Fatalf("page does not list the message:\n%s", page)
	}
	// The state survives a restart.
	again, err := sim.New(sim.Config{APIKey: "k-123", StateFile: stateFile(t)})
	if err != nil || len(again.Messages()) != 1 || again.Messages()[0].Text != m.Text {
		t.Fatalf("restarted simulator: %v %+v", err, again.Messages())
	}
}

var stateFiles = map[*testing.T]string{}

// stateFile is the test's one state file.
func stateFile(t *testing.T) string {
	if f, ok := stateFiles[t]; ok {
		return f
	}
	stateFiles[t] = t.TempDir() + "/sms.json"
	return stateFiles[t]
}

// TestGatewayFaults: a bad number is refused for good; a wrong key, the
// gateway down or throttling are worth retrying.
func TestGatewayFaults(t *testing.T) {
	s, hs := start(t)
	c, _ := sms.New(sms.Config{URL: hs.URL, APIKey: "k-123"})
	ctx := context.Background()
	if err := c.SendSMS(ctx, motcua.SMS{ID: "a", To: "0212345678", Text: "x"}); !motcua.PermanentFailure(err) {
		t.Errorf("landline number: %v, want permanent", err)
	}
	wrong, _ := sms.New(sms.Config{URL: hs.URL, APIKey: "nope"})
	if err := wrong.SendSMS(ctx, motcua.SMS{ID: "b", To: "0912345678", Text: "x"}); err == nil || motcua.PermanentFailure(err) {
		t.Errorf("wrong key: %v, want temporary", err)
	}
	for _, f := range []sim.Faults{{Down: true}, {Throttle: true}} {
		s.SetFaults(f)
		if err := c.SendSMS(ctx, motcua.SMS{ID: "c", To: "0912345678", Text: "x"}); err == nil || motcua.PermanentFailure(err) {
			t.Errorf("%+v: %v, want temporary", f, err)
		}
	}
	s.SetFaults(sim.Faults{RejectAll: true})
	if err := c.SendSMS(ctx, motcua.SMS{ID: "d", To: "0912345678", Text: "x"}); !motcua.PermanentFailure(err) {
		t.Errorf("reject all: %v, want permanent", err)
	}
	s.SetFaults(sim.Faults{})
	if err := c.SendSMS(ctx, motcua.SMS{ID: "e", To: "0912345678", Text: strings.Repeat("ơ", sms.MaxText+1)}); !motcua.PermanentFailure(err) {
		t.Errorf("too long: %v, want permanent", err)
	}
	if n := len(s.Messages()); n != 0 {
		t.Fatalf("%d messages accepted", n)
	}
}

// TestRefusalMasksNumber: a gateway that echoes the number in its refusal
// gives an error whose text holds it masked.
func TestRefusalMasksNumber(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":"invalid_number","message":"0912345678 is not reachable"}`)
	}))
	defer hs.Close()
	c, _ := sms.New(sms.Config{URL: hs.URL, APIKey: "k"})
	err := c.SendSMS(context.Background(), motcua.SMS{ID: "x", To: "0912345678", Text: "x"})
	if !motcua.PermanentFailure(err) || strings.Contains(err.Error(), "0912345678") || !strings.Contains(err.Error(), "*******678") {
		t.Fatalf("err = %v", err)
	}
}
