package sqlite

import (
	"context"
	"strings"
)

// TablesHolding returns the tables of the database in which a text or
// blob value contains text, ignoring letter case (ASCII): an audit of
// where a person's data still sits, for an erasure request and its tests.
// It reads every row of every table, the full-text index's own tables
// included, so it is slow on a large database.
func (db *DB) TablesHolding(ctx context.Context, text string) ([]string, error) {
	tables, err := db.tableNames(ctx)
	if err != nil {
		return nil, err
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

func (db *DB) tableNames(ctx context.Context) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, mapError(err)
		}
		names = append(names, name)
	}
	return names, mapError(rows.Err())
}

// tableHolds reports whether a value of table contains lower, in lower case.
func (db *DB) tableHolds(ctx context.Context, table, lower string) (bool, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT * FROM "`+strings.ReplaceAll(table, `"`, `""`)+`"`)
	if err != nil {
		return false, mapError(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return false, mapError(err)
	}
	vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return false, mapError(err)
		}
		for _, v := range vals {
			if holds(v, lower) {
				return true, nil
			}
		}
	}
	return false, mapError(rows.Err())
}

func holds(v any, lower string) bool {
	switch v := v.(type) {
	case string:
		return strings.Contains(strings.ToLower(v), lower)
	case []byte:
		return strings.Contains(strings.ToLower(string(v)), lower)
	}
	return false
}
