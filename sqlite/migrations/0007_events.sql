-- Events (every change of a client, written in the change's transaction),
-- the merchants' webhook endpoints, and the deliveries of events to them
-- with their attempts. Times are Unix microseconds (UTC).

-- seq orders events: the single writer commits them in seq order, so a
-- reader paging by seq never skips one.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT    NOT NULL UNIQUE,
    merchant_id INTEGER NOT NULL REFERENCES merchants (id),
    mode        TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    type        TEXT    NOT NULL,
    client_id   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    -- The client and, for an update, the earlier values (the root's
    -- EncodeEventData); NULL for a test event or once purged.
    data        BLOB
);

CREATE INDEX events_tenant ON events (merchant_id, mode, seq);
CREATE INDEX events_client ON events (merchant_id, mode, client_id, seq);
CREATE INDEX events_created ON events (created_at);

CREATE TABLE webhook_endpoints (
    id                    TEXT    PRIMARY KEY,
    merchant_id           INTEGER NOT NULL REFERENCES merchants (id),
    mode                  TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    url                   TEXT    NOT NULL,
    description           TEXT    NOT NULL,
    -- Comma-separated event types; '' for every type.
    events                TEXT    NOT NULL,
    enabled               INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    disabled_reason       TEXT    NOT NULL,
    failing_since         INTEGER,
    secret                TEXT    NOT NULL,
    previous_secret       TEXT    NOT NULL,
    previous_secret_until INTEGER NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (merchant_id, mode, created_at);

-- One row per event and endpoint. next_at is when the next attempt is
-- due; a loop that claims the delivery moves it past its lease, so a loop
-- that dies leaves it to be claimed again.
CREATE TABLE webhook_deliveries (
    endpoint_id TEXT    NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_seq   INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    client_id   INTEGER NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
    attempts    INTEGER NOT NULL,
    next_at     INTEGER NOT NULL,
    PRIMARY KEY (endpoint_id, event_seq)
) WITHOUT ROWID;

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
-- The oldest pending event of a client at an endpoint goes first.
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, client_id, event_seq) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_seq);

CREATE TABLE webhook_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id TEXT    NOT NULL,
    event_seq   INTEGER NOT NULL,
    attempt     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    status      INTEGER NOT NULL,
    latency_us  INTEGER NOT NULL,
    error       TEXT    NOT NULL,
    FOREIGN KEY (endpoint_id, event_seq) REFERENCES webhook_deliveries (endpoint_id, event_seq) ON DELETE CASCADE
);

CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (endpoint_id, event_seq);
