package main

import (
	"context"
	"errors"
	"log/slog"
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

// addWebhookFlags defines the events and webhooks flags of `fatora serve`
// on fs, into c.
func addWebhookFlags(fs *flagSet, c *webhookConfig) {
	c.retention = longDuration(fatora.DefaultEventRetention)
	fs.BoolVar(&c.targets.AllowInsecure, "webhook-allow-insecure", false, "accept http:// webhook URLs, not only https:// (development)")
	fs.BoolVar(&c.targets.AllowPrivate, "webhook-allow-private", false,
		"deliver webhooks to loopback, private and other reserved addresses (development and tests)")
	fs.Var(&c.retention, "event-retention", "how long events are kept, a `duration` such as 30d")
	fs.DurationVar(&c.pollEvery, "webhook-poll", time.Second, "how often the delivery loop looks for due deliveries")
	fs.Var(&c.schedule, "webhook-retry-schedule", "the waits before each retry, such as 1s,2s,5s (development and tests; default the Standard Webhooks schedule, 5s to 24h)")
	for _, name := range []string{"webhook-allow-insecure", "webhook-allow-private", "event-retention", "webhook-poll", "webhook-retry-schedule"} {
		fs.fromEnv(name, "FATORA_"+envName(name))
	}
}

// check refuses settings out of range.
func (c *webhookConfig) check() error {
	if time.Duration(c.retention) < time.Hour || c.pollEvery < 10*time.Millisecond {
		return errors.New("--event-retention must be at least 1h and --webhook-poll at least 10ms")
	}
	return nil
}

// wireWebhooks gives the API its events and webhooks services and returns
// the delivery loop, which runs until its context ends.
func wireWebhooks(st *store, api *httpapi.Server, c webhookConfig, log *slog.Logger) (deliver func(context.Context)) {
	if c.pollEvery <= 0 {
		c.pollEvery = time.Second
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
	return func(ctx context.Context) { w.Run(ctx, c.pollEvery, wake) }
}

// eventPurgeEvery is how often a server deletes events past their time.
const eventPurgeEvery = 10 * time.Minute

// purgeEvents deletes events older than retention (the default when zero)
// now and then every eventPurgeEvery, until ctx ends.
func purgeEvents(ctx context.Context, p fatora.EventPurger, retention time.Duration, log *slog.Logger) {
	if retention <= 0 {
		retention = fatora.DefaultEventRetention
	}
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
