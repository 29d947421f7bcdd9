package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/fatora-oss/fatora"
)

// mapError turns driver failures the caller can act on into *fatora.Error:
// no row is not_found; a busy, full or failing database is unavailable (the
// transaction was rolled back, a retry may succeed). Anything else is
// returned wrapped, to be logged and answered as an internal error.
func mapError(err error) error {
	var se *sqlite.Error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return fatora.Errorf(fatora.CodeNotFound, "Not found.")
	case errors.Is(err, context.Canceled):
		return &fatora.Error{Code: fatora.CodeUnavailable, Message: "The request was cancelled.", Cause: err}
	case errors.Is(err, context.DeadlineExceeded):
		return fatora.DatabaseTimedOut(err)
	case errors.As(err, &se) && transient(se.Code()):
		return fatora.DatabaseUnavailable(err)
	}
	return fmt.Errorf("sqlite: %w", err)
}

// transient reports whether a result code means the database could not do
// the work now but may later.
func transient(code int) bool {
	switch code & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR,
		sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY:
		return true
	}
	return false
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// isBusy reports whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}
