// Package backoff spaces the retries of background work that failed: the
// stores' re-keying of existing clients retries a batch the database
// refused (a restart, a failover) instead of stopping until the next start.
package backoff

import (
	"context"
	"time"
)

// First is the wait after the first failure; each further failure doubles
// it, up to Max. Tests shorten First.
var First = 500 * time.Millisecond

// Max is the longest wait.
const Max = 30 * time.Second

// Delay is the wait after the given number of failures in a row (1 or
// more).
func Delay(failures int) time.Duration {
	d := First
	for i := 1; i < failures && d < Max; i++ {
		d *= 2
	}
	return min(d, Max)
}

// Wait waits Delay(failures) and reports true, or reports false as soon as
// ctx ends.
func Wait(ctx context.Context, failures int) bool {
	t := time.NewTimer(Delay(failures))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
