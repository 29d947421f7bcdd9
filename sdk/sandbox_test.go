package sdk_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/fatora-oss/fatora/fatoratest"
	"github.com/fatora-oss/fatora/sdk"
)

// TestRetryCreateThroughSandboxFailures fails the first attempts of a
// create with each failure a sandbox makes (fatoratest): the create
// succeeds, every attempt carries the same Idempotency-Key, and one client
// exists.
func TestRetryCreateThroughSandboxFailures(t *testing.T) {
	t.Parallel()
	for _, f := range []fatoratest.Failure{
		{Status: http.StatusServiceUnavailable, Count: 3},
		{Status: http.StatusInternalServerError},
		{Status: http.StatusBadGateway, Count: 2}, // an HTML page, as a proxy answers
		{Status: 0, Count: 3},                     // the connection closed without an answer
	} {
		t.Run(fmt.Sprint(f.Status), func(t *testing.T) {
			t.Parallel()
			srv := fatoratest.NewServer(t)
			f.Method, f.Path = "POST", "/v1/clients"
			srv.Fail(f)
			c := srv.Client()
			if _, err := c.Clients.Create(context.Background(), seedParams()); err != nil {
				t.Fatal(err)
			}
			var keys []string
			failed := 0
			for _, r := range srv.Requests() {
				if r.Method == "POST" {
					keys = append(keys, r.Headers["Idempotency-Key"][0])
					failed += btoi(r.Injected)
				}
			}
			if failed != max(f.Count, 1) || len(keys) != failed+1 {
				t.Errorf("%d attempts, %d failed; want %d failed and one more", len(keys), failed, max(f.Count, 1))
			}
			sameKeys(t, keys)
			if page, err := c.Clients.List(context.Background(), sdk.ClientListParams{}); err != nil || page.TotalCount != 1 {
				t.Errorf("%+v, %v; want one client", page, err)
			}
		})
	}
}

// TestNoRetryPastMaxRetries: a server failing more often than the client
// retries gets an *sdk.Error with the last failure's status.
func TestNoRetryPastMaxRetries(t *testing.T) {
	t.Parallel()
	srv := fatoratest.NewServer(t)
	srv.Fail(fatoratest.Failure{Status: http.StatusServiceUnavailable, Count: 3, Method: "GET"})
	_, err := srv.Client(sdk.WithMaxRetries(2)).Clients.List(context.Background(), sdk.ClientListParams{})
	if e := apiError(t, err); e.HTTPStatus != http.StatusServiceUnavailable || e.Code != sdk.CodeUnavailable {
		t.Errorf("error %+v, want 503 unavailable", e)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
