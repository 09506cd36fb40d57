package wire_test

// The JSON decode and the generated validator of the largest request the
// emulator sees often: CreateWorkspaces with 25 WorkSpaces.
//
//	go test -run '^$' -bench . -benchmem ./internal/protocol/wire/

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/protocol/wire"
)

func createWorkspacesBody(b *testing.B) []byte {
	in := ws.CreateWorkspacesInput{}
	for i := range 25 {
		in.Workspaces = append(in.Workspaces, ws.WorkspaceRequest{
			DirectoryId: api.String("d-9067012345"), UserName: api.String(fmt.Sprintf("user%04d", i)), BundleId: api.String("wsb-bh8rsxt14"),
			WorkspaceProperties: &ws.WorkspaceProperties{RunningMode: ws.RunningModeAutoStop, RunningModeAutoStopTimeoutInMinutes: api.Int32(60)},
			Tags:                []ws.Tag{{Key: api.String("team"), Value: api.String("bench")}},
		})
	}
	body, err := json.Marshal(in)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func BenchmarkDecodeCreateWorkspaces(b *testing.B) {
	body := createWorkspacesBody(b)
	b.ReportAllocs()
	for b.Loop() {
		var in ws.CreateWorkspacesInput
		if err := wire.DecodeBody(body, &in); err != nil || len(in.Workspaces) != 25 {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateCreateWorkspaces(b *testing.B) {
	var in ws.CreateWorkspacesInput
	if err := wire.DecodeBody(createWorkspacesBody(b), &in); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := wire.Validate(&in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateDescribeWorkspaces(b *testing.B) {
	in := &ws.DescribeWorkspacesInput{WorkspaceIds: []string{"ws-abcdefghi"}}
	b.ReportAllocs()
	for b.Loop() {
		if err := wire.Validate(in); err != nil {
			b.Fatal(err)
		}
	}
}
