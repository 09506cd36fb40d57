package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// checkDataDir makes sure the durable store can live in dir: the directory
// exists (or is created) and accepts a new file, and an existing state.db
// can be opened for writing. Each refusal names the path and what to do,
// instead of SQLite's "unable to open database file".
func checkDataDir(dir string) error {
	const fix = "choose another with --data-dir (env WORKSPACES_LOCAL_DATA_DIR), or run with --in-memory"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("data dir %s cannot be created (%v): %s", dir, reason(err), fix)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("data dir %s is not writable (%v): make it writable by this user, %s", dir, reason(err), fix)
	}
	f.Close()
	os.Remove(f.Name())
	db := filepath.Join(dir, "state.db")
	if f, err := os.OpenFile(db, os.O_RDWR, 0); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("state file %s cannot be opened for writing (%v): make it writable by this user, %s", db, reason(err), fix)
	}
	return nil
}

// reason is the OS's words without the repeated path.
func reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
