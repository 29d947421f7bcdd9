package fatora

import "time"

// StoreStats are a store's figures for monitoring: its connection pool and
// its group commit.
type StoreStats struct {
	// MaxConns, OpenConns, InUse and Idle describe the connection pool that
	// serves requests (for SQLite, the read pool; writes have one
	// connection of their own).
	MaxConns  int
	OpenConns int
	InUse     int
	Idle      int
	// WaitCount and WaitDuration total the waits for a free connection (for
	// SQLite, for a turn at the read pool).
	WaitCount    int64
	WaitDuration time.Duration
	// Batches counts write transactions and Writes the writes they carried.
	Batches int64
	Writes  int64
}
