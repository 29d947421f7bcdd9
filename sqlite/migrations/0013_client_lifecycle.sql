-- The client lifecycle: a delete is soft (deleted_at, Unix microseconds,
-- NULL for a live client) and can be undone within the retention period;
-- the purge then removes the client. The "same data" rule covers live
-- clients only, so the same client can be created again after a delete.
-- The kept tally counts live clients. An idempotency record names the
-- client its answer shows (client_id, 0 if none), so that erasing the
-- client can empty the answer.
ALTER TABLE clients ADD COLUMN deleted_at INTEGER;

DROP INDEX clients_dedup;
CREATE UNIQUE INDEX clients_dedup ON clients (merchant_id, mode, dedup) WHERE deleted_at IS NULL;
CREATE INDEX clients_deleted ON clients (merchant_id, mode, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX clients_deleted_at ON clients (deleted_at) WHERE deleted_at IS NOT NULL;

DROP TRIGGER clients_count_delete;

CREATE TRIGGER clients_count_delete AFTER DELETE ON clients WHEN old.deleted_at IS NULL BEGIN
    UPDATE client_counts SET n = n - 1 WHERE merchant_id = old.merchant_id AND mode = old.mode;
END;

CREATE TRIGGER clients_count_soft_delete AFTER UPDATE OF deleted_at ON clients
WHEN old.deleted_at IS NULL AND new.deleted_at IS NOT NULL BEGIN
    UPDATE client_counts SET n = n - 1 WHERE merchant_id = old.merchant_id AND mode = old.mode;
END;

CREATE TRIGGER clients_count_restore AFTER UPDATE OF deleted_at ON clients
WHEN old.deleted_at IS NOT NULL AND new.deleted_at IS NULL BEGIN
    INSERT INTO client_counts (merchant_id, mode, n) VALUES (new.merchant_id, new.mode, 1)
    ON CONFLICT (merchant_id, mode) DO UPDATE SET n = n + 1;
END;

ALTER TABLE idempotency_keys ADD COLUMN client_id INTEGER NOT NULL DEFAULT 0;
