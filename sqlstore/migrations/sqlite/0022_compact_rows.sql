-- Bytes per dossier (issue 15, docs/deployment.md §17).
-- A dossier's status was kept twice, as columns and as a JSON document: the
-- document now holds only what has no column (appraiser, parts,
-- supplements, extensions, result, duties; '' when none), the rest is
-- rebuilt from the columns on read, and step_started_at gets its column.
-- The procedure's name, copied into every dossier, is '' where it is the
-- name of the dossier's procedure version (versions never change).
-- An event's frequent fields (steps, deadlines, actor's name and role) move
-- from its JSON data to typed columns, times as milliseconds instead of
-- RFC 3339 text, the duties as "agency:role[:user]" with one-letter role
-- codes (compact.go); the rare ones stay in data ('' when none). The
-- actor's name and role, which every event copied, are stored once per
-- actor in event_actors (the first ones recorded, never changed); an event
-- stores its own only when they differ (a renamed account, a second role)
-- and NULL otherwise, so the history keeps the name the actor had then.
ALTER TABLE dossiers ADD COLUMN step_started_at BIGINT;
-- The versions' names, decoded once rather than once per dossier.
CREATE TEMP TABLE m22_names (procedure_id BIGINT, version INTEGER, name TEXT, PRIMARY KEY (procedure_id, version));
INSERT INTO temp.m22_names SELECT procedure_id, version, json_extract(data, '$.name') FROM procedure_versions;
UPDATE dossiers SET procedure_name = CASE WHEN procedure_name <> '' AND procedure_name = (SELECT n.name FROM temp.m22_names n WHERE n.procedure_id = dossiers.procedure_id AND n.version = dossiers.procedure_version) THEN '' ELSE procedure_name END,
    step_started_at = CASE WHEN json_extract(status, '$.step_started_at') IS NULL OR json_extract(status, '$.step_started_at') LIKE '0001-%' THEN NULL ELSE CAST(ROUND((julianday(json_extract(status, '$.step_started_at')) - 2440587.5) * 86400000.0) AS INTEGER) END,
    status = CASE WHEN json_remove(status, '$.state', '$.step', '$.agency_id', '$.assignee_id', '$.submitted_at', '$.received_at', '$.clock_start_at', '$.due_at', '$.step_started_at', '$.step_due_at', '$.action_due_at', '$.finished_at', '$.returned_at', '$.seq') = '{}' THEN '' ELSE json_remove(status, '$.state', '$.step', '$.agency_id', '$.assignee_id', '$.submitted_at', '$.received_at', '$.clock_start_at', '$.due_at', '$.step_started_at', '$.step_due_at', '$.action_due_at', '$.finished_at', '$.returned_at', '$.seq') END;

DROP TABLE temp.m22_names;

CREATE TABLE event_actors (
    actor_id BIGINT PRIMARY KEY,
    name     TEXT   NOT NULL,
    role     TEXT   NOT NULL
);
INSERT INTO event_actors (actor_id, name, role)
    SELECT actor_id, COALESCE(json_extract(data, '$.actor_name'), ''), COALESCE(json_extract(data, '$.actor_role'), '')
    FROM dossier_events WHERE id IN (SELECT MIN(id) FROM dossier_events WHERE actor_id <> 0 GROUP BY actor_id);

CREATE TABLE dossier_events_new (
    id              INTEGER PRIMARY KEY,
    dossier_id      BIGINT  NOT NULL REFERENCES dossiers(id),
    seq             INTEGER NOT NULL,
    action          TEXT    NOT NULL,
    at              BIGINT  NOT NULL,
    actor_id        BIGINT  NOT NULL,
    actor_agency_id BIGINT  NOT NULL,
    from_state      TEXT    NOT NULL,
    to_state        TEXT    NOT NULL,
    from_agency_id  BIGINT  NOT NULL,
    to_agency_id    BIGINT  NOT NULL,
    timeliness      TEXT    NOT NULL DEFAULT '',
    due_at          BIGINT,
    actor_name      TEXT,
    actor_role      TEXT,
    from_step       INTEGER NOT NULL,
    to_step         INTEGER NOT NULL,
    clock_start_at  BIGINT,
    step_due_at     BIGINT,
    action_due_at   BIGINT,
    handover_due_at BIGINT,
    duties          TEXT,
    data            TEXT    NOT NULL,
    UNIQUE (dossier_id, seq)
);
INSERT INTO dossier_events_new (id, dossier_id, seq, action, at, actor_id, actor_agency_id, from_state, to_state,
    from_agency_id, to_agency_id, timeliness, due_at, actor_name, actor_role, from_step, to_step, clock_start_at,
    step_due_at, action_due_at, handover_due_at, duties, data)
SELECT e.id, e.dossier_id, e.seq, e.action, e.at, e.actor_id, e.actor_agency_id, e.from_state, e.to_state,
    e.from_agency_id, e.to_agency_id, e.timeliness, COALESCE(e.due_at, CASE WHEN json_extract(e.data, '$.due_at') IS NULL OR json_extract(e.data, '$.due_at') LIKE '0001-%' THEN NULL ELSE CAST(ROUND((julianday(json_extract(e.data, '$.due_at')) - 2440587.5) * 86400000.0) AS INTEGER) END),
    CASE WHEN a.name IS NOT NULL AND a.name = COALESCE(json_extract(e.data, '$.actor_name'), '') THEN NULL ELSE COALESCE(json_extract(e.data, '$.actor_name'), '') END,
    CASE WHEN a.role IS NOT NULL AND a.role = COALESCE(json_extract(e.data, '$.actor_role'), '') THEN NULL ELSE COALESCE(json_extract(e.data, '$.actor_role'), '') END,
    COALESCE(json_extract(e.data, '$.from_step'), 0), COALESCE(json_extract(e.data, '$.to_step'), 0),
    CASE WHEN json_extract(e.data, '$.clock_start_at') IS NULL OR json_extract(e.data, '$.clock_start_at') LIKE '0001-%' THEN NULL ELSE CAST(ROUND((julianday(json_extract(e.data, '$.clock_start_at')) - 2440587.5) * 86400000.0) AS INTEGER) END,
    CASE WHEN json_extract(e.data, '$.step_due_at') IS NULL OR json_extract(e.data, '$.step_due_at') LIKE '0001-%' THEN NULL ELSE CAST(ROUND((julianday(json_extract(e.data, '$.step_due_at')) - 2440587.5) * 86400000.0) AS INTEGER) END,
    CASE WHEN json_extract(e.data, '$.action_due_at') IS NULL OR json_extract(e.data, '$.action_due_at') LIKE '0001-%' THEN NULL ELSE CAST(ROUND((julianday(json_extract(e.data, '$.action_due_at')) - 2440587.5) * 86400000.0) AS INTEGER) END,
    CASE WHEN json_extract(e.data, '$.handover_due_at') IS NULL OR json_extract(e.data, '$.handover_due_at') LIKE '0001-%' THEN NULL ELSE CAST(ROUND((julianday(json_extract(e.data, '$.handover_due_at')) - 2440587.5) * 86400000.0) AS INTEGER) END,
    (SELECT group_concat(x, ',') FROM (SELECT json_extract(d.value, '$.agency_id') || ':' || CASE json_extract(d.value, '$.role') WHEN 'reception_officer' THEN 'r' WHEN 'specialist' THEN 's' WHEN 'head_of_department' THEN 'h' WHEN 'agency_leader' THEN 'l' WHEN 'admin' THEN 'a' WHEN 'supervisor' THEN 'v' WHEN 'integration' THEN 'i' WHEN 'system' THEN 'y' ELSE COALESCE(json_extract(d.value, '$.role'), '') END || CASE WHEN COALESCE(json_extract(d.value, '$.user_id'), 0) <> 0 THEN ':' || json_extract(d.value, '$.user_id') ELSE '' END AS x FROM json_each(e.data, '$.duties') d ORDER BY d.key)),
    CASE WHEN json_remove(e.data, '$.actor_name', '$.actor_role', '$.from_step', '$.to_step', '$.clock_start_at', '$.step_due_at', '$.action_due_at', '$.handover_due_at', '$.due_at', '$.id', '$.dossier_id', '$.seq', '$.action', '$.at', '$.actor_id', '$.actor_agency_id', '$.from_state', '$.to_state', '$.from_agency_id', '$.to_agency_id', '$.timeliness', '$.duties') = '{}' THEN '' ELSE json_remove(e.data, '$.actor_name', '$.actor_role', '$.from_step', '$.to_step', '$.clock_start_at', '$.step_due_at', '$.action_due_at', '$.handover_due_at', '$.due_at', '$.id', '$.dossier_id', '$.seq', '$.action', '$.at', '$.actor_id', '$.actor_agency_id', '$.from_state', '$.to_state', '$.from_agency_id', '$.to_agency_id', '$.timeliness', '$.duties') END
FROM dossier_events e LEFT JOIN event_actors a ON a.actor_id = e.actor_id ORDER BY e.id;
DROP TABLE dossier_events;
ALTER TABLE dossier_events_new RENAME TO dossier_events;
CREATE INDEX dossier_events_returned ON dossier_events (actor_id, at) WHERE action = 'return';
CREATE INDEX dossier_events_actor ON dossier_events (actor_id, at, dossier_id, seq);
