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
	// The order, its keyset, and on SQLite the index that yields the rows
	// in that order (a period's receptions or finishes, province-wide) or
	// the agency's few (its receptions by channel, its finishes by verdict,
	// which are then sorted).
	order, index := "id", ""
	switch f.Order {
	case motcua.OrderByReception:
		order, index = "received_at, id", "dossiers_received"
		if f.AgencyID != 0 {
			index = "dossiers_agency_received"
			if f.Channel == 0 {
				add("channel IN (1, 2, 3)") // lets the agency's index range over every channel
			}
		}
	case motcua.OrderByFinish:
		order, index = "finished_at, id", "dossiers_finished"
		add("finished_at IS NOT NULL")
		if f.AgencyID != 0 {
			index = "dossiers_agency_finished"
			if f.Class == "" {
				add("finish_class IN ('early', 'on_time', 'late')")
			}
			if f.OnTime766 == nil {
				add("ontime_766 IN (?, ?)", false, true)
			}
		}
	}
	if f.AfterID != 0 {
		if f.Order == motcua.OrderByID {
			add("id > ?", f.AfterID)
		} else {
			col, _, _ := strings.Cut(order, ",")
			add(fmt.Sprintf("(%[1]s > (SELECT %[1]s FROM dossiers WHERE id = ?) OR (%[1]s = (SELECT %[1]s FROM dossiers WHERE id = ?) AND id > ?))", col),
				f.AfterID, f.AfterID, f.AfterID)
		}
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	from := "dossiers"
	if index != "" {
		from += t.db.dialect.indexedBy(index)
	}
	return t.dossiers(`SELECT `+dossierColumns+` FROM `+from+` WHERE `+strings.Join(where, " AND ")+` ORDER BY `+order+` LIMIT ?`,
		append(args, limit)...)
}
