package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/fatora-oss/fatora"
)

// listInOne reports whether a normalised filter's count and page are read
// by one statement (listClients): every filter but a keyword searched
// through the terms, whose plans need settings of their own.
func listInOne(f fatora.ClientFilter) bool { return !byTerms(f) }

// listClients reads the count and the page of a filter without a keyword
// search (see listInOne) in one statement: one round trip instead of the
// four of a transaction (begin, count, page, commit), and one snapshot, so
// the two agree as they do in a REPEATABLE READ transaction. The count is
// an InitPlan evaluated once; the page is joined to it LEFT and LATERAL, so
// an empty page still returns the count, in one row whose client columns
// are NULL.
//
// A list of all the tenant's live clients, the most frequent, keeps one
// plan, the tenant's index in the page's order (see listPlanSQL).
func listClients(ctx context.Context, pool batchSender, scope fatora.Scope, f fatora.ClientFilter, since time.Time, rekeyed bool) (fatora.ClientPage, error) {
	var q queryer = pool
	if unfiltered(f) {
		q = &withSetup{to: pool, setup: listPlanSQL}
	}
	where, args := filterClause(scope, f, since, rekeyed)
	count := countQuery(f, where)
	where, order, args := pageOrder(f, where, args)
	n := len(args)
	query := "SELECT p.*, t.total FROM (SELECT (" + count + ") AS total) t LEFT JOIN LATERAL (SELECT " + clientColumns +
		" FROM clients WHERE " + where + " ORDER BY " + order + " LIMIT $" + strconv.Itoa(n+1) + " OFFSET $" + strconv.Itoa(n+2) +
		") p ON true ORDER BY " + outerOrder(order)
	rows, err := q.Query(ctx, query, append(args, f.PageSize+1, f.Offset())...)
	if err != nil {
		return fatora.ClientPage{}, mapError(err)
	}
	defer rows.Close()
	clients := []fatora.Client{}
	var total int
	for rows.Next() {
		if rows.RawValues()[0] == nil { // the empty page's one row: only the count
			skip := make([]any, len(rows.FieldDescriptions()))
			skip[len(skip)-1] = &total
			err = rows.Scan(skip...)
		} else {
			var c fatora.Client
			c, err = scanClient(rows, &total)
			clients = append(clients, c)
		}
		if err != nil {
			return fatora.ClientPage{}, mapError(err)
		}
	}
	if err := rows.Err(); err != nil {
		return fatora.ClientPage{}, mapError(err)
	}
	return fatora.NewClientPage(f, clients, total), nil
}

// listPlanSQL leaves the planner one way to read a page of the tenant's
// live clients: a scan of an index led by the merchant, in the page's
// order. The plan is then kept (force_generic_plan): the planner had
// planned an unfiltered list anew at every run, 126 µs of PostgreSQL's
// 196 (pg_stat_statements with track_planning), and its own generic plan,
// not knowing the page's LIMIT, would have read and sorted all the
// tenant's clients.
const listPlanSQL = `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true),
	set_config('enable_sort', 'off', true), set_config('enable_incremental_sort', 'off', true),
	set_config('plan_cache_mode', 'force_generic_plan', true)`

// unfiltered reports whether a normalised filter lists all the tenant's
// live clients.
func unfiltered(f fatora.ClientFilter) bool {
	return f.Keyword == "" && f.Email == "" && len(f.Metadata) == 0 && f.Status == fatora.StatusLive
}

// countQuery returns the statement that counts a normalised filter's
// matches, whose condition where is (see filterClause): the kept tally
// when there is no filter, else a count of at most CountLimit rows.
func countQuery(f fatora.ClientFilter, where string) string {
	if unfiltered(f) {
		return "SELECT coalesce(sum(n), 0) FROM client_counts WHERE merchant_id = $1 AND mode = $2"
	}
	if n := f.CountLimit(); n > 0 {
		return "SELECT count(*) FROM (SELECT 1 FROM clients WHERE " + where + " LIMIT " + strconv.Itoa(n) + ") c"
	}
	return "SELECT count(*) FROM clients WHERE " + where
}

// outerOrder returns a page's ORDER BY (see pageOrder) for the columns of
// the joined page p: the join's output has no order of its own.
func outerOrder(order string) string {
	cols := strings.Split(order, ", ")
	for i, c := range cols {
		cols[i] = "p." + c
	}
	return strings.Join(cols, ", ")
}
