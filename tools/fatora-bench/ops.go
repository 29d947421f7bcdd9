package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// opKind is an operation of the mix.
type opKind int

const (
	opCreate opKind = iota
	opGet
	opList
	opSearch
	opUpdate
	opShort // a keyword search of one or two characters
	numOps
)

var opNames = [numOps]string{"create", "get", "list", "search", "update", "short"}

// okStatus is the status each operation expects.
var okStatus = [numOps]int{http.StatusCreated, http.StatusOK, http.StatusOK, http.StatusOK, http.StatusOK, http.StatusOK}

func opByName(name string) (opKind, bool) {
	for op, n := range opNames {
		if n == name {
			return opKind(op), true
		}
	}
	return 0, false
}

// target is a server under load: where it is, the bearer token to send, and
// the clients created on it so far.
type target struct {
	name   string
	base   string
	pid    int // the server's process, whose CPU the runs read; 0 if unknown
	bearer string
	client *http.Client
	pool   *clientPool
	run    string        // tells this run's e-mail addresses and keys apart
	seq    atomic.Uint64 // numbers the clients and Idempotency-Keys of the run
}

// newHTTPClient returns a client that keeps a connection per worker alive.
func newHTTPClient(concurrency int) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        2 * concurrency,
		MaxIdleConnsPerHost: 2 * concurrency,
		IdleConnTimeout:     2 * time.Minute,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: time.Minute}
}

// do runs one operation and returns the status it got.
func (t *target) do(ctx context.Context, op opKind, rnd *rand.Rand) (int, error) {
	switch op {
	case opCreate:
		return t.create(ctx, rnd, true)
	case opList:
		return t.get(ctx, "/v1/clients?page="+strconv.Itoa(1+rnd.IntN(5))+"&page_size=20")
	}
	c, ok := t.pool.pick(rnd)
	if !ok {
		return 0, errNoClients
	}
	path := "/v1/clients/" + strconv.FormatInt(c.id, 10)
	switch op {
	case opGet:
		return t.get(ctx, path)
	case opSearch:
		return t.get(ctx, "/v1/clients?keyword="+url.QueryEscape(keyword(c.name)))
	case opShort:
		return t.get(ctx, "/v1/clients?keyword="+url.QueryEscape(shortKeyword(c.name, rnd)))
	}
	n := strconv.FormatUint(t.seq.Add(1), 10)
	body := []byte(`{"notes":"updated by fatora-bench ` + n + `"}`)
	status, _, err := t.send(ctx, http.MethodPatch, path, body, t.run+"-u"+n)
	return status, err
}

var errNoClients = errors.New("no client to read: the run created none")

// create makes a new client, with an Idempotency-Key when idem is set.
func (t *target) create(ctx context.Context, rnd *rand.Rand, idem bool) (int, error) {
	n := t.seq.Add(1)
	key := ""
	if idem {
		key = t.run + "-c" + strconv.FormatUint(n, 10)
	}
	return t.createPerson(ctx, rnd, newPerson(n, t.run), key)
}

// createPerson creates p and adds it to the pool.
func (t *target) createPerson(ctx context.Context, rnd *rand.Rand, p person, idemKey string) (int, error) {
	status, loc, err := t.send(ctx, http.MethodPost, "/v1/clients", p.body(), idemKey)
	if status != http.StatusCreated {
		return status, err
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/v1/clients/"), 10, 64)
	if err != nil {
		return status, errors.New("201 without a Location /v1/clients/{id}")
	}
	t.pool.add(knownClient{id: id, name: p.name}, rnd)
	return status, nil
}

func (t *target) get(ctx context.Context, path string) (int, error) {
	status, _, err := t.send(ctx, http.MethodGet, path, nil, "")
	return status, err
}

// send makes one request, reads the whole answer (so the connection is
// reused) and returns its status and Location header.
func (t *target) send(ctx context.Context, method, path string, body []byte, idemKey string) (int, string, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.base+path, rd)
	if err != nil {
		return 0, "", err
	}
	req.Header["Authorization"] = []string{t.bearer}
	if body != nil {
		req.Header["Content-Type"] = []string{"application/json"}
	}
	if idemKey != "" {
		req.Header["Idempotency-Key"] = []string{idemKey}
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, "", err
	}
	return resp.StatusCode, resp.Header.Get("Location"), nil
}
