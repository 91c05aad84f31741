-- Payments of dossiers' fees: online through the national payment platform
-- or cash at the counter. state moves only forward, from 'pending' to
-- 'paid', 'failed' or 'cancelled' (the store updates a row only WHERE
-- state = 'pending'). reference is the platform's MaThamChieu (unique).
-- fees is the JSON list of fee lines paid. Times are milliseconds since
-- the epoch, UTC; paid_at is NULL unless paid.
CREATE TABLE payments (
    id             INTEGER PRIMARY KEY,
    dossier_id     BIGINT  NOT NULL REFERENCES dossiers(id),
    method         TEXT    NOT NULL CHECK (method IN ('online', 'cash')),
    amount         BIGINT  NOT NULL CHECK (amount >= 0),
    fees           TEXT    NOT NULL,
    reference      TEXT    NOT NULL UNIQUE,
    state          TEXT    NOT NULL CHECK (state IN ('pending', 'paid', 'failed', 'cancelled')),
    transaction_id TEXT    NOT NULL,
    receipt_number TEXT    NOT NULL,
    receipt_url    TEXT    NOT NULL,
    paid_at        BIGINT,
    recorded_by    BIGINT  NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX payments_dossier ON payments (dossier_id, id);
-- Reconciliation reads the pending payments, oldest first.
CREATE INDEX payments_state ON payments (state, created_at);
