package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/clientfile"
	"github.com/fatora-oss/fatora/sdk"
)

// clientOutput is a client as the commands print it with --json, and as
// export writes it to JSON Lines: the API's client without its duplicate
// "note".
type clientOutput = clientfile.Row

// listOutput is a list as `clients list --json` prints it. With --all
// there are no page members.
type listOutput struct {
	Clients    []clientOutput `json:"clients"`
	Page       int            `json:"page,omitempty"`
	PageSize   int            `json:"page_size,omitempty"`
	TotalCount int            `json:"total_count"`
	TotalPages int            `json:"total_pages,omitempty"`
	NextCursor string         `json:"next_cursor,omitempty"`
	// TotalCapped: a keyword search stopped counting; total_count is a
	// lower bound.
	TotalCapped bool `json:"total_count_capped,omitempty"`
}

// formatTime is the API's time format (see clientfile.FormatTime).
func formatTime(t time.Time) string { return clientfile.FormatTime(t) }

func toClientOutput(r sdk.ClientRecord) clientOutput {
	return clientOutput{ID: r.ID, Name: r.Name, Phone: r.Phone, Email: r.Email, Address: r.Address, Notes: r.Notes,
		CreatedAt: formatTime(r.CreatedAt), UpdatedAt: formatTime(r.UpdatedAt), Metadata: r.Metadata}
}

func toClientOutputs(recs []sdk.ClientRecord) []clientOutput {
	out := make([]clientOutput, len(recs))
	for i, r := range recs {
		out[i] = toClientOutput(r)
	}
	return out
}

// printClient prints one client: as JSON, or one field a row, a text of
// several lines continuing on the rows below.
func printClient(w io.Writer, rec *sdk.ClientRecord, asJSON bool) error {
	if asJSON {
		return printJSON(w, toClientOutput(*rec))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	rows := [][2]string{{"ID", strconv.FormatInt(rec.ID, 10)}, {"Name", rec.Name}, {"Phone", rec.Phone},
		{"Email", rec.Email}, {"Address", rec.Address}, {"Notes", rec.Notes},
		{"Created", formatTime(rec.CreatedAt)}, {"Updated", formatTime(rec.UpdatedAt)}}
	for _, k := range fatora.Metadata(rec.Metadata).Keys() {
		rows = append(rows, [2]string{"metadata." + k, rec.Metadata[k]})
	}
	for _, row := range rows {
		for i, line := range strings.Split(strings.ReplaceAll(row[1], "\r\n", "\n"), "\n") {
			label := row[0]
			if i > 0 {
				label = ""
			}
			fmt.Fprintf(tw, "%s\t%s\n", label, cell(line, 0))
		}
	}
	return tw.Flush()
}

// printList prints one page of clients: as JSON, or a table and a line
// saying where the page is.
func printList(w io.Writer, page *sdk.ClientList, asJSON bool) error {
	if asJSON {
		return printJSON(w, listOutput{Clients: toClientOutputs(page.Clients), Page: page.Page, PageSize: page.PageSize,
			TotalCount: page.TotalCount, TotalPages: page.TotalPages, NextCursor: page.NextCursor,
			TotalCapped: page.TotalCountCapped})
	}
	printClientTable(w, page.Clients)
	atLeast := ""
	if page.TotalCountCapped {
		atLeast = "at least "
	}
	fmt.Fprintf(w, "Page %d of %d, %s%d %s in all.", page.Page, page.TotalPages, atLeast, page.TotalCount,
		plural(page.TotalCount, "client", "clients"))
	if page.NextCursor != "" {
		fmt.Fprintf(w, " Next: --page %d or --cursor %s", page.Page+1, page.NextCursor)
	}
	fmt.Fprintln(w)
	return nil
}

// tableCellRunes is the widest a cell of the list table gets.
const tableCellRunes = 40

// printClientTable prints clients one a row, long cells shortened.
func printClientTable(w io.Writer, recs []sdk.ClientRecord) {
	if len(recs) == 0 {
		fmt.Fprintln(w, "No clients.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tPHONE\tEMAIL\tADDRESS\tCREATED")
	for _, r := range recs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, cell(r.Name, tableCellRunes), cell(r.Phone, tableCellRunes),
			cell(r.Email, tableCellRunes), cell(r.Address, tableCellRunes), formatTime(r.CreatedAt))
	}
	tw.Flush()
}

// cell makes s fit one cell of a table: line breaks and tabs become
// spaces, other control characters (which could drive the terminal) are
// replaced, and, when max > 0, a text longer than max runes is cut with an
// ellipsis.
func cell(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r):
			return unicode.ReplacementChar
		}
		return r
	}, s)
	if r := []rune(s); max > 0 && len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
