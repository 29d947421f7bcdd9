package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC: the server's collector target applies unless GOGC is set.
func TestTuneGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	t.Setenv("GOGC", "")
	tuneGC()
	if got := debug.SetGCPercent(100); got != serverGCPercent {
		t.Errorf("with GOGC unset, GC percent = %d, want %d", got, serverGCPercent)
	}
	t.Setenv("GOGC", "100")
	tuneGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC=100, GC percent = %d, want 100 (the operator's)", got)
	}
}
