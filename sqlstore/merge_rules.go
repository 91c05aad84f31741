package sqlstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// How a merge of two provinces (MergeDB) treats each table of copy.go.
// Every table there has a rule here (TestMergeRulesCoverTables fails
// otherwise): a new table must say how its rows and the ids in them move.
//
// Phases: 'f' first transaction (the small tables, with the merge's
// begin record: all or nothing), 'b' resumable batches keyed by a column
// (the dossiers and what hangs on them), 'z' the last transaction
// (counters combined with the survivor's, with the done record), 's' not
// moved.
type mergeRule struct {
	phase byte
	key   string // batch key column ('b'): "id" or "dossier_id"
	keyOf byte   // the id kind the key maps by
	rule  string // what happens, as the report says it
	fix   func(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error)
}

// Id kinds and the tables that number them.
var idKinds = map[byte]string{
	'a': "agencies", 'r': "reception_points", 'p': "procedures", 'u': "users", 'd': "dossiers",
	'e': "dossier_events", 'f': "dossier_files", 'y': "payments", 'l': "audit_log", 'o': "outbox",
	'c': "catalogue_import_runs", 'i': "catalogue_import_items", 'k': "population_lookups",
	'w': "dossier_ratings", 'g': "feedback", 'q': "queue_areas", 't': "queue_tickets", 'h': "personal_results",
	'n': "dossier_warnings", 'm': "staff_notifications", 'x': "mergers",
}

// cols names the columns a rule rewrites: column → id kind.
func remapCols(ts tableSpec, kinds map[string]byte) func(m *mergeMaps, rows [][]any) {
	idx := map[int]byte{}
	for i, c := range ts.cols {
		if k, ok := kinds[c.name]; ok {
			idx[i] = k
		}
	}
	return func(m *mergeMaps, rows [][]any) {
		for _, r := range rows {
			for i, k := range idx {
				if v, ok := r[i].(int64); ok {
					r[i] = m.mapID(k, v)
				}
			}
		}
	}
}

func col(ts tableSpec, name string) int {
	for i, c := range ts.cols {
		if c.name == name {
			return i
		}
	}
	panic("sqlstore: no column " + ts.name + "." + name)
}

// simple returns a fix that remaps columns and JSON columns only.
func simple(table string, kinds map[string]byte, jsonCols ...string) func(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName(table)
	re := remapCols(ts, kinds)
	var js []int
	for _, j := range jsonCols {
		js = append(js, col(ts, j))
	}
	return func(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
		re(m, rows)
		for _, r := range rows {
			for _, j := range js {
				s, err := m.remapJSON(r[j].(string), 0)
				if err != nil {
					return nil, fmt.Errorf("%s.%s: %w", table, ts.cols[j].name, err)
				}
				r[j] = s
			}
		}
		return rows, nil
	}
}

func specByName(name string) tableSpec {
	for _, ts := range specs() {
		if ts.name == name {
			return ts
		}
	}
	panic("sqlstore: no table " + name)
}

var mergeRules map[string]mergeRule

func init() {
	mergeRules = map[string]mergeRule{
		"agencies":           {phase: 'f', rule: "same e-ID code: the survivor's agency (the absorbed one's rows point to it); otherwise imported", fix: fixAgencies},
		"reception_points":   {phase: 'f', rule: "same code at the same (joined) agency: the survivor's point; same code elsewhere: imported with the code suffixed", fix: fixPoints},
		"procedures":         {phase: 'f', rule: "same national code: the survivor's procedure, which stays current; otherwise imported", fix: fixProcedures},
		"procedure_versions": {phase: 'f', rule: "versions of a joined procedure equal to one of the survivor's are joined to it; the others are appended as new version numbers", fix: fixVersions},
		"users":              {phase: 'f', rule: "every account imported; a username the survivor uses is suffixed", fix: fixUsers},
		"user_grants":        {phase: 'f', rule: "imported, agencies and users remapped", fix: simple("user_grants", map[string]byte{"user_id": 'u', "agency_id": 'a'})},
		"sessions":           {phase: 's', rule: "not moved: the absorbed province's users sign in again"},
		"user_totp":          {phase: 'f', rule: "imported: the second factor keeps working", fix: simple("user_totp", map[string]byte{"user_id": 'u'})},
		"recovery_codes":     {phase: 'f', rule: "imported", fix: simple("recovery_codes", map[string]byte{"user_id": 'u'})},
		"signin_challenges":  {phase: 's', rule: "not moved: sign-ins under way start again"},
		"dossiers":           {phase: 'b', key: "id", keyOf: 'd', rule: "imported; a code the survivor uses is suffixed (listed: tell the applicants)", fix: fixDossiers},
		"event_actors":       {phase: 'f', rule: "imported with the accounts (each account is imported, so its events keep their names)", fix: simple("event_actors", map[string]byte{"actor_id": 'u'})},
		"dossier_work":       {phase: 'b', key: "dossier_id", keyOf: 'd', rule: "imported", fix: simple("dossier_work", map[string]byte{"agency_id": 'a', "user_id": 'u', "dossier_id": 'd', "procedure_id": 'p'})},
		"dossier_events": {phase: 'b', key: "dossier_id", keyOf: 'd', rule: "imported with the history intact",
			fix: fixEvents(simple("dossier_events", map[string]byte{"id": 'e', "dossier_id": 'd', "actor_id": 'u', "actor_agency_id": 'a', "from_agency_id": 'a', "to_agency_id": 'a'}, "data"))},
		"dossier_files":          {phase: 'b', key: "id", keyOf: 'f', rule: "imported, the document copied to the survivor's storage under the new dossier; a document code the survivor uses is suffixed", fix: fixFiles},
		"payments":               {phase: 'b', key: "id", keyOf: 'y', rule: "imported; a payment reference the survivor uses is suffixed", fix: fixPayments},
		"code_counters":          {phase: 'z', rule: "a sequence both provinces kept continues after the higher of the two", fix: simple("code_counters", nil)},
		"idempotency_keys":       {phase: 'b', key: "dossier_id", keyOf: 'd', rule: "imported", fix: simple("idempotency_keys", map[string]byte{"user_id": 'u', "dossier_id": 'd'})},
		"audit_log":              {phase: 'f', rule: "imported after the survivor's entries; the absorbed chain's head is recorded in the merge's audit entry and re-verified from the imported rows", fix: simple("audit_log", map[string]byte{"id": 'l', "user_id": 'u', "dossier_id": 'd'})},
		"audit_chain":            {phase: 's', rule: "not moved: the imported entries are sealed into the survivor's chain"},
		"calendar_years":         {phase: 'f', rule: "a year the survivor has: the survivor's calendar kept (listed when it differs)", fix: fixCalendar},
		"outbox":                 {phase: 'b', key: "id", keyOf: 'o', rule: "imported: undelivered messages are delivered by the survivor, carrying a suffixed dossier code", fix: fixOutbox},
		"deadline_warnings":      {phase: 'b', key: "dossier_id", keyOf: 'd', rule: "imported", fix: fixWarnings},
		"stat_counts":            {phase: 'z', rule: "added to the survivor's counters of the same (joined) agency and procedure", fix: simple("stat_counts", map[string]byte{"agency_id": 'a', "procedure_id": 'p'})},
		"portal_sync":            {phase: 'b', key: "dossier_id", keyOf: 'd', rule: "imported; a national code the survivor already tracks is blanked on the absorbed row (listed)", fix: fixPortalSync},
		"portal_messages":        {phase: 'f', rule: "imported; a message id the survivor has already seen is not (listed)", fix: fixPortalMessages},
		"catalogue_import_runs":  {phase: 'f', rule: "imported", fix: simple("catalogue_import_runs", map[string]byte{"id": 'c', "started_by": 'u'}, "data")},
		"catalogue_import_items": {phase: 'f', rule: "imported", fix: simple("catalogue_import_items", map[string]byte{"id": 'i', "run_id": 'c'}, "data")},
		"population_lookups":     {phase: 'b', key: "id", keyOf: 'k', rule: "imported (the access log of personal data)", fix: fixLookups},
		"dossier_ratings": {phase: 'b', key: "dossier_id", keyOf: 'd', rule: "imported with their dossiers",
			fix: simple("dossier_ratings", map[string]byte{"id": 'w', "dossier_id": 'd', "agency_id": 'a', "counter_user_id": 'u'})},
		"feedback": {phase: 'f', rule: "imported; a complaint code the survivor uses is suffixed (listed: tell the sender)", fix: fixFeedback},
		"queue_areas": {phase: 'f', rule: "imported under the (joined) reception point; a prefix a joined point already uses stops the merge before anything is written (the dry run lists it: rename the prefix in one province first)",
			fix: fixQueueAreas},
		"queue_devices": {phase: 'f', rule: "imported: kiosks and displays keep working; a device whose token the survivor has registered already (one database copied from the other) is not imported twice (listed)",
			fix: fixQueueDevices},
		"queue_tickets": {phase: 'f', rule: "imported (waiting times of past days)",
			fix: simple("queue_tickets", map[string]byte{"id": 't', "area_id": 'q', "reception_point_id": 'r', "called_by": 'u', "dossier_id": 'd'})},
		"citizen_sessions": {phase: 's', rule: "not moved: citizens sign in again"},
		"mergers": {phase: 'f', rule: "imported (the absorbed province's mergers of agencies, with their successors); an undo of one is refused where merge-db joined or renumbered what it moved",
			fix: fixMergers},
		"merger_moves": {phase: 'f', rule: "imported, each moved row's id remapped by its kind", fix: fixMergerMoves},
		"agency_successors": {phase: 'f', rule: "imported: reports and routing still follow the absorbed province's successions",
			fix: simple("agency_successors", map[string]byte{"agency_id": 'a', "successor_id": 'a', "merger_id": 'x'})},
		"dossier_warnings": {phase: 'b', key: "dossier_id", keyOf: 'd', rule: "imported with their dossiers (part of their history), with a suffixed dossier code",
			fix: fixDossierWarnings},
		"staff_notifications": {phase: 'b', key: "dossier_id", keyOf: 'd', rule: "imported for the absorbed province's staff, a suffixed dossier code in their text and link",
			fix: fixStaffNotifications},
		"notice_templates": {phase: 's', rule: "not moved: the survivor's notice templates apply to every dossier"},
		"personal_results": {phase: 'b', key: "dossier_id", keyOf: 'd', rule: "imported with their dossiers (the province's store of results), with a suffixed dossier code",
			fix: fixPersonalResults},
		"scan_texts": {phase: 'b', key: "dossier_id", keyOf: 'd', rule: "imported with their files (the text read from scans, searchable)",
			fix: simple("scan_texts", map[string]byte{"file_id": 'f', "dossier_id": 'd'})},
		"file_metadata": {phase: 'b', key: "dossier_id", keyOf: 'd', rule: "imported with their files (the metadata officers confirmed)",
			fix: simple("file_metadata", map[string]byte{"file_id": 'f', "dossier_id": 'd', "confirmed_by": 'u'})},
		"dossier_standings": {phase: 'b', key: "dossier_id", keyOf: 'd', rule: "imported with their dossiers (the record of their standings over time, which holds no agency)",
			fix: simple("dossier_standings", map[string]byte{"dossier_id": 'd'})},
	}
}

// mergeCtx is what a fix reads of the target (to find conflicts) and
// where it reports them.
type mergeCtx struct {
	t   *tx // the target
	rep *tableReport
}

func (c *mergeCtx) conflict(key, rule, detail string) {
	if c.rep != nil {
		c.rep.conflict(key, rule, detail)
	}
}

// taken returns which of values are in column of table among the rows the
// survivor had before the merge (idCol ≤ below).
func (c *mergeCtx) taken(table, column, idCol string, below int64, values []string) (map[string]bool, error) {
	out := map[string]bool{}
	for len(values) > 0 {
		n := min(len(values), 400)
		chunk := values[:n]
		values = values[n:]
		args := []any{below}
		for _, v := range chunk {
			args = append(args, v)
		}
		rows, err := c.t.query(`SELECT `+column+` FROM `+table+` WHERE `+idCol+` <= ? AND `+column+` IN (`+
			strings.TrimSuffix(strings.Repeat("?, ", n), ", ")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return nil, err
			}
			out[s] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// renameTaken suffixes the values of column i that the survivor uses.
func renameTaken(m *mergeMaps, c *mergeCtx, rows [][]any, i int, table, column, sep, what string) error {
	var vals []string
	for _, r := range rows {
		if s := r[i].(string); s != "" {
			vals = append(vals, s)
		}
	}
	tk, err := c.taken(table, column, "id", m.st.Off[table], vals)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if s := r[i].(string); tk[s] {
			r[i] = s + sep + m.st.Tag
			c.conflict(s, "renamed "+s+sep+m.st.Tag, what)
		}
	}
	return nil
}

func fixAgencies(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("agencies")
	id, parent := col(ts, "id"), col(ts, "parent_id")
	var out [][]any
	for _, r := range rows {
		src := r[id].(int64)
		if to, ok := m.st.Agencies[src]; ok {
			c.conflict(r[col(ts, "code")].(string), "joined to the survivor's agency "+strconv.FormatInt(to, 10), "same e-ID code")
			continue
		}
		r[id] = m.mapID('a', src)
		if p, ok := r[parent].(int64); ok {
			r[parent] = m.mapID('a', p)
		}
		out = append(out, r)
	}
	return out, nil
}

func fixPoints(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("reception_points")
	id, ag := col(ts, "id"), col(ts, "agency_id")
	var out [][]any
	for _, r := range rows {
		if _, ok := m.st.Points[r[id].(int64)]; ok {
			c.conflict(r[col(ts, "code")].(string), "joined to the survivor's reception point", "same code at the same agency")
			continue
		}
		r[id], r[ag] = m.mapID('r', r[id].(int64)), m.mapID('a', r[ag].(int64))
		out = append(out, r)
	}
	return out, renameTaken(m, c, out, col(ts, "code"), "reception_points", "code", ".", "reception point code used by the survivor")
}

func fixProcedures(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("procedures")
	id, ag, data := col(ts, "id"), col(ts, "agency_id"), col(ts, "data")
	var out [][]any
	for _, r := range rows {
		if to, ok := m.st.Procedures[r[id].(int64)]; ok {
			c.conflict(r[col(ts, "code")].(string), "joined to the survivor's procedure "+strconv.FormatInt(to, 10)+" (its current version stays)", "same national code")
			continue
		}
		r[id], r[ag] = m.mapID('p', r[id].(int64)), m.mapID('a', r[ag].(int64))
		s, err := m.remapJSON(r[data].(string), 'p')
		if err != nil {
			return nil, fmt.Errorf("procedure %v: %w", r[id], err)
		}
		r[data] = s
		out = append(out, r)
	}
	return out, nil
}

func versionKey(proc, version int64) string {
	return strconv.FormatInt(proc, 10) + "/" + strconv.FormatInt(version, 10)
}

func fixVersions(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("procedure_versions")
	pid, ver, data := col(ts, "procedure_id"), col(ts, "version"), col(ts, "data")
	var out [][]any
	for _, r := range rows {
		p, v := r[pid].(int64), r[ver].(int64)
		s, err := m.remapJSON(r[data].(string), 'p')
		if err != nil {
			return nil, fmt.Errorf("procedure %d version %d: %w", p, v, err)
		}
		if vm, ok := m.st.Versions[versionKey(p, v)]; ok {
			if vm.Join {
				continue
			}
			c.conflict(versionKey(p, v), "appended as version "+strconv.FormatInt(vm.To, 10)+" of the survivor's procedure", "same code, a version the survivor does not have")
			if s, err = setJSONField(s, "version", vm.To); err != nil {
				return nil, err
			}
			v = vm.To
		}
		r[pid], r[ver], r[data] = m.mapID('p', p), v, s
		out = append(out, r)
	}
	return out, nil
}

// setJSONField sets a top-level number field of an object.
func setJSONField(doc, field string, n int64) (string, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &obj); err != nil {
		return "", err
	}
	obj[field] = json.RawMessage(strconv.FormatInt(n, 10))
	b, err := json.Marshal(obj)
	return string(b), err
}

func fixUsers(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("users")
	id := col(ts, "id")
	for _, r := range rows {
		r[id] = m.mapID('u', r[id].(int64))
	}
	return rows, renameTaken(m, c, rows, col(ts, "username"), "users", "username", ".", "username used by the survivor")
}

func fixDossiers(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("dossiers")
	re := remapCols(ts, map[string]byte{"id": 'd', "procedure_id": 'p', "reception_point_id": 'r', "reception_agency_id": 'a',
		"competent_agency_id": 'a', "holder_agency_id": 'a', "assignee_id": 'u', "appraiser_id": 'u'})
	pid, ver, facts, status := col(ts, "procedure_id"), col(ts, "procedure_version"), col(ts, "facts"), col(ts, "status")
	for _, r := range rows { // the version first: it is keyed by the absorbed procedure id
		if vm, ok := m.st.Versions[versionKey(r[pid].(int64), r[ver].(int64))]; ok {
			r[ver] = vm.To
		}
	}
	re(m, rows)
	for _, r := range rows {
		for _, j := range []int{facts, status} {
			s, err := m.remapJSON(r[j].(string), 0)
			if err != nil {
				return nil, fmt.Errorf("dossier %v: %w", r[0], err)
			}
			r[j] = s
		}
	}
	return rows, renameTaken(m, c, rows, col(ts, "code"), "dossiers", "code", "-", "dossier code used by the survivor")
}

// renameCodes applies the dossier code rule to codes held in other tables.
func renameCodes(m *mergeMaps, c *mergeCtx, rows [][]any, i int) error {
	var vals []string
	for _, r := range rows {
		if s := r[i].(string); s != "" {
			vals = append(vals, s)
		}
	}
	tk, err := c.taken("dossiers", "code", "id", m.st.Off["dossiers"], vals)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if s := r[i].(string); tk[s] {
			r[i] = s + "-" + m.st.Tag
		}
	}
	return nil
}

func fixFiles(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("dossier_files")
	remapCols(ts, map[string]byte{"id": 'f', "dossier_id": 'd', "uploaded_by": 'u'})(m, rows)
	key, did := col(ts, "blob_key"), col(ts, "dossier_id")
	for _, r := range rows {
		k := r[key].(string)
		r[key] = m.blobKey(k, r[did].(int64))
		if c.rep != nil {
			c.rep.blobs = append(c.rep.blobs, [2]string{k, r[key].(string)})
		}
	}
	return rows, renameTaken(m, c, rows, col(ts, "doc_code"), "dossier_files", "doc_code", "-", "document code used by the survivor")
}

// blobKey is where a document of the absorbed province is kept in the
// survivor's storage: its key names the dossier by id (service/files.go),
// so it moves with the dossier's new id.
func (m *mergeMaps) blobKey(key string, newDossier int64) string {
	parts := strings.Split(key, "/")
	if len(parts) == 3 && parts[0] == "dossiers" {
		return "dossiers/" + strconv.FormatInt(newDossier, 10) + "/" + parts[2]
	}
	return "merged/" + m.st.Tag + "/" + key
}

func fixPayments(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("payments")
	remapCols(ts, map[string]byte{"id": 'y', "dossier_id": 'd', "recorded_by": 'u'})(m, rows)
	return rows, renameTaken(m, c, rows, col(ts, "reference"), "payments", "reference", "-", "payment reference used by the survivor")
}

func fixCalendar(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("calendar_years")
	year, by := col(ts, "year"), col(ts, "updated_by")
	var out [][]any
	for _, r := range rows {
		y := r[year].(int64)
		if same, ok := m.st.SkipYears[y]; ok {
			if !same {
				c.conflict(strconv.FormatInt(y, 10), "the survivor's calendar kept", "the two provinces' calendars of this year differ")
			}
			continue
		}
		r[by] = m.mapID('u', r[by].(int64))
		out = append(out, r)
	}
	return out, nil
}

func fixOutbox(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("outbox")
	id, okey, payload := col(ts, "id"), col(ts, "okey"), col(ts, "payload")
	for _, r := range rows {
		r[id] = m.mapID('o', r[id].(int64))
		if k, ok := strings.CutPrefix(r[okey].(string), "dossier:"); ok {
			if n, err := strconv.ParseInt(k, 10, 64); err == nil {
				r[okey] = "dossier:" + strconv.FormatInt(m.mapID('d', n), 10)
			}
		}
		s, err := m.remapJSON(r[payload].(string), 0)
		if err != nil {
			return nil, fmt.Errorf("outbox %v: %w", r[id], err)
		}
		r[payload] = s
	}
	return rows, renamePending(m, c, rows)
}

func fixWarnings(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("deadline_warnings")
	if err := renameCodes(m, c, rows, col(ts, "code")); err != nil {
		return nil, err
	}
	remapCols(ts, map[string]byte{"dossier_id": 'd', "holder_agency_id": 'a'})(m, rows)
	return rows, nil
}

func fixLookups(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("population_lookups")
	if err := renameCodes(m, c, rows, col(ts, "dossier_code")); err != nil {
		return nil, err
	}
	remapCols(ts, map[string]byte{"id": 'k', "user_id": 'u', "agency_id": 'a', "dossier_id": 'd'})(m, rows)
	return rows, nil
}

func fixPortalSync(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("portal_sync")
	nc := col(ts, "national_code")
	var vals []string
	for _, r := range rows {
		if s := r[nc].(string); s != "" {
			vals = append(vals, s)
		}
	}
	tk, err := c.taken("portal_sync", "national_code", "dossier_id", m.st.Off["dossiers"], vals)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if s := r[nc].(string); tk[s] {
			c.conflict(s, "blanked on the absorbed dossier "+strconv.FormatInt(r[0].(int64), 10), "national dossier code tracked by the survivor")
			r[nc] = ""
		}
	}
	remapCols(ts, map[string]byte{"dossier_id": 'd'})(m, rows)
	return rows, nil
}

func fixPortalMessages(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("portal_messages")
	id := col(ts, "message_id")
	var out [][]any
	for _, r := range rows {
		if m.st.SkipMessages[r[id].(string)] {
			c.conflict(r[id].(string), "not imported", "message already received by the survivor")
			continue
		}
		out = append(out, r)
	}
	remapCols(ts, map[string]byte{"dossier_id": 'd'})(m, out)
	return out, nil
}

func fixFeedback(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("feedback")
	remapCols(ts, map[string]byte{"id": 'g', "dossier_id": 'd', "received_by": 'u', "agency_id": 'a', "assignee_id": 'u',
		"repeat_of": 'g', "classified_by": 'u', "answered_by": 'u', "published_by": 'u'})(m, rows)
	return rows, renameTaken(m, c, rows, col(ts, "code"), "feedback", "code", "-", "complaint code used by the survivor")
}

func fixMergerMoves(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("merger_moves")
	remapCols(ts, map[string]byte{"merger_id": 'x', "from_agency_id": 'a', "to_agency_id": 'a', "reception_from": 'a',
		"reception_to": 'a', "holder_from": 'a', "holder_to": 'a'})(m, rows)
	kind, row := col(ts, "kind"), col(ts, "row_id")
	byKind := map[string]byte{"grant": 'u', "grant_drop": 'u', "point": 'r', "procedure": 'p', "parent": 'a', "dossier": 'd'}
	for _, r := range rows {
		k, ok := byKind[r[kind].(string)]
		if !ok {
			return nil, fmt.Errorf("merger_moves: unknown kind %q", r[kind])
		}
		r[row] = m.mapID(k, r[row].(int64))
	}
	return rows, nil
}

func fixQueueAreas(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("queue_areas")
	id, prefix := col(ts, "id"), col(ts, "prefix")
	var out [][]any
	for _, r := range rows {
		if to, ok := m.st.AreaClashes[r[id].(int64)]; ok {
			c.conflict(r[prefix].(string), "stops the merge: rename the prefix of one of the two areas first (queue administration)",
				"the survivor's queue area "+strconv.FormatInt(to, 10)+" at the same (joined) reception point has this prefix: past tickets' numbers would clash")
			if c.rep != nil && c.rep.rep != nil {
				c.rep.rep.Blocking = append(c.rep.rep.Blocking, fmt.Sprintf("queue area %v (prefix %s) of the absorbed province: the survivor's area %d at the same reception point has the prefix; rename one of them", r[id], r[prefix], to))
			}
		}
		out = append(out, r)
	}
	remapCols(ts, map[string]byte{"id": 'q', "reception_point_id": 'r'})(m, out)
	return out, nil
}

func fixQueueDevices(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("queue_devices")
	th := col(ts, "token_hash")
	var out [][]any
	for _, r := range rows {
		if m.st.SkipDevices[r[th].(string)] {
			c.conflict(r[col(ts, "name")].(string), "not imported", "the survivor has registered this device already")
			continue
		}
		out = append(out, r)
	}
	remapCols(ts, map[string]byte{"reception_point_id": 'r', "created_by": 'u'})(m, out)
	return out, nil
}
