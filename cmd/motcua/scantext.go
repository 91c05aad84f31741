package main

import "github.com/motcua/motcua"

// withoutScanText keeps the OCR job's messages from the outbox's deliverer
// d (nil: none) when it takes every other topic (a webhook): the
// read-scans job delivers them on its own runner, a scan at a time, so the
// outbox's runner neither claims them nor hands them to the webhook.
func withoutScanText(d motcua.Deliverer) motcua.Deliverer {
	switch r := d.(type) {
	case nil:
		return nil
	case motcua.DeliverByTopic:
		if r.Default == nil {
			return r // it claims only its own topics
		}
		r.Except = append(r.Except[:len(r.Except):len(r.Except)], motcua.TopicScanText)
		return r
	default:
		return motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{}, Default: d, Except: []string{motcua.TopicScanText}}
	}
}
