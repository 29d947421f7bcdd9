package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/sandbox"
	"github.com/fatora-oss/fatora/sdk"
)

// start makes a sandbox served on a loopback port, and an SDK client of its
// key; both end with the test.
func start(t *testing.T, opts sandbox.Options) (*sandbox.Sandbox, *sdk.Client, string) {
	t.Helper()
	sb, err := sandbox.New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	c, err := sdk.New(srv.URL, sb.APIKey, sdk.WithHTTPClient(srv.Client()), sdk.WithBackoff(time.Millisecond, 10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return sb, c, srv.URL
}

// TestSampleKeyWorksAndResetKeepsIt: the documented sample key is the
// merchant's; after a reset the data is gone, ids start again at 1, and
// the client's token still works.
func TestSampleKeyWorksAndResetKeepsIt(t *testing.T) {
	ctx := context.Background()
	sb, c, _ := start(t, sandbox.Options{})
	if sb.APIKey != sandbox.SampleAPIKey {
		t.Errorf("APIKey %q, want the sample key", sb.APIKey)
	}
	for _, name := range []string{"Layla Hassan", "Omar Haddad"} {
		if _, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sb.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if page, err := c.Clients.List(ctx, sdk.ClientListParams{}); err != nil || page.TotalCount != 0 {
		t.Fatalf("after the reset: %+v, %v; want no client", page, err)
	}
	rec, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: "Layla Hassan"})
	if err != nil || rec.ID != 1 {
		t.Errorf("the first client after the reset: %+v, %v; want id 1", rec, err)
	}
}

// TestOtherKeys: another key is used as given; one no header could carry
// is refused.
func TestOtherKeys(t *testing.T) {
	_, c, _ := start(t, sandbox.Options{APIKey: "sk_test_my_ci_key"})
	if _, err := c.Clients.List(context.Background(), sdk.ClientListParams{}); err != nil {
		t.Errorf("listing with the key given: %v", err)
	}
	for _, key := range []string{"short", "has a space in it", "kéy-with-accent"} {
		if sb, err := sandbox.New(context.Background(), sandbox.Options{APIKey: key}); err == nil {
			sb.Close()
			t.Errorf("New with the key %q succeeded, want it refused", key)
		}
	}
}

// TestCloseRemovesTheDatabase: nothing is left in the directory after
// Close.
func TestCloseRemovesTheDatabase(t *testing.T) {
	parent := t.TempDir()
	sb, err := sandbox.New(context.Background(), sandbox.Options{Dir: parent})
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Fatalf("%d entries in the directory of a running sandbox, want its own", len(entries))
	}
	if err := errors.Join(sb.Close(), sb.Close()); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("%v left after Close", entries)
	}
}

// TestWebhooksReachALoopbackReceiver: an endpoint on this machine, over
// plain HTTP, gets the event of a new client.
func TestWebhooksReachALoopbackReceiver(t *testing.T) {
	got := make(chan string, 10)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("webhook-id")
	}))
	defer receiver.Close()
	sb, c, url := start(t, sandbox.Options{})
	req, _ := http.NewRequest("POST", url+"/v1/webhook_endpoints", strings.NewReader(`{"url":"`+receiver.URL+`/hooks"}`))
	req.Header.Set("api_key", sb.APIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("creating the endpoint: %v %v", resp, err)
	}
	resp.Body.Close()
	if _, err := c.Clients.Create(context.Background(), sdk.ClientCreateParams{Name: "Layla Hassan"}); err != nil {
		t.Fatal(err)
	}
	select {
	case id := <-got:
		if !regexp.MustCompile(`^evt_`).MatchString(id) {
			t.Errorf("webhook-id %q, want an event id", id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery within 10 s")
	}
}

// TestNoLimits: a sandbox limits neither a merchant's requests nor failed
// keys, so a test suite runs at full speed and may try wrong keys as often
// as it likes. (Where the server has limits, httpapi.Server.Sandbox being
// set must turn them off.)
func TestNoLimits(t *testing.T) {
	sb, err := sandbox.New(context.Background(), sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	send := func(key string) int {
		r := httptest.NewRequest("GET", "/v1/clients", nil)
		r.Header.Set("api_key", key)
		r.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		sb.Handler().ServeHTTP(rec, r)
		return rec.Code
	}
	for i := range 50 {
		if got := send("E4B73FEE-0000-4607-A38D-852B0EBC91C9"); got != http.StatusUnauthorized {
			t.Fatalf("wrong key, attempt %d: %d, want 401 every time", i+1, got)
		}
	}
	for i := range 3000 {
		if got := send(sb.APIKey); got != http.StatusOK {
			t.Fatalf("request %d in a burst: %d, want 200 every time", i+1, got)
		}
	}
}
