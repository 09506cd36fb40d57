package faults

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/api/thinclient"
)

func testSet() *Set {
	return New(map[string][]*api.Operation{
		"workspaces": {{Name: "DescribeWorkspaces"}},
		"thinclient": {{Name: "ListDevices"}},
	})
}

func TestDefaultStatus(t *testing.T) {
	for _, tc := range []struct {
		service, code string
		want          int
	}{
		{"workspaces", "ThrottlingException", 400},
		{"thinclient", "ThrottlingException", 429},
		{"workspaces", "InternalServerException", 500},
		{"workspaces", "ServiceUnavailable", 503},
		{"workspaces", "ResourceNotFoundException", 400},
		{"thinclient", "ResourceNotFoundException", 404},
		{"thinclient", "AccessDeniedException", 403},
		{"thinclient", "ConflictException", 409},
		{"thinclient", "SomethingElse", 400},
	} {
		if got := DefaultStatus(tc.service, tc.code); got != tc.want {
			t.Errorf("DefaultStatus(%s, %s) = %d, want %d", tc.service, tc.code, got, tc.want)
		}
	}
}

func TestCountAndOrder(t *testing.T) {
	s := testSet()
	first, err := s.Add(context.Background(), Spec{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "A", Count: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(context.Background(), Spec{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "B"}); err != nil {
		t.Fatal(err)
	}
	c := &api.Call{Service: "workspaces", Operation: "DescribeWorkspaces"}
	var codes []string
	for range 3 {
		var ae api.Error
		if err := s.Intercept(context.Background(), c); errors.As(err, &ae) {
			codes = append(codes, ae.ErrorCode())
		}
	}
	if len(codes) != 3 || codes[0] != "A" || codes[1] != "A" || codes[2] != "B" {
		t.Errorf("codes = %v, want A A B", codes)
	}
	if ok, _ := s.Delete(context.Background(), first.ID); ok {
		t.Errorf("rule %s still live after its count", first.ID)
	}
	if err := s.Intercept(context.Background(), &api.Call{Service: "thinclient", Operation: "DescribeWorkspaces"}); err != nil {
		t.Errorf("a workspaces rule acted on thinclient: %v", err)
	}
}

func TestAddRefusals(t *testing.T) {
	s := testSet()
	half, two := 0.5, 2.0
	for _, sp := range []Spec{
		{Service: "s3", Operation: "DescribeWorkspaces", Error: "X"},
		{Service: "workspaces", Operation: "ListDevices", Error: "X"},
		{Service: "workspaces", Operation: "DescribeWorkspaces"},
		{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "X", Probability: &two},
		{Service: "workspaces", Operation: "DescribeWorkspaces", Latency: "0s"},
		{Service: "workspaces", Operation: "DescribeWorkspaces", Latency: "1s", Status: 500},
		{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "X", Account: "1234"},
		{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "X", Region: "US_EAST_1"},
		{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "X", Region: "us-east-9"},
		{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "X", Count: -1},
	} {
		var inv *InvalidError
		if _, err := s.Add(context.Background(), sp); !errors.As(err, &inv) || inv.Msg == "" {
			t.Errorf("Add(%+v) = %v, want an InvalidError", sp, err)
		}
	}
	if _, err := s.Add(context.Background(), Spec{Service: "thinclient", Operation: "ListDevices", Latency: "1ms", Probability: &half}); err != nil {
		t.Errorf("valid rule refused: %v", err)
	}
}

// TestDefaultStatusFollowsThinClientModel: an injected Thin Client error
// without a status gets the one its modelled exception carries, for every
// exception any operation of the model names.
func TestDefaultStatusFollowsThinClientModel(t *testing.T) {
	modelled := map[string]api.ModeledError{}
	for _, e := range []api.ModeledError{
		&thinclient.AccessDeniedException{}, &thinclient.ConflictException{},
		&thinclient.InternalServerException{}, &thinclient.ResourceNotFoundException{},
		&thinclient.ServiceQuotaExceededException{}, &thinclient.ThrottlingException{},
		&thinclient.ValidationException{},
	} {
		modelled[e.ErrorCode()] = e
	}
	for _, op := range thinclient.Operations {
		for _, code := range op.Errors {
			e, ok := modelled[code]
			if !ok {
				t.Fatalf("%s names %s, which this test does not list: add it", op.Name, code)
			}
			if got := DefaultStatus("thinclient", code); got != e.HTTPStatus() {
				t.Errorf("DefaultStatus(thinclient, %s) = %d, the model says %d", code, got, e.HTTPStatus())
			}
		}
	}
}

// fakeShared is a Shared backend in memory that two Sets share, as two
// replicas share the database; Publish reloads every Set.
type fakeShared struct {
	mu    sync.Mutex
	next  int
	rules []Rule
	sets  []*Set
	calls int // Hit calls: round trips on the API path
}

func (f *fakeShared) Insert(_ context.Context, sp Spec) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	id := "fault-" + strconv.Itoa(f.next)
	f.rules = append(f.rules, Rule{ID: id, Spec: sp})
	return id, nil
}

func (f *fakeShared) Rules(context.Context) ([]Rule, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Rule
	for _, r := range f.rules {
		if r.Count == 0 || r.Hits < r.Count {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *fakeShared) Delete(context.Context, string) (bool, error) { return false, nil }

func (f *fakeShared) Clear(context.Context) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.rules)
	f.rules = nil
	return n, nil
}

func (f *fakeShared) Hit(_ context.Context, id string) (int, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	for i := range f.rules {
		if r := &f.rules[i]; r.ID == id && (r.Count == 0 || r.Hits < r.Count) {
			r.Hits++
			return r.Hits, true, nil
		}
	}
	return 0, false, nil
}

func (f *fakeShared) Publish(ctx context.Context) error {
	for _, s := range f.sets {
		if err := s.Reload(ctx); err != nil {
			return err
		}
	}
	return nil
}

// TestSharedCount: two Sets on one backend (two replicas) see a rule added
// on either at once, and a count=3 rule acts 3 times over both, then on
// neither; the hit count is the backend's.
func TestSharedCount(t *testing.T) {
	ctx := context.Background()
	b := &fakeShared{}
	a, c := testSet(), testSet()
	for _, s := range []*Set{a, c} {
		s.Share(b)
		b.sets = append(b.sets, s)
	}
	if _, err := a.Add(ctx, Spec{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "A", Count: 3}); err != nil {
		t.Fatal(err)
	}
	call := &api.Call{Service: "workspaces", Operation: "DescribeWorkspaces"}
	hits := 0
	for i := range 8 {
		if err := []*Set{c, a}[i%2].Intercept(ctx, call); err != nil {
			hits++
		}
	}
	if hits != 3 {
		t.Errorf("a count=3 rule acted %d times over two sets", hits)
	}
	if rs, _ := c.List(ctx); len(rs) != 0 {
		t.Errorf("rules after the count: %+v", rs)
	}
	if _, err := c.Add(ctx, Spec{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "B"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Intercept(ctx, call); err == nil {
		t.Error("a rule added on one set did not act on the other")
	}
	if rs, _ := a.List(ctx); len(rs) != 1 || rs[0].Hits != 1 {
		t.Errorf("rules = %+v, want one with 1 hit", rs)
	}
	before := b.calls
	for range 5 {
		if err := c.Intercept(ctx, &api.Call{Service: "thinclient", Operation: "ListDevices"}); err != nil {
			t.Fatal(err)
		}
	}
	if b.calls != before {
		t.Errorf("calls no rule matches made %d round trips to the backend, want none", b.calls-before)
	}
}
