package fatora_test

import (
	"errors"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

func TestIdempotencyDecide(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	idem := &fatora.Idempotency{Key: "k", Fingerprint: "fp", TTL: time.Hour}
	answer := fatora.StoredResponse{Status: 201, Location: "/v1/clients/7", Body: []byte(`{"id":7}`)}
	kept := func(fingerprint string, age time.Duration) *fatora.IdempotencyRecord {
		return &fatora.IdempotencyRecord{Fingerprint: fingerprint, CreatedAt: now.Add(-age), Response: answer}
	}
	tests := []struct {
		name       string
		kept       *fatora.IdempotencyRecord
		wantForget bool
		wantCode   string // "" for no error, "replay" for a *Replay
	}{
		{"no record: go ahead", nil, false, ""},
		{"same request: replay", kept("fp", time.Minute), false, "replay"},
		{"same request at the TTL: replay", kept("fp", time.Hour), false, "replay"},
		{"other request: reused", kept("other", time.Minute), false, fatora.CodeIdempotencyKeyReused},
		{"expired: forget and go ahead", kept("fp", time.Hour+time.Microsecond), true, ""},
		{"expired other request: forget and go ahead", kept("other", 2*time.Hour), true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forget, err := idem.Decide(tt.kept, now)
			if forget != tt.wantForget {
				t.Errorf("forget = %v, want %v", forget, tt.wantForget)
			}
			var replay *fatora.Replay
			switch {
			case tt.wantCode == "":
				if err != nil {
					t.Errorf("err = %v, want nil", err)
				}
			case tt.wantCode == "replay":
				if !errors.As(err, &replay) || replay.Response.Location != answer.Location ||
					string(replay.Response.Body) != string(answer.Body) || replay.Response.Status != answer.Status {
					t.Errorf("err = %v, want a replay of %+v", err, answer)
				}
			default:
				if got := fatora.ErrorCode(err); got != tt.wantCode {
					t.Errorf("err = %v, want code %s", err, tt.wantCode)
				}
			}
		})
	}
}

func TestIdempotencyResponseKeepsNoNilBody(t *testing.T) {
	idem := &fatora.Idempotency{Render: func(c fatora.Client) fatora.StoredResponse {
		return fatora.StoredResponse{Status: 204}
	}}
	if resp := idem.Response(fatora.Client{ID: 1}); resp.Body == nil || len(resp.Body) != 0 || resp.Status != 204 {
		t.Errorf("Response = %+v, want 204 with an empty, non-nil body", resp)
	}
}
