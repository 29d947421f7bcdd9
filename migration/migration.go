// Package migration reads numbered SQL migration files. Each store embeds
// its own files and applies them in its own dialect; this leaf package only
// finds, orders and checks them.
package migration

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migration is one SQL file, named NNNN_description.sql.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Load reads every *.sql file in dir of fsys, in version order. It refuses
// a file whose name does not start with a number, and two files with one
// version.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	ms := make([]Migration, 0, len(names))
	for _, name := range names {
		m, err := read(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s have the same version", ms[i-1].Name, ms[i].Name)
		}
	}
	return ms, nil
}

func read(fsys fs.FS, name string) (Migration, error) {
	base := path.Base(name)
	v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
	if err != nil || v < 1 {
		return Migration{}, fmt.Errorf("migration %s: the name must start with a positive number", base)
	}
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Migration{}, err
	}
	return Migration{Version: v, Name: base, SQL: string(body)}, nil
}
