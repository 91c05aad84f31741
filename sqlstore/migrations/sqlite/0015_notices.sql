-- Warnings that reach people and notices to citizens (issue 13).
--
-- dossier_warnings: every deadline warning and escalation, one per dossier,
-- clock, agency, level and due time (the scheduler's work happens once
-- whatever the number of instances); shown in the dossier's history.
CREATE TABLE dossier_warnings (
    id         INTEGER PRIMARY KEY,
    dossier_id BIGINT  NOT NULL REFERENCES dossiers(id),
    code       TEXT    NOT NULL,
    clock      TEXT    NOT NULL,
    agency_id  BIGINT  NOT NULL,
    level      TEXT    NOT NULL,
    due_at     BIGINT  NOT NULL,
    at         BIGINT  NOT NULL,
    recipients TEXT    NOT NULL,
    UNIQUE (dossier_id, clock, agency_id, level, due_at)
);

-- staff_notifications: the in-app list behind the bell of staff pages.
CREATE TABLE staff_notifications (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users(id),
    dossier_id BIGINT  NOT NULL,
    code       TEXT    NOT NULL,
    level      TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    at         BIGINT  NOT NULL,
    read_at    BIGINT
);
CREATE INDEX staff_notifications_user ON staff_notifications (user_id, id);
CREATE INDEX staff_notifications_unread ON staff_notifications (user_id) WHERE read_at IS NULL;

-- notice_templates: the templates an administrator changed (the others are
-- built in).
CREATE TABLE notice_templates (
    event      TEXT   NOT NULL,
    channel    TEXT   NOT NULL,
    subject    TEXT   NOT NULL,
    body       TEXT   NOT NULL,
    updated_by BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (event, channel)
);

-- The warning job reads unfinished dossiers by their next deadline.
CREATE INDEX dossiers_next_due ON dossiers (next_due_at, id) WHERE finished_at IS NULL;
