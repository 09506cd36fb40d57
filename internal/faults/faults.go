// Package faults is fault injection for tests: rules that make matching API
// calls fail with an error of the caller's choice, or wait first. The server
// runs Set.Intercept once a call's operation is known and before its input
// is decoded, so an injected error is written by the protocol's own error
// writer (an SDK sees the code as AWS would send it) and has no side effect.
//
// # One process or many
//
// With the memory and SQLite stores the rules live in the Set alone. With a
// store that many replicas share (store/postgres), Share gives the Set a
// Shared backend: the rules, their ids and hit counts then live there, and
// each replica's Set holds only a copy of the rules for matching, which the
// backend has it Reload whenever any replica changes them. Publish returns
// only once every live replica has reloaded, so a test may call another
// replica as soon as POST /_local/faults has answered. A call that matches
// no rule is decided on the copy (no round trip); a call a rule matches
// counts its hit in the backend first (Hit), which decides atomically
// whether a rule with a count still acts, so it acts exactly count times
// over all replicas. The probability is rolled by the replica that takes
// the call, before the hit is counted.
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
	tcapi "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
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

// Shared keeps the rules of every replica of one shared store. Its
// methods may fail when the backend cannot be reached.
type Shared interface {
	// Insert stores a new rule (its Status already resolved) and returns its id.
	Insert(ctx context.Context, sp Spec) (id string, err error)
	// Rules returns the live rules in creation order, with their hits.
	Rules(ctx context.Context) ([]Rule, error)
	// Delete removes the live rule id and reports whether it was live.
	Delete(ctx context.Context, id string) (bool, error)
	// Clear removes every rule and returns how many were live.
	Clear(ctx context.Context) (int, error)
	// Hit counts one hit of rule id unless it is gone or its count is
	// reached, atomically over all replicas. It returns the rule's hits
	// after this one, and false (no hit) when the rule no longer acts.
	Hit(ctx context.Context, id string) (hits int, ok bool, err error)
	// Publish returns once every live replica has reloaded the rules
	// (each through its Set's Reload), or a bounded wait has passed.
	Publish(ctx context.Context) error
}

// Set holds the live rules. It is safe for concurrent use.
type Set struct {
	ops    map[string]map[string]bool // service → operation names
	mu     sync.Mutex
	rules  []*rule // creation order; with a Shared backend, its copy, replaced whole by Reload
	next   int
	rand   func() float64
	shared Shared
	// reload is held through a Reload's read and swap, so that a read
	// older than another's never replaces it.
	reload sync.Mutex
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

// Share makes the set keep its rules in b (see the package comment). The
// owner of b calls Reload once the backend is ready and whenever the rules
// changed.
func (s *Set) Share(b Shared) { s.shared = b }

// Reload replaces the set's copy of the rules with the backend's.
func (s *Set) Reload(ctx context.Context) error {
	if s.shared == nil {
		return nil
	}
	s.reload.Lock()
	defer s.reload.Unlock()
	rs, err := s.shared.Rules(ctx)
	if err != nil {
		return err
	}
	parsed := make([]*rule, 0, len(rs))
	for _, r := range rs {
		p, err := s.parse(r.Spec)
		if err != nil {
			continue // inferred: a rule another version of the server accepted; it cannot act here
		}
		p.ID, p.Hits = r.ID, r.Hits
		parsed = append(parsed, p)
	}
	s.mu.Lock()
	s.rules = parsed
	s.mu.Unlock()
	return nil
}

// publish has every replica reload the rules after a change: this one
// itself too, so that it applies its own change even while it cannot hear
// the backend's notices.
func (s *Set) publish(ctx context.Context) error {
	if err := s.shared.Publish(ctx); err != nil {
		return err
	}
	return s.Reload(ctx)
}

// Add validates sp and adds it as a rule. It returns an *InvalidError for
// an unknown service or operation, an account or region that could never
// match (state.CheckScope), a probability outside 0..1, a rule with
// neither error nor latency, and other bad fields; other errors are the
// Shared backend's.
func (s *Set) Add(ctx context.Context, sp Spec) (Rule, error) {
	r, err := s.parse(sp)
	if err != nil {
		return Rule{}, err
	}
	if s.shared != nil {
		id, err := s.shared.Insert(ctx, r.Spec)
		if err != nil {
			return Rule{}, err
		}
		r.ID = id
		return r.Rule, s.publish(ctx)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	r.ID = "fault-" + strconv.Itoa(s.next)
	s.rules = append(s.rules, r)
	return r.Rule, nil
}

// parse validates sp and returns it as a rule without an id.
func (s *Set) parse(sp Spec) (*rule, error) {
	r := &rule{Rule: Rule{Spec: sp}, prob: 1}
	if err := state.CheckScope(sp.Account, sp.Region); err != nil {
		return nil, invalidf("%v", err)
	}
	ops, ok := s.ops[sp.Service]
	switch {
	case !ok:
		return nil, invalidf("service %q is unknown: use %s.", sp.Service, quoted(s.services()))
	case sp.Operation == "":
		return nil, invalidf("operation is required: the modelled operation name, e.g. DescribeWorkspaces.")
	case !ops[sp.Operation]:
		return nil, invalidf("operation %q is not an operation of %s (names are case-sensitive, as in the API reference).", sp.Operation, sp.Service)
	case sp.Error == "" && sp.Latency == "":
		return nil, invalidf("A rule needs an error, a latency, or both.")
	case sp.Error != "" && !codePattern.MatchString(sp.Error):
		return nil, invalidf("error %q is not an error code such as ThrottlingException.", sp.Error)
	case sp.Error == "" && (sp.Status != 0 || sp.Message != ""):
		return nil, invalidf("status and message need an error.")
	case sp.Status != 0 && (sp.Status < 400 || sp.Status > 599):
		return nil, invalidf("status %d is not an error status (400-599).", sp.Status)
	case sp.Count < 0:
		return nil, invalidf("count must not be negative (0 or absent: the rule lasts until deleted).")
	}
	if p := sp.Probability; p != nil {
		if !(*p >= 0 && *p <= 1) {
			return nil, invalidf("probability must be between 0 and 1.")
		}
		r.prob = *p
	}
	if sp.Latency != "" {
		d, err := time.ParseDuration(sp.Latency)
		if err != nil || d <= 0 || d > MaxLatency {
			return nil, invalidf("latency %q must be a Go duration above 0 and at most %s, such as 250ms or 2s.", sp.Latency, MaxLatency)
		}
		r.latency = d
	}
	if sp.Error != "" && sp.Status == 0 {
		r.Status = DefaultStatus(sp.Service, sp.Error)
	}
	return r, nil
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
// what AWS sends with that code for the service's protocol. Thin Client
// (REST-JSON) exceptions carry their modelled status (the generated
// ErrorStatus table); WorkSpaces (AWS JSON 1.1) models none, and sends
// every client error as 400 (inferred for the codes below, which it does
// not model).
func DefaultStatus(service, code string) int {
	rest := service == "thinclient"
	if st, ok := tcapi.ErrorStatus[code]; rest && ok {
		return st
	}
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
	return http.StatusBadRequest
}

// List returns the live rules in creation order.
func (s *Set) List(ctx context.Context) ([]Rule, error) {
	if s.shared != nil {
		return s.shared.Rules(ctx)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Rule, 0, len(s.rules))
	for _, r := range s.rules {
		out = append(out, r.Rule)
	}
	return out, nil
}

// Delete removes the rule id and reports whether it was live.
func (s *Set) Delete(ctx context.Context, id string) (bool, error) {
	if s.shared != nil {
		ok, err := s.shared.Delete(ctx, id)
		if err != nil || !ok {
			return ok, err
		}
		return true, s.publish(ctx)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.rules)
	s.rules = slices.DeleteFunc(s.rules, func(r *rule) bool { return r.ID == id })
	return len(s.rules) < n, nil
}

// Clear removes every rule and returns how many there were.
func (s *Set) Clear(ctx context.Context) (int, error) {
	if s.shared != nil {
		n, err := s.shared.Clear(ctx)
		if err != nil {
			return 0, err
		}
		return n, s.publish(ctx)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.rules)
	s.rules = nil
	return n, nil
}

// Intercept is the server's api.Call.Intercept hook: the first live rule
// (in creation order) that matches the call and wins its probability roll
// acts on it: it waits for the rule's latency, then returns its error (nil
// when it has none, and the call goes on). A rule with a count ends after
// that many hits.
func (s *Set) Intercept(ctx context.Context, c *api.Call) error {
	var r *rule
	if s.shared != nil {
		r = s.takeShared(ctx, c)
	} else {
		r = s.take(c)
	}
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
		if !s.wins(r, c) {
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

// wins reports whether r matches c and wins its probability roll.
func (s *Set) wins(r *rule, c *api.Call) bool {
	if r.Service != c.Service || r.Operation != c.Operation ||
		(r.Account != "" && r.Account != c.Account) || (r.Region != "" && r.Region != c.Region) {
		return false
	}
	return r.prob >= 1 || s.rand() < r.prob
}

// takeShared is take with a Shared backend: the first rule of the copy that
// matches c, wins its roll and still acts in the backend (Hit). A rule the
// backend says no longer acts leaves the copy (the others learn it the same
// way), and so does one this hit exhausted. A backend that cannot be
// reached counts no hit, so its rule does not act (the call's own store
// access fails the same way anyway).
func (s *Set) takeShared(ctx context.Context, c *api.Call) *rule {
	s.mu.Lock()
	rules := s.rules // Reload replaces the slice whole: this copy stays as it is
	s.mu.Unlock()
	for _, r := range rules {
		if !s.wins(r, c) {
			continue
		}
		hits, ok, err := s.shared.Hit(ctx, r.ID)
		if err != nil {
			continue
		}
		if !ok || (r.Count > 0 && hits >= r.Count) {
			s.drop(r.ID)
		}
		if ok {
			return r
		}
	}
	return nil
}

// drop removes rule id from the copy without touching the slice others may hold.
func (s *Set) drop(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = slices.DeleteFunc(slices.Clone(s.rules), func(r *rule) bool { return r.ID == id })
}
