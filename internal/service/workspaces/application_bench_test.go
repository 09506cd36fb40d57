package workspaces_test

// An application's first page of WorkSpace associations and one WorkSpace's
// associations must cost the same however many associations the account
// holds (a scope per application, an index per WorkSpace).
//
//	go test -run x -bench 'ApplicationAssociations|WorkspaceAssociations' -benchmem ./internal/service/workspaces/

import (
	"context"
	"fmt"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
)

// seedAssociations gives n AVAILABLE WorkSpaces a Visio association each.
func seedAssociations(b *testing.B, n int) (*wssvc.Service, []string, *api.Call) {
	st := memory.New()
	b.Cleanup(func() { st.Close() })
	svc, ids, now := seedWorkspaces(b, st, n)
	for _, id := range ids {
		if _, err := svc.AssociateWorkspaceApplication(context.Background(), benchCall("AssociateWorkspaceApplication", now),
			&ws.AssociateWorkspaceApplicationInput{WorkspaceId: api.String(id), ApplicationId: api.String("wsa-vis21pro1")}); err != nil {
			b.Fatal(err)
		}
	}
	return svc, ids, benchCall("", now)
}

func BenchmarkDescribeApplicationAssociations(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			svc, _, c := seedAssociations(b, n)
			c.Operation = "DescribeApplicationAssociations"
			in := &ws.DescribeApplicationAssociationsInput{ApplicationId: api.String("wsa-vis21pro1"),
				AssociatedResourceTypes: []ws.ApplicationAssociatedResourceType{ws.ApplicationAssociatedResourceTypeWorkspace}}
			b.ReportAllocs()
			for b.Loop() {
				out, err := svc.DescribeApplicationAssociations(context.Background(), c, in)
				if err != nil || len(out.Associations) != min(n, 25) {
					b.Fatalf("%v, %d associations", err, len(out.Associations))
				}
			}
		})
	}
}

func BenchmarkDescribeWorkspaceAssociations(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			svc, ids, c := seedAssociations(b, n)
			c.Operation = "DescribeWorkspaceAssociations"
			in := &ws.DescribeWorkspaceAssociationsInput{AssociatedResourceTypes: []ws.WorkSpaceAssociatedResourceType{ws.WorkSpaceAssociatedResourceTypeApplication}}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i = (i + 7919) % n
				in.WorkspaceId = api.String(ids[i])
				out, err := svc.DescribeWorkspaceAssociations(context.Background(), c, in)
				if err != nil || len(out.Associations) != 1 {
					b.Fatalf("%v, %d associations", err, len(out.Associations))
				}
			}
		})
	}
}
