package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/sdk"
)

// apiEnv is the API served in-process (internal/apitest) on a new SQLite
// database, with one merchant whose test key the clients commands use.
type apiEnv struct {
	api *apitest.Env
	srv *httptest.Server
	// base is the URL the commands are given: srv's, or a proxy's.
	base string
	key  string
}

func newAPIEnv(t testing.TB) *apiEnv {
	t.Helper()
	api := apitest.New(t, apitest.Options{})
	srv := api.Serve()
	return &apiEnv{api: api, srv: srv, base: srv.URL, key: api.NewMerchant("shop").Keys[fatora.ModeTest]}
}

// restart stops serving once every request in flight has been answered,
// then serves the API again, on another port.
func (e *apiEnv) restart() {
	e.srv.Close()
	e.srv = e.api.Serve()
	e.base = e.srv.URL
}

// cliResult is what one command line did.
type cliResult struct {
	stdout, stderr string
	err            error
}

// clients runs `fatora clients args...` against the server, with the
// --url and --api-key flags after args (flags may follow an id).
func (e *apiEnv) clients(t testing.TB, args ...string) cliResult {
	t.Helper()
	return e.clientsCtx(t, context.Background(), args...)
}

func (e *apiEnv) clientsCtx(t testing.TB, ctx context.Context, args ...string) cliResult {
	t.Helper()
	full := append(append([]string{"clients"}, args...), "--url", e.base, "--api-key", e.key)
	var out, errOut bytes.Buffer
	err := run(quickRetries(ctx), full, &out, &errOut)
	return cliResult{stdout: out.String(), stderr: errOut.String(), err: err}
}

// quickRetries returns ctx making the commands' SDK clients wait at most a
// millisecond between attempts, and opts besides, so that a command
// retrying does not wait in real time.
func quickRetries(ctx context.Context, opts ...sdk.Option) context.Context {
	return context.WithValue(ctx, sdkOptionsKey{}, append([]sdk.Option{sdk.WithBackoff(0, time.Millisecond)}, opts...))
}

// ok runs a command that must succeed and returns its stdout.
func (e *apiEnv) ok(t testing.TB, args ...string) string {
	t.Helper()
	r := e.clients(t, args...)
	if r.err != nil {
		t.Fatalf("fatora clients %s: %v\nstderr: %s", strings.Join(args, " "), r.err, r.stderr)
	}
	return r.stdout
}

// client runs a command printing one client with --json and decodes it.
func (e *apiEnv) client(t testing.TB, args ...string) clientOutput {
	t.Helper()
	var c clientOutput
	decodeJSON(t, []byte(e.ok(t, append(args, "--json")...)), &c)
	return c
}

// listAll returns every client, by `clients list --all --json`.
func (e *apiEnv) listAll(t testing.TB) []clientOutput {
	t.Helper()
	var l listOutput
	decodeJSON(t, []byte(e.ok(t, "list", "--all", "--json")), &l)
	if l.TotalCount != len(l.Clients) {
		t.Fatalf("list --all: total_count %d, %d clients", l.TotalCount, len(l.Clients))
	}
	return l.Clients
}

// wantOneLineError checks a failed command: one line naming want, no
// doubled "fatora:" prefix, and exit status 2.
func wantOneLineError(t testing.TB, r cliResult, want string) {
	t.Helper()
	if r.err == nil {
		t.Fatalf("succeeded, want an error with %q; stdout: %s", want, r.stdout)
	}
	msg := r.err.Error()
	if strings.Contains(msg, "\n") || strings.HasPrefix(msg, "fatora:") || !strings.Contains(msg, want) {
		t.Errorf("error %q; want one line with %q, without a \"fatora:\" prefix (main adds it)", msg, want)
	}
	if code := exitCode(r.err); code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
}

var ignoreTimes = cmpopts.IgnoreFields(clientOutput{}, "CreatedAt", "UpdatedAt")

// TestClientsRoundTrip creates, reads, lists, changes and deletes a client
// with the commands, in JSON and as tables.
func TestClientsRoundTrip(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	created := e.client(t, "create", "--name", "ليلى Client", "--phone", "+974 5555 1234", "--email", "layla@example.com",
		"--address", "12 Main St\nDoha", "--notes", "VIP 🌟")
	want := clientOutput{ID: created.ID, Name: "ليلى Client", Phone: "+974 5555 1234", Email: "layla@example.com",
		Address: "12 Main St\nDoha", Notes: "VIP 🌟"}
	if diff := cmp.Diff(want, created, ignoreTimes); diff != "" || created.ID <= 0 || created.CreatedAt == "" {
		t.Fatalf("create --json (-want +got):\n%s", diff)
	}
	id := strconv.FormatInt(created.ID, 10)
	if got := e.client(t, "get", id); got != created {
		t.Errorf("get ID --json = %+v, want %+v", got, created)
	}
	var before clientOutput // the flag before the id
	decodeJSON(t, []byte(e.ok(t, "get", "--json", id)), &before)
	if before != created {
		t.Errorf("get --json ID = %+v, want %+v", before, created)
	}

	table := e.ok(t, "get", id)
	for _, row := range []string{"ID       " + id, "Name     ليلى Client", "Address  12 Main St", "         Doha", "Notes    VIP 🌟"} {
		if !strings.Contains(table, row+"\n") {
			t.Errorf("get ID printed:\n%s\nwant the row %q", table, row)
		}
	}

	other := e.client(t, "create", "--name", "Omar", "--email", "omar@example.com")
	list := e.ok(t, "list", "--keyword", "LAYLA")
	if !strings.Contains(list, "ID  NAME") || !strings.Contains(list, "ليلى Client") || strings.Contains(list, "Omar") ||
		!strings.Contains(list, "12 Main St Doha") || !strings.Contains(list, "Page 1 of 1, 1 client in all.") {
		t.Errorf("list --keyword LAYLA printed:\n%s\nwant a table of the one client, its address on one line", list)
	}
	var page listOutput
	decodeJSON(t, []byte(e.ok(t, "list", "--email", "OMAR@example.com", "--json")), &page)
	if len(page.Clients) != 1 || page.Clients[0] != other || page.TotalCount != 1 || page.Page != 1 {
		t.Errorf("list --email --json = %+v, want Omar alone on page 1", page)
	}

	updated := e.client(t, "update", id, "--phone", "", "--name", "Layla")
	want.Name, want.Phone = "Layla", ""
	if diff := cmp.Diff(want, updated, ignoreTimes); diff != "" {
		t.Errorf("update --phone \"\" --name Layla (-want +got):\n%s", diff)
	}
	if got := e.client(t, "get", id); got != updated {
		t.Errorf("get after update = %+v, want %+v", got, updated)
	}

	if out := e.ok(t, "delete", id); out != "Client "+id+" deleted.\n" {
		t.Errorf("delete printed %q", out)
	}
	gone := e.clients(t, "get", id)
	wantOneLineError(t, gone, "404 not_found: No client with this id exists. (request ")
	if got := e.listAll(t); len(got) != 1 || got[0] != other {
		t.Errorf("after delete, list --all = %+v, want Omar alone", got)
	}
}

// TestClientsPages pages through 45 clients by number, by cursor and with
// --all.
func TestClientsPages(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	var lines []string
	for i := range 45 {
		lines = append(lines, fmt.Sprintf(`{"name":"Client %02d"}`, i))
	}
	path := writeFile(t, "clients.jsonl", strings.Join(lines, "\n"))
	e.ok(t, "import", path, "--concurrency", "1") // in order

	all := e.listAll(t)
	if len(all) != 45 || all[0].Name != "Client 00" || all[44].Name != "Client 44" {
		t.Fatalf("list --all: %d clients from %+v, want 45 in order", len(all), all[0])
	}
	var third listOutput
	decodeJSON(t, []byte(e.ok(t, "list", "--page", "3", "--page-size", "20", "--json")), &third)
	if diff := cmp.Diff(all[40:], third.Clients); diff != "" || third.TotalPages != 3 || third.NextCursor != "" {
		t.Errorf("page 3 of 20 (total_pages %d, next_cursor %q), clients (-want +got):\n%s", third.TotalPages, third.NextCursor, diff)
	}
	var first, second listOutput
	decodeJSON(t, []byte(e.ok(t, "list", "--page-size", "20", "--json")), &first)
	decodeJSON(t, []byte(e.ok(t, "list", "--page-size", "20", "--cursor", first.NextCursor, "--json")), &second)
	if diff := cmp.Diff(all[20:40], second.Clients); diff != "" || first.NextCursor == "" {
		t.Errorf("the page after cursor %q (-want +got):\n%s", first.NextCursor, diff)
	}
	table := e.ok(t, "list", "--page-size", "20")
	if !strings.Contains(table, "Page 1 of 3, 45 clients in all. Next: --page 2 or --cursor "+first.NextCursor+"\n") {
		t.Errorf("list printed:\n%s\nwant where the next page is", table)
	}
	if table := e.ok(t, "list", "--all"); strings.Count(table, "Client ") != 45 || !strings.HasSuffix(table, "45 clients.\n") {
		t.Errorf("list --all printed:\n%s\nwant 45 rows and a count", table)
	}
	if table := e.ok(t, "list", "--keyword", "nobody"); table != "No clients.\nPage 1 of 0, 0 clients in all.\n" {
		t.Errorf("an empty list printed %q", table)
	}
}

// TestClientsCommandErrors checks that wrong command lines and refused
// calls fail with one line and exit status 2, and change nothing.
func TestClientsCommandErrors(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	existing := strconv.FormatInt(e.client(t, "create", "--name", "Layla", "--email", "layla@example.com").ID, 10)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown subcommand", []string{"frobnicate"}, `unknown command "clients frobnicate"`},
		{"get without id", []string{"get"}, "give the ID"},
		{"get with two ids", []string{"get", existing, "7"}, `unexpected argument "7"`},
		{"get with a bad id", []string{"get", "seven"}, `client id "seven" is not a positive whole number`},
		{"get with id 0", []string{"get", "0"}, `client id "0"`},
		{"get unknown id", []string{"get", "999"}, "404 not_found: "},
		{"create without name", []string{"create", "--email", "x@example.com"}, "--name is required"},
		{"create with a blank name", []string{"create", "--name", " "}, "400 invalid_field: Invalid client: name is required"},
		{"create with a bad email", []string{"create", "--name", "X", "--email", "nope"}, "400 invalid_field: Invalid client: email"},
		{"create a duplicate", []string{"create", "--name", "Layla", "--email", "LAYLA@example.com"}, "409 duplicate_client: "},
		{"update with nothing", []string{"update", existing}, "nothing to change"},
		{"update an unknown id", []string{"update", "999", "--name", "X"}, "404 not_found: "},
		{"update with a long phone", []string{"update", existing, "--phone", strings.Repeat("1", 33)}, "phone must be at most 32"},
		{"delete unknown", []string{"delete", "999"}, "404 not_found: "},
		{"list with a stray argument", []string{"list", "extra"}, `unexpected argument "extra"`},
		{"list --all --page", []string{"list", "--all", "--page", "2"}, "--all reads every page"},
		{"list with a big page size", []string{"list", "--page-size", "101"}, "400 invalid_query: "},
		{"unknown flag", []string{"list", "--colour"}, "flag provided but not defined: -colour"},
		{"import without a file", []string{"import"}, "give the FILE"},
		{"import a missing file", []string{"import", "/nonexistent/clients.csv"}, "no such file"},
		{"import an unknown format", []string{"import", "clients.xml"}, `unknown format "xml"`},
		{"import with --concurrency 0", []string{"import", "x.csv", "--concurrency", "0"}, "--concurrency must be 1 to 64"},
		{"export an unknown format", []string{"export", "--format", "xml"}, `unknown format "xml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantOneLineError(t, e.clients(t, tt.args...), tt.want)
		})
	}
	t.Run("wrong key", func(t *testing.T) {
		var out, errOut bytes.Buffer
		err := run(quickRetries(context.Background()), []string{"clients", "list", "--url", e.base, "--api-key", fatoraSampleKey}, &out, &errOut)
		wantOneLineError(t, cliResult{err: err}, "401 invalid_api_key: ")
	})
	t.Run("no server", func(t *testing.T) {
		var out, errOut, retries bytes.Buffer
		ctx := quickRetries(context.Background(), sdk.WithLogger(slog.New(slog.NewTextHandler(&retries, nil))))
		err := run(ctx, []string{"clients", "get", "1", "--url", "http://127.0.0.1:1", "--api-key", e.key}, &out, &errOut)
		wantOneLineError(t, cliResult{err: err}, "no answer from http://127.0.0.1:1: ")
		if n := strings.Count(retries.String(), "fatora: retrying"); n != sdk.DefaultMaxRetries {
			t.Errorf("%d retries logged, want %d:\n%s", n, sdk.DefaultMaxRetries, retries.String())
		}
	})
	t.Run("help", func(t *testing.T) {
		if r := e.clients(t, "list", "-h"); r.err != nil || !strings.Contains(r.stdout, "FATORA_API_KEY") || strings.Contains(r.stdout+r.stderr, e.key) {
			t.Errorf("list -h: %v; want success and the usage, naming FATORA_API_KEY but not showing the key:\n%s", r.err, r.stdout)
		}
	})
	if got := e.listAll(t); len(got) != 1 {
		t.Errorf("%d clients after the failed commands, want the 1 made first", len(got))
	}
}

// TestClientsEnvironment checks that FATORA_URL and FATORA_API_KEY are
// the defaults of --url and --api-key, and that a missing key is named.
func TestClientsEnvironment(t *testing.T) {
	e := newAPIEnv(t)
	t.Setenv("FATORA_URL", e.base+"/v1")
	t.Setenv("FATORA_API_KEY", e.key)
	created := mustRun(t, "clients", "create", "--name", "From Env", "--json")
	if !strings.Contains(created, `"name": "From Env"`) {
		t.Errorf("create with the environment printed %s", created)
	}
	t.Setenv("FATORA_API_KEY", "")
	_, _, err := runFatora(t, "clients", "list")
	wantOneLineError(t, cliResult{err: err}, "no API key: give --api-key or set FATORA_API_KEY")
}

// TestParseArgs checks that flags and positional arguments mix.
func TestParseArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args     []string
		wantPos  []string
		wantJSON bool
	}{
		{[]string{"12", "--json"}, []string{"12"}, true},
		{[]string{"--json", "12"}, []string{"12"}, true},
		{[]string{"12"}, []string{"12"}, false},
		{[]string{"a", "--json", "b"}, []string{"a", "b"}, true},
		{[]string{"--", "--json"}, []string{"--json"}, false},
		{[]string{"a", "--", "-b"}, []string{"a", "-b"}, false},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		asJSON := fs.Bool("json", false, "")
		pos, err := parseArgs(fs, tt.args)
		if err != nil || !cmp.Equal(pos, tt.wantPos, cmpopts.EquateEmpty()) || *asJSON != tt.wantJSON {
			t.Errorf("parseArgs(%q) = %q, json %v, %v; want %q, json %v", tt.args, pos, *asJSON, err, tt.wantPos, tt.wantJSON)
		}
	}
}
