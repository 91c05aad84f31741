package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/webhook"
)

// TestDeliverAndReceive sends messages to the receiver over real HTTP: a
// repeated message is accepted but counted once, a refused one is an error
// for the outbox to retry, and a bad endpoint is refused at configuration.
func TestDeliverAndReceive(t *testing.T) {
	ctx := context.Background()
	rec := &webhook.Receiver{Fail: func(e webhook.Envelope) bool { return e.Topic == "refused" }}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	c, err := webhook.New(srv.URL+"/notify", nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)
	m := &motcua.OutboxMessage{ID: 7, Topic: motcua.TopicDeadlineWarning, Payload: []byte(`{"code":"H99.101-261122-0001"}`), CreatedAt: at}
	for range 2 {
		if err := c.Deliver(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Deliver(ctx, &motcua.OutboxMessage{ID: 8, Topic: "refused", Payload: []byte(`{}`)}); err == nil {
		t.Fatal("a 503 answer was taken for a delivery")
	}
	got := rec.Received()
	if len(got) != 1 || got[0].ID != 7 || string(got[0].Payload) != `{"code":"H99.101-261122-0001"}` || !got[0].CreatedAt.Equal(at) ||
		rec.Repeats() != 1 || rec.Attempts() != 3 {
		t.Fatalf("received %+v, %d repeats, %d attempts", got, rec.Repeats(), rec.Attempts())
	}
	resp, err := http.Post(srv.URL, "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a delivery without body or key: %d", resp.StatusCode)
	}
	for _, bad := range []string{"", "ftp://x/y", "http://", "notify.internal/x"} {
		if _, err := webhook.New(bad, nil); err == nil {
			t.Errorf("outbox URL %q accepted", bad)
		}
	}
	closed := httptest.NewServer(rec)
	closed.Close()
	c2, _ := webhook.New(closed.URL, nil)
	if err := c2.Deliver(ctx, m); err == nil {
		t.Fatal("delivery to a closed endpoint reported done")
	}
}
