package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// The `fatora webhooks` commands call the webhook endpoints API over HTTP
// with the clients commands' flags (--url, --api-key) and print the API's
// JSON. webhooksCommands are their rows of the command table.
func webhooksCommands() []command {
	return []command{
		{name: "webhooks create", summary: "register a URL that events are delivered to, and print its secret, once",
			flags: webhooksCreateFlags},
		{name: "webhooks list", summary: "list the webhook endpoints", flags: webhooksCallFlags(http.MethodGet, "")},
		{name: "webhooks delete", args: "ID", summary: "delete a webhook endpoint", flags: webhooksCallFlags(http.MethodDelete, "")},
		{name: "webhooks rotate", args: "ID", summary: "give an endpoint a new secret; the old one signs beside it for 24 hours",
			flags: webhooksCallFlags(http.MethodPost, "/rotate_secret")},
		{name: "webhooks test", args: "ID", summary: "send a webhook.test event to an endpoint",
			flags: webhooksCallFlags(http.MethodPost, "/test")},
		{name: "listen", summary: "forward each new event, signed, to a local URL (testing a webhook handler)",
			details: listenDetails, flags: listenFlags},
	}
}

func webhooksCreateFlags(fs *flagSet) runner {
	api := apiFlagsOf(fs)
	target := fs.String("endpoint-url", "", "the `URL` to deliver events to (required)")
	events := fs.String("events", "*", "comma-separated event `types`, or * for every type")
	desc := fs.String("description", "", "what the endpoint is for")
	return func(ctx context.Context, c *call) error {
		if *target == "" {
			return errors.New("--endpoint-url is required")
		}
		body, _ := json.Marshal(map[string]any{"url": *target, "events": strings.Split(*events, ","), "description": *desc})
		out, err := api.call(ctx, http.MethodPost, "/v1/webhook_endpoints", body)
		if err != nil {
			return err
		}
		_, err = c.stdout.Write(out)
		return err
	}
}

// webhooksCallFlags is a command that sends one request, about the
// endpoint its argument names (when it takes one), and prints the answer.
func webhooksCallFlags(method, suffix string) func(fs *flagSet) runner {
	return func(fs *flagSet) runner {
		api := apiFlagsOf(fs)
		return func(ctx context.Context, c *call) error {
			path := "/v1/webhook_endpoints"
			if c.arg != "" {
				path += "/" + c.arg + suffix
			}
			out, err := api.call(ctx, method, path, nil)
			if err != nil {
				return err
			}
			if len(out) == 0 {
				out = []byte("Done.\n")
			}
			_, err = c.stdout.Write(out)
			return err
		}
	}
}

// call sends one request to the API with the merchant's key and returns
// the body of a 2xx answer, or the answer as an error.
func (a *apiFlags) call(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	if a.apiKey == "" {
		return nil, errors.New("no API key: give --api-key or set FATORA_API_KEY")
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(a.url, "/")+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("api_key", a.apiKey)
	req.Header.Set("User-Agent", "fatora-cli")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return nil, oneLine(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("%d: %s", resp.StatusCode, strings.TrimSpace(string(out)))
	}
	return out, nil
}
