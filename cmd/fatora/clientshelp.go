package main

// The details of the clients commands' help, after their flags.
const (
	exportDetails = `Clients are written in ascending id order, as CSV (a header row id, name,
phone, email, address, notes, created_at, updated_at, then a metadata.KEY
column for every metadata key any client has) or JSON Lines (with a
metadata object). Pages
are followed by cursor, so a client deleted meanwhile shifts no other out.
With --output the file is replaced only once the export is complete.

A CSV export starts with a UTF-8 byte order mark when --bom is on, which it
is by default for a .csv --output file: Excel then shows Arabic and other
non-Latin text correctly instead of as mojibake. Standard output gets no
mark unless --bom is given. A CSV cell that starts as a formula would (=,
+, -, @, a tab or carriage return) gets an apostrophe before it, so that a
spreadsheet shows it as text and runs nothing; the import takes it off.`
	importDetails = `FILE is CSV with a header row naming the columns name, phone, email,
address, notes and metadata.KEY (one per metadata key; an empty cell sets
no key) in any order and letter case (the id, created_at and updated_at
columns of an export are ignored), or JSON Lines of objects with those
members (metadata as an object). A CSV file may start with a byte order mark and may use ;
as its separator (as Excel does where the comma is the decimal mark): the
separator is read from the header row. One apostrophe before a value that
starts like a formula (as the CSV export writes it) is taken off. A quote that is never closed stops
the import with an error naming its line, instead of reading every line
after it as one field; lines before it may have been created already, and
running the import again once the quote is closed creates none twice.

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
