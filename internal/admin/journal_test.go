package admin

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/journal"
	"github.com/workspaces-local/workspaces-local/internal/server"
)

// TestJournalQuery: the journal's filters are read, and a parameter it does
// not have (a misspelt filter would otherwise list every call) is refused.
func TestJournalQuery(t *testing.T) {
	h := New(Info{}, clock.Real{})
	j := journal.New(10)
	j.Observe(server.Exchange{Operation: "DescribeWorkspaces", Account: "111111111111", Status: 200})
	j.Observe(server.Exchange{Operation: "CreateWorkspaces", Account: "111111111111", Status: 400})
	h.HandleJournal(j)
	for query, want := range map[string]string{
		"?operation=CreateWorkspaces&status=400&limit=5&account=111111111111": `"operation":"CreateWorkspaces"`,
		"?opration=CreateWorkspaces":                                          `Unknown query parameter \"opration\"`,
		"?region=us-east-1":                                                   `Unknown query parameter \"region\"`,
		"?limit=-1":                                                           "limit must be a non-negative integer",
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/_local/requests"+query, nil))
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("GET /_local/requests%s = %d %s, want %s", query, w.Code, w.Body.String(), want)
		}
		if strings.Contains(query, "opration") && (w.Code != 400 || strings.Contains(w.Body.String(), "DescribeWorkspaces")) {
			t.Errorf("GET /_local/requests%s = %d %s, want 400", query, w.Code, w.Body.String())
		}
	}
}
