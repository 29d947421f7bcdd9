package postgres

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/testenv"
)

// statementLog records the round trips of the statements sent with a
// context that carries traced (the store's background work is left out),
// one at a time: each statement sent alone, or a batch's statements joined
// after batchMark.
type statementLog struct {
	mu      sync.Mutex
	sql     []string
	inBatch bool
}

type tracedKey struct{}

func traced(ctx context.Context) context.Context { return context.WithValue(ctx, tracedKey{}, true) }

// batchMark begins the record of a batch, whose statements follow it, each
// after batchSep.
const batchMark, batchSep = "(batch)", "\n;\n"

func (l *statementLog) record(ctx context.Context, sql string, join bool) {
	if ctx.Value(tracedKey{}) == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if join && len(l.sql) > 0 {
		l.sql[len(l.sql)-1] += batchSep + sql
		return
	}
	l.sql = append(l.sql, sql)
}

func (l *statementLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	l.record(ctx, d.SQL, false)
	return ctx
}

func (l *statementLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (l *statementLog) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	l.record(ctx, batchMark, false)
	return ctx
}

func (l *statementLog) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	l.record(ctx, d.SQL, true)
}

func (l *statementLog) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// take returns the round trips recorded since the last take.
func (l *statementLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	sql := l.sql
	l.sql = nil
	return sql
}

// TestStatementsOfAList: a list without a keyword is one round trip (its
// count and page in one statement, no transaction; an unfiltered one in a
// batch after its plan), filtered or not, empty or not;
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
			t.Errorf("list %+v (%d of %d clients): %d round trips, want 1: %q", f, len(page.Clients), page.TotalCount, len(sql), sql)
		} else if want := f.Email == ""; strings.Contains(sql[0], listPlanSQL) != want {
			t.Errorf("list %+v: sent with the list's plan %v, want %v: %q", f, !want, want, sql[0])
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
		for _, s := range sql {
			if !strings.Contains(s, keywordPlanSQL) {
				continue
			}
			if !strings.HasPrefix(s, batchMark+batchSep+keywordPlanSQL+batchSep) {
				t.Errorf("walk of %d: the keyword's plan not sent first in a batch with the statement after it: %q", walkRows, s)
			}
			batched++
		}
		if want := map[int]int{500: 0, 1: 1}[walkRows]; batched != want {
			t.Errorf("walk of %d: the keyword's plan sent %d times, want %d: %q", walkRows, batched, want, sql)
		}
	}
}

// testConn returns a connection of a new store's pool, released when t
// ends.
func testConn(t *testing.T) (context.Context, *pgxpool.Conn) {
	t.Helper()
	conn, err := openTestDB(t).pool.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Release)
	return t.Context(), conn
}

// TestSetupHoldsForItsStatement: withSetup's settings hold for the
// statement sent with them; outside a transaction they end with it, in a
// transaction they hold for its later statements.
func TestSetupHoldsForItsStatement(t *testing.T) {
	ctx, conn := testConn(t)
	const setup, show = "SELECT set_config('work_mem', '1234kB', true)", "SELECT current_setting('work_mem')"
	setting := func(q queryer) string {
		t.Helper()
		var v string
		if err := q.QueryRow(ctx, show).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := setting(conn)
	if got := setting(&withSetup{to: conn, setup: setup}); got != "1234kB" {
		t.Errorf("with its setup: work_mem %s, want 1234kB", got)
	}
	if got := setting(conn); got != before {
		t.Errorf("after the batch: work_mem %s, want %s again", got, before)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	q := &withSetup{to: tx, setup: setup}
	rows, err := q.Query(ctx, "SELECT generate_series(1, 3)")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := pgx.CollectRows(rows, pgx.RowTo[int]); err != nil || len(n) != 3 {
		t.Fatalf("rows after the setup: %v, %v", n, err)
	}
	if got := setting(q); got != "1234kB" {
		t.Errorf("later in the transaction: work_mem %s, want 1234kB", got)
	}
}

// TestSetupReportsErrors: an error of the statement sent with the setup is
// reported, and leaves the connection usable.
func TestSetupReportsErrors(t *testing.T) {
	ctx, conn := testConn(t)
	q := &withSetup{to: conn, setup: "SELECT set_config('work_mem', '1234kB', true)"}
	if err := q.QueryRow(ctx, "SELECT 1/0").Scan(new(int)); err == nil || !strings.Contains(err.Error(), "division by zero") {
		t.Errorf("the batch's failed statement: %v, want division by zero", err)
	}
	if _, err := (&withSetup{to: conn, setup: "SELECT 1/0"}).Query(ctx, "SELECT 1"); err == nil {
		t.Error("a failed setup was not reported")
	}
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Errorf("the connection after the errors: %d, %v", one, err)
	}
}
