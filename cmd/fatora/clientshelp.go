package main

// The help texts of the clients commands, after "usage: fatora clients ".
const (
	createHelp = `create --name NAME [--phone P] [--email E] [--address A] [--notes T] [--idempotency-key K] [--json]

Creates a client and prints it.`
	getHelp = `get ID [--json]

Prints one client.`
	updateHelp = `update ID [--name N] [--phone P] [--email E] [--address A] [--notes T] [--json]

Changes the fields given, and only those: --phone "" clears the phone.`
	deleteHelp = `delete ID

Deletes a client for good.`
	listHelp = `list [--keyword K] [--email E] [--page N] [--page-size N] [--cursor C] [--all] [--json]

Prints a page of clients in ascending id order, or with --all every one.`
	exportHelp = `export [--format csv|jsonl] [--output FILE]

Writes every client, in ascending id order, as CSV (a header row id, name,
phone, email, address, notes, created_at, updated_at) or JSON Lines. Pages
are followed by cursor, so a client deleted meanwhile shifts no other out.
With --output the file is replaced only once the export is complete.`
	importHelp = `import FILE [--format csv|jsonl] [--concurrency 8] [--strict] [--json]

Creates a client for each line of FILE: CSV with a header row naming the
columns name, phone, email, address, notes in any order and letter case (the
id, created_at and updated_at columns of an export are ignored), or JSON
Lines of objects with those members.

Each line is sent with an Idempotency-Key made from the fields it holds, so
an import that stopped (interrupted, server down) can simply be run again:
clients already created are counted as already present, not made twice.
A line the API refuses is reported on standard error with its line number and
reason, and the import goes on; at the end a summary says how many lines were
created, already present and rejected.

Exit status: 0 when every line was settled (rejected lines included, unless
--strict); 1 with --strict when a line was rejected; 2 when the import
stopped before the end, or could not start.`
)
