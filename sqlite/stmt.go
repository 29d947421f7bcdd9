package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// runner runs statements: a pool, a connection or a transaction.
type runner interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// preparer is a pool or a connection: a runner that can prepare.
type preparer interface {
	runner
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// cachedRunner runs each SQL text as a statement prepared once on its pool
// or connection, instead of parsing it on every call. A statement that
// cannot be prepared is run as text, which reports the error.
type cachedRunner struct {
	src   preparer
	stmts sync.Map // SQL text -> *sql.Stmt
}

func newCachedRunner(src preparer) *cachedRunner {
	return &cachedRunner{src: src}
}

// stmt returns the statement of query, preparing it on first use. Two
// goroutines may prepare it at once; the first one stored wins.
func (c *cachedRunner) stmt(ctx context.Context, query string) *sql.Stmt {
	if s, ok := c.stmts.Load(query); ok {
		return s.(*sql.Stmt)
	}
	s, err := c.src.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if prev, loaded := c.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return prev.(*sql.Stmt)
	}
	return s
}

// QueryRowContext implements runner.
func (c *cachedRunner) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := c.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return c.src.QueryRowContext(ctx, query, args...)
}

// QueryContext implements runner.
func (c *cachedRunner) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := c.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return c.src.QueryContext(ctx, query, args...)
}

// ExecContext implements runner.
func (c *cachedRunner) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := c.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return c.src.ExecContext(ctx, query, args...)
}

// close closes the prepared statements.
func (c *cachedRunner) close() {
	c.stmts.Range(func(q, s any) bool {
		s.(*sql.Stmt).Close()
		c.stmts.Delete(q)
		return true
	})
}

// uncancelled runs statements with their context's values but never its
// cancellation. The driver watches a cancellable context with a goroutine
// per statement and interrupts the statement when it ends, which rolls
// back the whole transaction it is in; neither is wanted for a write that
// a batch has started, nor worth its cost for a lookup by primary key.
type uncancelled struct{ r runner }

// QueryRowContext implements runner.
func (u uncancelled) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return u.r.QueryRowContext(context.WithoutCancel(ctx), query, args...)
}

// QueryContext implements runner.
func (u uncancelled) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return u.r.QueryContext(context.WithoutCancel(ctx), query, args...)
}

// ExecContext implements runner.
func (u uncancelled) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return u.r.ExecContext(context.WithoutCancel(ctx), query, args...)
}

// inTx returns a runner for statements in tx, a transaction on c's pool:
// each statement prepared on the pool already (see stmt) runs bound to the
// transaction's connection, prepared on it once and reused by later
// transactions; any other runs as text. Statements must be prepared before
// the transaction begins: preparing on the pool needs a free connection,
// and transactions holding every connection while waiting for one would
// wait for ever.
func (c *cachedRunner) inTx(tx *sql.Tx) runner { return txRunner{c: c, tx: tx} }

// txRunner runs cached statements in a transaction.
type txRunner struct {
	c  *cachedRunner
	tx *sql.Tx
}

// cached returns the statement of query if it was prepared already.
func (c *cachedRunner) cached(query string) *sql.Stmt {
	if s, ok := c.stmts.Load(query); ok {
		return s.(*sql.Stmt)
	}
	return nil
}

// QueryRowContext implements runner.
func (t txRunner) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := t.c.cached(query); s != nil {
		return t.tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// QueryContext implements runner.
func (t txRunner) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := t.c.cached(query); s != nil {
		return t.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// ExecContext implements runner.
func (t txRunner) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := t.c.cached(query); s != nil {
		return t.tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}
