package httpapi_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/internal/testenv"
	"github.com/fatora-oss/fatora/postgres"
)

// outageTimeout is the request deadline of the outage test.
const outageTimeout = time.Second

// TestPostgresOutage cuts the server off its database, as a stopped server
// (connections refused) and as an unreachable one (connections silent):
// every request answers 503 unavailable with Retry-After within the
// request deadline, /readyz says not ready, and the server serves again by
// itself once the database is back.
func TestPostgresOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out connect and request timeouts (about 15 s): runs in full without -short (CI)")
	}
	dsn := testenv.PostgresSchema(t)
	proxy := testenv.NewProxy(t, dsn)
	viaProxy := apitest.PostgreSQLAt("postgres via proxy", proxy.DSN(dsn), 4)
	e := newEnvWith(t, apitest.Options{Store: viaProxy, RequestTimeout: outageTimeout})
	id := e.create(e.alpha, `{"name":"Before the outage"}`)

	for name, cut := range map[string]func(){"refused": proxy.Refuse, "silent": proxy.Silence} {
		cut()
		requests := []request{
			{method: "POST", path: "/v1/clients", body: `{"name":"During the outage"}`, as: e.alpha},
			{method: "GET", path: "/v1/clients", as: e.alpha},
			{method: "GET", path: "/v1/clients/1", as: e.alpha},
			{method: "GET", path: "/readyz"},
		}
		for _, req := range requests {
			start := time.Now()
			r := e.do(req)
			if took := time.Since(start); took > outageTimeout+2*time.Second {
				t.Errorf("%s: %s %s took %v, past the request deadline", name, req.method, req.path, took)
			}
			if r.status != 503 || r.code() != "unavailable" || r.header.Get("Retry-After") == "" {
				t.Errorf("%s: %s %s = %d %s, want 503 unavailable with Retry-After", name, req.method, req.path, r.status, r.body)
			}
		}
		proxy.Restore()
		// Connection attempts the outage left hanging give up within the
		// store's connect timeout; until then /readyz may still say no.
		recovered := false
		for deadline := time.Now().Add(postgres.DefaultConnectTimeout + 5*time.Second); !recovered && time.Now().Before(deadline); {
			recovered = e.do(request{method: "GET", path: "/readyz"}).status == 200
		}
		if !recovered {
			t.Fatalf("%s: /readyz does not recover once the database is back", name)
		}
		if r := e.do(request{method: "GET", path: "/v1/clients/" + strconv.FormatInt(id, 10), as: e.alpha}); r.status != 200 {
			t.Errorf("%s: GET after recovery = %d %s", name, r.status, r.body)
		}
	}
	list := e.do(request{method: "GET", path: "/v1/clients", as: e.alpha})
	if list.json["total_count"] != float64(1) {
		t.Errorf("after the outages alpha has %v clients, want 1 (nothing written while cut off)", list.json["total_count"])
	}
}
