package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

// feedbackDeadlines parses --feedback-days: classify,answer,publish,warn.
func (c Config) feedbackDeadlines() (motcua.FeedbackDeadlines, error) {
	parts := strings.Split(c.FeedbackDays, ",")
	if len(parts) != 4 {
		return motcua.FeedbackDeadlines{}, fmt.Errorf("want four numbers of working days, classify,answer,publish,warn-before (e.g. 2,15,2,2), not %q", c.FeedbackDays)
	}
	var n [4]int
	for i, p := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return motcua.FeedbackDeadlines{}, fmt.Errorf("%q is not a number of working days", p)
		}
		n[i] = v
	}
	d := motcua.FeedbackDeadlines{Classify: n[0], Answer: n[1], Publish: n[2], WarnBefore: n[3]}
	return d, d.Validate()
}

// mustFeedbackDeadlines is feedbackDeadlines of a validated configuration.
func (c Config) mustFeedbackDeadlines() motcua.FeedbackDeadlines {
	d, err := c.feedbackDeadlines()
	if err != nil {
		return motcua.DefaultFeedbackDeadlines()
	}
	return d
}
