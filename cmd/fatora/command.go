package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
)

// command is one row of the command table (see commands): what
// `fatora NAME` is called, what it takes and how it runs. Every usage text
// is made from these rows, so a command added to the table is in the help.
type command struct {
	// name is the words after "fatora", such as "key rotate".
	name string
	// args names the one positional argument the command takes ("ID",
	// "FILE"); "" when it takes none.
	args string
	// summary is one line for the list of commands.
	summary string
	// details are paragraphs printed after the flags by `fatora help NAME`.
	details string
	// flags defines the command's flags on fs and returns the function
	// that runs the command once they are parsed.
	flags func(fs *flagSet) runner
}

// runner runs a command whose flags are parsed.
type runner func(ctx context.Context, c *call) error

// call is one run of a command: its positional argument and its streams.
type call struct {
	// arg is the positional argument, when the command takes one.
	arg            string
	stdout, stderr io.Writer
}

// flagSet is a command's flags: the standard library's, plus the
// environment variable each flag may be set by. A flag given twice on one
// command line is an error (see onceValue), not "the last one wins".
type flagSet struct {
	*flag.FlagSet
	env map[string]string // flag name -> environment variable
}

func newFlagSet(name string) *flagSet {
	fs := flag.NewFlagSet("fatora "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, help printed by printCommandHelp
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, env: map[string]string{}}
}

// fromEnv makes the environment variable env the default of flag name:
// used when the command line does not give the flag. The help names the
// variable but never shows its value (it may be a key or a password).
func (fs *flagSet) fromEnv(name, env string) {
	if fs.Lookup(name) == nil {
		panic("fromEnv: no flag " + name)
	}
	fs.env[name] = env
}

// envOf returns the environment variable of flag name, or "".
func (fs *flagSet) envOf(name string) string { return fs.env[name] }

// parse parses args (flags and positional arguments in any order), applies
// the environment variables of the flags not given, and returns the
// positional arguments.
func (fs *flagSet) parse(args []string) ([]string, error) {
	fs.VisitAll(func(f *flag.Flag) { f.Value = newOnceValue(f.Name, f.Value) })
	pos, err := parseArgs(fs.FlagSet, args)
	if err != nil {
		return nil, err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, name := range slices.Sorted(maps.Keys(fs.env)) {
		v, ok := os.LookupEnv(fs.env[name])
		if given[name] || !ok || v == "" {
			continue
		}
		if err := fs.Lookup(name).Value.(settable).setInner(v); err != nil {
			return nil, fmt.Errorf("%s: %w", fs.env[name], err)
		}
	}
	return pos, nil
}

// onceValue is a flag value that refuses a second value on one command
// line: `--merchant 1 --merchant 2` is an error. onceBoolValue is the same
// for a boolean flag, which the flag package asks IsBoolFlag of.
type onceValue struct {
	flag.Value
	name string
	set  bool
}

type onceBoolValue struct{ *onceValue }

// settable sets a flag's value from the environment, which does not count
// as giving the flag.
type settable interface{ setInner(string) error }

// repeatable is a flag value meant to be given several times (--metadata
// k=v --metadata k2=v2), which is not wrapped in a onceValue.
type repeatable interface{ repeatable() }

func newOnceValue(name string, v flag.Value) flag.Value {
	if _, wrapped := v.(settable); wrapped {
		return v
	}
	if _, many := v.(repeatable); many {
		return v
	}
	o := &onceValue{Value: v, name: name}
	if b, ok := v.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return onceBoolValue{o}
	}
	return o
}

func (o *onceValue) Set(s string) error {
	if o.set {
		return fmt.Errorf("given twice; give --%s once", o.name)
	}
	o.set = true
	return o.Value.Set(s)
}

func (o *onceValue) setInner(s string) error { return o.Value.Set(s) }

// IsBoolFlag makes the flag package accept --json without a value.
func (onceBoolValue) IsBoolFlag() bool { return true }

// parseArgs parses args, flags and positional arguments in any order, and
// returns the positional ones. After "--" every argument is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}

// run executes one command line; ctx is cancelled by SIGINT or SIGTERM.
// Help that was asked for goes to stdout and succeeds; a command line that
// is wrong gets its usage on stderr and an error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	table := commands()
	if len(args) == 0 {
		printOverview(stderr, table)
		return flag.ErrHelp
	}
	if isHelp(args[0]) {
		return helpCommand(table, args[1:], stdout, stderr)
	}
	if isGroup(table, args[0]) && (len(args) == 1 || isHelp(args[1])) {
		if len(args) == 1 {
			fmt.Fprintln(stderr, groupUsage(table, args[0]))
			return fmt.Errorf("%s what? Give one of the commands above", args[0])
		}
		fmt.Fprintln(stdout, groupUsage(table, args[0]))
		return nil
	}
	cmd, rest, err := findCommand(table, args)
	if err != nil {
		fmt.Fprintln(stderr, groupUsage(table, args[0]))
		return err
	}
	if len(rest) == 1 && rest[0] == "help" {
		return printCommandHelp(stdout, cmd)
	}
	return runCommand(ctx, cmd, rest, stdout, stderr)
}

// findCommand finds the command args name: the longest name whose words
// start args. It returns the arguments after the name.
func findCommand(table []command, args []string) (command, []string, error) {
	var found command
	words := 0
	for _, c := range table {
		n := strings.Fields(c.name)
		if len(n) > words && len(n) <= len(args) && slices.Equal(n, args[:len(n)]) {
			found, words = c, len(n)
		}
	}
	if words == 0 {
		name := args[0]
		if len(args) > 1 && isGroup(table, args[0]) && !strings.HasPrefix(args[1], "-") {
			name += " " + args[1]
		}
		return command{}, nil, fmt.Errorf("unknown command %q", name)
	}
	return found, args[words:], nil
}

// runCommand parses a command's flags and runs it. -h or --help prints its
// help to stdout instead.
func runCommand(ctx context.Context, cmd command, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(cmd.name)
	runFn := cmd.flags(fs)
	pos, err := fs.parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return printCommandHelp(stdout, cmd)
	}
	if err != nil {
		return fmt.Errorf("%s: %w (see fatora help %s)", cmd.name, err, cmd.name)
	}
	c := &call{stdout: stdout, stderr: stderr}
	switch {
	case cmd.args == "" && len(pos) > 0:
		return fmt.Errorf("unexpected argument %q", pos[0])
	case cmd.args != "" && len(pos) == 0:
		return fmt.Errorf("give the %s: fatora %s %s [flags]", cmd.args, cmd.name, cmd.args)
	case len(pos) > 1:
		return fmt.Errorf("unexpected argument %q", pos[1])
	case len(pos) == 1:
		c.arg = pos[0]
	}
	return runFn(ctx, c)
}
