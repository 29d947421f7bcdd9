-- Each write transaction adds a small segment to the trigram index, and
-- FTS5 merges segments as they pile up. Merging 16 at a time instead of 4
-- halves how often a row is rewritten by merges, the main cost of keeping
-- the index, for a few more segments to read per search.
INSERT INTO clients_search (clients_search, rank) VALUES ('automerge', 16);
