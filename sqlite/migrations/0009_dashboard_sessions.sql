-- The dashboard's sessions and one-time sign-in links (fatora dashboard
-- link). Only the SHA-256 of a token is kept. A session begun with an API
-- key names it (api_key_id), so that revoking the key ends the session; a
-- link's session has none. Times are Unix microseconds.
CREATE TABLE dashboard_sessions (
    token_hash   BLOB    PRIMARY KEY,
    merchant_id  INTEGER NOT NULL REFERENCES merchants (id),
    mode         TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    api_key_id   TEXT    REFERENCES api_keys (id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    lang         TEXT    NOT NULL DEFAULT '',
    user_agent   TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE INDEX dashboard_sessions_by_last_seen ON dashboard_sessions (last_seen_at);

CREATE TABLE dashboard_links (
    token_hash  BLOB    PRIMARY KEY,
    merchant_id INTEGER NOT NULL REFERENCES merchants (id),
    mode        TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    expires_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- The dashboard lists a tenant's clients by name (fatora.OrderName).
CREATE INDEX clients_by_name ON clients (merchant_id, mode, name);
