package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver
)

// bulkResult reports a --bulk load and the server keying it anew.
type bulkResult struct {
	Count         int     `json:"count"`
	InsertSeconds float64 `json:"insert_seconds"`
	// RekeySeconds is how long the started server took to key the clients
	// anew (search text, E.164 phones, duplicate keys, index): the
	// migration of existing data.
	RekeySeconds float64 `json:"rekey_seconds"`
}

// bulkRows is how many clients one INSERT writes, bulkTx one transaction.
const (
	bulkRows = 500
	bulkTx   = 20_000
)

var addresses = []string{
	"شارع الكورنيش، الدوحة", "West Bay, Doha", "اللؤلؤة، الدوحة", "Al Sadd, Doha", "الوكرة", "Lusail City",
	"جبل عمان، عمّان", "Abdoun, Amman", "شارع الجامعة، إربد", "Aqaba", "", "",
}

// openBulk opens the database at dsn (sqlite:PATH or a postgres:// URL)
// for the bulk load, and says which placeholders it takes.
func openBulk(dsn string) (*sql.DB, bool, error) {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
		return db, false, err
	}
	db, err := sql.Open("pgx", dsn)
	return db, true, err
}

// bulkLoad inserts n clients of the merchant with the e-mail address email
// (live mode, as the bench's key is live) straight into the database, in multi-row INSERTs, keyed as
// before issue 12 (search_version 1, the lower-cased name as search text)
// so that the server keys them anew when it starts, as it does after the
// migration on existing data.
func bulkLoad(ctx context.Context, dsn, email, run string, n int, w io.Writer) (float64, error) {
	db, pg, err := openBulk(dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var merchant int64
	if err := db.QueryRowContext(ctx, placeholders("SELECT id FROM merchants WHERE email = ?", pg), email).Scan(&merchant); err != nil {
		return 0, fmt.Errorf("bulk: the merchant %s: %w", email, err)
	}
	start := time.Now()
	for done := 0; done < n; done += bulkTx {
		if err := bulkTransaction(ctx, db, pg, merchant, run, done, min(bulkTx, n-done)); err != nil {
			return 0, err
		}
		fmt.Fprintf(w, "bulk %d/%d  %.0f clients/s\n", done+min(bulkTx, n-done), n, float64(done)/time.Since(start).Seconds())
	}
	return time.Since(start).Seconds(), nil
}

func bulkTransaction(ctx context.Context, db *sql.DB, pg bool, merchant int64, run string, from, n int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i := 0; i < n; i += bulkRows {
		query, args := bulkInsert(pg, merchant, run, from+i, min(bulkRows, n-i))
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("bulk insert: %w", err)
		}
	}
	if !pg { // the server indexes them once it has keyed them anew
		if _, err := tx.ExecContext(ctx, "DELETE FROM clients_search_pending"); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func bulkInsert(pg bool, merchant int64, run string, from, n int) (string, []any) {
	var b strings.Builder
	b.WriteString(`INSERT INTO clients (merchant_id, mode, name, phone, email, address, notes, email_folded,
		phone_digits, search_text, dedup, created_at, updated_at, search_version) VALUES `)
	args := make([]any, 0, n*11)
	var now any = time.Now().UnixMicro()
	if pg {
		now = time.Now()
	}
	for i := range n {
		p := newPerson(uint64(from+i+1), run)
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, 'live', ?, ?, ?, ?, '', ?, '', ?, ?, ?, ?, 1)")
		args = append(args, merchant, p.name, p.phone, p.email, addresses[(from+i)%len(addresses)],
			strings.ToLower(p.email), strings.ToLower(p.name), "bulk-"+run+"-"+strconv.Itoa(from+i), now, now)
	}
	return placeholders(b.String(), pg), args
}

// placeholders numbers the ? of query for PostgreSQL.
func placeholders(query string, pg bool) string {
	if !pg {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// waitRekeyed waits until the server has keyed every client anew, and
// says how long that took from start.
func waitRekeyed(ctx context.Context, dsn string, start time.Time, w io.Writer) (float64, error) {
	db, _, err := openBulk(dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	for {
		var left int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM clients WHERE search_version < 2").Scan(&left); err != nil {
			return 0, err
		}
		if left == 0 {
			return time.Since(start).Seconds(), nil
		}
		fmt.Fprintf(w, "rekey: %d clients left  elapsed %s\n", left, time.Since(start).Round(time.Second))
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}
