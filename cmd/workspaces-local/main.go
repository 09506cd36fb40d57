// Command workspaces-local is a local emulator of Amazon WorkSpaces and
// Amazon WorkSpaces Thin Client.
//
//	workspaces-local serve [--addr HOST:PORT] [--data-dir DIR | --in-memory]
//
// Every flag has an environment variable (WORKSPACES_LOCAL_ADDR, ...); a flag
// given on the command line wins.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strconv"
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
  workspaces-local serve [flags]    start the server
  workspaces-local version          print the version

Run 'workspaces-local serve -h' for the flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		if err := serve(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "workspaces-local:", err)
			os.Exit(1)
		}
	case "version", "--version", "-version":
		fmt.Println("workspaces-local", app.Version)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func envBool(name string) bool {
	b, _ := strconv.ParseBool(os.Getenv(name))
	return b
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", env("WORKSPACES_LOCAL_ADDR", app.DefaultAddr), "HOST:PORT to listen on (env WORKSPACES_LOCAL_ADDR)")
	dataDir := fs.String("data-dir", env("WORKSPACES_LOCAL_DATA_DIR", app.DefaultDataDir()), "directory of the durable store (env WORKSPACES_LOCAL_DATA_DIR)")
	inMemory := fs.Bool("in-memory", envBool("WORKSPACES_LOCAL_IN_MEMORY"), "keep all state in memory; nothing touches disk (env WORKSPACES_LOCAL_IN_MEMORY)")
	dbURL := fs.String("database-url", env("WORKSPACES_LOCAL_DATABASE_URL", ""), "postgres://user:pass@host:port/db: keep state in that PostgreSQL database, which many replicas may share (README: Many replicas); --data-dir and --in-memory are then unused (env WORKSPACES_LOCAL_DATABASE_URL)")
	account := fs.String("default-account", env("WORKSPACES_LOCAL_DEFAULT_ACCOUNT", "000000000000"), "account of access keys that are not 12-digit ids (env WORKSPACES_LOCAL_DEFAULT_ACCOUNT)")
	logLevel := fs.String("log-level", env("WORKSPACES_LOCAL_LOG_LEVEL", "info"), "debug, info, warn or error; debug logs one line per request (env WORKSPACES_LOCAL_LOG_LEVEL)")
	manual := fs.Bool("manual-clock", envBool("WORKSPACES_LOCAL_MANUAL_CLOCK"), "freeze the clock; advance it with POST /_local/clock (env WORKSPACES_LOCAL_MANUAL_CLOCK)")
	wsQuota := fs.Int("workspaces-quota", envInt("WORKSPACES_LOCAL_WORKSPACES_QUOTA", wssvc.DefaultQuotas.Workspaces), "WorkSpaces per account and region (AWS's default for new accounts is 1) (env WORKSPACES_LOCAL_WORKSPACES_QUOTA)")
	imgQuota := fs.Int("images-quota", envInt("WORKSPACES_LOCAL_IMAGES_QUOTA", wssvc.DefaultQuotas.Images), "images owned per account and region (env WORKSPACES_LOCAL_IMAGES_QUOTA)")
	envQuota := fs.Int("environments-quota", envInt("WORKSPACES_LOCAL_ENVIRONMENTS_QUOTA", tcsvc.DefaultQuotas.Environments), "Thin Client environments per account and region (env WORKSPACES_LOCAL_ENVIRONMENTS_QUOTA)")
	strict := fs.Bool("strict-desktops", envBool("WORKSPACES_LOCAL_STRICT_DESKTOPS"), "Thin Client: refuse a WorkSpaces desktopArn whose directory is not registered here (env WORKSPACES_LOCAL_STRICT_DESKTOPS)")
	delays := fs.String("delays", env("WORKSPACES_LOCAL_DELAYS", ""), "asynchronous delays, e.g. directory.register=0s,workspace.create=5s,alias.create=0s (README lists every name; an unknown name is refused with the list); 'zero' sets all to 0 (env WORKSPACES_LOCAL_DELAYS)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dbURL != "" && *inMemory {
		return fmt.Errorf("--database-url and --in-memory exclude each other: choose where state lives")
	}
	if *wsQuota < 1 || *envQuota < 1 || *imgQuota < 1 {
		return fmt.Errorf("quotas must be at least 1")
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	d, err := parseDelays(*delays)
	if err != nil {
		return fmt.Errorf("--delays: %w", err)
	}
	cfg := app.Config{
		Addr: *addr, DataDir: *dataDir, InMemory: *inMemory, DatabaseURL: *dbURL, DefaultAccount: *account,
		WorkSpacesDelays: d.ws,
		ThinClientDelays: d.tc,
		WorkSpacesQuotas: wssvc.Quotas{Workspaces: *wsQuota, Images: *imgQuota},
		ThinClientQuotas: tcsvc.Quotas{Environments: *envQuota},
		StrictDesktops:   *strict,
		Log:              slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
	}
	if *manual {
		cfg.Clock = clock.NewManual(time.Now())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg)
	if err != nil {
		return err
	}
	if err := a.Listen(); err != nil {
		return err
	}
	fmt.Print(a.Banner())
	return a.Serve(ctx)
}

type delays struct {
	ws wssvc.Delays
	tc tcsvc.Delays
}

// parseDelays reads name=duration pairs over the defaults.
func parseDelays(s string) (delays, error) {
	d := delays{ws: wssvc.DefaultDelays, tc: tcsvc.DefaultDelays}
	if s == "" {
		return d, nil
	}
	if s == "zero" {
		return delays{}, nil
	}
	fields := map[string]*time.Duration{
		"directory.register":   &d.ws.DirectoryRegister,
		"directory.deregister": &d.ws.DirectoryDeregister,
		"directory.cleanup":    &d.ws.DirectoryCleanup,
		"workspace.create":     &d.ws.WorkspaceCreate,
		"workspace.terminate":  &d.ws.WorkspaceTerminate,
		"workspace.cleanup":    &d.ws.WorkspaceCleanup,
		"workspace.reboot":     &d.ws.WorkspaceReboot,
		"workspace.rebuild":    &d.ws.WorkspaceRebuild,
		"workspace.start":      &d.ws.WorkspaceStart,
		"workspace.stop":       &d.ws.WorkspaceStop,
		"workspace.modify":     &d.ws.WorkspaceModify,
		"account.modify":       &d.ws.AccountModify,
		"image.create":         &d.ws.ImageCreate,
		"image.import":         &d.ws.ImageImport,
		"image.copy":           &d.ws.ImageCopy,
		"alias.create":         &d.ws.ConnectionAliasCreate,
		"alias.delete":         &d.ws.ConnectionAliasDelete,
		"device.deregister":    &d.tc.DeviceDeregister,
		"software.install":     &d.tc.SoftwareInstall,
	}
	for _, kv := range strings.Split(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(kv), "=")
		p := fields[name]
		if !ok || p == nil {
			names := make([]string, 0, len(fields))
			for n := range fields {
				names = append(names, n)
			}
			sort.Strings(names)
			return d, fmt.Errorf("unknown delay %q (known: %s)", kv, strings.Join(names, ", "))
		}
		v, err := time.ParseDuration(val)
		if err != nil || v < 0 {
			return d, fmt.Errorf("delay %s: %q is not a non-negative duration", name, val)
		}
		*p = v
	}
	return d, nil
}
