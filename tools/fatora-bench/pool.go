package main

import (
	"math/rand/v2"
	"sync"
)

// maxKnown bounds the clients a pool remembers; past it, a new client
// replaces a random one, so the pool stays a sample of all of them.
const maxKnown = 1 << 16

// knownClient is a client the run created: its id and name.
type knownClient struct {
	id   int64
	name string
}

// clientPool holds clients that get, update and search pick from. It is
// safe for concurrent use.
type clientPool struct {
	mu    sync.Mutex
	items []knownClient
}

func (p *clientPool) add(c knownClient, rnd *rand.Rand) {
	p.mu.Lock()
	if len(p.items) < maxKnown {
		p.items = append(p.items, c)
	} else {
		p.items[rnd.IntN(maxKnown)] = c
	}
	p.mu.Unlock()
}

// pick returns a random known client; ok is false when there is none.
func (p *clientPool) pick(rnd *rand.Rand) (c knownClient, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.items) == 0 {
		return c, false
	}
	return p.items[rnd.IntN(len(p.items))], true
}

func (p *clientPool) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.items)
}
