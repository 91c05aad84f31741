-- The counter's queue (issue 13): service areas (quầy, lĩnh vực) of each
-- reception point, the devices (kiosks, calling displays) an administrator
-- bound to a reception point, and the tickets. Times are milliseconds since
-- the epoch, UTC; day is the Vietnam-time day of issue (motcua.Day).
CREATE TABLE queue_areas (
    id                 INTEGER PRIMARY KEY,
    reception_point_id BIGINT  NOT NULL REFERENCES reception_points(id),
    prefix             TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    active             INTEGER NOT NULL DEFAULT 1,
    UNIQUE (reception_point_id, prefix)
);
-- Only the hash of a device's token is kept; the token lives in the
-- device's cookie.
CREATE TABLE queue_devices (
    token_hash         TEXT    PRIMARY KEY,
    reception_point_id BIGINT  NOT NULL REFERENCES reception_points(id),
    name               TEXT    NOT NULL,
    created_by         BIGINT  NOT NULL,
    created_at         BIGINT  NOT NULL,
    revoked            INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE queue_tickets (
    id                 INTEGER PRIMARY KEY,
    area_id            BIGINT  NOT NULL REFERENCES queue_areas(id),
    reception_point_id BIGINT  NOT NULL REFERENCES reception_points(id),
    day                BIGINT  NOT NULL,
    number             INTEGER NOT NULL,
    issued_at          BIGINT  NOT NULL,
    state              TEXT    NOT NULL CHECK (state IN ('waiting', 'called', 'skipped', 'done')),
    first_called_at    BIGINT,
    called_at          BIGINT,
    called_by          BIGINT  NOT NULL DEFAULT 0,
    counter            TEXT    NOT NULL DEFAULT '',
    recalls            INTEGER NOT NULL DEFAULT 0,
    done_at            BIGINT,
    dossier_id         BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (area_id, day, number)
);
-- Calling the next ticket reads the waiting ones of a few areas, oldest
-- first; the display and the live page read a point's tickets of a day.
CREATE INDEX queue_tickets_waiting ON queue_tickets (area_id, issued_at) WHERE state = 'waiting';
CREATE INDEX queue_tickets_point ON queue_tickets (reception_point_id, issued_at);
CREATE INDEX queue_tickets_called ON queue_tickets (reception_point_id, called_at) WHERE called_at IS NOT NULL;

-- Workload: an officer's average handling time is read from the latest
-- events the officer recorded in a period, by this covering index (never a
-- scan of the history).
CREATE INDEX dossier_events_actor ON dossier_events (actor_id, at, dossier_id, seq);
-- The unfinished dossiers received at a reception point (the counter's
-- load) are a range of this small index.
CREATE INDEX dossiers_point_open ON dossiers (reception_point_id, due_at) WHERE received_at IS NOT NULL AND finished_at IS NULL;
