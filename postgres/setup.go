package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// withSetup is a queryer that sends setup, a statement without arguments
// (a plan's settings), in one batch with the next statement: one round
// trip instead of two. PostgreSQL runs a batch's statements in order and
// plans each when it comes to it, so settings made for the transaction
// (set_config's is_local) hold for the statement sent with them and, in a
// transaction (to is a pgx.Tx), for its later ones; a batch sent through
// the pool is a transaction of its own, which they end with.
type withSetup struct {
	to    batchSender
	setup string // sent with the next statement, then cleared
}

// batchSender is what a pool and a transaction have in common to send
// batches.
type batchSender interface {
	queryer
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Query implements queryer.
func (s *withSetup) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if s.setup == "" {
		return s.to.Query(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(s.setup)
	b.Queue(sql, args...)
	s.setup = ""
	br := s.to.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		return nil, errors.Join(err, br.Close())
	}
	rows, err := br.Query()
	if err != nil {
		return nil, errors.Join(err, br.Close())
	}
	return &batchRows{Rows: rows, batch: br}, nil
}

// QueryRow implements queryer.
func (s *withSetup) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := s.Query(ctx, sql, args...)
	return firstRow{rows, err}
}

// batchRows are the rows of a batch's last statement: once they are read
// or closed, so is the batch, whose error they then report.
type batchRows struct {
	pgx.Rows
	batch pgx.BatchResults
	err   error
}

// Next implements pgx.Rows.
func (r *batchRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Close()
	return false
}

// Close implements pgx.Rows.
func (r *batchRows) Close() {
	if r.batch == nil {
		return
	}
	r.Rows.Close()
	r.err = r.batch.Close()
	r.batch = nil
}

// Err implements pgx.Rows.
func (r *batchRows) Err() error { return errors.Join(r.Rows.Err(), r.err) }

// firstRow is the first row of rows, as pgx.Conn.QueryRow answers it.
type firstRow struct {
	rows pgx.Rows
	err  error
}

// Scan implements pgx.Row.
func (r firstRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}
