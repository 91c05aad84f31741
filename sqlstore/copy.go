package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

// The tables of a province, in an order that satisfies the foreign keys,
// with their columns and how each is compared. schema_migrations is not
// copied: the target is migrated by the program itself; nor is heartbeat,
// the readiness probe's scratch row, which is a running instance's state
// and changes under a copy taken from a live database.
//
// Column kinds: i BIGINT/INTEGER, n nullable BIGINT, t TEXT, s nullable TEXT, b boolean
// (INTEGER 0/1 on SQLite, BOOLEAN on PostgreSQL).
var tableSpecs = []string{
	"agencies: id:i code:t name:t level:t kind:t parent_id:n address:t phone:t one_stop:b",
	"reception_points: id:i agency_id:i code:t name:t address:t",
	"procedures: id:i code:t name:t search_text:t level:t field_code:t agency_id:i published:b version:i data:t updated_at:i",
	"procedure_versions: procedure_id:i version:i data:t created_at:i",
	"users: id:i username:t full_name:t email:t phone:t title:t disabled:b password_hash:t created_at:i",
	"user_grants: user_id:i agency_id:i role:t",
	"sessions: token_hash:t user_id:i created_at:i expires_at:i user_agent:t ip:t",
	"user_totp: user_id:i secret:t confirmed:b last_step:i created_at:i",
	"recovery_codes: user_id:i code_hash:t",
	"signin_challenges: token_hash:t user_id:i enrol:b created_at:i expires_at:i user_agent:t ip:t",
	"dossiers: id:i code:t procedure_id:i procedure_version:i procedure_code:t procedure_name:t channel:i reception_point_id:i " +
		"reception_agency_id:i competent_agency_id:i applicant_id_number:t applicant_name:t verifier:t facts:t created_at:i state:t step:i " +
		"holder_agency_id:i assignee_id:i submitted_at:n received_at:n clock_start_at:n due_at:n step_due_at:n action_due_at:n " +
		"finished_at:n returned_at:n next_due_at:i seq:i status:t " +
		"finish_class:t ontime_766:b handle_ms:i supp_count:i supp_last_at:n report_flags:i last_event_at:n step_started_at:n " +
		"appraiser_id:i result_number:t",
	"event_actors: actor_id:i name:t role:t",
	"dossier_work: agency_id:i role:t user_id:i next_due_at:i dossier_id:i state:t procedure_id:i channel:i",
	"dossier_events: id:i dossier_id:i seq:i action:t at:i actor_id:i actor_agency_id:i from_state:t to_state:t from_agency_id:i " +
		"to_agency_id:i timeliness:t due_at:n data:t actor_name:s actor_role:s from_step:i to_step:i clock_start_at:n step_due_at:n " +
		"action_due_at:n handover_due_at:n duties:s",
	"dossier_files: id:i dossier_id:i component_id:i name:t content_type:t size:i sha256:t blob_key:t uploaded_by:i uploaded_at:i " +
		"doc_code:t signer:t signed_at:i",
	"payments: id:i dossier_id:i method:t amount:i fees:t reference:t state:t transaction_id:t receipt_number:t receipt_url:t " +
		"paid_at:n recorded_by:i created_at:i updated_at:i",
	"code_counters: key:t n:i",
	"idempotency_keys: user_id:i key:t request_hash:t dossier_id:i created_at:i",
	"audit_log: id:i at:i user_id:i action:t dossier_id:i detail:t ip:t",
	"audit_chain: id:i last_id:i gap:b hash:t sealed_at:i",
	"calendar_years: year:i data:t updated_by:i updated_at:i",
	"outbox: id:i topic:t okey:t payload:t created_at:i attempts:i next_attempt_at:i leased_until:i delivered_at:n failed_at:n last_error:t",
	"deadline_warnings: dossier_id:i kind:t due_at:i code:t holder_agency_id:i at:i",
	"stat_counts: scale:i metric:i period:i agency_id:i procedure_id:i n:i",
	"portal_sync: dossier_id:i national_code:t forwarded:b queued_seq:i synced_seq:i first_synced_at:n synced_at:n last_error:t last_error_at:n",
	"portal_messages: message_id:t kind:t national_code:t received_at:i dossier_id:i outcome:t",
	"catalogue_import_runs: id:i started_at:i finished_at:i started_by:i data:t",
	"catalogue_import_items: id:i run_id:i seq:i kind:t code:t status:t data:t",
	"population_lookups: id:i at:i user_id:i agency_id:i id_number:t purpose:t dossier_code:t outcome:t citizen:t token_hash:t dossier_id:i",
	"dossier_ratings: id:i dossier_id:i agency_id:i level:i attitude:i trips:i on_time:i comment:t channel:t counter_user_id:i at:i",
	"feedback: id:i code:t secret_hash:t channel:t name:t contact:t content:t dossier_code:t dossier_id:i consent:i received_at:i " +
		"received_by:i state:t kind:t topic:t agency_id:i assignee_id:i repeat_of:i classified_at:n classified_by:i answer:t answered_at:n " +
		"answered_by:i published_at:n published_by:i public_content:t public_answer:t answer_level:i rated_at:n classify_due_at:i " +
		"answer_due_at:i publish_due_at:n version:i",
	"queue_areas: id:i reception_point_id:i prefix:t name:t active:b",
	"queue_devices: token_hash:t reception_point_id:i name:t created_by:i created_at:i revoked:b",
	"queue_tickets: id:i area_id:i reception_point_id:i day:i number:i issued_at:i state:t first_called_at:n called_at:n " +
		"called_by:i counter:t recalls:i done_at:n dossier_id:i",
	"citizen_sessions: token_hash:t id_number:t full_name:t level:i created_at:i expires_at:i user_agent:t ip:t",
	"personal_results: id:i id_number:t dossier_id:i dossier_code:t procedure_code:t procedure_name:t result_code:t result_name:t " +
		"number:t file_ref:t agency_code:t agency_name:t issued_at:i pushed_at:n",
	"dossier_warnings: id:i dossier_id:i code:t clock:t agency_id:i level:t due_at:i at:i recipients:t",
	"staff_notifications: id:i user_id:i dossier_id:i code:t level:t text:t at:i read_at:n",
	"notice_templates: event:t channel:t subject:t body:t updated_by:i updated_at:i",
	"mergers: id:i successor_id:i effective_at:i created_by:i created_at:i undone_by:i undone_at:n data:t",
	"merger_moves: merger_id:i seq:i kind:t row_id:i role:t from_agency_id:i to_agency_id:i ref:i reception_from:i reception_to:i holder_from:i holder_to:i",
	"agency_successors: agency_id:i successor_id:i merger_id:i effective_at:i",
	"scan_texts: file_id:i dossier_id:i leased_until:i read_at:i text:t folded:t",
	"file_metadata: file_id:i dossier_id:i doc_type:t number_symbol:t issued_on:i issuer:t signer:t valid_until:i summary:t confirmed_by:i confirmed_at:i",
	"dossier_standings: dossier_id:i seq:i at:i standing:i",
}

type column struct {
	name string
	kind byte
}

type tableSpec struct {
	name string
	cols []column
}

func (ts tableSpec) names() string {
	var n []string
	for _, c := range ts.cols {
		n = append(n, c.name)
	}
	return strings.Join(n, ", ")
}

// source is what the table's rows are read from. On PostgreSQL the live
// counters are stat_counts plus the changes not folded into it yet
// (stat_deltas), which a copy reads as the counters they add up to.
func (ts tableSpec) source(t *tx) string {
	if ts.name != "stat_counts" || t.pgtx == nil {
		return ts.name
	}
	return `(SELECT scale, metric, period, agency_id, procedure_id, CAST(SUM(n) AS BIGINT) AS n FROM
		(SELECT scale, metric, period, agency_id, procedure_id, n FROM stat_counts
		 UNION ALL SELECT scale, metric, period, agency_id, procedure_id, n FROM stat_deltas) AS c
		GROUP BY scale, metric, period, agency_id, procedure_id) AS stat_counts`
}

// identity reports whether the table's rows are numbered by an id column
// (whose PostgreSQL sequence must follow the copied numbers).
func (ts tableSpec) identity() bool { return ts.cols[0].name == "id" }

func specs() []tableSpec {
	out := make([]tableSpec, 0, len(tableSpecs))
	for _, s := range tableSpecs {
		name, rest, _ := strings.Cut(s, ":")
		ts := tableSpec{name: name}
		for _, f := range strings.Fields(rest) {
			n, k, _ := strings.Cut(f, ":")
			ts.cols = append(ts.cols, column{name: n, kind: k[0]})
		}
		out = append(out, ts)
	}
	return out
}

// Tables lists the tables a copy or a check covers, in copy order.
func Tables() []string {
	var out []string
	for _, ts := range specs() {
		out = append(out, ts.name)
	}
	return out
}

// TableSum is the row count and checksum of one table. The checksum is the
// SHA-256 of the sorted hashes of the rows, each value in a canonical form
// (so that it does not depend on the engine or on the order rows are read).
type TableSum struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
	Sum   string `json:"sha256"`
}

// rowHasher accumulates a table's checksum.
type rowHasher struct {
	hashes [][32]byte
}

// canonical writes the values of one row in an engine-independent form and
// returns them normalized for inserting elsewhere.
func canonical(cols []column, raw []any, buf []byte) ([]byte, []any, error) {
	vals := make([]any, len(raw))
	for i, c := range cols {
		v := raw[i]
		switch c.kind {
		case 'i', 'n':
			switch x := v.(type) {
			case nil:
				if c.kind == 'i' {
					return nil, nil, fmt.Errorf("column %s is NULL", c.name)
				}
				buf = append(buf, 'N')
			case int64:
				vals[i] = x
				buf = append(buf, 'I')
				buf = strconv.AppendInt(buf, x, 10)
			default:
				return nil, nil, fmt.Errorf("column %s: unexpected %T", c.name, v)
			}
		case 'b':
			var b bool
			switch x := v.(type) {
			case bool:
				b = x
			case int64:
				b = x != 0
			default:
				return nil, nil, fmt.Errorf("column %s: unexpected %T", c.name, v)
			}
			vals[i] = b
			if b {
				buf = append(buf, 'T')
			} else {
				buf = append(buf, 'F')
			}
		case 't', 's':
			var s string
			switch x := v.(type) {
			case nil:
				if c.kind == 't' {
					return nil, nil, fmt.Errorf("column %s is NULL", c.name)
				}
				buf = append(buf, 'N', 0)
				continue
			case string:
				s = x
			case []byte:
				s = string(x)
			default:
				return nil, nil, fmt.Errorf("column %s: unexpected %T", c.name, v)
			}
			vals[i] = s
			buf = append(buf, 'S')
			buf = binary.AppendUvarint(buf, uint64(len(s)))
			buf = append(buf, s...)
		}
		buf = append(buf, 0)
	}
	return buf, vals, nil
}

func (h *rowHasher) add(row []byte) { h.hashes = append(h.hashes, sha256.Sum256(row)) }

func (h *rowHasher) sum() string {
	sort.Slice(h.hashes, func(i, j int) bool { return string(h.hashes[i][:]) < string(h.hashes[j][:]) })
	all := sha256.New()
	for _, x := range h.hashes {
		all.Write(x[:])
	}
	return hex.EncodeToString(all.Sum(nil))
}

// scanTable reads every row of ts in the transaction and calls fn with its
// canonical form and its normalized values.
func scanTable(t *tx, ts tableSpec, fn func(row []byte, vals []any) error) error {
	rows, err := t.query(`SELECT ` + ts.names() + ` FROM ` + ts.source(t))
	if err != nil {
		return fmt.Errorf("read %s: %w", ts.name, err)
	}
	defer rows.Close()
	raw := make([]any, len(ts.cols))
	ptrs := make([]any, len(ts.cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s: %w", ts.name, err)
		}
		row, vals, err := canonical(ts.cols, raw, buf[:0])
		if err != nil {
			return fmt.Errorf("read %s: %w", ts.name, err)
		}
		buf = row
		if err := fn(row, vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Checksums returns the count and checksum of every table, read from one
// consistent snapshot.
func (db *DB) Checksums(ctx context.Context) ([]TableSum, error) {
	var out []TableSum
	err := db.Read(ctx, func(mt motcua.Tx) error {
		t := mt.(*tx)
		for _, ts := range specs() {
			var h rowHasher
			if err := scanTable(t, ts, func(row []byte, _ []any) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				h.add(row)
				return nil
			}); err != nil {
				return err
			}
			out = append(out, TableSum{Table: ts.name, Rows: int64(len(h.hashes)), Sum: h.sum()})
		}
		return nil
	})
	return out, err
}

// Rows returns every row of table in canonical, printable form, sorted: for
// tests that compare two databases row by row.
func (db *DB) Rows(ctx context.Context, table string) ([]string, error) {
	var out []string
	err := db.Read(ctx, func(mt motcua.Tx) error {
		for _, ts := range specs() {
			if ts.name == table {
				return scanTable(mt.(*tx), ts, func(row []byte, _ []any) error {
					out = append(out, strconv.Quote(string(row)))
					return nil
				})
			}
		}
		return fmt.Errorf("unknown table %q", table)
	})
	sort.Strings(out)
	return out, err
}

// CopyProgress is told, now and then, how far a copy has come.
type CopyProgress func(table string, rows int64)

// ErrNotEmpty is returned by Copy when the target already holds data.
var ErrNotEmpty = errors.New("the target database is not empty")

// Copy copies every table of src into dst, which must be migrated to the
// same schema version and empty. It reads src from one consistent snapshot
// (src may be in use) and writes dst in one transaction: if anything fails
// or ctx is cancelled, dst is left as it was, and the copy can simply be
// run again. Ids are kept, and on PostgreSQL the id sequences are moved
// past the copied ones. It returns the counts and checksums of what it
// read; compare them with dst.Checksums to verify the copy.
func Copy(ctx context.Context, src, dst *DB, progress CopyProgress) ([]TableSum, error) {
	if err := src.CheckSchema(ctx); err != nil {
		return nil, fmt.Errorf("source: %s", motcua.ErrorMessage(err))
	}
	if err := dst.CheckSchema(ctx); err != nil {
		return nil, fmt.Errorf("target: %s", motcua.ErrorMessage(err))
	}
	if progress == nil {
		progress = func(string, int64) {}
	}
	var sums []TableSum
	err := src.Read(ctx, func(smt motcua.Tx) error {
		st := smt.(*tx)
		return dst.Write(ctx, func(dmt motcua.Tx) error {
			dt := dmt.(*tx)
			sums = sums[:0] // Write may retry fn
			for _, ts := range specs() {
				row, err := dt.queryRow(`SELECT COUNT(*) FROM ` + ts.name)
				if err != nil {
					return err
				}
				var n int64
				if err := row.Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					return fmt.Errorf("%w: table %s has %d rows (restore and migrate-data only fill a new, migrated database)", ErrNotEmpty, ts.name, n)
				}
			}
			for _, ts := range specs() {
				sum, err := copyTable(ctx, st, dt, ts, progress)
				if err != nil {
					return err
				}
				sums = append(sums, sum)
			}
			return nil
		})
	})
	return sums, err
}

func copyTable(ctx context.Context, st, dt *tx, ts tableSpec, progress CopyProgress) (TableSum, error) {
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(ts.cols)), ", ")
	insert := `INSERT INTO ` + ts.name + ` (` + ts.names() + `) VALUES (` + ph + `)`
	// An agency may name a parent with a higher id: parents are linked
	// after every agency is in.
	selfRef := ts.name == "agencies"
	var parents [][2]int64
	var h rowHasher
	var n int64
	err := scanTable(st, ts, func(row []byte, vals []any) error {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("copy interrupted in table %s: %w", ts.name, err)
		}
		if selfRef && vals[5] != nil {
			parents = append(parents, [2]int64{vals[0].(int64), vals[5].(int64)})
			vals[5] = nil
		}
		if _, err := dt.exec(insert, vals...); err != nil {
			return fmt.Errorf("write %s: %w", ts.name, err)
		}
		h.add(row)
		n++
		if n%1000 == 0 {
			progress(ts.name, n)
		}
		return nil
	})
	if err != nil {
		return TableSum{}, err
	}
	for _, p := range parents {
		if _, err := dt.exec(`UPDATE agencies SET parent_id = ? WHERE id = ?`, p[1], p[0]); err != nil {
			return TableSum{}, fmt.Errorf("link agency %d to its parent: %w", p[0], err)
		}
	}
	if dt.db.dialect == postgresDialect && ts.identity() {
		if _, err := dt.exec(`SELECT setval(pg_get_serial_sequence('` + ts.name + `', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM ` + ts.name); err != nil {
			return TableSum{}, fmt.Errorf("move the id sequence of %s: %w", ts.name, err)
		}
	}
	progress(ts.name, n)
	return TableSum{Table: ts.name, Rows: n, Sum: h.sum()}, nil
}

// Backup writes a consistent copy of the database to path, a new SQLite
// file, while the store stays in use. On SQLite it is VACUUM INTO, a
// compact copy made from one read snapshot. On PostgreSQL the tables are
// copied into a new SQLite file with the same schema: the backup is then
// one portable file, checkable with the same checksums, and restorable to
// either engine (see Copy); it needs no pg_dump of the server's exact
// version on the machine.
func (db *DB) Backup(ctx context.Context, path string, progress CopyProgress) ([]TableSum, error) {
	if db.dialect == sqliteDialect {
		if _, err := db.checkpointer.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
			return nil, fmt.Errorf("backup to %s: %w", path, err)
		}
		out, err := Open(path, Options{})
		if err != nil {
			return nil, err
		}
		defer out.Close()
		return out.Checksums(ctx)
	}
	out, err := Open(path, Options{})
	if err != nil {
		return nil, err
	}
	defer out.Close()
	if err := out.Migrate(ctx, nil); err != nil {
		return nil, err
	}
	return Copy(ctx, db, out, progress)
}

var _ = sql.ErrNoRows
