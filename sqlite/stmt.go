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
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

func newCachedRunner(src preparer) *cachedRunner {
	return &cachedRunner{src: src, stmts: make(map[string]*sql.Stmt)}
}

func (c *cachedRunner) stmt(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[query]; ok {
		return s
	}
	s, err := c.src.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.stmts[query] = s
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
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, s := range c.stmts {
		s.Close()
		delete(c.stmts, q)
	}
}
