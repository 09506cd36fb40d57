package wire

import (
	"strings"
	"testing"

	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
)

// The exact-name and UTF-8 pre-pass alone, over a 25-WorkSpace
// CreateWorkspaces body (BenchmarkDecodeCreateWorkspaces includes it).
func BenchmarkExactPrepass(b *testing.B) {
	item := `{"DirectoryId":"d-9067012345","UserName":"user0001","BundleId":"wsb-bh8rsxt14","WorkspaceProperties":{"RunningMode":"AUTO_STOP","RunningModeAutoStopTimeoutInMinutes":60},"Tags":[{"Key":"team","Value":"bench"}]}`
	body := []byte(`{"Workspaces":[` + strings.TrimSuffix(strings.Repeat(item+",", 25), ",") + `]}`)
	var in ws.CreateWorkspacesInput
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if out, bad := exact(body, &in); bad >= 0 || len(out) != len(body) {
			b.Fatal(bad)
		}
	}
}
