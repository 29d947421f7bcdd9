package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fatora-oss/fatora/internal/testenv"
)

// dropSchema drops a schema, retrying for a while: PostgreSQL may be
// coming back from a restart.
func dropSchema(s *testenv.Schema) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var err error
	for ctx.Err() == nil {
		if err = s.Drop(ctx); err == nil {
			return nil
		}
		sleep(ctx, time.Second)
	}
	return err
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
