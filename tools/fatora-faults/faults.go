package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// stats are the live counters of a run, shared by workers, the fault
// injectors and the progress printer.
type stats struct {
	ops, acked, refused, indeterminate atomic.Int64
	kills, pgRestarts, selfExits       atomic.Int64

	mu       sync.Mutex
	statuses map[string]int // "201", "503", "timeout", "connection error", ...
}

// note counts one attempt's answer.
func (s *stats) note(a answer, o outcome) {
	s.ops.Add(1)
	switch o {
	case acknowledged:
		s.acked.Add(1)
	case refused:
		s.refused.Add(1)
	default:
		s.indeterminate.Add(1)
	}
	s.noteStatus(a)
}

// noteStatus counts an answer by its status, or the kind of its failure.
func (s *stats) noteStatus(a answer) {
	key := strconv.Itoa(a.status)
	var ne net.Error
	switch {
	case a.err != nil && errors.As(a.err, &ne) && ne.Timeout():
		key = "timeout"
	case a.err != nil:
		key = "connection error"
	case a.code != "":
		key += " " + a.code
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.statuses == nil {
		s.statuses = map[string]int{}
	}
	s.statuses[key]++
}

func (s *stats) statusCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.statuses)
}

// killLoop kills the server with SIGKILL every period and starts it again
// at once on the same port and database, until ctx ends. An incarnation
// that exits by itself (it could not open the database, say) is started
// again too.
func killLoop(ctx context.Context, srv *process, every time.Duration, st *stats, out io.Writer) {
	kill := time.NewTicker(every)
	defer kill.Stop()
	watch := time.NewTicker(100 * time.Millisecond)
	defer watch.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-kill.C:
			if srv.kill() {
				st.kills.Add(1)
			} else {
				st.selfExits.Add(1)
			}
		case <-watch.C:
			if !srv.exited() {
				continue
			}
			st.selfExits.Add(1)
		}
		if err := srv.start(); err != nil {
			fmt.Fprintf(out, "starting the server: %v\n", err)
		}
	}
}

// printProgress prints a line every period until ctx ends.
func printProgress(ctx context.Context, st *stats, every time.Duration, out io.Writer) {
	began := time.Now()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		fmt.Fprintf(out, "%6.1fs  ops %d  acked %d  refused %d  indeterminate %d  kills %d  pg restarts %d\n",
			time.Since(began).Seconds(), st.ops.Load(), st.acked.Load(), st.refused.Load(),
			st.indeterminate.Load(), st.kills.Load(), st.pgRestarts.Load())
	}
}
