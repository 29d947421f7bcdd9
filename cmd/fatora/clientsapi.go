package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/fatora-oss/fatora/sdk"
)

// defaultAPIURL is where the clients commands find the API unless told.
const defaultAPIURL = "http://localhost:8080"

// apiFlags are the flags every clients command has: where the API is and
// the key to call it with.
type apiFlags struct {
	url    string
	apiKey string
}

// apiFlagsOf defines the flags every clients command has: --url (env
// FATORA_URL) and --api-key (env FATORA_API_KEY, never shown by help).
func apiFlagsOf(fs *flagSet) *apiFlags {
	a := &apiFlags{}
	fs.StringVar(&a.url, "url", defaultAPIURL, "base URL of the API")
	fs.StringVar(&a.apiKey, "api-key", "", "the merchant's API key (required)")
	fs.fromEnv("url", "FATORA_URL")
	fs.fromEnv("api-key", "FATORA_API_KEY")
	return a
}

// client returns an SDK client for the flags' URL and key, with the
// options ctx carries (see sdkOptionsKey).
func (a *apiFlags) client(ctx context.Context) (*sdk.Client, error) {
	key := a.apiKey
	if key == "" {
		return nil, errors.New("no API key: give --api-key or set FATORA_API_KEY")
	}
	return sdkClient(ctx, a.url, key)
}

// sdkClient is an SDK client for url and key, with opts and then the
// options ctx carries (see sdkOptionsKey).
func sdkClient(ctx context.Context, url, key string, opts ...sdk.Option) (*sdk.Client, error) {
	extra, _ := ctx.Value(sdkOptionsKey{}).([]sdk.Option)
	c, err := sdk.New(url, key, append(append([]sdk.Option{sdk.WithUserAgent("fatora-cli")}, opts...), extra...)...)
	if err != nil {
		return nil, oneLine(err)
	}
	return c, nil
}

// sdkOptionsKey is the context key of further options for the SDK client
// of a clients command ([]sdk.Option); tests use it to shorten the retry
// backoff, so a command that retries does not wait in real time.
type sdkOptionsKey struct{}

// parseClientID reads a client id argument.
func parseClientID(raw string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("client id %q is not a positive whole number", raw)
	}
	return id, nil
}

// oneLine makes an error of the SDK fit the one line main prints after
// "fatora: ": "404 not_found: No client with this id exists. (request
// ...)". An interrupted call says so.
func oneLine(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return &lineError{err: err, text: "interrupted"}
	}
	text := strings.TrimPrefix(err.Error(), "fatora: ")
	apiErr, isAPI := errors.AsType[*sdk.Error](err)
	if isAPI && apiErr.Code == sdk.CodeDuplicateClient && apiErr.ExistingClientID > 0 {
		text += fmt.Sprintf(" The existing client is %d: fatora clients get %d", apiErr.ExistingClientID, apiErr.ExistingClientID)
	}
	if urlErr, ok := errors.AsType[*url.Error](err); ok && !isAPI {
		// Only the server of the URL: its query may hold an e-mail address.
		server := urlErr.URL
		if u, perr := url.Parse(urlErr.URL); perr == nil {
			server = u.Scheme + "://" + u.Host
		}
		text = fmt.Sprintf("no answer from %s: %v", server, urlErr.Err)
	}
	text = strings.Join(strings.Fields(text), " ")
	return &lineError{err: err, text: text}
}

// lineError is an error shown as one line; the SDK's error stays reachable
// with errors.As.
type lineError struct {
	err  error
	text string
}

func (e *lineError) Error() string { return e.text }
func (e *lineError) Unwrap() error { return e.err }

// exitError is an error that asks main for a given exit status.
type exitError struct {
	status int
	err    error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitCode is the exit status for a failed command: 2 unless the error
// asks for another (see exitError).
func exitCode(err error) int {
	if e, ok := errors.AsType[*exitError](err); ok {
		return e.status
	}
	return 2
}
