package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/strictjson"
	"github.com/fatora-oss/fatora/token"
)

// maxBody is the request body limit of the real server (httpapi.MaxBodyBytes).
const maxBody = 64 << 10

// clientMembers are the members of a client body, as the real server
// declares them.
var clientMembers = strictjson.Fields{
	"name": "name", "phone": "phone", "email": "email", "address": "address", "notes": "notes", "note": "notes",
}

// baseline is the ceiling the real server is measured against: an HTTP
// server doing a request's work minus storage. Creates and updates read the
// body under the same limit, decode it with the same strict decoder, verify
// the bearer token and validate the fields, then answer the real server's
// JSON; get answers a fixed client and list (and search) a fixed page of 20.
type baseline struct {
	signer  *token.Signer
	srv     *http.Server
	ln      net.Listener
	nextID  atomic.Int64
	stored  fatora.ClientFields // the client updates apply to
	oneBody []byte
	page    []byte
}

// startBaseline serves the baseline on 127.0.0.1 in this process.
func startBaseline() (*baseline, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &baseline{ln: ln, signer: &token.Signer{SecretID: token.NewID(), Secret: token.NewSecret(),
		Issuer: "fatora", Audience: "fatora-clients-api", TTL: 24 * time.Hour, Now: time.Now}}
	p := newPerson(1, "baseline")
	b.stored = fatora.ClientFields{Name: p.name, Email: p.email, Phone: p.phone}
	b.oneBody, b.page = fixedBodies()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/clients", b.authorized(b.change(http.StatusCreated)))
	mux.HandleFunc("PATCH /v1/clients/{id}", b.authorized(b.change(http.StatusOK)))
	mux.HandleFunc("GET /v1/clients/{id}", b.authorized(b.fixed(func() []byte { return b.oneBody })))
	mux.HandleFunc("GET /v1/clients", b.authorized(b.fixed(func() []byte { return b.page })))
	b.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 2 * time.Minute}
	go b.srv.Serve(ln)
	return b, nil
}

// url is the base URL of the baseline.
func (b *baseline) url() string { return "http://" + b.ln.Addr().String() }

// issueToken returns a bearer token the baseline accepts.
func (b *baseline) issueToken() (string, error) {
	tok, _, err := b.signer.Issue(token.Claims{UniqueName: "1-:bench@example.com", KeyID: token.NewID(), Merchant: "1", Mode: "live"})
	return tok, err
}

func (b *baseline) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b.srv.Shutdown(ctx)
}

// authorized refuses, with 401, a request without a valid bearer token.
func (b *baseline) authorized(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
			writeError(w, http.StatusUnauthorized)
			return
		}
		if _, err := b.signer.Verify(h[7:]); err != nil {
			writeError(w, http.StatusUnauthorized)
			return
		}
		next(w, r)
	}
}

// change handles a create (201) or an update (200): read, decode, validate,
// answer the client.
func (b *baseline) change(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !jsonContent(r.Header.Get("Content-Type")) {
			writeError(w, http.StatusUnsupportedMediaType)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			writeError(w, http.StatusRequestEntityTooLarge)
			return
		}
		var f fatora.ClientFields
		if status == http.StatusOK {
			f = b.stored // an update changes a client it read
		}
		f, err = decodeFields(body, f)
		if err != nil {
			writeError(w, http.StatusBadRequest)
			return
		}
		id := b.nextID.Add(1)
		now := time.Now().UTC().Format(timeFormat)
		out, _ := encodeJSON(clientResponse{Status: "SUCCESS", Client: toClientJSON(id, f, now)})
		if status == http.StatusCreated {
			w.Header()["Location"] = []string{"/v1/clients/" + strconv.FormatInt(id, 10)}
		}
		writeBody(w, status, out)
	}
}

// fixed answers 200 with a body made once.
func (b *baseline) fixed(body func() []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { writeBody(w, http.StatusOK, body()) }
}

// decodeFields decodes a client body as the real server does, applies it
// to f and validates the result.
func decodeFields(body []byte, f fatora.ClientFields) (fatora.ClientFields, error) {
	members, err := strictjson.DecodeObject(body, clientMembers)
	if err != nil {
		return f, err
	}
	for field, v := range members {
		if field == "name" && v.Null {
			return f, errNullName
		}
		*fieldOf(&f, field) = v.String
	}
	return f.Normalize()
}

var errNullName = errors.New("name must not be null")

func fieldOf(f *fatora.ClientFields, field string) *string {
	switch field {
	case "name":
		return &f.Name
	case "phone":
		return &f.Phone
	case "email":
		return &f.Email
	case "address":
		return &f.Address
	}
	return &f.Notes
}

// jsonContent reports whether a Content-Type names JSON in UTF-8.
func jsonContent(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	cs, hasCharset := params["charset"]
	return err == nil && mt == "application/json" && (!hasCharset || strings.EqualFold(cs, "utf-8"))
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json; charset=utf-8"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	h["Cache-Control"] = []string{"no-store"}
	h["X-Content-Type-Options"] = []string{"nosniff"}
	w.WriteHeader(status)
	w.Write(body)
}

func writeError(w http.ResponseWriter, status int) {
	writeBody(w, status, []byte(`{"status":"ERROR","error":{"code":"refused","message":"baseline refused the request"}}`+"\n"))
}

// encodeJSON encodes v as the real server does: one line, HTML not escaped.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return buf.Bytes(), err
}
