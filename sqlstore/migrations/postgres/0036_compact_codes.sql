-- Bytes per dossier on PostgreSQL, third pass (issue 15, docs/deployment.md
-- §17, "Bytes per dossier, third pass (migration 0036)").
--
-- 1. An event's action, states and timeliness are one of a handful of
-- words each; as TEXT they took 8, 9, 10 and 5 bytes of every event row
-- (6.5 a dossier). As enums they take 4 bytes each, placed after the
-- 2-byte steps, so no padding is added. The SQL keeps its words: a literal
-- or a bound string is read as the enum's label (pgx sends strings in text
-- form to a type it does not know, and reads the labels back as strings),
-- and the copies and checksums see the same text. A value that is not
-- listed here is refused by the database: a new action or state needs a
-- migration that adds it (ALTER TYPE … ADD VALUE), and
-- TestPGEventCodesCoverTheDomain fails until it is there.
-- 2. The events' primary key (dossier_id, seq) had one 28-byte entry per
-- event (205 bytes per dossier). It becomes an index on dossier_id alone,
-- which PostgreSQL deduplicates: a dossier's events are one entry with the
-- list of their rows (about 70 bytes per dossier). Every read of a history
-- names the dossier and sorts its few events by seq. Two events with the
-- same number cannot be stored by the program: an event is appended only
-- with the UPDATE of its dossier from the previous number (AppendEvent,
-- WHERE seq = the expected one), which of two concurrent appends lets one
-- through; the other's transaction, its event included, is rolled back.
-- 3. The dossiers' agency, reception point, assignee and procedure ids are
-- INTEGER, as the events' are since 0030 (a province has hundreds; the
-- limit is 2,147,483,647): 24 bytes fewer a row, less the padding.
-- 4. The facts documents leave out the usual applicant kind, ID kind and
-- return method (sqlstore/facts.go). The program wrote the documents with
-- the applicant's keys first and always "kind", then "id_kind"; and
-- "return_method" always right before "components", so the usual values
-- are these exact pieces of text, cut here in the same rewrite of the table
-- that the new column types need (no row left behind, no index grown).
-- Inside a JSON string a quote is escaped, so the pieces cannot match a
-- value. A document in another form keeps them and reads the same.
-- 5. dossiers_procedure was (procedure_id, created_at): 50 bytes a dossier,
-- its pages half full (each procedure appends at its own end). It is now
-- (procedure_id, procedure_version), which PostgreSQL deduplicates (7
-- bytes a dossier). Its two readers are the catalogue's versions page:
-- the count of dossiers per version now reads the index alone (1.6 M
-- dossiers, the largest procedure: 1,049 → 15 ms), the latest dossiers of
-- one version fetch that version's dossiers and keep the latest (0.6 →
-- 190–280 ms); the page, which always counts, is faster either way.
CREATE TYPE event_action AS ENUM ('submit', 'receive', 'request_supplement', 'supplement_received', 'refuse', 'transfer',
    'assign', 'forward', 'send_back', 'approve', 'issue_result', 'return', 'extend', 'withdraw', 'stop', 'close',
    'merge', 'merge_undo');
CREATE TYPE dossier_state AS ENUM ('', 'submitted', 'received', 'processing', 'awaiting_supplement', 'approved', 'refused',
    'result_ready', 'returned', 'withdrawn', 'stopped', 'closed', 'rejected_at_reception');
CREATE TYPE event_timeliness AS ENUM ('', 'early', 'on_time', 'late', 'within_time', 'overdue');

DROP INDEX dossier_events_returned;
ALTER TABLE dossier_events
    DROP CONSTRAINT dossier_events_pkey,
    ALTER COLUMN action TYPE event_action USING action::event_action,
    ALTER COLUMN from_state TYPE dossier_state USING from_state::dossier_state,
    ALTER COLUMN to_state TYPE dossier_state USING to_state::dossier_state,
    ALTER COLUMN timeliness DROP DEFAULT,
    ALTER COLUMN timeliness TYPE event_timeliness USING timeliness::event_timeliness,
    ALTER COLUMN timeliness SET DEFAULT '';
CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id);
CREATE INDEX dossier_events_returned ON dossier_events (actor_id, (at / 86400000)) WHERE action = 'return';

DROP INDEX dossiers_procedure;
ALTER TABLE dossiers
    ALTER COLUMN facts TYPE TEXT USING replace(
        CASE WHEN starts_with(facts, '{"applicant":{"kind":"citizen","id_kind":"personal_id",')
            THEN '{"applicant":{' || substr(facts, 56) ELSE facts END,
        ',"return_method":"counter","components":', ',"components":'),
    ALTER COLUMN procedure_id TYPE INTEGER,
    ALTER COLUMN reception_point_id TYPE INTEGER,
    ALTER COLUMN reception_agency_id TYPE INTEGER,
    ALTER COLUMN competent_agency_id TYPE INTEGER,
    ALTER COLUMN holder_agency_id TYPE INTEGER,
    ALTER COLUMN assignee_id TYPE INTEGER;
CREATE INDEX dossiers_procedure ON dossiers (procedure_id, procedure_version);
-- Changing a column's type drops its statistics: gather them again so that
-- the first queries after the upgrade are planned as before.
ANALYZE dossier_events;
ANALYZE dossiers;
