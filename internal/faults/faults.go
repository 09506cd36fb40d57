// Package faults is fault injection for tests: rules that make matching API
// calls fail with an error of the caller's choice, or wait first. The server
// runs Set.Intercept once a call's operation is known and before its input
// is decoded, so an injected error is written by the protocol's own error
// writer (an SDK sees the code as AWS would send it) and has no side effect.
package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/state"
)

// MaxLatency bounds an injected delay (inferred: long enough to trip any
// client timeout a test sets, short enough not to hang a suite).
const MaxLatency = 5 * time.Minute

// Spec is a rule as POST /_local/faults receives it.
type Spec struct {
	Service     string   `json:"service"`
	Operation   string   `json:"operation"`
	Account     string   `json:"account,omitempty"`
	Region      string   `json:"region,omitempty"`
	Error       string   `json:"error,omitempty"`
	Status      int      `json:"status,omitempty"`
	Message     string   `json:"message,omitempty"`
	Count       int      `json:"count,omitempty"`
	Probability *float64 `json:"probability,omitempty"`
	Latency     string   `json:"latency,omitempty"`
}

// Rule is a live rule as GET /_local/faults lists it.
type Rule struct {
	ID string `json:"id"`
	Spec
	// Hits counts the calls the rule has acted on.
	Hits int `json:"hits"`
}

// InvalidError is a Spec that cannot be a rule; its message names the field.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

func invalidf(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...)}
}

// rule is a live rule with its parsed fields.
type rule struct {
	Rule
	latency time.Duration
	prob    float64
}

// Set holds the live rules. It is safe for concurrent use.
type Set struct {
	ops   map[string]map[string]bool // service → operation names
	mu    sync.Mutex
	rules []*rule // creation order
	next  int
	rand  func() float64
}

// New returns an empty set for the given operation tables, keyed by the
// service names of SigV4 scopes ("workspaces", "thinclient").
func New(tables map[string][]*api.Operation) *Set {
	s := &Set{ops: map[string]map[string]bool{}, rand: rand.Float64}
	for svc, ops := range tables {
		names := map[string]bool{}
		for _, op := range ops {
			names[op.Name] = true
		}
		s.ops[svc] = names
	}
	return s
}

var codePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9.:_-]{0,127}$`)

// Add validates sp and adds it as a rule. It returns an *InvalidError for
// an unknown service or operation, an account or region that could never
// match (state.CheckScope), a probability outside 0..1, a rule with
// neither error nor latency, and other bad fields.
func (s *Set) Add(sp Spec) (Rule, error) {
	r := &rule{Rule: Rule{Spec: sp}, prob: 1}
	if err := state.CheckScope(sp.Account, sp.Region); err != nil {
		return Rule{}, invalidf("%v", err)
	}
	ops, ok := s.ops[sp.Service]
	switch {
	case !ok:
		return Rule{}, invalidf("service %q is unknown: use %s.", sp.Service, quoted(s.services()))
	case sp.Operation == "":
		return Rule{}, invalidf("operation is required: the modelled operation name, e.g. DescribeWorkspaces.")
	case !ops[sp.Operation]:
		return Rule{}, invalidf("operation %q is not an operation of %s (names are case-sensitive, as in the API reference).", sp.Operation, sp.Service)
	case sp.Error == "" && sp.Latency == "":
		return Rule{}, invalidf("A rule needs an error, a latency, or both.")
	case sp.Error != "" && !codePattern.MatchString(sp.Error):
		return Rule{}, invalidf("error %q is not an error code such as ThrottlingException.", sp.Error)
	case sp.Error == "" && (sp.Status != 0 || sp.Message != ""):
		return Rule{}, invalidf("status and message need an error.")
	case sp.Status != 0 && (sp.Status < 400 || sp.Status > 599):
		return Rule{}, invalidf("status %d is not an error status (400-599).", sp.Status)
	case sp.Count < 0:
		return Rule{}, invalidf("count must be positive (0 or absent: the rule lasts until deleted).")
	}
	if p := sp.Probability; p != nil {
		if !(*p >= 0 && *p <= 1) {
			return Rule{}, invalidf("probability must be between 0 and 1.")
		}
		r.prob = *p
	}
	if sp.Latency != "" {
		d, err := time.ParseDuration(sp.Latency)
		if err != nil || d <= 0 || d > MaxLatency {
			return Rule{}, invalidf("latency %q must be a Go duration above 0 and at most %s, such as 250ms or 2s.", sp.Latency, MaxLatency)
		}
		r.latency = d
	}
	if sp.Error != "" && sp.Status == 0 {
		r.Status = DefaultStatus(sp.Service, sp.Error)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	r.ID = "fault-" + strconv.Itoa(s.next)
	s.rules = append(s.rules, r)
	return r.Rule, nil
}

func (s *Set) services() []string {
	var out []string
	for svc := range s.ops {
		out = append(out, svc)
	}
	slices.Sort(out)
	return out
}

func quoted(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " or "
		}
		out += strconv.Quote(s)
	}
	return out
}

// DefaultStatus is the HTTP status of an injected error without one:
// what AWS sends with that code for the service's protocol (inferred where
// the service does not model the code).
func DefaultStatus(service, code string) int {
	rest := service == "thinclient" // REST-JSON: modelled exceptions carry their own status
	switch code {
	case "ThrottlingException", "Throttling", "TooManyRequestsException":
		if rest {
			return http.StatusTooManyRequests
		}
		return http.StatusBadRequest // AWS JSON 1.1 services send throttles as 400
	case "InternalServerException", "InternalFailure", "InternalServerError", "InternalError":
		return http.StatusInternalServerError
	case "ServiceUnavailable", "ServiceUnavailableException":
		return http.StatusServiceUnavailable
	case "RequestTimeout", "RequestTimeoutException":
		return http.StatusRequestTimeout
	}
	if rest {
		switch code {
		case "AccessDeniedException":
			return http.StatusForbidden
		case "ResourceNotFoundException":
			return http.StatusNotFound
		case "ConflictException":
			return http.StatusConflict
		case "ServiceQuotaExceededException":
			return http.StatusPaymentRequired
		}
	}
	return http.StatusBadRequest
}

// List returns the live rules in creation order.
func (s *Set) List() []Rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Rule, 0, len(s.rules))
	for _, r := range s.rules {
		out = append(out, r.Rule)
	}
	return out
}

// Delete removes the rule id and reports whether it was live.
func (s *Set) Delete(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.rules)
	s.rules = slices.DeleteFunc(s.rules, func(r *rule) bool { return r.ID == id })
	return len(s.rules) < n
}

// Clear removes every rule and returns how many there were.
func (s *Set) Clear() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.rules)
	s.rules = nil
	return n
}

// Intercept is the server's api.Call.Intercept hook: the first live rule
// (in creation order) that matches the call and wins its probability roll
// acts on it: it waits for the rule's latency, then returns its error (nil
// when it has none, and the call goes on). A rule with a count ends after
// that many hits.
func (s *Set) Intercept(ctx context.Context, c *api.Call) error {
	r := s.take(c)
	if r == nil {
		return nil
	}
	if r.latency > 0 {
		t := time.NewTimer(r.latency)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	if r.Error == "" {
		return nil
	}
	msg := r.Message
	if msg == "" {
		msg = fmt.Sprintf("Injected by workspaces-local fault rule %s.", r.ID)
	}
	return &api.CommonError{Code: r.Error, Message: msg, Status: r.Status}
}

// take finds the rule that acts on c and counts the hit.
func (s *Set) take(c *api.Call) *rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.rules {
		if r.Service != c.Service || r.Operation != c.Operation ||
			(r.Account != "" && r.Account != c.Account) || (r.Region != "" && r.Region != c.Region) {
			continue
		}
		if r.prob < 1 && s.rand() >= r.prob {
			continue
		}
		r.Hits++
		if r.Count > 0 && r.Hits >= r.Count {
			s.rules = slices.Delete(s.rules, i, i+1)
		}
		return r
	}
	return nil
}
