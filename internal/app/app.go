// Package app wires workspaces-local together: store, clock, services,
// codecs, admin endpoints and the HTTP server. main and the tests both use it.
package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/admin"
	"github.com/workspaces-local/workspaces-local/internal/admin/ui"
	tcapi "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	wsapi "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/identity"
	"github.com/workspaces-local/workspaces-local/internal/metrics"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/protocol/awsjson"
	"github.com/workspaces-local/workspaces-local/internal/protocol/restjson"
	"github.com/workspaces-local/workspaces-local/internal/server"
	tcsvc "github.com/workspaces-local/workspaces-local/internal/service/thinclient"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/sqlite"
)

// Version is the server version reported by /_local/health.
var Version = "0.1.0-dev"

// DefaultAddr is the listen address when none is given.
const DefaultAddr = "127.0.0.1:4599"

// Config configures one server.
type Config struct {
	// Addr is HOST:PORT to listen on (port 0 picks a free one).
	Addr string
	// DataDir holds the durable store (state.db) unless InMemory.
	DataDir string
	// InMemory keeps all state in memory; nothing touches disk.
	InMemory bool
	// DefaultAccount is the account of access keys that are not 12-digit ids.
	DefaultAccount string
	// Clock is the server clock; nil means the real clock.
	Clock clock.Clock
	// WorkSpacesDelays are the WorkSpaces asynchronous transition delays.
	WorkSpacesDelays wssvc.Delays
	// WorkSpacesQuotas are the adjustable WorkSpaces quotas (zero values take the defaults).
	WorkSpacesQuotas wssvc.Quotas
	// ThinClientDelays are the Thin Client asynchronous transition delays.
	ThinClientDelays tcsvc.Delays
	// ThinClientQuotas are the Thin Client quotas (zero values take the defaults).
	ThinClientQuotas tcsvc.Quotas
	// StrictDesktops makes Thin Client refuse a WorkSpaces desktopArn whose
	// directory is not registered in the emulated WorkSpaces service.
	StrictDesktops bool
	// Log receives structured logs; nil discards them.
	Log *slog.Logger
	// ShutdownGrace bounds how long in-flight requests may finish after the
	// server is asked to stop (default 10s); connections still open then are closed.
	ShutdownGrace time.Duration
}

// DefaultDataDir is where state lives by default: $XDG_DATA_HOME (or
// ~/.local/share) /workspaces-local.
func DefaultDataDir() string {
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ".workspaces-local"
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "workspaces-local")
}

// App is a configured server.
type App struct {
	cfg   Config
	store store.Store
	srv   *http.Server
	ln    net.Listener
	h     *server.Server
}

// New opens the store and builds the server; it does not listen yet.
func New(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.DefaultAccount == "" {
		cfg.DefaultAccount = identity.DefaultAccount
	}
	var st store.Store
	if cfg.InMemory {
		st = memory.New()
		cfg.DataDir = ""
	} else {
		if cfg.DataDir == "" {
			cfg.DataDir = DefaultDataDir()
		}
		db, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, "state.db"))
		if err != nil {
			return nil, fmt.Errorf("open store in %s: %w", cfg.DataDir, err)
		}
		st = db
	}
	met := metrics.New(st) // the resources gauge reads the store undecorated
	st = met.Store(st)
	key, err := pagingKey(ctx, st)
	if err != nil {
		st.Close()
		return nil, err
	}
	pages := paging.New(key)
	if cfg.ThinClientQuotas.Environments == 0 {
		cfg.ThinClientQuotas = tcsvc.DefaultQuotas
	}
	tc, err := tcsvc.New(st, pages, cfg.ThinClientDelays, cfg.ThinClientQuotas)
	if err != nil {
		st.Close()
		return nil, err
	}
	if cfg.WorkSpacesQuotas.Workspaces == 0 {
		cfg.WorkSpacesQuotas = wssvc.DefaultQuotas
	}
	ws, err := wssvc.New(st, pages, cfg.WorkSpacesDelays, cfg.WorkSpacesQuotas)
	if err != nil {
		st.Close()
		return nil, err
	}
	if cfg.StrictDesktops {
		tc.CheckDesktops(ws)
	}
	clockMode := "real"
	if _, ok := cfg.Clock.(*clock.Manual); ok {
		clockMode = "manual"
	}
	adm := admin.New(admin.Info{Version: Version, Services: []string{server.ServiceWorkSpaces, server.ServiceThinClient}, Store: st.Name(), DataDir: cfg.DataDir, Clock: clockMode}, cfg.Clock)
	adm.HandleThinClientDevices(tc)
	adm.Handle("GET /_local/metrics", met.ServeHTTP)
	ui.New(ui.Config{Store: st, WorkSpaces: ws, ThinClient: tc, Clock: cfg.Clock, Log: cfg.Log, Admin: adm}).Register(adm.Handle)
	h := server.New(server.Config{
		WorkSpaces: awsjson.New(wsapi.Model, wsapi.Operations, ws),
		ThinClient: restjson.New(tcapi.Operations, tc),
		Admin:      adm,
		Identity:   identity.Resolver{DefaultAccount: cfg.DefaultAccount},
		Clock:      cfg.Clock,
		Log:        cfg.Log,
		Observers:  []server.Observer{met},
	})
	return &App{cfg: cfg, store: st, h: h}, nil
}

// pagingKey loads the key that signs pagination tokens, creating it on first
// start, so tokens stay valid across restarts of a durable store.
func pagingKey(ctx context.Context, st store.Store) ([]byte, error) {
	k := store.Key{Kind: "server.meta", ID: "paging-key"}
	var rec struct{ Key []byte }
	err := st.Update(ctx, func(tx store.Tx) error {
		err := tx.Get(ctx, k, &rec)
		if errors.Is(err, store.ErrNotFound) {
			rec.Key = make([]byte, 32)
			_, _ = rand.Read(rec.Key)
			return tx.Create(ctx, k, rec)
		}
		return err
	})
	return rec.Key, err
}

// Handler is the server's http.Handler.
func (a *App) Handler() http.Handler { return a.h }

// Config returns the effective configuration.
func (a *App) Config() Config { return a.cfg }

// Listen binds the listen address.
func (a *App) Listen() error {
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.Addr, err)
	}
	a.ln = ln
	return nil
}

// Addr is the bound address (after Listen).
func (a *App) Addr() string { return a.ln.Addr().String() }

// URL is the endpoint URL clients point at.
func (a *App) URL() string { return "http://" + a.Addr() }

// Serve serves until ctx is cancelled, then shuts down gracefully and closes the store.
func (a *App) Serve(ctx context.Context) error {
	a.srv = &http.Server{Handler: a.h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- a.srv.Serve(a.ln) }()
	select {
	case err := <-errc:
		a.store.Close()
		return err
	case <-ctx.Done():
	}
	grace := a.cfg.ShutdownGrace
	if grace == 0 {
		grace = 10 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := a.srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = a.srv.Close() // connections that never sent a request keep Shutdown waiting
	}
	if cerr := a.store.Close(); err == nil {
		err = cerr
	}
	return err
}

// Banner is the start-up text: where the server listens, where state lives,
// and how to point each client at it.
func (a *App) Banner() string {
	state := "in memory (--in-memory): nothing is written to disk"
	if !a.cfg.InMemory {
		state = filepath.Join(a.cfg.DataDir, "state.db") + " (SQLite, durable)"
	}
	u := a.URL()
	return fmt.Sprintf(`workspaces-local %s listening on %s
  services: Amazon WorkSpaces (AWS JSON 1.1), Amazon WorkSpaces Thin Client (REST-JSON)
  state:    %s
  health:   %s/_local/health

Point clients at it:
  export AWS_ENDPOINT_URL=%s
  export AWS_ACCESS_KEY_ID=111111111111 AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  export AWS_DISABLE_HOST_PREFIX_INJECTION=true   # Thin Client: boto3 / AWS CLI
  aws workspaces describe-ip-groups
  aws workspaces-thin-client list-software-sets
  # A 12-digit access key id is the account id; any other key is account %s.
  # Go (aws-sdk-go-v2):  workspaces.NewFromConfig(cfg, func(o *workspaces.Options) { o.BaseEndpoint = aws.String(%q) })
  # Go (aws-sdk-go v1):  aws.Config{Endpoint: aws.String(%q), DisableEndpointHostPrefix: aws.Bool(true)}
  # JS SDK v3:           new WorkSpacesThinClientClient({ endpoint: %q, disableHostPrefix: true })
`, Version, a.Addr(), state, u, u, a.cfg.DefaultAccount, u, u, u)
}
