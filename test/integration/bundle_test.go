package integration

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// DescribeWorkspaceBundles (spec §8): the public catalogue under Owner
// AMAZON, lookups by id, the caller's own bundles (none) otherwise.

func bundleIDs(bs []types.WorkspaceBundle) []string {
	ids := []string{}
	for _, b := range bs {
		ids = append(ids, aws.ToString(b.BundleId))
	}
	return ids
}

func TestBundleCatalogue(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)

	out := must[*workspaces.DescribeWorkspaceBundlesOutput](t)(c.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{Owner: aws.String("AMAZON")}))
	if out.NextToken != nil {
		t.Fatalf("catalogue of %d bundles has a NextToken", len(out.Bundles))
	}
	ids := bundleIDs(out.Bundles)
	// spec §8.2: at least these ten.
	for _, id := range []string{"wsb-bh8rsxt14", "wsb-df76rqys9", "wsb-b0s22j3d7", "wsb-gm4d5tx2v", "wsb-92tn3b7gx",
		"wsb-3t36q0xfc", "wsb-clj85qzj1", "wsb-2bs6k5lgn", "wsb-1pzkp0bx4", "wsb-03gyjnfyy"} {
		if !slices.Contains(ids, id) {
			t.Errorf("catalogue lacks %s: %v", id, ids)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	byID := map[string]types.WorkspaceBundle{}
	for _, b := range out.Bundles {
		if _, dup := byID[*b.BundleId]; dup {
			t.Fatalf("bundle %s listed twice", *b.BundleId)
		}
		byID[*b.BundleId] = b
		// Every public bundle: Owner "Amazon", AVAILABLE, REGULAR, an Amazon image, fixed times.
		if aws.ToString(b.Owner) != "Amazon" || b.State != types.WorkspaceBundleStateAvailable || b.BundleType != types.BundleTypeRegular ||
			!strings.HasPrefix(aws.ToString(b.ImageId), "wsi-") || aws.ToString(b.Name) == "" || aws.ToString(b.Description) == "" ||
			b.ComputeType == nil || b.RootStorage == nil || b.UserStorage == nil || b.CreationTime == nil || b.LastUpdatedTime == nil {
			t.Fatalf("public bundle %s = %+v", *b.BundleId, b)
		}
	}

	want := []struct {
		id, name   string
		compute    types.Compute
		root, user string
	}{
		{"wsb-bh8rsxt14", "Value with Windows 10 (English)", types.ComputeValue, "80", "10"},
		{"wsb-df76rqys9", "Value with Windows 10 and Office 2016", types.ComputeValue, "80", "10"},
		{"wsb-b0s22j3d7", "Performance with Windows 7", types.ComputePerformance, "80", "100"},
		{"wsb-gm4d5tx2v", "Performance with Windows 10 (Server 2016 based)", types.ComputePerformance, "80", "100"},
		{"wsb-3t36q0xfc", "Standard", types.ComputeStandard, "80", "50"},
		{"wsb-2bs6k5lgn", "Power with Amazon Linux 2", types.ComputePower, "175", "100"},
		{"wsb-1pzkp0bx4", "PowerPro with Windows 7", types.ComputePowerpro, "175", "100"},
		{"wsb-03gyjnfyy", "Graphics with Windows 10 (Server 2019 based)", types.ComputeGraphics, "100", "100"},
	}
	for _, w := range want {
		b := byID[w.id]
		if aws.ToString(b.Name) != w.name || b.ComputeType.Name != w.compute ||
			aws.ToString(b.RootStorage.Capacity) != w.root || aws.ToString(b.UserStorage.Capacity) != w.user {
			t.Errorf("%s = {%q %s root %q user %q}, want {%q %s %q %q}", w.id, aws.ToString(b.Name), b.ComputeType.Name,
				aws.ToString(b.RootStorage.Capacity), aws.ToString(b.UserStorage.Capacity), w.name, w.compute, w.root, w.user)
		}
	}
	b7 := byID["wsb-b0s22j3d7"]
	if aws.ToString(b7.Description) != "Performance with Windows 7" || aws.ToString(b7.Owner) != "Amazon" {
		t.Errorf("wsb-b0s22j3d7 description/owner = %q / %q", aws.ToString(b7.Description), aws.ToString(b7.Owner))
	}

	// The same catalogue for every account and region, at any time.
	env.Advance(24 * time.Hour)
	other := env.WorkSpaces(testenv.AccountB, "eu-west-1")
	again := must[*workspaces.DescribeWorkspaceBundlesOutput](t)(other.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{Owner: aws.String("AMAZON")}))
	if !slices.Equal(bundleIDs(again.Bundles), ids) {
		t.Fatalf("account B / eu-west-1 catalogue = %v, want %v", bundleIDs(again.Bundles), ids)
	}
	for i := range again.Bundles {
		if !again.Bundles[i].CreationTime.Equal(*out.Bundles[i].CreationTime) || !again.Bundles[i].LastUpdatedTime.Equal(*out.Bundles[i].LastUpdatedTime) {
			t.Fatalf("bundle times moved with the clock: %v → %v", out.Bundles[i].CreationTime, again.Bundles[i].CreationTime)
		}
	}

	// The SDK paginator walks the same list.
	p := workspaces.NewDescribeWorkspaceBundlesPaginator(c, &workspaces.DescribeWorkspaceBundlesInput{Owner: aws.String("AMAZON")})
	var paged []string
	for pages := 0; p.HasMorePages(); pages++ {
		if pages > 10 {
			t.Fatal("paginator does not end")
		}
		paged = append(paged, bundleIDs(must[*workspaces.DescribeWorkspaceBundlesOutput](t)(p.NextPage(ctx)).Bundles)...)
	}
	if !slices.Equal(paged, ids) {
		t.Fatalf("paginated = %v, want %v", paged, ids)
	}
}

func TestBundleFilters(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	describe := func(in *workspaces.DescribeWorkspaceBundlesInput) []string {
		t.Helper()
		out := must[*workspaces.DescribeWorkspaceBundlesOutput](t)(c.DescribeWorkspaceBundles(ctx, in))
		if out.Bundles == nil {
			t.Fatalf("Bundles absent for %+v, want a list", in)
		}
		if out.NextToken != nil {
			t.Fatalf("unexpected NextToken for %+v", in)
		}
		return bundleIDs(out.Bundles)
	}

	got := describe(&workspaces.DescribeWorkspaceBundlesInput{BundleIds: []string{"wsb-b0s22j3d7", "wsb-000000000", "wsb-bh8rsxt14"}})
	if len(got) != 2 || !slices.Contains(got, "wsb-b0s22j3d7") || !slices.Contains(got, "wsb-bh8rsxt14") {
		t.Fatalf("by ids = %v", got)
	}
	out := must[*workspaces.DescribeWorkspaceBundlesOutput](t)(c.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{BundleIds: []string{"wsb-df76rqys9"}}))
	if len(out.Bundles) != 1 {
		t.Fatalf("by one id = %v", bundleIDs(out.Bundles))
	}
	if b := out.Bundles[0]; aws.ToString(b.Owner) != "Amazon" || b.ComputeType.Name != types.ComputeValue ||
		aws.ToString(b.RootStorage.Capacity) != "80" || aws.ToString(b.UserStorage.Capacity) != "10" {
		t.Fatalf("wsb-df76rqys9 = %+v", b)
	}
	if got := describe(&workspaces.DescribeWorkspaceBundlesInput{BundleIds: []string{"wsb-000000000"}}); len(got) != 0 {
		t.Fatalf("unknown id = %v", got)
	}
	// No owner: the caller's own bundles (none); another account id or owner: none.
	for _, in := range []*workspaces.DescribeWorkspaceBundlesInput{
		{},
		{Owner: aws.String(testenv.AccountA)},
		{Owner: aws.String(testenv.AccountB)},
		{Owner: aws.String("amazon")},
		{Owner: aws.String("Amazon")},
	} {
		if got := describe(in); len(got) != 0 {
			t.Fatalf("owner %q = %v, want none", aws.ToString(in.Owner), got)
		}
	}

	_, err := c.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{BundleIds: []string{"wsb-bh8rsxt14"}, Owner: aws.String("AMAZON")})
	wantCode(t, err, "InvalidParameterValuesException")
	ids26 := make([]string, 26)
	for i := range ids26 {
		ids26[i] = "wsb-bh8rsxt14"
	}
	_, err = c.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{BundleIds: ids26})
	wantCode(t, err, "ValidationException")
	_, err = c.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{BundleIds: []string{"bh8rsxt14"}})
	wantCode(t, err, "ValidationException")
	_, err = c.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{Owner: aws.String("AMAZON"), NextToken: aws.String("garbage")})
	wantCode(t, err, "InvalidParameterValuesException")
	// Public bundles are not taggable resources of the caller.
	_, err = c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String("wsb-bh8rsxt14")})
	wantCode(t, err, "ResourceNotFoundException")
}

// TestBundleCatalogueFidelity: the public bundles the AWS CLI examples and
// the Terraform pool configuration name are in the catalogue (spec §18.3,
// docs/bundles.md), and CreateWorkspaces accepts the CLI example's bundle.
func TestBundleCatalogueFidelity(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	out := must[*workspaces.DescribeWorkspaceBundlesOutput](t)(c.DescribeWorkspaceBundles(ctx, &workspaces.DescribeWorkspaceBundlesInput{BundleIds: []string{"wsb-0zsvgp8fc", "wsb-j4dky1gs4", "wsb-93xk71ss4"}}))
	want := map[string]string{"wsb-0zsvgp8fc": "VALUE", "wsb-j4dky1gs4": "PERFORMANCE", "wsb-93xk71ss4": "STANDARD"}
	if len(out.Bundles) != 3 {
		t.Fatalf("bundles = %v", bundleIDs(out.Bundles))
	}
	for _, b := range out.Bundles {
		if string(b.ComputeType.Name) != want[*b.BundleId] {
			t.Errorf("%s compute %s, want %s", *b.BundleId, b.ComputeType.Name, want[*b.BundleId])
		}
	}
	if *out.Bundles[2].Name != "Standard with Windows 10 (Server 2022 based) (WSP)" {
		t.Errorf("pool bundle name %q", *out.Bundles[2].Name)
	}
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-926722edaf")}))
	env.Advance(time.Second)
	cw := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{
		{DirectoryId: aws.String("d-926722edaf"), UserName: aws.String("Mateo"), BundleId: aws.String("wsb-0zsvgp8fc")}}}))
	if len(cw.PendingRequests) != 1 {
		t.Fatalf("CLI example create-workspaces: %+v", cw.FailedRequests)
	}
	// us-west-2 registration codes start WSpdx+ (the CLI example).
	w := env.WorkSpaces(testenv.AccountA, "us-west-2")
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(w.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-926722edaf")}))
	d := must[*workspaces.DescribeWorkspaceDirectoriesOutput](t)(w.DescribeWorkspaceDirectories(ctx, &workspaces.DescribeWorkspaceDirectoriesInput{}))
	if code := aws.ToString(d.Directories[0].RegistrationCode); !strings.HasPrefix(code, "WSpdx+") {
		t.Fatalf("us-west-2 registration code %s", code)
	}
}
