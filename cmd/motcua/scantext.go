package main

import "github.com/motcua/motcua"

// withScanText adds the OCR job's deliverer (nil: OCR off) to the outbox's
// deliverer d (nil: none), so that a webhook never receives those jobs.
func withScanText(d, text motcua.Deliverer) motcua.Deliverer {
	if text == nil {
		return d
	}
	r := motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{}}
	switch d := d.(type) {
	case nil:
	case motcua.DeliverByTopic:
		r.Default = d.Default
		for k, v := range d.Topics {
			r.Topics[k] = v
		}
	default:
		r.Default = d
	}
	r.Topics[motcua.TopicScanText] = text
	return r
}
