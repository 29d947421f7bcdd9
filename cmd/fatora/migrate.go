package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/sdk"
)

const migrateDetails = `Copies every client of a merchant's account at Fatora (or any server that
speaks Fatora's Clients API) into this server's database, for the merchant
--merchant, in --mode. It authorizes with --from-key as Fatora documents
(GET /v1/Authorization/Authorize with the api_key header), then reads
GET /v1/clients?page=1&page_size=..., page after page, until a page comes
back empty or shorter than the pages before it (or than the page_size the
source says, or its last page by total_pages, when it says them). Failed
reads are retried, after a 429 or a 5xx too.

Each client is created here with its name, phone, e-mail, address and
notes, under an idempotency key made of the source's URL and the client's
id there: a run stopped anywhere (Ctrl-C, a crash, a source that stays
down) is finished by running the same command again, and nothing is
created twice, even if the client changed at the source in between. Keys
are kept for --idempotency-ttl of the server (24 hours by default); after
that, a client copied already is still found by the same-data rule (same
name, e-mail, phone and address) unless it was changed here since.

A client this server refuses (a blank name, a field too long, a bad
e-mail...) is reported with the reason and the run goes on. The summary
counts the clients read, copied, already present (copied by an earlier run,
or with the same data as a client here) and refused. --map FILE writes a
CSV of source_id,new_id for every client copied or already present, in the
source's order. Prefer FATORA_MIGRATE_FROM_KEY to --from-key: a command
line can be read by other users of the machine.`

// maxMigratePageSize bounds --page-size.
const maxMigratePageSize = 1000

// migrateConfig is what `fatora migrate` is configured with.
type migrateConfig struct {
	from, fromKey     string
	db, merchant      string
	mode              string
	mapFile           string
	pageSize, workers int
	asJSON            bool
}

func migrateFlags(fs *flagSet) runner {
	var cfg migrateConfig
	fs.StringVar(&cfg.from, "from", "", "base `URL` of the source API, such as https://api.fatora.io/v1 (required)")
	fs.StringVar(&cfg.fromKey, "from-key", "", "the merchant's API `key` at the source (required)")
	db := dbFlag(fs)
	fs.StringVar(&cfg.merchant, "merchant", "", "the `number` of the merchant here whose clients they become (required)")
	fs.StringVar(&cfg.mode, "mode", "", "the `mode` here the clients are created in: test or live (required)")
	fs.StringVar(&cfg.mapFile, "map", "", "write a CSV of source_id,new_id to this `file`")
	fs.IntVar(&cfg.pageSize, "page-size", 100, fmt.Sprintf("clients asked for a page, 1 to %d", maxMigratePageSize))
	fs.IntVar(&cfg.workers, "concurrency", 8, fmt.Sprintf("creates in flight at once, 1 to %d", maxImportConcurrency))
	fs.BoolVar(&cfg.asJSON, "json", false, "print the summary as JSON")
	fs.fromEnv("from", "FATORA_MIGRATE_FROM")
	fs.fromEnv("from-key", "FATORA_MIGRATE_FROM_KEY")
	return func(ctx context.Context, c *call) error {
		cfg.db = *db
		mode, err := checkMigrateConfig(&cfg)
		if err != nil {
			return err
		}
		return migrate(ctx, c, cfg, mode)
	}
}

// checkMigrateConfig refuses settings that cannot work, before anything
// is opened or sent.
func checkMigrateConfig(cfg *migrateConfig) (fatora.Mode, error) {
	switch {
	case cfg.from == "":
		return "", errors.New("give the source's base URL: --from https://api.fatora.io/v1")
	case cfg.fromKey == "":
		return "", errors.New("give the merchant's key at the source: --from-key KEY, or FATORA_MIGRATE_FROM_KEY")
	case cfg.merchant == "":
		return "", errors.New("give the number of the merchant here: --merchant N (fatora merchant list)")
	case cfg.pageSize < 1 || cfg.pageSize > maxMigratePageSize:
		return "", fmt.Errorf("--page-size must be 1 to %d", maxMigratePageSize)
	case cfg.workers < 1 || cfg.workers > maxImportConcurrency:
		return "", fmt.Errorf("--concurrency must be 1 to %d", maxImportConcurrency)
	case cfg.mode == "":
		return "", errors.New("give the mode the clients are created in: --mode test or --mode live")
	}
	mode, err := fatora.ParseMode(cfg.mode)
	if err != nil {
		return "", fmt.Errorf("--mode: %s", fatora.ErrorMessage(err))
	}
	return mode, nil
}

// migrate runs a migration as configured and prints its summary, and the
// map when asked for, even when it stopped early.
func migrate(ctx context.Context, c *call, cfg migrateConfig, mode fatora.Mode) error {
	source, err := sdkClient(ctx, cfg.from, cfg.fromKey, sdk.WithMaxRetries(6))
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	st, _, err := openStore(ctx, cfg.db, poolOptions{maxConns: 4}, mustExist)
	if err != nil {
		return err
	}
	defer st.close()
	m, err := st.merchants.FindMerchantByNumber(ctx, cfg.merchant)
	if err != nil {
		return fmt.Errorf("--merchant %s: %s", cfg.merchant, fatora.ErrorMessage(err))
	}
	mg := &migrator{source: source.Clients, sourceName: sourceName(cfg.from), clients: st.clients,
		scope: fatora.Scope{MerchantID: m.ID, Mode: mode}, pageSize: cfg.pageSize, workers: cfg.workers,
		progress: newProgress(c.stderr, "migrate", 0)}
	runErr := mg.run(ctx)
	if cfg.mapFile != "" {
		if err := writeMigrationMap(cfg.mapFile, mg.mapping); err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("--map: %w", err))
		}
	}
	where := fmt.Sprintf("from %s into merchant %s (%s)", redactedURL(cfg.from), m.Number, mode)
	if err := printMigrationSummary(c.stdout, where, mg.sum, cfg.asJSON); err != nil {
		return err
	}
	return runErr
}

// sourceName is the source as its idempotency keys name it: the base URL
// with its host in lower case, without a final / or /v1, so that the
// forms of one URL name one source.
func sourceName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	path := strings.TrimSuffix(strings.TrimRight(u.Path, "/"), "/v1")
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + strings.TrimRight(path, "/")
}

// redactedURL is a URL fit to print: without a user part or query.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(the --from URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// migrationSummary is what a migration did, printed at its end.
type migrationSummary struct {
	// Read counts the clients read from the source and settled: copied,
	// already present or refused.
	Read   int `json:"read"`
	Copied int `json:"copied"`
	// AlreadyPresent counts the clients copied by an earlier run (Replayed)
	// or with the same data as a client here (SameData).
	AlreadyPresent int             `json:"already_present"`
	Replayed       int             `json:"replayed"`
	SameData       int             `json:"same_data"`
	Refused        int             `json:"refused"`
	RefusedClients []refusedClient `json:"refused_clients"`
	// Unfinished counts the clients read whose copy's outcome is unknown
	// because the run stopped: the next run settles them.
	Unfinished int `json:"unfinished"`
	// Complete reports that every client of the source was settled.
	Complete bool `json:"complete"`
}

// refusedClient is a source client this server refused, and why.
type refusedClient struct {
	SourceID int64  `json:"source_id"`
	Reason   string `json:"reason"`
}

// progressText is the counts the progress shows.
func (s *migrationSummary) progressText() string {
	return fmt.Sprintf("%d read: %d copied, %d already present, %d refused", s.Read, s.Copied, s.AlreadyPresent, s.Refused)
}

func printMigrationSummary(w io.Writer, where string, s migrationSummary, asJSON bool) error {
	slices.SortFunc(s.RefusedClients, func(a, b refusedClient) int { return cmp.Compare(a.SourceID, b.SourceID) })
	if s.RefusedClients == nil {
		s.RefusedClients = []refusedClient{}
	}
	if asJSON {
		return printJSON(w, s)
	}
	how := "Migrated"
	if !s.Complete {
		how = "Stopped migrating"
	}
	fmt.Fprintf(w, "%s %d %s %s: %d copied, %d already present, %d refused", how, s.Read,
		plural(s.Read, "client", "clients"), where, s.Copied, s.AlreadyPresent, s.Refused)
	if s.Unfinished > 0 {
		fmt.Fprintf(w, ", %d unfinished", s.Unfinished)
	}
	fmt.Fprintln(w, ".")
	for _, r := range s.RefusedClients {
		fmt.Fprintf(w, "  refused: source client %d: %s\n", r.SourceID, r.Reason)
	}
	return nil
}
