-- The live counters' keys in the types their values need (issue 15, bytes
-- per dossier): a scale and a metric are a handful of numbers, a period a
-- day, month or year number, agency and procedure ids INTEGER as the
-- dossiers' are since 0036. A counter row takes 24 bytes of data instead
-- of 40, its key 16 instead of 32: on the generated 1.6 M province
-- (506,851 counters) about 10 bytes a dossier. The counts stay BIGINT.
-- Both tables are rewritten (their keys are read together: copy.go adds
-- the changes to the counters); the changes are few, the folding job
-- empties them every few seconds.
ALTER TABLE stat_counts
    ALTER COLUMN scale TYPE SMALLINT,
    ALTER COLUMN metric TYPE SMALLINT,
    ALTER COLUMN period TYPE INTEGER,
    ALTER COLUMN agency_id TYPE INTEGER,
    ALTER COLUMN procedure_id TYPE INTEGER;
ALTER TABLE stat_deltas
    ALTER COLUMN scale TYPE SMALLINT,
    ALTER COLUMN metric TYPE SMALLINT,
    ALTER COLUMN period TYPE INTEGER,
    ALTER COLUMN agency_id TYPE INTEGER,
    ALTER COLUMN procedure_id TYPE INTEGER;
ANALYZE stat_counts;
ANALYZE stat_deltas;
