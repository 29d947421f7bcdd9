package sqlite_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/sqlite"
)

// TestConcurrentWritesCommitTogether shows group commit at work: many
// concurrent creates take fewer transactions than writes, and every one of
// them is stored.
func TestConcurrentWritesCommitTogether(t *testing.T) {
	db := openTemp(t)
	m := fatora.Merchant{Name: "Batch", Email: "batch@example.com"}
	if err := sqlite.NewMerchantService(db).CreateMerchant(context.Background(), &m, nil); err != nil {
		t.Fatal(err)
	}
	ctx := fatora.WithScope(context.Background(), fatora.Scope{MerchantID: m.ID, Mode: fatora.ModeLive})
	clients := sqlite.NewClientService(db)
	before := db.Stats()
	const n = 300
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if _, err := clients.CreateClient(ctx, fatora.ClientFields{Name: fmt.Sprint("Client ", i)}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	after := db.Stats()
	writes, batches := after.Writes-before.Writes, after.Batches-before.Batches
	if writes != n || batches >= n {
		t.Errorf("%d creates went through %d writes in %d transactions; want %d writes in fewer transactions", n, writes, batches, n)
	}
	page, err := clients.FindClients(ctx, fatora.ClientFilter{})
	if err != nil || page.TotalCount != n {
		t.Errorf("stored %d clients (%v), want %d", page.TotalCount, err, n)
	}
	t.Logf("%d creates in %d transactions", writes, batches)
}
