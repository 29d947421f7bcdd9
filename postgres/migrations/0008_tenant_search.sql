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
-- Without fastupdate: its pending list holds every tenant's latest entries
-- unsorted, and every search read all of it (500 pages, 10 ms, more or
-- less as others wrote).
DROP INDEX clients_search;
CREATE INDEX clients_terms ON clients USING gin (search_terms(merchant_id, mode, search_text))
    WITH (fastupdate = off) WHERE search_version >= 2;

-- Clients written from now on are keyed by this version.
ALTER TABLE clients ALTER COLUMN search_version SET DEFAULT 2;
