package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// webhooksCommands returns the `fatora webhooks <name>` commands by name:
// clients of the webhook endpoints API over HTTP, like the clients
// commands (--url, --api-key); they print the API's JSON.
func webhooksCommands() map[string]func(context.Context, []string, io.Writer, io.Writer) error {
	return map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"create": webhooksCreateCommand,
		"list":   webhooksSimpleCommand("list", "GET", ""),
		"delete": webhooksSimpleCommand("delete ID", "DELETE", ""),
		"rotate": webhooksSimpleCommand("rotate ID", "POST", "/rotate_secret"),
		"test":   webhooksSimpleCommand("test ID", "POST", "/test"),
	}
}

// newAPIFlags returns the flag set of `fatora <name>`, a command calling
// the API (--url, --api-key), whose -h prints help: a synopsis, then the
// flags.
func newAPIFlags(name, help string, stderr io.Writer) (*flag.FlagSet, *apiFlags) {
	fs := flag.NewFlagSet("fatora "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: fatora %s\n\nflags:\n", help)
		fs.PrintDefaults()
	}
	a := &apiFlags{}
	fs.StringVar(&a.url, "url", envOr("FATORA_URL", defaultAPIURL), "base URL of the API (env FATORA_URL)")
	// No default from the environment here: -h would print the key.
	fs.StringVar(&a.apiKey, "api-key", "", "the merchant's API key (env FATORA_API_KEY; required)")
	return fs, a
}

func webhooksCreateCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, api := newAPIFlags("webhooks create", "webhooks create --endpoint-url URL [--events client.created,...] [--description D]", stderr)
	target := fs.String("endpoint-url", "", "the URL to deliver events to (required)")
	events := fs.String("events", "*", "comma-separated event types, or * for every type")
	desc := fs.String("description", "", "what the endpoint is for")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *target == "" {
		return errors.New("--endpoint-url is required")
	}
	body, _ := json.Marshal(map[string]any{"url": *target, "events": strings.Split(*events, ","), "description": *desc})
	out, err := api.call(ctx, http.MethodPost, "/v1/webhook_endpoints", body)
	if err != nil {
		return err
	}
	_, err = stdout.Write(out)
	return err
}

// webhooksSimpleCommand is a command that sends one request about an
// endpoint named by its one argument (none for list) and prints the answer.
func webhooksSimpleCommand(help, method, suffix string) func(context.Context, []string, io.Writer, io.Writer) error {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		fs, api := newAPIFlags("webhooks "+strings.Fields(help)[0], "webhooks "+help, stderr)
		path := "/v1/webhook_endpoints"
		if strings.HasSuffix(help, " ID") {
			id, err := parseOneArg(fs, args, "ID")
			if err != nil {
				return err
			}
			path += "/" + id + suffix
		} else if err := parseNoArgs(fs, args); err != nil {
			return err
		}
		out, err := api.call(ctx, method, path, nil)
		if err != nil {
			return err
		}
		if len(out) == 0 {
			out = []byte("Done.\n")
		}
		_, err = stdout.Write(out)
		return err
	}
}

// call sends one request to the API with the merchant's key and returns
// the body of a 2xx answer, or the answer as an error.
func (a *apiFlags) call(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	key := a.apiKey
	if key == "" {
		key = os.Getenv("FATORA_API_KEY")
	}
	if key == "" {
		return nil, errors.New("no API key: give --api-key or set FATORA_API_KEY")
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(a.url, "/")+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("api_key", key)
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
