package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// merchant is one tenant of the run: the key its workers send.
type merchant struct {
	name   string
	apiKey string
}

// fixedMerchants are the run's two merchants; two, so that a client shown
// to the wrong one is seen.
var fixedMerchants = []merchant{
	{name: "Faults A", apiKey: "FAULTS-MERCHANT-A-LIVE-KEY-0001"},
	{name: "Faults B", apiKey: "FAULTS-MERCHANT-B-LIVE-KEY-0002"},
}

// environment is everything a run works in: its directory, the binary, the
// database and the merchants in it, and where the server listens.
type environment struct {
	dir           string
	ownDir        bool // dir was made for this run and is removed after it
	keep          bool // keep dir for a post-mortem
	bin           string
	dsn           string
	sqlitePath    string // sqlite only
	dropSchema    func() error
	addr          string
	baseURL       string
	serverLog     *os.File
	serverLogPath string
	merchants     []merchant
	runID         string
}

// prepare makes the run's directory, binary, database and merchants, and
// picks the server's port.
func prepare(ctx context.Context, cfg config, out io.Writer) (env *environment, err error) {
	env = &environment{dir: cfg.workDir, bin: cfg.bin, runID: randomHex(4), merchants: fixedMerchants}
	if env.dir == "" {
		if env.dir, err = os.MkdirTemp("", "fatora-faults-"); err != nil {
			return nil, err
		}
		env.ownDir = true
	}
	defer func() {
		if err != nil {
			env.cleanup(out)
		}
	}()
	steps := []func(context.Context, config, io.Writer) error{env.build, env.openDatabase, env.createMerchants, env.openLog, env.pickAddr}
	for _, step := range steps {
		if err = step(ctx, cfg, out); err != nil {
			return env, err
		}
	}
	return env, nil
}

// build compiles the fatora binary into the run's directory unless --bin
// names one.
func (env *environment) build(ctx context.Context, cfg config, out io.Writer) error {
	if env.bin != "" {
		return nil
	}
	env.bin = filepath.Join(env.dir, "fatora")
	if err := buildFatora(ctx, env.bin); err != nil {
		return err
	}
	fmt.Fprintf(out, "built %s\n", env.bin)
	return nil
}

// buildFatora runs go build for cmd/fatora; the working directory must be
// inside the module.
func buildFatora(ctx context.Context, bin string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/fatora-oss/fatora/cmd/fatora")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/fatora: %v\n%s", err, b)
	}
	return nil
}

// openDatabase names the run's database: a new SQLite file, or a new
// schema on PostgreSQL.
func (env *environment) openDatabase(ctx context.Context, cfg config, out io.Writer) error {
	if cfg.store == "sqlite" {
		env.sqlitePath = filepath.Join(env.dir, "faults.db")
		env.dsn = "sqlite:" + env.sqlitePath
		return nil
	}
	schema := "faults_" + env.runID + randomHex(4)
	dsn, drop, err := createSchema(ctx, cfg.pg, schema)
	if err != nil {
		return err
	}
	env.dsn, env.dropSchema = dsn, drop
	fmt.Fprintf(out, "using PostgreSQL schema %s\n", schema)
	return nil
}

// createMerchants creates the merchants with the binary's own command, each
// with its fixed live key.
func (env *environment) createMerchants(ctx context.Context, cfg config, out io.Writer) error {
	for i, m := range env.merchants {
		cmd := exec.CommandContext(ctx, env.bin, "merchant", "create", "--name", m.name,
			"--email", fmt.Sprintf("faults-%d@example.com", i), "--db", env.dsn,
			"--api-key", m.apiKey, "--mode", "live", "--json")
		b, err := cmd.Output()
		var created struct{ Number string }
		if err == nil {
			err = json.Unmarshal(b, &created)
		}
		if err != nil {
			return fmt.Errorf("fatora merchant create: %v %s", err, stderrOf(err))
		}
		fmt.Fprintf(out, "merchant %s: %s\n", created.Number, m.name)
	}
	return nil
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// openLog opens the file every server incarnation writes its log to.
func (env *environment) openLog(context.Context, config, io.Writer) error {
	env.serverLogPath = filepath.Join(env.dir, "server.log")
	f, err := os.OpenFile(env.serverLogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	env.serverLog = f
	return err
}

// pickAddr finds a free port on the loopback interface; every incarnation
// of the server listens on it.
func (env *environment) pickAddr(context.Context, config, io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	env.addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	env.baseURL = "http://" + env.addr
	return nil
}

// serveArgs is the command line of the server.
func (env *environment) serveArgs() []string {
	return []string{"serve", "--addr", env.addr, "--db", env.dsn}
}

// cleanup drops the schema and removes the directory, unless the run asked
// to keep it.
func (env *environment) cleanup(out io.Writer) {
	if env.serverLog != nil {
		env.serverLog.Close()
	}
	if env.dropSchema != nil {
		if err := env.dropSchema(); err != nil {
			fmt.Fprintf(out, "dropping the schema: %v\n", err)
		}
	}
	if !env.ownDir {
		return
	}
	if env.keep {
		fmt.Fprintf(out, "kept %s (server.log, the database) for a post-mortem\n", env.dir)
		return
	}
	os.RemoveAll(env.dir)
}

// randomHex returns 2n random lowercase hex digits.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails
	return hex.EncodeToString(b)
}
