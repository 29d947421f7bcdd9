package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
	"text/tabwriter"
)

// overviewFooter ends `fatora help`.
const overviewFooter = `Run "fatora help COMMAND" (or "fatora COMMAND --help") for a command's flags.
The serve, merchant and key commands open the database (--db, env FATORA_DB:
sqlite:PATH or postgres://...); the clients commands call the API (--url, env
FATORA_URL, and --api-key, env FATORA_API_KEY).`

// printOverview prints every command of the table with its summary.
func printOverview(w io.Writer, table []command) {
	fmt.Fprintln(w, "fatora: the Fatora-compatible Clients API server and its tools.")
	fmt.Fprintln(w, "\nusage: fatora COMMAND [flags]\n\ncommands:")
	printSummaries(w, table)
	fmt.Fprintln(w, "\n"+overviewFooter)
}

func printSummaries(w io.Writer, table []command) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range table {
		fmt.Fprintf(tw, "  %s\t%s\n", synopsisName(c), c.summary)
	}
	tw.Flush()
}

func synopsisName(c command) string {
	if c.args == "" {
		return c.name
	}
	return c.name + " " + c.args
}

// isGroup reports whether word is the first of several-word command names,
// such as "key".
func isGroup(table []command, word string) bool {
	return len(groupOf(table, word)) > 0
}

func groupOf(table []command, word string) []command {
	var group []command
	for _, c := range table {
		if first, _, several := strings.Cut(c.name, " "); several && first == word {
			group = append(group, c)
		}
	}
	return group
}

// groupUsage is the usage of the commands that start with word, or of all
// of them when word starts none.
func groupUsage(table []command, word string) string {
	var b strings.Builder
	group := groupOf(table, word)
	if len(group) == 0 {
		printOverview(&b, table)
		return strings.TrimRight(b.String(), "\n")
	}
	fmt.Fprintf(&b, "usage: fatora %s COMMAND [flags]\n\ncommands:\n", word)
	printSummaries(&b, group)
	fmt.Fprintf(&b, "\nRun \"fatora help %s COMMAND\" for a command's flags.", word)
	return b.String()
}

// helpCommand is `fatora help [COMMAND]`: help asked for, on stdout.
func helpCommand(table []command, words []string, stdout, stderr io.Writer) error {
	if len(words) == 0 {
		printOverview(stdout, table)
		return nil
	}
	if cmd, rest, err := findCommand(table, words); err == nil && len(rest) == 0 {
		return printCommandHelp(stdout, cmd)
	}
	if len(words) == 1 && isGroup(table, words[0]) {
		fmt.Fprintln(stdout, groupUsage(table, words[0]))
		return nil
	}
	fmt.Fprintln(stderr, groupUsage(table, words[0]))
	return fmt.Errorf("no help for %q: no such command", strings.Join(words, " "))
}

// printCommandHelp prints a command's usage: its synopsis, summary, flags
// (each with its environment variable and default) and details.
func printCommandHelp(w io.Writer, cmd command) error {
	fs := newFlagSet(cmd.name)
	cmd.flags(fs)
	fmt.Fprintf(w, "usage: fatora %s [flags]\n\n%s\n", synopsisName(cmd), cmd.summary)
	if flagCount(fs.FlagSet) > 0 {
		fmt.Fprintln(w, "\nflags:")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fs.VisitAll(func(f *flag.Flag) { fmt.Fprintln(tw, flagLine(fs, f)) })
		tw.Flush()
	}
	if cmd.details != "" {
		fmt.Fprintf(w, "\n%s\n", cmd.details)
	}
	return nil
}

func flagCount(fs *flag.FlagSet) int {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n
}

// flagLine is one flag in a command's help: "  --name VALUE\tusage (env
// X; default D)".
func flagLine(fs *flagSet, f *flag.Flag) string {
	valueName, usage := flag.UnquoteUsage(f)
	left := "  --" + f.Name
	if valueName != "" {
		left += " " + strings.ToUpper(valueName)
	}
	var notes []string
	if env := fs.envOf(f.Name); env != "" {
		notes = append(notes, "env "+env)
	}
	if !slices.Contains([]string{"", "0", "false", "0s"}, f.DefValue) {
		notes = append(notes, "default "+f.DefValue)
	}
	if len(notes) > 0 {
		usage += " (" + strings.Join(notes, "; ") + ")"
	}
	return left + "\t" + usage
}

// versionFlags is `fatora version`: the module version and the VCS
// revision the binary was built from, as the Go toolchain recorded them.
func versionFlags(*flagSet) runner {
	return func(_ context.Context, c *call) error {
		info, ok := debug.ReadBuildInfo()
		if !ok {
			info = nil
		}
		fmt.Fprintln(c.stdout, versionText(info))
		return nil
	}
}

// versionText says what the build information holds: "fatora VERSION
// (revision REV, TIME[, modified]) GOVERSION". A binary built from a git
// clone has the revision (unless built with -buildvcs=false).
func versionText(info *debug.BuildInfo) string {
	if info == nil {
		return "fatora (no build information)"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	text := "fatora " + info.Main.Version
	if rev := settings["vcs.revision"]; rev != "" {
		text += " (revision " + rev
		if t := settings["vcs.time"]; t != "" {
			text += ", " + t
		}
		if settings["vcs.modified"] == "true" {
			text += ", modified"
		}
		text += ")"
	} else {
		text += " (no VCS revision recorded)"
	}
	return text + " " + info.GoVersion
}
