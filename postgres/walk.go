package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// walkRows is how many of the tenant's live clients a keyword search reads
// in the page's order before it turns to the terms index, a bucket of ids
// at a time (buckets.go). A keyword held by one client in
// walkRows/(page size + 1) fills a first page from the walk, one in
// walkRows/(fatora.MaxKeywordCount + 1) its count too. 0 turns the walk off
// (tests compare the two ways with it). Chosen by measurement
// (docs/search.md): before the buckets, the walk had to reach a count's 101
// matches itself, and 4,000 rows cost the least (9.9 to 10.5 ms of
// PostgreSQL CPU a search at 1,000,000 + 1,000,000 clients); with them,
// 4,000, 1,000 and 500 rows cost 9.0 to 10.0, 3.4 to 3.8 and 3.2 to 3.3 ms.
var walkRows = 500

// walkPlanSQL leaves the planner one way to walk the tenant's clients in
// id order: a scan of an index led by the merchant (clients_tenant or the
// primary key), which reads that merchant's rows only. Sequential and
// bitmap scans and sorts are off, so no plan reads every tenant's rows.
const walkPlanSQL = `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true),
	set_config('enable_sort', 'off', true), set_config('enable_incremental_sort', 'off', true),
	set_config('enable_indexscan', 'on', true), set_config('enable_indexonlyscan', 'on', true)`

// walked is what a walk answered: the count (counted) and the page, one
// client past it included (paged).
type walked struct {
	counted, paged bool
	total          int
	clients        []fatora.Client
	// countEnd and pageEnd are the ids of the count's and the page's
	// walks' last rows (their walkRows-th) when the walk did not answer
	// them: they go on past it (see countByBuckets and pageByBuckets) in
	// the buckets that hold the tenant's next clients.
	countEnd, pageEnd     int64
	countAfter, pageAfter bucketsAfter
}

// walks reports whether a normalised filter's keyword search starts with a
// walk: a search of the live clients without an e-mail or metadata.
func walks(f fatora.ClientFilter) bool {
	return walkRows > 0 && byTerms(f) && f.Status == fatora.StatusLive && len(f.Metadata) == 0
}

// walk reads the first walkRows of the tenant's live clients in the
// page's order (after the cursor) and, separately, from the first, and
// checks each against the keyword's text. The page is answered if it
// fills (one client past it) or the walk read every client there is; the
// count likewise with more than fatora.MaxKeywordCount matches. Without a
// cursor both read the same clients in the same order, so one walk
// answers both. The caller's transaction holds the walk's plan
// (walkPlanSQL, set with its BEGIN: see FindClients).
func walk(ctx context.Context, tx pgx.Tx, scope fatora.Scope, f fatora.ClientFilter) (walked, error) {
	var w walked
	countRows, pageRows := f.CountLimit()+1, f.Offset()+f.PageSize+2
	if f.After == 0 {
		query, args := walkPageSQL(scope, f, max(countRows, pageRows))
		rows, err := queryWalk(ctx, tx, query, args)
		if err != nil {
			return w, err
		}
		w.countFrom(rows[:min(len(rows), countRows)], f)
		w.pageFrom(rows[:min(len(rows), pageRows)], f)
		return w, nil
	}
	query, args := walkCountSQL(scope, f)
	var end *int64
	if err := tx.QueryRow(ctx, query, args...).Scan(&w.total, &end); err != nil {
		return w, mapError(err)
	}
	w.counted = end == nil || w.total >= f.CountLimit()
	if !w.counted {
		w.countEnd = *end
	}
	query, args = walkPageSQL(scope, f, pageRows)
	rows, err := queryWalk(ctx, tx, query, args)
	if err != nil {
		return w, err
	}
	w.pageFrom(rows, f)
	return w, nil
}

// walkRow is a row of a walk: a client that matches (hit), or the walk's
// walkRows-th row, which says the walk did not read every client.
type walkRow struct {
	client fatora.Client
	hit    bool
	n      int
}

// queryWalk runs a walk's query (see walkPageSQL) and returns its rows.
func queryWalk(ctx context.Context, tx pgx.Tx, query string, args []any) ([]walkRow, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []walkRow
	for rows.Next() {
		var r walkRow
		if r.client, err = scanClient(rows, &r.hit, &r.n); err != nil {
			return nil, mapError(err)
		}
		out = append(out, r)
	}
	return out, mapError(rows.Err())
}

// countFrom answers the count from the first rows of a walk from the
// first client, as walkCountSQL would.
func (w *walked) countFrom(rows []walkRow, f fatora.ClientFilter) {
	for _, r := range rows {
		if r.hit {
			w.total++
		}
		if r.n == walkRows {
			w.countEnd = r.client.ID
		}
	}
	w.counted = w.countEnd == 0 || w.total >= f.CountLimit()
	if w.counted {
		w.countEnd = 0
	}
}

// pageFrom answers the page from a walk's rows in the page's order.
func (w *walked) pageFrom(rows []walkRow, f fatora.ClientFilter) {
	w.clients = []fatora.Client{}
	want := f.Offset() + f.PageSize + 1
	hits := 0
	for _, r := range rows {
		if r.n == walkRows {
			w.pageEnd = r.client.ID
		}
		if r.hit {
			if hits++; hits > f.Offset() && hits <= want {
				w.clients = append(w.clients, r.client)
			}
		}
	}
	w.paged = hits >= want || w.pageEnd == 0
	if w.paged {
		w.pageEnd = 0
	}
}

// walkCountSQL counts the matches among the tenant's first walkRows live
// clients, stopping at f.CountLimit(), and returns the id of the walk's
// walkRows-th row if it reached it (so that clients after it were not
// read), else NULL.
func walkCountSQL(scope fatora.Scope, f fatora.ClientFilter) (string, []any) {
	inner, args := walkSQL(scope, f, "id", false)
	return "SELECT count(*) FILTER (WHERE hit), max(id) FILTER (WHERE rn = " + strconv.Itoa(walkRows) + ") FROM (" +
		inner + " LIMIT " + strconv.Itoa(f.CountLimit()+1) + ") t", args
}

// walkPageSQL returns the walk's first limit rows in the page's order:
// its matches and its last row if it reaches walkRows (a row with hit
// false, or its number).
func walkPageSQL(scope fatora.Scope, f fatora.ClientFilter, limit int) (string, []any) {
	inner, args := walkSQL(scope, f, clientColumns, true)
	return inner + " LIMIT " + strconv.Itoa(limit), args
}

// walkSQL returns a query of columns, hit (the client matches the
// keyword) and rn (its place in the walk, from 1) of the tenant's first
// walkRows live clients in f's id order, the cursor's if paged, keeping
// the matches and the walkRows-th row. The planner keeps the rows in
// order (walkPlanSQL turns sorts off).
func walkSQL(scope fatora.Scope, f fatora.ClientFilter, columns string, paged bool) (string, []any) {
	args := []any{scope.MerchantID, string(scope.Mode)}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where, order := "merchant_id = $1 AND mode = $2 AND deleted_at IS NULL", "id"
	if f.Order == fatora.OrderNewest {
		order = "id DESC"
	}
	if paged && f.After > 0 {
		if f.Order == fatora.OrderNewest {
			where += " AND id < " + arg(f.After)
		} else {
			where += " AND id > " + arg(f.After)
		}
	}
	hit := textClause(fatora.KeywordForms(f.Keyword, scope.Region), arg)
	return "SELECT " + columns + ", hit, rn FROM (SELECT *, " + hit + " AS hit, row_number() OVER (ORDER BY " + order + ") AS rn" +
		" FROM (SELECT * FROM clients WHERE " + where + " ORDER BY " + order + " LIMIT " + strconv.Itoa(walkRows) + ") w) x" +
		" WHERE hit OR rn = " + strconv.Itoa(walkRows) + " ORDER BY " + order, args
}

// textClause returns the condition that a client's search text matches one
// of a keyword's forms, without the index: a substring (LIKE), or for a
// short keyword the start of a word (see fatora.SearchTerms: after the
// text's start or an ASCII character other than a letter or digit).
func textClause(forms []fatora.KeywordForm, arg func(any) string) string {
	if len(forms) == 0 {
		return "false"
	}
	conds := make([]string, len(forms))
	for i, f := range forms {
		if f.Substring != "" {
			conds[i] = "search_text LIKE " + arg("%"+likeEscaper.Replace(f.Substring)+"%") + ` ESCAPE '\'`
			continue
		}
		// A short keyword holds no ASCII character but letters and digits,
		// so it is literal in a regular expression.
		conds[i] = "search_text ~ " + arg(`(^|[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f])`+strings.TrimPrefix(f.Terms[0], "\n"))
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}
