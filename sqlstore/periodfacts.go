package sqlstore

import (
	"cmp"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/motcua/motcua"
)

// A period's facts (motcua.PeriodFacts) come from three reads of covering
// indexes: the dossiers received in the period (on SQLite index
// dossiers_period, migration 0029; on PostgreSQL dossiers_received, which
// since migration 0026 also holds what a finish adds: finish_class,
// ontime_766, handle_ms), those carried over into it (pending at its
// start: few), and those pending at its end (PendingAt). A dossier
// finished in the period was received in it or carried over into it, so
// the finishes need no pass of their own.
//
// The receptions are most of the work: on PostgreSQL the database adds
// them up (a hash aggregate); on SQLite, whose GROUP BY sorts every row
// first, each row is read in time order and added up in Go. Its facts are
// one integer the index stores (periodPackSQL), read with the handling
// time through the driver itself, in two halves on two connections when a
// second one is free (periodsplit.go): measured on 1.6 million dossiers,
// 1.5 s of CPU in all against 4.4–6 s for the former pass and the two
// scans of indicators 3.6 and 4.4 it now replaces.

// Bits of the packed facts of a reception (SQLite): the value of the
// expression periodPackSQL, which index dossiers_period (migration 0029)
// stores, so that the pass reads it instead of computing it.
const (
	packFlagsMask   = 1<<20 - 1 // report_flags
	packChannel     = 20        // 2 bits
	packEarly       = 24
	packLate        = 25
	packOnTime766   = 26
	packProcShift   = 27 // 17 bits of procedure id
	packAgencyShift = 44 // 19 bits of agency id
	packProcMax     = 1 << (packAgencyShift - packProcShift)
	packAgencyMax   = 1 << (63 - packAgencyShift)
)

// periodPackSQL is the packed expression of index dossiers_period, written
// exactly as the migration writes it (a test compares them): SQLite uses
// the stored value only for the same expression. SQLite's << and | share
// one precedence: every term is bracketed.
var periodPackSQL = fmt.Sprintf(`((competent_agency_id << %d) | (procedure_id << %d) | (report_flags & %d) | (channel << %d) | ((finish_class = '%s') << %d) | ((finish_class = '%s') << %d) | ((ontime_766 != 0) << %d))`,
	packAgencyShift, packProcShift, packFlagsMask, packChannel, motcua.Early, packEarly, motcua.Late, packLate, packOnTime766)

// periodPassSQL reads, per reception of [?2, ?3), its packed facts and its
// handling time when it finished before ?1, the period's end (-1
// otherwise).
var periodPassSQL = `SELECT ` + periodPackSQL + `, CASE WHEN finished_at < ? THEN handle_ms ELSE -1 END
	FROM dossiers INDEXED BY dossiers_period WHERE received_at IS NOT NULL AND received_at >= ? AND received_at < ?`

func init() {
	// Every report flag must fit in the packed bits.
	if motcua.FlagResultIssued > packFlagsMask {
		panic("sqlstore: report flags overflow the packed facts")
	}
}

// passCell counts the receptions of one packed value: how many, how many
// of them finished before the period's end, and their handling time.
type passCell struct{ n, finished, handleMS int64 }

// passCells adds receptions up by packed value: the distinct values are
// few (agencies × procedures × the combinations of facts that occur), so
// a map lookup is all the per-row work done in Go.
type passCells map[int64]*passCell

func (m passCells) add(packed, handle int64) {
	c := m[packed]
	if c == nil {
		c = &passCell{}
		m[packed] = c
	}
	c.n++
	if handle >= 0 {
		c.finished++
		c.handleMS += handle
	}
}

func (m passCells) merge(o passCells) {
	for k, c := range o {
		d := m[k]
		if d == nil {
			d = &passCell{}
			m[k] = d
		}
		d.n += c.n
		d.finished += c.finished
		d.handleMS += c.handleMS
	}
}

// periodAggs sums what reports read per agency and procedure: receptions
// and finishes (SQL for the aggregated reads).
var periodAggs = fmt.Sprintf(`COUNT(*),
	SUM(CASE WHEN channel = %[1]d THEN 1 ELSE 0 END),
	SUM(CASE WHEN channel = %[2]d THEN 1 ELSE 0 END),
	SUM(CASE WHEN %[3]s THEN 1 ELSE 0 END),
	SUM(CASE WHEN (report_flags & %[4]d) != 0 THEN 1 ELSE 0 END),
	SUM(CASE WHEN (report_flags & %[5]d) != 0 THEN 1 ELSE 0 END),
	SUM(CASE WHEN (report_flags & %[6]d) != 0 THEN 1 ELSE 0 END),
	SUM(CASE WHEN channel = %[1]d AND (report_flags & %[6]d) != 0 THEN 1 ELSE 0 END),
	SUM(CASE WHEN finished_at < ? AND finish_class = '%[7]s' THEN 1 ELSE 0 END),
	SUM(CASE WHEN finished_at < ? AND finish_class = '%[8]s' THEN 1 ELSE 0 END),
	SUM(CASE WHEN finished_at < ? AND finish_class <> '%[7]s' AND finish_class <> '%[8]s' THEN 1 ELSE 0 END),
	SUM(CASE WHEN finished_at < ? AND ontime_766 THEN 1 ELSE 0 END),
	CAST(SUM(CASE WHEN finished_at < ? THEN handle_ms ELSE 0 END) AS BIGINT),
	SUM(CASE WHEN (report_flags & %[9]d) != 0 THEN 1 ELSE 0 END),
	SUM(CASE WHEN (report_flags & %[10]d) != 0 THEN 1 ELSE 0 END)`,
	motcua.ChannelOnline, motcua.ChannelPost, sqlDigitizedOK, motcua.FlagReused,
	motcua.FlagVNeID|motcua.FlagFromStore|motcua.FlagPopulationDB, motcua.FlagResultFile, motcua.Early, motcua.Late,
	motcua.FlagFromStore, motcua.FlagFeeBearing)

// periodAcc adds up a period's facts per agency and procedure.
type periodAcc struct {
	recv    map[aggKey]*motcua.ReceivedAgg
	fin     map[aggKey]*motcua.FinishedAgg
	carried map[int64]int64
}

func newPeriodAcc() *periodAcc {
	return &periodAcc{recv: map[aggKey]*motcua.ReceivedAgg{}, fin: map[aggKey]*motcua.FinishedAgg{}, carried: map[int64]int64{}}
}

func (a *periodAcc) received(k aggKey) *motcua.ReceivedAgg {
	r := a.recv[k]
	if r == nil {
		r = &motcua.ReceivedAgg{AgencyID: k.agency, ProcedureID: k.procedure}
		a.recv[k] = r
	}
	return r
}

func (a *periodAcc) finished(k aggKey) *motcua.FinishedAgg {
	f := a.fin[k]
	if f == nil {
		f = &motcua.FinishedAgg{AgencyID: k.agency, ProcedureID: k.procedure}
		a.fin[k] = f
	}
	return f
}

// addCells adds receptions counted by packed value (see passCells).
func (a *periodAcc) addCells(cells passCells) {
	for packed, c := range cells {
		k := aggKey{agency: packed >> packAgencyShift, procedure: packed >> packProcShift & (packProcMax - 1)}
		class := motcua.OnTime
		switch {
		case packed&(1<<packEarly) != 0:
			class = motcua.Early
		case packed&(1<<packLate) != 0:
			class = motcua.Late
		}
		a.addFacts(k, motcua.Channel(packed>>packChannel&3), motcua.ReportFlags(packed&packFlagsMask), class,
			packed&(1<<packOnTime766) != 0, *c)
	}
}

// addFacts adds c.n receptions of agency and procedure k sharing one
// channel, set of report flags, finish class and QĐ 766 verdict, of which
// c.finished finished before the period's end, taking c.handleMS: the
// cells of SQLite's pass. A class other than early and late counts
// as on time, as the SQL of periodAggs does.
func (a *periodAcc) addFacts(k aggKey, ch motcua.Channel, fl motcua.ReportFlags, class motcua.Timeliness, ontime766 bool, c passCell) {
	r := a.received(k)
	r.Total += c.n
	switch ch {
	case motcua.ChannelOnline:
		r.Online += c.n
		if fl.Has(motcua.FlagResultFile) {
			r.OnlineWithResult += c.n
		}
	case motcua.ChannelPost:
		r.Post += c.n
	}
	if fl.DigitizedOK() {
		r.Digitized += c.n
	}
	if fl.Has(motcua.FlagReused) {
		r.Reused += c.n
	}
	if fl.Identity() {
		r.Identity += c.n
	}
	if fl.Has(motcua.FlagResultFile) {
		r.ResultFile += c.n
	}
	if fl.Has(motcua.FlagFromStore) {
		r.Store += c.n
	}
	if fl.Has(motcua.FlagFeeBearing) {
		r.FeeBearing += c.n
	}
	a.addFinished(k, class, ontime766, c)
}

// addFinished adds what c.finished dossiers of agency and procedure k,
// sharing a finish class and QĐ 766 verdict, add to the period's finishes
// (none when c.finished is 0).
func (a *periodAcc) addFinished(k aggKey, class motcua.Timeliness, ontime766 bool, c passCell) {
	if c.finished == 0 {
		return
	}
	f := a.finished(k)
	switch class {
	case motcua.Early:
		f.Early += c.finished
	case motcua.Late:
		f.Late += c.finished
	default:
		f.OnTime += c.finished
	}
	if ontime766 {
		f.OnTime766 += c.finished
	}
	f.HandleMS += c.handleMS
}

// addAggRows adds the rows of a query selecting agency, procedure and
// periodAggs. Carried, when set, counts the rows as carried over.
func (a *periodAcc) addAggRows(rows *sql.Rows, carried bool) error {
	defer rows.Close()
	for rows.Next() {
		var k aggKey
		var r motcua.ReceivedAgg
		var f motcua.FinishedAgg
		if err := rows.Scan(&k.agency, &k.procedure, &r.Total, &r.Online, &r.Post, &r.Digitized, &r.Reused, &r.Identity,
			&r.ResultFile, &r.OnlineWithResult, &f.Early, &f.Late, &f.OnTime, &f.OnTime766, &f.HandleMS, &r.Store, &r.FeeBearing); err != nil {
			return err
		}
		if carried {
			a.carried[k.agency] += r.Total
		} else {
			a.received(k).Add(r)
		}
		if f.Early+f.Late+f.OnTime > 0 {
			g := a.finished(k)
			g.Early += f.Early
			g.Late += f.Late
			g.OnTime += f.OnTime
			g.OnTime766 += f.OnTime766
			g.HandleMS += f.HandleMS
		}
	}
	return rows.Err()
}

// result returns the sums in a fixed order (by agency, then procedure).
func (a *periodAcc) result() *motcua.PeriodFacts {
	out := &motcua.PeriodFacts{CarriedOver: a.carried}
	for _, r := range a.recv {
		out.Received = append(out.Received, *r)
	}
	for _, f := range a.fin {
		out.Finished = append(out.Finished, *f)
	}
	sortAggs(out.Received, func(r motcua.ReceivedAgg) aggKey { return aggKey{r.AgencyID, r.ProcedureID} })
	sortAggs(out.Finished, func(f motcua.FinishedAgg) aggKey { return aggKey{f.AgencyID, f.ProcedureID} })
	return out
}

// PeriodFacts implements motcua.ReportStore.
func (t *tx) PeriodFacts(_ ctxT, from, to time.Time) (*motcua.PeriodFacts, error) {
	f, tt := from.UnixMilli(), to.UnixMilli()
	acc := newPeriodAcc()
	if err := t.periodReceptions(acc, f, tt); err != nil {
		return nil, err
	}
	// The dossiers carried over: the parts of "pending at from".
	wheres, args, err := t.pendingWheres(f)
	if err != nil {
		return nil, err
	}
	for i, where := range wheres {
		if t.pgtx != nil {
			if err := t.pgCarriedOver(acc, i, where, args[i], tt); err != nil {
				return nil, err
			}
			continue
		}
		rows, err := t.query(`SELECT competent_agency_id, procedure_id, `+periodAggs+` FROM dossiers`+where+`
			GROUP BY competent_agency_id, procedure_id`, append([]any{tt, tt, tt, tt, tt}, args[i]...)...)
		if err != nil {
			return nil, err
		}
		if err := acc.addAggRows(rows, true); err != nil {
			return nil, err
		}
	}
	out := acc.result()
	if out.Pending, err = t.PendingAt(t.ctx, to); err != nil {
		return nil, err
	}
	return out, nil
}

// periodReceptions adds up the dossiers received in [f, tt).
func (t *tx) periodReceptions(acc *periodAcc, f, tt int64) error {
	if t.pgtx != nil {
		return t.pgPeriodReceptions(acc, f, tt)
	}
	// The second connection is pinned before t reads anything (see
	// pinSecondReader).
	second := t.helper()
	packable, err := t.idsPackable()
	if err != nil {
		return err
	}
	if !packable {
		rows, err := t.query(`SELECT competent_agency_id, procedure_id, `+periodAggs+` FROM dossiers`+t.db.dialect.indexedBy("dossiers_received")+`
			WHERE received_at IS NOT NULL AND received_at >= ? AND received_at < ?
			GROUP BY competent_agency_id, procedure_id`, tt, tt, tt, tt, tt, f, tt)
		if err != nil {
			return err
		}
		return acc.addAggRows(rows, false)
	}
	cells, err := t.periodPass(second, f, tt)
	if err != nil {
		return err
	}
	acc.addCells(cells)
	return nil
}

// idsPackable reports whether agency and procedure ids fit the packed key
// (they are small in practice; the check keeps larger ones correct).
func (t *tx) idsPackable() (bool, error) {
	row, err := t.queryRow(`SELECT (SELECT IFNULL(MAX(id), 0) FROM agencies), (SELECT IFNULL(MAX(id), 0) FROM procedures),
		(SELECT IFNULL(MIN(id), 0) FROM agencies), (SELECT IFNULL(MIN(id), 0) FROM procedures)`)
	if err != nil {
		return false, err
	}
	var maxA, maxP, minA, minP int64
	if err := row.Scan(&maxA, &maxP, &minA, &minP); err != nil {
		return false, err
	}
	return minA >= 0 && minP >= 0 && maxA < packAgencyMax && maxP < packProcMax, nil
}

// sortAggs orders aggregates by agency, then procedure.
func sortAggs[T any](s []T, key func(T) aggKey) {
	slices.SortFunc(s, func(a, b T) int {
		ka, kb := key(a), key(b)
		return cmp.Or(cmp.Compare(ka.agency, kb.agency), cmp.Compare(ka.procedure, kb.procedure))
	})
}

// pgPeriodAggs is periodAggs for PostgreSQL, counting with FILTER clauses
// rather than summing CASE expressions (measured on 1.6 million
// receptions, one backend: 813–849 against 843–882 ms of CPU, 762–781
// against 841–970 with JIT off). Grouping
// the receptions by every fact instead and expanding the groups in Go was
// tried and is slower at that size: 51,599 groups of six columns, 1.0–1.3
// s, and a sort spilled to disk unless work_mem is raised.
var pgPeriodAggs = fmt.Sprintf(`COUNT(*),
	COUNT(*) FILTER (WHERE channel = %[1]d),
	COUNT(*) FILTER (WHERE channel = %[2]d),
	COUNT(*) FILTER (WHERE %[3]s),
	COUNT(*) FILTER (WHERE (report_flags & %[4]d) != 0),
	COUNT(*) FILTER (WHERE (report_flags & %[5]d) != 0),
	COUNT(*) FILTER (WHERE (report_flags & %[6]d) != 0),
	COUNT(*) FILTER (WHERE channel = %[1]d AND (report_flags & %[6]d) != 0),
	COUNT(*) FILTER (WHERE finished_at < ? AND finish_class = '%[7]s'),
	COUNT(*) FILTER (WHERE finished_at < ? AND finish_class = '%[8]s'),
	COUNT(*) FILTER (WHERE finished_at < ? AND finish_class <> '%[7]s' AND finish_class <> '%[8]s'),
	COUNT(*) FILTER (WHERE finished_at < ? AND ontime_766),
	COALESCE(SUM(handle_ms) FILTER (WHERE finished_at < ?), 0),
	COUNT(*) FILTER (WHERE (report_flags & %[9]d) != 0),
	COUNT(*) FILTER (WHERE (report_flags & %[10]d) != 0)`,
	motcua.ChannelOnline, motcua.ChannelPost, sqlDigitizedOK, motcua.FlagReused,
	motcua.FlagVNeID|motcua.FlagFromStore|motcua.FlagPopulationDB, motcua.FlagResultFile, motcua.Early, motcua.Late,
	motcua.FlagFromStore, motcua.FlagFeeBearing)

// pgPeriodPassSQL reads the receptions of [?6, ?7) per agency and
// procedure, ?1–?5 being the period's end.
var pgPeriodPassSQL = `SELECT competent_agency_id, procedure_id, ` + pgPeriodAggs + ` FROM dossiers
	WHERE received_at IS NOT NULL AND received_at >= ? AND received_at < ?
	GROUP BY competent_agency_id, procedure_id`

// pgPeriodReceptions adds up the receptions of [f, tt) on PostgreSQL,
// which reads index dossiers_received alone and hashes the rows by agency
// and procedure (in parallel workers when the planner sees fit).
func (t *tx) pgPeriodReceptions(acc *periodAcc, f, tt int64) error {
	rows, err := t.query(pgPeriodPassSQL, tt, tt, tt, tt, tt, f, tt)
	if err != nil {
		return err
	}
	return acc.addAggRows(rows, false)
}

// pgCarriedSelects are, for each half of "pending at the period's start"
// (pendingWheres), what PostgreSQL reads of the dossiers carried over:
// per agency and procedure, how many, and what those finished before the
// period's end (?1, ?2 of the second half) add to its finishes. Only
// columns of the half's index are named, so that each half is read from
// its index alone: the
// unfinished dossiers (dossiers_pending) have no finish, and those
// finished since the start are read from dossiers_finished or
// dossiers_received, which hold the finish's facts (periodAggs also
// named the channel and the report flags, which the finishes' index
// lacks: every dossier finished since the start was then read from the
// table).
var pgCarriedSelects = [2]string{
	`SELECT competent_agency_id, procedure_id, '', FALSE, COUNT(*), CAST(0 AS BIGINT), CAST(0 AS BIGINT) FROM dossiers`,
	`SELECT competent_agency_id, procedure_id, finish_class, ontime_766, COUNT(*), COUNT(*) FILTER (WHERE finished_at < ?),
		COALESCE(SUM(handle_ms) FILTER (WHERE finished_at < ?), 0) FROM dossiers`,
}

// pgCarriedOver adds up the carried-over dossiers of half i (see
// pgCarriedSelects) on PostgreSQL.
func (t *tx) pgCarriedOver(acc *periodAcc, i int, where string, args []any, tt int64) error {
	group := ` GROUP BY competent_agency_id, procedure_id`
	if i >= 1 {
		group += `, finish_class, ontime_766`
		args = append([]any{tt, tt}, args...)
	}
	rows, err := t.query(pgCarriedSelects[min(i, 1)]+where+group, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k aggKey
		var class motcua.Timeliness
		var ontime bool
		var c passCell
		if err := rows.Scan(&k.agency, &k.procedure, &class, &ontime, &c.n, &c.finished, &c.handleMS); err != nil {
			return err
		}
		acc.carried[k.agency] += c.n
		acc.addFinished(k, class, ontime, c)
	}
	return rows.Err()
}
