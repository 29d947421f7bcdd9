package postgres

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/backoff"
	"github.com/fatora-oss/fatora/internal/testenv"
)

// TestRekeyKeysOldClientsAnew makes clients look keyed by the version
// before issue 12's fold (lower-cased name only, their own duplicate
// keys), checks that search reads them by that text meanwhile, then keys
// them anew as a store that opens does and checks that they are folded,
// indexed, and that two clients that turn out the same both stay.
func TestRekeyKeysOldClientsAnew(t *testing.T) {
	db := openTestDB(t)
	scope := tenantScope(t, db, "rekey")
	ctx := fatora.WithScope(context.Background(), scope)
	cs := NewClientService(db)
	var ids []int64
	for _, f := range []fatora.ClientFields{
		{Name: "أحمد الكعبي", Phone: "5512 3456", Address: "Doha"},
		{Name: "احمد الكعبى", Phone: "+97455123456", Address: "Doha 2"},
		{Name: "Other", Phone: "0097466123456"},
	} {
		c, err := cs.CreateClient(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	for _, stmt := range []string{
		fmt.Sprintf("UPDATE clients SET address = 'Doha' WHERE id = %d", ids[1]),
		"UPDATE clients SET search_version = 1, search_text = lower(name), dedup = 'old' || id",
	} {
		if _, err := db.pool.Exec(context.Background(), stmt); err != nil {
			t.Fatal(err)
		}
	}
	testenv.Receive(t, db.rekeyer.Done(), "the rekeying")
	db.rekeyer.complete.Store(false)        // as when the store opens on clients left at the earlier version
	wantFound(t, cs, ctx, "الكعبي", ids[0]) // by the old text, before the rekeying
	backoff.First = time.Millisecond
	r := startRekey(db, testenv.FailingFirst(2, db.rekeyOnce, fatora.DatabaseUnavailable(errors.New("the database is restarting")))) // as when the database restarts meanwhile
	testenv.Receive(t, r.Done(), "the rekeying")
	if r.Err != nil || !r.complete.Load() || r.Failures != 2 {
		t.Fatalf("the rekeying ended with %v, complete %v, after %d failures (want 2)", r.Err, r.complete.Load(), r.Failures)
	}
	db.rekeyer = r
	wantFound(t, cs, ctx, "الكعبي", ids[0], ids[1])
	wantFound(t, cs, ctx, "5512 3456", ids[0], ids[1])
	wantFound(t, cs, ctx, "66123456", ids[2])
	var stale, apart int
	err := db.pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM clients WHERE search_version < 2),
		(SELECT count(*) FROM clients WHERE dedup LIKE '%:' || id)`).Scan(&stale, &apart)
	if err != nil || stale != 0 || apart != 1 {
		t.Errorf("%d clients left to key anew, %d kept apart as duplicates (%v); want 0 and 1", stale, apart, err)
	}
	if _, err := cs.CreateClient(ctx, fatora.ClientFields{Name: "احمد الكعبي", Phone: "+974 5512 3456", Address: "DOHA"}); fatora.ErrorCode(err) != fatora.CodeDuplicateClient {
		t.Errorf("creating the same data again: %v, want duplicate_client", err)
	}
}

func wantFound(t *testing.T, cs *ClientService, ctx context.Context, keyword string, ids ...int64) {
	t.Helper()
	page, err := cs.FindClients(ctx, fatora.ClientFilter{Keyword: keyword})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, c := range page.Clients {
		got = append(got, c.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Errorf("keyword %q found %v, want %v", keyword, got, ids)
	}
}
