package sqlstore_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestOutboxClaimLeavesTopicsOut: a claim naming "!t" takes every topic
// but t (a webhook's runner leaves the OCR job's messages to their own
// job); one naming t takes t only.
func TestOutboxClaimLeavesTopicsOut(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		now := time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
		mustWrite(t, db, func(tx motcua.Tx) error {
			for _, topic := range []string{motcua.TopicScanText, "a", motcua.TopicScanText, "b"} {
				if err := tx.Enqueue(ctx, &motcua.OutboxMessage{Topic: topic, Payload: []byte(`{}`), CreatedAt: now, NextAttemptAt: now}); err != nil {
					return err
				}
			}
			return nil
		})
		claim := func(topics []string) (got []string) {
			mustWrite(t, db, func(tx motcua.Tx) error {
				ms, err := tx.ClaimOutbox(ctx, now, now.Add(time.Minute), 10, topics)
				for _, m := range ms {
					got = append(got, m.Topic)
				}
				return err
			})
			return got
		}
		if got := claim(motcua.DeliverByTopic{Default: motcua.DeliverByTopic{}, Except: []string{motcua.TopicScanText}}.Claims()); len(got) != 2 || got[0] != "a" || got[1] != "b" {
			t.Errorf("all but the OCR job's: %v", got)
		}
		if got := claim([]string{motcua.TopicScanText}); len(got) != 2 || got[0] != motcua.TopicScanText || got[1] != motcua.TopicScanText {
			t.Errorf("the OCR job's: %v", got)
		}
	})
}
