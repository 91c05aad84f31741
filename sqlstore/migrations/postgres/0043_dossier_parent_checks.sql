-- The dossiers' keys to their agencies, procedure and reception point are
-- checked once a statement instead of once a row (issue 15, PostgreSQL
-- intake). A foreign key checks every inserted row with a query of its own
-- (SELECT 1 … FOR KEY SHARE): four a dossier. For a 32-row INSERT on the
-- 1.6 M province, EXPLAIN ANALYZE gives each key 0.28–0.30 ms (median),
-- 1.1 ms for the four (~35 µs a dossier); the check below takes 0.13–0.16
-- ms for the statement; for a single row, 0.07 ms against 0.08 for the
-- keys. The guarantees stay, each kept by a trigger:
--
-- * a dossier inserted, or changed, to point to an agency, procedure or
--   reception point that does not exist is refused with
--   foreign_key_violation (23503), as the key refused it: one check for
--   the statement's rows (dossier_parents_added), or for a row an UPDATE
--   moved (dossier_parents_moved, called only when one of the four
--   columns changes, as the key was);
-- * an agency, procedure or reception point that a dossier names cannot be
--   deleted, nor its id changed, nor its table truncated
--   (dossier_parent_kept, dossier_parents_not_truncated).
--
-- The keys locked each row they pointed to (FOR KEY SHARE), so that a
-- delete waited for the dossiers' transactions. Here the rare side pays:
-- a delete, a change of id or a truncation of those tables first takes a
-- SHARE lock on dossiers, which waits for every transaction writing
-- dossiers to end and holds new ones off until it ends, and its check
-- then sees every dossier that could name the row. motcua never deletes
-- those rows (agencies are merged, procedures replaced by versions); an
-- operator's DELETE holds the province's writes for the time of a scan of
-- dossiers (0.3–1.5 s for 1.6 M).
--
-- The other tables' keys are unchanged; the keys to dossiers stay
-- deferrable foreign keys (0028).
DO $$
DECLARE
    c RECORD;
BEGIN
    FOR c IN
        SELECT conname FROM pg_constraint
        WHERE contype = 'f' AND conrelid = 'dossiers'::regclass
          AND confrelid IN ('agencies'::regclass, 'procedures'::regclass, 'reception_points'::regclass)
    LOOP
        EXECUTE format('ALTER TABLE dossiers DROP CONSTRAINT %I', c.conname);
    END LOOP;
END
$$;

-- The refusal of both checks below: a dossier points to a row that does
-- not exist, with the SQLSTATE a foreign key gives.
CREATE FUNCTION dossier_parents_missing(code TEXT, competent BIGINT, reception BIGINT, proc BIGINT, point BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', TABLE = 'dossiers',
        MESSAGE = format('dossier %s points to a missing row: agencies %s/%s, procedure %s, reception point %s',
            code, competent, reception, proc, point);
END
$$;

CREATE FUNCTION dossier_parents_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad RECORD;
BEGIN
    -- Joins: the planner hashes the small tables once for the
    -- statement's rows (0.13–0.16 ms for 32 rows, 0.07 for one); four
    -- NOT EXISTS took 0.16–0.22 ms, a scalar probe a row 0.7 ms.
    SELECT d.code, d.competent_agency_id, d.reception_agency_id, d.procedure_id, d.reception_point_id INTO bad
    FROM added d
    LEFT JOIN agencies c ON c.id = d.competent_agency_id
    LEFT JOIN agencies r ON r.id = d.reception_agency_id
    LEFT JOIN procedures p ON p.id = d.procedure_id
    LEFT JOIN reception_points t ON t.id = d.reception_point_id
    WHERE c.id IS NULL OR r.id IS NULL OR p.id IS NULL OR t.id IS NULL
    LIMIT 1;
    IF FOUND THEN
        PERFORM dossier_parents_missing(bad.code, bad.competent_agency_id, bad.reception_agency_id, bad.procedure_id,
            bad.reception_point_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER dossier_parents_added AFTER INSERT ON dossiers
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION dossier_parents_added();

CREATE FUNCTION dossier_parents_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM agencies WHERE id = NEW.competent_agency_id)
       OR NOT EXISTS (SELECT 1 FROM agencies WHERE id = NEW.reception_agency_id)
       OR NOT EXISTS (SELECT 1 FROM procedures WHERE id = NEW.procedure_id)
       OR NOT EXISTS (SELECT 1 FROM reception_points WHERE id = NEW.reception_point_id) THEN
        PERFORM dossier_parents_missing(NEW.code, NEW.competent_agency_id, NEW.reception_agency_id, NEW.procedure_id,
            NEW.reception_point_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER dossier_parents_moved AFTER UPDATE OF competent_agency_id, reception_agency_id, procedure_id, reception_point_id
    ON dossiers FOR EACH ROW
    WHEN ((OLD.competent_agency_id, OLD.reception_agency_id, OLD.procedure_id, OLD.reception_point_id) IS DISTINCT FROM
          (NEW.competent_agency_id, NEW.reception_agency_id, NEW.procedure_id, NEW.reception_point_id))
    EXECUTE FUNCTION dossier_parents_moved();

-- The arguments are the dossiers' columns that name a row of the table;
-- they are searched in one scan of dossiers (none of them leads an
-- index), which holds the province's writes: on the 1.6 M province 0.3 s
-- (1.5 s with a cold cache) for agencies' two columns, against twice that
-- one column at a time.
CREATE FUNCTION dossier_parent_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    named BOOLEAN;
BEGIN
    LOCK TABLE dossiers IN SHARE MODE;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM dossiers WHERE %s)',
        (SELECT string_agg(format('%I = $1', col), ' OR ') FROM unnest(TG_ARGV) AS col)) INTO named USING OLD.id;
    IF named THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME,
            MESSAGE = format('%s %s is named by dossiers (%s): it cannot be deleted or renumbered',
                TG_TABLE_NAME, OLD.id, array_to_string(TG_ARGV, ' or '));
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER agencies_kept_for_dossiers BEFORE DELETE ON agencies FOR EACH ROW
    EXECUTE FUNCTION dossier_parent_kept('competent_agency_id', 'reception_agency_id');
CREATE TRIGGER agencies_id_kept_for_dossiers BEFORE UPDATE OF id ON agencies FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION dossier_parent_kept('competent_agency_id', 'reception_agency_id');
CREATE TRIGGER procedures_kept_for_dossiers BEFORE DELETE ON procedures FOR EACH ROW
    EXECUTE FUNCTION dossier_parent_kept('procedure_id');
CREATE TRIGGER procedures_id_kept_for_dossiers BEFORE UPDATE OF id ON procedures FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION dossier_parent_kept('procedure_id');
CREATE TRIGGER reception_points_kept_for_dossiers BEFORE DELETE ON reception_points FOR EACH ROW
    EXECUTE FUNCTION dossier_parent_kept('reception_point_id');
CREATE TRIGGER reception_points_id_kept_for_dossiers BEFORE UPDATE OF id ON reception_points FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION dossier_parent_kept('reception_point_id');

CREATE FUNCTION dossier_parents_not_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE dossiers IN SHARE MODE;
    IF EXISTS (SELECT 1 FROM dossiers) THEN
        RAISE EXCEPTION USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME,
            MESSAGE = format('%s is named by dossiers: it cannot be truncated', TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER agencies_not_truncated BEFORE TRUNCATE ON agencies
    FOR EACH STATEMENT EXECUTE FUNCTION dossier_parents_not_truncated();
CREATE TRIGGER procedures_not_truncated BEFORE TRUNCATE ON procedures
    FOR EACH STATEMENT EXECUTE FUNCTION dossier_parents_not_truncated();
CREATE TRIGGER reception_points_not_truncated BEFORE TRUNCATE ON reception_points
    FOR EACH STATEMENT EXECUTE FUNCTION dossier_parents_not_truncated();
