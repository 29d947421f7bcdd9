-- Search that reads Arabic and phone numbers and keeps each tenant's data
-- to itself.

-- Each merchant's default region reads its clients' phones written without
-- a country prefix.
ALTER TABLE merchants ADD COLUMN region text NOT NULL DEFAULT 'QA';

-- The version of each client's match keys (fatora.SearchVersion). The
-- store keys the clients of an earlier version anew, in batches, once it
-- opens (see rekey.go); until then keyword search reads them directly,
-- through the partial index, which is empty once they are done.
ALTER TABLE clients ADD COLUMN search_version integer NOT NULL DEFAULT 1;
CREATE INDEX clients_rekey ON clients (merchant_id, mode, id) WHERE search_version < 2;

-- The terms of fatora.SearchTerms, each prefixed by the tenant (merchant
-- id, then t or l for the mode): every three characters of a line, and
-- "\n" followed by the first one and two characters of each word (a run
-- of characters other than ASCII punctuation, symbols, spaces and line
-- breaks). The Go code computes the same terms; storetest checks that the
-- two agree.
CREATE FUNCTION search_terms(merchant_id bigint, mode text, search_text text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT merchant_id::text || left(mode, 1) || term), '{}')
    FROM (
        SELECT substr(line, i, 3) AS term
        FROM regexp_split_to_table(search_text, E'\n') AS line, generate_series(1, char_length(line) - 2) AS i
        UNION ALL
        SELECT E'\n' || left(word, n)
        FROM regexp_split_to_table(search_text, '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+') AS word, generate_series(1, 2) AS n
        WHERE word <> ''
    ) AS terms
$$;

-- The trigram index's entries (pg_trgm) were shared by every tenant: a
-- search read other tenants' postings for its trigrams. In this one every
-- key begins with the tenant, so a search reads its own tenant's only.
-- The writes store each client's terms (fatora.SearchTerms, prefixed by
-- the tenant) in terms; search_terms() above computes the same in SQL for
-- the re-keying of existing clients. Computed in the index expression
-- instead, they cost PostgreSQL about 150 µs a client on every write.
--
-- The pending list (fastupdate) holds the latest entries of every tenant,
-- unsorted, and every search reads all of it: at the default 4 MB that
-- was 500 pages and 10 ms, more or less as others wrote. Without one, each
-- term went into the index on its own, which made a create three times as
-- costly. At 64 kB (8 pages) a search reads at most 8 pages more, whatever
-- the searched word and whatever those entries hold (another tenant's
-- entries never match a tenant's terms, so none of its clients is
-- visited): it tells no more than that someone wrote lately.
ALTER TABLE clients ADD COLUMN terms text[] NOT NULL DEFAULT '{}';
DROP INDEX clients_search;
CREATE INDEX clients_terms ON clients USING gin (terms)
    WITH (fastupdate = on, gin_pending_list_limit = 64) WHERE search_version >= 2;

-- Clients written from now on are keyed by this version.
ALTER TABLE clients ALTER COLUMN search_version SET DEFAULT 2;
