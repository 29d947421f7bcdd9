package httpapi_test

import (
	"net/http"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fatora-oss/fatora/internal/apitest"
)

// The bodies of the seed document's three samples, as each sends it (the
// page's obfuscated e-mail placeholder read as an ordinary address).
const (
	seedCurlBody = `{
"name": "Client Name",
"address": "Client Address",
"phone": "Client Phone",
"email": "client@example.com",
"notes": "Additional notes"
}`
	seedPHPBody = "{\n\"name\": \"Client Name\",\n\"address\": \"Client Address\",\n\"phone\": \"Client Phone\",\n\"email\": \"client@example.com\",\n\"notes\": \"Additional notes\"\n}"
	// Newtonsoft's JsonConvert.SerializeObject of the sample's Client class.
	seedCSharpBody = `{"Name":"Client Name","Phone":"Client Phone","Email":"client@example.com","Address":"Client Address","Note":"Additional notes"}`
)

func TestSeedCurlSample(t *testing.T) { apitest.EachStore(t, testSeedCurlSample) }

func testSeedCurlSample(t *testing.T, st apitest.Store) {
	testSeedSample(t, st, seedCurlBody, http.Header{"Content-Type": {"application/json"}})
}

func TestSeedPHPSample(t *testing.T) { apitest.EachStore(t, testSeedPHPSample) }

func testSeedPHPSample(t *testing.T, st apitest.Store) {
	testSeedSample(t, st, seedPHPBody, http.Header{"Content-Type": {"application/json"}, "Accept-Encoding": {"deflate, gzip, br"}})
}

func TestSeedCSharpSample(t *testing.T) { apitest.EachStore(t, testSeedCSharpSample) }

func testSeedCSharpSample(t *testing.T, st apitest.Store) {
	testSeedSample(t, st, seedCSharpBody, http.Header{"Content-Type": {"application/json"}, "Connection": {"Keep-Alive"}})
}

// testSeedSample sends a sample's body as the sample does and holds the
// answer to the seed's response: 201, status SUCCESS, and a client with a
// numeric id and the seed's members, plus the contract's extra members.
func testSeedSample(t *testing.T, st apitest.Store, body string, header http.Header) {
	e := newEnv(t, st)
	resp := e.do(request{method: "POST", path: "/v1/clients", body: body, header: header, as: e.alpha})
	if resp.status != http.StatusCreated {
		t.Fatalf("status = %d, want 201; body %s", resp.status, resp.body)
	}
	if got := sortedKeys(resp.json); !cmp.Equal(got, []string{"client", "status"}) {
		t.Errorf("top-level members = %v, want [client status]", got)
	}
	if resp.json["status"] != "SUCCESS" {
		t.Errorf("status = %v, want SUCCESS", resp.json["status"])
	}
	c := resp.client()
	id, isNumber := c["id"].(float64)
	if !isNumber || id < 1 || id != float64(int64(id)) {
		t.Errorf("client.id = %#v, want a positive whole JSON number", c["id"])
	}
	want := map[string]string{"name": "Client Name", "phone": "Client Phone", "email": "client@example.com",
		"address": "Client Address", "note": "Additional notes", "notes": "Additional notes"}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("client.%s = %#v, want %q", k, c[k], v)
		}
	}
	wantKeys := []string{"address", "created_at", "email", "id", "metadata", "name", "note", "notes", "phone", "updated_at"}
	if got := sortedKeys(c); !cmp.Equal(got, wantKeys) {
		t.Errorf("client members = %v, want %v", got, wantKeys)
	}
	if resp.header.Get("Location") == "" || resp.header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("headers = %v", resp.header)
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
