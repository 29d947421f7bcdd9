package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/fatora-oss/fatora/sdk"
)

// clientsCommands returns the `fatora clients <name>` commands by name:
// clients of the API over HTTP, through the SDK; they never open the
// database.
func clientsCommands() map[string]func(context.Context, []string, io.Writer, io.Writer) error {
	return map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"create": clientsCreateCommand,
		"get":    clientsGetCommand,
		"list":   clientsListCommand,
		"update": clientsUpdateCommand,
		"delete": clientsDeleteCommand,
		"import": clientsImportCommand,
		"export": clientsExportCommand,
	}
}

// defaultAPIURL is where the clients commands find the API unless told.
const defaultAPIURL = "http://localhost:8080"

// apiFlags are the flags every clients command has: where the API is and
// the key to call it with.
type apiFlags struct {
	url    string
	apiKey string
}

// newClientsFlags returns the flag set of `fatora clients <name>`, whose
// -h prints help: a synopsis, then the flags.
func newClientsFlags(name, help string, stderr io.Writer) (*flag.FlagSet, *apiFlags) {
	return newAPIFlags("clients "+name, "clients "+help, stderr)
}

// client returns an SDK client for the flags' URL and key, with the
// options ctx carries (see sdkOptionsKey).
func (a *apiFlags) client(ctx context.Context) (*sdk.Client, error) {
	key := a.apiKey
	if key == "" {
		key = os.Getenv("FATORA_API_KEY")
	}
	if key == "" {
		return nil, errors.New("no API key: give --api-key or set FATORA_API_KEY")
	}
	extra, _ := ctx.Value(sdkOptionsKey{}).([]sdk.Option)
	c, err := sdk.New(a.url, key, append([]sdk.Option{sdk.WithUserAgent("fatora-cli")}, extra...)...)
	if err != nil {
		return nil, oneLine(err)
	}
	return c, nil
}

// sdkOptionsKey is the context key of further options for the SDK client
// of a clients command ([]sdk.Option); tests use it to shorten the retry
// backoff, so a command that retries does not wait in real time.
type sdkOptionsKey struct{}

// parseArgs parses args, flags and positional arguments in any order, and
// returns the positional ones. After "--" every argument is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// parseOneArg parses args that must hold exactly one positional argument,
// named what in the error.
func parseOneArg(fs *flag.FlagSet, args []string, what string) (string, error) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return "", err
	}
	switch len(pos) {
	case 0:
		return "", fmt.Errorf("give the %s: %s %s [flags]", what, fs.Name(), what)
	case 1:
		return pos[0], nil
	}
	return "", fmt.Errorf("unexpected argument %q", pos[1])
}

// parseClientID parses args holding one client id and flags.
func parseClientID(fs *flag.FlagSet, args []string) (int64, error) {
	raw, err := parseOneArg(fs, args, "ID")
	if err != nil {
		return 0, err
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("client id %q is not a positive whole number", raw)
	}
	return id, nil
}

// given returns a pointer to the value of flag name if the command line set
// it, else nil: an optional field to send only when given.
func given(fs *flag.FlagSet, name string, value *string) *string {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	if !set {
		return nil
	}
	return value
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
	_, isAPI := errors.AsType[*sdk.Error](err)
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
