package sqlite

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// contextRecorder is a runner that keeps the context of its last call.
type contextRecorder struct{ ctx context.Context }

func (c *contextRecorder) QueryRowContext(ctx context.Context, _ string, _ ...any) *sql.Row {
	c.ctx = ctx
	return nil
}

func (c *contextRecorder) QueryContext(ctx context.Context, _ string, _ ...any) (*sql.Rows, error) {
	c.ctx = ctx
	return nil, nil
}

func (c *contextRecorder) ExecContext(ctx context.Context, _ string, _ ...any) (sql.Result, error) {
	c.ctx = ctx
	return nil, nil
}

type recorderKey struct{}

// TestUncancelledDropsOnlyCancellation: the statements of a started write
// see the request's values but never its end.
func TestUncancelledDropsOnlyCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), recorderKey{}, "kept"))
	cancel()
	rec := &contextRecorder{}
	u := uncancelled{rec}
	for name, call := range map[string]func(){
		"QueryRowContext": func() { u.QueryRowContext(ctx, "SELECT 1") },
		"QueryContext":    func() { u.QueryContext(ctx, "SELECT 1") },
		"ExecContext":     func() { u.ExecContext(ctx, "SELECT 1") },
	} {
		rec.ctx = nil
		call()
		if rec.ctx == nil || rec.ctx.Done() != nil || rec.ctx.Err() != nil {
			t.Errorf("%s: the statement's context can end", name)
		}
		if rec.ctx != nil && rec.ctx.Value(recorderKey{}) != "kept" {
			t.Errorf("%s: the statement's context lost the request's values", name)
		}
	}
}

// TestListStatementsArePreparedOnce: a list reads its count and page with
// one statement, prepared once per connection, not parsed per request; an
// empty page reads them again with two more.
func TestListStatementsArePreparedOnce(t *testing.T) {
	db, _, ctx := openTenant(t)
	cs := NewClientService(db)
	if _, err := cs.CreateClient(ctx, fatora.ClientFields{Name: "Abcde"}); err != nil {
		t.Fatal(err)
	}
	cached := func() int {
		n := 0
		db.reads.stmts.Range(func(_, _ any) bool { n++; return true })
		return n
	}
	lists := func(keyword string, want int) {
		t.Helper()
		before := cached()
		for range 3 {
			page, err := cs.FindClients(ctx, fatora.ClientFilter{Keyword: keyword})
			if err != nil {
				t.Fatal(err)
			}
			if page.TotalCount != len(page.Clients) {
				t.Fatalf("keyword %q: count %d, %d clients", keyword, page.TotalCount, len(page.Clients))
			}
		}
		if got := cached() - before; got != want {
			t.Errorf("three lists for %q cached %d statements, want %d", keyword, got, want)
		}
	}
	lists("abc", 1)
	lists("xyz", 2)
}

// TestListNeedsOneConnection: a list answers while every read connection
// but one is busy (a list that took a connection for its transaction and
// then waited for another to prepare a statement would wait for ever).
func TestListNeedsOneConnection(t *testing.T) {
	db, _ := openFile(t)
	for range db.read.Stats().MaxOpenConnections - 1 {
		tx, err := db.read.BeginTx(context.Background(), &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ctx = fatora.WithScope(ctx, fatora.Scope{MerchantID: 1, Mode: fatora.ModeTest})
	for _, f := range []fatora.ClientFilter{{Keyword: "abc"}, {Keyword: "ab"}, {Email: "a@example.com"}, {}} {
		if _, err := NewClientService(db).FindClients(ctx, f); err != nil {
			t.Fatalf("list %+v with one free connection: %v", f, err)
		}
	}
}
