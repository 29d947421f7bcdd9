package main

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"strings"

	_ "modernc.org/sqlite" // the driver for PRAGMA integrity_check
)

// integrityCheck runs PRAGMA integrity_check on the SQLite file at path and
// returns its answer ("ok" when sound) or what kept it from running.
func integrityCheck(ctx context.Context, path string) string {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return "cannot open: " + err.Error()
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return "cannot run: " + err.Error()
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "cannot read: " + err.Error()
		}
		lines = append(lines, s)
	}
	if err := rows.Err(); err != nil {
		return "cannot read: " + err.Error()
	}
	return strings.Join(lines, "; ")
}

// internalErrors returns the lines of the server log that tell of a 500 or
// a panic: the server promises neither, whatever the faults.
func internalErrors(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return []string{"cannot read the server log: " + err.Error()}
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, `"status":500`) || strings.Contains(line, `"code":"internal"`) || strings.Contains(line, "panic") {
			out = append(out, line)
		}
	}
	return out
}
