package workspaces

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
	"github.com/workspaces-local/workspaces-local/internal/store/storecount"
)

// The in-use checks of DeleteWorkspaceBundle, DeleteWorkspaceImage and
// ModifyEndpointEncryptionMode read the WorkSpaces of the bundle or
// directory, or the bundles of the image, through an index, not the
// account's WorkSpaces or bundles: with hundreds of WorkSpaces in another
// directory on another bundle and dozens of bundles, each call reads a
// handful of records.
func TestInUseChecksReadTheIndex(t *testing.T) {
	ctx := context.Background()
	st := storecount.New(rerun.Wrap(memory.New()))
	svc, err := New(st, paging.New([]byte("unit-test-paging-key-0123456789ab")), Delays{}, Quotas{Workspaces: 10_000, Images: 40})
	if err != nil {
		t.Fatal(err)
	}
	at := seedT0
	call := func(op string) *api.Call {
		at = at.Add(time.Second)
		return &api.Call{Account: me, Region: "us-east-1", Partition: "aws", Operation: op, Now: at}
	}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	const big, small = "d-1000000001", "d-1000000002"
	must(svc.ModifyAccount(ctx, call("ModifyAccount"), &ws.ModifyAccountInput{DedicatedTenancySupport: ws.DedicatedTenancySupportEnumEnabled, DedicatedTenancyManagementCidrRange: api.String("10.200.0.0/16")}))
	for _, d := range []string{big, small} {
		must(svc.RegisterWorkspaceDirectory(ctx, call("RegisterWorkspaceDirectory"), &ws.RegisterWorkspaceDirectoryInput{DirectoryId: api.String(d)}))
	}
	for start := 0; start < ownWS; start += 25 {
		var reqs []ws.WorkspaceRequest
		for i := start; i < min(ownWS, start+25); i++ {
			reqs = append(reqs, ws.WorkspaceRequest{DirectoryId: api.String(big), UserName: api.String(fmt.Sprintf("u%04d", i)), BundleId: api.String("wsb-bh8rsxt14")})
		}
		out, err := svc.CreateWorkspaces(ctx, call("CreateWorkspaces"), &ws.CreateWorkspacesInput{Workspaces: reqs})
		if err != nil || len(out.FailedRequests) > 0 {
			t.Fatalf("CreateWorkspaces: %v %+v", err, out)
		}
	}
	out, err := svc.CreateWorkspaces(ctx, call("CreateWorkspaces"), &ws.CreateWorkspacesInput{Workspaces: []ws.WorkspaceRequest{{DirectoryId: api.String(small), UserName: api.String("alice"), BundleId: api.String("wsb-b0s22j3d7")}}})
	if err != nil || len(out.FailedRequests) > 0 {
		t.Fatalf("CreateWorkspaces: %v %+v", err, out)
	}
	image := func(ami, name string) *string {
		im, err := svc.ImportWorkspaceImage(ctx, call("ImportWorkspaceImage"), &ws.ImportWorkspaceImageInput{Ec2ImageId: api.String(ami), ImageName: api.String(name), ImageDescription: api.String("d"), IngestionProcess: ws.WorkspaceImageIngestionProcessByolRegular})
		if err != nil {
			t.Fatal(err)
		}
		return im.ImageId
	}
	im, other := image("ami-0123456789abcdef0", "mine"), image("ami-0123456789abcdef1", "other")
	at = at.Add(time.Hour) // images AVAILABLE
	newBundle := func(name string, im *string) string {
		b, err := svc.CreateWorkspaceBundle(ctx, call("CreateWorkspaceBundle"), &ws.CreateWorkspaceBundleInput{BundleName: api.String(name), BundleDescription: api.String("d"), ImageId: im,
			ComputeType: &ws.ComputeType{Name: ws.ComputeStandard}, UserStorage: &ws.UserStorage{Capacity: api.String("50")}, RootStorage: &ws.RootStorage{Capacity: api.String("80")}})
		if err != nil {
			t.Fatal(err)
		}
		return *b.WorkspaceBundle.BundleId
	}
	for i := range 40 { // the account's bundles, all on im
		newBundle(fmt.Sprintf("b%02d", i), im)
	}
	unused := []string{newBundle("unused1", im), newBundle("unused2", other)}
	customImport := func(ami string) error {
		_, err := svc.ImportCustomWorkspaceImage(ctx, call("ImportCustomWorkspaceImage"), &ws.ImportCustomWorkspaceImageInput{ImageName: api.String("ci-" + ami), ImageDescription: api.String("d"),
			ComputeType: ws.ImageComputeTypeBase, Protocol: ws.CustomImageProtocolDcv, ImageSource: &ws.ImageSourceIdentifier{Ec2ImageId: api.String(ami)},
			InfrastructureConfigurationArn: api.String("arn:aws:imagebuilder:us-east-1:" + me + ":infrastructure-configuration/ws-byol"),
			Platform:                       ws.PlatformWindows, OsVersion: ws.OSVersionWindows10})
		return err
	}
	for i := range 30 { // the account's earlier custom imports
		if err := customImport(fmt.Sprintf("ami-%017x", 0x100+i)); err != nil {
			t.Fatal(err)
		}
	}
	at = at.Add(time.Hour) // bundles AVAILABLE

	const most = 12 // the bundle or directory, its index entries, markers, tags, the account record
	for i, tc := range []struct {
		name string
		call func(c *api.Call) error
		want string // error code, "" for none
	}{
		{"DeleteWorkspaceBundle", func(c *api.Call) error {
			_, err := svc.DeleteWorkspaceBundle(ctx, c, &ws.DeleteWorkspaceBundleInput{BundleId: &unused[0]})
			return err
		}, ""},
		{"DeleteWorkspaceBundle", func(c *api.Call) error {
			_, err := svc.DeleteWorkspaceBundle(ctx, c, &ws.DeleteWorkspaceBundleInput{BundleId: &unused[1]})
			return err
		}, ""},
		{"DeleteWorkspaceImage", func(c *api.Call) error {
			_, err := svc.DeleteWorkspaceImage(ctx, c, &ws.DeleteWorkspaceImageInput{ImageId: im})
			return err
		}, "ResourceAssociatedException"},
		{"DeleteWorkspaceImage", func(c *api.Call) error { // its only bundle, unused[1], is gone
			_, err := svc.DeleteWorkspaceImage(ctx, c, &ws.DeleteWorkspaceImageInput{ImageId: other})
			return err
		}, ""},
		{"ImportCustomWorkspaceImage", func(c *api.Call) error { return customImport("ami-0000000000000ffff") }, ""},
		{"ImportCustomWorkspaceImage", func(c *api.Call) error { return customImport("ami-00000000000000105") }, "ResourceAlreadyExistsException"},
		{"ModifyEndpointEncryptionMode", func(c *api.Call) error {
			_, err := svc.ModifyEndpointEncryptionMode(ctx, c, &ws.ModifyEndpointEncryptionModeInput{DirectoryId: api.String(small), EndpointEncryptionMode: ws.EndpointEncryptionModeFipsValidated})
			return err
		}, "OperationNotSupportedException"},
	} {
		t.Run(fmt.Sprintf("%d %s", i, tc.name), func(t *testing.T) {
			st.Reset()
			err := tc.call(call(tc.name))
			var code string
			var ae interface{ ErrorCode() string }
			if errors.As(err, &ae) {
				code = ae.ErrorCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.want {
				t.Fatalf("error %v, want code %q", err, tc.want)
			}
			if st.Reads() > most {
				t.Errorf("read %d records, want at most %d; the account holds %d WorkSpaces, 42 bundles and 30 custom imports", st.Reads(), most, ownWS+1)
			}
		})
	}
}
