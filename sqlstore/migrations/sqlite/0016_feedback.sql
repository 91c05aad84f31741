-- Ratings of returned dossiers (QĐ 766 indicator 5.4) and complaints and
-- suggestions (phản ánh, kiến nghị, PAKN; indicators 5.1–5.3).
--
-- dossier_ratings: one per dossier (UNIQUE: a second is refused); agency_id
-- is the dossier's competent agency; channel says where it was given
-- (lookup, citizen, counter); no personal data. Times are milliseconds
-- since the epoch, UTC.
CREATE TABLE dossier_ratings (
    id              INTEGER PRIMARY KEY,
    dossier_id      BIGINT  NOT NULL UNIQUE REFERENCES dossiers(id),
    agency_id       BIGINT  NOT NULL,
    level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    attitude        INTEGER NOT NULL CHECK (attitude BETWEEN 1 AND 5),
    trips           INTEGER NOT NULL CHECK (trips BETWEEN 0 AND 2),
    on_time         INTEGER NOT NULL CHECK (on_time IN (0, 1)),
    comment         TEXT    NOT NULL,
    channel         TEXT    NOT NULL CHECK (channel IN ('lookup', 'citizen', 'counter')),
    counter_user_id BIGINT  NOT NULL,
    at              BIGINT  NOT NULL
);
CREATE INDEX dossier_ratings_at ON dossier_ratings (at);

-- feedback: a complaint or suggestion. name and contact are personal data
-- (never published); secret_hash is the SHA-256 (hex) of the secret the
-- sender follows it with; public_content and public_answer are what the
-- public list shows once published_at is set. Due times are computed by
-- the service with the working-time calendar. version counts changes
-- (optimistic locking). agency_id 0: not yet assigned.
CREATE TABLE feedback (
    id              INTEGER PRIMARY KEY,
    code            TEXT    NOT NULL UNIQUE,
    secret_hash     TEXT    NOT NULL,
    channel         TEXT    NOT NULL CHECK (channel IN ('web', 'counter', 'phone', 'letter')),
    name            TEXT    NOT NULL,
    contact         TEXT    NOT NULL,
    content         TEXT    NOT NULL,
    dossier_code    TEXT    NOT NULL,
    dossier_id      BIGINT  NOT NULL,
    consent         INTEGER NOT NULL CHECK (consent IN (0, 1)),
    received_at     BIGINT  NOT NULL,
    received_by     BIGINT  NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('received', 'assigned', 'answered', 'rejected')),
    kind            TEXT    NOT NULL CHECK (kind IN ('', 'regulation', 'conduct', 'other')),
    topic           TEXT    NOT NULL,
    agency_id       BIGINT  NOT NULL,
    assignee_id     BIGINT  NOT NULL,
    repeat_of       BIGINT  NOT NULL,
    classified_at   BIGINT,
    classified_by   BIGINT  NOT NULL,
    answer          TEXT    NOT NULL,
    answered_at     BIGINT,
    answered_by     BIGINT  NOT NULL,
    published_at    BIGINT,
    published_by    BIGINT  NOT NULL,
    public_content  TEXT    NOT NULL,
    public_answer   TEXT    NOT NULL,
    answer_level    INTEGER NOT NULL CHECK (answer_level BETWEEN 0 AND 5),
    rated_at        BIGINT,
    classify_due_at BIGINT  NOT NULL,
    answer_due_at   BIGINT  NOT NULL,
    publish_due_at  BIGINT,
    version         INTEGER NOT NULL
);
CREATE INDEX feedback_received ON feedback (received_at);
CREATE INDEX feedback_agency ON feedback (agency_id, state, id);
CREATE INDEX feedback_published ON feedback (published_at, id);
CREATE INDEX feedback_dossier ON feedback (dossier_id);

-- The counter's rating tablet shows the dossier its officer returned last.
CREATE INDEX dossier_events_returned ON dossier_events (actor_id, at) WHERE action = 'return';
