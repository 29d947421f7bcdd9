package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/fatora-oss/fatora/sdk"
)

// fieldFlags are the flags of a client's optional fields.
type fieldFlags struct {
	phone, email, address, notes *string
}

func addFieldFlags(fs *flagSet) fieldFlags {
	return fieldFlags{
		phone:   fs.String("phone", "", "phone number (free text)"),
		email:   fs.String("email", "", "e-mail address"),
		address: fs.String("address", "", "postal address"),
		notes:   fs.String("notes", "", "notes"),
	}
}

func clientsCreateFlags(fs *flagSet) runner {
	api := apiFlagsOf(fs)
	name := fs.String("name", "", "the client's name (required)")
	f := addFieldFlags(fs)
	key := fs.String("idempotency-key", "", "send this Idempotency-Key, so that running the command again creates nothing twice")
	asJSON := fs.Bool("json", false, "print JSON")
	return func(ctx context.Context, c *call) error {
		if *name == "" {
			return errors.New("--name is required")
		}
		cl, err := api.client(ctx)
		if err != nil {
			return err
		}
		rec, err := cl.Clients.Create(ctx, sdk.ClientCreateParams{Name: *name, Phone: given(fs.FlagSet, "phone", f.phone),
			Email: given(fs.FlagSet, "email", f.email), Address: given(fs.FlagSet, "address", f.address),
			Notes: given(fs.FlagSet, "notes", f.notes), IdempotencyKey: *key})
		if err != nil {
			return oneLine(err)
		}
		return printClient(c.stdout, rec, *asJSON)
	}
}

func clientsGetFlags(fs *flagSet) runner {
	api := apiFlagsOf(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	return func(ctx context.Context, c *call) error {
		id, err := parseClientID(c.arg)
		if err != nil {
			return err
		}
		cl, err := api.client(ctx)
		if err != nil {
			return err
		}
		rec, err := cl.Clients.Get(ctx, id)
		if err != nil {
			return oneLine(err)
		}
		return printClient(c.stdout, rec, *asJSON)
	}
}

func clientsUpdateFlags(fs *flagSet) runner {
	api := apiFlagsOf(fs)
	name := fs.String("name", "", "new name")
	f := addFieldFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	return func(ctx context.Context, c *call) error {
		id, err := parseClientID(c.arg)
		if err != nil {
			return err
		}
		set := fs.FlagSet
		p := sdk.ClientUpdateParams{Name: given(set, "name", name), Phone: given(set, "phone", f.phone),
			Email: given(set, "email", f.email), Address: given(set, "address", f.address), Notes: given(set, "notes", f.notes)}
		if p == (sdk.ClientUpdateParams{}) {
			return errors.New("nothing to change: give --name, --phone, --email, --address or --notes (\"\" clears a field)")
		}
		cl, err := api.client(ctx)
		if err != nil {
			return err
		}
		rec, err := cl.Clients.Update(ctx, id, p)
		if err != nil {
			return oneLine(err)
		}
		return printClient(c.stdout, rec, *asJSON)
	}
}

func clientsDeleteFlags(fs *flagSet) runner {
	api := apiFlagsOf(fs)
	return func(ctx context.Context, c *call) error {
		id, err := parseClientID(c.arg)
		if err != nil {
			return err
		}
		cl, err := api.client(ctx)
		if err != nil {
			return err
		}
		if err := cl.Clients.Delete(ctx, id, sdk.ClientDeleteParams{}); err != nil {
			return oneLine(err)
		}
		fmt.Fprintf(c.stdout, "Client %d deleted.\n", id)
		return nil
	}
}

func clientsListFlags(fs *flagSet) runner {
	api := apiFlagsOf(fs)
	var p sdk.ClientListParams
	fs.StringVar(&p.Keyword, "keyword", "", "only clients whose name, e-mail, phone or address contains this, after the fold (letter case, Arabic diacritics and letter variants, digits of any script; a phone number also in E.164); one or two characters match the start of a word")
	fs.StringVar(&p.Email, "email", "", "only clients with this e-mail address (any letter case)")
	fs.IntVar(&p.Page, "page", 0, "page number, from 1")
	fs.IntVar(&p.PageSize, "page-size", 0, "clients a page (the server's default is 20, at most 100)")
	fs.StringVar(&p.Cursor, "cursor", "", "the page after the one that printed this cursor")
	all := fs.Bool("all", false, "every matching client, following the pages")
	asJSON := fs.Bool("json", false, "print JSON")
	return func(ctx context.Context, c *call) error {
		if *all && (p.Page != 0 || p.Cursor != "") {
			return errors.New("--all reads every page: give no --page or --cursor with it")
		}
		cl, err := api.client(ctx)
		if err != nil {
			return err
		}
		if *all {
			return listAll(ctx, cl, p, c.stdout, *asJSON)
		}
		page, err := cl.Clients.List(ctx, p)
		if err != nil {
			return oneLine(err)
		}
		return printList(c.stdout, page, *asJSON)
	}
}

// listAll prints every client matching p.
func listAll(ctx context.Context, c *sdk.Client, p sdk.ClientListParams, stdout io.Writer, asJSON bool) error {
	var recs []sdk.ClientRecord
	for rec, err := range c.Clients.All(ctx, p) {
		if err != nil {
			return oneLine(err)
		}
		recs = append(recs, rec)
	}
	if asJSON {
		out := listOutput{Clients: toClientOutputs(recs), TotalCount: len(recs)}
		return printJSON(stdout, out)
	}
	printClientTable(stdout, recs)
	fmt.Fprintf(stdout, "%d %s.\n", len(recs), plural(len(recs), "client", "clients"))
	return nil
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

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
