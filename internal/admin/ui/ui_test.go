package ui

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tcapi "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	wsapi "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
)

func TestMember(t *testing.T) {
	var item map[string]any
	if err := json.Unmarshal([]byte(`{"A":"a","B":{"C":"c","N":3},"S":"s","T":"t"}`), &item); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"A": "a", "B.C": "c", "B.N": "", "B.X.Y": "", "missing": "", "S→T": "s → t", "S→missing": "s → ", "x→y": "",
	} {
		if got := member(item, path); got != want {
			t.Errorf("member(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestFirstItem(t *testing.T) {
	for raw, want := range map[string]map[string]any{
		`{"Workspaces":[{"WorkspaceId":"ws-1"},{"WorkspaceId":"ws-2"}],"NextToken":"x"}`: {"WorkspaceId": "ws-1"},
		`{"Workspaces":[]}`:                     nil,
		`{"environment":{"id":"e1"}}`:           {"id": "e1"},
		`{"DedicatedTenancySupport":"ENABLED"}`: {"DedicatedTenancySupport": "ENABLED"},
		`not json`:                              nil,
	} {
		if got := firstItem(json.RawMessage(raw)); !reflect.DeepEqual(got, want) {
			t.Errorf("firstItem(%s) = %v, want %v", raw, got, want)
		}
	}
}

func TestTagMap(t *testing.T) {
	if got := tagMap(json.RawMessage(`{"TagList":[{"Key":"k","Value":"v"}]}`)); !reflect.DeepEqual(got, map[string]string{"k": "v"}) {
		t.Errorf("DescribeTags: %v", got)
	}
	if got := tagMap(json.RawMessage(`{"tags":{"a":"b"}}`)); !reflect.DeepEqual(got, map[string]string{"a": "b"}) {
		t.Errorf("ListTagsForResource: %v", got)
	}
}

// Every kind's list and detail operations exist in the generated tables, so
// a renamed operation fails here rather than on the page.
func TestKindsNameRealOperations(t *testing.T) {
	u := New(Config{})
	for _, k := range kinds {
		ops := u.services[k.Service].ops
		calls := append([]call{k.List}, k.Detail("id-1", map[string]any{"arn": "arn:x"})...)
		if k.Tags != nil {
			if c, ok := k.Tags("id-1", map[string]any{"arn": "arn:x"}); ok {
				calls = append(calls, c)
			}
		}
		for _, c := range calls {
			if ops[c.Operation] == nil {
				t.Errorf("kind %s names %s, which %s does not have", k.Key, c.Operation, k.Service)
			}
		}
	}
}

// A kind whose list operation has a model paginator names the paginator's
// result and token members: Items and Next are the model's, not guesses.
func TestKindsFollowModelPaginators(t *testing.T) {
	paginators := map[string]map[string]api.Paginator{serviceWorkSpaces: wsapi.Paginators, serviceThinClient: tcapi.Paginators}
	checked := 0
	for _, k := range kinds {
		p, ok := paginators[k.Service][k.List.Operation]
		if !ok {
			continue // not paginated in the model (DescribeConnectionAliases, DescribeWorkspacesPools, ...)
		}
		checked++
		if k.Items != p.ResultKey || k.Next != p.InputToken || k.Next != p.OutputToken {
			t.Errorf("kind %s: Items %q Next %q; %s's paginator has result %q, tokens %q/%q",
				k.Key, k.Items, k.Next, k.List.Operation, p.ResultKey, p.InputToken, p.OutputToken)
		}
	}
	if checked < 8 {
		t.Errorf("only %d kinds have a model paginator: the tables were not found", checked)
	}
}

// A description whose resource is gone answers found:false whichever way the
// service says so: WorkSpaces' ResourceNotFoundException is a 400.
func TestGone(t *testing.T) {
	links, ws, acct := kindByKey("accountlinks"), kindByKey("workspaces"), kindByKey("account")
	item := map[string]any{"id": "x"}
	for _, c := range []struct {
		name string
		k    *kind
		rd   Read
		item map[string]any
		want bool
	}{
		{"WorkSpaces not found (400)", links, Read{Error: &callError{Code: "ResourceNotFoundException", Status: 400}}, nil, true},
		{"Thin Client not found (404)", kindByKey("devices"), Read{Error: &callError{Code: "ResourceNotFoundException", Status: 404}}, nil, true},
		{"other error", links, Read{Error: &callError{Code: "InvalidParameterValuesException", Status: 400}}, nil, false},
		{"empty Describe", ws, Read{}, nil, true},
		{"found", ws, Read{}, item, false},
		{"one-item kind", acct, Read{}, nil, false},
	} {
		if got := gone(c.k, c.rd, c.item); got != c.want {
			t.Errorf("%s: gone = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestScopeParams(t *testing.T) {
	for q, want := range map[string]bool{
		"account=123456789012&region=us-east-1": true,
		"account=&region=us-east-1":             false,
		"account=12345678901x&region=us-east-1": false,
		"account=123456789012&region=moon-1":    false,
	} {
		w := httptest.NewRecorder()
		_, _, ok := scopeParams(w, httptest.NewRequest("GET", "/_local/ui/api/resources?"+q, nil))
		if ok != want || (!ok && w.Code != 400) {
			t.Errorf("%s: ok %v (status %d), want %v", q, ok, w.Code, want)
		}
	}
}
