package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/workspaces-local/workspaces-local/internal/app"
)

const stateUsage = `Usage:
  workspaces-local state export [--data-dir DIR | --database-url URL] [FILE]
      write the state document to FILE (default stdout)
  workspaces-local state import [--data-dir DIR | --database-url URL] [FILE]
      replace the whole state with the document in FILE (default stdin)

The store flags are serve's, with the same environment variables
(WORKSPACES_LOCAL_DATA_DIR, WORKSPACES_LOCAL_DATABASE_URL) and rules.

The document is the one GET /_local/state serves and PUT /_local/state and
serve --init read. On a running server, prefer those endpoints.
`

// stateCmd runs `workspaces-local state export|import` on the durable store
// of a data directory or a PostgreSQL database, chosen by serve's store
// flags and variables (environ: "NAME=value" entries).
func stateCmd(args []string, environ []string) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "import") {
		fmt.Fprint(os.Stderr, stateUsage)
		return usageErrorf("state needs a subcommand: export or import")
	}
	sub := args[0]
	o := &serveOptions{}
	var opts []*option
	for _, op := range serveFlags(o) {
		if op.name == "data-dir" || op.name == "database-url" {
			opts = append(opts, op)
		}
	}
	files, err := parseOptions("state "+sub, opts, args[1:], lookupIn(environ), "FILE")
	if errors.Is(err, errHelp) {
		fmt.Fprint(os.Stdout, stateUsage)
		return nil
	}
	if err != nil {
		return err
	}
	if o.DatabaseURL == "" {
		if _, err := os.Stat(o.DataDir); sub == "export" && err != nil {
			return fmt.Errorf("--data-dir %s: %w", o.DataDir, err)
		}
	}
	ctx := context.Background()
	a, err := app.New(ctx, app.Config{DataDir: o.DataDir, DatabaseURL: o.DatabaseURL})
	if err != nil {
		return err
	}
	defer a.Close()
	if sub == "export" {
		if len(files) == 0 {
			return a.State().Export(ctx, os.Stdout)
		}
		f, err := os.Create(files[0])
		if err != nil {
			return err
		}
		// A write the file system refuses late (a full disk) shows at Close.
		if err := a.State().Export(ctx, f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	var r io.Reader = os.Stdin
	if len(files) == 1 {
		f, err := os.Open(files[0])
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	if err := a.State().Load(ctx, r); err != nil {
		return fmt.Errorf("state import: %w", err)
	}
	where := o.DataDir
	if o.DatabaseURL != "" {
		where = "the --database-url database"
	}
	fmt.Fprintf(os.Stderr, "state imported into %s\n", where)
	return nil
}
