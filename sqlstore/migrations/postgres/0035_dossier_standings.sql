-- The record of each dossier's standing over time (issue 15: report 06a
-- for any period); see the SQLite migration of the same number for what it
-- holds and why. The columns are ordered so that no padding separates
-- them; the primary key, which the reads probe by dossier, is built after
-- the fill.
CREATE TABLE dossier_standings (
    dossier_id BIGINT  NOT NULL,
    at         BIGINT  NOT NULL,
    standing   BIGINT  NOT NULL,
    seq        INTEGER NOT NULL
);

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

ALTER TABLE dossier_standings ADD PRIMARY KEY (dossier_id, seq);
ANALYZE dossier_standings;
