package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// goodConns are the connections of the well-behaved client.
const goodConns = 4

// measureKeys: Authorize with a correct key from 127.0.0.2, alone, then
// while 127.0.0.3 floods Authorize with wrong keys, then (for reference:
// the cost of any flood on a machine the flooder shares) while it floods
// /healthz.
func measureKeys(ctx context.Context, cfg config, base string, a *merchant) error {
	fmt.Printf("\nkeys: Authorize with a correct key from 127.0.0.2 on %d connections; flood of wrong keys from 127.0.0.3 on %d\n", goodConns, cfg.flood)
	good, bad := newClient("127.0.0.2", goodConns), newClient("127.0.0.3", cfg.flood)
	authorizeWith := func(c *http.Client, key string) (int, error) {
		return call(ctx, c, http.MethodGet, base+"/v1/Authorization/Authorize", "", "api_key", key)
	}
	floods := []struct {
		label string
		send  func(i int64) (int, error) // nil: no flood
	}{
		{"alone          ", nil},
		{"wrong-key flood", func(i int64) (int, error) {
			return authorizeWith(bad, "00000000-0000-4000-8000-"+fmt.Sprintf("%012d", i))
		}},
		{"/healthz flood ", func(int64) (int, error) { return call(ctx, bad, http.MethodGet, base+"/healthz", "") }},
	}
	for round := 1; round <= cfg.rounds; round++ {
		for _, f := range floods {
			phase, stop := context.WithTimeout(ctx, cfg.duration)
			ok, flood := newTally(false), newTally(false)
			wg := loop(phase, goodConns, ok, func(int64) (int, error) { return authorizeWith(good, a.key) })
			if f.send != nil {
				wg = all(wg, loop(phase, cfg.flood, flood, f.send))
			}
			wg.Wait()
			stop()
			fmt.Printf("round %d %s: correct key %7.0f/s (%s)", round, f.label, float64(ok.count(http.StatusOK))/cfg.duration.Seconds(), ok.statuses())
			if f.send != nil {
				fmt.Printf("; flood %7.0f/s (%s)", float64(flood.total())/cfg.duration.Seconds(), flood.statuses())
			}
			fmt.Println()
		}
	}
	return ctx.Err()
}

// measureSearch: merchant A searches on one connection, alone, then while
// merchant B floods searches on cfg.flood connections.
func measureSearch(ctx context.Context, cfg config, base string, a, b *merchant) error {
	fmt.Printf("\nsearch: seeding %d clients for each merchant\n", cfg.clients)
	for _, m := range []*merchant{a, b} {
		if err := seed(ctx, base, m, cfg.clients); err != nil {
			return err
		}
	}
	fmt.Printf("search: merchant A on 1 connection from 127.0.0.2; merchant B on %d from 127.0.0.3\n", cfg.flood)
	ac, bc := newClient("127.0.0.2", 1), newClient("127.0.0.3", cfg.flood)
	search := func(c *http.Client, m *merchant, i int64) (int, error) {
		q := url.Values{"keyword": {surnames[int(i)%len(surnames)]}}
		return call(ctx, c, http.MethodGet, base+"/v1/clients?"+q.Encode(), "", "Authorization", m.bearer)
	}
	for round := 1; round <= cfg.rounds; round++ {
		var idle time.Duration
		for _, phase := range []struct{ a, b bool }{{true, false}, {false, true}, {true, true}} {
			during, stop := context.WithTimeout(ctx, cfg.duration)
			at, bt := newTally(true), newTally(false)
			var wg sync.WaitGroup
			if phase.a {
				wg.Go(loop(during, 1, at, func(i int64) (int, error) { return search(ac, a, i) }).Wait)
			}
			if phase.b {
				wg.Go(loop(during, cfg.flood, bt, func(i int64) (int, error) { return search(bc, b, i) }).Wait)
			}
			wg.Wait()
			stop()
			p50, bRate := at.percentile(0.5), float64(bt.count(http.StatusOK))/cfg.duration.Seconds()
			switch {
			case !phase.b:
				idle = p50
				fmt.Printf("round %d A alone : A p50 %6.2f ms p99 %6.2f ms (%s)\n", round, ms(p50), ms(at.percentile(0.99)), at.statuses())
			case !phase.a:
				fmt.Printf("round %d B alone : B %5.0f searches/s (%s)\n", round, bRate, bt.statuses())
			default:
				fmt.Printf("round %d A and B : A p50 %6.2f ms p99 %6.2f ms (%s), %.1f× alone; B %5.0f searches/s (%s)\n", round, ms(p50),
					ms(at.percentile(0.99)), at.statuses(), float64(p50)/float64(idle), bRate, bt.statuses())
			}
		}
	}
	return ctx.Err()
}

// all is a WaitGroup done when both are.
func all(a, b *sync.WaitGroup) *sync.WaitGroup {
	var both sync.WaitGroup
	both.Go(func() { a.Wait(); b.Wait() })
	return &both
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// seed creates n clients for m, 16 at a time.
func seed(ctx context.Context, base string, m *merchant, n int) error {
	c := newClient("127.0.0.2", 16)
	t := newTally(false)
	phase, stop := context.WithCancel(ctx)
	defer stop()
	wg := loop(phase, 16, t, func(i int64) (int, error) {
		if i > int64(n) {
			stop()
			return 0, nil
		}
		body := `{"name":"` + givenNames[int(i)%len(givenNames)] + " " + surnames[int(i/7)%len(surnames)] + " " + strconv.FormatInt(i, 10) +
			`","email":"c` + strconv.FormatInt(i, 10) + `@example.com","phone":"+974 5555 ` + fmt.Sprintf("%04d", i%10000) + `"}`
		return call(ctx, c, http.MethodPost, base+"/v1/clients", body, "Authorization", m.bearer, "Content-Type", "application/json")
	})
	wg.Wait()
	if created := t.count(http.StatusCreated); created < n-16 {
		return fmt.Errorf("seeding made %d clients of %d (%s)", created, n, t.statuses())
	}
	return nil
}

var (
	givenNames = []string{"Amira", "Omar", "Layla", "Yusuf", "Fatima", "Hassan", "Noor", "Karim", "Salma", "Tariq",
		"Maryam", "Ziad", "Huda", "Rami", "Dina", "Samir", "Rana", "Faisal", "Lina", "Adel"}
	surnames = []string{"Haddad", "Khalil", "Nasser", "Saleh", "Farouk", "Mansour", "Rahman", "Aziz", "Hamdan", "Qasim",
		"Darwish", "Bakri", "Suleiman", "Jaber", "Othman", "Zaki", "Karam", "Habib", "Shami", "Yassin",
		"Najjar", "Tamimi", "Masri", "Halabi", "Sabbagh", "Khoury", "Awad", "Issa", "Sayegh", "Barakat"}
)
