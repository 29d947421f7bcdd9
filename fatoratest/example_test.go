package fatoratest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/fatora-oss/fatora/fatoratest"
	"github.com/fatora-oss/fatora/sdk"
)

// In a test, fatoratest.NewServer(t) starts the server and stops it when
// the test ends; an Example has no t, so these use Start and Close.

// Start a sandbox and call it with the SDK (or with anything that speaks
// HTTP: srv.URL and srv.APIKey are all it needs).
func ExampleStart() {
	srv, err := fatoratest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c := srv.Client()
	rec, err := c.Clients.Create(context.Background(), sdk.ClientCreateParams{Name: "Layla Hassan", Phone: sdk.String("+974 5555 1234")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.ID, rec.Name, rec.Phone)
	fmt.Println(srv.APIKey == fatoratest.SampleAPIKey)
	// Output:
	// 1 Layla Hassan +974 5555 1234
	// true
}

// Fail the next two creates with 503: the SDK retries, with the same
// Idempotency-Key each time, and the third attempt creates the client.
// Requests shows what the server received.
func ExampleServer_Fail() {
	srv, err := fatoratest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.Fail(fatoratest.Failure{Status: 503, Count: 2, Method: "POST", Path: "/v1/clients"})
	if _, err := srv.Client().Clients.Create(context.Background(), sdk.ClientCreateParams{Name: "Layla Hassan"}); err != nil {
		log.Fatal(err)
	}
	for _, r := range srv.Requests() {
		if r.Method == "POST" {
			fmt.Println(r.Method, r.Path, r.Status, r.Injected, len(r.Headers["Idempotency-Key"][0]) > 0)
		}
	}
	// Output:
	// POST /v1/clients 503 true true
	// POST /v1/clients 503 true true
	// POST /v1/clients 201 false true
}

// Start with realistic clients, the same ones for the same seed.
func ExampleWithSeed() {
	srv, err := fatoratest.Start(fatoratest.WithSeed(3, 42))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	page, err := srv.Client().Clients.List(context.Background(), sdk.ClientListParams{})
	if err != nil {
		log.Fatal(err)
	}
	for _, rec := range page.Clients {
		fmt.Printf("%d %s | %s\n", rec.ID, rec.Name, rec.Phone)
	}
	// Output:
	// 1 Jose Khoury | +97455479061
	// 2 سلطان الشامسي | +974 7094 7322
	// 3 خالد المطيري | +971526865111
}

// Start again from nothing between tests: the key, and the SDK client's
// token, keep working.
func ExampleServer_Reset() {
	srv, err := fatoratest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, ctx := srv.Client(), context.Background()
	for _, name := range []string{"Doha Trading", "Lusail Foods"} {
		if _, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: name}); err != nil {
			log.Fatal(err)
		}
	}
	srv.Reset()
	rec, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: "Wakra Fish"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.ID, rec.Name)
	// Output: 1 Wakra Fish
}
