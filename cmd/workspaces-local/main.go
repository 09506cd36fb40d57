// Command workspaces-local is a local emulator of Amazon WorkSpaces and
// Amazon WorkSpaces Thin Client.
//
//	workspaces-local serve [--addr HOST:PORT] [--data-dir DIR | --in-memory] ...
//	workspaces-local version
//
// Every flag has an environment variable (WORKSPACES_LOCAL_ADDR, ...) parsed
// by the same rules; a flag given on the command line wins. The flags are
// listed once, in serveFlags (config.go).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/app"
	"github.com/workspaces-local/workspaces-local/internal/clock"
	tcsvc "github.com/workspaces-local/workspaces-local/internal/service/thinclient"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
)

const usage = `workspaces-local: Amazon WorkSpaces and WorkSpaces Thin Client, locally.

Usage:
  workspaces-local serve [flags]    start the server (serve --help lists the flags)
  workspaces-local state export|import [--data-dir DIR | --database-url URL] [FILE]
                                    save or replace the whole state (a JSON document)
  workspaces-local version          print the version and commit
  workspaces-local help             print this text
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Environ())
	stop()
	os.Exit(code)
}

// run is the whole command: it returns the exit status (0 ok, 1 the server
// failed, 2 a mistake in the command line or environment).
func run(ctx context.Context, args []string, stdout, stderr io.Writer, environ []string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		err := serve(ctx, rest, stdout, stderr, environ)
		if errors.Is(err, errHelp) {
			fmt.Fprint(stdout, serveUsage())
			return 0
		}
		return exitCode(stderr, err)
	case "state":
		return exitCode(stderr, stateCmd(rest, environ))
	case "version", "--version", "-version":
		if len(rest) > 0 {
			fmt.Fprintf(stderr, "workspaces-local: version takes no arguments, got %q\n", rest[0])
			return 2
		}
		fmt.Fprintln(stdout, versionLine())
		return 0
	case "help", "-h", "--help":
		if len(rest) > 0 && rest[0] == "serve" {
			fmt.Fprint(stdout, serveUsage())
		} else {
			fmt.Fprint(stdout, usage)
		}
		return 0
	default:
		fmt.Fprintf(stderr, "workspaces-local: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}

// versionLine is what `workspaces-local version` prints.
func versionLine() string {
	v, commit := app.BuildVersion()
	if commit == "" {
		commit = "unknown"
	}
	return fmt.Sprintf("workspaces-local %s (commit %s, %s, %s/%s)", v, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer, environ []string) error {
	o, err := parseServe(args, lookupIn(environ))
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: o.LogLevel}))
	for _, name := range unknownVariables(environ) {
		log.Warn("ignoring an environment variable no flag reads (misspelt?); serve --help lists them", "variable", name)
	}
	if o.AddrFile != "" {
		// a stale file from an earlier run must not be mistaken for this one
		if err := os.Remove(o.AddrFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("--addr-file: %w", err)
		}
		defer os.Remove(o.AddrFile)
	}
	a, err := app.New(ctx, o.appConfig(log))
	if err != nil {
		return err
	}
	if err := a.Listen(); err != nil {
		return errors.Join(err, a.Close())
	}
	if o.AddrFile != "" {
		if err := writeAddrFile(o.AddrFile, a.URL()); err != nil {
			return errors.Join(fmt.Errorf("--addr-file: %w", err), a.Close())
		}
	}
	fmt.Fprint(stdout, a.Banner())
	return a.Serve(ctx)
}

// lookupIn is os.LookupEnv over environ ("NAME=value" entries; the last wins).
func lookupIn(environ []string) func(string) (string, bool) {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return func(name string) (string, bool) { v, ok := m[name]; return v, ok }
}

// appConfig turns the options into the app's configuration.
func (o *serveOptions) appConfig(log *slog.Logger) app.Config {
	cfg := app.Config{
		Addr: o.Addr, DataDir: o.DataDir, InMemory: o.InMemory, DefaultAccount: o.DefaultAccount,
		WorkSpacesDelays: o.Delays.ws,
		ThinClientDelays: o.Delays.tc,
		WorkSpacesQuotas: wssvc.Quotas{Workspaces: o.WorkspacesQuota, Images: o.ImagesQuota, Pools: o.PoolsQuota, PoolSessions: o.PoolSessionsQuota, Standby: o.StandbyQuota},
		WorkSpacesPools:  wssvc.PoolKnobs{ClosedToNewCustomers: o.PoolsClosed, StrictRunningMode: o.StrictPoolRunningMode},
		ThinClientQuotas: tcsvc.Quotas{Environments: o.EnvironmentsQuota},
		StrictDesktops:   o.StrictDesktops,
		InitFile:         o.InitFile,
		DatabaseURL:      o.DatabaseURL,
		Auth:             o.Auth, CredentialsFile: o.CredentialsFile,
		CORSOrigins: o.CORSOrigins, AllowedHosts: o.AllowedHosts, AdminToken: o.AdminToken,
		Log: log,
	}
	if o.ManualClock {
		cfg.Clock = clock.NewManual(time.Now())
	}
	return cfg
}

// writeAddrFile writes the endpoint URL to path atomically (a reader never
// sees a partial line).
func writeAddrFile(path, url string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(url+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

type delays struct {
	ws wssvc.Delays
	tc tcsvc.Delays
}

// parseDelays reads name=duration pairs over the defaults (app.ParseDelays).
func parseDelays(s string) (delays, error) {
	c := app.Config{WorkSpacesDelays: wssvc.DefaultDelays, ThinClientDelays: tcsvc.DefaultDelays}
	if err := app.ParseDelays(&c, s); err != nil {
		return delays{}, err
	}
	return delays{ws: c.WorkSpacesDelays, tc: c.ThinClientDelays}, nil
}

// exitCode reports a command's error on stderr and turns it into the exit
// status: 0 for none, 2 for a mistake in the command line or environment,
// 1 for anything else.
func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "workspaces-local:", err)
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}
