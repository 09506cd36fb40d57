package replica

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	awsmw "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/smithy-go"
)

// faultRules is GET /_local/faults.
type faultRules struct {
	Faults []struct {
		ID   string `json:"id"`
		Hits int    `json:"hits"`
	} `json:"faults"`
}

// journalEntries is GET /_local/requests.
type journalEntries struct {
	Requests []struct {
		RequestID string `json:"requestId"`
		Operation string `json:"operation"`
	} `json:"requests"`
}

// describeCode calls DescribeWorkspaces on r with the SDK's retries off and
// returns the error code ("" on success).
func describeCode(t *testing.T, r *replica) string {
	t.Helper()
	_, err := r.ws(acct).DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{}, func(o *workspaces.Options) { o.RetryMaxAttempts = 1 })
	var ae smithy.APIError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ae):
		return ae.ErrorCode()
	}
	t.Fatalf("DescribeWorkspaces on %s: %v", r.URL, err)
	return ""
}

const injected = `{"service":"workspaces","operation":"DescribeWorkspaces","error":"InjectedException"%s}`

// A fault added on A acts on the very next call on B; a count=3 rule acts
// exactly 3 times over calls spread on A, B and C; every replica lists the
// same rules and hits; DELETE on C removes a rule on A.
func TestFaultsAcrossReplicas(t *testing.T) {
	rs, _ := startN(t, 3)
	a, b, c := rs[0], rs[1], rs[2]
	var rule struct{ ID string }
	start := time.Now()
	if code := a.admin(t, "POST", "/_local/faults", fmt.Sprintf(injected, ""), &rule); code != 201 {
		t.Fatalf("POST /_local/faults = %d", code)
	}
	t.Logf("POST /_local/faults answered in %s (three replicas acknowledged)", time.Since(start).Round(time.Microsecond))
	if code := describeCode(t, b); code != "InjectedException" {
		t.Errorf("next call on B after a fault added on A: code %q, want InjectedException", code)
	}
	for _, r := range rs {
		var got faultRules
		r.adminGet(t, "/_local/faults", &got)
		if len(got.Faults) != 1 || got.Faults[0].ID != rule.ID || got.Faults[0].Hits != 1 {
			t.Errorf("GET /_local/faults on %s = %+v, want %s with 1 hit", r.URL, got, rule.ID)
		}
	}
	// /_local/reset empties the state, not the rules (as on one server).
	if code := b.admin(t, "POST", "/_local/reset", "", nil); code != 200 {
		t.Fatalf("POST /_local/reset = %d", code)
	}
	var kept faultRules
	if a.adminGet(t, "/_local/faults", &kept); len(kept.Faults) != 1 {
		t.Errorf("rules after /_local/reset: %+v", kept)
	}
	if code := c.admin(t, "DELETE", "/_local/faults/"+rule.ID, "", nil); code != 200 {
		t.Fatalf("DELETE /_local/faults/%s on C = %d", rule.ID, code)
	}
	if code := describeCode(t, a); code != "" {
		t.Errorf("next call on A after the rule was deleted on C: code %q", code)
	}

	if code := b.admin(t, "POST", "/_local/faults", fmt.Sprintf(injected, `,"count":3`), nil); code != 201 {
		t.Fatalf("POST /_local/faults = %d", code)
	}
	faulted := 0
	for i := range 12 {
		if describeCode(t, rs[i%3]) == "InjectedException" {
			faulted++
		}
	}
	if faulted != 3 {
		t.Errorf("a count=3 rule acted %d times over 12 calls spread on three replicas", faulted)
	}
	var left faultRules
	c.adminGet(t, "/_local/faults", &left)
	if len(left.Faults) != 0 {
		t.Errorf("rules after the count was spent: %+v", left)
	}
}

// Calls answered by A and B are all listed by C right after; DELETE on A
// clears the journal of B.
func TestJournalAcrossReplicas(t *testing.T) {
	rs, _ := startN(t, 3)
	a, b, c := rs[0], rs[1], rs[2]
	want := map[string]bool{} // request ids
	for i := range 6 {
		r := []*replica{a, b}[i%2]
		out, err := r.ws(acct).DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{})
		if err != nil {
			t.Fatal(err)
		}
		id, _ := awsmw.GetRequestIDMetadata(out.ResultMetadata)
		want[id] = true
	}
	var got journalEntries
	start := time.Now()
	if code := c.admin(t, "GET", "/_local/requests?operation=DescribeIpGroups", "", &got); code != 200 {
		t.Fatalf("GET /_local/requests = %d", code)
	}
	t.Logf("GET /_local/requests answered in %s (three replicas flushed)", time.Since(start).Round(time.Microsecond))
	for _, e := range got.Requests {
		delete(want, e.RequestID)
	}
	if len(got.Requests) != 6 || len(want) != 0 {
		t.Errorf("C lists %d DescribeIpGroups calls answered by A and B, want 6; missing request ids %v", len(got.Requests), want)
	}
	if code := a.admin(t, "DELETE", "/_local/requests", "", nil); code != 200 {
		t.Fatalf("DELETE /_local/requests = %d", code)
	}
	got = journalEntries{}
	b.adminGet(t, "/_local/requests", &got)
	if len(got.Requests) != 0 {
		t.Errorf("B lists %d calls after DELETE on A", len(got.Requests))
	}
	// The next call is journalled again, once.
	if _, err := b.ws(acct).DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{}); err != nil {
		t.Fatal(err)
	}
	got = journalEntries{}
	a.adminGet(t, "/_local/requests", &got)
	if len(got.Requests) != 1 || got.Requests[0].Operation != "DescribeIpGroups" {
		t.Errorf("A lists %+v after one call on B", got)
	}
}

// After kill -9 of one replica, admin calls on the others answer within the
// lease (a few seconds), log the replica that did not acknowledge, and the
// rules still reach the live replicas.
func TestControlAfterKillingAReplica(t *testing.T) {
	rs, _ := startN(t, 3)
	a, b, dead := rs[0], rs[1], rs[2]
	var health struct {
		StoreStats struct {
			Control struct {
				Replica   string `json:"replica"`
				Listening bool   `json:"listening"`
			} `json:"control"`
		} `json:"storeStats"`
	}
	dead.admin(t, "GET", "/_local/health", "", &health)
	id := health.StoreStats.Control.Replica
	if id == "" || !health.StoreStats.Control.Listening {
		t.Errorf("health of a replica: %+v, want its replica id, listening", health)
	}
	if err := dead.cmd.Process.Kill(); err != nil { // SIGKILL: no chance to leave the replica table
		t.Fatal(err)
	}
	<-dead.done
	for i, call := range []struct{ method, path, body string }{
		{"POST", "/_local/faults", fmt.Sprintf(injected, "")},
		{"GET", "/_local/requests", ""},
		{"DELETE", "/_local/faults", ""},
		{"POST", "/_local/faults", fmt.Sprintf(injected, "")},
	} {
		start := time.Now()
		code := []*replica{a, b}[i%2].admin(t, call.method, call.path, call.body, nil)
		d := time.Since(start)
		// The server gives up on a dead replica after its lease (4s) plus a
		// second; the bound catches a wait for ever, not a speed, and leaves
		// room for a loaded machine (speeds are measured in bench).
		if code >= 300 || d > 15*time.Second {
			t.Errorf("%s %s after a kill -9 = %d in %s, want an answer within the lease", call.method, call.path, code, d)
		}
		t.Logf("%s %s after a kill -9: %d in %s", call.method, call.path, code, d.Round(time.Millisecond))
	}
	if code := describeCode(t, b); code != "InjectedException" {
		t.Errorf("next call on B after a fault added on B with a replica dead: code %q", code)
	}
	if logs := a.stderr() + b.stderr(); !strings.Contains(logs, "did not acknowledge") || !strings.Contains(logs, id) {
		t.Errorf("no replica logged %s, the one that did not acknowledge:\nA: %s\nB: %s", id, a.stderr(), b.stderr())
	}
}
