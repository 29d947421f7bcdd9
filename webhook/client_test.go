package webhook_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/webhook"
)

func TestCheckURL(t *testing.T) {
	strict, dev := webhook.Targets{}, webhook.Targets{AllowInsecure: true, AllowPrivate: true}
	tests := []struct {
		url         string
		strict, dev bool // accepted by each
	}{
		{"https://hooks.example.com/in", true, true},
		{"https://hooks.example.com:8443/in?x=1", true, true},
		{"http://hooks.example.com/in", false, true},
		{"https://127.0.0.1/in", false, true},
		{"https://[::1]/in", false, true},
		{"https://169.254.169.254/latest/meta-data", false, true},
		{"https://10.0.0.5/in", false, true},
		{"https://localhost/in", false, true},
		{"https://user:pw@hooks.example.com/", false, false},
		{"https://hooks.example.com/#frag", false, false},
		{"ftp://hooks.example.com/", false, false},
		{"/relative", false, false},
		{"https://" + strings.Repeat("a", 2050) + ".example.com/", false, false},
	}
	for _, tt := range tests {
		if err := strict.CheckURL(tt.url); (err == nil) != tt.strict || (err != nil && fatora.ErrorCode(err) != fatora.CodeInvalidField) {
			t.Errorf("strict CheckURL(%.60s) = %v, want accepted %v", tt.url, err, tt.strict)
		}
		if err := dev.CheckURL(tt.url); (err == nil) != tt.dev {
			t.Errorf("development CheckURL(%.60s) = %v, want accepted %v", tt.url, err, tt.dev)
		}
	}
}

// TestClientRefusesPrivateAddresses: the check is on the address dialled,
// so a name resolving to loopback is refused like the address itself.
func TestClientRefusesPrivateAddresses(t *testing.T) {
	reached := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true }))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	for _, u := range []string{srv.URL, "http://localhost" + port} {
		_, err := webhook.NewHTTPClient(webhook.Targets{AllowInsecure: true}).Get(u)
		if err == nil || !strings.Contains(err.Error(), "prohibited") {
			t.Errorf("GET %s: %v, want the address refused", u, err)
		}
	}
	if reached {
		t.Error("the server was reached")
	}
	if _, err := webhook.NewHTTPClient(webhook.Targets{AllowPrivate: true}).Get(srv.URL); err != nil || !reached {
		t.Errorf("with AllowPrivate: %v", err)
	}
}

func TestClientFollowsNoRedirect(t *testing.T) {
	srv := httptest.NewServer(http.RedirectHandler("http://169.254.169.254/", http.StatusFound))
	defer srv.Close()
	resp, err := webhook.NewHTTPClient(webhook.Targets{AllowPrivate: true}).Get(srv.URL)
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("GET: %v %v, want the 302 itself", resp, err)
	}
	resp.Body.Close()
}

func TestSignatureOfTwoSecrets(t *testing.T) {
	a, b := webhook.NewSecret(), webhook.NewSecret()
	if a == b || !strings.HasPrefix(a, "whsec_") || len(a) != len("whsec_")+44 {
		t.Fatalf("secrets %q %q", a, b)
	}
	sig, err := webhook.Signature([]string{a, b}, "evt_1", time.Unix(1700000000, 0), []byte(`{}`))
	if err != nil || len(strings.Fields(sig)) != 2 || !strings.HasPrefix(sig, "v1,") {
		t.Errorf("Signature = %q, %v", sig, err)
	}
	if _, err := webhook.Signature([]string{"whsec_!!"}, "evt_1", time.Now(), nil); err == nil {
		t.Error("a secret that is not base64 signed")
	}
}
