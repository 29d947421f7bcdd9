// Command fatora runs the Fatora-compatible Clients API server, manages
// its merchants and API keys, and calls the API as a merchant would.
// `fatora help` lists the commands; the command table (commands.go) is
// where each is defined, and every usage text is made from it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
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
