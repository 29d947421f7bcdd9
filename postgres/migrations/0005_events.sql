-- Events (every change of a client, written in the change's transaction),
-- the merchants' webhook endpoints, and the deliveries of events to them
-- with their attempts. Distributed by merchant_id on Citus, like clients:
-- every primary key and foreign key leads with it.

-- seq is drawn when a row is inserted, but transactions commit out of seq
-- order, so a reader paging by seq alone could pass over an event that
-- commits later with a smaller seq. xid is the writing transaction's id:
-- readers show only events whose transaction is older than every event
-- writer still running (see eventlock.go), ordered by (xid, seq), so no
-- event can later appear before a position already read.
CREATE TABLE events (
    merchant_id bigint      NOT NULL REFERENCES merchants (id),
    seq         bigint      GENERATED ALWAYS AS IDENTITY,
    xid         xid8        NOT NULL DEFAULT pg_current_xact_id(),
    id          text        NOT NULL,
    mode        text        NOT NULL CHECK (mode IN ('test', 'live')),
    type        text        NOT NULL,
    client_id   bigint      NOT NULL,
    created_at  timestamptz NOT NULL,
    -- The client and, for an update, the earlier values (the root's
    -- EncodeEventData); NULL for a test event or once purged.
    data        bytea,
    PRIMARY KEY (merchant_id, seq),
    UNIQUE (merchant_id, id)
);

CREATE INDEX events_tenant ON events (merchant_id, mode, xid, seq);
CREATE INDEX events_client ON events (merchant_id, mode, client_id, xid, seq);
CREATE INDEX events_created ON events (created_at);

CREATE TABLE webhook_endpoints (
    merchant_id           bigint      NOT NULL REFERENCES merchants (id),
    id                    text        NOT NULL,
    mode                  text        NOT NULL CHECK (mode IN ('test', 'live')),
    url                   text        NOT NULL,
    description           text        NOT NULL,
    -- Event types; empty for every type.
    events                text[]      NOT NULL,
    enabled               boolean     NOT NULL,
    disabled_reason       text        NOT NULL,
    failing_since         timestamptz,
    secret                text        NOT NULL,
    previous_secret       text        NOT NULL,
    previous_secret_until timestamptz NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, id)
);

CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (merchant_id, mode, created_at);

-- One row per event and endpoint. next_at is when the next attempt is
-- due; a server that claims the delivery (FOR UPDATE SKIP LOCKED) moves it
-- past its lease, so a server that dies leaves it to another.
CREATE TABLE webhook_deliveries (
    merchant_id bigint      NOT NULL,
    endpoint_id text        NOT NULL,
    event_seq   bigint      NOT NULL,
    client_id   bigint      NOT NULL,
    state       text        NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
    attempts    integer     NOT NULL,
    next_at     timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, endpoint_id, event_seq),
    FOREIGN KEY (merchant_id, endpoint_id) REFERENCES webhook_endpoints (merchant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (merchant_id, event_seq) REFERENCES events (merchant_id, seq) ON DELETE CASCADE
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
-- The oldest pending event of a client at an endpoint goes first.
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (merchant_id, endpoint_id, client_id, event_seq) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (merchant_id, event_seq);

CREATE TABLE webhook_attempts (
    merchant_id bigint      NOT NULL,
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    endpoint_id text        NOT NULL,
    event_seq   bigint      NOT NULL,
    attempt     integer     NOT NULL,
    at          timestamptz NOT NULL,
    status      integer     NOT NULL,
    latency_us  bigint      NOT NULL,
    error       text        NOT NULL,
    PRIMARY KEY (merchant_id, id),
    FOREIGN KEY (merchant_id, endpoint_id, event_seq)
        REFERENCES webhook_deliveries (merchant_id, endpoint_id, event_seq) ON DELETE CASCADE
);

CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (merchant_id, endpoint_id, id);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (merchant_id, endpoint_id, event_seq);
