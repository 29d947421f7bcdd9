package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/postgres"
	"github.com/fatora-oss/fatora/sqlite"
)

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
	stats      func() fatora.StoreStats
	ping       func(context.Context) error
	close      func() error
}

// poolOptions tune a PostgreSQL connection pool; SQLite ignores them.
type poolOptions struct {
	maxConns         int
	statementTimeout time.Duration
}

// openStore opens the database named by dsn: "sqlite:PATH" or a
// postgres:// URL.
func openStore(ctx context.Context, dsn string, opts poolOptions) (*store, error) {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok && path != "" {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		clients := sqlite.NewClientService(db)
		return &store{clients: clients, merchants: sqlite.NewMerchantService(db), purger: clients, stats: db.Stats, ping: db.Ping, close: db.Close,
			events: sqlite.NewEventService(db), webhooks: sqlite.NewWebhookService(db), deliveries: sqlite.NewDeliveryQueue(db)}, nil
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err := postgres.Open(ctx, dsn, postgres.Options{MaxConns: int32(opts.maxConns), StatementTimeout: opts.statementTimeout})
		if err != nil {
			return nil, err
		}
		clients := postgres.NewClientService(db)
		return &store{clients: clients, merchants: postgres.NewMerchantService(db), purger: clients, stats: db.Stats, ping: db.Ping, close: db.Close,
			events: postgres.NewEventService(db), webhooks: postgres.NewWebhookService(db), deliveries: postgres.NewDeliveryQueue(db)}, nil
	}
	return nil, fmt.Errorf("--db %q: want sqlite:PATH or a postgres:// URL", redactDSN(dsn))
}

// redactDSN returns a database name fit for logs and messages: a URL with
// its password hidden; anything else (a keyword=value DSN may hold a
// password anywhere) only by its kind.
func redactDSN(dsn string) string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return dsn
	}
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" && u.Host != "" {
		return u.Redacted()
	}
	return "(a database name that is not sqlite:PATH or a postgres:// URL)"
}
