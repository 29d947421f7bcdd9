package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/fatora-oss/fatora"
)

// ClientService implements fatora.ClientService on the store.
type ClientService struct {
	db *DB
}

// NewClientService returns the client service of db.
func NewClientService(db *DB) *ClientService { return &ClientService{db: db} }

var _ fatora.ClientService = (*ClientService)(nil)

const clientColumns = "id, name, phone, email, address, notes, created_at, updated_at, deleted_at, metadata"

// clientColumnsOf is clientColumns of the table named alias in a query.
func clientColumnsOf(alias string) string {
	return alias + "." + strings.ReplaceAll(clientColumns, ", ", ", "+alias+".")
}

// CreateClient implements fatora.ClientService.
func (s *ClientService) CreateClient(ctx context.Context, f fatora.ClientFields) (fatora.Client, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.Client{}, err
	}
	// Outside the transaction: the writer's time is the scarce one.
	c, match, err := fatora.NewClient(f, s.db.now(), scope.Region)
	if err != nil {
		return fatora.Client{}, err
	}
	err = s.db.keyedChange(ctx, scope, c.CreatedAt, func(tx runner) (fatora.Client, error) {
		if err := insertClient(ctx, tx, scope, &c, match); err != nil {
			return c, err
		}
		return c, writeEvent(ctx, tx, scope, fatora.ClientCreated(scope.Mode, c))
	})
	return c, err
}

// insertClient stores a new client, filling its id, or returns the
// duplicate_client error naming the client it would duplicate.
func insertClient(ctx context.Context, tx runner, scope fatora.Scope, c *fatora.Client, match fatora.MatchKeys) error {
	f := c.ClientFields
	err := tx.QueryRowContext(ctx, `INSERT INTO clients (merchant_id, mode, name, phone, email, address, notes,
			email_folded, phone_digits, search_text, dedup, created_at, updated_at, metadata, search_version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (merchant_id, mode, dedup) WHERE deleted_at IS NULL DO NOTHING RETURNING id`,
		scope.MerchantID, scope.Mode, f.Name, f.Phone, f.Email, f.Address, f.Notes,
		match.EmailFolded, match.PhoneDigits, match.SearchText, match.Dedup, c.CreatedAt.UnixMicro(), c.UpdatedAt.UnixMicro(),
		fatora.EncodeMetadata(f.Metadata), fatora.SearchVersion,
	).Scan(&c.ID)
	if err == sql.ErrNoRows {
		return duplicateOf(ctx, tx, scope, match.Dedup)
	}
	return mapError(err)
}

// duplicateOf returns the duplicate_client error naming the client of scope
// whose dedup key is dedup.
func duplicateOf(ctx context.Context, tx runner, scope fatora.Scope, dedup string) error {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM clients WHERE merchant_id = ? AND mode = ? AND dedup = ? AND deleted_at IS NULL",
		scope.MerchantID, scope.Mode, dedup).Scan(&id)
	if err != nil {
		return mapError(err)
	}
	return fatora.DuplicateClient(id)
}

// FindClientByID implements fatora.ClientService.
func (s *ClientService) FindClientByID(ctx context.Context, id int64) (fatora.Client, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.Client{}, err
	}
	r, leave, err := s.db.readTurn(ctx)
	if err != nil {
		return fatora.Client{}, err
	}
	defer leave()
	return findClient(ctx, uncancelled{r}, scope, id)
}

func findClient(ctx context.Context, q runner, scope fatora.Scope, id int64) (fatora.Client, error) {
	row := q.QueryRowContext(ctx, "SELECT "+clientColumns+" FROM clients WHERE merchant_id = ? AND mode = ? AND id = ? AND deleted_at IS NULL",
		scope.MerchantID, scope.Mode, id)
	c, err := scanClient(row)
	if err == sql.ErrNoRows {
		return c, fatora.ClientNotFound()
	}
	return c, mapError(err)
}

func queryClients(ctx context.Context, q runner, query string, args ...any) ([]fatora.Client, error) {
	return queryClientRows(ctx, q, func(r scanner) scanner { return r }, query, args...)
}

// queryClientRows reads the clients of query, each row through row(rows),
// which may read more columns than the client's.
func queryClientRows(ctx context.Context, q runner, row func(scanner) scanner, query string, args ...any) ([]fatora.Client, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	clients := []fatora.Client{}
	for rows.Next() {
		c, err := scanClient(row(rows))
		if err != nil {
			return nil, mapError(err)
		}
		clients = append(clients, c)
	}
	return clients, mapError(rows.Err())
}

// UpdateClient implements fatora.ClientService.
func (s *ClientService) UpdateClient(ctx context.Context, id int64, u fatora.ClientUpdate) (fatora.Client, error) {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return fatora.Client{}, err
	}
	var c fatora.Client
	now := s.db.now()
	err = s.db.keyedChange(ctx, scope, now, func(tx runner) (fatora.Client, error) {
		if c, err = findClient(ctx, tx, scope, id); err != nil {
			return c, err
		}
		before := c
		changed, err := c.Update(u, now)
		if err != nil || !changed {
			return c, err // an update that changes nothing writes nothing
		}
		if err := updateRow(ctx, tx, scope, c); err != nil {
			return c, err
		}
		return c, writeEvent(ctx, tx, scope, fatora.ClientUpdated(scope.Mode, before, c))
	})
	return c, err
}

func updateRow(ctx context.Context, tx runner, scope fatora.Scope, c fatora.Client) error {
	match := c.MatchKeys(scope.Region)
	_, err := tx.ExecContext(ctx, `UPDATE clients SET name = ?, phone = ?, email = ?, address = ?, notes = ?,
		email_folded = ?, phone_digits = ?, search_text = ?, dedup = ?, updated_at = ?, metadata = ?, search_version = ?
		WHERE merchant_id = ? AND mode = ? AND id = ?`,
		c.Name, c.Phone, c.Email, c.Address, c.Notes, match.EmailFolded, match.PhoneDigits, match.SearchText, match.Dedup,
		c.UpdatedAt.UnixMicro(), fatora.EncodeMetadata(c.Metadata), fatora.SearchVersion, scope.MerchantID, scope.Mode, c.ID)
	if isUnique(err) {
		return duplicateOf(ctx, tx, scope, match.Dedup)
	}
	return mapError(err)
}

// DeleteClient implements fatora.ClientService: the client is marked
// deleted (see RestoreClient and PurgeDeletedClients).
func (s *ClientService) DeleteClient(ctx context.Context, id int64) error {
	scope, err := fatora.ScopeFrom(ctx)
	if err != nil {
		return err
	}
	now := s.db.now()
	return s.db.keyedChange(ctx, scope, now, func(tx runner) (fatora.Client, error) {
		return fatora.Client{ID: id}, softDelete(ctx, tx, scope, id, now)
	})
}

// softDelete marks the live client id deleted at now and writes its event.
func softDelete(ctx context.Context, tx runner, scope fatora.Scope, id int64, now time.Time) error {
	c, err := scanClient(tx.QueryRowContext(ctx, `UPDATE clients SET deleted_at = ?
		WHERE merchant_id = ? AND mode = ? AND id = ? AND deleted_at IS NULL RETURNING `+clientColumns,
		now.UnixMicro(), scope.MerchantID, scope.Mode, id))
	if err == sql.ErrNoRows {
		return fatora.ClientNotFound()
	} else if err != nil {
		return mapError(err)
	}
	return writeEvent(ctx, tx, scope, fatora.ClientDeleted(scope.Mode, c, now))
}

// scanner is a row or rows.
type scanner interface{ Scan(dest ...any) error }

func scanClient(r scanner) (fatora.Client, error) {
	var c fatora.Client
	var created, updated int64
	var deleted sql.NullInt64
	var metadata []byte
	if err := r.Scan(&c.ID, &c.Name, &c.Phone, &c.Email, &c.Address, &c.Notes, &created, &updated, &deleted, &metadata); err != nil {
		return c, err
	}
	c.CreatedAt, c.UpdatedAt = time.UnixMicro(created).UTC(), time.UnixMicro(updated).UTC()
	if deleted.Valid {
		c.DeletedAt = time.UnixMicro(deleted.Int64).UTC()
	}
	var err error
	c.Metadata, err = fatora.DecodeMetadata(metadata)
	return c, err
}

// errorsOr returns err, or fallback when err is nil.
func errorsOr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}
