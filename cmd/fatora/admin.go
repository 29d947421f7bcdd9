package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

const merchantCreateDetails = `A SQLite database that does not exist yet is created (the command says so,
with its absolute path); every other merchant and key command refuses a
database that does not exist. --api-key keeps a key the merchant already
uses (Fatora's keys are GUIDs) as its key of --mode; the other key is
generated: ftr_test_ or ftr_live_ followed by 256 random bits. Only SHA-256
hashes of keys are stored. A key given with --api-key (here or to key
create) must not be guessable online: 16 to 200 printable ASCII characters
without spaces, at least 10 different ones, no more than half of it runs
such as aaaa, abcd or 1234, and at least 64 bits by its length and
character set (hexadecimal counts 4 bits a character). A GUID passes.
--region is the country (ISO 3166 code, QA unless given) whose numbering
plan reads the merchant's client phones written without a country prefix:
with JO, 0791234567 is +962791234567. Change it with merchant update.`

const merchantUpdateDetails = `--region changes the merchant's default region (ISO 3166 code: QA, JO,
SA...), within seconds on every server: phones of clients created or
changed from then on, and phone-like search keywords, are read in it.
Clients stored before keep the E.164 form they were stored with.`

const merchantListDetails = `Columns: the merchant number, name, e-mail, region (the country whose
numbering plan reads its clients' phones), status (active or disabled) and
how many active keys it has (revoked ones are not counted).`

// keyOutput is a key as the commands print it; Value only when just made.
type keyOutput struct {
	ID        string `json:"id"`
	Merchant  string `json:"merchant,omitempty"`
	Mode      string `json:"mode"`
	Value     string `json:"api_key,omitempty"`
	Prefix    string `json:"prefix"`
	CreatedAt string `json:"created_at"`
	LastUsed  string `json:"last_used_at,omitempty"`
	RevokedAt string `json:"revoked_at,omitempty"`
}

type merchantOutput struct {
	Number string      `json:"number"`
	Name   string      `json:"name"`
	Email  string      `json:"email"`
	Region string      `json:"region"`
	Keys   []keyOutput `json:"keys"`
}

func merchantCreateFlags(fs *flagSet) runner {
	db := dbFlag(fs)
	name := fs.String("name", "", "merchant name (required)")
	email := fs.String("email", "", "merchant e-mail address (required)")
	apiKey := fs.String("api-key", "", "use this value as the key of --mode instead of generating one (a key brought from Fatora)")
	mode := fs.String("mode", "", "the mode of --api-key: test or live")
	region := fs.String("region", fatora.DefaultRegion, "the country (ISO 3166 code) whose numbering plan reads client phones written without a country prefix")
	asJSON := fs.Bool("json", false, "print JSON")
	return func(ctx context.Context, c *call) error {
		values, err := initialKeys(*apiKey, *mode)
		if err != nil {
			return err
		}
		m := fatora.Merchant{Name: *name, Email: *email, Region: *region}
		if err := m.Validate(); err != nil { // before a new database is made for nothing
			return fmt.Errorf("%s", fatora.ErrorMessage(err))
		}
		return withStore(ctx, *db, c, mayCreate, func(st *store) error {
			keys := []*fatora.APIKey{newAPIKey(fatora.ModeTest, values[fatora.ModeTest]), newAPIKey(fatora.ModeLive, values[fatora.ModeLive])}
			if err := st.merchants.CreateMerchant(ctx, &m, keys); err != nil {
				return err
			}
			out := merchantOutput{Number: m.Number, Name: m.Name, Email: m.Email, Region: m.Region}
			for _, k := range keys {
				out.Keys = append(out.Keys, toKeyOutput(*k, "", values[k.Mode]))
			}
			return printMerchant(c.stdout, out, *asJSON)
		})
	}
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
	if err := token.CheckImportedKey(apiKey); err != nil {
		return "", fmt.Errorf("--api-key: %w", err)
	}
	return m, nil
}

func newAPIKey(mode fatora.Mode, value string) *fatora.APIKey {
	return &fatora.APIKey{ID: token.NewID(), Mode: mode, Prefix: token.DisplayPrefix(value), Hash: token.HashAPIKey(token.CanonicalAPIKey(value))}
}

// toKeyOutput is k as printed; merchant is its number when keys of several
// merchants are listed, value the key itself when just made.
func toKeyOutput(k fatora.APIKey, merchant, value string) keyOutput {
	out := keyOutput{ID: k.ID, Merchant: merchant, Mode: string(k.Mode), Value: value, Prefix: k.Prefix,
		CreatedAt: k.CreatedAt.Format(time.RFC3339)}
	if k.Revoked() {
		out.RevokedAt = k.RevokedAt.Format(time.RFC3339)
	}
	if !k.LastUsedAt.IsZero() {
		out.LastUsed = k.LastUsedAt.Format(time.RFC3339)
	}
	return out
}

func printMerchant(w io.Writer, m merchantOutput, asJSON bool) error {
	if asJSON {
		return printJSON(w, m)
	}
	fmt.Fprintf(w, "Merchant %s created: %s <%s>, region %s\n", m.Number, m.Name, m.Email, m.Region)
	fmt.Fprintln(w, "Its API keys are shown now and never again; keep them safe:")
	printKeys(w, m.Keys)
	return nil
}

// printKeys prints keys as a table; with a MERCHANT column when they are
// several merchants' keys.
func printKeys(w io.Writer, keys []keyOutput) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	several := len(keys) > 0 && keys[0].Merchant != ""
	if several {
		fmt.Fprint(tw, "MERCHANT\t")
	}
	fmt.Fprintln(tw, "MODE\tKEY ID\tAPI KEY\tCREATED\tLAST USED\tREVOKED")
	for _, k := range keys {
		shown := k.Value
		if shown == "" {
			shown = k.Prefix + "…"
		}
		if several {
			fmt.Fprintf(tw, "%s\t", k.Merchant)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.Mode, k.ID, cell(shown, 0), k.CreatedAt, orDash(k.LastUsed), k.RevokedAt)
	}
	tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// merchantRow is a merchant as `merchant list` prints it.
type merchantRow struct {
	Number     string `json:"number"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	Region     string `json:"region"`
	Status     string `json:"status"`
	ActiveKeys int    `json:"active_keys"`
	CreatedAt  string `json:"created_at"`
}

func merchantListFlags(fs *flagSet) runner {
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	return func(ctx context.Context, c *call) error {
		return withStore(ctx, *db, c, mustExist, func(st *store) error {
			ms, err := st.merchants.ListMerchants(ctx)
			if err != nil {
				return err
			}
			keys, err := st.merchants.ListAPIKeys(ctx)
			if err != nil {
				return err
			}
			return printMerchants(c.stdout, merchantRows(ms, keys), *asJSON)
		})
	}
}

func merchantRows(ms []fatora.Merchant, keys []fatora.APIKey) []merchantRow {
	active := map[int64]int{}
	now := time.Now()
	for _, k := range keys {
		if !k.RevokedBy(now) {
			active[k.MerchantID]++
		}
	}
	rows := make([]merchantRow, len(ms))
	for i, m := range ms {
		status := "active"
		if m.Disabled {
			status = "disabled"
		}
		rows[i] = merchantRow{Number: m.Number, Name: m.Name, Email: m.Email, Region: m.Region, Status: status, ActiveKeys: active[m.ID],
			CreatedAt: m.CreatedAt.Format(time.RFC3339)}
	}
	return rows
}

func printMerchants(w io.Writer, rows []merchantRow, asJSON bool) error {
	if asJSON {
		return printJSON(w, rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(w, "No merchants. Create one with: fatora merchant create --name NAME --email EMAIL")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tNAME\tEMAIL\tREGION\tSTATUS\tKEYS\tCREATED")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.Number, cell(r.Name, tableCellRunes), cell(r.Email, tableCellRunes),
			r.Region, r.Status, r.ActiveKeys, r.CreatedAt)
	}
	return tw.Flush()
}

func merchantStatusFlags(disable bool) func(fs *flagSet) runner {
	return func(fs *flagSet) runner {
		db := dbFlag(fs)
		number := fs.String("merchant", "", "merchant number (required)")
		return func(ctx context.Context, c *call) error {
			return withStore(ctx, *db, c, mustExist, func(st *store) error {
				m, err := st.merchants.FindMerchantByNumber(ctx, *number)
				if err != nil {
					return err
				}
				if err := st.merchants.SetMerchantDisabled(ctx, m.ID, disable); err != nil {
					return err
				}
				state := map[bool]string{true: "disabled", false: "enabled"}[disable]
				fmt.Fprintf(c.stdout, "Merchant %s %s.\n", m.Number, state)
				return nil
			})
		}
	}
}

func merchantUpdateFlags(fs *flagSet) runner {
	db := dbFlag(fs)
	number := fs.String("merchant", "", "merchant number (required)")
	region := fs.String("region", "", "the merchant's new default region (ISO 3166 code, required)")
	return func(ctx context.Context, c *call) error {
		r, err := fatora.ParseRegion(*region)
		if err != nil {
			return fmt.Errorf("--region: %s", fatora.ErrorMessage(err))
		}
		return withStore(ctx, *db, c, mustExist, func(st *store) error {
			m, err := st.merchants.FindMerchantByNumber(ctx, *number)
			if err != nil {
				return err
			}
			if err := st.merchants.SetMerchantRegion(ctx, m.ID, r); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "Merchant %s: region %s.\n", m.Number, r)
			return nil
		})
	}
}
