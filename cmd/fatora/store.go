package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/postgres"
	"github.com/fatora-oss/fatora/sqlite"
)

// defaultDB is the database of every command unless --db or FATORA_DB
// names another.
const defaultDB = "sqlite:fatora.db"

// dbFlag defines --db (env FATORA_DB).
func dbFlag(fs *flagSet) *string {
	db := fs.String("db", defaultDB, "`database`: sqlite:PATH or postgres://USER@HOST:5432/NAME")
	fs.fromEnv("db", "FATORA_DB")
	return db
}

// store is an open database with its services.
type store struct {
	clients   fatora.ClientService
	merchants fatora.MerchantService
	purger    fatora.IdempotencyPurger
	events    interface {
		fatora.EventService
		fatora.EventPurger
	}
	webhooks   fatora.WebhookService
	deliveries fatora.DeliveryQueue
	sessions   fatora.SessionService
	// deleted purges deleted clients past retention; setRetention sets
	// how long a deleted client stays restorable.
	deleted      fatora.ClientPurger
	setRetention func(time.Duration)
	stats        func() fatora.StoreStats
	ping         func(context.Context) error
	close        func() error
	// tightened are the SQLite files whose permissions were taken from
	// group and others on opening (see sqlite.DB.TightenedFiles).
	tightened []string
}

// poolOptions tune a PostgreSQL connection pool; SQLite ignores them.
type poolOptions struct {
	maxConns         int
	statementTimeout time.Duration
	// searchConns are added to the default pool for keyword searches (see
	// postgres.Options.SearchConns).
	searchConns int
}

// dbPresence says whether a command may make a new SQLite database.
type dbPresence int

const (
	mustExist dbPresence = iota // admin commands: a missing file is a mistake
	mayCreate                   // merchant create and serve: a first run
)

// sqlitePath returns the file a sqlite: --db value names, absolute, and
// whether it exists; ok is false for a PostgreSQL database.
func sqlitePath(dsn string) (abs string, exists, ok bool) {
	path, ok := strings.CutPrefix(dsn, "sqlite:")
	if !ok {
		return "", false, false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	_, err = os.Stat(abs)
	return abs, !errors.Is(err, os.ErrNotExist), true
}

// openStore opens the database named by dsn: "sqlite:PATH" or a
// postgres:// URL. A SQLite file that does not exist is made only with
// mayCreate, and created then names it. Errors never hold a password of dsn.
func openStore(ctx context.Context, dsn string, opts poolOptions, presence dbPresence) (st *store, created string, err error) {
	if err := checkDSN(dsn); err != nil {
		return nil, "", err
	}
	if abs, exists, ok := sqlitePath(dsn); ok && !exists {
		if presence == mustExist {
			return nil, "", fmt.Errorf("no database at %s (--db %s): give the --db of your server (or set FATORA_DB), "+
				"or create a merchant first with fatora merchant create", abs, dsn)
		}
		created = abs
	}
	st, err = open(ctx, dsn, opts)
	if err != nil {
		return nil, "", scrubPasswords(err, dsn)
	}
	return st, created, nil
}

func open(ctx context.Context, dsn string, opts poolOptions) (*store, error) {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		clients := sqlite.NewClientService(db)
		return &store{clients: clients, merchants: sqlite.NewMerchantService(db), purger: clients, stats: db.Stats, ping: db.Ping, close: db.Close,
			events: sqlite.NewEventService(db), webhooks: sqlite.NewWebhookService(db), deliveries: sqlite.NewDeliveryQueue(db),
			sessions: sqlite.NewSessionService(db), tightened: db.TightenedFiles(),
			deleted: clients, setRetention: func(d time.Duration) { db.DeletedRetention = d }}, nil
	}
	db, err := postgres.Open(ctx, dsn, postgres.Options{MaxConns: int32(opts.maxConns), SearchConns: int32(opts.searchConns),
		StatementTimeout: opts.statementTimeout})
	if err != nil {
		return nil, err
	}
	clients := postgres.NewClientService(db)
	return &store{clients: clients, merchants: postgres.NewMerchantService(db), purger: clients, stats: db.Stats, ping: db.Ping, close: db.Close,
		events: postgres.NewEventService(db), webhooks: postgres.NewWebhookService(db), deliveries: postgres.NewDeliveryQueue(db),
		sessions: postgres.NewSessionService(db),
		deleted:  clients, setRetention: func(d time.Duration) { db.DeletedRetention = d }}, nil
}

// tightenedMessage says why the database's files were changed.
const tightenedMessage = "Kept the database's files to their owner (mode 0600; they hold the token signing secret)"

// withStore opens the database for an admin command, runs fn and closes
// the database. A database it made is announced on stderr.
func withStore(ctx context.Context, dsn string, c *call, presence dbPresence, fn func(*store) error) error {
	st, created, err := openStore(ctx, dsn, poolOptions{maxConns: 2}, presence)
	if err != nil {
		return err
	}
	defer st.close()
	if created != "" {
		fmt.Fprintf(c.stderr, "Created a new database at %s.\n", created)
	}
	if len(st.tightened) > 0 {
		fmt.Fprintf(c.stderr, "%s: %s.\n", tightenedMessage, strings.Join(st.tightened, ", "))
	}
	if err := fn(st); err != nil {
		return fmt.Errorf("%s", fatora.ErrorMessage(err))
	}
	return nil
}

// checkDSN refuses a --db value that is neither sqlite:PATH nor a
// postgres:// URL, suggesting what was likely meant. It never repeats a
// value that may hold a password.
func checkDSN(dsn string) error {
	lower := strings.ToLower(dsn)
	switch {
	case strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://"):
		return nil
	case dsn == "sqlite:":
		return errors.New("--db sqlite: names no file; want sqlite:PATH, such as sqlite:fatora.db")
	case strings.HasPrefix(dsn, "sqlite://"):
		return fmt.Errorf("--db %q: did you mean sqlite:%s? (sqlite: is followed by the path itself)", dsn, strings.TrimPrefix(dsn, "sqlite://"))
	case strings.HasPrefix(dsn, "sqlite:"):
		return nil
	}
	hint := "want sqlite:PATH or a postgres:// URL"
	switch {
	case dsn == "":
		return errors.New("--db is empty: " + hint)
	case strings.HasPrefix(lower, "sqlite3:") || strings.HasPrefix(lower, "sqlite://") || strings.HasPrefix(lower, "file:"):
		_, rest, _ := strings.Cut(dsn, ":")
		return fmt.Errorf("--db %q: did you mean sqlite:%s?", dsn, strings.TrimPrefix(rest, "//"))
	case strings.HasPrefix(lower, "postgres") || strings.HasPrefix(lower, "pg:") || strings.Contains(lower, "host=") ||
		strings.Contains(lower, "dbname=") || strings.Contains(lower, "@"):
		return errors.New("--db: did you mean a PostgreSQL URL, postgres://USER@HOST:5432/NAME? " +
			"(keyword=value strings and other schemes are not read; the value is not repeated here, as it may hold a password)")
	case !strings.Contains(dsn, ":") || filepath.IsAbs(dsn) || filepath.Ext(dsn) != "":
		return fmt.Errorf("--db %q: did you mean sqlite:%s?", dsn, dsn)
	}
	return errors.New("--db: " + hint)
}

// redactDSN returns a database name fit for logs and messages: a URL with
// its password hidden, in the user part and in the query alike.
func redactDSN(dsn string) string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return "(a database name that is not sqlite:PATH or a postgres:// URL)"
	}
	q := u.Query()
	for name := range q {
		if strings.Contains(strings.ToLower(name), "password") {
			q.Set(name, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	return u.Redacted()
}

// keywordPassword finds a password=... pair of a keyword=value string.
var keywordPassword = regexp.MustCompile(`(?i)password\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&]+)`)

// rawURLPassword is the password of a URL's user part as written, still
// percent-encoded.
func rawURLPassword(dsn string) string {
	_, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return ""
	}
	if end := strings.IndexAny(rest, "/?#"); end >= 0 {
		rest = rest[:end]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return ""
	}
	_, pw, _ := strings.Cut(rest[:at], ":")
	return pw
}

// scrubPasswords returns err with every password dsn holds replaced by
// xxxxx: drivers may repeat the string they were given.
func scrubPasswords(err error, dsn string) error {
	var secrets []string
	if u, perr := url.Parse(dsn); perr == nil {
		if pw, ok := u.User.Password(); ok {
			secrets = append(secrets, pw, url.QueryEscape(pw), url.PathEscape(pw))
		}
		for name, vals := range u.Query() {
			if strings.Contains(strings.ToLower(name), "password") {
				for _, v := range vals {
					secrets = append(secrets, v, url.QueryEscape(v))
				}
			}
		}
	}
	for _, m := range keywordPassword.FindAllStringSubmatch(dsn, -1) { // also password=... of a URL's query, as written
		secrets = append(secrets, m[1], strings.Trim(m[1], "'"))
	}
	if raw := rawURLPassword(dsn); raw != "" {
		secrets = append(secrets, raw)
	}
	text := err.Error()
	changed := false
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			text, changed = strings.ReplaceAll(text, s, "xxxxx"), true
		}
	}
	if !changed {
		return err
	}
	return errors.New(text)
}
