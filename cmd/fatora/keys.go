package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

const keyRotateDetails = `The new key has the old one's mode and is printed once. The old key (and
every token issued from it) keeps working for --grace, so that the
merchant's systems can switch over, then is refused by every server; with
--grace 0 (the default) it is revoked at once. Running "key revoke" later
ends a grace period early.`

func keyCreateFlags(fs *flagSet) runner {
	db := dbFlag(fs)
	number := fs.String("merchant", "", "merchant number (required)")
	mode := fs.String("mode", "", "test or live (required)")
	apiKey := fs.String("api-key", "", "use this value instead of generating one")
	asJSON := fs.Bool("json", false, "print JSON")
	return func(ctx context.Context, c *call) error {
		m, err := parseKeyFlags(*apiKey, *mode)
		if err != nil {
			return err
		}
		return withStore(ctx, *db, c, mustExist, func(st *store) error {
			merchant, err := st.merchants.FindMerchantByNumber(ctx, *number)
			if err != nil {
				return err
			}
			out, err := addKey(ctx, st, merchant, m, *apiKey)
			if err != nil {
				return err
			}
			if *asJSON {
				return printJSON(c.stdout, out)
			}
			fmt.Fprintf(c.stdout, "New %s key for merchant %s, shown now and never again:\n", m, merchant.Number)
			printKeys(c.stdout, []keyOutput{out})
			return nil
		})
	}
}

// addKey stores a new key of mode for the merchant: value, or a generated
// one when value is "".
func addKey(ctx context.Context, st *store, merchant fatora.Merchant, mode fatora.Mode, value string) (keyOutput, error) {
	if value == "" {
		value = token.GenerateAPIKey(string(mode))
	}
	k := newAPIKey(mode, value)
	k.MerchantID = merchant.ID
	if err := st.merchants.CreateAPIKey(ctx, k); err != nil {
		return keyOutput{}, err
	}
	return toKeyOutput(*k, "", value), nil
}

// keyChoice is the --id or --api-key flag that names one key.
type keyChoice struct {
	id, apiKey *string
}

func keyChoiceFlags(fs *flagSet, verb string) keyChoice {
	return keyChoice{
		id:     fs.String("id", "", "id of the key to "+verb),
		apiKey: fs.String("api-key", "", "value of the key to "+verb+" (instead of --id)"),
	}
}

// find returns the merchant's key the flags name.
func (kc keyChoice) find(ctx context.Context, st *store, merchant fatora.Merchant) (fatora.APIKey, error) {
	if (*kc.id == "") == (*kc.apiKey == "") {
		return fatora.APIKey{}, errors.New("give exactly one of --id and --api-key")
	}
	if *kc.apiKey != "" {
		cred, err := st.merchants.FindCredentialByHash(ctx, token.HashAPIKey(token.CanonicalAPIKey(*kc.apiKey)))
		if err != nil {
			return fatora.APIKey{}, err
		}
		if cred.Merchant.ID != merchant.ID {
			return fatora.APIKey{}, fatora.MerchantKeyNotFound()
		}
		return cred.Key, nil
	}
	keys, err := st.merchants.FindAPIKeys(ctx, merchant.ID)
	if err != nil {
		return fatora.APIKey{}, err
	}
	for _, k := range keys {
		if k.ID == *kc.id {
			return k, nil
		}
	}
	return fatora.APIKey{}, fatora.MerchantKeyNotFound()
}

func keyRevokeFlags(fs *flagSet) runner {
	db := dbFlag(fs)
	number := fs.String("merchant", "", "merchant number (required)")
	which := keyChoiceFlags(fs, "revoke")
	return func(ctx context.Context, c *call) error {
		if (*which.id == "") == (*which.apiKey == "") {
			return errors.New("give exactly one of --id and --api-key")
		}
		return withStore(ctx, *db, c, mustExist, func(st *store) error {
			merchant, err := st.merchants.FindMerchantByNumber(ctx, *number)
			if err != nil {
				return err
			}
			k, err := which.find(ctx, st, merchant)
			if err != nil {
				return err
			}
			if err := st.merchants.RevokeAPIKey(ctx, merchant.ID, k.ID); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "Key %s of merchant %s revoked; tokens issued from it stop working within 5 seconds.\n", k.ID, merchant.Number)
			return nil
		})
	}
}

func keyRotateFlags(fs *flagSet) runner {
	db := dbFlag(fs)
	number := fs.String("merchant", "", "merchant number (required)")
	which := keyChoiceFlags(fs, "replace")
	grace := longDuration(0)
	fs.Var(&grace, "grace", "how long the old key keeps working, such as 24h or 7d (default 0: revoked at once)")
	asJSON := fs.Bool("json", false, "print JSON")
	return func(ctx context.Context, c *call) error {
		if (*which.id == "") == (*which.apiKey == "") {
			return errors.New("give exactly one of --id and --api-key")
		}
		if grace < 0 {
			return errors.New("--grace must not be negative")
		}
		return withStore(ctx, *db, c, mustExist, func(st *store) error {
			merchant, err := st.merchants.FindMerchantByNumber(ctx, *number)
			if err != nil {
				return err
			}
			old, err := which.find(ctx, st, merchant)
			if err != nil {
				return err
			}
			if old.RevokedBy(time.Now()) {
				return fmt.Errorf("key %s is revoked already: make a new one with fatora key create", old.ID)
			}
			out, err := addKey(ctx, st, merchant, old.Mode, "")
			if err != nil {
				return err
			}
			until := time.Now().Add(time.Duration(grace)).UTC().Truncate(time.Second)
			if err := st.merchants.ScheduleKeyRevocation(ctx, merchant.ID, old.ID, until); err != nil {
				return fmt.Errorf("the new key %s was made, but the old key %s was not revoked: %s; revoke it with fatora key revoke",
					out.ID, old.ID, fatora.ErrorMessage(err))
			}
			return printRotation(c, merchant, old, out, until, time.Duration(grace), *asJSON)
		})
	}
}

// rotationOutput is what `key rotate --json` prints.
type rotationOutput struct {
	New          keyOutput `json:"new_key"`
	OldID        string    `json:"old_key_id"`
	OldRevokedAt string    `json:"old_key_revoked_at"`
}

func printRotation(c *call, merchant fatora.Merchant, old fatora.APIKey, out keyOutput, until time.Time, grace time.Duration, asJSON bool) error {
	if asJSON {
		return printJSON(c.stdout, rotationOutput{New: out, OldID: old.ID, OldRevokedAt: until.Format(time.RFC3339)})
	}
	fmt.Fprintf(c.stdout, "New %s key for merchant %s, shown now and never again:\n", old.Mode, merchant.Number)
	printKeys(c.stdout, []keyOutput{out})
	if grace == 0 {
		fmt.Fprintf(c.stdout, "The old key %s is revoked; tokens issued from it stop working within 5 seconds.\n", old.ID)
	} else {
		fmt.Fprintf(c.stdout, "The old key %s keeps working until %s, then is revoked.\n", old.ID, until.Format(time.RFC3339))
	}
	return nil
}

func keyListFlags(fs *flagSet) runner {
	db := dbFlag(fs)
	number := fs.String("merchant", "", "merchant number (default: every merchant's keys)")
	asJSON := fs.Bool("json", false, "print JSON")
	return func(ctx context.Context, c *call) error {
		return withStore(ctx, *db, c, mustExist, func(st *store) error {
			out, err := listKeys(ctx, st, *number)
			if err != nil {
				return err
			}
			if *asJSON {
				return printJSON(c.stdout, out)
			}
			printKeys(c.stdout, out)
			return nil
		})
	}
}

// listKeys returns one merchant's keys, or with number "" every
// merchant's, each then marked with its merchant's number.
func listKeys(ctx context.Context, st *store, number string) ([]keyOutput, error) {
	if number != "" {
		merchant, err := st.merchants.FindMerchantByNumber(ctx, number)
		if err != nil {
			return nil, err
		}
		keys, err := st.merchants.FindAPIKeys(ctx, merchant.ID)
		out := make([]keyOutput, len(keys))
		for i, k := range keys {
			out[i] = toKeyOutput(k, "", "")
		}
		return out, err
	}
	ms, err := st.merchants.ListMerchants(ctx)
	if err != nil {
		return nil, err
	}
	numbers := map[int64]string{}
	for _, m := range ms {
		numbers[m.ID] = m.Number
	}
	keys, err := st.merchants.ListAPIKeys(ctx)
	out := make([]keyOutput, len(keys))
	for i, k := range keys {
		out[i] = toKeyOutput(k, numbers[k.MerchantID], "")
	}
	return out, err
}
