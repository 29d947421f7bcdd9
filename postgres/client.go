package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// ClientService implements fatora.ClientService on the store.
type ClientService struct {
	db *DB
}

// NewClientService returns the client service of db.
func NewClientService(db *DB) *ClientService { return &ClientService{db: db} }

var _ fatora.ClientService = (*ClientService)(nil)

const clientColumns = "id, name, phone, email, address, notes, created_at, updated_at, deleted_at, metadata::text"

// CreateClient implements fatora.ClientService.
func (s *ClientService) CreateClient(ctx context.Context, f fatora.ClientFields) (fatora.Client, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.Client{}, err
	}
	// Outside the transaction: the writer's time is the scarce one.
	c, match, err := fatora.NewClient(f, s.db.now(), scope.Region)
	if err != nil {
		return fatora.Client{}, err
	}
	if idem := fatora.IdempotencyFrom(ctx); idem == nil {
		err = s.db.inBatch(ctx, func(tx pgx.Tx) error { return insertClient(ctx, tx, scope, &c, match) })
	} else {
		err = s.db.batch.doKeyed(&keyedCreate{ctx: ctx, scope: scope, idem: idem, c: &c, match: match})
	}
	if err != nil {
		return fatora.Client{}, err
	}
	return c, nil
}

// insertClient stores a new client, filling its id, or returns the
// duplicate_client error naming the client it would duplicate. A concurrent
// insert of the same data waits on the unique index until the other
// transaction ends, so exactly one of them stores the client.
func insertClient(ctx context.Context, tx pgx.Tx, scope fatora.Scope, c *fatora.Client, match fatora.MatchKeys) error {
	f, e := c.ClientFields, fatora.ClientCreated(scope.Mode, *c)
	err := tx.QueryRow(ctx, `WITH ins AS (
			INSERT INTO clients (merchant_id, mode, name, phone, email, address, notes,
				email_folded, phone_digits, search_text, dedup, created_at, updated_at, metadata, terms)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $16, $17)
			ON CONFLICT (merchant_id, mode, dedup) WHERE deleted_at IS NULL DO NOTHING RETURNING id
		), ev AS (
			INSERT INTO events (merchant_id, id, mode, type, client_id, created_at, data)
			SELECT $1, $14, $2, 'client.created', id, $12, $15 FROM ins `+eventReturning+`
		), fanout AS (`+fanOutSQL+`)
		SELECT id FROM ins`,
		scope.MerchantID, string(scope.Mode), f.Name, f.Phone, f.Email, f.Address, f.Notes,
		match.EmailFolded, match.PhoneDigits, match.SearchText, match.Dedup, c.CreatedAt, c.UpdatedAt,
		e.ID, fatora.EncodeEventData(e), fatora.EncodeMetadata(f.Metadata), tenantTerms(scope, match.SearchText),
	).Scan(&c.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return duplicateOf(ctx, tx, scope, match.Dedup)
	}
	return mapError(err)
}

// queryer is what a pool and a transaction have in common.
type queryer interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// duplicateOf returns the duplicate_client error naming the client of scope
// whose dedup key is dedup. It must run in a statement after the one that
// met the conflict: under READ COMMITTED that statement's snapshot includes
// the conflicting client, even one committed a moment ago.
func duplicateOf(ctx context.Context, q queryer, scope fatora.Scope, dedup string) error {
	var id int64
	err := q.QueryRow(ctx, "SELECT id FROM clients WHERE merchant_id = $1 AND mode = $2 AND dedup = $3 AND deleted_at IS NULL",
		scope.MerchantID, string(scope.Mode), dedup).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		// The conflicting client was deleted or changed in between.
		return &fatora.Error{Code: fatora.CodeUnavailable, Cause: err,
			Message: "A client with the same data changed at the same time; retry."}
	}
	if err != nil {
		return mapError(err)
	}
	return fatora.DuplicateClient(id)
}

// FindClientByID implements fatora.ClientService.
func (s *ClientService) FindClientByID(ctx context.Context, id int64) (fatora.Client, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.Client{}, err
	}
	return findClient(ctx, s.db.pool, scope, id, "")
}

// findClient reads one client of scope; lock is "" or a locking clause
// such as "FOR UPDATE".
func findClient(ctx context.Context, q queryer, scope fatora.Scope, id int64, lock string) (fatora.Client, error) {
	row := q.QueryRow(ctx, "SELECT "+clientColumns+" FROM clients WHERE merchant_id = $1 AND mode = $2 AND id = $3 AND deleted_at IS NULL "+lock,
		scope.MerchantID, string(scope.Mode), id)
	c, err := scanClient(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, fatora.ClientNotFound()
	}
	return c, mapError(err)
}

// FindClients implements fatora.ClientService. The count and the page are
// read from one snapshot, so they agree: in one statement (see listClients)
// or, for a keyword search, in one REPEATABLE READ transaction.
func (s *ClientService) FindClients(ctx context.Context, f fatora.ClientFilter) (fatora.ClientPage, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.ClientPage{}, err
	}
	if f, err = f.Normalize(); err != nil {
		return fatora.ClientPage{}, err
	}
	if listInOne(f) {
		return listClients(ctx, s.db.pool, scope, f, s.db.restorableSince(), s.db.rekeyer.complete.Load())
	}
	plan := ""
	if walks(f) {
		plan = walkPlanSQL
	}
	var page fatora.ClientPage
	err = s.db.inSnapshotAfter(ctx, plan, func(tx pgx.Tx) error {
		page, err = s.findClients(ctx, tx, scope, f)
		return err
	})
	return page, err
}

// findClients reads the count and the page of a normalised filter: a
// keyword search first from a bounded walk of the tenant's clients (see
// walk.go), then, for what the walk could not answer, through the
// tenant's terms a bucket of ids at a time past the walk (see buckets.go),
// and, where the buckets could not answer either, through all of them.
func (s *ClientService) findClients(ctx context.Context, tx pgx.Tx, scope fatora.Scope, f fatora.ClientFilter) (fatora.ClientPage, error) {
	since, rekeyed := s.db.restorableSince(), s.db.rekeyer.complete.Load()
	var w walked
	var err error
	if walks(f) {
		if w, err = walk(ctx, tx, scope, f); err != nil {
			return fatora.ClientPage{}, err
		}
		if rekeyed { // under the walk's plan, which the buckets' skip scan needs
			if err := w.findBuckets(ctx, tx, scope, f); err != nil {
				return fatora.ClientPage{}, err
			}
		}
	}
	var q queryer = tx
	if byTerms(f) && !(w.counted && w.paged) {
		q = &withSetup{to: tx, setup: keywordPlanSQL}
	}
	if !w.counted {
		if w.total, w.counted, err = countByBuckets(ctx, q, scope, f, w); err != nil {
			return fatora.ClientPage{}, err
		}
	}
	if !w.counted {
		if w.total, err = countClients(ctx, q, scope, f, since, rekeyed); err != nil {
			return fatora.ClientPage{}, err
		}
	}
	if !w.paged {
		if w.clients, w.paged, err = pageByBuckets(ctx, q, scope, f, w); err != nil {
			return fatora.ClientPage{}, err
		}
	}
	if !w.paged {
		where, args := filterClause(scope, f, since, rekeyed)
		where, order, args := pageOrder(f, where, args)
		n := len(args)
		w.clients, err = queryClients(ctx, q, "SELECT "+clientColumns+" FROM clients WHERE "+where+
			" ORDER BY "+order+" LIMIT $"+strconv.Itoa(n+1)+" OFFSET $"+strconv.Itoa(n+2), append(args, f.PageSize+1, f.Offset())...)
	}
	return fatora.NewClientPage(f, w.clients, w.total), err
}

// pageOrder adds to where the condition of f's cursor, and returns the
// ORDER BY of f's order. Names are compared as their bytes (COLLATE "C"),
// as SQLite compares them, whatever the database's collation.
func pageOrder(f fatora.ClientFilter, where string, args []any) (string, string, []any) {
	next := func() string { return "$" + strconv.Itoa(len(args)) }
	switch f.Order {
	case fatora.OrderNewest:
		if f.After > 0 {
			args = append(args, f.After)
			where += " AND id < " + next()
		}
		return where, "id DESC", args
	case fatora.OrderName:
		if f.After > 0 {
			args = append(args, f.AfterName)
			name := next()
			args = append(args, f.After)
			where += " AND (name COLLATE \"C\", id) > (" + name + ", " + next() + ")"
		}
		return where, "name COLLATE \"C\", id", args
	}
	if f.After > 0 {
		args = append(args, f.After)
		where += " AND id > " + next()
	}
	return where, "id", args
}

// countClients counts the matches of a normalised filter (see countQuery).
func countClients(ctx context.Context, tx queryer, scope fatora.Scope, f fatora.ClientFilter, since time.Time, rekeyed bool) (int, error) {
	where, args := filterClause(scope, f, since, rekeyed)
	var total int
	err := tx.QueryRow(ctx, countQuery(f, where), args...).Scan(&total)
	return total, mapError(err)
}

// filterClause returns the WHERE condition of a normalised filter and its
// arguments, numbered from $1 (see keywordClause). A list of deleted
// clients shows those deleted since (the retention period's start);
// rekeyed says that no client is left at an earlier version.
func filterClause(scope fatora.Scope, f fatora.ClientFilter, since time.Time, rekeyed bool) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	conds := []string{"merchant_id = " + arg(scope.MerchantID), "mode = " + arg(string(scope.Mode))}
	if byTerms(f) { // in a form no index serves (see keywordPlanSQL)
		conds = []string{"merchant_id + 0 = $1", "mode || '' = $2"}
	}
	if f.Status == fatora.StatusDeleted {
		conds = append(conds, "deleted_at IS NOT NULL AND deleted_at >= "+arg(since))
	} else {
		conds = append(conds, "deleted_at IS NULL")
	}
	if f.Email != "" {
		conds = append(conds, "email_folded = "+arg(f.Email))
	}
	if len(f.Metadata) > 0 {
		conds = append(conds, "metadata @> "+arg(fatora.EncodeMetadata(fatora.Metadata(f.Metadata)))+"::jsonb")
	}
	if f.Keyword != "" {
		conds = append(conds, keywordClause(scope, fatora.KeywordForms(f.Keyword, scope.Region), rekeyed, -1, arg))
	}
	return strings.Join(conds, " AND "), args
}

// keywordClause returns the condition that a client matches one of a
// keyword's forms. A client keyed by this version is looked up in the
// tenant's terms (see migration 0008), in one bucket of ids if bucket is 0
// or more (see buckets.go), and holds the form's substring
// (LIKE with %, _ and \ escaped); one of an earlier version (see rekey.go)
// is matched on its text, until the rekeying is complete: the planner
// would otherwise take the LIKE common to both out of the OR and scan the
// tenant's clients with it.
func keywordClause(scope fatora.Scope, forms []fatora.KeywordForm, rekeyed bool, bucket int64, arg func(any) string) string {
	if len(forms) == 0 {
		return "false"
	}
	var byIndex, byText []string
	for _, f := range forms {
		terms := make([]string, len(f.Terms))
		for i, t := range f.Terms {
			terms[i] = termOf(scope, t)
		}
		if bucket >= 0 {
			terms = append(terms, bucketTerm(scope, bucket))
		}
		cond := termsIndexed + " @> " + arg(terms) + "::text[]"
		if f.Substring == "" {
			byIndex, byText = append(byIndex, cond), append(byText, cond)
			continue
		}
		like := "search_text LIKE " + arg("%"+likeEscaper.Replace(f.Substring)+"%") + ` ESCAPE '\'`
		byIndex, byText = append(byIndex, cond+" AND "+like), append(byText, like)
	}
	indexed := "search_version >= 2 AND (" + strings.Join(byIndex, " OR ") + ")"
	if rekeyed {
		return indexed
	}
	return "(" + indexed + " OR search_version < 2 AND merchant_id = $1 AND mode = $2 AND (" + strings.Join(byText, " OR ") + "))"
}

// byTerms reports whether a normalised filter's clients are found through
// the tenant's terms in the search index: a keyword without an e-mail.
func byTerms(f fatora.ClientFilter) bool { return f.Keyword != "" && f.Email == "" }

// keywordPlanSQL leaves the planner one way to find a keyword's clients,
// whatever its statistics say: a bitmap of the tenant's terms in the GIN
// index (filterClause writes the tenant condition in a form no index
// serves). The statistics are the table's, every tenant's: with them, a
// search for a word that only another merchant holds was planned as a scan
// of the merchant's clients (11,534 pages read instead of 1,014 at
// 250,000 clients each), which told the other merchant's data by the time
// it took.
// It turns back on what the walk's plan (walkPlanSQL) turned off. It is
// sent with the first statement that needs it (see withSetup). Under it
// the statements that follow keep one plan (force_generic_plan): the
// planner had planned a bucket's count anew at every run, 106 µs of its
// 325, although every plan it may choose here is the same bitmap of the
// terms index.
const keywordPlanSQL = `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true),
	set_config('enable_indexonlyscan', 'off', true), set_config('enable_bitmapscan', 'on', true),
	set_config('enable_sort', 'on', true), set_config('enable_incremental_sort', 'on', true),
	set_config('plan_cache_mode', 'force_generic_plan', true)`

// tenantTerms is the terms column of a client of scope whose search text
// is text: its fatora.SearchTerms, each prefixed by the tenant.
func tenantTerms(scope fatora.Scope, text string) []string {
	terms := fatora.SearchTerms(text)
	for i, t := range terms {
		terms[i] = termOf(scope, t)
	}
	return terms
}

// termOf is a tenant's index term (see migration 0008).
func termOf(scope fatora.Scope, term string) string {
	return strconv.FormatInt(scope.MerchantID, 10) + string(scope.Mode)[:1] + term
}

// likeEscaper makes a keyword match itself literally in a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

func queryClients(ctx context.Context, q queryer, query string, args ...any) ([]fatora.Client, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	clients, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fatora.Client, error) { return scanClient(r) })
	return clients, mapError(err)
}

// UpdateClient implements fatora.ClientService. The row is locked while
// the update is worked out, so concurrent updates of different fields do
// not undo each other.
func (s *ClientService) UpdateClient(ctx context.Context, id int64, u fatora.ClientUpdate) (fatora.Client, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.Client{}, err
	}
	var c fatora.Client
	now := s.db.now()
	err = s.db.keyedChange(ctx, scope, now, func(tx pgx.Tx) (fatora.Client, error) {
		if c, err = findClient(ctx, tx, scope, id, "FOR UPDATE"); err != nil {
			return c, err
		}
		before := c
		changed, err := c.Update(u, now)
		if err != nil || !changed {
			return c, err // an update that changes nothing writes nothing
		}
		if err := updateRow(ctx, tx, scope, c); err != nil {
			return c, err
		}
		return c, writeEvent(ctx, tx, scope, fatora.ClientUpdated(scope.Mode, before, c))
	})
	return c, err
}

// updateRow writes c; a client holding the same data refuses it (see
// guarded).
func updateRow(ctx context.Context, tx pgx.Tx, scope fatora.Scope, c fatora.Client) error {
	match := c.MatchKeys(scope.Region)
	return guarded(ctx, tx, func(sp pgx.Tx) error {
		_, err := sp.Exec(ctx, `UPDATE clients SET name = $1, phone = $2, email = $3, address = $4, notes = $5,
			email_folded = $6, phone_digits = $7, search_text = $8, dedup = $9, updated_at = $10, metadata = $14, search_version = $15, terms = $16
			WHERE merchant_id = $11 AND mode = $12 AND id = $13`,
			c.Name, c.Phone, c.Email, c.Address, c.Notes, match.EmailFolded, match.PhoneDigits, match.SearchText, match.Dedup,
			c.UpdatedAt, scope.MerchantID, string(scope.Mode), c.ID, fatora.EncodeMetadata(c.Metadata), fatora.SearchVersion,
			tenantTerms(scope, match.SearchText))
		return err
	}, func() error { return duplicateOf(ctx, tx, scope, match.Dedup) })
}

// guarded runs write inside a savepoint: a unique violation (of the "same
// data" rule) aborts only the savepoint, and the transaction can still
// look up the other client with duplicate, whose error it returns.
func guarded(ctx context.Context, tx pgx.Tx, write func(pgx.Tx) error, duplicate func() error) error {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return mapError(err)
	}
	defer sp.Rollback(ctx)
	err = write(sp)
	if isUnique(err) {
		if err := sp.Rollback(ctx); err != nil {
			return mapError(err)
		}
		return duplicate()
	}
	if err != nil {
		return mapError(err)
	}
	return mapError(sp.Commit(ctx))
}

// DeleteClient implements fatora.ClientService: the client is marked
// deleted (see RestoreClient and PurgeDeletedClients).
func (s *ClientService) DeleteClient(ctx context.Context, id int64) error {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	now := s.db.now()
	return s.db.keyedChange(ctx, scope, now, func(tx pgx.Tx) (fatora.Client, error) {
		return fatora.Client{ID: id}, softDelete(ctx, tx, scope, id, now)
	})
}

// softDelete marks the live client id deleted at now and writes its event.
func softDelete(ctx context.Context, tx pgx.Tx, scope fatora.Scope, id int64, now time.Time) error {
	c, err := scanClient(tx.QueryRow(ctx, `UPDATE clients SET deleted_at = $1
		WHERE merchant_id = $2 AND mode = $3 AND id = $4 AND deleted_at IS NULL RETURNING `+clientColumns,
		now, scope.MerchantID, string(scope.Mode), id))
	if errors.Is(err, pgx.ErrNoRows) {
		return fatora.ClientNotFound()
	} else if err != nil {
		return mapError(err)
	}
	return writeEvent(ctx, tx, scope, fatora.ClientDeleted(scope.Mode, c, now))
}

// scanClient reads a row of clientColumns, then the extra columns into
// extra.
func scanClient(r pgx.Row, extra ...any) (fatora.Client, error) {
	var c fatora.Client
	var deleted *time.Time
	var metadata []byte
	dest := append([]any{&c.ID, &c.Name, &c.Phone, &c.Email, &c.Address, &c.Notes, &c.CreatedAt, &c.UpdatedAt, &deleted, &metadata}, extra...)
	if err := r.Scan(dest...); err != nil {
		return c, err
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if deleted != nil {
		c.DeletedAt = deleted.UTC()
	}
	var err error
	c.Metadata, err = fatora.DecodeMetadata(metadata)
	return c, err
}
