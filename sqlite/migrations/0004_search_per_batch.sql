-- Keep the trigram index up to date once per write transaction instead of
-- once per statement: FTS5 flushes its pending changes to disk whenever a
-- statement opens a savepoint, which a write to it through a trigger does,
-- so per-row triggers cost a flush (and a tiny segment) per client.
--
-- The triggers now only note, per client, the text the index held before
-- the transaction (NULL for a client new in it). Before each commit the
-- writer removes those texts from the index and adds the current text of
-- every noted client that still exists, in two statements, then forgets
-- the notes (see the writer in batch.go). Readers only ever see committed
-- transactions, in which the index and the clients agree.

DROP TRIGGER clients_search_insert;
DROP TRIGGER clients_search_delete;
DROP TRIGGER clients_search_update;

CREATE TABLE clients_search_pending (
    id       INTEGER PRIMARY KEY,
    old_text TEXT
);

CREATE TRIGGER clients_search_note_insert AFTER INSERT ON clients BEGIN
    INSERT OR IGNORE INTO clients_search_pending (id, old_text) VALUES (new.id, NULL);
END;

CREATE TRIGGER clients_search_note_update AFTER UPDATE OF search_text ON clients BEGIN
    INSERT OR IGNORE INTO clients_search_pending (id, old_text) VALUES (old.id, old.search_text);
END;

CREATE TRIGGER clients_search_note_delete AFTER DELETE ON clients BEGIN
    INSERT OR IGNORE INTO clients_search_pending (id, old_text) VALUES (old.id, old.search_text);
END;
