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
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/admin"
	"github.com/workspaces-local/workspaces-local/internal/admin/ui"
	"github.com/workspaces-local/workspaces-local/internal/api"
	tcapi "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	wsapi "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/faults"
	"github.com/workspaces-local/workspaces-local/internal/identity"
	"github.com/workspaces-local/workspaces-local/internal/journal"
	"github.com/workspaces-local/workspaces-local/internal/metrics"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/protocol/awsjson"
	"github.com/workspaces-local/workspaces-local/internal/protocol/restjson"
	"github.com/workspaces-local/workspaces-local/internal/server"
	tcsvc "github.com/workspaces-local/workspaces-local/internal/service/thinclient"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/state"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
	"github.com/workspaces-local/workspaces-local/internal/store/sqlite"
)

// Version is the server version reported by /_local/health.
// The release build stamps it (see Commit); BuildVersion reads both.
var Version = devVersion

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
	// DatabaseURL (postgres://...), when set, keeps state in that PostgreSQL
	// database, which many replicas may share; DataDir and InMemory are
	// then unused. A manual clock is then kept in the database too.
	DatabaseURL string
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
	// WorkSpacesPools are the optional WorkSpaces Pools behaviours.
	WorkSpacesPools wssvc.PoolKnobs
	// Log receives structured logs; nil discards them.
	Log *slog.Logger
	// InitFile, when set, names a state document (GET /_local/state) loaded
	// at start-up if the store holds no state yet (serve --init).
	InitFile string
	// Auth is how SigV4 signatures are checked: identity.ModeCheck (the
	// default: every check that needs no secret), ModeOff or ModeStrict.
	Auth identity.Mode
	// CredentialsFile is the AWS shared-credentials file of ModeStrict.
	CredentialsFile string
	// CORSOrigins are the browser origins allowed to call the server
	// (--cors-origins; "*" any); every other cross-site request is refused.
	CORSOrigins []string
	// AllowedHosts are Host names accepted besides IP literals, localhost
	// and the listen address's name (--allowed-hosts; "*" any).
	AllowedHosts []string
	// AdminToken guards every /_local/ endpoint but health (--admin-token);
	// it is required to listen on an address that is not loopback.
	AdminToken string
	// RerunUpdates runs every store Update function twice, the first run
	// rolled back (store/rerun), so that tests prove every function is
	// re-runnable as store.Store.Update requires. Tests only: serve never sets it.
	RerunUpdates bool
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
	cfg     Config
	store   store.Store
	srv     *http.Server
	ln      net.Listener
	h       *server.Server
	state   *state.Manager
	faults  *faults.Set
	journal *journal.Ring
	control *postgres.Control // nil unless the store is PostgreSQL
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
	res, err := resolver(cfg)
	if err != nil {
		return nil, err
	}
	if !loopback(cfg.Addr) && cfg.AdminToken == "" {
		return nil, fmt.Errorf("--addr %s is not a loopback address: anyone who can reach it could reset or rewrite the state through /_local/; set --admin-token TOKEN (or listen on 127.0.0.1)", cfg.Addr)
	}
	var st store.Store
	var pg *postgres.DB
	if cfg.DatabaseURL != "" {
		db, err := postgres.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, fmt.Errorf("open store at --database-url %s: %w", postgres.Redact(cfg.DatabaseURL), err)
		}
		st, pg = db, db
		cfg.DataDir, cfg.InMemory = "", false
	} else if cfg.InMemory {
		st = memory.New()
		cfg.DataDir = ""
	} else {
		if cfg.DataDir == "" {
			cfg.DataDir = DefaultDataDir()
		}
		if err := checkDataDir(cfg.DataDir); err != nil {
			return nil, err
		}
		db, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, "state.db"))
		if err != nil {
			return nil, fmt.Errorf("open store in %s: %w", cfg.DataDir, err)
		}
		if err := checkWritable(ctx, db, filepath.Join(cfg.DataDir, "state.db")); err != nil {
			db.Close()
			return nil, err
		}
		st = db
	}
	if cfg.RerunUpdates {
		st = rerun.Wrap(st)
	}
	met := metrics.New(st) // the resources gauge reads the store untimed
	st = met.Store(st)
	key, err := pagingKey(ctx, st)
	if err != nil {
		st.Close()
		return nil, err
	}
	pages := paging.New(key)
	if m, ok := cfg.Clock.(*clock.Manual); ok && pg != nil {
		// Replicas share the manual clock: it lives in the database.
		shared, err := clock.NewShared(ctx, st, m.Now())
		if err != nil {
			st.Close()
			return nil, fmt.Errorf("shared manual clock: %w", err)
		}
		cfg.Clock = shared
	}
	if cfg.ThinClientQuotas.Environments == 0 {
		cfg.ThinClientQuotas = tcsvc.DefaultQuotas
	}
	tc, err := tcsvc.New(st, pages, cfg.ThinClientDelays, cfg.ThinClientQuotas)
	if err != nil {
		st.Close()
		return nil, err
	}
	cfg.WorkSpacesQuotas = withDefaultQuotas(cfg.WorkSpacesQuotas)
	ws, err := wssvc.New(st, pages, cfg.WorkSpacesDelays, cfg.WorkSpacesQuotas)
	if err != nil {
		st.Close()
		return nil, err
	}
	ws.SetPoolKnobs(cfg.WorkSpacesPools)
	if cfg.StrictDesktops {
		tc.CheckDesktops(ws)
	}
	clockMode := "real"
	if _, ok := cfg.Clock.(clock.Mover); ok {
		clockMode = "manual"
	}
	version, commit := BuildVersion()
	adm := admin.New(admin.Info{Version: version, Commit: commit, Services: []string{server.ServiceWorkSpaces, server.ServiceThinClient}, Store: st.Name(), DataDir: shownDataDir(cfg), Clock: clockMode}, cfg.Clock)
	adm.HandleThinClientDevices(tc)
	mgr := &state.Manager{Store: st, Parts: []state.Part{ws, tc}, Clock: cfg.Clock}
	if err := loadInit(ctx, mgr, cfg.InitFile); err != nil {
		st.Close()
		return nil, err
	}
	flt := faults.New(map[string][]*api.Operation{server.ServiceWorkSpaces: wsapi.Operations, server.ServiceThinClient: tcapi.Operations})
	jnl := journal.New(journal.DefaultSize)
	adm.SetLogger(cfg.Log)
	adm.HandleState(mgr)
	adm.HandleFaults(flt)
	adm.HandleJournal(jnl)
	adm.HandleWorkSpaces(ws)
	var ctl *postgres.Control // set below, once every endpoint is registered
	if pg != nil {
		adm.CheckStore(pg.Ping, func() any {
			return struct {
				postgres.Stats
				Control *postgres.ControlStatus `json:"control,omitempty"`
			}{pg.Stats(), ctl.Status()}
		})
	}
	adm.Handle("GET /_local/metrics", met.ServeHTTP)
	ui.New(ui.Config{Store: st, WorkSpaces: ws, ThinClient: tc, Clock: cfg.Clock, Log: cfg.Log, Admin: adm}).Register(adm.Handle)
	if pg != nil {
		// Replicas share the fault rules and the journal: they live in the database.
		if ctl, err = shareControl(ctx, pg, flt, jnl, mgr, cfg.Log); err != nil {
			st.Close()
			return nil, err
		}
	}
	h := server.New(server.Config{
		WorkSpaces: awsjson.New(wsapi.Model, wsapi.Operations, ws),
		ThinClient: restjson.New(tcapi.Operations, tc),
		Admin:      adm,
		Identity:   res,
		AdminToken: cfg.AdminToken,
		Guard:      server.Guard{CORSOrigins: cfg.CORSOrigins, AllowedHosts: allowedHosts(cfg)},
		Clock:      cfg.Clock,
		Log:        cfg.Log,
		Intercept:  flt.Intercept,
		Observers:  []server.Observer{server.RequestLog(cfg.Log), jnl, met},
	})
	return &App{cfg: cfg, store: st, h: h, state: mgr, faults: flt, journal: jnl, control: ctl}, nil
}

// shareControl keeps the fault rules and the journal in the PostgreSQL
// database, so that every replica on it applies and lists the same ones.
func shareControl(ctx context.Context, pg *postgres.DB, flt *faults.Set, jnl *journal.Ring, mgr *state.Manager, log *slog.Logger) (*postgres.Control, error) {
	ctl := pg.NewControl(log)
	flt.Share(ctl.Faults())
	ctl.Handle(postgres.TopicFaults, flt.Reload)
	jnl.Share(ctl.Journal())
	ctl.Handle(postgres.TopicJournal, jnl.Flush)
	// A reset or import on any replica: every replica forgets which scopes
	// it found indexed (an imported document may hold unindexed records).
	ctl.Handle(postgres.TopicState, func(context.Context) error { mgr.Forget(); return nil })
	mgr.Replaced = func(ctx context.Context) error { return ctl.Broadcast(ctx, postgres.TopicState) }
	if err := ctl.Start(ctx); err != nil {
		jnl.Close(ctx) //nolint:errcheck // nothing was journalled yet
		return nil, fmt.Errorf("shared fault rules and journal on --database-url: %w", err)
	}
	return ctl, nil
}

// closeStore writes the journal's last calls, leaves the replicas' shared
// control and closes the store.
func (a *App) closeStore() error {
	if a.control != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		a.journal.Close(ctx) //nolint:errcheck // best effort on the way out
		cancel()
		a.control.Close()
	}
	return a.store.Close()
}

// loadInit imports the state document at path into an empty store.
func loadInit(ctx context.Context, m *state.Manager, path string) error {
	if path == "" {
		return nil
	}
	empty, err := m.Empty(ctx)
	if err != nil || !empty {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("--init: %w", err)
	}
	defer f.Close()
	if err := m.Load(ctx, f); err != nil {
		return fmt.Errorf("--init %s: %w", path, err)
	}
	return nil
}

// State is the server's reset and state export/import.
func (a *App) State() *state.Manager { return a.state }

// Faults is the server's fault injection rule set.
func (a *App) Faults() *faults.Set { return a.faults }

// Journal is the server's request journal.
func (a *App) Journal() *journal.Ring { return a.journal }

// loopback reports whether a listen address only accepts local connections.
func loopback(addr string) bool {
	h, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if h == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.IsLoopback()
}

// shownDataDir is the data dir as the open /_local/health shows it: with the
// home directory as ~, and not at all when the admin surface is guarded (the
// server is then reachable by others).
func shownDataDir(cfg Config) string {
	if cfg.DataDir == "" || cfg.AdminToken != "" {
		return ""
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		if rel, err := filepath.Rel(home, cfg.DataDir); err == nil && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel) {
			return filepath.Join("~", rel)
		}
	}
	return filepath.Base(cfg.DataDir)
}

// allowedHosts are the configured Host names plus the listen address's
// name and the machine's host name.
func allowedHosts(cfg Config) []string {
	hosts := append([]string(nil), cfg.AllowedHosts...)
	if h, _, err := net.SplitHostPort(cfg.Addr); err == nil && h != "" {
		hosts = append(hosts, h)
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		hosts = append(hosts, h)
	}
	return hosts
}

// resolver is the SigV4 resolver of the configured auth mode.
func resolver(cfg Config) (identity.Resolver, error) {
	res := identity.Resolver{DefaultAccount: cfg.DefaultAccount, Mode: cfg.Auth}
	switch {
	case cfg.Auth == identity.ModeStrict && cfg.CredentialsFile == "":
		return res, errors.New("--auth strict needs --credentials FILE (an AWS shared-credentials file naming the keys the server accepts)")
	case cfg.Auth != identity.ModeStrict && cfg.CredentialsFile != "":
		return res, errors.New("--credentials is only used with --auth strict")
	case cfg.Auth == identity.ModeStrict:
		c, err := identity.LoadCredentials(cfg.CredentialsFile)
		if err != nil {
			return res, err
		}
		res.Credentials = c
	}
	return res, nil
}

// withDefaultQuotas gives every quota q leaves at zero its default, one by
// one (a caller that sets only Images keeps the other defaults).
func withDefaultQuotas(q wssvc.Quotas) wssvc.Quotas {
	d := wssvc.DefaultQuotas
	for _, f := range []struct {
		v   *int
		def int
	}{
		{&q.Workspaces, d.Workspaces}, {&q.Images, d.Images}, {&q.Pools, d.Pools},
		{&q.PoolSessions, d.PoolSessions}, {&q.Standby, d.Standby},
	} {
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	return q
}

// pagingKey loads the key that signs pagination tokens, creating it on first
// start, so tokens stay valid across restarts of a durable store.
func pagingKey(ctx context.Context, st store.Store) ([]byte, error) {
	k := store.Key{Kind: "server.meta", ID: "paging-key"}
	var key []byte
	err := st.Update(ctx, func(tx store.Tx) error {
		var rec struct{ Key []byte }
		err := tx.Get(ctx, k, &rec)
		if errors.Is(err, store.ErrNotFound) {
			rec.Key = make([]byte, 32)
			_, _ = rand.Read(rec.Key)
			err = tx.Create(ctx, k, rec)
		}
		key = rec.Key
		return err
	})
	return key, err
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

// URL is the endpoint URL clients point at (loopback when listening on
// every address, as in a container).
func (a *App) URL() string { return endpointURL(a.Addr()) }

func endpointURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && net.ParseIP(host).IsUnspecified() {
		return "http://" + net.JoinHostPort("127.0.0.1", port)
	}
	return "http://" + addr
}

// Serve serves until ctx is cancelled, then shuts down gracefully and closes the store.
func (a *App) Serve(ctx context.Context) error {
	// WriteTimeout bounds reading, handling and writing one request, so a
	// client that never reads its answer cannot pin it in memory (the server
	// also gives each answer server.AnswerTimeout once it is ready).
	a.srv = &http.Server{Handler: a.h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- a.srv.Serve(a.ln) }()
	select {
	case err := <-errc:
		a.closeStore()
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
	if cerr := a.closeStore(); err == nil {
		err = cerr
	}
	return err
}

// Close releases the store of an app that will not Serve (Serve closes it itself).
func (a *App) Close() error { return a.closeStore() }

// Banner is the start-up text: where the server listens, which store it
// uses (and how to wipe a durable one), and how to point each client at it.
func (a *App) Banner() string {
	version, commit := BuildVersion()
	if commit != "" {
		version += " (commit " + commit + ")"
	}
	u := a.URL()
	state := "in memory (--in-memory): nothing is written to disk; every start is empty"
	switch {
	case a.cfg.DatabaseURL != "":
		state = "PostgreSQL " + postgres.Redact(a.cfg.DatabaseURL) + ", shared by every replica on it; POST /_local/reset empties it for all"
	case !a.cfg.InMemory:
		db := filepath.Join(a.cfg.DataDir, "state.db")
		state = fmt.Sprintf(`SQLite, durable: %s
            state persists across restarts. To start empty: stop the server and
            rm %s*, or run with --in-memory, or: curl -X POST %s/_local/reset`, db, db, u)
	}
	return fmt.Sprintf(`workspaces-local %s listening on %s
  services: Amazon WorkSpaces (AWS JSON 1.1), Amazon WorkSpaces Thin Client (REST-JSON)
  store:    %s
  health:   %s/_local/health

Point clients at it (per-service endpoints: STS, S3 and the rest still go to AWS):
  export AWS_ENDPOINT_URL_WORKSPACES=%s
  export AWS_ENDPOINT_URL_WORKSPACES_THIN_CLIENT=%s
  export AWS_DISABLE_HOST_PREFIX_INJECTION=true   # else Thin Client calls go to http://api.<host>
  export AWS_ACCESS_KEY_ID=111111111111 AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  aws workspaces describe-ip-groups
  aws workspaces-thin-client list-software-sets
  # A 12-digit access key id is the account id; any other key is account %s.
  # Go (aws-sdk-go-v2):  workspaces.NewFromConfig(cfg, func(o *workspaces.Options) { o.BaseEndpoint = aws.String(%q) })
  # Go (aws-sdk-go v1):  aws.Config{Endpoint: aws.String(%q), DisableEndpointHostPrefix: aws.Bool(true)}
  # JS SDK v3:           new WorkSpacesThinClientClient({ endpoint: %q, disableHostPrefix: true })
  # One line per API call is logged at info; --log-level warn quiets it.
`, version, a.Addr(), state, u, u, u, a.cfg.DefaultAccount, u, u, u)
}
