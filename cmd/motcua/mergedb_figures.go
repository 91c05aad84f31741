package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
)

// mergeDBFigures adds to a dry run's report what the merge changes in the
// survivor's report 06a and QĐ 766 index over the years either province
// has dossiers in (service.MergeDBFigures): printed, in the JSON report
// ("counters") and, row by row, in <report>.figures.csv.
func mergeDBFigures(ctx context.Context, cfg Config, src, dst *sqlstore.DB, rep *sqlstore.MergeReport, report string, stdout io.Writer) error {
	if rep.Years[0] == 0 {
		return nil
	}
	rules, err := cfg.rules()
	if err != nil {
		return err
	}
	pattern, _ := motcua.ParseCodePattern(cfg.CodePattern)
	svc := func(db *sqlstore.DB) (*service.Service, error) {
		cal, err := loadCalendar(ctx, cfg, db)
		if err != nil {
			return nil, err
		}
		return service.New(db, cal, nil, serviceConfig(cfg, rules, pattern)), nil
	}
	into, err := svc(dst)
	if err != nil {
		return err
	}
	from, err := svc(src)
	if err != nil {
		return err
	}
	p := motcua.Period{From: motcua.DayOfDate(rep.Years[0], 1, 1), To: motcua.DayOfDate(rep.Years[1], 12, 31)}
	figs, err := into.MergeDBFigures(ctx, from, rep.AgencyMap, rep.ProcedureMap, p)
	if err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	if rep.Counters, err = json.Marshal(figs); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "What changes in the survivor's figures, %s (report 06a, province, column: before → after):\n", p)
	for _, r := range figs.Rows06a {
		if r.AgencyID != 0 {
			continue
		}
		for c := 3; c <= 13; c++ {
			fmt.Fprintf(stdout, "  column %-2d %10d → %d\n", c, r.Before.Col(c), r.After.Col(c))
		}
	}
	fmt.Fprintln(stdout, "QĐ 766 index, province, indicator: points before → after:")
	for _, x := range figs.Points766 {
		if x.AgencyID == 0 {
			fmt.Fprintf(stdout, "  %-6s %6.2f → %.2f  (%s → %s)\n", x.Indicator, x.Before, x.After, x.StatusBefore, x.StatusAfter)
		}
	}
	if len(figs.NotPredicted) > 0 {
		fmt.Fprintf(stdout, "  (indicators %v: the survivor's complaints and payments only; check them after the merge)\n", figs.NotPredicted)
	}
	fmt.Fprintf(stdout, "%d units' 06a rows and %d indicator points change: see %s.figures.csv.\n", len(figs.Rows06a)-1, len(figs.Points766), report)
	if report == "" {
		return nil
	}
	f, err := os.Create(report + ".figures.csv")
	if err != nil {
		return err
	}
	defer f.Close()
	f.WriteString("\uFEFF")
	w := csv.NewWriter(f)
	w.Write([]string{"figure", "agency_id", "unit", "item", "before", "after"})
	for _, r := range figs.Rows06a {
		for c := 3; c <= 13; c++ {
			w.Write([]string{"06a", strconv.FormatInt(r.AgencyID, 10), r.Name, "column " + strconv.Itoa(c),
				strconv.FormatInt(r.Before.Col(c), 10), strconv.FormatInt(r.After.Col(c), 10)})
		}
	}
	for _, x := range figs.Points766 {
		w.Write([]string{"766", strconv.FormatInt(x.AgencyID, 10), x.Name, x.Indicator,
			strconv.FormatFloat(x.Before, 'f', 2, 64) + " " + x.StatusBefore, strconv.FormatFloat(x.After, 'f', 2, 64) + " " + x.StatusAfter})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return f.Sync()
}
