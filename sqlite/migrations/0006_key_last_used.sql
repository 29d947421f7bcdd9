-- When each API key (or a token issued from it) last authenticated a
-- request, written by the servers about once a minute (Unix microseconds).
ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
