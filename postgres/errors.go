package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/fatora-oss/fatora"
)

// mapError turns driver failures the caller can act on into *fatora.Error:
// no row is not_found; a lost, overloaded, shutting-down or slow server and
// a serialization failure or deadlock are unavailable (the transaction was
// rolled back, a retry may succeed). Anything else is returned wrapped, to
// be logged and answered as an internal error.
func mapError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pgx.ErrNoRows):
		return fatora.Errorf(fatora.CodeNotFound, "Not found.")
	case timedOut(err):
		return fatora.DatabaseTimedOut(err)
	case transient(err):
		return fatora.DatabaseUnavailable(err)
	}
	return fmt.Errorf("postgres: %w", err)
}

// timedOut reports whether err is the context's deadline or the server's
// statement_timeout (57014 query_canceled).
func timedOut(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) || sqlState(err) == "57014"
}

// transient reports whether err means the server could not do the work now
// but may later: the connection failed or was lost, or the server refused
// the work for a reason that passes.
func transient(err error) bool {
	if code := sqlState(err); code != "" {
		return transientState(code)
	}
	var connErr *pgconn.ConnectError
	var netErr net.Error
	return pgconn.SafeToRetry(err) || errors.As(err, &connErr) || errors.As(err, &netErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// transientState reports whether a SQLSTATE means the work may succeed if
// retried: connection exceptions (class 08), insufficient resources (53),
// an administrator or crash shutdown or a server still starting (57P01-03),
// a serialization failure (40001) or a deadlock (40P01).
func transientState(code string) bool {
	switch {
	case strings.HasPrefix(code, "08"), strings.HasPrefix(code, "53"):
		return true
	}
	switch code {
	case "57P01", "57P02", "57P03", "40001", "40P01":
		return true
	}
	return false
}

// sqlState returns the SQLSTATE of a server error, or "" for other errors.
func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool { return sqlState(err) == "23505" }
