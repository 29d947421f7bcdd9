package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/sandbox"
	"github.com/fatora-oss/fatora/sdk"
)

// migrationSource is a server of ours acting as the Fatora account a
// merchant moves from: a sandbox seeded with clients, which speaks
// Fatora's documented API, behind fronts that see its requests first.
type migrationSource struct {
	sb  *sandbox.Sandbox
	url string
	api *sdk.Client
}

func newMigrationSource(t *testing.T, clients int, fronts ...func(http.Handler) http.Handler) *migrationSource {
	t.Helper()
	sb, err := sandbox.New(context.Background(), sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	if err := sb.Seed(context.Background(), clients, 3); err != nil {
		t.Fatal(err)
	}
	h := sb.Handler()
	for i := len(fronts) - 1; i >= 0; i-- {
		h = fronts[i](h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	api, err := sdk.New(srv.URL, sb.APIKey, sdk.WithBackoff(0, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return &migrationSource{sb: sb, url: srv.URL + "/v1", api: api}
}

// client returns the source's client id.
func (s *migrationSource) client(t *testing.T, id int64) fatora.ClientFields {
	t.Helper()
	rec, err := s.api.Clients.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return fatora.ClientFields{Name: rec.Name, Phone: rec.Phone, Email: rec.Email, Address: rec.Address, Notes: rec.Notes}
}

// fatoraShaped answers every list of clients as Fatora documents it: the
// clients, each with id, name, phone, email, address and note, and no
// paging member; it blanks the name of the client numbered blank, a
// client Fatora kept that this server refuses.
func fatoraShaped(blank int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet || !strings.EqualFold(strings.TrimSuffix(r.URL.Path, "/"), "/v1/clients") {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var page struct {
				Clients []map[string]any `json:"clients"`
			}
			if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &page) != nil {
				copyResponse(w, rec)
				return
			}
			out := []map[string]any{}
			for _, c := range page.Clients {
				if c["id"].(float64) == float64(blank) {
					c["name"] = "   "
				}
				out = append(out, map[string]any{"id": c["id"], "name": c["name"], "phone": c["phone"],
					"email": c["email"], "address": c["address"], "note": c["notes"]})
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"status": "SUCCESS", "clients": out})
		})
	}
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// migrationDest is the database migrated into, with its merchant.
type migrationDest struct {
	dsn, number string
	st          *store
	scope       fatora.Scope
}

func newMigrationDest(t *testing.T) *migrationDest {
	t.Helper()
	dsn, _ := testDB(t)
	m := createMerchant(t, dsn, "shop@example.com")
	st, err := open(context.Background(), dsn, poolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.close() })
	found, err := st.merchants.FindMerchantByNumber(context.Background(), m.Number)
	if err != nil {
		t.Fatal(err)
	}
	return &migrationDest{dsn: dsn, number: m.Number, st: st, scope: fatora.Scope{MerchantID: found.ID, Mode: fatora.ModeLive}}
}

// clients returns the merchant's live clients by id.
func (d *migrationDest) clients(t *testing.T) map[int64]fatora.ClientFields {
	t.Helper()
	out := map[int64]fatora.ClientFields{}
	ctx := fatora.WithScope(context.Background(), d.scope)
	for page := 1; ; page++ {
		p, err := d.st.clients.FindClients(ctx, fatora.ClientFilter{Page: page, PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Clients {
			out[c.ID] = c.ClientFields
		}
		if !p.More {
			return out
		}
	}
}

// migrate runs `fatora migrate` from src into d's merchant (live) with
// args, and returns its JSON summary and error.
func (d *migrationDest) migrate(t *testing.T, ctx context.Context, src *migrationSource, args ...string) (migrationSummary, error) {
	t.Helper()
	full := append([]string{"migrate", "--from", src.url, "--from-key", src.sb.APIKey, "--db", d.dsn,
		"--merchant", d.number, "--mode", "live", "--json"}, args...)
	var out, errOut bytes.Buffer
	err := run(quickRetries(ctx), full, &out, &errOut)
	var sum migrationSummary
	if jerr := json.Unmarshal(out.Bytes(), &sum); jerr != nil {
		t.Fatalf("fatora %s: %v; stdout %q, stderr %q", strings.Join(full, " "), err, out.String(), errOut.String())
	}
	return sum, err
}

// readMap reads a --map file into source id -> new id, in order.
func readMap(t *testing.T, path string) ([]int64, map[int64]int64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 || strings.Join(rows[0], ",") != "source_id,new_id" {
		t.Fatalf("the map %v: %v, want a CSV headed source_id,new_id", rows, err)
	}
	var order []int64
	m := map[int64]int64{}
	for _, row := range rows[1:] {
		src, _ := strconv.ParseInt(row[0], 10, 64)
		dst, _ := strconv.ParseInt(row[1], 10, 64)
		order, m[src] = append(order, src), dst
	}
	return order, m
}

// TestMigrateCopiesEveryClient migrates 57 clients, 10 a page, from a
// source shaped as Fatora documents (no paging member) that answers 503 to
// one request in four: every client is copied once with its fields, the
// one the destination already has is mapped to it, the one it refuses is
// reported with the reason, and the map names every client copied.
func TestMigrateCopiesEveryClient(t *testing.T) {
	t.Parallel()
	const clients, blank, twin = 57, 7, 3
	var mu sync.Mutex
	var listed []string
	src := newMigrationSource(t, clients, fatoraShaped(blank), func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/v1/clients") {
				mu.Lock()
				listed = append(listed, r.URL.RawQuery)
				mu.Unlock()
			}
			next.ServeHTTP(w, r)
		})
	})
	if _, err := src.sb.Fail(sandbox.Failure{Status: http.StatusServiceUnavailable, Every: 4, Count: sandboxFailForever}); err != nil {
		t.Fatal(err)
	}
	d := newMigrationDest(t)
	existing, err := d.st.clients.CreateClient(fatora.WithScope(context.Background(), d.scope), src.client(t, twin))
	if err != nil {
		t.Fatal(err)
	}
	mapFile := filepath.Join(t.TempDir(), "map.csv")
	sum, err := d.migrate(t, context.Background(), src, "--page-size", "10", "--map", mapFile)
	if err != nil {
		t.Fatal(err)
	}
	want := migrationSummary{Read: clients, Copied: clients - 2, AlreadyPresent: 1, SameData: 1, Refused: 1, Complete: true}
	if sum.Read != want.Read || sum.Copied != want.Copied || sum.SameData != 1 || sum.Refused != 1 || !sum.Complete ||
		len(sum.RefusedClients) != 1 || sum.RefusedClients[0].SourceID != blank || !strings.Contains(sum.RefusedClients[0].Reason, "name") {
		t.Errorf("summary %+v, want %+v with source client %d refused for its name", sum, want, blank)
	}
	order, mapped := readMap(t, mapFile)
	if len(order) != clients-1 || order[0] != 1 || order[len(order)-1] != clients || mapped[twin] != existing.ID {
		t.Errorf("the map lists %v, want sources 1 to %d but %d in order, %d mapped to client %d", order, clients, blank, twin, existing.ID)
	}
	here := d.clients(t)
	if len(here) != clients-1 {
		t.Errorf("%d clients here, want %d", len(here), clients-1)
	}
	for srcID, newID := range mapped {
		if got, want := here[newID], src.client(t, srcID); !got.Equal(want) {
			t.Errorf("source client %d became %d: %+v, want %+v", srcID, newID, got, want)
		}
	}
	injected := 0
	for _, r := range src.sb.Requests() {
		injected += btoi(r.Injected)
	}
	mu.Lock()
	defer mu.Unlock()
	if injected == 0 || !slices.Contains(listed, "page=6&page_size=10") || slices.Contains(listed, "page=7&page_size=10") {
		t.Errorf("%d requests failed; pages read %v: want failures, and pages 1 to 6 but not 7 (6 is short)", injected, listed)
	}
}

// sandboxFailForever is a Count that outlasts a test.
const sandboxFailForever = 10000

// TestMigrateInterruptedThenRunAgain stops a migration while it reads the
// third page (as Ctrl-C would), changes a client already copied at the
// source, and runs the same command again: the second run copies the rest,
// finds the first run's clients already present (the changed one too), and
// creates nothing twice.
func TestMigrateInterruptedThenRunAgain(t *testing.T) {
	t.Parallel()
	const clients = 45
	ctx, interrupt := context.WithCancel(context.Background())
	src := newMigrationSource(t, clients, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("page") == "3" {
				interrupt()
			}
			next.ServeHTTP(w, r)
		})
	})
	d := newMigrationDest(t)
	mapFile := filepath.Join(t.TempDir(), "map.csv")
	first, err := d.migrate(t, ctx, src, "--page-size", "10", "--map", mapFile)
	if err == nil || !strings.Contains(err.Error(), "interrupted") || first.Complete || first.Copied != 20 {
		t.Fatalf("the interrupted run: %+v, %v; want 20 copied, incomplete, and an error saying it was interrupted", first, err)
	}
	_, firstMap := readMap(t, mapFile)
	if _, err := src.api.Clients.Update(context.Background(), 5, sdk.ClientUpdateParams{Name: sdk.String("Renamed Meanwhile")}); err != nil {
		t.Fatal(err)
	}

	second, err := d.migrate(t, context.Background(), src, "--page-size", "10", "--map", mapFile)
	if err != nil || !second.Complete || second.Copied != clients-20 || second.Replayed != 20 || second.AlreadyPresent != 20 {
		t.Fatalf("the second run: %+v, %v; want %d copied and the first run's 20 already present", second, err, clients-20)
	}
	order, mapped := readMap(t, mapFile)
	if len(order) != clients {
		t.Errorf("the map of the second run lists %d clients, want %d", len(order), clients)
	}
	for srcID, newID := range firstMap {
		if mapped[srcID] != newID {
			t.Errorf("source client %d: %d in the first run's map, %d in the second's", srcID, newID, mapped[srcID])
		}
	}
	if here := d.clients(t); len(here) != clients {
		t.Errorf("%d clients here, want %d: one for each source client", len(here), clients)
	} else if here[mapped[5]].Name == "Renamed Meanwhile" {
		t.Errorf("source client 5, changed after it was copied, was copied again")
	}
}

// TestMigrateRefusesWhatCannotWork: settings that cannot work, an unknown
// merchant and a key the source refuses stop the command with a message
// saying so, and create nothing.
func TestMigrateRefusesWhatCannotWork(t *testing.T) {
	t.Parallel()
	src := newMigrationSource(t, 3)
	d := newMigrationDest(t)
	base := func(drop string, extra ...string) []string {
		args := map[string]string{"--from": src.url, "--from-key": src.sb.APIKey, "--db": d.dsn, "--merchant": d.number, "--mode": "live"}
		delete(args, drop)
		out := []string{"migrate"}
		for _, k := range []string{"--from", "--from-key", "--db", "--merchant", "--mode"} {
			if v, ok := args[k]; ok {
				out = append(out, k, v)
			}
		}
		return append(out, extra...)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{base("--from"), "--from"},
		{base("--from-key"), "--from-key"},
		{base("--merchant"), "--merchant"},
		{base("--mode"), "--mode"},
		{base("--mode", "--mode", "prod"), "--mode"},
		{base("", "--page-size", "0"), "--page-size"},
		{base("--merchant", "--merchant", "99999"), "99999"},
		{base("--from-key", "--from-key", "E4B73FEE-0000-0000-0000-852B0EBC91C9"), "invalid_api_key"},
	} {
		_, errOut, err := runFatora(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("fatora %s: %v (stderr %q), want an error naming %s", strings.Join(tc.args[1:], " "), err, errOut, tc.want)
		}
	}
	if n := len(d.clients(t)); n != 0 {
		t.Errorf("%d clients here after refused migrations, want 0", n)
	}
}

// TestMigrationSummaryText: the summary says whether the migration ended,
// its counts, and each refused client with the reason.
func TestMigrationSummaryText(t *testing.T) {
	var out bytes.Buffer
	s := migrationSummary{Read: 3, Copied: 1, AlreadyPresent: 1, Refused: 1, Unfinished: 2,
		RefusedClients: []refusedClient{{SourceID: 9, Reason: "Invalid client: name is required and must not be blank."}}}
	if err := printMigrationSummary(&out, "from https://api.fatora.io/v1 into merchant 10001 (live)", s, false); err != nil {
		t.Fatal(err)
	}
	want := "Stopped migrating 3 clients from https://api.fatora.io/v1 into merchant 10001 (live): 1 copied, 1 already present, 1 refused, 2 unfinished.\n" +
		"  refused: source client 9: Invalid client: name is required and must not be blank.\n"
	if out.String() != want {
		t.Errorf("summary\n%q\nwant\n%q", out.String(), want)
	}
}
