// Command fatora runs the Fatora-compatible Clients API server and manages
// its merchants and API keys.
//
//	fatora serve [--addr :8080] [--db sqlite:fatora.db] [--token-ttl 360d]
//	fatora merchant create --name NAME --email EMAIL [--api-key KEY --mode test|live] [--json]
//	fatora merchant disable|enable --merchant NUMBER
//	fatora key create --merchant NUMBER --mode test|live [--api-key KEY] [--json]
//	fatora key revoke --merchant NUMBER (--id KEY_ID | --api-key KEY)
//	fatora key list --merchant NUMBER [--json]
//	fatora clients create|get|list|update|delete|import|export ... (see the usage text)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "fatora:", err)
		}
		os.Exit(exitCode(err))
	}
}

const usage = `usage:
  fatora serve [--addr :8080] [--db sqlite:fatora.db] [--token-ttl 360d]
  fatora merchant create --name NAME --email EMAIL [--api-key KEY --mode test|live] [--json]
  fatora merchant disable|enable --merchant NUMBER
  fatora key create --merchant NUMBER --mode test|live [--api-key KEY] [--json]
  fatora key revoke --merchant NUMBER (--id KEY_ID | --api-key KEY)
  fatora key list --merchant NUMBER [--json]
  fatora clients create --name NAME [--phone P] [--email E] [--address A] [--notes T] [--idempotency-key K] [--json]
  fatora clients get ID [--json]
  fatora clients list [--keyword K] [--email E] [--page N] [--page-size N] [--cursor C] [--all] [--json]
  fatora clients update ID [--name N] [--phone P] [--email E] [--address A] [--notes T] [--json]
  fatora clients delete ID
  fatora clients import FILE [--format csv|jsonl] [--concurrency 8] [--strict] [--json]
  fatora clients export [--format csv|jsonl] [--output FILE]
  fatora webhooks create --endpoint-url URL [--events client.created,...] [--description D]
  fatora webhooks list | delete ID | rotate ID | test ID
  fatora listen --forward-to URL [--secret whsec_...] [--poll 1s] [--from-start]
The serve, merchant and key commands take --db (env FATORA_DB): sqlite:PATH or postgres://...
The clients commands call the API: --url (env FATORA_URL, default http://localhost:8080)
and --api-key (env FATORA_API_KEY).`

// run executes one command line; ctx is cancelled by SIGINT or SIGTERM.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	if len(rest) > 0 && (cmd == "merchant" || cmd == "key" || cmd == "clients" || cmd == "webhooks") {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	commands := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"serve":           serveCommand,
		"merchant create": merchantCreateCommand,
		"merchant disable": func(ctx context.Context, a []string, o, e io.Writer) error {
			return merchantStatusCommand(ctx, a, o, e, true)
		},
		"merchant enable": func(ctx context.Context, a []string, o, e io.Writer) error {
			return merchantStatusCommand(ctx, a, o, e, false)
		},
		"key create": keyCreateCommand,
		"key revoke": keyRevokeCommand,
		"key list":   keyListCommand,
	}
	for name, c := range clientsCommands() {
		commands["clients "+name] = c
	}
	for name, c := range webhooksCommands() {
		commands["webhooks "+name] = c
	}
	commands["listen"] = listenCommand
	c, ok := commands[cmd]
	if !ok {
		fmt.Fprintln(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	return c(ctx, rest, stdout, stderr)
}

// newFlags returns a flag set for a command, with the --db flag every
// command has.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("fatora "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", envOr("FATORA_DB", "sqlite:fatora.db"), "database: sqlite:PATH or postgres://... (env FATORA_DB)")
	return fs, db
}

// parseFlags parses args and refuses stray positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func envOr(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return fallback
}
