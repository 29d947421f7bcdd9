-- Merchants, their API keys, the token signing secret and their clients.
-- Times are Unix microseconds (UTC).

CREATE TABLE merchants (
    id           INTEGER PRIMARY KEY,
    number       TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    email        TEXT    NOT NULL,
    email_folded TEXT    NOT NULL UNIQUE,
    disabled     INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at   INTEGER NOT NULL
);

CREATE TABLE api_keys (
    merchant_id INTEGER NOT NULL REFERENCES merchants (id),
    id          TEXT    NOT NULL UNIQUE,
    mode        TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    prefix      TEXT    NOT NULL,
    hash        BLOB    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    PRIMARY KEY (merchant_id, id)
) WITHOUT ROWID;

CREATE TABLE signing_secrets (
    slot       INTEGER PRIMARY KEY CHECK (slot = 1),
    id         TEXT    NOT NULL,
    secret     BLOB    NOT NULL,
    created_at INTEGER NOT NULL
);

-- AUTOINCREMENT: a deleted client's id is never given to another client.
CREATE TABLE clients (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id  INTEGER NOT NULL REFERENCES merchants (id),
    mode         TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    name         TEXT    NOT NULL,
    phone        TEXT    NOT NULL,
    email        TEXT    NOT NULL,
    address      TEXT    NOT NULL,
    notes        TEXT    NOT NULL,
    email_folded TEXT    NOT NULL,
    phone_digits TEXT    NOT NULL,
    search_text  TEXT    NOT NULL,
    dedup        TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- Every index leads with the tenant; the rowid (id) ends each of them, so
-- tenant lists come out in id order.
CREATE INDEX clients_tenant ON clients (merchant_id, mode);
CREATE UNIQUE INDEX clients_dedup ON clients (merchant_id, mode, dedup);
CREATE INDEX clients_email ON clients (merchant_id, mode, email_folded);
