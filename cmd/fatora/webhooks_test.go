package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/fatora-oss/fatora/webhook"
)

func TestWebhooksCommands(t *testing.T) {
	e := newAPIEnv(t)
	flags := []string{"--url", e.base, "--api-key", e.key}
	var out bytes.Buffer
	args := append([]string{"webhooks", "create", "--endpoint-url", "https://crm.example.com/hook", "--events", "client.created"}, flags...)
	if err := run(context.Background(), args, &out, io.Discard); err != nil || !strings.Contains(out.String(), `"secret":"whsec_`) {
		t.Fatalf("webhooks create: %v %s", err, out.String())
	}
	id := between(out.String(), `"id":"`, `"`)
	for _, cmd := range [][]string{{"list"}, {"rotate", id}, {"test", id}, {"delete", id}} {
		out.Reset()
		if err := run(context.Background(), append(append([]string{"webhooks"}, cmd...), flags...), &out, io.Discard); err != nil {
			t.Errorf("webhooks %v: %v", cmd, err)
		}
	}
	if err := run(context.Background(), append([]string{"webhooks", "delete", id}, flags...), io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "404") {
		t.Errorf("deleting it again: %v", err)
	}
}

// TestListenForwardsSignedEvents: fatora listen posts each new event to a
// local URL, signed so that the Standard Webhooks library accepts it.
func TestListenForwardsSignedEvents(t *testing.T) {
	e := newAPIEnv(t)
	secret := webhook.NewSecret()
	got := make(chan string, 10)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		wh, _ := standardwebhooks.NewWebhook(secret)
		if err := wh.Verify(body, r.Header); err != nil {
			t.Errorf("forwarded event refused: %v", err)
		}
		got <- between(string(body), `"type":"`, `"`)
	}))
	defer recv.Close()
	e.ok(t, "create", "--name", "Before") // kept already: not forwarded
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	pr, pw := io.Pipe()
	go func() {
		done <- run(ctx, []string{"listen", "--forward-to", recv.URL, "--secret", secret, "--poll", "20ms", "--url", e.base,
			"--api-key", e.key}, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "Forwarding new events") { // printed once it has read past the kept events
		t.Fatalf("listen printed %q", lines.Text())
	}
	go func() {
		for lines.Scan() {
		}
	}()
	e.ok(t, "create", "--name", "After")
	select {
	case typ := <-got:
		if typ != "client.created" {
			t.Errorf("forwarded %s", typ)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event forwarded")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("listen: %v", err)
	}
	select {
	case typ := <-got:
		t.Errorf("a second event was forwarded: %s (the one made before listening?)", typ)
	default:
	}
}

func between(s, start, end string) string {
	_, rest, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(rest, end)
	return v
}
