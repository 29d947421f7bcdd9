package httpapi_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/token"
)

func TestAuthorize(t *testing.T) { apitest.EachStore(t, testAuthorize) }

func testAuthorize(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	key := e.alpha.Keys[fatora.ModeLive]
	r := e.do(request{method: "GET", path: "/v1/Authorization/Authorize", header: http.Header{"api_key": {key}}})
	if r.status != 200 || r.json["success"] != true {
		t.Fatalf("Authorize = %d %s", r.status, r.body)
	}
	exp, err := time.Parse(time.RFC3339, r.json["expires_at"].(string))
	if err != nil || !exp.Equal(e.Clock.Now().Add(24*time.Hour)) {
		t.Errorf("expires_at = %v (%v), want now+24h", r.json["expires_at"], err)
	}
	claims, err := e.Signer.Verify(r.json["bearer_token"].(string))
	if err != nil || claims.UniqueName != e.alpha.Number+"-:alpha@example.com" || claims.Mode != "live" || claims.KeyID != e.alpha.KeyIDs[fatora.ModeLive] {
		t.Errorf("token claims = %+v, %v", claims, err)
	}
	sameID := http.Header{"X-Request-Id": {"probe"}}
	unknown := e.do(request{method: "GET", path: "/v1/Authorization/Authorize", header: withKey(sameID, "ftr_live_"+strings.Repeat("A", 43))})
	wrongSecret := e.do(request{method: "GET", path: "/v1/Authorization/Authorize", header: withKey(sameID, key[:len(key)-1]+"x")})
	if unknown.status != 401 || unknown.code() != "invalid_api_key" || unknown.body != wrongSecret.body {
		t.Errorf("unknown key %d %s / wrong secret %d %s: want the same 401", unknown.status, unknown.body, wrongSecret.status, wrongSecret.body)
	}
	refused := []request{
		{method: "GET", path: "/v1/Authorization/Authorize"},
		{method: "GET", path: "/v1/Authorization/Authorize", header: http.Header{"api_key": {""}}},
		{method: "GET", path: "/v1/Authorization/Authorize?api_key=" + key},
		{method: "POST", path: "/v1/Authorization/Authorize", body: `{"api_key":"` + key + `"}`},
		{method: "GET", path: "/v1/Authorization/Authorize", header: http.Header{"api_key": {key, key}}},
		{method: "GET", path: "/v1/Authorization/Authorize", header: http.Header{"api_key": {strings.Repeat("k", 10000)}}},
	}
	for _, req := range refused {
		if r := e.do(req); r.status != 401 || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s %v = %d %s, want 401", req.method, req.path, req.header, r.status, r.body)
		}
	}
}

func withKey(h http.Header, key string) http.Header {
	out := h.Clone()
	out.Set("api_key", key)
	return out
}

func TestBearerTokens(t *testing.T) { apitest.EachStore(t, testBearerTokens) }

func testBearerTokens(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	good := e.alpha.Tokens[fatora.ModeTest]
	parts := strings.Split(good, ".")
	claims := func() jwt.MapClaims {
		now := e.Clock.Now()
		return jwt.MapClaims{"unique_name": "x", token.HashClaim: e.alpha.KeyIDs[fatora.ModeTest], "merchant": e.alpha.Number,
			"mode": "test", "iss": "fatora", "aud": "fatora-clients-api", "nbf": now.Unix(), "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	}
	sign := func(m jwt.SigningMethod, c jwt.MapClaims) string {
		tok := jwt.NewWithClaims(m, c)
		tok.Header["kid"] = e.Signer.SecretID
		s, err := tok.SignedString(e.Signer.Secret)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	set := func(k string, v any) jwt.MapClaims { c := claims(); c[k] = v; return c }
	b64 := base64.RawURLEncoding.EncodeToString
	okHeaders := map[string]string{
		"forged with our secret (positive control)": "Bearer " + sign(jwt.SigningMethodHS256, claims()),
		"lower-case scheme":                         "bearer " + good,
		"upper-case scheme":                         "BEARER " + good,
		"10s clock skew":                            "Bearer " + sign(jwt.SigningMethodHS256, set("iat", e.Clock.Now().Add(10*time.Second).Unix())),
	}
	for name, h := range okHeaders {
		if r := e.do(request{method: "GET", path: "/v1/clients", header: http.Header{"Authorization": {h}}}); r.status != 200 {
			t.Errorf("%s: %d %s, want 200", name, r.status, r.body)
		}
	}
	badHeaders := map[string][]string{
		"tampered payload":     {"Bearer " + parts[0] + "." + b64([]byte(`{"merchant":"10002"}`)) + "." + parts[2]},
		"stripped signature":   {"Bearer " + parts[0] + "." + parts[1] + "."},
		"alg none":             {"Bearer " + b64([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."},
		"HS512 with our key":   {"Bearer " + sign(jwt.SigningMethodHS512, claims())},
		"expired":              {"Bearer " + sign(jwt.SigningMethodHS256, set("exp", e.Clock.Now().Add(-time.Hour).Unix()))},
		"no exp":               {"Bearer " + sign(jwt.SigningMethodHS256, func() jwt.MapClaims { c := claims(); delete(c, "exp"); return c }())},
		"nbf in 10 minutes":    {"Bearer " + sign(jwt.SigningMethodHS256, set("nbf", e.Clock.Now().Add(10*time.Minute).Unix()))},
		"wrong audience":       {"Bearer " + sign(jwt.SigningMethodHS256, set("aud", "someone-else"))},
		"mode of another key":  {"Bearer " + sign(jwt.SigningMethodHS256, set("mode", "live"))},
		"merchant mismatch":    {"Bearer " + sign(jwt.SigningMethodHS256, set("merchant", e.beta.Number))},
		"unknown key id":       {"Bearer " + sign(jwt.SigningMethodHS256, set(token.HashClaim, token.NewID()))},
		"Fatora's sample":      {"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1bmlxdWVfbmFtZSI6IjcyOTEyLTpyYW1pcmVzc2xhbkBnbWFpbC5jb20iLCJodHRwOi8vc2NoZW1hcy54bWxzb2FwLm9yZy93cy8yMDA1LzA1L2lkZW50aXR5L2NsYWltcy9oYXNoIjoiOTExM2Y2OWEtMTYzMi00Nzg2LWE4NTctYmEzNWQ5YmEwMDc0IiwibmJmIjoxNzE5OTI0NDkzLCJleHAiOjE3NTEwMjg0OTMsImlhdCI6MTcxOTkyNDQ5M30.-rP1DT8LKk5jvBT_PpvaqFuUf_H6FhFiqAq9FM-34cw"},
		"no token":             {"Bearer"},
		"two words":            {"Bearer a b"},
		"Bearer Bearer":        {"Bearer Bearer " + good},
		"two headers":          {"Bearer " + good, "Bearer " + good},
		"many dots":            {"Bearer " + strings.Repeat(".", 30000)},
		"Basic":                {"Basic YWxhZGRpbjpvcGVuc2VzYW1l"},
		"api key as bearer":    {"Bearer " + e.alpha.Keys[fatora.ModeTest]},
		"token in the api_key": nil,
	}
	for name, h := range badHeaders {
		header := http.Header{"Authorization": h}
		if h == nil {
			header = http.Header{"api_key": {good}}
		}
		r := e.do(request{method: "GET", path: "/v1/clients", header: header})
		if r.status != 401 || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: %d %s, want 401 with a challenge", name, r.status, r.body)
		}
	}
}

func TestAPIKeyHeaderOnClients(t *testing.T) { apitest.EachStore(t, testAPIKeyHeaderOnClients) }

func testAPIKeyHeaderOnClients(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	key := http.Header{"api_key": {e.alpha.Keys[fatora.ModeLive]}}
	r := e.do(request{method: "POST", path: "/v1/clients", body: `{"name":"Direct key"}`, header: key})
	if r.status != 201 {
		t.Fatalf("create with api_key = %d %s", r.status, r.body)
	}
	if list := e.do(request{method: "GET", path: "/v1/clients", as: e.alpha, mode: fatora.ModeLive}); list.json["total_count"] != float64(1) {
		t.Errorf("the live-mode token does not see the client made with the live key: %s", list.body)
	}
	if list := e.do(request{method: "GET", path: "/v1/clients", as: e.alpha}); list.json["total_count"] != float64(0) {
		t.Errorf("test mode sees a live client: %s", list.body)
	}
}

// TestRevocationTakesEffectWithinBound shows the stated bound: a token from
// a revoked key, or of a disabled merchant, works at most CredentialTTL
// longer, then gets 403.
func TestRevocationTakesEffectWithinBound(t *testing.T) {
	apitest.EachStore(t, testRevocationTakesEffectWithinBound)
}

func testRevocationTakesEffectWithinBound(t *testing.T, st apitest.Store) {
	cases := map[string]struct {
		act  func(e *env)
		code string
	}{
		"revoked key":       {func(e *env) { e.revoke(e.alpha, fatora.ModeTest) }, "key_revoked"},
		"disabled merchant": {func(e *env) { e.disable(e.alpha) }, "merchant_disabled"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, st)
			bearer := request{method: "GET", path: "/v1/clients", as: e.alpha}
			apiKey := request{method: "GET", path: "/v1/clients", header: http.Header{"api_key": {e.alpha.Keys[fatora.ModeTest]}}}
			for _, req := range []request{bearer, apiKey} {
				if r := e.do(req); r.status != 200 {
					t.Fatalf("before: %d %s", r.status, r.body)
				}
			}
			tc.act(e)
			e.Clock.Advance(5 * time.Second)
			for _, req := range []request{bearer, apiKey} {
				if r := e.do(req); r.status != 403 || r.code() != tc.code {
					t.Errorf("5s after: %d %s, want 403 %s", r.status, r.body, tc.code)
				}
			}
			if r := e.do(request{method: "GET", path: "/v1/clients", as: e.beta}); r.status != 200 {
				t.Errorf("another merchant is affected: %d", r.status)
			}
		})
	}
}

// TestLogsCarryNoSecrets checks the access log: one line per request with
// the request id, merchant, method, route, status and latency, and never a
// key, a token or a body.
func TestLogsCarryNoSecrets(t *testing.T) { apitest.EachStore(t, testLogsCarryNoSecrets) }

func testLogsCarryNoSecrets(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	// The secret values are long and hold letters, so that no timestamp,
	// latency or id in the log can contain them by chance.
	const name, notes, keyword = "Very Private Person Qzxw", "card number 4111-1111-1111-1111 of Qzxw", "PrivateQzxw"
	secretBody := `{"name":"` + name + `","notes":"` + notes + `"}`
	e.do(request{method: "POST", path: "/v1/clients", body: secretBody, as: e.alpha, header: http.Header{"X-Request-Id": {"log-probe"}}})
	e.do(request{method: "GET", path: "/v1/clients?keyword=" + keyword, header: http.Header{"api_key": {e.alpha.Keys[fatora.ModeLive]}}})
	e.do(request{method: "GET", path: "/v1/Authorization/Authorize?api_key=" + e.beta.Keys[fatora.ModeLive]})
	logs := e.Logs.String()
	for _, secret := range []string{e.alpha.Keys[fatora.ModeTest], e.alpha.Keys[fatora.ModeLive], e.beta.Keys[fatora.ModeLive],
		e.alpha.Tokens[fatora.ModeTest], strings.Split(e.alpha.Tokens[fatora.ModeTest], ".")[2], name, notes, "4111-1111", keyword, "keyword="} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
	var line string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, `"log-probe"`) {
			line = l
		}
	}
	for _, want := range []string{`"msg":"request"`, `"merchant":"` + e.alpha.Number + `"`, `"method":"POST"`, `"route":"/v1/clients"`, `"status":201`, `"latency_ms":`} {
		if !strings.Contains(line, want) {
			t.Errorf("log line lacks %s: %s", want, line)
		}
	}
	if n := strings.Count(logs, `"msg":"request"`); n != 7 {
		t.Errorf("%d request lines for 7 requests (4 authorizations and 3 calls)", n)
	}
}

// TestTwoServersShareRevocation runs two API servers, each with its own
// credential cache, on one database: a token either issues works on both,
// and once its key is revoked both refuse it within CredentialTTL.
func TestTwoServersShareRevocation(t *testing.T) { apitest.EachStore(t, testTwoServersShareRevocation) }

func testTwoServersShareRevocation(t *testing.T, st apitest.Store) {
	e := newEnv(t, st)
	other := &httpapi.Server{Clients: e.Server.Clients, Credentials: e.Services.Merchants, Signer: e.Signer, Ping: e.Server.Ping,
		Now: e.Clock.Now, Logger: e.Server.Logger}
	servers := map[string]http.Handler{"first": e.Handler, "second": other.Handler()}
	call := func(h http.Handler) int {
		r := httptest.NewRequest("GET", "/v1/clients", nil)
		r.Header.Set("Authorization", "Bearer "+e.alpha.Tokens[fatora.ModeTest])
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code
	}
	for name, h := range servers {
		if got := call(h); got != 200 {
			t.Fatalf("%s server: %d, want 200", name, got)
		}
	}
	e.revoke(e.alpha, fatora.ModeTest)
	e.Clock.Advance(httpapi.CredentialTTL)
	for name, h := range servers {
		if got := call(h); got != 403 {
			t.Errorf("%s server %v after the revocation: %d, want 403", name, httpapi.CredentialTTL, got)
		}
	}
}
