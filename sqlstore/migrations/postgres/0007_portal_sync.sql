-- The national portal (DVCQG, issue 9). Outbox messages may carry an
-- ordering key: messages with the same key are delivered one at a time in
-- the order they were written (the portal must see a dossier's changes in
-- order); an empty key means no ordering.
ALTER TABLE outbox ADD COLUMN okey TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_key_pending ON outbox (okey, id) WHERE delivered_at IS NULL AND okey <> '';

-- What the portal holds of each dossier: the portal's code for dossiers
-- it forwarded (empty for the others, which the portal knows by their own
-- code), the last event queued for
-- it and the last one it accepted, when it first and last accepted, and the
-- last refusal. Indicator 1.4 of QĐ 766 is counted from these rows.
CREATE TABLE portal_sync (
    dossier_id      BIGINT  PRIMARY KEY REFERENCES dossiers(id),
    national_code   TEXT    NOT NULL,
    forwarded       BOOLEAN NOT NULL DEFAULT FALSE,
    queued_seq      INTEGER NOT NULL DEFAULT 0,
    synced_seq      INTEGER NOT NULL DEFAULT 0,
    first_synced_at BIGINT,
    synced_at       BIGINT,
    last_error      TEXT    NOT NULL DEFAULT '',
    last_error_at   BIGINT
);
CREATE UNIQUE INDEX portal_sync_national ON portal_sync (national_code) WHERE national_code <> '';

-- Messages received from the portal, by the portal's message id: a message
-- seen once is refused when it comes again (replay).
CREATE TABLE portal_messages (
    message_id    TEXT   PRIMARY KEY,
    kind          TEXT   NOT NULL,
    national_code TEXT   NOT NULL,
    received_at   BIGINT NOT NULL,
    dossier_id    BIGINT NOT NULL DEFAULT 0,
    outcome       TEXT   NOT NULL
);
CREATE INDEX portal_messages_at ON portal_messages (received_at);
