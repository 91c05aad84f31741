-- The record of each dossier's standing over time (issue 15: report 06a
-- for any period). A report on a past period classifies every dossier
-- pending at the period's end by its standing then (report 06a's columns
-- 12 and 13, indicator 2.1 of QĐ 766); for those that changed since, that
-- standing was replayed from their events (six or seven wide rows each,
-- 22,000–26,000 dossiers for a month's end on a 1.6-million-dossier year:
-- half of the report's time). This table holds one narrow row per event
-- after which the standing (motcua.Standing: the appointment and three
-- flags packed in one integer) differs from the previous row's, or whose
-- time is earlier than a previous row's: about one row per dossier (its
-- reception), one more per supplement request and answer or extension.
-- The standing at T is the row of the highest seq before T.
--
-- No agency: a dossier's agency is its current one (a merger of agencies
-- moves it), as in every other report query. No foreign key: rows are
-- written beside the event, in its transaction (sqlstore/standingrecord.go),
-- and copied with the dossiers (copy.go, merge_rules.go).
CREATE TABLE dossier_standings (
    dossier_id INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    standing   INTEGER NOT NULL,
    PRIMARY KEY (dossier_id, seq)
) WITHOUT ROWID;

-- Every event's standing, then the events after which it differs from
-- the previous row's (the first compared with the zero standing), or whose
-- time is earlier than an earlier event's (sqlstore/standingrecord.go).
INSERT INTO dossier_standings (dossier_id, seq, at, standing)
SELECT dossier_id, seq, at, standing FROM (
    SELECT dossier_id, seq, at, standing,
        LAG(standing, 1, 0) OVER (PARTITION BY dossier_id ORDER BY seq) AS prev,
        MAX(at) OVER (PARTITION BY dossier_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_at
    FROM (
        SELECT dossier_id, seq, at,
            CASE WHEN to_state = 'awaiting_supplement' THEN
                1 + CASE WHEN n > 1 THEN 2 ELSE 0 END
                  + CASE WHEN due_at IS NOT NULL AND last_seq IS NOT NULL
                          AND (SELECT r.at FROM dossier_events r WHERE r.dossier_id = h.dossier_id AND r.seq = h.last_seq) > due_at
                         THEN 4 ELSE 0 END
            ELSE COALESCE(due_at, 0) * 8 + CASE WHEN n > 1 THEN 2 ELSE 0 END
            END AS standing
        FROM (
            SELECT dossier_id, seq, at, to_state, due_at,
                SUM(CASE WHEN action = 'request_supplement' THEN 1 ELSE 0 END) OVER w AS n,
                MAX(CASE WHEN action = 'request_supplement' THEN seq END) OVER w AS last_seq
            FROM dossier_events
            WINDOW w AS (PARTITION BY dossier_id ORDER BY seq ROWS UNBOUNDED PRECEDING)
        ) h
    ) s
) c
WHERE standing <> prev OR at < prev_at
ORDER BY dossier_id, seq;
