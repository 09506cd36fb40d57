package awsjson_test

// Decode + validate + invoke + encode of the calls the benchmark harness
// drives, through Codec.Serve with a handler that answers at once, so only
// the codec is measured:
//
//	go test -run '^$' -bench . -benchmem ./internal/protocol/awsjson/

import (
	"context"
	"net/http"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/protocol/awsjson"
)

// benchHandler answers DescribeWorkspaces with one realistic WorkSpace and
// CreateTags with nothing.
type benchHandler struct {
	workspaces.Unimplemented
	ws workspaces.Workspace
}

func (h *benchHandler) DescribeWorkspaces(_ context.Context, _ *api.Call, in *workspaces.DescribeWorkspacesInput) (*workspaces.DescribeWorkspacesOutput, error) {
	w := h.ws
	w.WorkspaceId = api.String(in.WorkspaceIds[0])
	return &workspaces.DescribeWorkspacesOutput{Workspaces: []workspaces.Workspace{w}}, nil
}

func (h *benchHandler) CreateTags(context.Context, *api.Call, *workspaces.CreateTagsInput) (*workspaces.CreateTagsOutput, error) {
	return &workspaces.CreateTagsOutput{}, nil
}

// RealisticWorkspace is a WorkSpace as DescribeWorkspaces shows an AVAILABLE one.
func realisticWorkspace() workspaces.Workspace {
	return workspaces.Workspace{
		BundleId: api.String("wsb-bh8rsxt14"), ComputerName: api.String("WSAMZN-ABCDEFGH"), DirectoryId: api.String("d-9067012345"),
		IpAddress: api.String("172.16.33.201"), ModificationStates: []workspaces.ModificationState{},
		RootVolumeEncryptionEnabled: api.Bool(false), State: workspaces.WorkspaceStateAvailable, SubnetId: api.String("subnet-0123456789abcdef0"),
		UserName: api.String("bench000042"), UserVolumeEncryptionEnabled: api.Bool(false), WorkspaceId: api.String("ws-abcdefghi"),
		WorkspaceProperties: &workspaces.WorkspaceProperties{
			ComputeTypeName: workspaces.ComputeValue, OperatingSystemName: workspaces.OperatingSystemNameWindows10,
			Protocols: []workspaces.Protocol{workspaces.ProtocolPcoip}, RootVolumeSizeGib: api.Int32(80), UserVolumeSizeGib: api.Int32(10),
			RunningMode: workspaces.RunningModeAlwaysOn,
		},
	}
}

// discard is a ResponseWriter that keeps nothing but its header map.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

func benchServe(b *testing.B, op, body string) {
	c := awsjson.New(workspaces.Model, workspaces.Operations, &benchHandler{ws: realisticWorkspace()})
	r, err := http.NewRequest("POST", "/", nil)
	if err != nil {
		b.Fatal(err)
	}
	r.Header.Set("X-Amz-Target", prefix+op)
	w := &discard{h: http.Header{}}
	ctx := context.Background()
	raw := []byte(body)
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		call := &api.Call{Account: "111111111111", Region: "us-east-1", RequestID: requestID}
		c.Serve(ctx, w, r, call, raw)
		if w.h.Get("X-Amzn-ErrorType") != "" {
			b.Fatalf("%s failed: %v", op, w.h)
		}
	}
}

func BenchmarkServeDescribeWorkspacesByID(b *testing.B) {
	benchServe(b, "DescribeWorkspaces", `{"WorkspaceIds":["ws-abcdefghi"]}`)
}

func BenchmarkServeCreateTags(b *testing.B) {
	benchServe(b, "CreateTags", `{"ResourceId":"ws-abcdefghi","Tags":[{"Key":"bench-3","Value":"1234"}]}`)
}
