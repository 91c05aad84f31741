-- The dossier's appraiser and its result's number as columns (issue 15,
-- bytes per dossier): nearly every dossier has both, and as keys of the
-- status document they took 42 of its 63 bytes on a generated province
-- (sqlstore/compact.go, statusExtra).
--
-- The columns are added empty (no rewrite), then filled and the keys cut
-- from the documents in one rewrite of the table, as 0036 and 0040 did (an
-- UPDATE of every row would leave the old versions' space behind and a
-- second entry per row in every index). The values are read with jsonb,
-- which decodes the number's text; the keys are cut as text, so the rest
-- of each document keeps its bytes. No object nested in a status has
-- either key, and inside a JSON string a quote is escaped, so the patterns
-- can only match the top-level keys. The program then checks every
-- document that still names either key (moveStatusColumns) and moves it.
ALTER TABLE dossiers ADD COLUMN appraiser_id INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN result_number TEXT NOT NULL DEFAULT '';

CREATE FUNCTION pg_temp.status_cut(doc TEXT, pat TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE
        WHEN doc ~ (',' || pat) THEN regexp_replace(doc, ',' || pat, '')
        WHEN doc ~ (pat || ',') THEN regexp_replace(doc, pat || ',', '')
        ELSE regexp_replace(doc, pat, '') END
$$;
CREATE FUNCTION pg_temp.status_without_columns(doc TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN s = '{}' THEN '' ELSE s END
    FROM (SELECT pg_temp.status_cut(pg_temp.status_cut(doc, '"appraiser_id":[0-9]+'), '"result_number":"(?:[^"\\]|\\.)*"') AS s) AS x
$$;

ALTER TABLE dossiers
    ALTER COLUMN appraiser_id TYPE INTEGER USING CASE WHEN strpos(status, '"appraiser_id":') > 0
        THEN COALESCE(CAST(CAST(status AS jsonb) ->> 'appraiser_id' AS INTEGER), 0) ELSE 0 END,
    ALTER COLUMN result_number TYPE TEXT USING CASE WHEN strpos(status, '"result_number":') > 0
        THEN COALESCE(CAST(status AS jsonb) ->> 'result_number', '') ELSE '' END,
    ALTER COLUMN status TYPE TEXT USING CASE WHEN strpos(status, '"appraiser_id":') > 0 OR strpos(status, '"result_number":') > 0
        THEN pg_temp.status_without_columns(status) ELSE status END;
DROP FUNCTION pg_temp.status_without_columns(TEXT);
DROP FUNCTION pg_temp.status_cut(TEXT, TEXT);
ANALYZE dossiers;
