package main

import (
	"bytes"
	"context"
	"sync/atomic"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

// nullClients is a fatora.ClientService that keeps nothing and answers as
// if it had, doing every check a store does that is not storage (the
// scope, the fields, the filter): a create returns the client with a new
// id and the time, a get a fixed client with the id asked for, a list a
// fixed page of a thousand matches, an update the fixed client changed,
// and a delete nothing.
type nullClients struct {
	nextID  atomic.Int64
	clients []fatora.Client // clients[0] is the fixed client; the list pages come from the rest
}

// nullTotal is how many clients a list says match.
const nullTotal = 1000

func newNullClients() *nullClients {
	stamp := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	n := &nullClients{}
	for id := range uint64(fatora.MaxPageSize + 1) {
		p := newPerson(id+1, "baseline")
		n.clients = append(n.clients, fatora.Client{ID: int64(id + 1), CreatedAt: stamp, UpdatedAt: stamp,
			ClientFields: fatora.ClientFields{Name: p.name, Email: p.email, Phone: p.phone}})
	}
	return n
}

// CreateClient implements fatora.ClientService.
func (n *nullClients) CreateClient(ctx context.Context, f fatora.ClientFields) (fatora.Client, error) {
	if _, err := fatora.ScopeFrom(ctx); err != nil {
		return fatora.Client{}, err
	}
	f, err := f.Normalize()
	if err != nil {
		return fatora.Client{}, err
	}
	now := time.Now().UTC()
	return fatora.Client{ID: n.nextID.Add(1), ClientFields: f, CreatedAt: now, UpdatedAt: now}, nil
}

// FindClientByID implements fatora.ClientService.
func (n *nullClients) FindClientByID(ctx context.Context, id int64) (fatora.Client, error) {
	if _, err := fatora.ScopeFrom(ctx); err != nil {
		return fatora.Client{}, err
	}
	c := n.clients[0]
	c.ID = id
	return c, nil
}

// FindClients implements fatora.ClientService.
func (n *nullClients) FindClients(ctx context.Context, f fatora.ClientFilter) (fatora.ClientPage, error) {
	if _, err := fatora.ScopeFrom(ctx); err != nil {
		return fatora.ClientPage{}, err
	}
	f, err := f.Normalize()
	if err != nil {
		return fatora.ClientPage{}, err
	}
	return fatora.NewClientPage(f, n.clients[:f.PageSize+1], nullTotal), nil
}

// UpdateClient implements fatora.ClientService.
func (n *nullClients) UpdateClient(ctx context.Context, id int64, u fatora.ClientUpdate) (fatora.Client, error) {
	c, err := n.FindClientByID(ctx, id)
	if err != nil {
		return c, err
	}
	if c.ClientFields, err = u.Apply(c.ClientFields).Normalize(); err != nil {
		return fatora.Client{}, err
	}
	c.UpdatedAt = time.Now().UTC()
	return c, nil
}

// DeleteClient implements fatora.ClientService.
func (n *nullClients) DeleteClient(ctx context.Context, id int64) error {
	_, err := fatora.ScopeFrom(ctx)
	return err
}

// oneKey answers the two credential lookups of httpapi.Server
// (fatora.CredentialFinder) for one API key, the live key of merchant 1;
// every other key is unknown.
type oneKey struct {
	hash []byte
	cred fatora.Credential
}

var _ fatora.CredentialFinder = (*oneKey)(nil)

func newOneKey(apiKey string) *oneKey {
	m := fatora.Merchant{ID: 1, Number: "1", Name: "Bench", Email: "bench@example.com"}
	k := fatora.APIKey{ID: token.NewID(), MerchantID: m.ID, Mode: fatora.ModeLive}
	return &oneKey{hash: token.HashAPIKey(apiKey), cred: fatora.Credential{Key: k, Merchant: m}}
}

// FindCredentialByHash implements fatora.CredentialFinder.
func (o *oneKey) FindCredentialByHash(ctx context.Context, hash []byte) (fatora.Credential, error) {
	if !bytes.Equal(hash, o.hash) {
		return fatora.Credential{}, fatora.Errorf(fatora.CodeNotFound, "No such API key.")
	}
	return o.cred, nil
}

// FindCredentialByKeyID implements fatora.CredentialFinder.
func (o *oneKey) FindCredentialByKeyID(ctx context.Context, keyID string) (fatora.Credential, error) {
	if keyID != o.cred.Key.ID {
		return fatora.Credential{}, fatora.Errorf(fatora.CodeNotFound, "No such API key.")
	}
	return o.cred, nil
}

// RestoreClient implements fatora.ClientService: nothing is ever deleted
// here, so there is nothing to restore.
func (n *nullClients) RestoreClient(ctx context.Context, id int64) (fatora.Client, error) {
	if _, err := fatora.ScopeFrom(ctx); err != nil {
		return fatora.Client{}, err
	}
	return fatora.Client{}, fatora.ClientNotFound()
}

// EraseClient implements fatora.ClientService.
func (n *nullClients) EraseClient(ctx context.Context, id int64) error {
	_, err := fatora.ScopeFrom(ctx)
	return err
}

// BulkChangeClients implements fatora.ClientService: every client is
// missing.
func (n *nullClients) BulkChangeClients(ctx context.Context, b *fatora.ClientBulk) error {
	if _, err := fatora.ScopeFrom(ctx); err != nil {
		return err
	}
	if err := b.Check(); err != nil {
		return err
	}
	b.Results = make([]fatora.BulkResult, len(b.IDs))
	for i, id := range b.IDs {
		b.Results[i] = fatora.BulkResult{ID: id, Err: fatora.ClientNotFound()}
	}
	return nil
}
