-- The foreign keys that point to dossiers may wait for the commit (issue
-- 15, PostgreSQL intake). A group commit's intakes insert their dossiers
-- only once their numbers are drawn, and the counter rows stay locked from
-- that draw to the commit; with these keys deferred (SET CONSTRAINTS ALL
-- DEFERRED, which only such a batch issues) the rows pointing to a new
-- dossier (its event, inbox rows, idempotency key, …) are sent before the
-- draw, outside the lock. Every other transaction still checks them at
-- each statement (INITIALLY IMMEDIATE), as before.
--
-- Every such key, whatever its name, so that a table added later with a
-- key to dossiers is covered by running this again. Nothing is rewritten:
-- ALTER CONSTRAINT changes the catalogue only.
DO $$
DECLARE
    c RECORD;
BEGIN
    FOR c IN
        SELECT conrelid::regclass AS tbl, conname
        FROM pg_constraint
        WHERE contype = 'f' AND confrelid = 'dossiers'::regclass AND NOT condeferrable
    LOOP
        EXECUTE format('ALTER TABLE %s ALTER CONSTRAINT %I DEFERRABLE INITIALLY IMMEDIATE', c.tbl, c.conname);
    END LOOP;
END
$$;
