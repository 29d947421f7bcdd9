-- Lists that stay fast at millions of clients.

-- Trigram indexes (pg_trgm) find keyword matches without reading every
-- client; btree_gin lets the same index lead with the tenant. Both are
-- trusted extensions: a database owner may create them. They live in
-- public, where every schema's queries find them; servers migrating
-- several schemas at once may race to create them, which is harmless.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
    CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;
EXCEPTION WHEN unique_violation OR duplicate_object THEN
    NULL;
END
$$;

CREATE INDEX clients_search ON clients USING gin (merchant_id, mode, search_text public.gin_trgm_ops);

-- Each tenant's number of clients, kept by a trigger, so that an unfiltered
-- list's total_count reads a few rows instead of counting. Each connection
-- adds to its own slot, so concurrent writers never wait on one row.
CREATE TABLE client_counts (
    merchant_id bigint  NOT NULL REFERENCES merchants (id),
    mode        text    NOT NULL,
    slot        integer NOT NULL,
    n           bigint  NOT NULL,
    PRIMARY KEY (merchant_id, mode, slot)
);

INSERT INTO client_counts (merchant_id, mode, slot, n)
SELECT merchant_id, mode, 0, count(*) FROM clients GROUP BY merchant_id, mode;

CREATE FUNCTION clients_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO client_counts (merchant_id, mode, slot, n) VALUES (NEW.merchant_id, NEW.mode, pg_backend_pid() % 16, 1)
        ON CONFLICT (merchant_id, mode, slot) DO UPDATE SET n = client_counts.n + 1;
    ELSE
        INSERT INTO client_counts (merchant_id, mode, slot, n) VALUES (OLD.merchant_id, OLD.mode, pg_backend_pid() % 16, -1)
        ON CONFLICT (merchant_id, mode, slot) DO UPDATE SET n = client_counts.n - 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER clients_count AFTER INSERT OR DELETE ON clients FOR EACH ROW EXECUTE FUNCTION clients_count();
