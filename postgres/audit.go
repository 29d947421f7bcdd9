package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// TablesHolding returns the tables of the store's schema in which a value
// (as text; bytea as its bytes) contains text, ignoring letter case
// (ASCII): an audit of where a person's data still sits, for an erasure
// request and its tests. It reads every row of every table, so it is slow
// on a large database.
func (db *DB) TablesHolding(ctx context.Context, text string) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		return nil, mapError(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, mapError(err)
	}
	var holding []string
	for _, table := range tables {
		found, err := db.tableHolds(ctx, table, strings.ToLower(text))
		if err != nil {
			return nil, err
		}
		if found {
			holding = append(holding, table)
		}
	}
	return holding, nil
}

// tableHolds reports whether a value of table contains lower, in lower case.
func (db *DB) tableHolds(ctx context.Context, table, lower string) (bool, error) {
	rows, err := db.pool.Query(ctx, "SELECT * FROM "+pgx.Identifier{table}.Sanitize())
	if err != nil {
		return false, mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return false, mapError(err)
		}
		for _, v := range vals {
			s, ok := v.([]byte)
			text := string(s)
			if !ok {
				text = fmt.Sprint(v)
			}
			if strings.Contains(strings.ToLower(text), lower) {
				return true, nil
			}
		}
	}
	return false, mapError(rows.Err())
}
