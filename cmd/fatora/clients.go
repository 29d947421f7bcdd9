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
	metadata                     metadataFlag
}

func addFieldFlags(fs *flagSet) fieldFlags {
	f := fieldFlags{
		phone:    fs.String("phone", "", "phone number (free text)"),
		email:    fs.String("email", "", "e-mail address"),
		address:  fs.String("address", "", "postal address"),
		notes:    fs.String("notes", "", "notes"),
		metadata: metadataFlag{},
	}
	fs.Var(f.metadata, "metadata", "a metadata `KEY=VALUE` linking the client to another system, such as crm_id=42; "+
		"repeat for more keys; in an update KEY= removes the key")
	return f
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
			Notes: given(fs.FlagSet, "notes", f.notes), Metadata: f.metadata.values(), IdempotencyKey: *key})
		if err != nil {
			return oneLine(err)
		}
		return printClient(c.stdout, rec, *asJSON)
	}
}

func clientsGetFlags(fs *flagSet) runner {
	return oneClientCommand(fs, func(ctx context.Context, cl *sdk.Client, id int64) (*sdk.ClientRecord, error) {
		return cl.Clients.Get(ctx, id)
	})
}

// oneClientCommand is a command that does one thing to the client ID and
// prints the client it returns.
func oneClientCommand(fs *flagSet, do func(context.Context, *sdk.Client, int64) (*sdk.ClientRecord, error)) runner {
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
		rec, err := do(ctx, cl, id)
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
			Email: given(set, "email", f.email), Address: given(set, "address", f.address), Notes: given(set, "notes", f.notes),
			Metadata: f.metadata.changes()}
		if p.Name == nil && p.Phone == nil && p.Email == nil && p.Address == nil && p.Notes == nil && p.Metadata == nil {
			return errors.New("nothing to change: give --name, --phone, --email, --address, --notes (\"\" clears a field) or --metadata")
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
	permanent := fs.Bool("permanent", false, "erase the client at once, with its data in its events: it cannot be restored")
	return func(ctx context.Context, c *call) error {
		id, err := parseClientID(c.arg)
		if err != nil {
			return err
		}
		cl, err := api.client(ctx)
		if err != nil {
			return err
		}
		if err := cl.Clients.Delete(ctx, id, sdk.ClientDeleteParams{Permanent: *permanent}); err != nil {
			return oneLine(err)
		}
		if *permanent {
			fmt.Fprintf(c.stdout, "Client %d erased.\n", id)
		} else {
			fmt.Fprintf(c.stdout, "Client %d deleted; fatora clients restore %d brings it back.\n", id, id)
		}
		return nil
	}
}

func clientsRestoreFlags(fs *flagSet) runner {
	return oneClientCommand(fs, func(ctx context.Context, cl *sdk.Client, id int64) (*sdk.ClientRecord, error) {
		return cl.Clients.Restore(ctx, id, sdk.ClientRestoreParams{})
	})
}

func clientsListFlags(fs *flagSet) runner {
	api := apiFlagsOf(fs)
	var p sdk.ClientListParams
	fs.StringVar(&p.Keyword, "keyword", "", "only clients whose name, e-mail, phone or address contains this, after the fold (letter case, Arabic diacritics and letter variants, digits of any script; a phone number also in E.164); one or two characters match the start of a word")
	fs.StringVar(&p.Email, "email", "", "only clients with this e-mail address (any letter case)")
	fs.IntVar(&p.Page, "page", 0, "page number, from 1")
	fs.IntVar(&p.PageSize, "page-size", 0, "clients a page (the server's default is 20, at most 100)")
	fs.StringVar(&p.Cursor, "cursor", "", "the page after the one that printed this cursor")
	fs.StringVar(&p.Status, "status", "", "live (the default) or deleted: the clients deleted within the retention period")
	metadata := metadataFlag{}
	fs.Var(metadata, "metadata", "only clients whose metadata has `KEY=VALUE` exactly; repeat for more keys")
	all := fs.Bool("all", false, "every matching client, following the pages")
	asJSON := fs.Bool("json", false, "print JSON")
	return func(ctx context.Context, c *call) error {
		p.Metadata = metadata.values()
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
