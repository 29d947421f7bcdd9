package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"

	"github.com/fatora-oss/fatora"
)

// inflight is the set of idempotency keys this server is working on, so a
// concurrent request with a key in use is answered 409 at once instead of
// queueing behind it. (Across servers the stores detect it.)
type inflight struct {
	mu   sync.Mutex
	keys map[string]struct{}
}

// enter marks k as in use; it reports false when it already was.
func (f *inflight) enter(k string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, busy := f.keys[k]; busy {
		return false
	}
	if f.keys == nil {
		f.keys = make(map[string]struct{})
	}
	f.keys[k] = struct{}{}
	return true
}

func (f *inflight) leave(k string) {
	f.mu.Lock()
	delete(f.keys, k)
	f.mu.Unlock()
}

// change runs a create, update or delete: at most once per Idempotency-Key
// when the request has one. canonical is the request body in a canonical
// form; render makes the answer from the changed client, and is what is
// kept for the key.
func (s *Server) change(w http.ResponseWriter, r *http.Request, canonical []byte,
	render func(fatora.Client) fatora.StoredResponse, do func(context.Context) (fatora.Client, error)) error {
	var kept *fatora.StoredResponse
	keep := func(c fatora.Client) fatora.StoredResponse {
		resp := render(c)
		kept = &resp
		return resp
	}
	ctx, done, err := s.withIdempotency(r, canonical, keep)
	if err != nil {
		return err
	}
	defer done()
	c, err := do(ctx)
	if err == nil && kept == nil {
		keep(c)
	}
	return answerChange(w, kept, err)
}

// changeEndpoint is change for a create, update or delete of a webhook
// endpoint: render makes the answer from the endpoint changed (zero for a
// delete), and is what is kept for the key.
func (s *Server) changeEndpoint(w http.ResponseWriter, r *http.Request, canonical []byte,
	render func(fatora.WebhookEndpoint) fatora.StoredResponse, do func(context.Context) (fatora.WebhookEndpoint, error)) error {
	var kept *fatora.StoredResponse
	keep := func(e fatora.WebhookEndpoint) fatora.StoredResponse {
		resp := render(e)
		kept = &resp
		return resp
	}
	ctx, done, err := s.withIdempotency(r, canonical, nil)
	if err != nil {
		return err
	}
	defer done()
	if idem := fatora.IdempotencyFrom(ctx); idem != nil {
		idem.RenderEndpoint = keep
	}
	e, err := do(ctx)
	if err == nil && kept == nil {
		keep(e)
	}
	return answerChange(w, kept, err)
}

// answerChange writes the answer to a change: the kept answer replayed,
// the error, or the answer kept.
func answerChange(w http.ResponseWriter, kept *fatora.StoredResponse, err error) error {
	var replay *fatora.Replay
	switch {
	case errors.As(err, &replay):
		w.Header().Set("Idempotent-Replayed", "true")
		writeStored(w, replay.Response)
		return nil
	case err != nil:
		return err
	}
	writeStored(w, *kept)
	return nil
}

// withIdempotency returns the context the change runs in: with the request's
// idempotency key, when it has one, marked in use until done is called.
func (s *Server) withIdempotency(r *http.Request, canonical []byte, render func(fatora.Client) fatora.StoredResponse) (context.Context, func(), error) {
	vals := r.Header.Values("Idempotency-Key")
	if len(vals) == 0 {
		return r.Context(), func() {}, nil
	}
	if len(vals) > 1 || !fatora.ValidIdempotencyKey(vals[0]) {
		return nil, nil, fatora.Errorf(fatora.CodeIdempotencyKeyInvalid,
			"Send one Idempotency-Key of 1 to %d printable ASCII characters.", fatora.MaxIdempotencyKeyLen)
	}
	scope, err := fatora.ScopeFrom(r.Context())
	if err != nil {
		return nil, nil, err
	}
	slot := strconv.FormatInt(scope.MerchantID, 10) + ":" + string(scope.Mode) + ":" + vals[0]
	if !s.inflight.enter(slot) {
		return nil, nil, fatora.IdempotencyInProgress()
	}
	idem := &fatora.Idempotency{Key: vals[0], Fingerprint: fingerprint(r, canonical), Render: render, TTL: s.IdempotencyTTL}
	return fatora.WithIdempotency(r.Context(), idem), func() { s.inflight.leave(slot) }, nil
}

// fingerprint identifies a request: its method, its path (in the canonical
// form the router matched) and its body in canonical form.
func fingerprint(r *http.Request, canonical []byte) string {
	h := sha256.New()
	h.Write([]byte(r.Method + "\n" + r.URL.Path + "\n"))
	h.Write(canonical)
	return hex.EncodeToString(h.Sum(nil))
}

// canonicalUpdate is a decoded client body in one form whatever its member
// names' letter case, order or spacing: sorted members, "note" as "notes",
// null as "".
func canonicalUpdate(u fatora.ClientUpdate) []byte {
	m := map[string]any{}
	for k, v := range map[string]*string{"name": u.Name, "phone": u.Phone, "email": u.Email, "address": u.Address, "notes": u.Notes} {
		if v != nil {
			m[k] = *v
		}
	}
	if u.Metadata != nil {
		m["metadata"] = u.Metadata // null and "" both remove a key, but are kept apart here: harmless
	}
	b, _ := json.Marshal(m)
	return b
}

// writeStored writes a kept answer exactly as it was first written.
func writeStored(w http.ResponseWriter, resp fatora.StoredResponse) {
	if resp.Location != "" {
		w.Header().Set("Location", resp.Location)
	}
	if len(resp.Body) == 0 {
		w.WriteHeader(resp.Status)
		return
	}
	writeBody(w, resp.Status, resp.Body)
}
