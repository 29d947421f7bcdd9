package main

import (
	"testing"

	"github.com/fatora-oss/fatora/httpapi"
)

// TestSearchTurnsByDatabase: --concurrent-searches 0 means one search a
// CPU on SQLite and half as many again on PostgreSQL; a number given is
// kept.
func TestSearchTurnsByDatabase(t *testing.T) {
	cpus := httpapi.DefaultSearchTurns()
	tests := []struct {
		dsn  string
		n    int
		want int
	}{
		{"sqlite:fatora.db", 0, cpus},
		{"postgres://fatora@db:5432/fatora", 0, cpus + cpus/2},
		{"postgresql://fatora@db:5432/fatora", 0, cpus + cpus/2},
		{"sqlite:fatora.db", 7, 7},
		{"postgres://fatora@db:5432/fatora", 1, 1},
	}
	for _, tt := range tests {
		if got := searchTurns(tt.dsn, tt.n); got != tt.want {
			t.Errorf("searchTurns(%q, %d) = %d, want %d", tt.dsn, tt.n, got, tt.want)
		}
	}
}
