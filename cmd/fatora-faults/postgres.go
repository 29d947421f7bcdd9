package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// createSchema makes schema in the database at base and returns a DSN whose
// search_path is it, and a function that drops it.
func createSchema(ctx context.Context, base, schema string) (string, func() error, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("--pg: want a postgres:// URL")
	}
	ident := pgx.Identifier{schema}.Sanitize()
	if err := pgExec(ctx, base, "CREATE SCHEMA "+ident); err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop := func() error { return dropSchema(base, ident) }
	return u.String(), drop, nil
}

// dropSchema drops a schema, retrying for a while: PostgreSQL may be
// coming back from a restart.
func dropSchema(base, ident string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var err error
	for ctx.Err() == nil {
		if err = pgExec(ctx, base, "DROP SCHEMA "+ident+" CASCADE"); err == nil {
			return nil
		}
		sleep(ctx, time.Second)
	}
	return err
}

// pgExec runs sql on a connection of its own.
func pgExec(ctx context.Context, dsn, sql string) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// pgRestartLoop restarts the local PostgreSQL cluster "main" with
// -m immediate (a crash: no checkpoint, connections cut) every period until
// ctx ends. It returns "" or why it stopped restarting.
func pgRestartLoop(ctx context.Context, every time.Duration, st *stats, out io.Writer) string {
	version, err := pgVersion()
	if err != nil {
		fmt.Fprintf(out, "no PostgreSQL restarts: %v\n", err)
		return "no PostgreSQL restarts: " + err.Error()
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ""
		case <-tick.C:
		}
		if err := pgRestart(version); err != nil {
			fmt.Fprintf(out, "PostgreSQL restart failed, going on without: %v\n", err)
			return "PostgreSQL restarts stopped after a failure: " + err.Error()
		}
		st.pgRestarts.Add(1)
	}
}

// pgVersion is the version of the local cluster, the one directory in
// /etc/postgresql (the newest when there are several).
func pgVersion() (string, error) {
	entries, err := os.ReadDir("/etc/postgresql")
	if err != nil {
		return "", err
	}
	var versions []string
	for _, e := range entries {
		if e.IsDir() {
			versions = append(versions, e.Name())
		}
	}
	if len(versions) == 0 {
		return "", errors.New("no cluster in /etc/postgresql")
	}
	sort.Slice(versions, func(i, j int) bool { return versionNumber(versions[i]) < versionNumber(versions[j]) })
	return versions[len(versions)-1], nil
}

// versionNumber reads "15" or "9.6" as a number, anything else as 0.
func versionNumber(v string) float64 {
	f, _ := strconv.ParseFloat(v, 64)
	return f
}

// pgRestart restarts the cluster. It is not cancelled with the run: killing
// pg_ctlcluster halfway could leave PostgreSQL stopped. After a failure it
// tries to make sure the cluster runs.
func pgRestart(version string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, err := exec.CommandContext(ctx, "pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "immediate").CombinedOutput()
	if err == nil {
		return nil
	}
	exec.CommandContext(ctx, "pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start").Run()
	return fmt.Errorf("pg_ctlcluster %s main restart -m immediate: %v %s", version, err, strings.TrimSpace(string(b)))
}
