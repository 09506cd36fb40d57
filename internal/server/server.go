// Package server is the single HTTP listener of workspaces-local: request
// id, recovery and one log line per request, then service detection and
// dispatch to the protocol codec of WorkSpaces (AWS JSON 1.1) or Thin Client
// (REST-JSON); /_local/ is the server's own namespace.
package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/identity"
	"github.com/workspaces-local/workspaces-local/internal/protocol/awsjson"
	"github.com/workspaces-local/workspaces-local/internal/protocol/restjson"
)

// DefaultMaxBodyBytes bounds request bodies. The largest request a model
// allows is an ImportClientBranding with every logo at its maximum (about
// 11.5 MB decoded, 15.4 MB in base64); it must reach the handler so the
// documented 6 MB ResourceLimitExceededException is what users see.
const DefaultMaxBodyBytes = 16 << 20

// Service names as they appear in SigV4 credential scopes.
const (
	ServiceWorkSpaces = "workspaces"
	ServiceThinClient = "thinclient"
)

// Exchange is what the server knows of one API call once it is answered:
// observers (the request log line, the journal, metrics) read it. Calls to
// /_local/ are not exchanges.
type Exchange struct {
	Time      time.Time // wall-clock arrival
	RequestID string    // the x-amzn-RequestId the client saw
	Method    string
	Path      string
	Service   string // "workspaces", "thinclient" or "" when none was detected
	Operation string // "" when the request named no known operation
	Account   string
	Region    string
	Status    int
	ErrorCode string // "" on success
	Duration  time.Duration
}

// Observer receives every answered API call. Observe runs on the request's
// goroutine once the answer is complete but before it is sent (the client
// has it only after every observer returned): it must be quick and safe for
// concurrent use.
type Observer interface {
	Observe(Exchange)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(Exchange)

// Observe calls f(e).
func (f ObserverFunc) Observe(e Exchange) { f(e) }

// Config wires the server.
type Config struct {
	WorkSpaces   *awsjson.Codec
	ThinClient   *restjson.Codec
	Admin        http.Handler
	Identity     identity.Resolver
	Clock        clock.Clock
	Log          *slog.Logger
	MaxBodyBytes int64
	// Observers see every answered API call, in order.
	Observers []Observer
	// AdminToken, when set, guards every /_local/ endpoint but health.
	AdminToken string
	// Guard refuses cross-site and DNS-rebinding requests (see Guard).
	Guard Guard
	// Intercept, when set, runs once an API call's operation is known and
	// before it is decoded (see api.Call.Intercept): fault injection.
	Intercept func(ctx context.Context, c *api.Call) error
	// AnswerTimeout bounds the time from a request read to its answer
	// written (0: AnswerTimeout).
	AnswerTimeout time.Duration
}

// Server is the http.Handler of the emulator.
type Server struct {
	cfg Config
}

// New returns the server.
func New(cfg Config) *Server {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.AnswerTimeout <= 0 {
		cfg.AnswerTimeout = AnswerTimeout
	}
	return &Server{cfg: cfg}
}

// recorder notes the status of the answer. For an API call it also holds
// the answer (hold) until the observers have seen the exchange, so that a
// client that has its answer finds the call in the journal and the metrics.
// Answers are whole byte slices already (the codecs marshal, then write).
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
	hold   bool
	buf    []byte
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	if !r.hold {
		r.ResponseWriter.WriteHeader(code)
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	if r.hold {
		r.buf = append(r.buf, b...)
		return len(b), nil
	}
	return r.ResponseWriter.Write(b)
}

// flush sends a held answer.
func (r *recorder) flush() {
	if !r.hold {
		return
	}
	r.hold = false
	if r.wrote {
		r.ResponseWriter.WriteHeader(r.status)
		_, _ = r.ResponseWriter.Write(r.buf)
	}
}

// ServeHTTP handles one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := uuid.NewString()
	w.Header().Set("x-amzn-RequestId", reqID)
	rec := &recorder{ResponseWriter: w}
	call := &api.Call{RequestID: reqID, Now: s.cfg.Clock.Now(), Intercept: s.cfg.Intercept}
	service := ""
	// /_local/ (and the landing page) is never held: its answers may stream.
	admin := isLanding(r) || isAdmin(r)
	rec.hold = !admin
	writeErr := func(err error) {
		if service == ServiceThinClient {
			restjson.WriteError(rec, call, err)
		} else {
			awsjson.WriteError(rec, call, err)
		}
	}
	defer func() {
		if p := recover(); p != nil {
			s.cfg.Log.Error("panic while serving request", "request_id", reqID, "panic", p)
			if rec.hold { // nothing sent yet: drop what the handler had written
				rec.wrote, rec.buf = false, nil
			}
			if !rec.wrote {
				writeErr(api.InternalFailure(reqID))
			}
		}
		if !rec.wrote {
			rec.status = http.StatusOK // what net/http sends for a handler that wrote nothing
		}
		if s.cfg.Log.Enabled(r.Context(), slog.LevelDebug) { // the arguments cost allocations
			s.cfg.Log.Debug("request", "request_id", reqID, "method", r.Method, "path", r.URL.EscapedPath(),
				"service", service, "operation", call.Operation, "account", call.Account, "region", call.Region,
				"status", rec.status, "error_code", call.ErrorCode, "duration", time.Since(start))
		}
		if !admin && len(s.cfg.Observers) > 0 {
			e := Exchange{Time: start, RequestID: reqID, Method: r.Method, Path: r.URL.Path, Service: service,
				Operation: call.Operation, Account: call.Account, Region: call.Region,
				Status: rec.status, ErrorCode: call.ErrorCode, Duration: time.Since(start)}
			for _, o := range s.cfg.Observers {
				o.Observe(e)
			}
		}
		rec.flush()
	}()
	if s.cfg.Guard.refuse(rec, r, call) {
		return
	}
	if admin {
		service = "local"
		if isLanding(r) { // GET / for a person: no data, so no admin token
			s.cfg.Admin.ServeHTTP(rec, r)
		} else {
			s.serveAdmin(rec, r)
		}
		return
	}
	id, authErr := s.cfg.Identity.Resolve(r)
	service = s.detect(r, id.Service)
	if authErr != nil {
		writeErr(authErr)
		return
	}
	call.Account, call.Region, call.AccessKeyID = id.Account, id.Region, id.AccessKeyID
	call.Partition = api.PartitionOf(id.Region)
	// Not Log.With(...): that allocates a logger per request; the few error
	// logs name the request id, account and region themselves (wire.AsAPIError).
	call.Log = s.cfg.Log
	call.Service = service
	if service == "" {
		writeErr(api.UnknownOperation("The request names no service this server emulates: sign it for 'workspaces' or 'thinclient', or send X-Amz-Target: WorkspacesService.<Operation>."))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(rec, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			writeErr(api.RequestTooLarge(s.cfg.MaxBodyBytes))
		} else {
			writeErr(api.SerializationError("The request body could not be read."))
		}
		return
	}
	answerDeadline(w, s.cfg.AnswerTimeout)
	if err := s.cfg.Identity.Verify(r, &id, service, body); err != nil {
		writeErr(err)
		return
	}
	// Strict mode: the credentials file may name the account.
	call.Account = id.Account
	ctx := context.WithoutCancel(r.Context()) // a write that started finishes even if the client goes away
	switch service {
	case ServiceWorkSpaces:
		s.cfg.WorkSpaces.Serve(ctx, rec, r, call, body)
	case ServiceThinClient:
		s.cfg.ThinClient.Serve(ctx, rec, r, call, body)
	}
}

// detect picks the service from the request's shape: the target header,
// then the path, then the credential scope (whose service identity.Verify
// then checks against the one detected). The Host header is ignored (clients
// may prefix api.).
func (s *Server) detect(r *http.Request, scoped string) string {
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		if s.cfg.WorkSpaces.Owns(t) {
			return ServiceWorkSpaces
		}
		return ""
	}
	if s.cfg.ThinClient.Owns(r) {
		return ServiceThinClient
	}
	switch scoped {
	case ServiceWorkSpaces, ServiceThinClient:
		return scoped
	}
	return ""
}
