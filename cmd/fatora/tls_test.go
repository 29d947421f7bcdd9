package main

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeTLS serves HTTPS with a certificate the test makes, then
// renews it on disk and sends SIGHUP: new connections get the new one,
// without a restart; files that do not load leave it in use.
func TestServeTLS(t *testing.T) {
	dsn, _ := testDB(t)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	first := writeCertificate(t, certFile, keyFile)
	_, logs, stop := startServeCommand(t, "--db", dsn, "--drain", "0s", "--tls-cert", certFile, "--tls-key", keyFile)
	addr := listenAddr(t, logs.String())

	if !served(t, addr, first) {
		t.Fatal("the server did not present its certificate")
	}
	if resp, err := http.Get("http://" + addr + "/healthz"); err == nil && resp.StatusCode != http.StatusBadRequest {
		t.Errorf("plain HTTP on the TLS port: %d, want 400 (Go's answer to HTTP on an HTTPS server)", resp.StatusCode)
	}

	second := writeCertificate(t, certFile, keyFile)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitLog(t, logs, "reloaded the TLS certificate")
	if !served(t, addr, second) {
		t.Fatal("after SIGHUP the server did not present the new certificate")
	}

	if err := os.WriteFile(keyFile, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	waitLog(t, logs, "reloading the TLS certificate failed")
	if !served(t, addr, second) {
		t.Error("after a failed reload the server no longer presents the certificate it had")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestServeTLSNeedsBothFiles(t *testing.T) {
	t.Parallel()
	dsn, _ := testDB(t)
	if _, _, err := runFatora(t, "serve", "--db", dsn, "--tls-cert", "cert.pem"); err == nil || !strings.Contains(err.Error(), "--tls-key") {
		t.Errorf("serve --tls-cert without --tls-key: %v", err)
	}
	dir := t.TempDir()
	if _, _, err := runFatora(t, "serve", "--db", dsn, "--tls-cert", filepath.Join(dir, "no.pem"), "--tls-key", filepath.Join(dir, "no.key")); err == nil {
		t.Error("serve with certificate files that do not exist started")
	}
}

// writeCertificate writes a new self-signed certificate for 127.0.0.1 and
// its key, and returns the certificate.
func writeCertificate(t testing.TB, certFile, keyFile string) *x509.Certificate {
	t.Helper()
	key, cert := newCert(t, &x509.Certificate{Subject: pkix.Name{CommonName: "fatora test"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, nil, nil)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, certFile, "CERTIFICATE", cert.Raw)
	writePEM(t, keyFile, "PRIVATE KEY", keyDER)
	return cert
}

// served makes a new connection trusting only want, asks for /healthz and
// reports whether the server presented want.
func served(t testing.TB, addr string, want *x509.Certificate) bool {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(want)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool}, DisableKeepAlives: true}}
	resp, err := client.Get("https://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("GET https://%s/healthz: %v", addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz over TLS: status %d", resp.StatusCode)
	}
	return resp.TLS.PeerCertificates[0].Equal(want)
}

// listenAddr is the address of the "listening" line of a server's log.
func listenAddr(t testing.TB, log string) string {
	t.Helper()
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, `"msg":"listening"`) {
			_, rest, _ := strings.Cut(line, `"addr":"`)
			addr, _, _ := strings.Cut(rest, `"`)
			return addr
		}
	}
	t.Fatalf("no listening line in the log:\n%s", log)
	return ""
}

// waitLog returns once the server's log holds text (the log is written out
// within 100 ms of a line), failing the test after 20 s.
func waitLog(t testing.TB, logs *listenWatcher, text string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logs.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("the log never said %q:\n%s", text, logs.String())
		}
		runtime.Gosched()
	}
}
