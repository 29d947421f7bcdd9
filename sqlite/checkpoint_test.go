package sqlite

import (
	"context"
	"fmt"
	"testing"

	"github.com/fatora-oss/fatora"
)

// TestCheckpointsLeaveTheWriter: the writer leaves checkpoints to the
// checkpointer (its own threshold is far above SQLite's 1000 pages), and the
// checkpointer's connection copies every committed page while the store is
// open.
func TestCheckpointsLeaveTheWriter(t *testing.T) {
	db, _, ctx := openTenant(t)
	var threshold int
	err := db.inBatch(context.Background(), func(tx runner) error {
		return tx.QueryRowContext(context.Background(), "PRAGMA wal_autocheckpoint").Scan(&threshold)
	})
	if err != nil || threshold != writerCheckpointPages {
		t.Fatalf("writer's wal_autocheckpoint = %d (%v), want %d", threshold, err, writerCheckpointPages)
	}
	for i := range 50 {
		if _, err := NewClientService(db).CreateClient(ctx, fatora.ClientFields{Name: fmt.Sprint("Paged ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	logged, copied, err := db.checkpoints.checkpoint()
	if err != nil || logged == 0 || copied != logged {
		t.Fatalf("checkpoint: %d pages logged, %d copied (%v); want all of them copied", logged, copied, err)
	}
}

// TestCloseTwice: closing a store again is harmless, as it was before the
// checkpointer.
func TestCloseTwice(t *testing.T) {
	db, _ := openFile(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db.Close()
}
