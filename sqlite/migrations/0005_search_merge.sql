-- Each write transaction adds a small segment to the trigram index, and
-- FTS5 merges segments as they pile up. Merging 8 at a time instead of 4
-- cuts how often a row is rewritten by merges, the main cost of keeping the
-- index, for a few more segments to read per search. The "crisis" merge,
-- which merges a whole level at once inside one commit (seen stalling a
-- commit for over half a second when it equalled the automerge setting),
-- waits for 32 segments.
INSERT INTO clients_search (clients_search, rank) VALUES ('automerge', 8);
INSERT INTO clients_search (clients_search, rank) VALUES ('crisismerge', 32);
