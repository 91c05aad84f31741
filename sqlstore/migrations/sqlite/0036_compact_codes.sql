-- Nothing on SQLite: the PostgreSQL migration of the same number stores the
-- events' action, states and timeliness as enums, indexes the events by
-- dossier alone and makes the dossiers' agency ids INTEGER (issue 15).
-- SQLite stores small integers and short texts in a few bytes already, and
-- keeps its key (dossier_id, seq). The facts documents are rewritten after
-- this file on both engines (compactFacts). The number is kept so that both
-- engines share their schema versions.
SELECT 1;
