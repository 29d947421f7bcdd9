package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/dashboard"
)

const dashboardLinkDetails = `The link opens the dashboard's sign-in page with a button that signs in
as the merchant in that mode, without a key. It works once, within 15
minutes; the session it begins lasts as a key's does (12 hours idle, 7
days at most) and ends when the merchant is disabled. Anyone with the link
can use it: give it only to the merchant. A merchant can also open
/dashboard/ and paste a secret key.`

func dashboardLinkFlags(fs *flagSet) runner {
	db := dbFlag(fs)
	number := fs.String("merchant", "", "merchant number (required)")
	mode := fs.String("mode", "", "test or live (required)")
	base := fs.String("url", "http://127.0.0.1:8080", "the server's address, as the merchant's browser reaches it")
	fs.fromEnv("url", "FATORA_DASHBOARD_URL")
	return func(ctx context.Context, c *call) error {
		m, err := fatora.ParseMode(*mode)
		if err != nil {
			return errors.New("--mode must be test or live")
		}
		if u, err := url.Parse(*base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--url %q: want the server's address, such as http://127.0.0.1:8080", *base)
		}
		return withStore(ctx, *db, c, mustExist, func(st *store) error {
			merchant, err := st.merchants.FindMerchantByNumber(ctx, *number)
			if err != nil {
				return err
			}
			if merchant.Disabled {
				return fmt.Errorf("merchant %s is disabled: enable it first (fatora merchant enable)", merchant.Number)
			}
			token, link := dashboard.NewSignInLink(merchant.ID, m, time.Now())
			if err := st.sessions.CreateSignInLink(ctx, link); err != nil {
				return err
			}
			fmt.Fprintf(c.stderr, "One-time sign-in link to the %s dashboard of merchant %s, good until %s:\n",
				m, merchant.Number, link.ExpiresAt.Format(time.RFC3339))
			fmt.Fprintln(c.stdout, dashboard.LinkURL(*base, token))
			return nil
		})
	}
}
