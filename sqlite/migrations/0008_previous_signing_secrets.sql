-- Signing secrets rotated out (fatora secret rotate): tokens they signed
-- still verify until they expire, or until the operator revokes them
-- (fatora secret rotate --revoke-previous deletes the rows). Times are Unix
-- microseconds.
CREATE TABLE previous_signing_secrets (
    id         TEXT    PRIMARY KEY,
    secret     BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    retired_at INTEGER NOT NULL
);
