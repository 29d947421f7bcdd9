-- Merchants, their API keys, the token signing secret and their clients.
-- Times are timestamptz (microseconds, UTC in and out).
--
-- Laid out to be distributed by merchant with Citus: clients, the one table
-- that grows with merchant data, has merchant_id first in its primary key,
-- its unique constraint and every index, so it can be distributed on
-- merchant_id. merchants, api_keys and signing_secrets are small and read on
-- every request: on Citus they would be reference tables (a copy on every
-- node), which is why api_keys may keep unique constraints without
-- merchant_id.

CREATE TABLE merchants (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number       text        NOT NULL UNIQUE,
    name         text        NOT NULL,
    email        text        NOT NULL,
    email_folded text        NOT NULL UNIQUE,
    disabled     boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL
);

-- Reference table on Citus (see above).
CREATE TABLE api_keys (
    merchant_id bigint      NOT NULL REFERENCES merchants (id),
    id          text        NOT NULL UNIQUE,
    mode        text        NOT NULL CHECK (mode IN ('test', 'live')),
    prefix      text        NOT NULL,
    hash        bytea       NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    PRIMARY KEY (merchant_id, id)
);

-- One row at most: the secret every server on this database signs with.
-- Reference table on Citus (see above).
CREATE TABLE signing_secrets (
    slot       smallint    PRIMARY KEY CHECK (slot = 1),
    id         text        NOT NULL,
    secret     bytea       NOT NULL,
    created_at timestamptz NOT NULL
);

-- Distributed by merchant_id on Citus. The identity never hands out a value
-- twice, so a deleted client's id is never given to another client.
CREATE TABLE clients (
    merchant_id  bigint      NOT NULL REFERENCES merchants (id),
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    mode         text        NOT NULL CHECK (mode IN ('test', 'live')),
    name         text        NOT NULL,
    phone        text        NOT NULL,
    email        text        NOT NULL,
    address      text        NOT NULL,
    notes        text        NOT NULL,
    email_folded text        NOT NULL,
    phone_digits text        NOT NULL,
    search_text  text        NOT NULL,
    dedup        text        NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, id),
    CONSTRAINT clients_dedup UNIQUE (merchant_id, mode, dedup)
);

-- Tenant lists in id order, and exact e-mail lookups within a tenant.
CREATE INDEX clients_tenant ON clients (merchant_id, mode, id);
CREATE INDEX clients_email ON clients (merchant_id, mode, email_folded);
