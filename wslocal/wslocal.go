// Package wslocal runs workspaces-local inside a Go test: an emulator of
// Amazon WorkSpaces and Amazon WorkSpaces Thin Client on a loopback port,
// with an in-memory store and a frozen clock the test moves, stopped when
// the test ends.
//
//	srv := wslocal.Start(t)
//	client := workspaces.New(workspaces.Options{
//		Region:       "us-east-1",
//		BaseEndpoint: aws.String(srv.URL),
//		Credentials:  credentials.NewStaticCredentialsProvider("111111111111", "x", ""),
//	})
//	// ... CreateWorkspaces, then:
//	srv.Advance(2 * time.Second) // PENDING → AVAILABLE
//
// A 12-digit access key id is the account the calls act as; the region is
// the client's. Reset, fault injection and the request journal are methods
// of Server; the same controls are served over HTTP under URL + "/_local/".
package wslocal

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/app"
	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/faults"
	"github.com/workspaces-local/workspaces-local/internal/journal"
	tcsvc "github.com/workspaces-local/workspaces-local/internal/service/thinclient"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
)

// StartTime is where the frozen clock of a Server starts unless
// WithStartTime says otherwise.
var StartTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Server is a running emulator.
type Server struct {
	// URL is the endpoint to give SDK clients, e.g. http://127.0.0.1:38123.
	URL string

	tb    testing.TB
	app   *app.App
	clock clock.Mover // nil under WithRealClock
}

// Option configures a Server. The options of this package are the ones to
// use; an Option's parameter is the server's internal configuration.
type Option func(*app.Config)

// WithDataDir keeps state in the durable SQLite store in dir instead of
// memory (a later Start with the same dir finds it again).
func WithDataDir(dir string) Option {
	return func(c *app.Config) { c.InMemory, c.DataDir = false, dir }
}

// WithRealClock runs the server on the wall clock, for clients that poll in
// real time. Advance then fails the test.
func WithRealClock() Option {
	return func(c *app.Config) { c.Clock = clock.Real{} }
}

// WithStartTime starts the frozen clock at t instead of StartTime.
func WithStartTime(t time.Time) Option {
	return func(c *app.Config) { c.Clock = clock.NewManual(t) }
}

// WithDelays sets asynchronous transition delays with the syntax of
// `serve --delays`: "workspace.create=0s,device.deregister=5s", or "zero"
// for every transition to complete at the next read. The README lists the
// names. A spec that is not valid panics with the reason, as
// regexp.MustCompile does: it is a mistake in the test.
func WithDelays(spec string) Option {
	if err := app.ParseDelays(&app.Config{}, spec); err != nil {
		panic(fmt.Sprintf("wslocal.WithDelays(%q) %v", spec, err))
	}
	return func(c *app.Config) { _ = app.ParseDelays(c, spec) }
}

// Quotas are the adjustable limits per account and region; zero fields keep
// the defaults (1,000 WorkSpaces, 40 images, 100 Thin Client environments).
type Quotas struct {
	Workspaces   int
	Images       int
	Pools        int // WorkSpaces Pools per account and region
	PoolSessions int // desired pool user sessions per account and region
	Standby      int // standby WorkSpaces per account and region
	Environments int
}

// WithQuotas sets the adjustable quotas. A negative quota panics with the
// field's name, as WithDelays does.
func WithQuotas(q Quotas) Option {
	for name, n := range map[string]int{"Workspaces": q.Workspaces, "Images": q.Images, "Pools": q.Pools,
		"PoolSessions": q.PoolSessions, "Standby": q.Standby, "Environments": q.Environments} {
		if n < 0 {
			panic(fmt.Sprintf("wslocal.WithQuotas: %s must be at least 1 (0 keeps the default), got %d", name, n))
		}
	}
	return func(c *app.Config) {
		if q.Workspaces > 0 {
			c.WorkSpacesQuotas.Workspaces = q.Workspaces
		}
		if q.Images > 0 {
			c.WorkSpacesQuotas.Images = q.Images
		}
		if q.Pools > 0 {
			c.WorkSpacesQuotas.Pools = q.Pools
		}
		if q.PoolSessions > 0 {
			c.WorkSpacesQuotas.PoolSessions = q.PoolSessions
		}
		if q.Standby > 0 {
			c.WorkSpacesQuotas.Standby = q.Standby
		}
		if q.Environments > 0 {
			c.ThinClientQuotas.Environments = q.Environments
		}
	}
}

// WithDefaultAccount sets the account of access keys that are not 12-digit
// ids (default 000000000000). An account that is not 12 digits panics, as
// WithDelays does.
func WithDefaultAccount(account string) Option {
	if len(account) != 12 || strings.Trim(account, "0123456789") != "" {
		panic(fmt.Sprintf("wslocal.WithDefaultAccount: %q is not a 12-digit account id", account))
	}
	return func(c *app.Config) { c.DefaultAccount = account }
}

// WithStrictDesktops makes Thin Client refuse a WorkSpaces desktopArn whose
// directory is not registered in the emulated WorkSpaces service.
func WithStrictDesktops() Option {
	return func(c *app.Config) { c.StrictDesktops = true }
}

// WithInitFile loads a state document (GET /_local/state, Server.ExportState)
// at start when the store holds no state.
func WithInitFile(path string) Option {
	return func(c *app.Config) { c.InitFile = path }
}

// WithLogger sends the server's structured logs to l (default: discarded,
// or stderr at debug level when WSL_TEST_LOG is set).
func WithLogger(l *slog.Logger) Option {
	return func(c *app.Config) { c.Log = l }
}

// Start runs a server until the test ends. By default it has the memory
// store, listens on 127.0.0.1 on a free port, uses the default delays and a
// frozen clock starting at StartTime that moves only through Advance.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	clk := clock.NewManual(StartTime)
	level := slog.LevelError + 4 // silent unless WSL_TEST_LOG is set
	if os.Getenv("WSL_TEST_LOG") != "" {
		level = slog.LevelDebug
	}
	cfg := app.Config{
		Addr: "127.0.0.1:0", InMemory: true, Clock: clk,
		WorkSpacesDelays: wssvc.DefaultDelays,
		ThinClientDelays: tcsvc.DefaultDelays,
		ShutdownGrace:    200 * time.Millisecond,
		Log:              slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
	}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg)
	if err != nil {
		cancel()
		tb.Fatalf("wslocal: start: %v", err)
	}
	if err := a.Listen(); err != nil {
		cancel()
		tb.Fatalf("wslocal: listen: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("wslocal: serve: %v", err)
		}
	})
	s := &Server{URL: a.URL(), tb: tb, app: a}
	s.clock, _ = a.Config().Clock.(clock.Mover)
	return s
}

// App is the running server's internals, for this repository's own tests.
func (s *Server) App() *app.App { return s.app }

// Now is the server clock.
func (s *Server) Now() time.Time { return s.app.Config().Clock.Now() }

// Advance moves the frozen clock forward by d (asynchronous states move
// with it). It fails the test under WithRealClock.
func (s *Server) Advance(d time.Duration) {
	s.tb.Helper()
	if s.clock == nil {
		s.tb.Fatalf("wslocal: Advance needs the frozen clock; the server runs WithRealClock")
		return
	}
	if _, err := s.clock.Move(context.Background(), d, time.Time{}); err != nil {
		s.tb.Fatalf("wslocal: Advance: %v", err)
	}
}

// Reset deletes every resource of every account and region, as POST
// /_local/reset does. Fault rules and the journal stay (ClearFaults,
// ClearRequests).
func (s *Server) Reset() { s.ResetScope("", "") }

// ResetScope deletes every resource of one account and/or region ("" is
// any), with what is kept for it beyond its own records: name reservations,
// idempotency tokens, activation codes, quotas in use.
func (s *Server) ResetScope(account, region string) {
	s.tb.Helper()
	if err := s.app.State().Reset(context.Background(), account, region); err != nil {
		s.tb.Fatalf("wslocal: reset: %v", err)
	}
}

// ExportState writes the whole state as the versioned JSON document of
// GET /_local/state.
func (s *Server) ExportState(w io.Writer) error {
	return s.app.State().Export(context.Background(), w)
}

// ImportState replaces the whole state with a document ExportState (or
// GET /_local/state) wrote. A document that is not valid changes nothing.
func (s *Server) ImportState(r io.Reader) error {
	return s.app.State().Load(context.Background(), r)
}

// Fault is a fault-injection rule, with the members of POST /_local/faults.
type Fault = faults.Spec

// InjectFault adds a rule and returns its id; an invalid rule fails the test.
func (s *Server) InjectFault(f Fault) string {
	s.tb.Helper()
	r, err := s.app.Faults().Add(context.Background(), f)
	if err != nil {
		s.tb.Fatalf("wslocal: fault: %v", err)
	}
	return r.ID
}

// Faults lists the live rules with their hit counts.
func (s *Server) Faults() []FaultRule {
	rs, err := s.app.Faults().List(context.Background())
	if err != nil {
		s.tb.Fatalf("wslocal: faults: %v", err)
	}
	return rs
}

// FaultRule is a live rule.
type FaultRule = faults.Rule

// ClearFaults removes every rule.
func (s *Server) ClearFaults() {
	if _, err := s.app.Faults().Clear(context.Background()); err != nil {
		s.tb.Fatalf("wslocal: faults: %v", err)
	}
}

// Request is one answered API call in the journal.
type Request = journal.Entry

// Requests returns the journal's calls, newest first (the last 1,000 are kept).
func (s *Server) Requests() []Request {
	es, err := s.app.Journal().Entries(context.Background(), journal.Filter{})
	if err != nil {
		s.tb.Fatalf("wslocal: requests: %v", err)
	}
	return es
}

// ClearRequests empties the journal.
func (s *Server) ClearRequests() {
	if err := s.app.Journal().Clear(context.Background()); err != nil {
		s.tb.Fatalf("wslocal: requests: %v", err)
	}
}
