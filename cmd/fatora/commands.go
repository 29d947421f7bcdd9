package main

// commands is the command table: every `fatora` command, in the order
// `fatora help` lists them. To add a command, add a row: its name, its
// positional argument, a one-line summary, optional details, and the
// function that defines its flags (with fromEnv for the ones an
// environment variable may set) and returns what runs it.
func commands() []command {
	return append([]command{
		{name: "serve", summary: "run the API server", details: serveDetails, flags: serveFlags},
		{name: "sandbox", summary: "run a throwaway server for integrators' tests, with the sample key and the /sandbox/ controls",
			details: sandboxDetails, flags: sandboxFlags},
		{name: "version", summary: "print the version and the revision the binary was built from", flags: versionFlags},

		{name: "merchant create", summary: "register a merchant and print its first test and live keys, once",
			details: merchantCreateDetails, flags: merchantCreateFlags},
		{name: "merchant update", summary: "change a merchant's default region (the country its client phones are read in)",
			details: merchantUpdateDetails, flags: merchantUpdateFlags},
		{name: "merchant list", summary: "list the merchants", details: merchantListDetails, flags: merchantListFlags},
		{name: "merchant disable", summary: "refuse a merchant's keys and tokens (within 5 seconds on every server)",
			flags: merchantStatusFlags(true)},
		{name: "merchant enable", summary: "accept a disabled merchant's keys again", flags: merchantStatusFlags(false)},

		{name: "key create", summary: "add an API key to a merchant and print it, once", flags: keyCreateFlags},
		{name: "key list", summary: "list API keys: one merchant's, or every merchant's", flags: keyListFlags},
		{name: "key revoke", summary: "revoke an API key and the tokens issued from it", flags: keyRevokeFlags},
		{name: "key rotate", summary: "replace an API key: make a new one, revoke the old one at once or after --grace",
			details: keyRotateDetails, flags: keyRotateFlags},

		{name: "secret rotate", summary: "sign new tokens with a new secret; tokens of the previous one still verify until they expire",
			details: secretDetails, flags: secretRotateFlags},
		{name: "secret revoke-previous", summary: "refuse the tokens of every previous signing secret", details: secretDetails,
			flags: secretRevokeFlags},

		{name: "clients create", summary: "create a client and print it", flags: clientsCreateFlags},
		{name: "clients get", args: "ID", summary: "print one client", flags: clientsGetFlags},
		{name: "clients list", summary: "print a page of clients in ascending id order, or with --all every one",
			flags: clientsListFlags},
		{name: "clients update", args: "ID", summary: "change the fields given, and only those (--phone \"\" clears the phone)",
			flags: clientsUpdateFlags},
		{name: "clients delete", args: "ID", summary: "delete a client (restorable within the server's retention period unless --permanent)",
			flags: clientsDeleteFlags},
		{name: "clients restore", args: "ID", summary: "bring back a client deleted within the retention period", flags: clientsRestoreFlags},
		{name: "clients import", args: "FILE", summary: "create a client for each line of a CSV or JSON Lines file",
			details: importDetails, flags: clientsImportFlags},
		{name: "clients export", summary: "write every client as CSV or JSON Lines", details: exportDetails,
			flags: clientsExportFlags},

		{name: "dashboard link", summary: "print a one-time link that signs a merchant in to the dashboard (test or live), good for 15 minutes",
			details: dashboardLinkDetails, flags: dashboardLinkFlags},

		{name: "migrate", summary: "copy a merchant's clients from Fatora, or any API that speaks its Clients API, into the database",
			details: migrateDetails, flags: migrateFlags},
	}, webhooksCommands()...)
}
