package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/app"
	"github.com/workspaces-local/workspaces-local/internal/identity"
	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// One DescribeIpGroups through the whole handler (guard, SigV4 checks,
// decoding, service, encoding) with each --auth mode: the cost of the
// per-request checks is the difference.
//
//	go test -run '^$' -bench ServeHTTP -benchmem ./internal/app/
func BenchmarkServeHTTP(b *testing.B) {
	for _, mode := range []identity.Mode{identity.ModeOff, identity.ModeCheck} {
		b.Run("auth="+mode.String(), func(b *testing.B) {
			a, err := app.New(context.Background(), app.Config{Addr: "127.0.0.1:0", InMemory: true, Auth: mode})
			if err != nil {
				b.Fatal(err)
			}
			h := a.Handler()
			proto, _ := http.NewRequest("POST", "http://127.0.0.1:4599/", strings.NewReader("{}"))
			proto.Header.Set("X-Amz-Target", "WorkspacesService.DescribeIpGroups")
			proto.Header.Set("Content-Type", "application/x-amz-json-1.1")
			testenv.Sign(proto, testenv.AccountA, testenv.Region, "workspaces", []byte("{}"))
			deadline := time.Now().Add(10 * time.Minute)
			b.ReportAllocs()
			for b.Loop() {
				if time.Now().After(deadline) {
					b.Skip("signature older than the 15-minute window")
				}
				r := httptest.NewRequest("POST", "/", strings.NewReader("{}"))
				r.Host = "127.0.0.1:4599"
				r.Header = proto.Header
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatal(w.Code, w.Body)
				}
			}
		})
	}
}
