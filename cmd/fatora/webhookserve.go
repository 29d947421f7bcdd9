package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/webhook"
)

// webhookConfig is how `fatora serve` keeps events and delivers them.
type webhookConfig struct {
	targets   webhook.Targets
	retention longDuration
	// pollEvery is how often the delivery loop looks for due deliveries
	// when nothing woke it.
	pollEvery time.Duration
	// schedule replaces the retry schedule (development and tests).
	schedule durationList
}

// addWebhookFlags adds the events and webhooks flags of `fatora serve`.
func addWebhookFlags(fs *flag.FlagSet) *webhookConfig {
	c := &webhookConfig{retention: longDuration(fatora.DefaultEventRetention)}
	fs.BoolVar(&c.targets.AllowInsecure, "webhook-allow-insecure", envBool("FATORA_WEBHOOK_ALLOW_INSECURE"),
		"accept http:// webhook URLs, not only https:// (development; env FATORA_WEBHOOK_ALLOW_INSECURE)")
	fs.BoolVar(&c.targets.AllowPrivate, "webhook-allow-private", envBool("FATORA_WEBHOOK_ALLOW_PRIVATE"),
		"deliver webhooks to loopback, private and other reserved addresses (development and tests; env FATORA_WEBHOOK_ALLOW_PRIVATE)")
	fs.Var(&c.retention, "event-retention", "how long events are kept, such as 30d (env FATORA_EVENT_RETENTION)")
	fs.DurationVar(&c.pollEvery, "webhook-poll", time.Second, "how often the delivery loop looks for due deliveries")
	fs.Var(&c.schedule, "webhook-retry-schedule", "the waits before each retry, such as 1s,2s,5s (development and tests; default the Standard Webhooks schedule, 5s to 24h)")
	if v := os.Getenv("FATORA_EVENT_RETENTION"); v != "" {
		c.retention.Set(v) // a bad value is refused by check, as the default stays
	}
	return c
}

// check refuses settings out of range.
func (c *webhookConfig) check() error {
	if time.Duration(c.retention) < time.Hour || c.pollEvery < 10*time.Millisecond {
		return errors.New("--event-retention must be at least 1h and --webhook-poll at least 10ms")
	}
	return nil
}

func envBool(name string) bool {
	v, _ := strconv.ParseBool(os.Getenv(name))
	return v
}

// serveWebhooks gives the API its events and webhooks services, and runs
// the delivery loop and the purge of old events until ctx ends; done is
// closed when both have stopped.
func serveWebhooks(ctx context.Context, st *store, api *httpapi.Server, c webhookConfig, log *slog.Logger) (done chan struct{}) {
	if c.pollEvery <= 0 {
		c.pollEvery = time.Second
	}
	if c.retention <= 0 {
		c.retention = longDuration(fatora.DefaultEventRetention)
	}
	api.Events, api.Webhooks, api.WebhookTargets = st.events, st.webhooks, c.targets
	wake := make(chan struct{}, 1)
	api.WakeDeliveries = func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	w := &webhook.Worker{Queue: st.deliveries, Client: webhook.NewHTTPClient(c.targets), Render: httpapi.EventJSON, Log: log,
		Schedule: c.schedule}
	done = make(chan struct{})
	go func() {
		defer close(done)
		purged := make(chan struct{})
		go func() { defer close(purged); purgeEvents(ctx, st.events, time.Duration(c.retention), log) }()
		w.Run(ctx, c.pollEvery, wake)
		<-purged
	}()
	return done
}

// eventPurgeEvery is how often a server deletes events past their time.
const eventPurgeEvery = 10 * time.Minute

// purgeEvents deletes events older than retention now and then every
// eventPurgeEvery, until ctx ends.
func purgeEvents(ctx context.Context, p fatora.EventPurger, retention time.Duration, log *slog.Logger) {
	tick := time.NewTicker(eventPurgeEvery)
	defer tick.Stop()
	for {
		n, err := p.PurgeEvents(ctx, time.Now().Add(-retention))
		if err != nil && ctx.Err() == nil {
			log.Warn("purging events", "error", err.Error())
		} else if n > 0 {
			log.Info("purged events", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// durationList is a flag of comma-separated durations.
type durationList []time.Duration

func (l *durationList) String() string {
	parts := make([]string, len(*l))
	for i, d := range *l {
		parts[i] = d.String()
	}
	return strings.Join(parts, ",")
}

func (l *durationList) Set(v string) error {
	*l = nil
	for part := range strings.SplitSeq(v, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || d <= 0 {
			return errors.New("want positive durations separated by commas, such as 1s,2s,5s")
		}
		*l = append(*l, d)
	}
	return nil
}
