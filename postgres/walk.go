package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// walkRows is how many of the tenant's live clients a keyword search reads
// in the page's order before it turns to the terms index. A keyword held
// by one client in walkRows/(page size + 1) fills a first page from the
// walk, one in walkRows/(fatora.MaxKeywordCount + 1) its count too. 0
// turns the walk off (tests compare the two ways with it). Chosen by
// measurement (docs/search.md): at 250,000 + 250,000 clients 1,000, 2,000,
// 4,000 and 8,000 gave p99s of 48, 28 to 36, 50 to 72 and 59 ms for the
// bench's search (a loaded machine); at 1,000,000 + 1,000,000 (quiet)
// 1,000, 2,000, 4,000, 8,000 and 16,000 cost 22.8, 12.6 to 14.5, 9.9 to
// 10.5, 8.4 and 9.7 ms of PostgreSQL CPU a search, p99 172, 53 to 59, 40
// to 42, 48 and 63 ms. The index's cost grows with the matches, the
// walk's does not, so the larger scale wants the longer walk.
var walkRows = 4000

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
// answers both.
func walk(ctx context.Context, tx pgx.Tx, scope fatora.Scope, f fatora.ClientFilter) (walked, error) {
	var w walked
	if _, err := tx.Exec(ctx, walkPlanSQL); err != nil {
		return w, mapError(err)
	}
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
	var stopped bool
	if err := tx.QueryRow(ctx, query, args...).Scan(&w.total, &stopped); err != nil {
		return w, mapError(err)
	}
	w.counted = !stopped || w.total >= f.CountLimit()
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
	stopped := false
	for _, r := range rows {
		if r.hit {
			w.total++
		}
		stopped = stopped || r.n == walkRows
	}
	w.counted = !stopped || w.total >= f.CountLimit()
}

// pageFrom answers the page from a walk's rows in the page's order.
func (w *walked) pageFrom(rows []walkRow, f fatora.ClientFilter) {
	w.clients = []fatora.Client{}
	want := f.Offset() + f.PageSize + 1
	hits, reached := 0, false
	for _, r := range rows {
		reached = reached || r.n == walkRows
		if r.hit {
			if hits++; hits > f.Offset() && hits <= want {
				w.clients = append(w.clients, r.client)
			}
		}
	}
	w.paged = hits >= want || !reached
}

// walkCountSQL counts the matches among the tenant's first walkRows live
// clients, stopping at f.CountLimit(), and tells whether the walk reached
// walkRows (so that clients after it were not read).
func walkCountSQL(scope fatora.Scope, f fatora.ClientFilter) (string, []any) {
	inner, args := walkSQL(scope, f, "id", false)
	return "SELECT count(*) FILTER (WHERE hit), coalesce(bool_or(rn = " + strconv.Itoa(walkRows) + "), false) FROM (" +
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
