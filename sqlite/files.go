package sqlite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ownerOnly is the mode of the database's files: they hold the token
// signing secret and every merchant's clients.
const ownerOnly fs.FileMode = 0o600

// secureFiles keeps the database's files to their owner. A database that
// does not exist is created empty with mode 0600 before SQLite opens it, so
// the -wal and -shm files SQLite makes beside it get the same mode (SQLite
// gives them the database file's). Existing files (the database, -wal,
// -shm) that others may read or write lose those permissions. It returns
// the files it changed.
func secureFiles(path string) (tightened []string, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, ownerOnly)
	if err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return tightened, err
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			if err := os.Chmod(name, perm&^0o077); err != nil {
				return tightened, fmt.Errorf("keep %s to its owner: %w", name, err)
			}
			tightened = append(tightened, name)
		}
	}
	return tightened, nil
}

// TightenedFiles lists the files whose permissions Open took from group
// and others (for the caller to log); empty when they were already the
// owner's only.
func (db *DB) TightenedFiles() []string { return db.tightened }
