-- The dashboard's sessions and one-time sign-in links (fatora dashboard
-- link). Only the SHA-256 of a token is kept. A session begun with an API
-- key names it (api_key_id), so that revoking the key ends the session; a
-- link's session has none. Small tables read by token: reference tables on
-- Citus, as api_keys is.
CREATE TABLE dashboard_sessions (
    token_hash   bytea       PRIMARY KEY,
    merchant_id  bigint      NOT NULL REFERENCES merchants (id),
    mode         text        NOT NULL CHECK (mode IN ('test', 'live')),
    api_key_id   text        REFERENCES api_keys (id),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    lang         text        NOT NULL DEFAULT '',
    user_agent   text        NOT NULL DEFAULT ''
);

CREATE INDEX dashboard_sessions_by_last_seen ON dashboard_sessions (last_seen_at);

CREATE TABLE dashboard_links (
    token_hash  bytea       PRIMARY KEY,
    merchant_id bigint      NOT NULL REFERENCES merchants (id),
    mode        text        NOT NULL CHECK (mode IN ('test', 'live')),
    expires_at  timestamptz NOT NULL
);

-- The dashboard lists a tenant's clients by name (fatora.OrderName),
-- compared as bytes, as SQLite compares them.
CREATE INDEX clients_by_name ON clients (merchant_id, mode, name COLLATE "C", id);
