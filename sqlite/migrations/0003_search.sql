-- Lists that stay fast at millions of clients.

-- Each tenant's number of clients, kept by triggers, so that an unfiltered
-- list's total_count is one row read instead of a count.
CREATE TABLE client_counts (
    merchant_id INTEGER NOT NULL,
    mode        TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, mode)
) WITHOUT ROWID;

INSERT INTO client_counts (merchant_id, mode, n)
SELECT merchant_id, mode, count(*) FROM clients GROUP BY merchant_id, mode;

CREATE TRIGGER clients_count_insert AFTER INSERT ON clients BEGIN
    INSERT INTO client_counts (merchant_id, mode, n) VALUES (new.merchant_id, new.mode, 1)
    ON CONFLICT (merchant_id, mode) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER clients_count_delete AFTER DELETE ON clients BEGIN
    UPDATE client_counts SET n = n - 1 WHERE merchant_id = old.merchant_id AND mode = old.mode;
END;

-- A trigram index of search_text: keyword search of three characters or
-- more finds its rows through it instead of reading every client. The text
-- is folded already, so the index compares it exactly.
CREATE VIRTUAL TABLE clients_search USING fts5 (
    search_text, content = 'clients', content_rowid = 'id', tokenize = 'trigram case_sensitive 1'
);

INSERT INTO clients_search (clients_search) VALUES ('rebuild');

CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO clients_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
    INSERT INTO clients_search (clients_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;

CREATE TRIGGER clients_search_update AFTER UPDATE OF search_text ON clients BEGIN
    INSERT INTO clients_search (clients_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO clients_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
