package app_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzStateImport feeds arbitrary documents to PUT /_local/state of a
// server holding some state, and requires that no input corrupts the store:
// every answer is 200 or 400; after a 400 the state is exactly what it was;
// after a 200 the lists of both services answer without a 5xx, the state
// exports, and re-importing that export is accepted
// and gives it back unchanged.
func FuzzStateImport(f *testing.F) {
	h := fuzzApp(f)
	call := func(method, path, target, service, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Host = "localhost" // httptest's example.com is refused (DNS rebinding guard)
		if service != "" {
			r.Header.Set("Authorization", auth(service))
			r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		}
		if target != "" {
			r.Header.Set("X-Amz-Target", "WorkspacesService."+target)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for _, c := range []struct{ target, body string }{
		{"CreateIpGroup", `{"GroupName":"g","UserRules":[{"ipRule":"10.0.0.0/8"}],"Tags":[{"Key":"k","Value":"v"}]}`},
		{"RegisterWorkspaceDirectory", `{"DirectoryId":"d-0123456789"}`},
		{"CreateConnectionAlias", `{"ConnectionString":"www.example.com"}`},
		{"CreateWorkspaces", `{"Workspaces":[{"DirectoryId":"d-0123456789","UserName":"u","BundleId":"wsb-bh8rsxt14"}]}`},
	} {
		if w := call("POST", "/", c.target, "workspaces", c.body); w.Code != 200 {
			f.Fatalf("%s: %d %s", c.target, w.Code, w.Body)
		}
	}
	if w := call("POST", "/environments", "", "thinclient", `{"desktopArn":"arn:aws:workspaces:us-east-1:111111111111:directory/d-0123456789"}`); w.Code != 201 {
		f.Fatalf("CreateEnvironment: %d %s", w.Code, w.Body)
	}
	export := func(t testing.TB) string {
		w := call("GET", "/_local/state", "", "", "")
		if w.Code != 200 {
			t.Fatalf("GET /_local/state: %d %s", w.Code, w.Body)
		}
		return w.Body.String()
	}
	baseline := export(f)
	f.Add(baseline)
	f.Add(`{"format":"workspaces-local-state","version":1,"clock":"2026-01-02T03:04:05Z","records":[]}`)
	f.Add(`{"format":"workspaces-local-state","version":1,"records":[{"kind":"workspaces.ipgroup","account":"111111111111","region":"us-east-1","id":"wsipg-000000000","seq":3,"value":{"groupId":"wsipg-000000000"}}]}`)
	f.Add(strings.Replace(baseline, `"seq":2`, `"seq":3`, 1))
	f.Add(strings.Replace(baseline, `"value":{`, `"value":[{`, 1))
	f.Add(baseline[:len(baseline)/2])
	f.Fuzz(func(t *testing.T, doc string) {
		before := export(t)
		w := call("PUT", "/_local/state", "", "", doc)
		switch w.Code {
		case http.StatusBadRequest:
			if after := export(t); after != before {
				t.Fatalf("a refused import (%s) changed the state", w.Body)
			}
		case http.StatusOK:
			// The imported state is readable: no list answers 5xx.
			for _, op := range []string{"DescribeWorkspaces", "DescribeIpGroups", "DescribeWorkspaceDirectories", "DescribeWorkspaceImages",
				"DescribeConnectionAliases", "ListAccountLinks", "DescribeAccount", "DescribeAccountModifications"} {
				checkAnswer(t, op+" after an import", call("POST", "/", op, "workspaces", `{}`))
			}
			for _, path := range []string{"/environments", "/devices", "/softwaresets"} {
				checkAnswer(t, "GET "+path+" after an import", call("GET", path, "", "thinclient", ""))
			}
			got := export(t)
			if w := call("PUT", "/_local/state", "", "", got); w.Code != 200 {
				t.Fatalf("re-importing an export: %d %s", w.Code, w.Body)
			}
			if again := export(t); !bytes.Equal([]byte(stripClock(again)), []byte(stripClock(got))) {
				t.Fatalf("re-import changed the state:\n%s\n%s", got, again)
			}
			if w := call("PUT", "/_local/state", "", "", baseline); w.Code != 200 {
				t.Fatalf("restoring the baseline: %d %s", w.Code, w.Body)
			}
		default:
			t.Fatalf("PUT /_local/state: HTTP %d %s", w.Code, w.Body)
		}
	})
}

// stripClock drops the document's clock line (an import may move the
// manual clock forward).
func stripClock(doc string) string {
	if i := strings.Index(doc, `"records":[`); i >= 0 {
		return doc[i:]
	}
	return doc
}
