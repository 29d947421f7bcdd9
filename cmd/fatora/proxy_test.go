package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora/internal/apitest"
	"github.com/fatora-oss/fatora/internal/testenv"
)

// seedPHPSample is the PHP sample of the seed's "Create New Client API"
// page, verbatim (its token is seedSampleToken) but for the obfuscated
// e-mail placeholder, read as an ordinary address. The test changes only its
// URL and its token.
const seedPHPSample = `$curl = curl_init();
curl_setopt_array($curl, array(
CURLOPT_URL => 'https://api.fatora.io/v1/clients',
CURLOPT_RETURNTRANSFER => true,
CURLOPT_ENCODING => '',
CURLOPT_MAXREDIRS => 10,
CURLOPT_TIMEOUT => 0,
CURLOPT_FOLLOWLOCATION => true,
CURLOPT_HTTP_VERSION => CURL_HTTP_VERSION_1_1,
CURLOPT_CUSTOMREQUEST => 'POST',
CURLOPT_POSTFIELDS => '{
"name": "Client Name",
"address": "Client Address",
"phone": "Client Phone",
"email": "client@example.com",
"notes": "Additional notes"
}',
CURLOPT_HTTPHEADER => array(
'Authorization: Bearer ` + seedSampleToken + `',
'Content-Type: application/json'
),
));
$response = curl_exec($curl);
curl_close($curl);
echo $response;
`

// The URL and the bearer token of the seed's samples, which the test
// replaces.
const (
	seedSampleURL   = "https://api.fatora.io/v1/clients"
	seedSampleToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1bmlxdWVfbmFtZSI6IjcyOTEyLTpyYW1pcmVzc2xhbkBnbWFpbC5jb20iLCJodHRwOi8vc2NoZW1hcy54bWxzb2FwLm9yZy93cy8yMDA1LzA1L2lkZW50aXR5L2NsYWltcy9oYXNoIjoiOTExM2Y2OWEtMTYzMi00Nzg2LWE4NTctYmEzNWQ5YmEwMDc0IiwibmJmIjoxNzE5OTI0NDkzLCJleHAiOjE3NTEwMjg0OTMsImlhdCI6MTcxOTkyNDQ5M30.-rP1DT8LKk5jvBT_PpvaqFuUf_H6FhFiqAq9FM-34cw"
)

// underscoresSetting is the line of the documented configuration that lets
// the api_key header through nginx.
const underscoresSetting = "underscores_in_headers on;"

// TestNginxTLSProxy runs the seed's PHP sample through a real nginx that
// terminates TLS in front of the real server, configured as docs/proxy.md
// says, and expects 201. Then, behind the same configuration without
// underscores_in_headers, it checks that nginx drops api_key (401) and that
// the api-key spelling gets through.
func TestNginxTLSProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("starts nginx and PHP: skipped under -short")
	}
	t.Parallel()
	nginx, php := requireTool(t, "nginx", "/usr/sbin/nginx"), requireTool(t, "php")
	requirePHPCurl(t, php)
	site := documentedNginxSite(t)
	dsn, _ := testDB(t)
	createMerchant(t, dsn, "shop@example.com", "--api-key", fatoraSampleKey, "--mode", "live")
	ts := startTestServer(t, dsn)
	certs := newTestCerts(t)

	t.Run("documented_config/seed_PHP_sample_gets_201", func(t *testing.T) {
		px := startNginx(t, nginx, site, ts.addr(), certs)
		tok := px.api.authorize(t, fatoraSampleKey) // the api_key header, through nginx
		out := runSeedPHPSample(t, php, px.api.base+"/v1/clients", tok, certs.caFile)
		if len(out) == 0 {
			t.Fatal("the PHP sample printed nothing: its request failed (TLS, connection) before any answer")
		}
		if status := px.loggedStatus(t, "POST /v1/clients"); status != http.StatusCreated {
			t.Fatalf("nginx answered the PHP sample %d, want 201; PHP printed: %s", status, out)
		}
		c := clientOf(t, response{status: http.StatusCreated, body: out})
		c.check(t, map[string]string{"name": "Client Name", "address": "Client Address", "phone": "Client Phone",
			"email": "client@example.com", "note": "Additional notes", "notes": "Additional notes"})
		// The client is on the server behind nginx.
		wantStatus(t, ts.do(t, http.MethodGet, "/v1/clients/"+c.id(t), "", "Authorization", "Bearer "+tok), http.StatusOK)
	})

	t.Run("default_nginx", func(t *testing.T) {
		px := startNginx(t, nginx, replaceOnce(t, site, underscoresSetting, ""), ts.addr(), certs)
		t.Run("drops_api_key_401", func(t *testing.T) {
			r := px.api.do(t, http.MethodGet, "/v1/Authorization/Authorize", "", "api_key", fatoraSampleKey)
			wantStatus(t, r, http.StatusUnauthorized)
			if code := errorCode(t, r.body); code != "unauthorized" {
				t.Errorf("Authorize answered %s; want code unauthorized, as for a request without a key", r.body)
			}
		})
		// This fails until httpapi accepts the api-key header as api_key
		// (issue 11, point 5).
		t.Run("api-key_alias_gets_through", func(t *testing.T) {
			r := px.api.do(t, http.MethodGet, "/v1/Authorization/Authorize", "", "api-key", fatoraSampleKey)
			if r.status != http.StatusOK {
				t.Fatalf("Authorize with the api-key header through a default nginx: %d %s; want 200 (is the api-key alias in httpapi?)", r.status, r.body)
			}
			wantStatus(t, px.api.do(t, http.MethodGet, "/v1/clients", "", "api-key", fatoraSampleKey), http.StatusOK)
		})
	})
}

// errorCode returns the code of an error body, whether in the API's shape
// ({"error":{"code":...}}) or in the one the contract gives Authorize
// (Fatora's {"error":"message","code":...}).
func errorCode(t testing.TB, body []byte) string {
	t.Helper()
	var e struct {
		Status string          `json:"status"`
		Code   string          `json:"code"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Status != "ERROR" {
		t.Fatalf("error body %s: %v; want status ERROR", body, err)
	}
	var inner struct {
		Code string `json:"code"`
	}
	if json.Unmarshal(e.Error, &inner) == nil && inner.Code != "" {
		return inner.Code
	}
	return e.Code
}

// requireTool returns the path of the first of names found (a bare name on
// PATH, or a path). It skips the test when none is, or fails it when
// FATORA_REQUIRE_TOOLS=1 (as in CI, whose .ci/run installs the tools).
func requireTool(t testing.TB, names ...string) string {
	t.Helper()
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	missingTool(t, names[0]+" is not installed")
	return ""
}

// requirePHPCurl checks that php has its curl extension (Debian's php-curl).
func requirePHPCurl(t testing.TB, php string) {
	t.Helper()
	if err := exec.Command(php, "-r", `exit(extension_loaded("curl") ? 0 : 1);`).Run(); err != nil {
		missingTool(t, "PHP's curl extension is not loaded ("+err.Error()+")")
	}
}

func missingTool(t testing.TB, why string) {
	t.Helper()
	const how = "; .ci/run installs nginx, php-cli and php-curl"
	if os.Getenv("FATORA_REQUIRE_TOOLS") == "1" {
		t.Fatal(why + how + " (FATORA_REQUIRE_TOOLS=1)")
	}
	t.Skip(why + how + ", or set FATORA_REQUIRE_TOOLS=1 to fail instead of skipping")
}

// documentedNginxSite returns the nginx configuration that docs/proxy.md
// shows between its nginx-site markers, so the test runs what is documented.
func documentedNginxSite(t testing.TB) string {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "proxy.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "<!-- nginx-site:begin")
	block, _, ok2 := strings.Cut(rest, "<!-- nginx-site:end -->")
	_, block, ok3 := strings.Cut(block, "```nginx\n")
	block, _, ok4 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 || !ok4 || !strings.Contains(block, underscoresSetting) {
		t.Fatalf("docs/proxy.md has no ```nginx block between its nginx-site markers, or it lacks %q", underscoresSetting)
	}
	return block
}

// replaceOnce replaces old in s by new, failing the test unless old occurs
// exactly once: the documented configuration or the sample changed.
func replaceOnce(t testing.TB, s, old, new string) string {
	t.Helper()
	if n := strings.Count(s, old); n != 1 {
		t.Fatalf("%q occurs %d times, want once in:\n%s", old, n, s)
	}
	return strings.Replace(s, old, new, 1)
}

// testCerts is a certificate authority and a server certificate for
// 127.0.0.1 and localhost that it signed, as PEM files.
type testCerts struct {
	caFile, certFile, keyFile string
	pool                      *x509.CertPool
}

func newTestCerts(t testing.TB) testCerts {
	t.Helper()
	dir := t.TempDir()
	caKey, caCert := newCert(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: "fatora test CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, nil, nil)
	key, cert := newCert(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, caCert, caKey)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	c := testCerts{caFile: filepath.Join(dir, "ca.pem"), certFile: filepath.Join(dir, "server.pem"),
		keyFile: filepath.Join(dir, "server-key.pem"), pool: x509.NewCertPool()}
	c.pool.AddCert(caCert)
	writePEM(t, c.caFile, "CERTIFICATE", caCert.Raw)
	writePEM(t, c.certFile, "CERTIFICATE", cert.Raw)
	writePEM(t, c.keyFile, "PRIVATE KEY", keyDER)
	return c
}

// newCert makes a key and a certificate from tmpl, valid for a day, signed
// by parent's key (self-signed when parent is nil).
func newCert(t testing.TB, tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	tmpl.SerialNumber, err = rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		t.Fatal(err)
	}
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

func writePEM(t testing.TB, path, kind string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// nginxProxy is an nginx started by a test in front of a server.
type nginxProxy struct {
	api       *testServer // its base and client only: requests through nginx
	accessLog string      // one "METHOD URI STATUS" line per request
}

// errPortTaken says that another process took nginx's port first.
var errPortTaken = errors.New("nginx's port was taken")

// startNginx starts nginx with site (upstream and server blocks as in
// docs/proxy.md) on a free port, in front of upstream, with certs; it is
// stopped when the test ends.
func startNginx(t testing.TB, bin, site, upstream string, certs testCerts) *nginxProxy {
	t.Helper()
	conf := replaceOnce(t, site, "server 127.0.0.1:8080;", "server "+upstream+";")
	conf = replaceOnce(t, conf, "/etc/ssl/fatora/fullchain.pem", certs.certFile)
	conf = replaceOnce(t, conf, "/etc/ssl/fatora/privkey.pem", certs.keyFile)
	for attempt := 1; ; attempt++ {
		px, err := tryStartNginx(t, bin, conf, certs)
		if err == nil {
			return px
		}
		if attempt == 3 || !errors.Is(err, errPortTaken) {
			t.Fatal(err)
		}
	}
}

func tryStartNginx(t testing.TB, bin, site string, certs testCerts) (*nginxProxy, error) {
	t.Helper()
	dir := t.TempDir()
	addr, err := testenv.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	site = replaceOnce(t, site, "listen 443 ssl;", "listen "+addr+" ssl;")
	px := &nginxProxy{accessLog: filepath.Join(dir, "access.log")}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(nginxMainConfig(dir, px.accessLog, site)), 0o600); err != nil {
		t.Fatal(err)
	}
	output := &apitest.LogBuffer{}
	p, err := testenv.StartProcess(bin, []string{"-p", dir, "-c", conf, "-e", "stderr", "-g", "daemon off; pid " + filepath.Join(dir, "nginx.pid") + ";"}, output)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Stop(10 * time.Second)
		if t.Failed() {
			t.Logf("nginx's output:\n%s", output)
		}
	})
	if err := waitTLS(p, output, addr, certs.pool); err != nil {
		return nil, err
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: certs.pool}}}
	t.Cleanup(client.CloseIdleConnections)
	px.api = &testServer{base: "https://" + addr, client: client}
	return px, nil
}

// nginxMainConfig wraps site in the smallest nginx.conf that runs it from
// dir: temporary files and the access log in dir and, when run as root,
// workers as root so that they may use dir.
func nginxMainConfig(dir, accessLog, site string) string {
	var b strings.Builder
	if os.Geteuid() == 0 {
		b.WriteString("user root;\n")
	}
	b.WriteString("worker_processes 1;\nevents { worker_connections 64; }\nhttp {\n")
	for _, temp := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&b, "    %s_temp_path %s;\n", temp, filepath.Join(dir, temp))
	}
	fmt.Fprintf(&b, "    log_format status '$request_method $request_uri $status';\n    access_log %s status;\n", accessLog)
	return b.String() + site + "}\n"
}

// loggedStatus waits (a bounded wait: nginx logs a request just after
// answering it) for the access log line of request ("METHOD URI") and
// returns its status.
func (px *nginxProxy) loggedStatus(t testing.TB, request string) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		logged, _ := os.ReadFile(px.accessLog)
		sc := bufio.NewScanner(bytes.NewReader(logged))
		for sc.Scan() {
			if status, ok := strings.CutPrefix(sc.Text(), request+" "); ok {
				n, err := strconv.Atoi(status)
				if err != nil {
					t.Fatalf("access log line %q: %v", sc.Text(), err)
				}
				return n
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx logged no %q within 10 s; its access log:\n%s", request, logged)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitTLS returns once addr completes a TLS handshake with a certificate
// of pool, or an error if p exits first or 20 s pass.
func waitTLS(p *testenv.Process, output fmt.Stringer, addr string, pool *x509.CertPool) error {
	deadline := time.Now().Add(20 * time.Second)
	for {
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", addr, &tls.Config{RootCAs: pool})
		if err == nil {
			return conn.Close()
		}
		select {
		case <-p.Done():
			if strings.Contains(output.String(), "Address already in use") {
				return fmt.Errorf("%w: %s", errPortTaken, output)
			}
			return fmt.Errorf("nginx exited (%v) before accepting TLS on %s:\n%s", p.Err(), addr, output)
		case <-time.After(20 * time.Millisecond): // the next try of a bounded loop
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nginx does not accept TLS on %s after 20 s (last: %v):\n%s", addr, err, output)
		}
	}
}

// runSeedPHPSample runs seedPHPSample with php, its URL and token replaced,
// trusting caFile, and returns what it printed: the response body.
func runSeedPHPSample(t testing.TB, php, url, token, caFile string) []byte {
	t.Helper()
	code := replaceOnce(t, seedPHPSample, seedSampleURL, url)
	code = replaceOnce(t, code, seedSampleToken, token)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, php, "-d", "curl.cainfo="+caFile, "-d", "display_errors=stderr", "-r", code)
	cmd.Env = append(os.Environ(), "no_proxy=*", "NO_PROXY=*") // loopback only, whatever proxy the machine has
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("php: %v\nstdout: %s\nstderr: %s", err, out, stderr.Bytes())
	}
	if stderr.Len() > 0 {
		t.Logf("php's standard error: %s", stderr.Bytes())
	}
	return out
}
