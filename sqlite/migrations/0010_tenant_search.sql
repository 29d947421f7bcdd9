-- Search that reads Arabic and phone numbers and keeps each tenant's data
-- to itself.

-- Each merchant's default region reads its clients' phones written without
-- a country prefix.
ALTER TABLE merchants ADD COLUMN region TEXT NOT NULL DEFAULT 'QA';

-- The version of each client's match keys (fatora.SearchVersion). The
-- store keys the clients of an earlier version anew, in batches, once it
-- opens (see rekey.go); until then keyword search reads them directly,
-- through the partial index, which is empty once they are done.
ALTER TABLE clients ADD COLUMN search_version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX clients_rekey ON clients (merchant_id, mode, id) WHERE search_version < 2;

-- The trigram index was shared by every tenant, so a search walked other
-- tenants' entries for its words, and took longer the more of them there
-- were. Its replacement indexes the terms of fatora.SearchTerms as tokens
-- that begin with the tenant (merchant id and mode), made by the function
-- search_terms the store registers: a search looks up its own tenant's
-- posting lists only. Contentless (the text is in clients), without
-- positions (detail none: a search needs only which clients hold a term),
-- and deleted from by rowid.
DROP TRIGGER clients_search_note_insert;
DROP TRIGGER clients_search_note_update;
DROP TRIGGER clients_search_note_delete;
DROP TABLE clients_search_pending;
DROP TABLE clients_search;

CREATE VIRTUAL TABLE client_terms USING fts5 (
    terms, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii'
);
INSERT INTO client_terms (client_terms, rank) VALUES ('automerge', 8);
INSERT INTO client_terms (client_terms, rank) VALUES ('crisismerge', 32);

-- The clients changed since the index last caught up (see writer.end),
-- by tenant, so that a search reads only its own. indexed says whether the
-- client was in the index before (its entry is to be removed).
CREATE TABLE clients_search_pending (
    id          INTEGER PRIMARY KEY,
    merchant_id INTEGER NOT NULL,
    mode        TEXT    NOT NULL,
    indexed     INTEGER NOT NULL
);
CREATE INDEX clients_search_pending_tenant ON clients_search_pending (merchant_id, mode, id);

CREATE TRIGGER clients_search_note_insert AFTER INSERT ON clients BEGIN
    INSERT OR IGNORE INTO clients_search_pending (id, merchant_id, mode, indexed) VALUES (new.id, new.merchant_id, new.mode, 0);
END;

CREATE TRIGGER clients_search_note_update AFTER UPDATE OF search_text, search_version ON clients BEGIN
    INSERT OR IGNORE INTO clients_search_pending (id, merchant_id, mode, indexed)
    VALUES (old.id, old.merchant_id, old.mode, old.search_version >= 2);
END;

CREATE TRIGGER clients_search_note_delete AFTER DELETE ON clients BEGIN
    INSERT OR IGNORE INTO clients_search_pending (id, merchant_id, mode, indexed)
    VALUES (old.id, old.merchant_id, old.mode, old.search_version >= 2);
END;
