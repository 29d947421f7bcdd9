// Package sdk is the Go client of the Fatora Clients API, as served by this
// module's server and by Fatora itself.
//
// Make one Client per API key and share it: it is safe for concurrent use.
// It exchanges the key for a bearer token at /v1/Authorization/Authorize
// itself, keeps the token, and renews it shortly before it expires or once
// after the server refuses it.
//
//	c, err := sdk.New("https://api.fatora.io/v1", apiKey)
//	if err != nil {
//		return err
//	}
//	rec, err := c.Clients.Create(ctx, sdk.ClientCreateParams{
//		Name:  "Client Name",
//		Email: sdk.String("client@example.com"),
//	})
//	var apiErr *sdk.Error
//	if errors.As(err, &apiErr) && apiErr.Code == sdk.CodeDuplicateClient {
//		rec, err = c.Clients.Get(ctx, apiErr.ExistingClientID)
//	}
//
// Every answer that is not a success is an *Error carrying the API's code,
// message, HTTP status and request id. Failures to reach the server are
// returned wrapped, with the underlying net/http error reachable through
// errors.As and errors.Is.
//
// Calls are retried, at most MaxRetries times (see WithMaxRetries), after a
// connection error, a 409 idempotency_in_progress, a 429 or a 5xx, waiting
// with capped exponential backoff and full jitter, and never less than the
// server's Retry-After. No call is retried once its context is done, and no
// wait outlasts the context's deadline: the last error is returned instead.
// Every POST, PUT, PATCH and DELETE carries an Idempotency-Key header, the
// same on every attempt of one call, so that a retried create cannot create
// twice on a server that honours the key.
//
// Lists come a page at a time (ClientsService.List) or as one sequence that
// follows the pages (ClientsService.All):
//
//	for rec, err := range c.Clients.All(ctx, sdk.ClientListParams{Keyword: "doha"}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(rec.ID, rec.Name)
//	}
package sdk
