package backoff

import (
	"context"
	"testing"
	"time"
)

func TestDelayDoublesUpToMax(t *testing.T) {
	want := []time.Duration{First, 2 * First, 4 * First}
	for i, w := range want {
		if got := Delay(i + 1); got != w {
			t.Errorf("Delay(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := Delay(100); got != Max {
		t.Errorf("Delay(100) = %v, want %v", got, Max)
	}
}

func TestWaitEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if Wait(ctx, 100) {
		t.Error("Wait reported true after its context ended")
	}
}
