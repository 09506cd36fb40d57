package workspaces

import (
	"context"
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

// The rule of docs/architecture.md, held by counting: every Describe/List
// reads at most perItem records per id named or item of the page, plus a
// few, while the caller's account holds hundreds of WorkSpaces and dozens
// of IP groups, and the region holds hundreds of other accounts' images,
// aliases and account links. A read that scans its account or region reads
// several times the bound.
const (
	costPerItem = 3 // the record, and what settling it reads (an alias's directory, an image's owner)
	costFixed   = 6 // markers, the account record, a link lookup
	crowd       = 150
	ownWS       = 300
	ownGroups   = 60
)

const (
	me    = "111111111111"
	buddy = "222222222222" // shares an image and an alias with me
)

type costCase struct {
	name  string
	items int // ids named, or the page size asked for
	call  func(ctx context.Context, c *api.Call) error
}

func TestReadCostBoundedByAnswer(t *testing.T) {
	ctx := context.Background()
	st := storecount.New(rerun.Wrap(memory.New()))
	svc, err := New(st, paging.New([]byte("unit-test-paging-key-0123456789ab")), Delays{}, Quotas{Workspaces: 10_000, Images: 40})
	if err != nil {
		t.Fatal(err)
	}
	at := seedT0
	call := func(account, op string) *api.Call {
		at = at.Add(time.Second)
		return &api.Call{Account: account, Region: "us-east-1", Partition: "aws", Operation: op, Now: at}
	}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	enable := func(account string) {
		must(svc.ModifyAccount(ctx, call(account, "ModifyAccount"), &ws.ModifyAccountInput{DedicatedTenancySupport: ws.DedicatedTenancySupportEnumEnabled, DedicatedTenancyManagementCidrRange: api.String("10.200.0.0/16")}))
	}
	image := func(account, name string) string {
		out, err := svc.ImportWorkspaceImage(ctx, call(account, "ImportWorkspaceImage"), &ws.ImportWorkspaceImageInput{
			Ec2ImageId: api.String("ami-" + fmt.Sprintf("%017x", len(name)*7919+int(name[len(name)-1])) + name), ImageName: api.String(name), ImageDescription: api.String("d"),
			IngestionProcess: ws.WorkspaceImageIngestionProcessByolRegular, Applications: []ws.Application{ws.ApplicationMicrosoftOffice2016}})
		if err != nil {
			t.Fatal(err)
		}
		return *out.ImageId
	}
	alias := func(account, cs string) string {
		out, err := svc.CreateConnectionAlias(ctx, call(account, "CreateConnectionAlias"), &ws.CreateConnectionAliasInput{ConnectionString: api.String(cs)})
		if err != nil {
			t.Fatal(err)
		}
		return *out.AliasId
	}
	register := func(account, dir string) {
		must(svc.RegisterWorkspaceDirectory(ctx, call(account, "RegisterWorkspaceDirectory"), &ws.RegisterWorkspaceDirectoryInput{DirectoryId: api.String(dir)}))
	}

	// The crowd: other accounts of the region with images, aliases (one
	// associated with a directory) and account links.
	for i := range crowd {
		acct := fmt.Sprintf("3%011d", i)
		enable(acct)
		image(acct, "crowd-a")
		image(acct, "crowd-b")
		dir := fmt.Sprintf("d-%010d", i)
		register(acct, dir)
		a := alias(acct, fmt.Sprintf("crowd%d.example.com", i))
		alias(acct, fmt.Sprintf("other%d.example.com", i))
		must(svc.AssociateConnectionAlias(ctx, call(acct, "AssociateConnectionAlias"), &ws.AssociateConnectionAliasInput{AliasId: &a, ResourceId: &dir}))
		if i%2 == 1 {
			must(svc.CreateAccountLinkInvitation(ctx, call(fmt.Sprintf("3%011d", i-1), "CreateAccountLinkInvitation"), &ws.CreateAccountLinkInvitationInput{TargetAccountId: api.String(acct)}))
		}
	}

	// Mine: a big directory, a small one, IP groups, two images, one shared
	// with me, two aliases, one shared with me, a link.
	enable(me)
	enable(buddy)
	const big, small = "d-1000000001", "d-1000000002"
	register(me, big)
	register(me, small)
	var ids []string
	for start := 0; start < ownWS; start += 25 {
		var reqs []ws.WorkspaceRequest
		for i := start; i < min(ownWS, start+25); i++ {
			reqs = append(reqs, ws.WorkspaceRequest{DirectoryId: api.String(big), UserName: api.String(fmt.Sprintf("u%04d", i)), BundleId: api.String("wsb-bh8rsxt14")})
		}
		out, err := svc.CreateWorkspaces(ctx, call(me, "CreateWorkspaces"), &ws.CreateWorkspacesInput{Workspaces: reqs})
		if err != nil || len(out.FailedRequests) > 0 {
			t.Fatalf("CreateWorkspaces: %v %+v", err, out)
		}
		for _, w := range out.PendingRequests {
			ids = append(ids, *w.WorkspaceId)
		}
	}
	out, err := svc.CreateWorkspaces(ctx, call(me, "CreateWorkspaces"), &ws.CreateWorkspacesInput{Workspaces: []ws.WorkspaceRequest{
		{DirectoryId: api.String(small), UserName: api.String("alice"), BundleId: api.String("wsb-b0s22j3d7")},
		{DirectoryId: api.String(small), UserName: api.String("[UNDEFINED]"), WorkspaceName: api.String("kiosk"), BundleId: api.String("wsb-b0s22j3d7")},
	}})
	if err != nil || len(out.FailedRequests) > 0 {
		t.Fatalf("CreateWorkspaces: %v %+v", err, out)
	}
	var groups []string
	for i := range ownGroups {
		g, err := svc.CreateIpGroup(ctx, call(me, "CreateIpGroup"), &ws.CreateIpGroupInput{GroupName: api.String(fmt.Sprintf("g%02d", i))})
		if err != nil {
			t.Fatal(err)
		}
		groups = append(groups, *g.GroupId)
	}
	must(svc.AssociateIpGroups(ctx, call(me, "AssociateIpGroups"), &ws.AssociateIpGroupsInput{DirectoryId: api.String(small), GroupIds: groups[:2]}))
	mine := image(me, "mine")
	image(me, "mine-2")
	theirs := image(buddy, "theirs")
	at = at.Add(time.Minute) // images AVAILABLE
	must(svc.UpdateWorkspaceImagePermission(ctx, call(buddy, "UpdateWorkspaceImagePermission"), &ws.UpdateWorkspaceImagePermissionInput{ImageId: &theirs, AllowCopyImage: api.Bool(true), SharedAccountId: api.String(me)}))
	myAlias := alias(me, "mine.example.com")
	alias(me, "mine2.example.com")
	theirAlias := alias(buddy, "theirs.example.com")
	at = at.Add(time.Minute) // aliases CREATED
	must(svc.UpdateConnectionAliasPermission(ctx, call(buddy, "UpdateConnectionAliasPermission"), &ws.UpdateConnectionAliasPermissionInput{AliasId: &theirAlias,
		ConnectionAliasPermission: &ws.ConnectionAliasPermission{SharedAccountId: api.String(me), AllowAssociation: api.Bool(true)}}))
	must(svc.AssociateConnectionAlias(ctx, call(me, "AssociateConnectionAlias"), &ws.AssociateConnectionAliasInput{AliasId: &myAlias, ResourceId: api.String(small)}))
	link, err := svc.CreateAccountLinkInvitation(ctx, call(me, "CreateAccountLinkInvitation"), &ws.CreateAccountLinkInvitationInput{TargetAccountId: api.String("999999999999")})
	if err != nil {
		t.Fatal(err)
	}

	five := api.Int32(5)
	cases := []costCase{
		{"DescribeWorkspaces by id", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaces(ctx, c, &ws.DescribeWorkspacesInput{WorkspaceIds: ids[100:101]})
			return err
		}},
		{"DescribeWorkspaces by 5 ids", 5, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaces(ctx, c, &ws.DescribeWorkspacesInput{WorkspaceIds: ids[7:12]})
			return err
		}},
		{"DescribeWorkspaces all, Limit 5", 5, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaces(ctx, c, &ws.DescribeWorkspacesInput{Limit: five})
			return err
		}},
		{"DescribeWorkspaces by directory, Limit 5", 5, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaces(ctx, c, &ws.DescribeWorkspacesInput{DirectoryId: api.String(big), Limit: five})
			return err
		}},
		{"DescribeWorkspaces by small directory, Limit 5", 5, func(ctx context.Context, c *api.Call) error {
			out, err := svc.DescribeWorkspaces(ctx, c, &ws.DescribeWorkspacesInput{DirectoryId: api.String(small), Limit: five})
			if err == nil && len(out.Workspaces) != 2 {
				err = fmt.Errorf("%d WorkSpaces in %s, want 2", len(out.Workspaces), small)
			}
			return err
		}},
		{"DescribeWorkspaces by directory and user", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaces(ctx, c, &ws.DescribeWorkspacesInput{DirectoryId: api.String(big), UserName: api.String("u0042")})
			return err
		}},
		{"DescribeWorkspaces by rare bundle, Limit 5", 5, func(ctx context.Context, c *api.Call) error {
			out, err := svc.DescribeWorkspaces(ctx, c, &ws.DescribeWorkspacesInput{BundleId: api.String("wsb-b0s22j3d7"), Limit: five})
			if err == nil && len(out.Workspaces) != 2 {
				err = fmt.Errorf("%d WorkSpaces of the bundle, want 2", len(out.Workspaces))
			}
			return err
		}},
		{"DescribeWorkspaces by name", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaces(ctx, c, &ws.DescribeWorkspacesInput{WorkspaceName: api.String("kiosk")})
			return err
		}},
		{"DescribeWorkspacesConnectionStatus by id", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspacesConnectionStatus(ctx, c, &ws.DescribeWorkspacesConnectionStatusInput{WorkspaceIds: ids[3:4]})
			return err
		}},
		{"DescribeWorkspacesConnectionStatus all (page of 25)", 25, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspacesConnectionStatus(ctx, c, &ws.DescribeWorkspacesConnectionStatusInput{})
			return err
		}},
		{"DescribeWorkspaceDirectories by id", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaceDirectories(ctx, c, &ws.DescribeWorkspaceDirectoriesInput{DirectoryIds: []string{small}})
			return err
		}},
		{"DescribeWorkspaceDirectories all", 2, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaceDirectories(ctx, c, &ws.DescribeWorkspaceDirectoriesInput{})
			return err
		}},
		{"DescribeClientProperties", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeClientProperties(ctx, c, &ws.DescribeClientPropertiesInput{ResourceIds: []string{small}})
			return err
		}},
		{"DescribeIpGroups by id", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeIpGroups(ctx, c, &ws.DescribeIpGroupsInput{GroupIds: groups[30:31]})
			return err
		}},
		{"DescribeIpGroups all, MaxResults 5", 5, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeIpGroups(ctx, c, &ws.DescribeIpGroupsInput{MaxResults: five})
			return err
		}},
		{"DescribeWorkspaceImages by id", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaceImages(ctx, c, &ws.DescribeWorkspaceImagesInput{ImageIds: []string{theirs}})
			return err
		}},
		{"DescribeWorkspaceImages owned", 2, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaceImages(ctx, c, &ws.DescribeWorkspaceImagesInput{})
			return err
		}},
		{"DescribeWorkspaceImages shared", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaceImages(ctx, c, &ws.DescribeWorkspaceImagesInput{ImageType: ws.ImageTypeShared})
			return err
		}},
		{"DescribeApplicationAssociations IMAGE", 3, func(ctx context.Context, c *api.Call) error {
			// Every image carries Office 2016: mine, mine-2 and the one shared with me.
			out, err := svc.DescribeApplicationAssociations(ctx, c, &ws.DescribeApplicationAssociationsInput{ApplicationId: api.String("wsa-off2016p1"),
				AssociatedResourceTypes: []ws.ApplicationAssociatedResourceType{ws.ApplicationAssociatedResourceTypeImage}})
			if err == nil && len(out.Associations) != 3 {
				err = fmt.Errorf("%d image associations, want 3: %+v", len(out.Associations), out.Associations)
			}
			return err
		}},
		{"DescribeWorkspaceImagePermissions", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaceImagePermissions(ctx, c, &ws.DescribeWorkspaceImagePermissionsInput{ImageId: &mine})
			return err
		}},
		{"DescribeConnectionAliases by id", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeConnectionAliases(ctx, c, &ws.DescribeConnectionAliasesInput{AliasIds: []string{theirAlias}})
			return err
		}},
		{"DescribeConnectionAliases all", 3, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeConnectionAliases(ctx, c, &ws.DescribeConnectionAliasesInput{})
			return err
		}},
		{"DescribeConnectionAliases by directory", 1, func(ctx context.Context, c *api.Call) error {
			out, err := svc.DescribeConnectionAliases(ctx, c, &ws.DescribeConnectionAliasesInput{ResourceId: api.String(small)})
			if err == nil && len(out.ConnectionAliases) != 1 {
				err = fmt.Errorf("%d aliases of %s, want 1", len(out.ConnectionAliases), small)
			}
			return err
		}},
		{"DescribeConnectionAliasPermissions", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeConnectionAliasPermissions(ctx, c, &ws.DescribeConnectionAliasPermissionsInput{AliasId: &myAlias})
			return err
		}},
		{"ListAccountLinks", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.ListAccountLinks(ctx, c, &ws.ListAccountLinksInput{})
			return err
		}},
		{"GetAccountLink by id", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.GetAccountLink(ctx, c, &ws.GetAccountLinkInput{LinkId: link.AccountLink.AccountLinkId})
			return err
		}},
		{"GetAccountLink by account", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.GetAccountLink(ctx, c, &ws.GetAccountLinkInput{LinkedAccountId: api.String("999999999999")})
			return err
		}},
		{"DescribeAccount", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeAccount(ctx, c, &ws.DescribeAccountInput{})
			return err
		}},
		{"DescribeAccountModifications", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeAccountModifications(ctx, c, &ws.DescribeAccountModificationsInput{})
			return err
		}},
		{"ListAvailableManagementCidrRanges", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.ListAvailableManagementCidrRanges(ctx, c, &ws.ListAvailableManagementCidrRangesInput{ManagementCidrRangeConstraint: api.String("10.0.0.0/8")})
			return err
		}},
		{"DescribeTags", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeTags(ctx, c, &ws.DescribeTagsInput{ResourceId: &ids[5]})
			return err
		}},
		{"DescribeWorkspaceBundles", 1, func(ctx context.Context, c *api.Call) error {
			_, err := svc.DescribeWorkspaceBundles(ctx, c, &ws.DescribeWorkspaceBundlesInput{Owner: api.String("AMAZON")})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			op, _, _ := cutSpace(tc.name)
			if err := tc.call(ctx, call(me, op)); err != nil { // the first call of an account may index it
				t.Fatal(err)
			}
			st.Reset()
			if err := tc.call(ctx, call(me, op)); err != nil {
				t.Fatal(err)
			}
			if most := int64(costPerItem*tc.items + costFixed); st.Reads() > most {
				t.Errorf("%s read %d records, want at most %d (%d items); the account holds %d WorkSpaces, the region %d accounts' images, aliases and links",
					tc.name, st.Reads(), most, tc.items, ownWS, crowd)
			}
		})
	}
}

func cutSpace(s string) (string, string, bool) {
	for i := range s {
		if s[i] == ' ' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
