-- The client lifecycle: a delete is soft (deleted_at, NULL for a live
-- client) and can be undone within the retention period; the purge then
-- removes the client. The "same data" rule covers live clients only, so
-- the same client can be created again after a delete. The kept tally
-- counts live clients. An idempotency record names the client its answer
-- shows (client_id, 0 if none), so that erasing the client can empty the
-- answer.
ALTER TABLE clients ADD COLUMN deleted_at timestamptz;

ALTER TABLE clients DROP CONSTRAINT clients_dedup;
CREATE UNIQUE INDEX clients_dedup ON clients (merchant_id, mode, dedup) WHERE deleted_at IS NULL;
CREATE INDEX clients_deleted ON clients (merchant_id, mode, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX clients_deleted_at ON clients (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE OR REPLACE FUNCTION clients_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta bigint := 0;
    changed clients;
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := NEW;
        IF NEW.deleted_at IS NULL THEN delta := 1; END IF;
    ELSIF TG_OP = 'DELETE' THEN
        changed := OLD;
        IF OLD.deleted_at IS NULL THEN delta := -1; END IF;
    ELSE
        changed := NEW;
        IF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN delta := -1; END IF;
        IF OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN delta := 1; END IF;
    END IF;
    IF delta <> 0 THEN
        INSERT INTO client_counts (merchant_id, mode, slot, n) VALUES (changed.merchant_id, changed.mode, pg_backend_pid() % 16, delta)
        ON CONFLICT (merchant_id, mode, slot) DO UPDATE SET n = client_counts.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER clients_count ON clients;
CREATE TRIGGER clients_count AFTER INSERT OR DELETE OR UPDATE OF deleted_at ON clients
    FOR EACH ROW EXECUTE FUNCTION clients_count();

ALTER TABLE idempotency_keys ADD COLUMN client_id bigint NOT NULL DEFAULT 0;
