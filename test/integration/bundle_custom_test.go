package integration

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// Custom bundles (spec §19) with the default delays: bundle create/update 0s
// (AVAILABLE at once), image create 2s, workspace create 2s.

// cbImage images an AVAILABLE WorkSpace of user (launched for the purpose)
// and waits until the image is AVAILABLE.
func cbImage(t *testing.T, env *testenv.Env, c *workspaces.Client, user, name string) string {
	t.Helper()
	w := imgWorkspace(t, env, c, imgWorkspaceReq(user, imgWin10))
	out := must[*workspaces.CreateWorkspaceImageOutput](t)(c.CreateWorkspaceImage(ctx, &workspaces.CreateWorkspaceImageInput{Name: aws.String(name), Description: aws.String(name), WorkspaceId: aws.String(w)}))
	env.Advance(2 * time.Second)
	return *out.ImageId
}

func cbCreate(c *workspaces.Client, name, image string, compute types.Compute, root, user string) (*workspaces.CreateWorkspaceBundleOutput, error) {
	in := &workspaces.CreateWorkspaceBundleInput{BundleName: aws.String(name), BundleDescription: aws.String("golden on standard"), ImageId: aws.String(image),
		ComputeType: &types.ComputeType{Name: compute}, UserStorage: &types.UserStorage{Capacity: aws.String(user)}}
	if root != "" {
		in.RootStorage = &types.RootStorage{Capacity: aws.String(root)}
	}
	return c.CreateWorkspaceBundle(ctx, in)
}

func TestCustomBundles(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	imgRegister(t, env, c, imgDir, "")
	img := cbImage(t, env, c, "alice", "golden")

	out, err := cbCreate(c, "golden-std", img, types.ComputeStandard, "80", "50")
	b := must[*workspaces.CreateWorkspaceBundleOutput](t)(out, err).WorkspaceBundle
	if aws.ToString(b.Owner) != testenv.AccountA || b.State != types.WorkspaceBundleStateAvailable || b.BundleType != types.BundleTypeRegular ||
		aws.ToString(b.RootStorage.Capacity) != "80" || aws.ToString(b.UserStorage.Capacity) != "50" || aws.ToString(b.ImageId) != img || b.ComputeType.Name != types.ComputeStandard {
		t.Fatalf("bundle = %+v", b)
	}
	id := *b.BundleId

	_, err = cbCreate(c, "golden-std", img, types.ComputeStandard, "80", "50")
	wantCode(t, err, "ResourceAlreadyExistsException")
	_, err = cbCreate(c, "b2", img, types.ComputeStandard, "80", "20")
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = cbCreate(c, "b2", img, types.ComputeStandard, "80", "fifty")
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = cbCreate(c, "b2", img, types.ComputeGraphicsG4dn, "100", "100")
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = cbCreate(c, "b2", img, "", "80", "50")
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = cbCreate(c, "b2", "wsi-000000000", types.ComputeStandard, "80", "50")
	wantCode(t, err, "ResourceNotFoundException")
	// Root omitted: the smallest valid root (175 for a 100+ user volume).
	b2 := must[*workspaces.CreateWorkspaceBundleOutput](t)(cbCreate(c, "golden-big", img, types.ComputePower, "", "200")).WorkspaceBundle
	if aws.ToString(b2.RootStorage.Capacity) != "175" {
		t.Fatalf("default root = %v", aws.ToString(b2.RootStorage.Capacity))
	}

	// A PENDING image → ResourceUnavailable.
	w2 := imgWorkspace(t, env, c, imgWorkspaceReq("bob", imgWin10))
	pend := must[*workspaces.CreateWorkspaceImageOutput](t)(c.CreateWorkspaceImage(ctx, &workspaces.CreateWorkspaceImageInput{Name: aws.String("img2"), Description: aws.String("img2"), WorkspaceId: aws.String(w2)}))
	_, err = cbCreate(c, "b3", *pend.ImageId, types.ComputeStandard, "80", "50")
	wantCode(t, err, "ResourceUnavailableException")
	env.Advance(2 * time.Second)
	img2 := *pend.ImageId

	// Listing (spec §19.6).
	list := func(in *workspaces.DescribeWorkspaceBundlesInput) []string {
		return bundleIDs(must[*workspaces.DescribeWorkspaceBundlesOutput](t)(c.DescribeWorkspaceBundles(ctx, in)).Bundles)
	}
	if got := list(&workspaces.DescribeWorkspaceBundlesInput{}); len(got) != 2 || got[0] != id {
		t.Fatalf("own bundles = %v", got)
	}
	if got := list(&workspaces.DescribeWorkspaceBundlesInput{Owner: aws.String(testenv.AccountA)}); len(got) != 2 {
		t.Fatalf("Owner = own account: %v", got)
	}
	for _, x := range list(&workspaces.DescribeWorkspaceBundlesInput{Owner: aws.String("AMAZON")}) {
		if x == id {
			t.Fatal("custom bundle listed under AMAZON")
		}
	}
	if got := list(&workspaces.DescribeWorkspaceBundlesInput{BundleIds: []string{id, "wsb-bh8rsxt14"}}); len(got) != 2 {
		t.Fatalf("mixed ids = %v", got)
	}
	cb := env.WorkSpaces(testenv.AccountB, testenv.Region)
	if got := bundleIDs(must[*workspaces.DescribeWorkspaceBundlesOutput](t)(cb.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{BundleIds: []string{id}})).Bundles); len(got) != 0 {
		t.Fatalf("account B sees %v", got)
	}

	// Tags on an own bundle.
	must[*workspaces.CreateTagsOutput](t)(c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: aws.String(id), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}))
	_, err = cb.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: aws.String(id), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	wantCode(t, err, "ResourceNotFoundException")

	// A WorkSpace on the custom bundle.
	ws := imgWorkspace(t, env, c, imgWorkspaceReq("carol", id))
	got := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{ws}})).Workspaces[0]
	if *got.BundleId != id || got.WorkspaceProperties.ComputeTypeName != types.ComputeStandard || *got.WorkspaceProperties.RootVolumeSizeGib != 80 || *got.WorkspaceProperties.UserVolumeSizeGib != 50 {
		t.Fatalf("WorkSpace on custom bundle = %+v", got.WorkspaceProperties)
	}
	imgRegister(t, env, cb, imgDir, "")
	fail := must[*workspaces.CreateWorkspacesOutput](t)(cb.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{imgWorkspaceReq("dave", id)}}))
	if len(fail.FailedRequests) != 1 || aws.ToString(fail.FailedRequests[0].ErrorCode) != "ResourceNotFound.Bundle" {
		t.Fatalf("account B on A's bundle: %+v", fail.FailedRequests)
	}

	// In use: bundle and image cannot be deleted.
	_, err = c.DeleteWorkspaceBundle(ctx, &workspaces.DeleteWorkspaceBundleInput{BundleId: aws.String(id)})
	wantCode(t, err, "ResourceAssociatedException")
	_, err = c.DeleteWorkspaceImage(ctx, &workspaces.DeleteWorkspaceImageInput{ImageId: aws.String(img)})
	wantCode(t, err, "ResourceAssociatedException")

	// Update to img2 (spec §19.3).
	env.Advance(time.Second)
	must[*workspaces.UpdateWorkspaceBundleOutput](t)(c.UpdateWorkspaceBundle(ctx, &workspaces.UpdateWorkspaceBundleInput{BundleId: aws.String(id), ImageId: aws.String(img2)}))
	nb := must[*workspaces.DescribeWorkspaceBundlesOutput](t)(c.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{BundleIds: []string{id}})).Bundles[0]
	if aws.ToString(nb.ImageId) != img2 || !nb.LastUpdatedTime.After(*nb.CreationTime) {
		t.Fatalf("updated bundle = %+v", nb)
	}
	if got := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{ws}})).Workspaces[0]; *got.BundleId != id {
		t.Fatal("WorkSpace lost its bundle")
	}
	// img is still used by golden-big; delete that first.
	must[*workspaces.DeleteWorkspaceBundleOutput](t)(c.DeleteWorkspaceBundle(ctx, &workspaces.DeleteWorkspaceBundleInput{BundleId: b2.BundleId}))
	must[*workspaces.DeleteWorkspaceImageOutput](t)(c.DeleteWorkspaceImage(ctx, &workspaces.DeleteWorkspaceImageInput{ImageId: aws.String(img)}))

	_, err = c.UpdateWorkspaceBundle(ctx, &workspaces.UpdateWorkspaceBundleInput{BundleId: aws.String("wsb-bh8rsxt14"), ImageId: aws.String(img2)})
	wantCode(t, err, "OperationNotSupportedException")
	_, err = c.UpdateWorkspaceBundle(ctx, &workspaces.UpdateWorkspaceBundleInput{BundleId: aws.String(id)})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = c.UpdateWorkspaceBundle(ctx, &workspaces.UpdateWorkspaceBundleInput{BundleId: aws.String("wsb-000000000"), ImageId: aws.String(img2)})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DeleteWorkspaceBundle(ctx, &workspaces.DeleteWorkspaceBundleInput{})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = c.DeleteWorkspaceBundle(ctx, &workspaces.DeleteWorkspaceBundleInput{BundleId: aws.String("wsb-bh8rsxt14")})
	wantCode(t, err, "AccessDeniedException")

	// Associations (spec §19.5).
	as := must[*workspaces.DescribeBundleAssociationsOutput](t)(c.DescribeBundleAssociations(ctx, &workspaces.DescribeBundleAssociationsInput{BundleId: aws.String(id), AssociatedResourceTypes: []types.BundleAssociatedResourceType{types.BundleAssociatedResourceTypeApplication}}))
	if as.Associations == nil || len(as.Associations) != 0 {
		t.Fatalf("associations = %+v", as.Associations)
	}
	_, err = c.DescribeBundleAssociations(ctx, &workspaces.DescribeBundleAssociationsInput{BundleId: aws.String("wsb-000000000"), AssociatedResourceTypes: []types.BundleAssociatedResourceType{types.BundleAssociatedResourceTypeApplication}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeBundleAssociations(ctx, &workspaces.DescribeBundleAssociationsInput{BundleId: aws.String(id), AssociatedResourceTypes: []types.BundleAssociatedResourceType{}})
	wantCode(t, err, "InvalidParameterValuesException")

	// Terminate the WorkSpace: the bundle can go.
	must[*workspaces.TerminateWorkspacesOutput](t)(c.TerminateWorkspaces(ctx, &workspaces.TerminateWorkspacesInput{TerminateWorkspaceRequests: []types.TerminateRequest{{WorkspaceId: aws.String(ws)}}}))
	must[*workspaces.DeleteWorkspaceBundleOutput](t)(c.DeleteWorkspaceBundle(ctx, &workspaces.DeleteWorkspaceBundleInput{BundleId: aws.String(id)}))
	if got := list(&workspaces.DescribeWorkspaceBundlesInput{BundleIds: []string{id}}); len(got) != 0 {
		t.Fatalf("deleted bundle listed: %v", got)
	}
	_, err = c.DeleteWorkspaceBundle(ctx, &workspaces.DeleteWorkspaceBundleInput{BundleId: aws.String(id)})
	wantCode(t, err, "ResourceNotFoundException")

	// Account B with img2 shared: copy first (spec §19.7 step 10).
	must[*workspaces.UpdateWorkspaceImagePermissionOutput](t)(c.UpdateWorkspaceImagePermission(ctx, &workspaces.UpdateWorkspaceImagePermissionInput{ImageId: aws.String(img2), AllowCopyImage: aws.Bool(true), SharedAccountId: aws.String(testenv.AccountB)}))
	_, err = cbCreate(cb, "from-shared", img2, types.ComputeStandard, "80", "50")
	wantCode(t, err, "InvalidParameterValuesException")
	cp := must[*workspaces.CopyWorkspaceImageOutput](t)(cb.CopyWorkspaceImage(ctx, &workspaces.CopyWorkspaceImageInput{Name: aws.String("copy"), SourceImageId: aws.String(img2), SourceRegion: aws.String(testenv.Region)}))
	env.Advance(2 * time.Second)
	must[*workspaces.CreateWorkspaceBundleOutput](t)(cbCreate(cb, "from-copy", *cp.ImageId, types.ComputeStandard, "80", "50"))
}

func TestCustomBundleQuota(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	imgRegister(t, env, c, imgDir, "")
	img := cbImage(t, env, c, "alice", "golden")
	for i := 0; i < 50; i++ {
		must[*workspaces.CreateWorkspaceBundleOutput](t)(cbCreate(c, "b"+string(rune('A'+i/26))+string(rune('a'+i%26)), img, types.ComputeValue, "80", "10"))
	}
	_, err := cbCreate(c, "one-more", img, types.ComputeValue, "80", "10")
	wantCode(t, err, "ResourceLimitExceededException")
	page := must[*workspaces.DescribeWorkspaceBundlesOutput](t)(c.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{}))
	if len(page.Bundles) != 25 || page.NextToken == nil {
		t.Fatalf("first page: %d, token %v", len(page.Bundles), page.NextToken)
	}
	page = must[*workspaces.DescribeWorkspaceBundlesOutput](t)(c.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{NextToken: page.NextToken}))
	if len(page.Bundles) != 25 || page.NextToken != nil {
		t.Fatalf("second page: %d, token %v", len(page.Bundles), page.NextToken)
	}
}

// A bundle from a BYOL image runs only in a DEDICATED directory (spec §19.2).
func TestCustomBundleDedicated(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	must[*workspaces.ModifyAccountOutput](t)(c.ModifyAccount(ctx, &workspaces.ModifyAccountInput{DedicatedTenancySupport: types.DedicatedTenancySupportEnumEnabled, DedicatedTenancyManagementCidrRange: aws.String("10.200.0.0/16")}))
	env.Advance(2 * time.Second)
	img := must[*workspaces.ImportWorkspaceImageOutput](t)(c.ImportWorkspaceImage(ctx, imgImportInput(imgAMI(1), "byol")))
	env.Advance(3 * time.Second)
	b := must[*workspaces.CreateWorkspaceBundleOutput](t)(cbCreate(c, "byol-std", *img.ImageId, types.ComputeStandard, "80", "50")).WorkspaceBundle
	imgRegister(t, env, c, imgDir, "")
	imgRegister(t, env, c, imgDedicated, types.TenancyDedicated)
	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{imgWorkspaceReq("alice", *b.BundleId)}}))
	if len(out.FailedRequests) != 1 || aws.ToString(out.FailedRequests[0].ErrorCode) != "InvalidParameterValues" {
		t.Fatalf("BYOL bundle in a shared-tenancy directory: %+v", out.FailedRequests)
	}
	r := imgWorkspaceReq("alice", *b.BundleId)
	r.DirectoryId = aws.String(imgDedicated)
	imgLaunch(t, c, r)
}
