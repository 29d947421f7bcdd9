package sdk_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/fatora-oss/fatora/sdk"
)

// Create a client, or find the one that already has the same data.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := sdk.New("https://api.fatora.io/v1", "E4B73FEE-F492-4607-A38D-852B0EBC91C9", sdk.WithMaxRetries(5))
	if err != nil {
		log.Fatal(err)
	}
	rec, err := c.Clients.Create(ctx, sdk.ClientCreateParams{
		Name:  "Client Name",
		Phone: sdk.String("+974 5555 1234"),
		Email: sdk.String("client@example.com"),
	})
	var apiErr *sdk.Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Code == sdk.CodeDuplicateClient:
		rec, err = c.Clients.Get(ctx, apiErr.ExistingClientID)
	case errors.As(err, &apiErr) && apiErr.Code == sdk.CodeInvalidField:
		for _, f := range apiErr.Fields {
			fmt.Printf("%s: %s\n", f.Field, f.Message)
		}
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.ID, rec.Name)
}

// Change one field and clear another.
func ExampleClientsService_Update() {
	c, err := sdk.New("https://api.fatora.io", "E4B73FEE-F492-4607-A38D-852B0EBC91C9")
	if err != nil {
		log.Fatal(err)
	}
	rec, err := c.Clients.Update(context.Background(), 123, sdk.ClientUpdateParams{
		Phone:   sdk.String("+974 7777 7777"),
		Address: sdk.String(""), // cleared; Name, Email and Notes stay as they are
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.Phone)
}

// Export every client, a page of 100 at a time.
func ExampleClientsService_All() {
	c, err := sdk.New("https://api.fatora.io", "E4B73FEE-F492-4607-A38D-852B0EBC91C9")
	if err != nil {
		log.Fatal(err)
	}
	for rec, err := range c.Clients.All(context.Background(), sdk.ClientListParams{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d\t%s\t%s\n", rec.ID, rec.Name, rec.Email)
	}
}
