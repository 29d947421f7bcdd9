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

func addFieldFlags(fs *flag.FlagSet) fieldFlags {
	return fieldFlags{
		phone:   fs.String("phone", "", "phone number (free text)"),
		email:   fs.String("email", "", "e-mail address"),
		address: fs.String("address", "", "postal address"),
		notes:   fs.String("notes", "", "notes"),
	}
}

func clientsCreateCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, api := newClientsFlags("create", createHelp, stderr)
	name := fs.String("name", "", "the client's name (required)")
	f := addFieldFlags(fs)
	key := fs.String("idempotency-key", "", "send this Idempotency-Key, so that running the command again creates nothing twice")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *name == "" {
		return errors.New("--name is required")
	}
	c, err := api.client(ctx)
	if err != nil {
		return err
	}
	rec, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: *name, Phone: given(fs, "phone", f.phone),
		Email: given(fs, "email", f.email), Address: given(fs, "address", f.address),
		Notes: given(fs, "notes", f.notes), IdempotencyKey: *key})
	if err != nil {
		return oneLine(err)
	}
	return printClient(stdout, rec, *asJSON)
}

func clientsGetCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, api := newClientsFlags("get", getHelp, stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	id, err := parseClientID(fs, args)
	if err != nil {
		return err
	}
	c, err := api.client(ctx)
	if err != nil {
		return err
	}
	rec, err := c.Clients.Get(ctx, id)
	if err != nil {
		return oneLine(err)
	}
	return printClient(stdout, rec, *asJSON)
}

func clientsUpdateCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, api := newClientsFlags("update", updateHelp, stderr)
	name := fs.String("name", "", "new name")
	f := addFieldFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	id, err := parseClientID(fs, args)
	if err != nil {
		return err
	}
	p := sdk.ClientUpdateParams{Name: given(fs, "name", name), Phone: given(fs, "phone", f.phone),
		Email: given(fs, "email", f.email), Address: given(fs, "address", f.address), Notes: given(fs, "notes", f.notes)}
	if p == (sdk.ClientUpdateParams{}) {
		return errors.New("nothing to change: give --name, --phone, --email, --address or --notes (\"\" clears a field)")
	}
	c, err := api.client(ctx)
	if err != nil {
		return err
	}
	rec, err := c.Clients.Update(ctx, id, p)
	if err != nil {
		return oneLine(err)
	}
	return printClient(stdout, rec, *asJSON)
}

func clientsDeleteCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, api := newClientsFlags("delete", deleteHelp, stderr)
	id, err := parseClientID(fs, args)
	if err != nil {
		return err
	}
	c, err := api.client(ctx)
	if err != nil {
		return err
	}
	if err := c.Clients.Delete(ctx, id, sdk.ClientDeleteParams{}); err != nil {
		return oneLine(err)
	}
	fmt.Fprintf(stdout, "Client %d deleted.\n", id)
	return nil
}

func clientsListCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, api := newClientsFlags("list", listHelp, stderr)
	var p sdk.ClientListParams
	fs.StringVar(&p.Keyword, "keyword", "", "only clients whose name, e-mail or phone contains this (any letter case)")
	fs.StringVar(&p.Email, "email", "", "only clients with this e-mail address (any letter case)")
	fs.IntVar(&p.Page, "page", 0, "page number, from 1")
	fs.IntVar(&p.PageSize, "page-size", 0, "clients a page (the server's default is 20, at most 100)")
	fs.StringVar(&p.Cursor, "cursor", "", "the page after the one that printed this cursor")
	all := fs.Bool("all", false, "every matching client, following the pages")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *all && (p.Page != 0 || p.Cursor != "") {
		return errors.New("--all reads every page: give no --page or --cursor with it")
	}
	c, err := api.client(ctx)
	if err != nil {
		return err
	}
	if *all {
		return listAll(ctx, c, p, stdout, *asJSON)
	}
	page, err := c.Clients.List(ctx, p)
	if err != nil {
		return oneLine(err)
	}
	return printList(stdout, page, *asJSON)
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

// parseNoArgs parses args, which must hold flags only.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
