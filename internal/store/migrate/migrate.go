// Package migrate reads a store's schema scripts: numbered files
// NNN_name.sql, where script N takes the schema from version N-1 to N. Each
// store applies them in its own way (SQLite records the version in PRAGMA
// user_version, PostgreSQL in a table under an advisory lock).
package migrate

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Script is one schema script.
type Script struct {
	Version int
	Name    string // the file's base name, for error messages
	SQL     string
}

// Load returns the scripts dir/*.sql of fsys in version order, checking
// that the versions run 1, 2, 3... without gaps or duplicates. store names
// the store in error messages ("sqlite", "postgres").
func Load(fsys fs.FS, dir, store string) ([]Script, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	var ms []Script
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("%s: migration %q is not named NNN_name.sql", store, base)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Script{Version: v, Name: base, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("%s: migration %q: want version %d", store, m.Name, i+1)
		}
	}
	return ms, nil
}

// CheckCurrent refuses a database whose schema version cur is newer than
// the latest script this binary knows.
func CheckCurrent(store string, cur, latest int) error {
	if cur > latest {
		return fmt.Errorf("%s: schema version %d is newer than this binary knows (%d)", store, cur, latest)
	}
	return nil
}
