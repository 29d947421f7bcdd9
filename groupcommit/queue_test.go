package groupcommit

import (
	"context"
	"errors"
	"testing"
)

// TestBatchesTakeWhatWaits: Next hands out every waiting write up to the
// bound, then the rest, and ends once the queue is closed and drained.
func TestBatchesTakeWhatWaits(t *testing.T) {
	q := New[int](3)
	ctx := context.Background()
	for i := range 3 {
		if err := q.Put(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	go func() { q.Put(ctx, 3) }() // waits for room
	if batch, ok := q.Next(); !ok || len(batch) != 3 || batch[0] != 0 || batch[2] != 2 {
		t.Fatalf("first batch = %v, %v; want the three waiting", batch, ok)
	}
	if batch, ok := q.Next(); !ok || len(batch) != 1 || batch[0] != 3 {
		t.Fatalf("second batch = %v, %v; want the fourth write alone", batch, ok)
	}
	q.Close()
	q.Close()
	if err := q.Put(ctx, 4); !errors.Is(err, ErrClosed) {
		t.Errorf("Put after Close = %v, want ErrClosed", err)
	}
	if batch, ok := q.Next(); ok {
		t.Errorf("Next after Close = %v, want the end", batch)
	}
}

// TestPutGivesUpWithItsContext: a write that cannot be queued before its
// context ends is not queued.
func TestPutGivesUpWithItsContext(t *testing.T) {
	q := New[int](1)
	if err := q.Put(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := q.Put(ctx, 2); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put on a full queue with an ended context = %v, want context.Canceled", err)
	}
	q.Close()
	if batch, _ := q.Next(); len(batch) != 1 || batch[0] != 1 {
		t.Errorf("queued %v, want only the first write", batch)
	}
}
