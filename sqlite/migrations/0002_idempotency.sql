-- Idempotency keys: the answer to each change made with a key, kept for a
-- while so that a retry gets it again instead of making the change twice.
CREATE TABLE idempotency_keys (
    merchant_id INTEGER NOT NULL REFERENCES merchants (id),
    mode        TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    key         TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    location    TEXT    NOT NULL,
    body        BLOB    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, mode, key)
) WITHOUT ROWID;

-- For purging old keys across merchants.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
