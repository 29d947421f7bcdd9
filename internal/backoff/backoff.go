// Package backoff runs background work in batches and spaces the retries
// of a batch that failed (Loop): the stores' re-keying of existing clients
// retries a batch the database refused (a restart, a failover) instead of
// stopping until the next start.
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

// Loop runs a batch step in the background until the step reports that
// it had nothing left to do (0), waiting after each failure (see Wait).
type Loop struct {
	cancel context.CancelFunc
	done   chan struct{}
	// Err is the last failure (nil once a batch succeeds after it, or
	// what finish returned), Failures how many failures there were in all
	// and Total the sum of what the steps reported. Read them once Done
	// is closed.
	Err      error
	Failures int
	Total    int
}

// Start runs step until it reports 0, then finish with the total (finish
// may be nil); Stop ends it sooner.
func Start(step func(context.Context) (int, error), finish func(ctx context.Context, total int) error) *Loop {
	ctx, cancel := context.WithCancel(context.Background())
	l := &Loop{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.run(ctx, step, finish)
	}()
	return l
}

func (l *Loop) run(ctx context.Context, step func(context.Context) (int, error), finish func(context.Context, int) error) {
	inRow := 0
	for {
		n, err := step(ctx)
		l.Total += n
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			l.Err, l.Failures, inRow = err, l.Failures+1, inRow+1
			if !Wait(ctx, inRow) {
				return
			}
		case n == 0:
			l.Err = nil
			if finish != nil {
				l.Err = finish(ctx, l.Total)
			}
			return
		default:
			l.Err, inRow = nil, 0
		}
	}
}

// Done is closed once the loop has ended.
func (l *Loop) Done() <-chan struct{} { return l.done }

// Stop ends the loop and waits for it.
func (l *Loop) Stop() {
	l.cancel()
	<-l.done
}
