// Package testenv starts workspaces-local in-process on 127.0.0.1:0 with the
// memory store and a manual clock, and hands tests real SDK clients:
// aws-sdk-go-v2 for WorkSpaces and aws-sdk-go v1 for Thin Client (the module
// registry reachable here does not serve aws-sdk-go-v2's thin-client module).
package testenv

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	awsv1 "github.com/aws/aws-sdk-go/aws"
	credv1 "github.com/aws/aws-sdk-go/aws/credentials"
	sessv1 "github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/app"
	"github.com/workspaces-local/workspaces-local/internal/clock"
	tcsvc "github.com/workspaces-local/workspaces-local/internal/service/thinclient"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres/pgtest"
)

// Accounts used across tests.
const (
	AccountA = "111111111111"
	AccountB = "222222222222"
	Region   = "us-east-1"
)

// Env is a running server with its clock.
type Env struct {
	App *app.App
	URL string
	// Clock is the manual clock, nil under WithRealClock.
	Clock *clock.Manual
}

// Option changes the app configuration before start.
type Option func(*app.Config)

// WithDataDir uses the durable SQLite store in dir instead of memory.
func WithDataDir(dir string) Option {
	return func(c *app.Config) { c.InMemory, c.DataDir = false, dir }
}

// WithDatabaseURL uses the PostgreSQL store at url instead of memory.
func WithDatabaseURL(url string) Option {
	return func(c *app.Config) { c.InMemory, c.DatabaseURL = false, url }
}

// EnvPostgres, set to 1, runs every in-memory Start on a fresh schema of
// the PostgreSQL server of WORKSPACES_LOCAL_TEST_DATABASE_URL instead, so
// that the integration suite checks the services on that store too
// (the tests skip when it is unreachable).
const EnvPostgres = "WORKSPACES_LOCAL_TEST_ON_POSTGRES"

// WithRealClock runs the server on the wall clock with the configured (by
// default the default) delays, for clients that poll in real time such as
// Terraform. Env.Clock is then nil and Advance must not be called.
func WithRealClock() Option {
	return func(c *app.Config) { c.Clock = clock.Real{} }
}

// Start runs the app until the test ends. The clock starts frozen at a fixed
// time and moves only through Advance (unless WithRealClock). Delays are the
// defaults unless changed.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	clk := clock.NewManual(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
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
	if cfg.InMemory && os.Getenv(EnvPostgres) == "1" {
		cfg.InMemory, cfg.DatabaseURL = false, pgtest.Schema(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatalf("start app: %v", err)
	}
	if err := a.Listen(); err != nil {
		cancel()
		t.Fatalf("listen: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	env := &Env{App: a, URL: a.URL()}
	if cfg.Clock == clock.Clock(clk) {
		env.Clock = clk
	}
	return env
}

// Advance moves the server clock forward (on PostgreSQL, the clock in the
// database too, kept equal to Env.Clock).
func (e *Env) Advance(d time.Duration) {
	e.Clock.Advance(d)
	if sh, ok := e.App.Config().Clock.(*clock.Shared); ok {
		if _, err := sh.Move(context.Background(), d, time.Time{}); err != nil {
			panic("testenv: move the shared clock: " + err.Error())
		}
	}
}

// WorkSpaces returns an aws-sdk-go-v2 WorkSpaces client acting as account in region.
func (e *Env) WorkSpaces(account, region string) *workspaces.Client {
	return workspaces.New(workspaces.Options{
		Region:           region,
		BaseEndpoint:     aws.String(e.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(account, "secret", ""),
		RetryMaxAttempts: 1,
	})
}

// ThinClient returns an aws-sdk-go v1 Thin Client client acting as account in
// region, with the api. host prefix disabled.
func (e *Env) ThinClient(account, region string) *workspacesthinclient.WorkSpacesThinClient {
	sess := sessv1.Must(sessv1.NewSession(&awsv1.Config{
		Region:                    awsv1.String(region),
		Endpoint:                  awsv1.String(e.URL),
		Credentials:               credv1.NewStaticCredentials(account, "secret", ""),
		DisableEndpointHostPrefix: awsv1.Bool(true),
		MaxRetries:                awsv1.Int(0),
	}))
	return workspacesthinclient.New(sess)
}
