package main

import (
	"context"
	"fmt"
	"io"

	"github.com/fatora-oss/fatora/token"
)

func merchantStatusCommand(ctx context.Context, args []string, stdout, stderr io.Writer, disable bool) error {
	fs, db := newFlags("merchant", stderr)
	number := fs.String("merchant", "", "merchant number (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return withStore(ctx, *db, func(st *store) error {
		m, err := st.merchants.FindMerchantByNumber(ctx, *number)
		if err != nil {
			return err
		}
		if err := st.merchants.SetMerchantDisabled(ctx, m.ID, disable); err != nil {
			return err
		}
		state := map[bool]string{true: "disabled", false: "enabled"}[disable]
		fmt.Fprintf(stdout, "Merchant %s %s.\n", m.Number, state)
		return nil
	})
}

func keyCreateCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("key create", stderr)
	number := fs.String("merchant", "", "merchant number (required)")
	mode := fs.String("mode", "", "test or live (required)")
	apiKey := fs.String("api-key", "", "use this value instead of generating one")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := parseKeyFlags(*apiKey, *mode)
	if err != nil {
		return err
	}
	value := *apiKey
	if value == "" {
		value = token.GenerateAPIKey(string(m))
	}
	return withStore(ctx, *db, func(st *store) error {
		merchant, err := st.merchants.FindMerchantByNumber(ctx, *number)
		if err != nil {
			return err
		}
		k := newAPIKey(m, value)
		k.MerchantID = merchant.ID
		if err := st.merchants.CreateAPIKey(ctx, k); err != nil {
			return err
		}
		out := toKeyOutput(*k, value)
		if *asJSON {
			return printJSON(stdout, out)
		}
		fmt.Fprintf(stdout, "New %s key for merchant %s, shown now and never again:\n", m, merchant.Number)
		printKeys(stdout, []keyOutput{out})
		return nil
	})
}

func keyRevokeCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("key revoke", stderr)
	number := fs.String("merchant", "", "merchant number (required)")
	id := fs.String("id", "", "id of the key to revoke")
	apiKey := fs.String("api-key", "", "value of the key to revoke (instead of --id)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*id == "") == (*apiKey == "") {
		return fmt.Errorf("give exactly one of --id and --api-key")
	}
	return withStore(ctx, *db, func(st *store) error {
		merchant, err := st.merchants.FindMerchantByNumber(ctx, *number)
		if err != nil {
			return err
		}
		keyID := *id
		if *apiKey != "" {
			cred, err := st.merchants.FindCredentialByHash(ctx, token.HashAPIKey(token.CanonicalAPIKey(*apiKey)))
			if err != nil {
				return err
			}
			keyID = cred.Key.ID
		}
		if err := st.merchants.RevokeAPIKey(ctx, merchant.ID, keyID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Key %s of merchant %s revoked; tokens issued from it stop working within 5 seconds.\n", keyID, merchant.Number)
		return nil
	})
}

func keyListCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("key list", stderr)
	number := fs.String("merchant", "", "merchant number (required)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return withStore(ctx, *db, func(st *store) error {
		merchant, err := st.merchants.FindMerchantByNumber(ctx, *number)
		if err != nil {
			return err
		}
		keys, err := st.merchants.FindAPIKeys(ctx, merchant.ID)
		if err != nil {
			return err
		}
		out := make([]keyOutput, len(keys))
		for i, k := range keys {
			out[i] = toKeyOutput(k, "")
		}
		if *asJSON {
			return printJSON(stdout, out)
		}
		printKeys(stdout, out)
		return nil
	})
}
