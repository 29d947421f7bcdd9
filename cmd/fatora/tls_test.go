package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
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
	first := writeCertificate(t, certFile, keyFile, 1)
	_, logs, stop := startServeCommand(t, "--db", dsn, "--drain", "0s", "--tls-cert", certFile, "--tls-key", keyFile)
	addr := listenAddr(t, logs.String())

	if got := servedSerial(t, addr, first); got != 1 {
		t.Fatalf("the server presented certificate %d, want 1", got)
	}
	if resp, err := http.Get("http://" + addr + "/healthz"); err == nil && resp.StatusCode != http.StatusBadRequest {
		t.Errorf("plain HTTP on the TLS port: %d, want 400 (Go's answer to HTTP on an HTTPS server)", resp.StatusCode)
	}

	second := writeCertificate(t, certFile, keyFile, 2)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitLog(t, logs, "reloaded the TLS certificate")
	if got := servedSerial(t, addr, second); got != 2 {
		t.Fatalf("after SIGHUP the server presented certificate %d, want 2", got)
	}

	if err := os.WriteFile(keyFile, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	waitLog(t, logs, "reloading the TLS certificate failed")
	if got := servedSerial(t, addr, second); got != 2 {
		t.Errorf("after a failed reload the server presented certificate %d, want 2 still", got)
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

// writeCertificate writes a new self-signed certificate for 127.0.0.1 with
// the given serial number and its key, and returns it.
func writeCertificate(t testing.TB, certFile, keyFile string, serial int64) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "fatora test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// servedSerial makes a new connection trusting only want, asks for
// /healthz and returns the serial number of the certificate presented.
func servedSerial(t testing.TB, addr string, want *x509.Certificate) int64 {
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
	return resp.TLS.PeerCertificates[0].SerialNumber.Int64()
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
