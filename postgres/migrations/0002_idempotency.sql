-- Idempotency keys: the answer to each change made with a key, kept for a
-- while so that a retry gets it again instead of making the change twice.
-- Distributed by merchant_id on Citus, like clients.
CREATE TABLE idempotency_keys (
    merchant_id bigint      NOT NULL REFERENCES merchants (id),
    mode        text        NOT NULL CHECK (mode IN ('test', 'live')),
    key         text        NOT NULL,
    fingerprint text        NOT NULL,
    status      integer     NOT NULL,
    location    text        NOT NULL,
    body        bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, mode, key)
);

-- For purging old keys across merchants (a local index on each shard).
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
