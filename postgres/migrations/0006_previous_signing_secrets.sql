-- Signing secrets rotated out (fatora secret rotate): tokens they signed
-- still verify until they expire, or until the operator revokes them
-- (fatora secret rotate --revoke-previous deletes the rows). A reference
-- table on Citus, as signing_secrets is.
CREATE TABLE previous_signing_secrets (
    id         text        PRIMARY KEY,
    secret     bytea       NOT NULL,
    created_at timestamptz NOT NULL,
    retired_at timestamptz NOT NULL
);
