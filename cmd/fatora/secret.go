package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

// secretReloadEvery is how often a server reads its signing secrets
// anew, so that a rotation or a revocation reaches every server within it.
const secretReloadEvery = 10 * time.Second

// minSecretFileLine is the shortest secret a --signing-secret-file line
// may hold: 32 characters.
const minSecretFileLine = 32

const secretDetails = `Tokens are signed with the signing secret. It is kept in the database
(made by the first server), or, with --signing-secret-file (env
FATORA_SIGNING_SECRET_FILE), in a file the operator keeps: its first line
is the secret tokens are signed with, each further line a previous secret
whose tokens are still accepted; lines of at least 32 characters, blank
lines and lines starting with # skipped. Keep the file mode 0600 and give
every server the same file.

secret rotate makes a new secret (in the database, or as the file's first
line). Tokens signed with the previous secrets still verify until they
expire, unless --revoke-previous refuses them at once (for a secret that
leaked). secret revoke-previous refuses them later, keeping the current
secret. Running servers read the secrets every 10 seconds and on SIGHUP,
and at once when a token names a secret they do not know yet.`

// secretSource is where a server's signing secrets come from: the
// database, or the file of --signing-secret-file.
type secretSource struct {
	file      string
	merchants fatora.MerchantService
}

// load returns the secret tokens are signed with and the previous ones.
func (src secretSource) load(ctx context.Context) (token.Secret, []token.Secret, error) {
	if src.file != "" {
		return readSecretFile(src.file)
	}
	cur, err := src.merchants.SigningSecret(ctx, func() (fatora.SigningSecret, error) {
		return fatora.SigningSecret{ID: token.NewID(), Secret: token.NewSecret()}, nil
	})
	if err != nil {
		return token.Secret{}, nil, fmt.Errorf("signing secret: %w", err)
	}
	prev, err := src.merchants.PreviousSigningSecrets(ctx)
	if err != nil {
		return token.Secret{}, nil, fmt.Errorf("previous signing secrets: %w", err)
	}
	previous := make([]token.Secret, len(prev))
	for i, p := range prev {
		previous[i] = token.Secret{ID: p.ID, Value: p.Secret}
	}
	return token.Secret{ID: cur.ID, Value: cur.Secret}, previous, nil
}

// readSecretFile reads a --signing-secret-file: the first secret line is
// the current secret, the others previous ones. A secret's id is made from
// its value, so every server reading the same file names it alike.
func readSecretFile(path string) (token.Secret, []token.Secret, error) {
	lines, err := secretLines(path)
	if err != nil {
		return token.Secret{}, nil, err
	}
	if len(lines) == 0 {
		return token.Secret{}, nil, fmt.Errorf("--signing-secret-file %s holds no secret (make one with fatora secret rotate --signing-secret-file %s)", path, path)
	}
	secrets := make([]token.Secret, len(lines))
	for i, line := range lines {
		sum := sha256.Sum256([]byte(line))
		secrets[i] = token.Secret{ID: "file-" + hex.EncodeToString(sum[:8]), Value: []byte(line)}
	}
	return secrets[0], secrets[1:], nil
}

// secretLines returns the secrets of a secret file, in order.
func secretLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--signing-secret-file: %w", err)
	}
	var lines []string
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(line) < minSecretFileLine {
			return nil, fmt.Errorf("--signing-secret-file %s: line %d is shorter than %d characters", path, n+1, minSecretFileLine)
		}
		lines = append(lines, line)
	}
	return lines, nil
}

// reloadSecrets gives the signer the secrets as they are now, and logs a
// change.
func (s *server) reloadSecrets(ctx context.Context) error {
	cur, prev, err := s.secrets.load(ctx)
	if err != nil {
		return err
	}
	before := s.api.Signer
	changed := !before.Accepts(cur.ID) || int64(len(prev)) != s.previousSecrets.Swap(int64(len(prev)))
	before.SetSecrets(cur, prev)
	if changed {
		s.log.Info("signing secrets read", "current", cur.ID, "previous", len(prev))
	}
	return nil
}

func secretFileFlag(fs *flagSet) *string {
	f := fs.String("signing-secret-file", "", "`file` of signing secrets, instead of the database's (see fatora help secret rotate)")
	fs.fromEnv("signing-secret-file", "FATORA_SIGNING_SECRET_FILE")
	return f
}

func secretRotateFlags(fs *flagSet) runner {
	db, file := dbFlag(fs), secretFileFlag(fs)
	revoke := fs.Bool("revoke-previous", false, "refuse at once the tokens of every previous secret (for a secret that leaked)")
	return func(ctx context.Context, c *call) error {
		if *file != "" {
			return rotateSecretFile(c, *file, *revoke)
		}
		return withStore(ctx, *db, c, mustExist, func(st *store) error {
			fresh := fatora.SigningSecret{ID: token.NewID(), Secret: token.NewSecret()}
			if err := st.merchants.RotateSigningSecret(ctx, fresh); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "New signing secret %s; servers sign with it within %s.\n", fresh.ID, secretReloadEvery)
			if *revoke {
				return revokePrevious(ctx, c, st)
			}
			fmt.Fprintln(c.stdout, "Tokens signed with the previous secrets still verify until they expire (fatora secret revoke-previous stops them).")
			return nil
		})
	}
}

func secretRevokeFlags(fs *flagSet) runner {
	db, file := dbFlag(fs), secretFileFlag(fs)
	return func(ctx context.Context, c *call) error {
		if *file != "" {
			return revokeSecretFile(c, *file)
		}
		return withStore(ctx, *db, c, mustExist, func(st *store) error { return revokePrevious(ctx, c, st) })
	}
}

func revokePrevious(ctx context.Context, c *call, st *store) error {
	n, err := st.merchants.RevokePreviousSigningSecrets(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Revoked %d previous signing secrets: servers refuse their tokens within %s.\n", n, secretReloadEvery)
	return nil
}

// rotateSecretFile puts a new secret on the first line of the file (made
// if need be), keeping the others unless revoke.
func rotateSecretFile(c *call, path string, revoke bool) error {
	lines, err := secretLines(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if revoke {
		lines = nil
	}
	fresh := base64.RawURLEncoding.EncodeToString(token.NewSecret())
	if err := writeSecretFile(path, append([]string{fresh}, lines...)); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "New signing secret on the first line of %s, %d previous after it; servers reading the file sign with it within %s (or at SIGHUP).\n",
		path, len(lines), secretReloadEvery)
	return nil
}

// revokeSecretFile keeps only the first line of the file.
func revokeSecretFile(c *call, path string) error {
	lines, err := secretLines(path)
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		return fmt.Errorf("--signing-secret-file %s holds no secret", path)
	}
	if err := writeSecretFile(path, lines[:1]); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Revoked %d previous signing secrets of %s: servers reading it refuse their tokens within %s.\n", len(lines)-1, path, secretReloadEvery)
	return nil
}

// writeSecretFile replaces the file at path with lines, atomically and
// with mode 0600.
func writeSecretFile(path string, lines []string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fatora-secret-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	var b bytes.Buffer
	b.WriteString("# fatora signing secrets: the first signs tokens, the others still verify theirs.\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	_, err = tmp.Write(b.Bytes())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
