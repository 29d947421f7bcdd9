-- A keyword's count from the terms index, a bucket of client ids at a time.
--
-- The index's bitmap of a keyword's terms is built whole before any row is
-- read: for a keyword held by 25,000 of a merchant's 1,000,000 clients,
-- about 11 ms to count its first 101 matches (docs/search.md). Each
-- client's entries now also hold its bucket: the tenant, a tab (no term
-- holds one: the fold makes every white space a space) and its id divided
-- by 4,096. A search adds a bucket's term to the keyword's terms, so the
-- index gives that bucket's matches only, and counts (and pages) bucket
-- after bucket until it has enough (see postgres/buckets.go). The entry begins with the tenant, as every other
-- one does, so a lookup still never reaches another tenant's postings.
--
-- The expression is the index's: the terms column and the queries are
-- unchanged but for it (termsIndexed in postgres/buckets.go is the same
-- text, as the planner matches them). Building it reads every client once
-- and blocks writes meanwhile: 3 to 3.5 minutes for 2,000,000 clients on
-- the 2-core test machine.
DROP INDEX clients_terms;
CREATE INDEX clients_terms ON clients
    USING gin (array_append(terms, merchant_id::text || left(mode, 1) || E'\t' || (id >> 12)::text))
    WITH (fastupdate = on, gin_pending_list_limit = 64) WHERE search_version >= 2;
