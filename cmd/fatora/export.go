package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fatora-oss/fatora/clientfile"
	"github.com/fatora-oss/fatora/sdk"
)

func clientsExportFlags(fs *flagSet) runner {
	api := apiFlagsOf(fs)
	format := fs.String("format", "", "csv or jsonl (default: from the extension of --output, else csv)")
	output := fs.String("output", "", "write to this file, whole or not at all (default: standard output)")
	bom := fs.Bool("bom", false, "start a CSV export with a UTF-8 byte order mark, for Excel (default: on for a .csv --output, off for standard output)")
	return func(ctx context.Context, c *call) error {
		kind := "csv"
		if *format != "" || *output != "" && filepath.Ext(*output) != "" {
			var err error
			if kind, err = clientfile.Format(*output, *format); err != nil {
				return err
			}
		}
		withBOM := kind == "csv" && *output != "" && strings.EqualFold(filepath.Ext(*output), ".csv")
		if given(fs.FlagSet, "bom", new(string)) != nil {
			withBOM = *bom
		}
		if withBOM && kind != "csv" {
			return errors.New("--bom is for CSV; JSON Lines has no byte order mark")
		}
		cl, err := api.client(ctx)
		if err != nil {
			return err
		}
		if *output == "" {
			_, err := exportClients(ctx, cl, kind, withBOM, c.stdout)
			return err
		}
		n, err := exportToFile(ctx, cl, kind, withBOM, *output)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stderr, "Exported %d %s to %s.\n", n, plural(n, "client", "clients"), *output)
		return nil
	}
}

// exportToFile writes the export to a new file next to path and renames it
// path once complete, so that path never holds a partial export. The file
// is readable by its owner only: it holds the merchant's customers.
func exportToFile(ctx context.Context, c *sdk.Client, kind string, bom bool, path string) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	n, err := exportClients(ctx, c, kind, bom, tmp)
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

// exportClients writes every client to w as kind (CSV after a byte order
// mark when bom), following the pages by cursor, and returns how many it
// wrote. A CSV export has a metadata.KEY column for every key any client
// has, which are known only at the end: the clients are kept in a
// temporary file (its owner's only) meanwhile.
func exportClients(ctx context.Context, c *sdk.Client, kind string, bom bool, w io.Writer) (int, error) {
	if bom {
		if _, err := io.WriteString(w, clientfile.BOM); err != nil {
			return 0, err
		}
	}
	if kind == "csv" {
		return exportCSV(ctx, c, w)
	}
	write, flush := clientfile.NewWriter(kind, w)
	n, _, err := readAllClients(ctx, c, write)
	if err != nil {
		return n, err
	}
	return n, flush()
}

// readAllClients gives every client to write and returns how many there
// were and the metadata keys they have, in byte order.
func readAllClients(ctx context.Context, c *sdk.Client, write func(clientfile.Row) error) (int, []string, error) {
	n, keys := 0, map[string]bool{}
	for rec, err := range c.Clients.All(ctx, sdk.ClientListParams{}) {
		if err != nil {
			return n, nil, oneLine(err)
		}
		if err := write(toClientOutput(rec)); err != nil {
			return n, nil, err
		}
		for k := range rec.Metadata {
			keys[k] = true
		}
		n++
	}
	return n, slices.Sorted(maps.Keys(keys)), nil
}

// exportCSV writes the clients to a temporary JSON Lines file, then as CSV
// with their metadata keys' columns to w.
func exportCSV(ctx context.Context, c *sdk.Client, w io.Writer) (int, error) {
	tmp, err := os.CreateTemp("", "fatora-export-*.jsonl")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	buffered := bufio.NewWriter(tmp)
	spool, _ := clientfile.NewWriter("jsonl", buffered)
	n, keys, err := readAllClients(ctx, c, spool)
	if err == nil {
		err = buffered.Flush()
	}
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		return n, err
	}
	write, flush := clientfile.NewMetadataWriter("csv", w, keys)
	dec := json.NewDecoder(bufio.NewReader(tmp))
	for range n {
		var row clientfile.Row
		if err := dec.Decode(&row); err != nil {
			return n, fmt.Errorf("reading back the export's temporary file: %w", err)
		}
		if err := write(row); err != nil {
			return n, err
		}
	}
	return n, flush()
}
