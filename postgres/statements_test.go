package postgres

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/testenv"
)

// statementLog records the SQL of the statements sent with a context that
// carries traced (the store's background work is left out).
type statementLog struct {
	mu  sync.Mutex
	sql []string
}

type tracedKey struct{}

func traced(ctx context.Context) context.Context { return context.WithValue(ctx, tracedKey{}, true) }

func (l *statementLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if ctx.Value(tracedKey{}) != nil {
		l.mu.Lock()
		l.sql = append(l.sql, d.SQL)
		l.mu.Unlock()
	}
	return ctx
}

func (l *statementLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// batchMark stands for the start of a batch in a statementLog: the
// statements that follow it, up to the next statement sent alone, went in
// one round trip.
const batchMark = "(batch)"

func (l *statementLog) TraceBatchStart(ctx context.Context, c *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return l.TraceQueryStart(ctx, c, pgx.TraceQueryStartData{SQL: batchMark})
}

func (l *statementLog) TraceBatchQuery(ctx context.Context, c *pgx.Conn, d pgx.TraceBatchQueryData) {
	l.TraceQueryStart(ctx, c, pgx.TraceQueryStartData{SQL: d.SQL})
}

func (l *statementLog) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// take returns the statements recorded since the last take.
func (l *statementLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	sql := l.sql
	l.sql = nil
	return sql
}

// TestStatementsOfAList: a list without a keyword is one statement (its
// count and page together, no transaction), filtered or not, empty or not;
// a keyword search begins its transaction and sets the walk's plan in one
// round trip, before the walk, and sends the keyword's plan, when the walk
// did not answer, with the statement that needs it.
func TestStatementsOfAList(t *testing.T) {
	log := &statementLog{}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := Open(ctx, testenv.PostgresSchema(t), Options{Tracer: log})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	scope := tenantScope(t, db, "a")
	cs := NewClientService(db)
	ctx = fatora.WithScope(ctx, scope)
	for _, name := range []string{"Amal Haddad", "Basel Nour", "Amal Nour"} {
		if _, err := cs.CreateClient(ctx, fatora.ClientFields{Name: name, Email: strings.ReplaceAll(name, " ", ".") + "@example.com"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []fatora.ClientFilter{{}, {Page: 9}, {Email: "basel.nour@example.com"}, {Email: "nobody@example.com"}, {Order: fatora.OrderName}} {
		page, err := cs.FindClients(traced(ctx), f)
		if err != nil {
			t.Fatal(err)
		}
		if sql := log.take(); len(sql) != 1 {
			t.Errorf("list %+v (%d of %d clients): %d statements, want 1: %q", f, len(page.Clients), page.TotalCount, len(sql), sql)
		}
	}
	defer func(n int) { walkRows = n }(walkRows)
	for _, walkRows = range []int{500, 1} { // a walk that answers, one that does not
		page, err := cs.FindClients(traced(ctx), fatora.ClientFilter{Keyword: "amal"})
		if err != nil || page.TotalCount != 2 || len(page.Clients) != 2 {
			t.Fatalf("keyword amal, walk of %d: %+v, %v", walkRows, page, err)
		}
		sql := log.take()
		if len(sql) < 2 || !strings.HasPrefix(sql[0], snapshotBeginSQL) || !strings.Contains(sql[0], walkPlanSQL) {
			t.Fatalf("keyword search: first of %d statements %q, want the BEGIN with the walk's plan", len(sql), sql[:min(len(sql), 1)])
		}
		if strings.Contains(sql[1], "set_config") || strings.Contains(strings.ToUpper(sql[1]), "BEGIN") {
			t.Errorf("keyword search: the walk's plan set again, or the transaction begun again: %q", sql[1])
		}
		batched := 0
		for i, s := range sql {
			if s != keywordPlanSQL {
				continue
			}
			if i == 0 || sql[i-1] != batchMark || i+1 == len(sql) || sql[i+1] == batchMark {
				t.Errorf("walk of %d: the keyword's plan not sent in one batch with the statement after it: %q", walkRows, sql)
			}
			batched++
		}
		if want := map[int]int{500: 0, 1: 1}[walkRows]; batched != want {
			t.Errorf("walk of %d: the keyword's plan sent %d times, want %d: %q", walkRows, batched, want, sql)
		}
	}
}
