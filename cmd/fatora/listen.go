package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/fatora-oss/fatora/webhook"
)

const listenDetails = `Pages through /v1/events and posts each event made from now on (with
--from-start, the ones kept already too) to the --forward-to URL, signed as
a delivery is (webhook-id, webhook-timestamp, webhook-signature) with
--secret or a new secret it prints: a developer tests a webhook handler
without a public address. Each event is forwarded once, in order, whatever
the answer; the command runs until interrupted.`

func listenFlags(fs *flagSet) runner {
	api := apiFlagsOf(fs)
	forward := fs.String("forward-to", "", "the local `URL` to post each event to (required)")
	secret := fs.String("secret", "", "the secret to sign with, whsec_... (default: a new one, printed at start)")
	poll := fs.Duration("poll", time.Second, "how often to look for new events")
	fromStart := fs.Bool("from-start", false, "forward the events kept already too, not only new ones")
	return func(ctx context.Context, c *call) error {
		if *forward == "" || *poll < 10*time.Millisecond {
			return errors.New("--forward-to is required and --poll at least 10ms")
		}
		if *secret == "" {
			*secret = webhook.NewSecret()
		}
		l := &listener{api: api, forward: *forward, secrets: []string{*secret}, out: c.stdout}
		if !*fromStart {
			if err := l.skipKept(ctx); err != nil {
				return err
			}
		}
		fmt.Fprintf(c.stdout, "Forwarding new events to %s, signed with %s\n", *forward, *secret)
		for {
			if err := l.forwardNew(ctx); err != nil && ctx.Err() == nil {
				fmt.Fprintln(c.stderr, "fatora listen:", err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(*poll):
			}
		}
	}
}

// listener follows the events with a cursor.
type listener struct {
	api     *apiFlags
	forward string
	secrets []string
	cursor  string
	out     io.Writer
	client  http.Client
}

type eventPage struct {
	Events     []json.RawMessage `json:"events"`
	HasMore    bool              `json:"has_more"`
	NextCursor string            `json:"next_cursor"`
}

func (l *listener) page(ctx context.Context) (eventPage, error) {
	var p eventPage
	body, err := l.api.call(ctx, http.MethodGet, "/v1/events?limit=100&cursor="+url.QueryEscape(l.cursor), nil)
	if err == nil {
		err = json.Unmarshal(body, &p)
	}
	return p, err
}

// skipKept moves the cursor past the events kept already.
func (l *listener) skipKept(ctx context.Context) error {
	for {
		p, err := l.page(ctx)
		if err != nil {
			return err
		}
		l.cursor = p.NextCursor
		if !p.HasMore {
			return nil
		}
	}
}

// forwardNew forwards every event after the cursor, in order; the cursor
// moves past an event only once it was forwarded (whatever the answer).
func (l *listener) forwardNew(ctx context.Context) error {
	for {
		p, err := l.page(ctx)
		if err != nil {
			return err
		}
		for _, raw := range p.Events {
			if err := l.post(ctx, raw); err != nil {
				return err
			}
		}
		l.cursor = p.NextCursor
		if !p.HasMore {
			return nil
		}
	}
}

// post sends one event, signed, and prints the answer.
func (l *listener) post(ctx context.Context, raw json.RawMessage) error {
	var ev struct{ ID, Type string }
	if err := json.Unmarshal(raw, &ev); err != nil {
		return err
	}
	now := time.Now()
	sig, err := webhook.Signature(l.secrets, ev.ID, now, raw)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.forward, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webhook.HeaderID, ev.ID)
	req.Header.Set(webhook.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(webhook.HeaderSignature, sig)
	resp, err := l.client.Do(req)
	if err != nil {
		fmt.Fprintf(l.out, "%s  %-16s %s  no answer: %v\n", now.Format(time.TimeOnly), ev.Type, ev.ID, err)
		return nil
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	fmt.Fprintf(l.out, "%s  %-16s %s  %d\n", now.Format(time.TimeOnly), ev.Type, ev.ID, resp.StatusCode)
	return nil
}
