package httpapi

import (
	"context"
	"maps"
	"sync"
	"time"
)

// keyUses remembers when each API key last authenticated a request on
// this server, until FlushKeyUses writes it down: a map write per request,
// a database write per key a minute.
type keyUses struct {
	mu   sync.Mutex
	last map[string]time.Time
}

func (k *keyUses) note(keyID string, at time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.last == nil {
		k.last = map[string]time.Time{}
	}
	if at.After(k.last[keyID]) {
		k.last[keyID] = at
	}
}

// take returns the uses noted since the last take and forgets them.
func (k *keyUses) take() map[string]time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := k.last
	k.last = nil
	return out
}

// FlushKeyUses writes down, with Server.RecordKeyUse, when each key was
// last used since the previous flush. Uses it could not write are kept
// for the next flush. The server's owner calls it every
// fatora.KeyUseFlushEvery and once more on shutdown.
func (s *Server) FlushKeyUses(ctx context.Context) error {
	if s.RecordKeyUse == nil {
		return nil
	}
	uses := s.keyUses.take()
	if len(uses) == 0 {
		return nil
	}
	err := s.RecordKeyUse(ctx, uses)
	if err != nil {
		for id, at := range maps.All(uses) {
			s.keyUses.note(id, at)
		}
	}
	return err
}
