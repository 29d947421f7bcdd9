package postgres

import (
	"context"
	"strconv"
	"sync/atomic"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// termsIndexed is the expression of the terms index (migration 0012): each
// client's terms and its bucket's term. Queries write it as the same text,
// so that the planner matches it to the index.
const termsIndexed = `array_append(terms, merchant_id::text || left(mode, 1) || E'\t' || (id >> 12)::text)`

// bucketShift makes a client's bucket of its id: the ids that agree but
// for their last 12 bits, 4,096 of them (migration 0012 holds the same).
const bucketShift = 12

// bucketProbes is how many buckets a count or a page reads, one after
// another, before it gives up and reads the tenant's whole terms instead.
// In a tenant whose ids are not shared with others, a keyword held by one
// client in 40 finds a count's 101 matches in two or three buckets; one
// held by one client in 1,000 would need about 25, and its whole terms
// are few enough to read at once.
var bucketProbes = 16

// bucketCounts and bucketPages count the counts and pages that buckets
// answered (for tests).
var bucketCounts, bucketPages atomic.Int64

// bucketTerm is the term that every client of scope in bucket holds (see
// termsIndexed): the tenant, a tab (which no other term holds) and the
// bucket's number.
func bucketTerm(scope fatora.Scope, bucket int64) string {
	return termOf(scope, "\t"+strconv.FormatInt(bucket, 10))
}

// countByBuckets goes on with a keyword's count past the walk's last row
// (w.countEnd), reading the tenant's terms a bucket of ids at a time in
// the walk's direction (w.countAfter, see findBuckets), and reports whether
// it answered: it has f.CountLimit() matches, or it read every bucket
// left. The index builds each bucket's bitmap only, where a count through
// the tenant's whole terms builds the bitmap of all its matches before
// reading the first.
func countByBuckets(ctx context.Context, tx queryer, scope fatora.Scope, f fatora.ClientFilter, w walked) (int, bool, error) {
	total, answered, err := readBuckets(w.countAfter, w.total, f.CountLimit(), func(bucket int64, need int) (int, error) {
		return countBucket(ctx, tx, scope, f, bucket, w.countEnd, need)
	})
	if !answered || err != nil {
		return 0, false, err
	}
	bucketCounts.Add(1)
	return total, true, nil
}

// readBuckets reads the buckets of after, one after another, with read
// (given how many more it needs, it returns how many it found), from got
// found already until it has want, and reports whether that answered: it
// has want, or it read every bucket there is. No buckets looked for (the
// zero bucketsAfter) answer nothing.
func readBuckets(after bucketsAfter, got, want int, read func(bucket int64, need int) (int, error)) (int, bool, error) {
	for _, bucket := range after.buckets {
		if got >= want {
			break
		}
		n, err := read(bucket, want-got)
		if err != nil {
			return got, false, err
		}
		got += n
	}
	return got, after.all || len(after.buckets) > 0 && got >= want, nil
}

// bucketsAfter are the buckets of a tenant's clients past a walk's last
// row, in the walk's direction: at most bucketProbes of them, and all
// there are if all is set (the zero value: none looked for).
type bucketsAfter struct {
	buckets []int64
	all     bool
}

// findBuckets finds the buckets past the walk's ends (see bucketsAfter)
// for a count or a page that the walk did not answer, while the walk's
// plan holds (walkPlanSQL): each is found by one step down the tenant's
// index. A walk that found no match says that the keyword is rare, which
// the whole terms answer cheaply: no buckets then. A page by number past
// the first (an offset) is left to the whole terms too.
func (w *walked) findBuckets(ctx context.Context, tx pgx.Tx, scope fatora.Scope, f fatora.ClientFilter) error {
	var err error
	count := w.countEnd != 0 && w.total > 0
	if count {
		if w.countAfter, err = nextBuckets(ctx, tx, scope, f, w.countEnd); err != nil {
			return err
		}
	}
	switch {
	case w.pageEnd == 0 || len(w.clients) == 0 || f.Offset() > 0 || f.Order == fatora.OrderName:
	case count && w.pageEnd == w.countEnd:
		w.pageAfter = w.countAfter
	default:
		w.pageAfter, err = nextBuckets(ctx, tx, scope, f, w.pageEnd)
	}
	return err
}

// nextBuckets returns the buckets of the tenant's live clients past the id
// end in f's order (a skip scan of the tenant's index: the next client's
// id, then the next one past its bucket, and so on).
func nextBuckets(ctx context.Context, tx pgx.Tx, scope fatora.Scope, f fatora.ClientFilter, end int64) (bucketsAfter, error) {
	first, next, order := "id > $3", "id >= (b.k + 1) << "+strconv.Itoa(bucketShift), "id"
	if f.Order == fatora.OrderNewest {
		first, next, order = "id < $3", "id < b.k << "+strconv.Itoa(bucketShift), "id DESC"
	}
	tenant := "SELECT id FROM clients WHERE merchant_id = $1 AND mode = $2 AND deleted_at IS NULL AND "
	query := "WITH RECURSIVE b(k, n) AS (SELECT (" + tenant + first + " ORDER BY " + order + " LIMIT 1) >> " + strconv.Itoa(bucketShift) + ", 1" +
		" UNION ALL SELECT (" + tenant + next + " ORDER BY " + order + " LIMIT 1) >> " + strconv.Itoa(bucketShift) + ", n + 1" +
		" FROM b WHERE b.k IS NOT NULL AND n <= $4) SELECT k FROM b WHERE k IS NOT NULL"
	rows, err := tx.Query(ctx, query, scope.MerchantID, string(scope.Mode), end, bucketProbes)
	if err != nil {
		return bucketsAfter{}, mapError(err)
	}
	buckets, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return bucketsAfter{}, mapError(err)
	}
	after := bucketsAfter{buckets: buckets, all: len(buckets) <= bucketProbes}
	if !after.all {
		after.buckets = buckets[:bucketProbes]
	}
	return after, nil
}

// countBucket counts, up to limit, the matches of f's keyword among the
// tenant's clients in bucket past the id end in f's direction.
func countBucket(ctx context.Context, tx queryer, scope fatora.Scope, f fatora.ClientFilter, bucket, end int64, limit int) (int, error) {
	where, args := bucketClause(scope, f, bucket, end)
	var n int
	err := tx.QueryRow(ctx, "SELECT count(*) FROM (SELECT 1 FROM clients WHERE "+where+" LIMIT "+strconv.Itoa(limit)+") t", args...).Scan(&n)
	return n, mapError(err)
}

// bucketClause returns the condition, and its arguments, of the tenant's
// clients in bucket that match f's keyword and come after the id end in
// f's order. The tenant condition is in the form no index serves, as
// filterClause writes it (see keywordPlanSQL).
func bucketClause(scope fatora.Scope, f fatora.ClientFilter, bucket, end int64) (string, []any) {
	args := []any{scope.MerchantID, string(scope.Mode)}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	past := " AND id > "
	if f.Order == fatora.OrderNewest {
		past = " AND id < "
	}
	return "merchant_id + 0 = $1 AND mode || '' = $2 AND deleted_at IS NULL AND " +
		keywordClause(scope, fatora.KeywordForms(f.Keyword, scope.Region), true, bucket, arg) + past + arg(end), args
}

// pageByBuckets goes on with a keyword's page past the walk's last row
// (w.pageEnd) as countByBuckets does with a count: bucket after bucket in
// the page's order (w.pageAfter), each bucket's matches sorted, until the
// page has one client past its size or every bucket left was read.
// Through the tenant's whole terms, the page would read and sort every
// match of the keyword (25,000 rows and 100 to 200 ms for one held by one
// client in 40 of 1,000,000).
func pageByBuckets(ctx context.Context, tx queryer, scope fatora.Scope, f fatora.ClientFilter, w walked) ([]fatora.Client, bool, error) {
	order := " ORDER BY id"
	if f.Order == fatora.OrderNewest {
		order = " ORDER BY id DESC"
	}
	clients := w.clients
	_, answered, err := readBuckets(w.pageAfter, len(clients), f.PageSize+1, func(bucket int64, need int) (int, error) {
		where, args := bucketClause(scope, f, bucket, w.pageEnd)
		found, err := queryClients(ctx, tx, "SELECT "+clientColumns+" FROM clients WHERE "+where+order+" LIMIT "+strconv.Itoa(need), args...)
		clients = append(clients, found...)
		return len(found), err
	})
	if !answered || err != nil {
		return nil, false, err
	}
	bucketPages.Add(1)
	return clients, true, nil
}
