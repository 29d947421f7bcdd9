package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

// keyOutput is a key as the commands print it; Value only when just made.
type keyOutput struct {
	ID        string `json:"id"`
	Mode      string `json:"mode"`
	Value     string `json:"api_key,omitempty"`
	Prefix    string `json:"prefix"`
	CreatedAt string `json:"created_at"`
	RevokedAt string `json:"revoked_at,omitempty"`
}

type merchantOutput struct {
	Number string      `json:"number"`
	Name   string      `json:"name"`
	Email  string      `json:"email"`
	Keys   []keyOutput `json:"keys"`
}

func merchantCreateCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("merchant create", stderr)
	name := fs.String("name", "", "merchant name (required)")
	email := fs.String("email", "", "merchant e-mail address (required)")
	apiKey := fs.String("api-key", "", "use this value as the key of --mode instead of generating one (a key brought from Fatora)")
	mode := fs.String("mode", "", "the mode of --api-key: test or live")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	values, err := initialKeys(*apiKey, *mode)
	if err != nil {
		return err
	}
	return withStore(ctx, *db, func(st *store) error {
		m := fatora.Merchant{Name: *name, Email: *email}
		keys := []*fatora.APIKey{newAPIKey(fatora.ModeTest, values[fatora.ModeTest]), newAPIKey(fatora.ModeLive, values[fatora.ModeLive])}
		if err := st.merchants.CreateMerchant(ctx, &m, keys); err != nil {
			return err
		}
		out := merchantOutput{Number: m.Number, Name: m.Name, Email: m.Email}
		for _, k := range keys {
			out.Keys = append(out.Keys, toKeyOutput(*k, values[k.Mode]))
		}
		return printMerchant(stdout, out, *asJSON)
	})
}

// initialKeys returns a new merchant's key values: generated, except the
// one --api-key sets for --mode.
func initialKeys(apiKey, mode string) (map[fatora.Mode]string, error) {
	values := map[fatora.Mode]string{
		fatora.ModeTest: token.GenerateAPIKey(string(fatora.ModeTest)),
		fatora.ModeLive: token.GenerateAPIKey(string(fatora.ModeLive)),
	}
	if apiKey == "" && mode == "" {
		return values, nil
	}
	if apiKey == "" {
		return nil, fmt.Errorf("--mode is the mode of --api-key; give both or neither")
	}
	m, err := parseKeyFlags(apiKey, mode)
	if err != nil {
		return nil, err
	}
	values[m] = apiKey
	return values, nil
}

// parseKeyFlags checks a --api-key value and its --mode.
func parseKeyFlags(apiKey, mode string) (fatora.Mode, error) {
	m, err := fatora.ParseMode(mode)
	if err != nil {
		return "", fmt.Errorf("--mode: %s", fatora.ErrorMessage(err))
	}
	if apiKey == "" {
		return m, nil
	}
	if len(apiKey) < 16 || len(apiKey) > token.MaxAPIKeyLen || strings.Trim(apiKey, printableASCII) != "" {
		return "", fmt.Errorf("--api-key: want 16 to %d printable ASCII characters without spaces", token.MaxAPIKeyLen)
	}
	return m, nil
}

const printableASCII = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"

func newAPIKey(mode fatora.Mode, value string) *fatora.APIKey {
	return &fatora.APIKey{ID: token.NewID(), Mode: mode, Prefix: token.DisplayPrefix(value), Hash: token.HashAPIKey(token.CanonicalAPIKey(value))}
}

func toKeyOutput(k fatora.APIKey, value string) keyOutput {
	out := keyOutput{ID: k.ID, Mode: string(k.Mode), Value: value, Prefix: k.Prefix, CreatedAt: k.CreatedAt.Format(time.RFC3339)}
	if k.Revoked() {
		out.RevokedAt = k.RevokedAt.Format(time.RFC3339)
	}
	return out
}

func printMerchant(w io.Writer, m merchantOutput, asJSON bool) error {
	if asJSON {
		return printJSON(w, m)
	}
	fmt.Fprintf(w, "Merchant %s created: %s <%s>\n", m.Number, m.Name, m.Email)
	fmt.Fprintln(w, "Its API keys are shown now and never again; keep them safe:")
	printKeys(w, m.Keys)
	return nil
}

func printKeys(w io.Writer, keys []keyOutput) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MODE\tKEY ID\tAPI KEY\tCREATED\tREVOKED")
	for _, k := range keys {
		shown := k.Value
		if shown == "" {
			shown = k.Prefix + "…"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.Mode, k.ID, shown, k.CreatedAt, k.RevokedAt)
	}
	tw.Flush()
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// withStore opens the database, runs fn and closes the database.
func withStore(ctx context.Context, dsn string, fn func(*store) error) error {
	st, err := openStore(ctx, dsn, poolOptions{maxConns: 2})
	if err != nil {
		return err
	}
	defer st.close()
	if err := fn(st); err != nil {
		return fmt.Errorf("%s", fatora.ErrorMessage(err))
	}
	return nil
}
