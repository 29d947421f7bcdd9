package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/sdk"
)

// migrator copies the clients of a source API into a store, a page at a
// time, workers creates at once within a page.
type migrator struct {
	source     *sdk.ClientsService
	sourceName string // what the idempotency keys name the source by
	clients    fatora.ClientService
	scope      fatora.Scope
	pageSize   int
	workers    int
	progress   *progress

	sum     migrationSummary
	mapping []mappedClient // in the source's order
}

// mappedClient is a source client and the client here it became.
type mappedClient struct{ sourceID, newID int64 }

// copyOutcome is what became of one source client.
type copyOutcome int

const (
	copyUnfinished copyOutcome = iota // not tried, or its outcome lost to a stop
	copyCreated
	copyReplayed // created by an earlier run, under the same key
	copySameData // the same data as a client here (duplicate_client)
	copyRefused  // refused for what it holds: reported, and the run goes on
	copyFailed   // a failure that stops the run
)

type copyResult struct {
	outcome copyOutcome
	newID   int64
	err     error
}

// run copies every page, and stops at the first failure or the end of
// ctx, with what was done until then in m.sum and m.mapping.
func (m *migrator) run(ctx context.Context) error {
	pages := &sourcePages{clients: m.source, size: m.pageSize}
	defer m.progress.clear()
	for {
		recs, last, err := pages.next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return &lineError{err: err, text: "migration interrupted; " + migrateAgain}
			}
			return fmt.Errorf("migration stopped: reading the source: %w; %s", oneLine(err), migrateAgain)
		}
		if pages.total > 0 {
			m.progress.total = int64(pages.total)
		}
		if err := m.tally(recs, m.copyPage(ctx, recs)); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return &lineError{err: ctx.Err(), text: "migration interrupted; " + migrateAgain}
		}
		if last {
			m.sum.Complete = true
			return nil
		}
	}
}

// migrateAgain ends the error of a migration that stopped early.
const migrateAgain = "run the same command again to finish: clients already copied are not copied twice"

// copyPage creates the clients of a page, workers at a time, and returns
// what became of each, in the page's order.
func (m *migrator) copyPage(ctx context.Context, recs []sdk.ClientRecord) []copyResult {
	results := make([]copyResult, len(recs))
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	turns := make(chan struct{}, m.workers)
	var wg sync.WaitGroup
	for i, rec := range recs {
		turns <- struct{}{}
		wg.Go(func() {
			defer func() { <-turns }()
			if results[i] = m.copyOne(ctx, rec); results[i].outcome == copyFailed {
				stop() // no more creates once one failed
			}
		})
	}
	wg.Wait()
	return results
}

// copyOne creates one source client here, at most once for its key.
func (m *migrator) copyOne(ctx context.Context, rec sdk.ClientRecord) copyResult {
	if ctx.Err() != nil {
		return copyResult{}
	}
	key := migrationKey(m.sourceName, rec.ID)
	idem := &fatora.Idempotency{Key: key, Fingerprint: "fatora migrate " + key, TTL: fatora.DefaultIdempotencyTTL,
		Render: func(c fatora.Client) fatora.StoredResponse {
			return fatora.StoredResponse{Status: 201, Body: []byte(strconv.FormatInt(c.ID, 10))}
		}}
	c, err := m.clients.CreateClient(fatora.WithIdempotency(fatora.WithScope(ctx, m.scope), idem),
		fatora.ClientFields{Name: rec.Name, Phone: rec.Phone, Email: rec.Email, Address: rec.Address, Notes: rec.Notes})
	replay, isReplay := errors.AsType[*fatora.Replay](err)
	e, isAPI := errors.AsType[*fatora.Error](err)
	switch {
	case err == nil:
		return copyResult{outcome: copyCreated, newID: c.ID}
	case isReplay:
		id, perr := strconv.ParseInt(string(replay.Response.Body), 10, 64)
		if perr != nil {
			return copyResult{outcome: copyFailed, err: fmt.Errorf("the key %s holds no client id: it was used by another program", key)}
		}
		return copyResult{outcome: copyReplayed, newID: id}
	case ctx.Err() != nil:
		return copyResult{}
	case isAPI && e.Code == fatora.CodeDuplicateClient:
		return copyResult{outcome: copySameData, newID: e.ExistingClientID}
	case isAPI && e.Code == fatora.CodeInvalidField:
		return copyResult{outcome: copyRefused, err: err}
	}
	return copyResult{outcome: copyFailed, err: err}
}

// migrationKey is the idempotency key of a source client: of the source
// and the client's id there, and nothing else, so that it stays the same
// from run to run whatever the client holds.
func migrationKey(source string, id int64) string {
	sum := sha256.Sum256([]byte("fatora migrate v1\n" + source + "\n" + strconv.FormatInt(id, 10)))
	return "migrate-" + hex.EncodeToString(sum[:])
}

// tally counts what became of a page's clients, maps the ones now here,
// reports the refused ones, and returns the first failure.
func (m *migrator) tally(recs []sdk.ClientRecord, results []copyResult) error {
	var failure error
	for i, res := range results {
		rec := recs[i]
		switch res.outcome {
		case copyCreated, copyReplayed, copySameData:
			m.mapping = append(m.mapping, mappedClient{sourceID: rec.ID, newID: res.newID})
			m.sum.Copied += btoi(res.outcome == copyCreated)
			m.sum.Replayed += btoi(res.outcome == copyReplayed)
			m.sum.SameData += btoi(res.outcome == copySameData)
		case copyRefused:
			reason := fatora.ErrorMessage(res.err)
			m.sum.Refused++
			m.sum.RefusedClients = append(m.sum.RefusedClients, refusedClient{SourceID: rec.ID, Reason: reason})
			m.progress.println(fmt.Sprintf("source client %d refused: %s", rec.ID, reason))
		case copyFailed:
			if failure == nil {
				failure = fmt.Errorf("migration stopped: source client %d: %s; %s", rec.ID, fatora.ErrorMessage(res.err), migrateAgain)
			}
			m.sum.Unfinished++
		default:
			m.sum.Unfinished++
		}
	}
	m.sum.AlreadyPresent = m.sum.Replayed + m.sum.SameData
	m.sum.Read = m.sum.Copied + m.sum.AlreadyPresent + m.sum.Refused
	m.progress.update(int64(m.sum.Read), &m.sum)
	return failure
}

// writeMigrationMap writes the map, source_id,new_id, to path: to a file
// beside it first, renamed over it once complete.
func writeMigrationMap(path string, mapping []mappedClient) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := csv.NewWriter(tmp)
	w.Write([]string{"source_id", "new_id"})
	for _, mc := range mapping {
		w.Write([]string{strconv.FormatInt(mc.sourceID, 10), strconv.FormatInt(mc.newID, 10)})
	}
	w.Flush()
	if err := errors.Join(w.Error(), tmp.Sync(), tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
