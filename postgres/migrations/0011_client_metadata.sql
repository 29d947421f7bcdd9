-- Client metadata: a JSON object of string keys and values ('{}' when
-- empty), indexed per tenant for the list's metadata[key]=value filter
-- (containment, @>).
ALTER TABLE clients ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}';

CREATE INDEX clients_metadata ON clients USING gin (merchant_id, mode, metadata jsonb_path_ops);
