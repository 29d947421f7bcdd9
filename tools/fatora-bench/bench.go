package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
)

// preseedCount is how many clients a run wants to know before it starts
// when its mix reads clients (get, update, search): read from the server
// if it holds that many (see loadKnownClients), else created.
const preseedCount = 1000

// bench is one invocation: the server it started, if any, and what it
// must clean up.
type bench struct {
	cfg      config
	progress io.Writer
	dir      string
	db       *database
	server   *serverProcess
	// merchantErr is why creating the merchant failed, reported only if
	// Authorize then fails (on a reused database it may exist already).
	merchantErr error
	bulk        bulkResult
}

// execute seeds and measures as configured.
func (b *bench) execute(ctx context.Context) (*report, error) {
	rep := &report{Concurrency: b.cfg.concurrency, Duration: b.cfg.duration.Seconds(),
		Warmup: b.cfg.warmup.Seconds(), Mix: b.cfg.mix.String(), Target: b.cfg.url}
	t, err := b.fatoraTarget(ctx, rep)
	if err != nil {
		return nil, err
	}
	if b.cfg.seed > 0 {
		res, err := seedClients(ctx, t, b.cfg.seed, b.cfg.concurrency, b.progress)
		rep.Seed = &res
		if err != nil {
			return nil, err
		}
	}
	if b.cfg.duration > 0 {
		if err := b.measureAll(ctx, t, rep); err != nil {
			return nil, err
		}
	}
	if b.server != nil {
		m, err := b.server.memory()
		if err != nil {
			return nil, fmt.Errorf("server memory: %w", err)
		}
		rep.Memory = &m
	}
	return rep, nil
}

// measureAll runs the real server, after the baseline if asked, as many
// rounds as asked.
func (b *bench) measureAll(ctx context.Context, t *target, rep *report) error {
	var bt *target
	if b.cfg.baseline {
		base, err := startBaselineProcess(b.cfg.apiKey)
		if err != nil {
			return err
		}
		defer base.close()
		if bt, err = b.authorizedTarget(ctx, "baseline", base.base); err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		bt.pid = base.Pid()
	}
	for range b.cfg.rounds {
		for _, target := range []*target{bt, t} {
			if target == nil {
				continue
			}
			res, err := b.measure(ctx, target)
			if err != nil {
				return err
			}
			rep.Runs = append(rep.Runs, res)
		}
	}
	rep.compare()
	return nil
}

// measure runs the mix on t, creating clients first if it reads some.
func (b *bench) measure(ctx context.Context, t *target) (runResult, error) {
	if b.cfg.mix.needsClients() && t.pool.len() < preseedCount {
		if _, err := loadKnownClients(ctx, t); err != nil {
			return runResult{}, fmt.Errorf("reading clients to read: %w", err)
		}
	}
	if b.cfg.mix.needsClients() && t.pool.len() < preseedCount {
		if _, err := seedClients(ctx, t, preseedCount, b.cfg.concurrency, nil); err != nil {
			return runResult{}, fmt.Errorf("creating clients to read: %w", err)
		}
	}
	l := load{mix: b.cfg.mix, concurrency: b.cfg.concurrency, warmup: b.cfg.warmup, duration: b.cfg.duration, progress: b.progress}
	res := l.run(ctx, t)
	return res, ctx.Err()
}

// fatoraTarget returns the server to measure: --url, or one it starts.
func (b *bench) fatoraTarget(ctx context.Context, rep *report) (*target, error) {
	base := b.cfg.url
	if base == "" {
		var err error
		if base, err = b.startFatora(ctx); err != nil {
			return nil, err
		}
		rep.Target, rep.Database = base, b.db.name
		if b.cfg.bulk > 0 {
			rep.Bulk = &b.bulk
		}
	}
	t, err := b.authorizedTarget(ctx, "fatora", base)
	if err != nil {
		return nil, errors.Join(b.merchantErr, err)
	}
	if b.server != nil {
		t.pid = b.server.Pid()
	} else {
		t.pid = b.cfg.serverPid
	}
	return t, nil
}

// authorizedTarget returns the server at base as a target, with a token
// for the bench's API key.
func (b *bench) authorizedTarget(ctx context.Context, name, base string) (*target, error) {
	t := b.newTarget(name, base)
	tok, err := authorize(ctx, t.client, base, b.cfg.apiKey)
	if err != nil {
		return nil, err
	}
	t.bearer = "Bearer " + tok
	return t, nil
}

// startFatora builds (unless --bin) and starts a server on a new merchant.
func (b *bench) startFatora(ctx context.Context) (string, error) {
	var err error
	if b.dir, err = os.MkdirTemp("", "fatora-bench-*"); err != nil {
		return "", err
	}
	if b.db, err = prepareDatabase(ctx, b.cfg.db, b.dir); err != nil {
		return "", err
	}
	bin := b.cfg.bin
	if bin == "" {
		fmt.Fprintln(b.progress, "building ./cmd/fatora")
		bin = filepath.Join(b.dir, "fatora")
		if err = testenv.BuildFatora(ctx, bin); err != nil {
			return "", err
		}
	}
	// One merchant per key, so that runs with other keys on the same
	// database (--db sqlite:PATH) load other merchants.
	_, b.merchantErr = testenv.CreateMerchant(ctx, bin, b.db.dsn, "Bench", merchantEmail(b.cfg.apiKey), b.cfg.apiKey)
	if b.cfg.bulk > 0 {
		if b.bulk.InsertSeconds, err = bulkLoad(ctx, b.db.dsn, merchantEmail(b.cfg.apiKey), newRunID(), b.cfg.bulk, b.progress); err != nil {
			return "", err
		}
		b.bulk.Count = b.cfg.bulk
	}
	started := time.Now()
	if b.server, err = startServer(ctx, bin, b.db.dsn, b.dir, b.cfg.serveFlags); err != nil {
		return "", errors.Join(b.merchantErr, err)
	}
	if b.cfg.bulk > 0 {
		if b.bulk.RekeySeconds, err = waitRekeyed(ctx, b.db.dsn, started, b.progress); err != nil {
			return "", err
		}
	}
	fmt.Fprintf(b.progress, "fatora serve at %s on %s\n", b.server.url, b.db.name)
	return b.server.url, nil
}

func (b *bench) newTarget(name, base string) *target {
	return &target{name: name, base: base, client: newHTTPClient(b.cfg.concurrency), pool: new(clientPool), run: newRunID()}
}

// newRunID returns a random tag that keeps one run's e-mail addresses and
// keys apart from another's.
func newRunID() string {
	run := make([]byte, 4)
	rand.Read(run)
	return hex.EncodeToString(run)
}

// close stops the server and removes the temporary database, unless --keep.
func (b *bench) close() error {
	var err error
	if b.server != nil {
		err = b.server.stop()
		b.server = nil
	}
	if b.cfg.keep {
		if b.db != nil {
			fmt.Fprintf(b.progress, "kept %s and the database %s\n", b.dir, b.db.name)
		}
		return err
	}
	if b.db != nil && b.db.drop != nil {
		err = errors.Join(err, b.db.drop())
	}
	if b.dir != "" {
		err = errors.Join(err, os.RemoveAll(b.dir))
	}
	return err
}

// authorize exchanges an API key for a bearer token.
func authorize(ctx context.Context, c *http.Client, base, apiKey string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/Authorization/Authorize", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("api_key", apiKey)
	resp, err := c.Do(req)
	if err != nil {
		return "", fmt.Errorf("authorize: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		BearerToken string `json:"bearer_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || out.BearerToken == "" {
		return "", fmt.Errorf("authorize with the API key: status %d", resp.StatusCode)
	}
	return out.BearerToken, nil
}

// merchantEmail is the e-mail address of the merchant whose key is apiKey:
// bench@example.com for the default key, one of its own for another.
func merchantEmail(apiKey string) string {
	if apiKey == defaultAPIKey {
		return "bench@example.com"
	}
	sum := sha256.Sum256([]byte(apiKey))
	return fmt.Sprintf("bench-%x@example.com", sum[:6])
}
