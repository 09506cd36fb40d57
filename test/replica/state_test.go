package replica

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"
)

// TestImportIsSeenThroughIndexesOnEveryReplica: replica A has learnt that
// an account's indexes are built; replica B imports a state document whose
// records carry no index (one written by hand, say). A must forget what it
// learnt and find the imported WorkSpace through a filter, as B does.
func TestImportIsSeenThroughIndexesOnEveryReplica(t *testing.T) {
	rs, _ := startN(t, 2, "--delays", "zero")
	a, b := rs[0], rs[1]
	const acct, dir, rare = "111122223333", "d-926722edaf", "wsb-bh8rsxt14"
	wa := a.ws(acct)
	if _, err := wa.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)}); err != nil {
		t.Fatal(err)
	}
	cw, err := wa.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{
		{DirectoryId: aws.String(dir), UserName: aws.String("alice"), BundleId: aws.String("wsb-0zsvgp8fc")},
		{DirectoryId: aws.String(dir), UserName: aws.String("bob"), BundleId: aws.String("wsb-0zsvgp8fc")},
		{DirectoryId: aws.String(dir), UserName: aws.String("carol"), BundleId: aws.String(rare)}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range cw.FailedRequests {
		t.Fatalf("CreateWorkspaces failed: %s: %s", aws.ToString(f.ErrorCode), aws.ToString(f.ErrorMessage))
	}
	// A sparse bundle filter with a page of one: the first records read do
	// not match, so it is answered from the bundle's index.
	byBundle := func(r *replica) int {
		out, err := r.ws(acct).DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{BundleId: aws.String(rare), Limit: aws.Int32(1)})
		if err != nil {
			t.Fatalf("DescribeWorkspaces on %s: %v", r.URL, err)
		}
		return len(out.Workspaces)
	}
	if n := byBundle(a); n != 1 {
		t.Fatalf("A lists %d WorkSpaces of the rare bundle before the import, want 1", n)
	}

	var doc map[string]json.RawMessage
	if code := b.admin(t, http.MethodGet, "/_local/state", "", &doc); code != http.StatusOK {
		t.Fatalf("GET /_local/state = %d", code)
	}
	var recs []map[string]json.RawMessage
	if err := json.Unmarshal(doc["records"], &recs); err != nil {
		t.Fatal(err)
	}
	kept := recs[:0]
	for _, r := range recs {
		var kind string
		json.Unmarshal(r["kind"], &kind) //nolint:errcheck // a record without one is kept
		if !strings.HasPrefix(kind, "workspaces.ix.") && kind != "workspaces.indexed" {
			kept = append(kept, r)
		}
	}
	if len(kept) == len(recs) {
		t.Fatal("the export holds no index records to leave out")
	}
	doc["records"], _ = json.Marshal(kept)
	body, _ := json.Marshal(doc)
	if code := b.admin(t, http.MethodPut, "/_local/state", string(body), nil); code != http.StatusOK && code != http.StatusNoContent {
		t.Fatalf("PUT /_local/state = %d", code)
	}
	// A first: B's own next filter would rebuild the indexes for both.
	if n := byBundle(a); n != 1 {
		t.Errorf("A lists %d WorkSpaces of the rare bundle after B's import, want 1 (A kept believing the account was indexed)", n)
	}
	if n := byBundle(b); n != 1 {
		t.Errorf("B lists %d WorkSpaces of the rare bundle after the import, want 1", n)
	}
}
