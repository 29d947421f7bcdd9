package postgres

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fatora-oss/fatora"
)

// keyedOp makes the batch op of a keyed create, as CreateClient would.
func keyedOp(t *testing.T, db *DB, scope fatora.Scope, key, fingerprint, name string) (*batchOp, *fatora.Client) {
	t.Helper()
	f, err := fatora.ClientFields{Name: name}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	c := &fatora.Client{ClientFields: f, CreatedAt: db.now()}
	c.UpdatedAt = c.CreatedAt
	idem := &fatora.Idempotency{Key: key, Fingerprint: fingerprint, TTL: time.Hour,
		Render: func(c fatora.Client) fatora.StoredResponse {
			return fatora.StoredResponse{Status: 201, Body: []byte(fmt.Sprint(c.ID))}
		}}
	k := &keyedCreate{ctx: context.Background(), scope: scope, idem: idem, c: c, match: f.MatchKeys(fatora.DefaultRegion)}
	return &batchOp{ctx: k.ctx, fn: func(tx pgx.Tx) error { return createWithKey(tx, k) }, keyed: k}, c
}

// TestKeyedCreatesInOneBatch runs keyed creates that meet each other in one
// batch, pipelined, and holds each to the answer it would get alone, one
// after another; then a batch that one create breaks, whose others still
// succeed.
func TestKeyedCreatesInOneBatch(t *testing.T) {
	db := openTestDB(t)
	m := fatora.Merchant{Name: "Batch", Email: "batch@example.com"}
	if err := NewMerchantService(db).CreateMerchant(context.Background(), &m, nil); err != nil {
		t.Fatal(err)
	}
	scope := fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeTest}
	first, x := keyedOp(t, db, scope, "k1", "A", "Client X")
	again, _ := keyedOp(t, db, scope, "k1", "A", "Client X")
	reused, _ := keyedOp(t, db, scope, "k1", "B", "Client Y")
	dup, _ := keyedOp(t, db, scope, "k2", "C", "Client X")
	other, z := keyedOp(t, db, scope, "k3", "D", "Client Z")
	results := db.batch.run([]*batchOp{first, again, reused, dup, other})
	var replay *fatora.Replay
	switch {
	case results[0] != nil || results[4] != nil:
		t.Fatalf("creates failed: %v, %v", results[0], results[4])
	case !errors.As(results[1], &replay) || string(replay.Response.Body) != fmt.Sprint(x.ID):
		t.Errorf("the same request again = %v, want the replay of client %d", results[1], x.ID)
	case fatora.ErrorCode(results[2]) != fatora.CodeIdempotencyKeyReused:
		t.Errorf("the key with another request = %v, want idempotency_key_reused", results[2])
	}
	var dupErr *fatora.Error
	if !errors.As(results[3], &dupErr) || dupErr.Code != fatora.CodeDuplicateClient || dupErr.ExistingClientID != x.ID {
		t.Errorf("the same client under another key = %v, want duplicate_client of %d", results[3], x.ID)
	}
	for _, c := range []*fatora.Client{x, z} {
		got, err := NewClientService(db).FindClientByID(fatora.WithScope(context.Background(), scope), c.ID)
		if err != nil || got.Name != c.Name {
			t.Errorf("client %d = %+v, %v; want %s stored", c.ID, got, err, c.Name)
		}
	}

	// A key whose first use has expired, met twice in one batch: the first
	// creates afresh, the second replays the first (not a second client).
	db.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	fresh, f := keyedOp(t, db, scope, "k1", "A", "Client X2")
	retry, _ := keyedOp(t, db, scope, "k1", "A", "Client X2")
	results = db.batch.run([]*batchOp{fresh, retry})
	if results[0] != nil || !errors.As(results[1], &replay) || string(replay.Response.Body) != fmt.Sprint(f.ID) {
		t.Errorf("expired key twice in a batch = %v, %v; want a new client %d, then its replay", results[0], results[1], f.ID)
	}
	db.Now = time.Now

	// A create for a merchant that does not exist breaks the transaction (a
	// foreign key); the batch runs again one by one and only it fails.
	good, g := keyedOp(t, db, scope, "k4", "E", "Client G")
	bad, _ := keyedOp(t, db, fatora.Scope{MerchantID: m.ID + 1000, Mode: fatora.ModeTest}, "k5", "F", "Client H")
	results = db.batch.run([]*batchOp{good, bad})
	if results[0] != nil || results[1] == nil {
		t.Fatalf("results = %v; want the good create to succeed and the bad one to fail", results)
	}
	if _, err := NewClientService(db).FindClientByID(fatora.WithScope(context.Background(), scope), g.ID); err != nil {
		t.Errorf("the good create's client %d: %v", g.ID, err)
	}
}
