package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"runtime/debug"
	"strings"
	"testing"
)

// TestHelpAndExitCodes is the CLI's table of help and usage errors: help
// asked for goes to stdout with exit status 0; a wrong command line gets
// its usage on stderr, one error line, and status 2.
func TestHelpAndExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args       []string
		exit       int
		stdout     []string // each must appear in stdout
		stderr     []string // each must appear in stderr or the error
		stdoutNone bool
	}{
		{args: []string{"--help"}, stdout: []string{"usage: fatora COMMAND", "merchant list", "key rotate", "clients import FILE"}},
		{args: []string{"-h"}, stdout: []string{"usage: fatora COMMAND"}},
		{args: []string{"help"}, stdout: []string{"usage: fatora COMMAND", "version"}},
		{args: []string{"help", "serve"}, stdout: []string{"usage: fatora serve [flags]", "--tls-cert", "FATORA_TLS_CERT", "--drain", "default 127.0.0.1:8080"}},
		{args: []string{"serve", "--help"}, stdout: []string{"--trusted-proxies", "FATORA_TRUSTED_PROXIES", "--db-max-conns", "FATORA_DB_MAX_CONNS"}},
		{args: []string{"serve", "-h"}, stdout: []string{"usage: fatora serve"}},
		{args: []string{"clients", "--help"}, stdout: []string{"usage: fatora clients COMMAND", "clients export"}},
		{args: []string{"clients", "-h"}, stdout: []string{"clients get ID"}},
		{args: []string{"help", "clients"}, stdout: []string{"clients update ID"}},
		{args: []string{"clients", "import", "--help"}, stdout: []string{"usage: fatora clients import FILE [flags]", "--strict", "FATORA_URL", "never closed"}},
		{args: []string{"help", "key", "rotate"}, stdout: []string{"usage: fatora key rotate", "--grace", "FATORA_DB"}},
		{args: []string{"key", "help"}, stdout: []string{"key create", "key list", "key revoke", "key rotate"}},
		{args: []string{"key", "list", "help"}, stdout: []string{"usage: fatora key list"}},
		{args: []string{"merchant", "list", "-h"}, stdout: []string{"--json", "region"}},
		{args: []string{"version"}, stdout: []string{"fatora ", "go1."}},

		{args: nil, exit: 2, stderr: []string{"usage: fatora COMMAND"}, stdoutNone: true},
		{args: []string{"frobnicate"}, exit: 2, stderr: []string{`unknown command "frobnicate"`, "usage: fatora COMMAND"}, stdoutNone: true},
		{args: []string{"merchant"}, exit: 2, stderr: []string{"usage: fatora merchant COMMAND"}, stdoutNone: true},
		{args: []string{"merchant", "delete"}, exit: 2, stderr: []string{`unknown command "merchant delete"`, "merchant create"}, stdoutNone: true},
		{args: []string{"help", "frobnicate"}, exit: 2, stderr: []string{`no help for "frobnicate"`}, stdoutNone: true},
		{args: []string{"key", "list", "--colour"}, exit: 2, stderr: []string{"flag provided but not defined: -colour", "fatora help key list"}, stdoutNone: true},
		{args: []string{"key", "list", "--merchant", "1", "--merchant", "2"}, exit: 2, stderr: []string{"given twice; give --merchant once"}, stdoutNone: true},
		{args: []string{"clients", "list", "--json", "--json"}, exit: 2, stderr: []string{"give --json once"}, stdoutNone: true},
		{args: []string{"version", "extra"}, exit: 2, stderr: []string{`unexpected argument "extra"`}, stdoutNone: true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tt.args, &out, &errOut)
			exit := 0
			if err != nil {
				exit = exitCode(err)
			}
			if exit != tt.exit {
				t.Fatalf("exit status %d (%v), want %d\nstdout: %s\nstderr: %s", exit, err, tt.exit, out.String(), errOut.String())
			}
			for _, want := range tt.stdout {
				if !strings.Contains(out.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, out.String())
				}
			}
			errText := errOut.String()
			if err != nil && !errors.Is(err, flag.ErrHelp) {
				errText += "\nfatora: " + err.Error()
			}
			for _, want := range tt.stderr {
				if !strings.Contains(errText, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errText)
				}
			}
			if tt.stdoutNone && out.Len() > 0 {
				t.Errorf("a failed command printed on stdout:\n%s", out.String())
			}
		})
	}
}

// TestEveryCommandHasHelp: the table's every row prints its help, and
// every flag in it says what it is for.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands() {
		var out bytes.Buffer
		if err := run(context.Background(), append(strings.Fields(c.name), "--help"), &out, &bytes.Buffer{}); err != nil {
			t.Errorf("%s --help: %v", c.name, err)
		}
		if !strings.HasPrefix(out.String(), "usage: fatora "+c.name) || c.summary == "" {
			t.Errorf("%s --help printed:\n%s", c.name, out.String())
		}
		fs := newFlagSet(c.name)
		c.flags(fs)
		fs.VisitAll(func(f *flag.Flag) {
			if f.Usage == "" {
				t.Errorf("%s --%s has no usage text", c.name, f.Name)
			}
		})
	}
}

// TestEveryServeFlagHasAnEnvironmentVariable: FATORA_ and the flag's name.
func TestEveryServeFlagHasAnEnvironmentVariable(t *testing.T) {
	fs := newFlagSet("serve")
	serveFlags(fs)
	fs.VisitAll(func(f *flag.Flag) {
		if want := "FATORA_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_")); fs.envOf(f.Name) != want {
			t.Errorf("--%s: environment variable %q, want %s", f.Name, fs.envOf(f.Name), want)
		}
	})
}

// TestVersionText: the module version, the revision, its time and whether
// the tree was modified, as the toolchain records them.
func TestVersionText(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261130191550-7dff71155bde"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "7dff71155bde373ebc6bd74676215e063be73df8"},
			{Key: "vcs.time", Value: "2026-11-30T19:15:50Z"}, {Key: "vcs.modified", Value: "true"}}}
	want := "fatora v0.0.0-20261130191550-7dff71155bde (revision 7dff71155bde373ebc6bd74676215e063be73df8, 2026-11-30T19:15:50Z, modified) go1.26.8"
	if got := versionText(info); got != want {
		t.Errorf("versionText = %q\nwant           %q", got, want)
	}
	info.Settings = nil
	if got := versionText(info); !strings.Contains(got, "no VCS revision recorded") {
		t.Errorf("without VCS settings: %q", got)
	}
}
