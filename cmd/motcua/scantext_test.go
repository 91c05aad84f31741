package main

import (
	"context"
	"slices"
	"testing"

	"github.com/motcua/motcua"
)

type countingHook struct{ n *int }

func (h countingHook) Deliver(context.Context, *motcua.OutboxMessage) error { *h.n++; return nil }

// TestWebhookLeavesScansToTheirJob: with a webhook taking every topic, the
// outbox's runner, as wired with the notices and the store, does not claim
// the OCR job's messages, and would not hand one to the webhook.
func TestWebhookLeavesScansToTheirJob(t *testing.T) {
	n := 0
	d := withNotices(withStoreDeliverer(withoutScanText(outboxDeliverer(nil, countingHook{&n})), nil),
		map[string]motcua.Deliverer{"notice.sms": countingHook{&n}})
	claims := d.(interface{ Claims() []string }).Claims()
	if !slices.Equal(claims, []string{"!" + motcua.TopicScanText}) {
		t.Fatalf("claims %v", claims)
	}
	if err := d.Deliver(context.Background(), &motcua.OutboxMessage{Topic: motcua.TopicScanText}); err == nil || n != 0 {
		t.Errorf("an OCR message went to the webhook: %v, %d", err, n)
	}
	if err := d.Deliver(context.Background(), &motcua.OutboxMessage{Topic: "dossier.changed"}); err != nil || n != 1 {
		t.Errorf("another topic: %v, %d", err, n)
	}
}
