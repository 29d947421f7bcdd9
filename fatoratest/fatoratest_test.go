package fatoratest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora/fatoratest"
	"github.com/fatora-oss/fatora/sdk"
)

// TestNewServerStopsWithTheTest: the server answers during its test and
// no longer once the test has ended.
func TestNewServerStopsWithTheTest(t *testing.T) {
	var url string
	t.Run("inner", func(t *testing.T) {
		srv := fatoratest.NewServer(t)
		url = srv.URL
		resp, err := http.Get(url + "/readyz")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /readyz during the test: %v %v", resp, err)
		}
		resp.Body.Close()
	})
	if resp, err := http.Get(url + "/readyz"); err == nil {
		resp.Body.Close()
		t.Errorf("the server still answers after its test: %d", resp.StatusCode)
	}
}

// TestOptions: WithAPIKey sets the key the server takes, and WithSeed
// fills it.
func TestOptions(t *testing.T) {
	srv := fatoratest.NewServer(t, fatoratest.WithAPIKey("sk_test_ci_0123456789"), fatoratest.WithSeed(25, 1))
	if srv.APIKey != "sk_test_ci_0123456789" {
		t.Errorf("APIKey %q, want the one given", srv.APIKey)
	}
	page, err := srv.Client().Clients.List(context.Background(), sdk.ClientListParams{})
	if err != nil || page.TotalCount != 25 {
		t.Fatalf("list: %+v, %v; want 25 seeded clients", page, err)
	}
	wrong, err := sdk.New(srv.URL, fatoratest.SampleAPIKey, sdk.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wrong.Clients.List(context.Background(), sdk.ClientListParams{}); err == nil {
		t.Error("the sample key works on a server given another key")
	}
}

// TestStartedServerPanicsOnAFailureItCannotMake: without a test to fail,
// Fail panics on a failure that cannot be made, and says why.
func TestStartedServerPanicsOnAFailureItCannotMake(t *testing.T) {
	srv, err := fatoratest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	defer func() {
		if v := recover(); v == nil || !strings.Contains(v.(string), "status") {
			t.Errorf("Fail with status 404 panicked with %v, want a message naming status", v)
		}
	}()
	srv.Fail(fatoratest.Failure{Status: 404})
}

// BenchmarkNewServer measures what a test pays for a server of its own:
// starting it (a new database, the merchant, a port) and closing it.
//
//	go test -run '^$' -bench NewServer -benchtime 50x ./fatoratest
func BenchmarkNewServer(b *testing.B) {
	for b.Loop() {
		srv, err := fatoratest.Start()
		if err != nil {
			b.Fatal(err)
		}
		srv.Close()
	}
}
