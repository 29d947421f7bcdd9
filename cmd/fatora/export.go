package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/fatora-oss/fatora/sdk"
)

func clientsExportCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, api := newClientsFlags("export", exportHelp, stderr)
	format := fs.String("format", "", "csv or jsonl (default: from the extension of --output, else csv)")
	output := fs.String("output", "", "write to this file, whole or not at all (default: standard output)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	kind := "csv"
	if *format != "" || *output != "" && filepath.Ext(*output) != "" {
		var err error
		if kind, err = fileFormat(*output, *format); err != nil {
			return err
		}
	}
	c, err := api.client(ctx)
	if err != nil {
		return err
	}
	if *output == "" {
		_, err := exportClients(ctx, c, kind, stdout)
		return err
	}
	n, err := exportToFile(ctx, c, kind, *output)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Exported %d %s to %s.\n", n, plural(n, "client", "clients"), *output)
	return nil
}

// exportToFile writes the export to a new file next to path and renames it
// path once complete, so that path never holds a partial export. The file
// is readable by its owner only: it holds the merchant's customers.
func exportToFile(ctx context.Context, c *sdk.Client, kind, path string) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	n, err := exportClients(ctx, c, kind, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return n, err
}

// exportClients writes every client to w as kind, following the pages by
// cursor, and returns how many it wrote.
func exportClients(ctx context.Context, c *sdk.Client, kind string, w io.Writer) (int, error) {
	write, flush := exportWriter(kind, w)
	n := 0
	for rec, err := range c.Clients.All(ctx, sdk.ClientListParams{}) {
		if err != nil {
			return n, oneLine(err)
		}
		if err := write(toClientOutput(rec)); err != nil {
			return n, err
		}
		n++
	}
	return n, flush()
}

// exportWriter returns functions that write one client to w as kind, and
// finish the output. A CSV export starts with its header row even when
// there is no client.
func exportWriter(kind string, w io.Writer) (write func(clientOutput) error, flush func() error) {
	if kind == "jsonl" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return func(c clientOutput) error { return enc.Encode(c) }, func() error { return nil }
	}
	cw := csv.NewWriter(w)
	headerErr := cw.Write([]string{"id", "name", "phone", "email", "address", "notes", "created_at", "updated_at"})
	write = func(c clientOutput) error {
		return cw.Write([]string{strconv.FormatInt(c.ID, 10), c.Name, c.Phone, c.Email, c.Address, c.Notes,
			c.CreatedAt, c.UpdatedAt})
	}
	flush = func() error {
		cw.Flush()
		return errors.Join(headerErr, cw.Error())
	}
	return write, flush
}
