package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/fatora-oss/fatora"
)

// bulkRequest is the body of POST /v1/clients/bulk.
type bulkRequest struct {
	Action string  `json:"action"`
	IDs    []int64 `json:"ids"`
}

// bulkResultJSON is one client's result: the status a change of its own
// would have answered, and the error if any. It holds no client: the
// answer is kept for an Idempotency-Key, under no one client's id, so an
// erasure of a client could not empty it.
type bulkResultJSON struct {
	ID     int64            `json:"id"`
	Status int              `json:"status"`
	Error  *bulkErrorDetail `json:"error,omitempty"`
}

// bulkErrorDetail is errorDetail without a request id: the answer's
// X-Request-Id is the request's.
type bulkErrorDetail struct {
	Code             string `json:"code"`
	Message          string `json:"message"`
	ExistingClientID int64  `json:"existing_client_id,omitempty"`
}

type bulkResponse struct {
	Status  string           `json:"status"`
	Results []bulkResultJSON `json:"results"`
}

// bulkClients handles POST /v1/clients/bulk {"action":"delete"|"restore",
// "ids":[...]}: the action on each client (at most 100) in one
// transaction, answered 200 with one result per id, in order: its status
// and error, no client (read a restored client with GET).
func (s *Server) bulkClients(w http.ResponseWriter, r *http.Request) error {
	var req bulkRequest
	if err := decodeStrict(w, r, &req); err != nil {
		return err
	}
	b := &fatora.ClientBulk{Action: fatora.BulkAction(req.Action), IDs: req.IDs}
	if err := b.Check(); err != nil {
		return err
	}
	canonical, _ := json.Marshal(req)
	render := func(fatora.Client) fatora.StoredResponse {
		body, _ := encodeJSON(toBulkResponse(b.Action, b.Results))
		return fatora.StoredResponse{Status: http.StatusOK, Body: body}
	}
	return s.change(w, r, canonical, render, func(ctx context.Context) (fatora.Client, error) {
		return fatora.Client{}, s.Clients.BulkChangeClients(ctx, b)
	})
}

func toBulkResponse(action fatora.BulkAction, results []fatora.BulkResult) bulkResponse {
	out := bulkResponse{Status: "SUCCESS", Results: make([]bulkResultJSON, len(results))}
	for i, res := range results {
		j := bulkResultJSON{ID: res.ID, Status: http.StatusNoContent}
		var e *fatora.Error
		switch {
		case errors.As(res.Err, &e):
			j.Status = statusOf[e.Code]
			j.Error = &bulkErrorDetail{Code: e.Code, Message: e.Message, ExistingClientID: e.ExistingClientID}
		case action == fatora.BulkRestore:
			j.Status = http.StatusOK
		}
		out.Results[i] = j
	}
	return out
}
