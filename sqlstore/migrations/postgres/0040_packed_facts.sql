-- The facts documents with their components and fees packed (issue 15,
-- bytes per dossier; sqlstore/facts_packed.go): the components as one
-- string of ids and flags ("cs":"1:9,2:1"), each fee as [name, amount].
--
-- On PostgreSQL the documents are rewritten here, in one rewrite of the
-- table (ALTER COLUMN … TYPE with USING), as 0036 did: an UPDATE of every
-- row would leave the old versions' space in the table and a second entry
-- per row in every index. The program wrote its components and fees in
-- exactly these forms (encoding/json, its fields' order), so they are
-- matched as text; inside a JSON string a quote is escaped, so a pattern
-- cannot match a value. A list that holds text (a file reference, a reused
-- result), or any piece in another form, is left as it was; the program
-- then reads every document once (compactFacts, after this file) and
-- rewrites only those not yet in the new form.
CREATE FUNCTION pg_temp.packed_facts(doc TEXT) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    list   TEXT;
    again  TEXT;
    packed TEXT;
BEGIN
    doc := regexp_replace(doc, '\{"name":("(?:[^"\\]|\\.)*"),"amount":(-?[0-9]+)\}', '[\1,\2]', 'g');
    list := substring(doc FROM '"components":\[([^]]*)\]');
    IF list IS NULL OR list ~ '"(f|rr|rf)":' THEN
        RETURN doc;
    END IF;
    IF list = '' THEN
        RETURN replace(doc, ',"components":[]', '');
    END IF;
    SELECT string_agg(m[1], ',' ORDER BY n),
           string_agg(m[2] || ':' || (CASE WHEN m[3] LIKE '%"p":true%' THEN 1 ELSE 0 END
                                    + CASE WHEN m[3] LIKE '%"n":true%' THEN 2 ELSE 0 END
                                    + CASE WHEN m[3] LIKE '%"r":true%' THEN 4 ELSE 0 END
                                    + CASE WHEN m[3] LIKE '%"d":true%' THEN 8 ELSE 0 END
                                    + CASE WHEN m[3] LIKE '%"s":true%' THEN 16 ELSE 0 END), ',' ORDER BY n)
      INTO again, packed
      FROM regexp_matches(list, '(\{"id":([0-9]+)((?:,"[pnrds]":true)*)\})', 'g') WITH ORDINALITY AS r(m, n);
    IF again IS DISTINCT FROM list THEN
        RETURN doc;
    END IF;
    RETURN replace(doc, '"components":[' || list || ']', '"cs":"' || packed || '"');
END
$$;

ALTER TABLE dossiers ALTER COLUMN facts TYPE TEXT USING pg_temp.packed_facts(facts);
DROP FUNCTION pg_temp.packed_facts(TEXT);
ANALYZE dossiers;
