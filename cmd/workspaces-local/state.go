package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/workspaces-local/workspaces-local/internal/app"
)

const stateUsage = `Usage:
  workspaces-local state export [--data-dir DIR] [FILE]   write the state document to FILE (default stdout)
  workspaces-local state import [--data-dir DIR] [FILE]   replace the whole state with the document in FILE (default stdin)

The document is the one GET /_local/state serves and PUT /_local/state and
serve --init read. On a running server, prefer those endpoints.
`

// stateCmd runs `workspaces-local state export|import` on the durable store
// of a data directory.
func stateCmd(args []string) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "import") {
		fmt.Fprint(os.Stderr, stateUsage)
		return errors.New("state needs a subcommand: export or import")
	}
	sub := args[0]
	fs := flag.NewFlagSet("state "+sub, flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), stateUsage) }
	dataDir := fs.String("data-dir", env("WORKSPACES_LOCAL_DATA_DIR", app.DefaultDataDir()), "directory of the durable store (env WORKSPACES_LOCAL_DATA_DIR)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("state %s takes at most one FILE, got %d arguments", sub, fs.NArg())
	}
	if _, err := os.Stat(*dataDir); sub == "export" && err != nil {
		return fmt.Errorf("--data-dir %s: %w", *dataDir, err)
	}
	ctx := context.Background()
	a, err := app.New(ctx, app.Config{DataDir: *dataDir})
	if err != nil {
		return err
	}
	defer a.Close()
	if sub == "export" {
		var w io.Writer = os.Stdout
		if fs.NArg() == 1 {
			f, err := os.Create(fs.Arg(0))
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		return a.State().Export(ctx, w)
	}
	var r io.Reader = os.Stdin
	if fs.NArg() == 1 {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	if err := a.State().Load(ctx, r); err != nil {
		return fmt.Errorf("state import: %w", err)
	}
	fmt.Fprintf(os.Stderr, "state imported into %s\n", *dataDir)
	return nil
}

// env is the value of the environment variable name, or def when it is unset or empty.
func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
