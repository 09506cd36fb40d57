// Package testenv starts workspaces-local in-process through the public
// embedding package wslocal (memory store, 127.0.0.1:0, frozen clock, every
// store Update function run twice to prove it re-runnable) and
// hands tests real SDK clients: aws-sdk-go-v2 for WorkSpaces and aws-sdk-go
// v1 for Thin Client (the module registry reachable here does not serve
// aws-sdk-go-v2's thin-client module).
package testenv

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	awsv1 "github.com/aws/aws-sdk-go/aws"
	credv1 "github.com/aws/aws-sdk-go/aws/credentials"
	sessv1 "github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/app"
	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres/pgtest"
	"github.com/workspaces-local/workspaces-local/wslocal"
)

// Accounts used across tests.
const (
	AccountA = "111111111111"
	AccountB = "222222222222"
	Region   = "us-east-1"
)

// Env is a running server with its clock.
type Env struct {
	*wslocal.Server
	App *app.App
	// Clock is the frozen clock (on PostgreSQL the one kept in the
	// database), nil under WithRealClock.
	Clock clock.Clock
}

// Option changes the app configuration before start: a wslocal option or
// any func(*app.Config).
type Option = wslocal.Option

// WithDataDir uses the durable SQLite store in dir instead of memory.
func WithDataDir(dir string) Option { return wslocal.WithDataDir(dir) }

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
func WithRealClock() Option { return wslocal.WithRealClock() }

// Start runs the app until the test ends (wslocal.Start). Every store
// Update function runs twice, the first run rolled back (app.Config
// RerunUpdates), so that the suite proves each one re-runnable.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	opts = append([]Option{func(c *app.Config) { c.RerunUpdates = true }}, opts...)
	if os.Getenv(EnvPostgres) == "1" {
		opts = append(opts, func(c *app.Config) {
			if c.InMemory {
				c.InMemory, c.DatabaseURL = false, pgtest.Schema(t)
			}
		})
	}
	s := wslocal.Start(t, opts...)
	env := &Env{Server: s, App: s.App()}
	if m, ok := s.App().Config().Clock.(clock.Mover); ok {
		env.Clock = m
	}
	return env
}

// WorkSpaces returns an aws-sdk-go-v2 WorkSpaces client acting as account in
// region, retrying nothing the server answered (onlyLostAnswers).
func (e *Env) WorkSpaces(account, region string) *workspaces.Client {
	return WorkSpacesAt(e.URL, account, region)
}

// WorkSpacesAt is Env.WorkSpaces for a server at url that this process did not start.
func WorkSpacesAt(url, account, region string) *workspaces.Client {
	return workspaces.New(workspaces.Options{
		Region:       region,
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider(account, "secret", ""),
		Retryer:      onlyLostAnswers(),
	})
}

// onlyLostAnswers is a retryer that retries nothing the server answered:
// every API error reaches the test at the first attempt. It retries (twice,
// at once) only a response whose body could not be read because the
// client's connection was closed under it, which CI has shown a few times
// on a loaded machine and never reproduced otherwise (see the issue 12-19
// closing note).
func onlyLostAnswers() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 3
		o.RateLimiter = ratelimit.None
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		o.Retryables = []retry.IsErrorRetryable{retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
			if errors.Is(err, net.ErrClosed) {
				return aws.TrueTernary
			}
			return aws.FalseTernary
		})}
	})
}

// ThinClient returns an aws-sdk-go v1 Thin Client client acting as account in
// region, with the api. host prefix disabled and retries off.
func (e *Env) ThinClient(account, region string) *workspacesthinclient.WorkSpacesThinClient {
	return ThinClientAt(e.URL, account, region)
}

// ThinClientAt is Env.ThinClient for a server at url that this process did not start.
func ThinClientAt(url, account, region string) *workspacesthinclient.WorkSpacesThinClient {
	sess := sessv1.Must(sessv1.NewSession(&awsv1.Config{
		Region:                    awsv1.String(region),
		Endpoint:                  awsv1.String(url),
		Credentials:               credv1.NewStaticCredentials(account, "secret", ""),
		DisableEndpointHostPrefix: awsv1.Bool(true),
		MaxRetries:                awsv1.Int(0),
	}))
	return workspacesthinclient.New(sess)
}
