package fatora_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
)

// memoryRecords is a store's idempotency records in a map; it notes every
// call, and fails FindRecord with findErr.
type memoryRecords struct {
	kept    map[string]fatora.IdempotencyRecord
	calls   []string
	findErr error
}

func (m *memoryRecords) FindRecord(_ context.Context, key string) (*fatora.IdempotencyRecord, error) {
	m.calls = append(m.calls, "find")
	if m.findErr != nil {
		return nil, m.findErr
	}
	if r, ok := m.kept[key]; ok {
		return &r, nil
	}
	return nil, nil
}

func (m *memoryRecords) DeleteRecord(_ context.Context, key string) error {
	m.calls = append(m.calls, "delete")
	delete(m.kept, key)
	return nil
}

func (m *memoryRecords) InsertRecord(_ context.Context, key string, r fatora.IdempotencyRecord) error {
	m.calls = append(m.calls, "insert")
	m.kept[key] = r
	return nil
}

func TestChangeOnce(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	render := func(c fatora.Client) fatora.StoredResponse {
		return fatora.StoredResponse{Status: 201, Body: []byte(fmt.Sprint(c.ID))}
	}
	idem := &fatora.Idempotency{Key: "k", Fingerprint: "fp", TTL: time.Hour, Render: render}
	earlier := fatora.IdempotencyRecord{Fingerprint: "fp", CreatedAt: now.Add(-time.Minute),
		Response: fatora.StoredResponse{Status: 201, Body: []byte("7")}}
	expired := earlier
	expired.CreatedAt = now.Add(-2 * time.Hour)
	other := earlier
	other.Fingerprint = "other"
	refused := fatora.DuplicateClient(3)
	broken := errors.New("disk on fire")
	tests := []struct {
		name      string
		idem      *fatora.Idempotency
		kept      *fatora.IdempotencyRecord
		findErr   error
		changeErr error
		wantCalls string // the store calls, then "change" where change ran
		wantErr   string // "" for nil, "replay", or an error code
		wantBody  string // the body kept for k afterwards, "" for none
	}{
		{"no key: change only", nil, nil, nil, nil, "change", "", ""},
		{"new key: change and keep", idem, nil, nil, nil, "find change insert", "", "8"},
		{"same request: replay, no change", idem, &earlier, nil, nil, "find", "replay", "7"},
		{"other request: reused, no change", idem, &other, nil, nil, "find", fatora.CodeIdempotencyKeyReused, "7"},
		{"expired: forget, change and keep", idem, &expired, nil, nil, "find delete change insert", "", "8"},
		{"refused change: nothing kept", idem, nil, nil, refused, "find change", fatora.CodeDuplicateClient, ""},
		{"failed lookup: no change", idem, nil, broken, nil, "find", fatora.CodeInternal, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			records := &memoryRecords{kept: map[string]fatora.IdempotencyRecord{}, findErr: tt.findErr}
			if tt.kept != nil {
				records.kept["k"] = *tt.kept
			}
			err := fatora.ChangeOnce(context.Background(), tt.idem, records, now, func() (fatora.Client, error) {
				records.calls = append(records.calls, "change")
				return fatora.Client{ID: 8}, tt.changeErr
			})
			if got := fmt.Sprint(records.calls); got != "["+tt.wantCalls+"]" {
				t.Errorf("calls = %s, want [%s]", got, tt.wantCalls)
			}
			wantOutcome(t, err, tt.wantErr)
			if got := string(records.kept["k"].Response.Body); got != tt.wantBody {
				t.Errorf("kept body %q, want %q", got, tt.wantBody)
			}
			if tt.wantBody == "8" && (records.kept["k"].Fingerprint != "fp" || !records.kept["k"].CreatedAt.Equal(now)) {
				t.Errorf("kept %+v, want fingerprint fp made at %v", records.kept["k"], now)
			}
		})
	}
}

// wantOutcome fails t unless err is nil (want ""), a replay (want
// "replay"), or carries the code want.
func wantOutcome(t *testing.T, err error, want string) {
	t.Helper()
	var replay *fatora.Replay
	switch {
	case want == "":
		if err != nil {
			t.Errorf("err = %v, want nil", err)
		}
	case want == "replay":
		if !errors.As(err, &replay) || string(replay.Response.Body) != "7" {
			t.Errorf("err = %v, want a replay of the kept answer", err)
		}
	case fatora.ErrorCode(err) != want:
		t.Errorf("err = %v, want code %s", err, want)
	}
}
