package sqlite

import (
	"context"
	"database/sql"
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
// keys), checks that search reads them by that text meanwhile, then
// reopens the store and checks that the background rekeying folds them,
// indexes them and keeps two clients that turn out the same.
func TestRekeyKeysOldClientsAnew(t *testing.T) {
	db, path, ctx := openTenant(t)
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
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)") // the writer may be merging the search index
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE clients SET address = 'Doha' WHERE id = ?`, ids[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE clients SET search_version = 1, search_text = lower(name), dedup = 'old' || id`); err != nil {
		t.Fatal(err)
	}
	wantFound(t, cs, ctx, "الكعبي", ids[0]) // by the old text, before the rekeying
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	testenv.Receive(t, db.rekeyer.Done(), "the rekeying")
	if db.rekeyer.Err != nil {
		t.Fatal(db.rekeyer.Err)
	}
	cs = NewClientService(db)
	wantFound(t, cs, ctx, "الكعبي", ids[0], ids[1])
	wantFound(t, cs, ctx, "5512 3456", ids[0], ids[1])
	wantFound(t, cs, ctx, "66123456", ids[2])
	var stale, apart int
	err = raw.QueryRow(`SELECT (SELECT count(*) FROM clients WHERE search_version < 2),
		(SELECT count(*) FROM clients WHERE dedup LIKE '%:' || id)`).Scan(&stale, &apart)
	if err != nil || stale != 0 || apart != 1 {
		t.Errorf("%d clients left to key anew, %d kept apart as duplicates (%v); want 0 and 1", stale, apart, err)
	}
	if _, err := cs.CreateClient(ctx, fatora.ClientFields{Name: "احمد الكعبي", Phone: "+974 5512 3456", Address: "DOHA"}); fatora.ErrorCode(err) != fatora.CodeDuplicateClient {
		t.Errorf("creating the same data again: %v, want duplicate_client", err)
	}
	db.writer.searchCatchUp = 1
	if _, err := cs.CreateClient(ctx, fatora.ClientFields{Name: "Last"}); err != nil {
		t.Fatal(err)
	}
	checkSearchIndex(t, path)
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

// TestRekeyRetriesAfterFailures: a batch the database refuses is tried
// again after a wait, and the rekeying still keys every client anew.
func TestRekeyRetriesAfterFailures(t *testing.T) {
	db, path, ctx := openTenant(t)
	if _, err := NewClientService(db).CreateClient(ctx, fatora.ClientFields{Name: "أحمد الكعبي"}); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)") // the writer may be merging the search index
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE clients SET search_version = 1, search_text = lower(name)`); err != nil {
		t.Fatal(err)
	}
	backoff.First = time.Millisecond
	r := startRekey(testenv.FailingFirst(3, db.rekeyOnce, fatora.DatabaseUnavailable(errors.New("disk full"))))
	testenv.Receive(t, r.Done(), "the rekeying")
	var stale int
	if err := raw.QueryRow(`SELECT count(*) FROM clients WHERE search_version < 2`).Scan(&stale); err != nil {
		t.Fatal(err)
	}
	if r.Err != nil || r.Failures != 3 || stale != 0 {
		t.Errorf("the rekeying ended with %v after %d failures, %d clients left; want nil, 3, 0", r.Err, r.Failures, stale)
	}
}
