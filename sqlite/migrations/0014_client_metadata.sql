-- Client metadata: a JSON object of string keys and values ('{}' when
-- empty), and an index of its pairs (client_metadata) that the list's
-- metadata[key]=value filter reads in client id order. Triggers keep the
-- index in step with every insert, change and delete of a client.
ALTER TABLE clients ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';

CREATE TABLE client_metadata (
    merchant_id INTEGER NOT NULL,
    mode        TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    client_id   INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, mode, key, value, client_id)
) WITHOUT ROWID;

CREATE TRIGGER clients_metadata_insert AFTER INSERT ON clients WHEN new.metadata <> '{}' BEGIN
    INSERT INTO client_metadata (merchant_id, mode, key, value, client_id)
    SELECT new.merchant_id, new.mode, key, value, new.id FROM json_each(new.metadata);
END;

CREATE TRIGGER clients_metadata_update AFTER UPDATE OF metadata ON clients WHEN old.metadata <> new.metadata BEGIN
    DELETE FROM client_metadata WHERE merchant_id = old.merchant_id AND mode = old.mode AND client_id = old.id
        AND (key, value) IN (SELECT key, value FROM json_each(old.metadata));
    INSERT INTO client_metadata (merchant_id, mode, key, value, client_id)
    SELECT new.merchant_id, new.mode, key, value, new.id FROM json_each(new.metadata);
END;

CREATE TRIGGER clients_metadata_delete AFTER DELETE ON clients WHEN old.metadata <> '{}' BEGIN
    DELETE FROM client_metadata WHERE merchant_id = old.merchant_id AND mode = old.mode AND client_id = old.id
        AND (key, value) IN (SELECT key, value FROM json_each(old.metadata));
END;
