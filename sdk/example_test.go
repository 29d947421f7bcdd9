package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/fatora-oss/fatora/fatoratest"
	"github.com/fatora-oss/fatora/sdk"
)

// Each example runs against a sandbox started in this process on an empty
// database (fatoratest.Start), whose key is Fatora's sample key; give yours
// its base URL, such as "https://api.fatora.io/v1", and your merchant's
// API key.

// Create a client, or find the one that already has the same data.
func Example() {
	server, err := fatoratest.Start() // the API, in this process
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := sdk.New(server.URL, server.APIKey)
	if err != nil {
		log.Fatal(err)
	}
	params := sdk.ClientCreateParams{
		Name:  "Client Name",
		Phone: sdk.String("+974 5555 1234"),
		Email: sdk.String("client@example.com"),
	}
	for range 2 { // the second time, the client exists already
		rec, err := c.Clients.Create(ctx, params)
		var apiErr *sdk.Error
		if errors.As(err, &apiErr) && apiErr.Code == sdk.CodeDuplicateClient {
			fmt.Println("already there:", apiErr.ExistingClientID)
			rec, err = c.Clients.Get(ctx, apiErr.ExistingClientID)
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(rec.ID, rec.Name)
	}
	// Output:
	// 1 Client Name
	// already there: 1
	// 1 Client Name
}

// Make a Client for an API key, with options: more retries, a User-Agent
// naming the application.
func ExampleNew() {
	server, err := fatoratest.Start() // the API, in this process
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	c, err := sdk.New(server.URL, server.APIKey, sdk.WithMaxRetries(5), sdk.WithUserAgent("shop/1.0"))
	if err != nil {
		log.Fatal(err)
	}
	page, err := c.Clients.List(context.Background(), sdk.ClientListParams{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.TotalCount, "clients")
	// Output: 0 clients
}

// Create a client with every field, under an Idempotency-Key of your own:
// running the same call again, even from another process, creates nothing
// twice.
func ExampleClientsService_Create() {
	server, err := fatoratest.Start() // the API, in this process
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	c, err := sdk.New(server.URL, server.APIKey)
	if err != nil {
		log.Fatal(err)
	}
	params := sdk.ClientCreateParams{
		Name:           "Layla Hassan",
		Phone:          sdk.String("+974 5555 1234"),
		Email:          sdk.String("layla@example.com"),
		Address:        sdk.String("12 Corniche St\nDoha"),
		Notes:          sdk.String("Prefers e-mail"),
		IdempotencyKey: "order-1042-client",
	}
	for range 2 {
		rec, err := c.Clients.Create(context.Background(), params)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(rec.ID, rec.Name, rec.Email)
	}
	// Output:
	// 1 Layla Hassan layla@example.com
	// 1 Layla Hassan layla@example.com
}

// Read one client by its id.
func ExampleClientsService_Get() {
	server, err := fatoratest.Start() // the API, in this process
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	ctx := context.Background()
	c, err := sdk.New(server.URL, server.APIKey)
	if err != nil {
		log.Fatal(err)
	}
	created, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: "Client Name", Notes: sdk.String("VIP")})
	if err != nil {
		log.Fatal(err)
	}
	rec, err := c.Clients.Get(ctx, created.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d %s, notes %q, email %q\n", rec.ID, rec.Name, rec.Notes, rec.Email)
	// Output: 1 Client Name, notes "VIP", email ""
}

// Change one field and clear another.
func ExampleClientsService_Update() {
	server, err := fatoratest.Start() // the API, in this process
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	ctx := context.Background()
	c, err := sdk.New(server.URL, server.APIKey)
	if err != nil {
		log.Fatal(err)
	}
	created, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: "Client Name",
		Phone: sdk.String("+974 5555 1234"), Address: sdk.String("12 Corniche St")})
	if err != nil {
		log.Fatal(err)
	}
	rec, err := c.Clients.Update(ctx, created.ID, sdk.ClientUpdateParams{
		Phone:   sdk.String("+974 7777 7777"),
		Address: sdk.String(""), // cleared; Name, Email and Notes stay as they are
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: phone %q, address %q\n", rec.Name, rec.Phone, rec.Address)
	// Output: Client Name: phone "+974 7777 7777", address ""
}

// Delete a client; reading it afterwards answers not_found.
func ExampleClientsService_Delete() {
	server, err := fatoratest.Start() // the API, in this process
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	ctx := context.Background()
	c, err := sdk.New(server.URL, server.APIKey)
	if err != nil {
		log.Fatal(err)
	}
	rec, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: "Client Name"})
	if err != nil {
		log.Fatal(err)
	}
	if err := c.Clients.Delete(ctx, rec.ID, sdk.ClientDeleteParams{}); err != nil {
		log.Fatal(err)
	}
	_, err = c.Clients.Get(ctx, rec.ID)
	var apiErr *sdk.Error
	fmt.Println(errors.As(err, &apiErr) && apiErr.Code == sdk.CodeNotFound)
	// Output: true
}

// Read one page of the clients whose name, e-mail or phone contains a
// keyword.
func ExampleClientsService_List() {
	server, err := fatoratest.Start() // the API, in this process
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	ctx := context.Background()
	c, err := sdk.New(server.URL, server.APIKey)
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"Doha Trading", "Lusail Foods", "Doha Motors"} {
		if _, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: name}); err != nil {
			log.Fatal(err)
		}
	}
	page, err := c.Clients.List(ctx, sdk.ClientListParams{Keyword: "doha", PageSize: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("page %d of %d, %d matches\n", page.Page, page.TotalPages, page.TotalCount)
	for _, rec := range page.Clients {
		fmt.Println(rec.ID, rec.Name)
	}
	// Output:
	// page 1 of 2, 2 matches
	// 1 Doha Trading
}

// Export every client: All follows the pages (here of 2) for you.
func ExampleClientsService_All() {
	server, err := fatoratest.Start() // the API, in this process
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	ctx := context.Background()
	c, err := sdk.New(server.URL, server.APIKey)
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"Doha Trading", "Lusail Foods", "Doha Motors"} {
		if _, err := c.Clients.Create(ctx, sdk.ClientCreateParams{Name: name}); err != nil {
			log.Fatal(err)
		}
	}
	for rec, err := range c.Clients.All(ctx, sdk.ClientListParams{PageSize: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(rec.ID, rec.Name)
	}
	// Output:
	// 1 Doha Trading
	// 2 Lusail Foods
	// 3 Doha Motors
}

// Every answer that is not a success is an *sdk.Error: switch on its Code;
// an invalid_field error lists the fields at fault.
func ExampleError() {
	server, err := fatoratest.Start() // the API, in this process
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	c, err := sdk.New(server.URL, server.APIKey)
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.Clients.Create(context.Background(), sdk.ClientCreateParams{Name: " ", Email: sdk.String("not an address")})
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) {
		log.Fatal(err) // the server could not be reached
	}
	switch apiErr.Code {
	case sdk.CodeInvalidField:
		fmt.Println(apiErr.HTTPStatus, apiErr.Code)
		for _, f := range apiErr.Fields {
			fmt.Printf("%s: %s\n", f.Field, f.Message)
		}
	case sdk.CodeDuplicateClient:
		fmt.Println("the same as client", apiErr.ExistingClientID)
	default:
		fmt.Println(apiErr)
	}
	// Output:
	// 400 invalid_field
	// name: is required and must not be blank
	// email: is not a valid e-mail address
}
