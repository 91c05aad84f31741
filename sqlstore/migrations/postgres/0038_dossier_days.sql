-- Report 06a's receptions and finishes per day (issue 15: 06a for any
-- period ≤ 1 s on PostgreSQL at 1.6 M dossiers; docs/deployment.md §17).
--
-- Counting a long span's receptions and finishes per agency read every one
-- of them in the report indexes (1.3 M each for 01/01–31/10: most of the
-- report's second). These tables hold the same counts per Vietnam day,
-- agency and kind, derived from the dossiers' own columns by triggers in
-- the transaction of every change, so that a period of whole days sums a
-- few rows per day instead. Kinds: the channel (1–3) for a dossier
-- received that day; 10 + 2 × class + ontime_766 for one finished that day
-- (class 1 early, 2 on time, 3 late, 0 any other).
--
-- As stat_deltas: a change appends rows to dossier_day_deltas, which takes
-- no row lock another writer could wait for (a counter row per agency and
-- day would serialise the intakes of an agency), and FoldStats moves them
-- into dossier_days in one statement; readers add both. Nothing copies the
-- tables: copying or merging the dossiers fills them through the triggers.
CREATE TABLE dossier_days (
    day       INTEGER  NOT NULL,
    agency_id BIGINT   NOT NULL,
    kind      SMALLINT NOT NULL,
    n         BIGINT   NOT NULL,
    PRIMARY KEY (day, agency_id, kind)
);
CREATE TABLE dossier_day_deltas (
    day       INTEGER  NOT NULL,
    agency_id BIGINT   NOT NULL,
    kind      SMALLINT NOT NULL,
    n         BIGINT   NOT NULL
);
CREATE INDEX dossier_day_deltas_day ON dossier_day_deltas (day);

-- The Vietnam day of a time in milliseconds (motcua.DayOf) and a finish's
-- kind, written once here so that the triggers and the fill agree.
CREATE FUNCTION dossier_day(ms BIGINT) RETURNS INTEGER LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CAST(CASE WHEN ms + 25200000 >= 0 THEN (ms + 25200000) / 86400000
        ELSE (ms + 25200000 - 86399999) / 86400000 END AS INTEGER);
CREATE FUNCTION dossier_finish_kind(class TEXT, ok BOOLEAN) RETURNS SMALLINT LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CAST(10 + 2 * CASE class WHEN 'early' THEN 1 WHEN 'on_time' THEN 2 WHEN 'late' THEN 3 ELSE 0 END
        + CASE WHEN ok THEN 1 ELSE 0 END AS SMALLINT);

-- A statement's new or removed dossiers, added up (an intake batch's
-- multi-row INSERT, a COPY of the generator or a restore: one row per
-- day, agency and kind instead of one per dossier).
CREATE FUNCTION dossier_days_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Added by an INSERT, taken away by a DELETE.
    INSERT INTO dossier_day_deltas (day, agency_id, kind, n)
    SELECT day, agency_id, kind, CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END * COUNT(*) FROM (
        SELECT dossier_day(received_at) AS day, competent_agency_id AS agency_id, CAST(channel AS SMALLINT) AS kind
        FROM changed WHERE received_at IS NOT NULL
        UNION ALL
        SELECT dossier_day(finished_at), competent_agency_id, dossier_finish_kind(finish_class, ontime_766)
        FROM changed WHERE received_at IS NOT NULL AND finished_at IS NOT NULL
    ) c GROUP BY day, agency_id, kind;
    RETURN NULL;
END
$$;
CREATE TRIGGER dossier_days_insert AFTER INSERT ON dossiers
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dossier_days_rows();
CREATE TRIGGER dossier_days_delete AFTER DELETE ON dossiers
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dossier_days_rows();

-- A dossier whose counted columns change (received, finished, moved to
-- another agency by a merger, an edit of its history): its old
-- contribution is taken away and its new one added, each part only when
-- it differs. The WHEN keeps every other update (most actions) from
-- calling the function at all.
CREATE FUNCTION dossier_days_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_rec BOOLEAN := OLD.received_at IS NOT NULL;
    new_rec BOOLEAN := NEW.received_at IS NOT NULL;
    old_fin BOOLEAN := old_rec AND OLD.finished_at IS NOT NULL;
    new_fin BOOLEAN := new_rec AND NEW.finished_at IS NOT NULL;
BEGIN
    IF (old_rec, OLD.received_at, OLD.competent_agency_id, OLD.channel) IS DISTINCT FROM
       (new_rec, NEW.received_at, NEW.competent_agency_id, NEW.channel) THEN
        IF old_rec THEN
            INSERT INTO dossier_day_deltas VALUES (dossier_day(OLD.received_at), OLD.competent_agency_id, OLD.channel, -1);
        END IF;
        IF new_rec THEN
            INSERT INTO dossier_day_deltas VALUES (dossier_day(NEW.received_at), NEW.competent_agency_id, NEW.channel, 1);
        END IF;
    END IF;
    IF (old_fin, CASE WHEN old_fin THEN (OLD.finished_at, OLD.competent_agency_id, OLD.finish_class, OLD.ontime_766) END) IS DISTINCT FROM
       (new_fin, CASE WHEN new_fin THEN (NEW.finished_at, NEW.competent_agency_id, NEW.finish_class, NEW.ontime_766) END) THEN
        IF old_fin THEN
            INSERT INTO dossier_day_deltas VALUES (dossier_day(OLD.finished_at), OLD.competent_agency_id,
                dossier_finish_kind(OLD.finish_class, OLD.ontime_766), -1);
        END IF;
        IF new_fin THEN
            INSERT INTO dossier_day_deltas VALUES (dossier_day(NEW.finished_at), NEW.competent_agency_id,
                dossier_finish_kind(NEW.finish_class, NEW.ontime_766), 1);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER dossier_days_update AFTER UPDATE OF received_at, finished_at, competent_agency_id, channel, finish_class, ontime_766
    ON dossiers FOR EACH ROW
    WHEN ((OLD.received_at, OLD.finished_at, OLD.competent_agency_id, OLD.channel, OLD.finish_class, OLD.ontime_766) IS DISTINCT FROM
          (NEW.received_at, NEW.finished_at, NEW.competent_agency_id, NEW.channel, NEW.finish_class, NEW.ontime_766))
    EXECUTE FUNCTION dossier_days_update();

-- The dossiers already there, counted once.
INSERT INTO dossier_days (day, agency_id, kind, n)
SELECT day, agency_id, kind, COUNT(*) FROM (
    SELECT dossier_day(received_at) AS day, competent_agency_id AS agency_id, CAST(channel AS SMALLINT) AS kind
    FROM dossiers WHERE received_at IS NOT NULL
    UNION ALL
    SELECT dossier_day(finished_at), competent_agency_id, dossier_finish_kind(finish_class, ontime_766)
    FROM dossiers WHERE received_at IS NOT NULL AND finished_at IS NOT NULL
) c GROUP BY day, agency_id, kind ORDER BY day, agency_id, kind;
ANALYZE dossier_days;

-- The dossiers finished 30 days or more after their reception, as SQLite's
-- of migration 0031, with the columns the reports read of them (issue 15).
-- The dossiers pending at a past moment T are the unfinished ones and
-- those finished since T, which were read from every finish since T
-- (0.8 s for the end of July on a 1.6-million-dossier year: 680,000
-- entries for 25,000 dossiers) or every reception before it: now from the
-- receptions of the 30 days before T and this index (3 % of the
-- dossiers). sqlstore/pending.go (longDossierSQL) writes the same
-- condition, character for character, so that the planner can use it.
CREATE INDEX dossiers_long ON dossiers (finished_at)
    INCLUDE (received_at, competent_agency_id, procedure_id, finish_class, ontime_766, handle_ms, id)
    WHERE received_at IS NOT NULL AND finished_at IS NOT NULL AND finished_at - received_at >= 2592000000;
ANALYZE dossiers;
