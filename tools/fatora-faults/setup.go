package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/fatora-oss/fatora/internal/testenv"
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
	receiver      *receiver // the webhook endpoints, in the webhook mode
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
	steps := []func(context.Context, config, io.Writer) error{env.build, env.openDatabase, env.createMerchants, env.openLog, env.pickAddr,
		env.startReceiver}
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
	if err := testenv.BuildFatora(ctx, env.bin); err != nil {
		return err
	}
	fmt.Fprintf(out, "built %s\n", env.bin)
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
	if !strings.HasPrefix(cfg.pg, "postgres://") && !strings.HasPrefix(cfg.pg, "postgresql://") {
		return errors.New("--pg: want a postgres:// URL")
	}
	s, err := testenv.NewSchema(ctx, cfg.pg, "faults_"+env.runID+"_")
	if err != nil {
		return err
	}
	env.dsn, env.dropSchema = s.DSN, func() error { return dropSchema(s) }
	fmt.Fprintf(out, "using PostgreSQL schema %s\n", s.Name)
	return nil
}

// createMerchants creates the merchants with the binary's own command, each
// with its fixed live key.
func (env *environment) createMerchants(ctx context.Context, cfg config, out io.Writer) error {
	for i, m := range env.merchants {
		number, err := testenv.CreateMerchant(ctx, env.bin, env.dsn, m.name, fmt.Sprintf("faults-%d@example.com", i), m.apiKey)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "merchant %s: %s\n", number, m.name)
	}
	return nil
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
	addr, err := testenv.FreeAddr()
	env.addr, env.baseURL = addr, "http://"+addr
	return err
}

// startReceiver starts the webhook receiver in the webhook mode.
func (env *environment) startReceiver(_ context.Context, cfg config, out io.Writer) (err error) {
	if cfg.webhooks {
		env.receiver, err = startReceiver(len(env.merchants))
	}
	return err
}

// serveArgs is the command line of the server: in the webhook mode it may
// deliver to the receiver on the loopback address, and looks for due
// deliveries often.
func (env *environment) serveArgs() []string {
	args := []string{"serve", "--addr", env.addr, "--db", env.dsn, "--drain", "0"}
	if env.receiver != nil {
		args = append(args, "--webhook-allow-insecure", "--webhook-allow-private", "--webhook-poll", "100ms",
			"--webhook-retry-schedule", "1s,2s,3s,5s,5s,5s,5s,5s,5s")
	}
	return args
}

// cleanup drops the schema and removes the directory, unless the run asked
// to keep it.
func (env *environment) cleanup(out io.Writer) {
	if env.serverLog != nil {
		env.serverLog.Close()
	}
	if env.receiver != nil {
		env.receiver.close()
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
