package fatora_test

import (
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

func TestIdempotencyDecide(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	idem := &fatora.Idempotency{Key: "k", Fingerprint: "fp", TTL: time.Hour}
	answer := fatora.StoredResponse{Status: 201, Location: "/v1/clients/7", Body: []byte("7")}
	kept := func(fingerprint string, age time.Duration) *fatora.IdempotencyRecord {
		return &fatora.IdempotencyRecord{Fingerprint: fingerprint, CreatedAt: now.Add(-age), Response: answer}
	}
	tests := []struct {
		name       string
		kept       *fatora.IdempotencyRecord
		wantForget bool
		wantCode   string // "" for no error, "replay" for a *Replay of answer
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
			wantOutcome(t, err, tt.wantCode)
		})
	}
}

func TestIdempotencyRecordKeepsNoNilBody(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	idem := &fatora.Idempotency{Key: "k", Fingerprint: "fp", Render: func(c fatora.Client) fatora.StoredResponse {
		return fatora.StoredResponse{Status: 204}
	}}
	r := idem.Record(fatora.Client{ID: 1}, now)
	if r.Response.Body == nil || len(r.Response.Body) != 0 || r.Response.Status != 204 || r.Fingerprint != "fp" || !r.CreatedAt.Equal(now) {
		t.Errorf("Record = %+v, want fp, %v, 204 with an empty, non-nil body", r, now)
	}
}
