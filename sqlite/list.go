package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fatora-oss/fatora"
)

// FindClients implements fatora.ClientService. The count and the page are
// read by one statement, the page's rows each carrying the count, so they
// agree; an empty page, which carries no count, is read again with its
// count in one transaction.
func (s *ClientService) FindClients(ctx context.Context, f fatora.ClientFilter) (fatora.ClientPage, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.ClientPage{}, err
	}
	if f, err = f.Normalize(); err != nil {
		return fatora.ClientPage{}, err
	}
	q := newListQuery(scope, f, s.db.restorableSince())
	turn := s.db.readTurn
	if f.Keyword != "" {
		turn = s.db.searchTurn
	}
	run, leave, err := turn(ctx)
	if err != nil {
		return fatora.ClientPage{}, err
	}
	defer leave()
	var total int
	query, args := q.countedPageSQL()
	clients, err := queryClientRows(ctx, run, func(r scanner) scanner { return countedRow{r, &total} }, query, args...)
	if err == nil && len(clients) == 0 {
		clients, total, err = s.emptyPage(ctx, q)
	}
	return fatora.NewClientPage(f, clients, total), err
}

// emptyPage reads the count and the page of q in one transaction (for a
// page that came back empty, and so without its count).
func (s *ClientService) emptyPage(ctx context.Context, q listQuery) ([]fatora.Client, int, error) {
	countSQL := q.countSQL()
	pageSQL, pageArgs := q.pageSQL()
	s.db.reads.stmt(ctx, countSQL) // prepared before the transaction holds a connection (see inTx)
	s.db.reads.stmt(ctx, pageSQL)
	tx, err := s.db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, mapError(err)
	}
	defer tx.Rollback()
	run := s.db.reads.inTx(tx)
	var total int
	if err := run.QueryRowContext(ctx, countSQL, q.args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	clients, err := queryClients(ctx, run, pageSQL, pageArgs...)
	return clients, total, err
}

// listQuery is the SQL of one list request. A keyword (without an e-mail
// filter, which its own index serves better) is looked up in the tenant's
// terms in the search index (see terms.go), for the clients unchanged
// since the index last caught up; the tenant's clients changed since
// (clients_search_pending, see writer.end) and those still keyed by an
// earlier version (see rekey.go) are matched on their current text
// instead, so a stale index entry never matches. All three are merged in
// id order, so a page stops reading once it is full, and a count reads
// only the tenant's entries. Other filters read the tenant's clients in id
// order. A metadata filter
// reads the index of metadata pairs (client_metadata) for its first key, in
// client id order, and checks the other keys there. A list of deleted
// clients shows those deleted since (the retention period's start).
type listQuery struct {
	f       fatora.ClientFilter
	byIndex bool
	id      string // the column of the client id that drives the query
	from    string // FROM and WHERE, with placeholders for args
	args    []any
}

func newListQuery(scope fatora.Scope, f fatora.ClientFilter, since time.Time) listQuery {
	k := keywordSearch{forms: fatora.KeywordForms(f.Keyword, scope.Region), scope: scope}
	q := listQuery{f: f, id: "c.id", from: "clients c",
		byIndex: f.Email == "" && len(f.Metadata) == 0 && f.Keyword != "" && len(k.forms) > 0}
	var conds []string
	add := func(cond string, args ...any) { conds, q.args = append(conds, cond), append(q.args, args...) }
	switch {
	case f.Keyword != "" && len(k.forms) == 0:
		add("0")
	case len(f.Metadata) > 0:
		q.from, q.id = "client_metadata m CROSS JOIN clients c ON c.id = m.client_id", "m.client_id"
		keys := f.Metadata.Keys()
		add("m.merchant_id = ? AND m.mode = ? AND m.key = ? AND m.value = ?", scope.MerchantID, scope.Mode, keys[0], f.Metadata[keys[0]])
		for _, k := range keys[1:] {
			add(`EXISTS (SELECT 1 FROM client_metadata o WHERE o.merchant_id = c.merchant_id AND o.mode = c.mode
				AND o.key = ? AND o.value = ? AND o.client_id = c.id)`, k, f.Metadata[k])
		}
	case q.byIndex:
		q.from, q.args = k.from(scope)
		q.id = "s.id"
	}
	add("c.merchant_id = ? AND c.mode = ?", scope.MerchantID, scope.Mode)
	if f.Status == fatora.StatusDeleted {
		add("c.deleted_at IS NOT NULL AND c.deleted_at >= ?", since.UnixMicro())
	} else {
		add("c.deleted_at IS NULL")
	}
	if f.Email != "" {
		add("c.email_folded = ?", f.Email)
	}
	if f.Keyword != "" && len(k.forms) > 0 {
		cond, args := k.exact("c")
		if q.byIndex {
			cond, args = k.substrings("c")
		}
		if cond != "" {
			add(cond, args...)
		}
	}
	q.from += " WHERE " + strings.Join(conds, " AND ")
	return q
}

// from returns the FROM clause of a keyword search (the index's
// candidates as s, the clients as c) and its arguments.
func (k keywordSearch) from(scope fatora.Scope) (string, []any) {
	pending, pendingArgs := k.exact("pc")
	old, oldArgs := k.exact("oc")
	args := []any{k.match(), scope.MerchantID, scope.Mode, scope.MerchantID, scope.Mode}
	args = append(append(args, pendingArgs...), scope.MerchantID, scope.Mode)
	return `(SELECT rowid AS id FROM client_terms WHERE client_terms MATCH ?
				AND rowid NOT IN (SELECT id FROM clients_search_pending WHERE merchant_id = ? AND mode = ?)
			UNION SELECT p.id FROM clients_search_pending p JOIN clients pc ON pc.id = p.id
				WHERE p.merchant_id = ? AND p.mode = ? AND pc.search_version >= 2 AND ` + pending + `
			UNION SELECT oc.id FROM clients oc
				WHERE oc.merchant_id = ? AND oc.mode = ? AND oc.search_version < 2 AND ` + old + `
			) AS s CROSS JOIN clients c ON c.id = s.id`, append(args, oldArgs...)
}

// countSQL counts the matches: from the kept tally of live clients without
// a filter, all of them for an e-mail or metadata, at most CountLimit for a
// keyword.
func (q listQuery) countSQL() string {
	switch {
	case q.f.Keyword == "" && q.f.Email == "" && len(q.f.Metadata) == 0 && q.f.Status == fatora.StatusLive:
		return "SELECT coalesce((SELECT n FROM client_counts WHERE merchant_id = ? AND mode = ?), 0)"
	case q.f.CountLimit() > 0:
		return "SELECT count(*) FROM (SELECT 1 FROM " + q.from + " LIMIT " + strconv.Itoa(q.f.CountLimit()) + ")"
	}
	return "SELECT count(*) FROM " + q.from
}

// pageSQL returns the page's query: one client more than the page size, so
// the caller knows whether more follow.
func (q listQuery) pageSQL() (string, []any) { return q.pageWith("") }

// pageWith is pageSQL whose rows hold extra columns after the client's
// (extra begins with a comma; its placeholders come before the page's).
func (q listQuery) pageWith(extra string) (string, []any) {
	id, args := q.id, append([]any{}, q.args...)
	where := q.from
	order := id
	switch q.f.Order {
	case fatora.OrderNewest:
		order = id + " DESC"
		if q.f.After > 0 {
			where, args = where+" AND "+id+" < ?", append(args, q.f.After)
		}
	case fatora.OrderName:
		order = "c.name, " + id
		if q.f.After > 0 {
			where, args = where+" AND (c.name, "+id+") > (?, ?)", append(args, q.f.AfterName, q.f.After)
		}
	default:
		if q.f.After > 0 {
			where, args = where+" AND "+id+" > ?", append(args, q.f.After)
		}
	}
	return "SELECT " + clientColumnsOf("c") + extra + " FROM " + where + " ORDER BY " + order + " LIMIT ? OFFSET ?",
		append(args, q.f.PageSize+1, q.f.Offset())
}

// countedPageSQL is pageSQL with the count (countSQL) as one more column of
// every row: a subquery that depends on no row, which SQLite runs once.
// Its rows are read through countedRow.
func (q listQuery) countedPageSQL() (string, []any) {
	query, args := q.pageWith(", (" + q.countSQL() + ")")
	return query, append(slices.Clone(q.args), args...)
}

// countedRow is a row of a countedPageSQL statement: Scan reads the
// client's columns into what it is given and the count into total.
type countedRow struct {
	rows  scanner
	total *int
}

func (r countedRow) Scan(dest ...any) error { return r.rows.Scan(append(dest, r.total)...) }
