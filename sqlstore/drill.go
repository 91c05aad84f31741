package sqlstore

import (
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// ReportDossiers implements motcua.ReportStore.
func (t *tx) ReportDossiers(_ ctxT, f motcua.ReportFilter) ([]*motcua.Dossier, error) {
	where := []string{"received_at IS NOT NULL"}
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.AgencyID != 0 {
		add("competent_agency_id = ?", f.AgencyID)
	}
	if !f.ReceivedFrom.IsZero() {
		add("received_at >= ?", f.ReceivedFrom.UnixMilli())
	}
	if !f.ReceivedTo.IsZero() {
		add("received_at < ?", f.ReceivedTo.UnixMilli())
	}
	if !f.FinishedFrom.IsZero() {
		add("finished_at >= ?", f.FinishedFrom.UnixMilli())
	}
	if !f.FinishedTo.IsZero() {
		add("finished_at < ?", f.FinishedTo.UnixMilli())
	}
	if f.Class != "" {
		add("finish_class = ?", f.Class)
	}
	if f.OnTime766 != nil {
		add("ontime_766 = ?", *f.OnTime766)
	}
	if f.Channel != 0 {
		add("channel = ?", int(f.Channel))
	}
	if f.FlagsAll != 0 {
		add(fmt.Sprintf("(report_flags & %d) = %d", f.FlagsAll, f.FlagsAll))
	}
	if f.FlagsAny != 0 {
		add(fmt.Sprintf("(report_flags & %d) != 0", f.FlagsAny))
	}
	if f.DigitizedOK {
		add(sqlDigitizedOK)
	}
	if f.FlagsNone != 0 {
		add(fmt.Sprintf("(report_flags & %d) = 0", f.FlagsNone))
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return nil, nil
		}
		ids := make([]any, len(f.IDs))
		for i, id := range f.IDs {
			ids[i] = id
		}
		add("id IN ("+placeholders(len(ids))+")", ids...)
	}
	if f.AfterID != 0 {
		add("id > ?", f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return t.dossiers(`SELECT `+dossierColumns+` FROM dossiers WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`,
		append(args, limit)...)
}
