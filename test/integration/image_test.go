package integration

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// Images and cross-account image sharing (spec §3, §4.3, §10, §12,
// Appendix C.3) with the frozen clock and the default delays: workspace
// create 2s, directory register 1s, image create 2s, import 3s, copy 2s.

const (
	imgDir       = "d-1234567890"
	imgDedicated = "d-2222222222"
	imgWin10     = "wsb-bh8rsxt14" // VALUE, Windows 10
	imgLinux     = "wsb-clj85qzj1" // Amazon Linux 2
	imgWin7      = "wsb-b0s22j3d7" // Performance with Windows 7
)

var imgIDPattern = regexp.MustCompile(`^wsi-[0-9a-z]{9}$`)

// imgAMI returns a well-formed AMI id numbered n.
func imgAMI(n int) string { return fmt.Sprintf("ami-%017x", n) }

// imgRegister registers dir for c's account and waits until it is REGISTERED.
func imgRegister(t *testing.T, env *testenv.Env, c *workspaces.Client, dir string, tenancy types.Tenancy) {
	t.Helper()
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir), Tenancy: tenancy}))
	env.Advance(time.Second)
}

// imgWorkspaceReq is a WorkSpace request in imgDir.
func imgWorkspaceReq(user, bundle string) types.WorkspaceRequest {
	return types.WorkspaceRequest{DirectoryId: aws.String(imgDir), UserName: aws.String(user), BundleId: aws.String(bundle)}
}

// imgLaunch creates one WorkSpace and returns its id without waiting.
func imgLaunch(t *testing.T, c *workspaces.Client, r types.WorkspaceRequest) string {
	t.Helper()
	out := must[*workspaces.CreateWorkspacesOutput](t)(c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{r}}))
	if len(out.PendingRequests) != 1 || len(out.FailedRequests) != 0 {
		t.Fatalf("CreateWorkspaces(%s): %d pending, %d failed %+v", aws.ToString(r.UserName), len(out.PendingRequests), len(out.FailedRequests), out.FailedRequests)
	}
	return *out.PendingRequests[0].WorkspaceId
}

// imgWorkspace creates one WorkSpace and waits the 2s until it is AVAILABLE.
func imgWorkspace(t *testing.T, env *testenv.Env, c *workspaces.Client, r types.WorkspaceRequest) string {
	t.Helper()
	id := imgLaunch(t, c, r)
	env.Advance(2 * time.Second)
	imgWantWorkspace(t, c, id, types.WorkspaceStateAvailable)
	return id
}

func imgWantWorkspace(t *testing.T, c *workspaces.Client, id string, want types.WorkspaceState) {
	t.Helper()
	out := must[*workspaces.DescribeWorkspacesOutput](t)(c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{id}}))
	if len(out.Workspaces) != 1 || out.Workspaces[0].State != want {
		t.Fatalf("WorkSpace %s = %+v, want state %s", id, out.Workspaces, want)
	}
}

// imgGet returns the image as DescribeWorkspaceImages{ImageIds:[id]} shows
// it to c, or nil when c cannot see it.
func imgGet(t *testing.T, c *workspaces.Client, id string) *types.WorkspaceImage {
	t.Helper()
	out := must[*workspaces.DescribeWorkspaceImagesOutput](t)(c.DescribeWorkspaceImages(ctx, &workspaces.DescribeWorkspaceImagesInput{ImageIds: []string{id}}))
	switch {
	case len(out.Images) == 0:
		return nil
	case len(out.Images) == 1 && aws.ToString(out.Images[0].ImageId) == id:
		return &out.Images[0]
	}
	t.Fatalf("DescribeWorkspaceImages(%s) = %d images", id, len(out.Images))
	return nil
}

func imgWantState(t *testing.T, c *workspaces.Client, id string, want types.WorkspaceImageState) *types.WorkspaceImage {
	t.Helper()
	im := imgGet(t, c, id)
	if im == nil {
		t.Fatalf("image %s not visible, want %s", id, want)
	}
	if im.State != want {
		t.Fatalf("image %s state = %s, want %s", id, im.State, want)
	}
	if want != types.WorkspaceImageStateError && (im.ErrorCode != nil || im.ErrorMessage != nil || len(im.ErrorDetails) != 0) {
		t.Fatalf("image %s in state %s has error fields %q %q %+v", id, want, aws.ToString(im.ErrorCode), aws.ToString(im.ErrorMessage), im.ErrorDetails)
	}
	return im
}

// imgWant checks the descriptive fields of an image.
func imgWant(t *testing.T, im *types.WorkspaceImage, name, desc, owner string, os types.OperatingSystemType, tenancy types.WorkspaceImageRequiredTenancy, created time.Time) {
	t.Helper()
	if !imgIDPattern.MatchString(aws.ToString(im.ImageId)) || aws.ToString(im.Name) != name || aws.ToString(im.Description) != desc ||
		aws.ToString(im.OwnerAccountId) != owner || im.OperatingSystem == nil || im.OperatingSystem.Type != os ||
		im.RequiredTenancy != tenancy || im.Created == nil || !im.Created.Equal(created) {
		var ost types.OperatingSystemType
		if im.OperatingSystem != nil {
			ost = im.OperatingSystem.Type
		}
		t.Fatalf("image = {%s %q %q owner %s %s %s %v}, want {%q %q owner %s %s %s %v}", aws.ToString(im.ImageId), aws.ToString(im.Name),
			aws.ToString(im.Description), aws.ToString(im.OwnerAccountId), ost, im.RequiredTenancy, im.Created, name, desc, owner, os, tenancy, created)
	}
}

func imgImportInput(ami, name string) *workspaces.ImportWorkspaceImageInput {
	return &workspaces.ImportWorkspaceImageInput{
		Ec2ImageId: aws.String(ami), IngestionProcess: types.WorkspaceImageIngestionProcessByolRegularWsp,
		ImageName: aws.String(name), ImageDescription: aws.String("Golden image"),
	}
}

func imgImport(t *testing.T, c *workspaces.Client, ami, name string) string {
	t.Helper()
	out := must[*workspaces.ImportWorkspaceImageOutput](t)(c.ImportWorkspaceImage(ctx, imgImportInput(ami, name)))
	if !imgIDPattern.MatchString(aws.ToString(out.ImageId)) {
		t.Fatalf("ImportWorkspaceImage ImageId = %q", aws.ToString(out.ImageId))
	}
	return *out.ImageId
}

func imgCreate(c *workspaces.Client, wsID, name string) (*workspaces.CreateWorkspaceImageOutput, error) {
	return c.CreateWorkspaceImage(ctx, &workspaces.CreateWorkspaceImageInput{
		WorkspaceId: aws.String(wsID), Name: aws.String(name), Description: aws.String("Image of " + wsID),
	})
}

// imgFromWorkspace images an AVAILABLE WorkSpace and waits the 2s until the
// image is AVAILABLE.
func imgFromWorkspace(t *testing.T, env *testenv.Env, c *workspaces.Client, wsID, name string) string {
	t.Helper()
	out := must[*workspaces.CreateWorkspaceImageOutput](t)(imgCreate(c, wsID, name))
	env.Advance(2 * time.Second)
	imgWantState(t, c, *out.ImageId, types.WorkspaceImageStateAvailable)
	return *out.ImageId
}

func imgShare(c *workspaces.Client, id, account string, allow bool) error {
	_, err := c.UpdateWorkspaceImagePermission(ctx, &workspaces.UpdateWorkspaceImagePermissionInput{
		ImageId: aws.String(id), SharedAccountId: aws.String(account), AllowCopyImage: aws.Bool(allow),
	})
	return err
}

func imgCopy(c *workspaces.Client, name, src, region string) (string, error) {
	out, err := c.CopyWorkspaceImage(ctx, &workspaces.CopyWorkspaceImageInput{Name: aws.String(name), SourceImageId: aws.String(src), SourceRegion: aws.String(region)})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.ImageId), nil
}

func imgDelete(c *workspaces.Client, id string) error {
	_, err := c.DeleteWorkspaceImage(ctx, &workspaces.DeleteWorkspaceImageInput{ImageId: aws.String(id)})
	return err
}

// imgPermissions returns the accounts DescribeWorkspaceImagePermissions lists.
func imgPermissions(t *testing.T, c *workspaces.Client, id string) []string {
	t.Helper()
	out := must[*workspaces.DescribeWorkspaceImagePermissionsOutput](t)(c.DescribeWorkspaceImagePermissions(ctx, &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String(id)}))
	if aws.ToString(out.ImageId) != id || out.NextToken != nil {
		t.Fatalf("DescribeWorkspaceImagePermissions ImageId %q NextToken %v", aws.ToString(out.ImageId), out.NextToken)
	}
	accounts := []string{}
	for _, p := range out.ImagePermissions {
		accounts = append(accounts, aws.ToString(p.SharedAccountId))
	}
	return accounts
}

// imgList returns the ids of every image DescribeWorkspaceImages lists for
// in (all pages), with the number of pages.
func imgList(t *testing.T, c *workspaces.Client, in workspaces.DescribeWorkspaceImagesInput) ([]string, int) {
	t.Helper()
	ids, pages := []string{}, 0
	for {
		out := must[*workspaces.DescribeWorkspaceImagesOutput](t)(c.DescribeWorkspaceImages(ctx, &in))
		pages++
		for _, im := range out.Images {
			ids = append(ids, aws.ToString(im.ImageId))
		}
		if out.NextToken == nil {
			return ids, pages
		}
		if pages > 100 {
			t.Fatal("DescribeWorkspaceImages does not stop paging")
		}
		in.NextToken = out.NextToken
	}
}

func imgListType(t *testing.T, c *workspaces.Client, typ types.ImageType) []string {
	t.Helper()
	ids, _ := imgList(t, c, workspaces.DescribeWorkspaceImagesInput{ImageType: typ})
	return ids
}

func imgTags(c *workspaces.Client, id string) ([]types.Tag, error) {
	out, err := c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String(id)})
	if err != nil {
		return nil, err
	}
	return out.TagList, nil
}

func imgWantIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func TestImageImportBYOL(t *testing.T) {
	env := testenv.Start(t)
	a, _, _ := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")

	start := env.Clock.Now()
	in := imgImportInput("ami-0123456789abcdef0", "win11-byol")
	in.Tags = []types.Tag{tag("team", "vdi")}
	out := must[*workspaces.ImportWorkspaceImageOutput](t)(a.ImportWorkspaceImage(ctx, in))
	id := aws.ToString(out.ImageId)
	if !imgIDPattern.MatchString(id) {
		t.Fatalf("ImageId = %q", id)
	}
	im := imgWantState(t, a, id, types.WorkspaceImageStatePending)
	imgWant(t, im, "win11-byol", "Golden image", acctA, types.OperatingSystemTypeWindows, types.WorkspaceImageRequiredTenancyDedicated, start)
	if im.Updates == nil || aws.ToBool(im.Updates.UpdateAvailable) {
		t.Fatalf("Updates = %+v, want UpdateAvailable false", im.Updates)
	}
	env.Advance(2 * time.Second)
	imgWantState(t, a, id, types.WorkspaceImageStatePending)
	env.Advance(time.Second)
	im = imgWantState(t, a, id, types.WorkspaceImageStateAvailable)
	imgWant(t, im, "win11-byol", "Golden image", acctA, types.OperatingSystemTypeWindows, types.WorkspaceImageRequiredTenancyDedicated, start)
	if tags, err := imgTags(a, id); err != nil || len(tags) != 1 || aws.ToString(tags[0].Key) != "team" || aws.ToString(tags[0].Value) != "vdi" {
		t.Fatalf("DescribeTags(%s) = %+v, %v", id, tags, err)
	}

	withApps := func(ami, name string, proc types.WorkspaceImageIngestionProcess, apps ...types.Application) *workspaces.ImportWorkspaceImageInput {
		in := imgImportInput(ami, name)
		in.IngestionProcess, in.Applications = proc, apps
		return in
	}
	for _, tc := range []struct {
		name string
		in   *workspaces.ImportWorkspaceImageInput
		code string
	}{
		{"same AMI again", imgImportInput("ami-0123456789abcdef0", "other-name"), "ResourceAlreadyExistsException"},
		{"duplicate name", imgImportInput(imgAMI(2), "win11-byol"), "ResourceAlreadyExistsException"},
		{"two applications", withApps(imgAMI(3), "two-apps", types.WorkspaceImageIngestionProcessByolRegular,
			types.ApplicationMicrosoftOffice2016, types.ApplicationMicrosoftOffice2019), "InvalidParameterValuesException"},
		{"Office 2016 with BYOL_REGULAR_WSP", withApps(imgAMI(4), "o16-wsp", types.WorkspaceImageIngestionProcessByolRegularWsp,
			types.ApplicationMicrosoftOffice2016), "InvalidParameterValuesException"},
		{"Office 2016 with BYOL_GRAPHICS_G4DN", withApps(imgAMI(5), "o16-g4dn", types.WorkspaceImageIngestionProcessByolGraphicsG4dn,
			types.ApplicationMicrosoftOffice2016), "InvalidParameterValuesException"},
		{"malformed AMI (model)", imgImportInput("ami-123", "bad-ami"), "ValidationException"},
		{"name with a space (model)", imgImportInput(imgAMI(6), "bad name"), "ValidationException"},
		{"unknown ingestion process (model)", withApps(imgAMI(7), "bad-proc", "BYOL_SOMETHING"), "ValidationException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.ImportWorkspaceImage(ctx, tc.in)
			wantCode(t, err, tc.code)
		})
	}
	imgWantIDs(t, "owned after refused imports", imgListType(t, a, types.ImageTypeOwned), id)

	// Allowed Office combinations.
	o16 := must[*workspaces.ImportWorkspaceImageOutput](t)(a.ImportWorkspaceImage(ctx, withApps(imgAMI(8), "o16-pcoip", types.WorkspaceImageIngestionProcessByolRegular, types.ApplicationMicrosoftOffice2016)))
	o19 := must[*workspaces.ImportWorkspaceImageOutput](t)(a.ImportWorkspaceImage(ctx, withApps(imgAMI(9), "o19-wsp", types.WorkspaceImageIngestionProcessByolRegularWsp, types.ApplicationMicrosoftOffice2019)))
	byop := must[*workspaces.ImportWorkspaceImageOutput](t)(a.ImportWorkspaceImage(ctx, withApps(imgAMI(10), "byop", types.WorkspaceImageIngestionProcessByolRegularByop)))
	imgWantIDs(t, "owned", imgListType(t, a, types.ImageTypeOwned), id, *o16.ImageId, *o19.ImageId, *byop.ImageId)

	// Once the image is deleted its AMI may be imported again.
	must[*workspaces.DeleteWorkspaceImageOutput](t)(a.DeleteWorkspaceImage(ctx, &workspaces.DeleteWorkspaceImageInput{ImageId: &id}))
	again := imgImport(t, a, "ami-0123456789abcdef0", "win11-byol")
	if again == id {
		t.Fatalf("re-import reused id %s", id)
	}
}

func TestImageImportNotEnabled(t *testing.T) {
	env := testenv.Start(t)
	_, b, c := acctClients(env)
	start := env.Clock.Now()
	id := imgImport(t, b, imgAMI(1), "not-byol")
	// C's BYOL modification is only PENDING when it imports.
	if err := acctModify(c, "10.201.0.0/16"); err != nil {
		t.Fatal(err)
	}
	cid := imgImport(t, c, imgAMI(1), "pending-byol")

	imgWant(t, imgWantState(t, b, id, types.WorkspaceImageStatePending), "not-byol", "Golden image", acctB,
		types.OperatingSystemTypeWindows, types.WorkspaceImageRequiredTenancyDedicated, start)
	env.Advance(2 * time.Second)
	imgWantState(t, b, id, types.WorkspaceImageStatePending)
	env.Advance(time.Second)
	for _, x := range []struct {
		c     *workspaces.Client
		id    string
		owner string
	}{{b, id, acctB}, {c, cid, acctC}} {
		im := imgWantState(t, x.c, x.id, types.WorkspaceImageStateError)
		if aws.ToString(im.ErrorCode) != string(types.WorkspaceImageErrorDetailCodeWorkspacesByolAccountDisabled) || aws.ToString(im.ErrorMessage) == "" ||
			len(im.ErrorDetails) != 1 || im.ErrorDetails[0].ErrorCode != types.WorkspaceImageErrorDetailCodeWorkspacesByolAccountDisabled ||
			aws.ToString(im.ErrorDetails[0].ErrorMessage) == "" || aws.ToString(im.OwnerAccountId) != x.owner {
			t.Fatalf("failed import = {%q %q %+v owner %s}", aws.ToString(im.ErrorCode), aws.ToString(im.ErrorMessage), im.ErrorDetails, aws.ToString(im.OwnerAccountId))
		}
	}
	// An ERROR image can be neither shared nor copied, but can be deleted.
	wantCode(t, imgShare(b, id, acctC, true), "ResourceUnavailableException")
	_, err := imgCopy(b, "copy-of-error", id, testenv.Region)
	wantCode(t, err, "ResourceUnavailableException")
	if err := imgDelete(b, id); err != nil {
		t.Fatalf("delete ERROR image: %v", err)
	}
	if imgGet(t, b, id) != nil {
		t.Fatalf("deleted image still listed")
	}
	imgImport(t, b, imgAMI(1), "not-byol") // name and AMI are free again
}

func TestImageQuota(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	imgRegister(t, env, a, imgDir, "")
	ws1 := imgWorkspace(t, env, a, imgWorkspaceReq("alice", imgWin10))
	fromWS := imgFromWorkspace(t, env, a, ws1, "from-ws")
	var imported []string
	for i := range 39 {
		imported = append(imported, imgImport(t, a, imgAMI(i), fmt.Sprintf("q%02d", i)))
	}
	env.Advance(3 * time.Second)

	_, err := a.ImportWorkspaceImage(ctx, imgImportInput(imgAMI(100), "q-extra"))
	wantCode(t, err, "ResourceLimitExceededException")
	_, err = imgCreate(a, ws1, "q-create")
	wantCode(t, err, "ResourceLimitExceededException")
	imgWantWorkspace(t, a, ws1, types.WorkspaceStateAvailable) // not SUSPENDED by the refused call
	_, err = imgCopy(a, "q-copy", fromWS, testenv.Region)
	wantCode(t, err, "ResourceLimitExceededException")
	if ids, _ := imgList(t, a, workspaces.DescribeWorkspaceImagesInput{}); len(ids) != 40 {
		t.Fatalf("A owns %d images, want 40", len(ids))
	}

	// The quota is per account and region; images in any state count, and
	// shared images do not count until copied.
	for i := range 40 {
		imgImport(t, b, imgAMI(i), fmt.Sprintf("b%02d", i)) // ERROR: B is not BYOL-enabled
	}
	_, err = b.ImportWorkspaceImage(ctx, imgImportInput(imgAMI(100), "b-extra"))
	wantCode(t, err, "ResourceLimitExceededException")
	imgImport(t, c, imgAMI(100), "c-extra")
	imgImport(t, env.WorkSpaces(acctA, acctWest), imgAMI(100), "west-extra")
	env.Advance(3 * time.Second)
	if err := imgShare(a, fromWS, acctB, true); err != nil {
		t.Fatal(err)
	}
	imgWantIDs(t, "B shared", imgListType(t, b, types.ImageTypeShared), fromWS)
	_, err = imgCopy(b, "b-copy", fromWS, testenv.Region)
	wantCode(t, err, "ResourceLimitExceededException")
	bOwned := imgListType(t, b, types.ImageTypeOwned)
	if err := imgDelete(b, bOwned[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := imgCopy(b, "b-copy", fromWS, testenv.Region); err != nil {
		t.Fatalf("copy after freeing a slot: %v", err)
	}
	_, err = b.ImportWorkspaceImage(ctx, imgImportInput(imgAMI(101), "b-extra"))
	wantCode(t, err, "ResourceLimitExceededException")

	// Freeing one of A's slots admits exactly one more image.
	if err := imgDelete(a, imported[0]); err != nil {
		t.Fatal(err)
	}
	imgImport(t, a, imgAMI(100), "q-extra")
	_, err = a.ImportWorkspaceImage(ctx, imgImportInput(imgAMI(101), "q-extra2"))
	wantCode(t, err, "ResourceLimitExceededException")
}

func TestImageCreateFromWorkspace(t *testing.T) {
	env := testenv.Start(t)
	a, b, _ := acctClients(env)
	imgRegister(t, env, a, imgDir, "")
	imgRegister(t, env, b, imgDir, "")

	ws1 := imgLaunch(t, a, imgWorkspaceReq("alice", imgWin10))
	_, err := imgCreate(a, ws1, "too-early")
	wantCode(t, err, "InvalidResourceStateException") // WorkSpace PENDING
	env.Advance(2 * time.Second)
	imgWantWorkspace(t, a, ws1, types.WorkspaceStateAvailable)

	start := env.Clock.Now()
	out := must[*workspaces.CreateWorkspaceImageOutput](t)(a.CreateWorkspaceImage(ctx, &workspaces.CreateWorkspaceImageInput{
		WorkspaceId: aws.String(ws1), Name: aws.String("golden"), Description: aws.String("Golden image"), Tags: []types.Tag{tag("k", "v")},
	}))
	id := aws.ToString(out.ImageId)
	imgWant(t, &types.WorkspaceImage{ImageId: out.ImageId, Name: out.Name, Description: out.Description, OwnerAccountId: out.OwnerAccountId,
		OperatingSystem: out.OperatingSystem, RequiredTenancy: out.RequiredTenancy, Created: out.Created},
		"golden", "Golden image", acctA, types.OperatingSystemTypeWindows, types.WorkspaceImageRequiredTenancyDefault, start)
	if out.State != types.WorkspaceImageStatePending {
		t.Fatalf("CreateWorkspaceImage State = %s, want PENDING", out.State)
	}
	imgWant(t, imgWantState(t, a, id, types.WorkspaceImageStatePending), "golden", "Golden image", acctA,
		types.OperatingSystemTypeWindows, types.WorkspaceImageRequiredTenancyDefault, start)

	// The source is SUSPENDED until the image is AVAILABLE.
	imgWantWorkspace(t, a, ws1, types.WorkspaceStateSuspended)
	_, err = imgCreate(a, ws1, "second")
	wantCode(t, err, "InvalidResourceStateException")
	term := must[*workspaces.TerminateWorkspacesOutput](t)(a.TerminateWorkspaces(ctx, &workspaces.TerminateWorkspacesInput{
		TerminateWorkspaceRequests: []types.TerminateRequest{{WorkspaceId: aws.String(ws1)}},
	}))
	if len(term.FailedRequests) != 1 {
		t.Fatalf("terminating a SUSPENDED WorkSpace: FailedRequests = %+v", term.FailedRequests)
	}
	env.Advance(time.Second)
	imgWantState(t, a, id, types.WorkspaceImageStatePending)
	imgWantWorkspace(t, a, ws1, types.WorkspaceStateSuspended)
	env.Advance(time.Second)
	imgWantState(t, a, id, types.WorkspaceImageStateAvailable)
	imgWantWorkspace(t, a, ws1, types.WorkspaceStateAvailable)
	if tags, err := imgTags(a, id); err != nil || len(tags) != 1 || aws.ToString(tags[0].Key) != "k" {
		t.Fatalf("image tags = %+v, %v", tags, err)
	}

	// Refusals leave the WorkSpace AVAILABLE.
	_, err = imgCreate(a, ws1, "golden")
	wantCode(t, err, "ResourceAlreadyExistsException")
	imgWantWorkspace(t, a, ws1, types.WorkspaceStateAvailable)
	_, err = imgCreate(a, "ws-000000000", "nothing")
	wantCode(t, err, "ResourceNotFoundException")
	_, err = imgCreate(b, ws1, "not-yours") // another account's WorkSpace
	wantCode(t, err, "ResourceNotFoundException")

	enc := func(user string, root, vol bool) types.WorkspaceRequest {
		r := imgWorkspaceReq(user, imgWin10)
		r.RootVolumeEncryptionEnabled, r.UserVolumeEncryptionEnabled = aws.Bool(root), aws.Bool(vol)
		r.VolumeEncryptionKey = aws.String("alias/aws/workspaces")
		return r
	}
	for _, tc := range []struct {
		name string
		req  types.WorkspaceRequest
		code string
	}{
		{"encrypted root volume", enc("encroot", true, false), "OperationNotSupportedException"},
		{"encrypted user volume", enc("encuser", false, true), "OperationNotSupportedException"},
		{"Windows 7 bundle", imgWorkspaceReq("win7", imgWin7), "OperationNotSupportedException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wsID := imgWorkspace(t, env, a, tc.req)
			_, err := imgCreate(a, wsID, "img-"+aws.ToString(tc.req.UserName))
			wantCode(t, err, tc.code)
			imgWantWorkspace(t, a, wsID, types.WorkspaceStateAvailable)
		})
	}

	// A volume modification in progress blocks imaging.
	ws2 := imgWorkspace(t, env, a, imgWorkspaceReq("bob", imgWin10))
	must[*workspaces.ModifyWorkspacePropertiesOutput](t)(a.ModifyWorkspaceProperties(ctx, &workspaces.ModifyWorkspacePropertiesInput{
		WorkspaceId: aws.String(ws2), WorkspaceProperties: &types.WorkspaceProperties{UserVolumeSizeGib: aws.Int32(50)},
	}))
	_, err = imgCreate(a, ws2, "mid-modify")
	wantCode(t, err, "InvalidResourceStateException")
	env.Advance(2 * time.Second)
	imgFromWorkspace(t, env, a, ws2, "after-modify")

	// Linux WorkSpaces give LINUX images.
	lin := imgWorkspace(t, env, a, imgWorkspaceReq("tux", imgLinux))
	linImg := imgFromWorkspace(t, env, a, lin, "linux")
	if im := imgGet(t, a, linImg); im.OperatingSystem == nil || im.OperatingSystem.Type != types.OperatingSystemTypeLinux {
		t.Fatalf("Linux image OperatingSystem = %+v", im.OperatingSystem)
	}

	for _, tc := range []struct {
		name string
		in   workspaces.CreateWorkspaceImageInput
	}{
		{"name with a space", workspaces.CreateWorkspaceImageInput{WorkspaceId: aws.String(ws1), Name: aws.String("a b"), Description: aws.String("d")}},
		{"description with !", workspaces.CreateWorkspaceImageInput{WorkspaceId: aws.String(ws1), Name: aws.String("ab"), Description: aws.String("d!")}},
		{"malformed WorkspaceId", workspaces.CreateWorkspaceImageInput{WorkspaceId: aws.String("nope"), Name: aws.String("ab"), Description: aws.String("d")}},
	} {
		t.Run(tc.name+" (model)", func(t *testing.T) {
			_, err := a.CreateWorkspaceImage(ctx, &tc.in)
			wantCode(t, err, "ValidationException")
		})
	}
}

func TestImageCreateFromDedicatedWorkspace(t *testing.T) {
	env := testenv.Start(t)
	a, _, _ := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	imgRegister(t, env, a, imgDedicated, types.TenancyDedicated)
	r := imgWorkspaceReq("alice", imgWin10)
	r.DirectoryId = aws.String(imgDedicated)
	ws1 := imgWorkspace(t, env, a, r)
	id := imgFromWorkspace(t, env, a, ws1, "dedicated")
	if im := imgGet(t, a, id); im.RequiredTenancy != types.WorkspaceImageRequiredTenancyDedicated {
		t.Fatalf("image of a DEDICATED WorkSpace has RequiredTenancy %s", im.RequiredTenancy)
	}
}

func TestImageCopy(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	imgRegister(t, env, a, imgDir, "")
	ws1 := imgWorkspace(t, env, a, imgWorkspaceReq("alice", imgWin10))
	srcOut := must[*workspaces.CreateWorkspaceImageOutput](t)(imgCreate(a, ws1, "source"))
	src := *srcOut.ImageId
	_, err := imgCopy(a, "too-early", src, testenv.Region)
	wantCode(t, err, "ResourceUnavailableException")
	env.Advance(2 * time.Second)
	imgWantState(t, a, src, types.WorkspaceImageStateAvailable)
	env.Advance(10 * time.Second)

	// Own image, same region: new id, Created = copy time, Description defaulted.
	copyTime := env.Clock.Now()
	own, err := imgCopy(a, "own-copy", src, testenv.Region)
	if err != nil {
		t.Fatal(err)
	}
	if own == src || !imgIDPattern.MatchString(own) {
		t.Fatalf("copy id %q (source %s)", own, src)
	}
	imgWant(t, imgWantState(t, a, own, types.WorkspaceImageStatePending), "own-copy", "Image of "+ws1, acctA,
		types.OperatingSystemTypeWindows, types.WorkspaceImageRequiredTenancyDefault, copyTime)
	_, err = imgCopy(a, "copy-of-pending", own, testenv.Region)
	wantCode(t, err, "ResourceUnavailableException")
	env.Advance(time.Second)
	imgWantState(t, a, own, types.WorkspaceImageStatePending)
	env.Advance(time.Second)
	imgWantState(t, a, own, types.WorkspaceImageStateAvailable)
	if im := imgGet(t, a, src); !im.Created.Equal(*srcOut.Created) {
		t.Fatalf("source Created changed to %v", im.Created)
	}
	if len(imgPermissions(t, a, own)) != 0 {
		t.Fatal("a copy must not be shared")
	}

	// Explicit description and tags.
	out := must[*workspaces.CopyWorkspaceImageOutput](t)(a.CopyWorkspaceImage(ctx, &workspaces.CopyWorkspaceImageInput{
		Name: aws.String("described"), Description: aws.String("Other text"), SourceImageId: aws.String(src),
		SourceRegion: aws.String(testenv.Region), Tags: []types.Tag{tag("copy", "yes")},
	}))
	if im := imgGet(t, a, *out.ImageId); aws.ToString(im.Description) != "Other text" {
		t.Fatalf("Description = %q", aws.ToString(im.Description))
	}
	if tags, err := imgTags(a, *out.ImageId); err != nil || len(tags) != 1 || aws.ToString(tags[0].Key) != "copy" {
		t.Fatalf("copy tags = %+v, %v", tags, err)
	}

	for _, tc := range []struct {
		name, copyName, src, region, code string
		c                                 *workspaces.Client
	}{
		{"name clash", "own-copy", src, testenv.Region, "ResourceAlreadyExistsException", a},
		{"source's own name", "source", src, testenv.Region, "ResourceAlreadyExistsException", a},
		{"unknown image", "x", "wsi-000000000", testenv.Region, "ResourceNotFoundException", a},
		{"wrong source region", "x", src, acctWest, "ResourceNotFoundException", a},
		{"not shared with B", "x", src, testenv.Region, "ResourceNotFoundException", b},
		{"not shared with C", "x", src, testenv.Region, "ResourceNotFoundException", c},
		{"malformed name (model)", "a b", src, testenv.Region, "ValidationException", a},
		{"malformed image id (model)", "x", "image-1", testenv.Region, "ValidationException", a},
		{"malformed region (model)", "x", src, "US_EAST_1", "ValidationException", a},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := imgCopy(tc.c, tc.copyName, tc.src, tc.region)
			wantCode(t, err, tc.code)
		})
	}

	// Shared image: the recipient's copy is its own.
	if err := imgShare(a, src, acctB, true); err != nil {
		t.Fatal(err)
	}
	env.Advance(5 * time.Second)
	bTime := env.Clock.Now()
	bCopy, err := imgCopy(b, "source", src, testenv.Region) // names are per owner
	if err != nil {
		t.Fatal(err)
	}
	imgWant(t, imgWantState(t, b, bCopy, types.WorkspaceImageStatePending), "source", "Image of "+ws1, acctB,
		types.OperatingSystemTypeWindows, types.WorkspaceImageRequiredTenancyDefault, bTime)
	imgWantIDs(t, "B owned", imgListType(t, b, types.ImageTypeOwned), bCopy)
	if imgGet(t, a, bCopy) != nil {
		t.Fatal("A sees B's copy")
	}
	_, err = imgCopy(c, "x", src, testenv.Region)
	wantCode(t, err, "ResourceNotFoundException")
	env.Advance(2 * time.Second)
	imgWantState(t, b, bCopy, types.WorkspaceImageStateAvailable)

	// After unsharing, B can no longer copy but keeps its copy.
	if err := imgShare(a, src, acctB, false); err != nil {
		t.Fatal(err)
	}
	_, err = imgCopy(b, "again", src, testenv.Region)
	wantCode(t, err, "ResourceNotFoundException")
	imgWantState(t, b, bCopy, types.WorkspaceImageStateAvailable)

	// Across regions: a DEFAULT image copies anywhere; a BYOL image only into
	// a region where the caller is BYOL-enabled.
	west := env.WorkSpaces(acctA, acctWest)
	westCopy, err := imgCopy(west, "from-east", src, testenv.Region)
	if err != nil {
		t.Fatal(err)
	}
	imgWantIDs(t, "A owned in us-west-2", imgListType(t, west, types.ImageTypeOwned), westCopy)
	if imgGet(t, a, westCopy) != nil {
		t.Fatal("the us-west-2 copy is listed in us-east-1")
	}
	byol := imgImport(t, a, imgAMI(1), "byol")
	env.Advance(3 * time.Second)
	_, err = imgCopy(west, "byol-west", byol, testenv.Region)
	wantCode(t, err, "OperationNotSupportedException")
	byolCopy, err := imgCopy(a, "byol-copy", byol, testenv.Region)
	if err != nil {
		t.Fatal(err)
	}
	if im := imgGet(t, a, byolCopy); im.RequiredTenancy != types.WorkspaceImageRequiredTenancyDedicated {
		t.Fatalf("copy of a BYOL image has RequiredTenancy %s", im.RequiredTenancy)
	}
	acctEnable(t, env, west, "10.200.0.0/16")
	if _, err := imgCopy(west, "byol-west", byol, testenv.Region); err != nil {
		t.Fatalf("BYOL copy into an enabled region: %v", err)
	}
}

func TestImageCopyBYOLIntoNonBYOLAccount(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	acctEnable(t, env, c, "10.201.0.0/16")
	byol := imgImport(t, a, imgAMI(1), "byol")
	env.Advance(3 * time.Second)
	if err := imgShare(a, byol, acctC, true); err != nil {
		t.Fatal(err)
	}
	// C sees the image in us-east-1 but is not BYOL-enabled in us-west-2.
	_, err := imgCopy(env.WorkSpaces(acctC, acctWest), "byol-west", byol, testenv.Region)
	wantCode(t, err, "OperationNotSupportedException")
	if _, err := imgCopy(c, "byol-c", byol, testenv.Region); err != nil {
		t.Fatalf("BYOL-enabled recipient copy: %v", err)
	}
	// B cannot be shared the BYOL image, so it cannot copy it either.
	wantCode(t, imgShare(a, byol, acctB, true), "OperationNotSupportedException")
	_, err = imgCopy(b, "byol-b", byol, testenv.Region)
	wantCode(t, err, "ResourceNotFoundException")
}

func TestImageDescribe(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	for _, cl := range []*workspaces.Client{a, b} {
		imgRegister(t, env, cl, imgDir, "")
	}
	wsA := imgWorkspace(t, env, a, imgWorkspaceReq("alice", imgWin10))
	a1 := imgFromWorkspace(t, env, a, wsA, "a1")
	a2 := imgFromWorkspace(t, env, a, wsA, "a2")
	wsB := imgWorkspace(t, env, b, imgWorkspaceReq("bob", imgWin10))
	b1 := imgFromWorkspace(t, env, b, wsB, "b1")
	if err := imgShare(a, a1, acctB, true); err != nil {
		t.Fatal(err)
	}
	env.Advance(time.Minute)

	imgWantIDs(t, "A default", imgListType(t, a, ""), a1, a2)
	imgWantIDs(t, "A OWNED", imgListType(t, a, types.ImageTypeOwned), a1, a2)
	imgWantIDs(t, "A SHARED", imgListType(t, a, types.ImageTypeShared))
	imgWantIDs(t, "B default (owned only)", imgListType(t, b, ""), b1)
	imgWantIDs(t, "B OWNED", imgListType(t, b, types.ImageTypeOwned), b1)
	imgWantIDs(t, "B SHARED", imgListType(t, b, types.ImageTypeShared), a1)
	imgWantIDs(t, "C default", imgListType(t, c, ""))
	imgWantIDs(t, "C SHARED", imgListType(t, c, types.ImageTypeShared))

	// The recipient sees the owner's id and the original Created.
	ownerView := imgGet(t, a, a1)
	out := must[*workspaces.DescribeWorkspaceImagesOutput](t)(b.DescribeWorkspaceImages(ctx, &workspaces.DescribeWorkspaceImagesInput{ImageType: types.ImageTypeShared}))
	shared := out.Images[0]
	if aws.ToString(shared.OwnerAccountId) != acctA || !shared.Created.Equal(*ownerView.Created) || !reflect.DeepEqual(shared, *ownerView) {
		t.Fatalf("recipient view %+v differs from owner view %+v", shared, *ownerView)
	}

	// ImageIds: only visible images, further narrowed by ImageType, in
	// request order (inferred, as DescribeWorkspaces: each id is one keyed read).
	ids := []string{b1, a2, a1, "wsi-000000000"}
	for _, tc := range []struct {
		name string
		c    *workspaces.Client
		typ  types.ImageType
		want []string
	}{
		{"B ids", b, "", []string{b1, a1}},
		{"B ids OWNED", b, types.ImageTypeOwned, []string{b1}},
		{"B ids SHARED", b, types.ImageTypeShared, []string{a1}},
		{"A ids", a, "", []string{a2, a1}},
		{"A ids SHARED", a, types.ImageTypeShared, nil},
		{"C ids", c, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := imgList(t, tc.c, workspaces.DescribeWorkspaceImagesInput{ImageIds: ids, ImageType: tc.typ})
			imgWantIDs(t, "images", got, tc.want...)
		})
	}
	// Images are per region.
	imgWantIDs(t, "A in us-west-2", imgListType(t, env.WorkSpaces(acctA, acctWest), ""))
	got, _ := imgList(t, env.WorkSpaces(acctB, acctWest), workspaces.DescribeWorkspaceImagesInput{ImageIds: []string{a1}})
	imgWantIDs(t, "B us-west-2 by id", got)

	for _, tc := range []struct {
		name string
		in   workspaces.DescribeWorkspaceImagesInput
	}{
		{"MaxResults 26", workspaces.DescribeWorkspaceImagesInput{MaxResults: aws.Int32(26)}},
		{"MaxResults 0", workspaces.DescribeWorkspaceImagesInput{MaxResults: aws.Int32(0)}},
		{"unknown ImageType", workspaces.DescribeWorkspaceImagesInput{ImageType: "MINE"}},
		{"malformed id", workspaces.DescribeWorkspaceImagesInput{ImageIds: []string{"image-1"}}},
	} {
		t.Run(tc.name+" (model)", func(t *testing.T) {
			_, err := a.DescribeWorkspaceImages(ctx, &tc.in)
			wantCode(t, err, "ValidationException")
		})
	}
}

func TestImageDescribePagination(t *testing.T) {
	env := testenv.Start(t)
	a, b, _ := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	var want []string
	for i := range 30 {
		want = append(want, imgImport(t, a, imgAMI(i), fmt.Sprintf("p%02d", i)))
	}
	p1 := must[*workspaces.DescribeWorkspaceImagesOutput](t)(a.DescribeWorkspaceImages(ctx, &workspaces.DescribeWorkspaceImagesInput{MaxResults: aws.Int32(25)}))
	if len(p1.Images) != 25 || p1.NextToken == nil || *p1.NextToken == "" {
		t.Fatalf("page 1: %d images, NextToken %v", len(p1.Images), p1.NextToken)
	}
	p2 := must[*workspaces.DescribeWorkspaceImagesOutput](t)(a.DescribeWorkspaceImages(ctx, &workspaces.DescribeWorkspaceImagesInput{MaxResults: aws.Int32(25), NextToken: p1.NextToken}))
	if len(p2.Images) != 5 || p2.NextToken != nil {
		t.Fatalf("page 2: %d images, NextToken %v", len(p2.Images), p2.NextToken)
	}
	var got []string
	for _, im := range slices.Concat(p1.Images, p2.Images) {
		got = append(got, *im.ImageId)
	}
	imgWantIDs(t, "two pages", got, want...)
	if all, pages := imgList(t, a, workspaces.DescribeWorkspaceImagesInput{}); pages != 2 || !slices.Equal(all, want) {
		t.Fatalf("default page size: %d images in %d pages", len(all), pages)
	}
	if all, pages := imgList(t, a, workspaces.DescribeWorkspaceImagesInput{MaxResults: aws.Int32(7), ImageType: types.ImageTypeOwned}); pages != 5 || !slices.Equal(all, want) {
		t.Fatalf("MaxResults 7: %d images in %d pages", len(all), pages)
	}
	if all, pages := imgList(t, a, workspaces.DescribeWorkspaceImagesInput{MaxResults: aws.Int32(2), ImageIds: []string{want[29], want[3], want[17]}}); pages != 2 ||
		!slices.Equal(all, []string{want[29], want[3], want[17]}) {
		t.Fatalf("ids, MaxResults 2: %v in %d pages", all, pages)
	}

	// A token belongs to its caller and filter. The operation models no
	// InvalidParameterValuesException, so a bad token is a ValidationException.
	_, err := b.DescribeWorkspaceImages(ctx, &workspaces.DescribeWorkspaceImagesInput{MaxResults: aws.Int32(25), NextToken: p1.NextToken})
	if err == nil {
		t.Fatal("B accepted A's NextToken")
	}
	_, err2 := a.DescribeWorkspaceImages(ctx, &workspaces.DescribeWorkspaceImagesInput{MaxResults: aws.Int32(25), NextToken: p1.NextToken, ImageType: types.ImageTypeShared})
	if err2 == nil {
		t.Fatal("a NextToken was accepted with another ImageType")
	}
	wantCode(t, err, "ValidationException")
	wantCode(t, err2, "ValidationException")
}

func TestImagePermissions(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	imgRegister(t, env, a, imgDir, "")
	ws1 := imgWorkspace(t, env, a, imgWorkspaceReq("alice", imgWin10))
	out := must[*workspaces.CreateWorkspaceImageOutput](t)(imgCreate(a, ws1, "shared"))
	id := *out.ImageId
	wantCode(t, imgShare(a, id, acctB, true), "ResourceUnavailableException") // PENDING
	env.Advance(2 * time.Second)

	imgWantIDs(t, "fresh permissions", imgPermissions(t, a, id))
	for _, acct := range []string{acctC, acctB, acctB} { // sharing twice is a no-op
		if err := imgShare(a, id, acct, true); err != nil {
			t.Fatalf("share with %s: %v", acct, err)
		}
	}
	imgWantIDs(t, "permissions", imgPermissions(t, a, id), acctB, acctC)
	p1 := must[*workspaces.DescribeWorkspaceImagePermissionsOutput](t)(a.DescribeWorkspaceImagePermissions(ctx, &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: &id, MaxResults: aws.Int32(1)}))
	if len(p1.ImagePermissions) != 1 || aws.ToString(p1.ImagePermissions[0].SharedAccountId) != acctB || p1.NextToken == nil {
		t.Fatalf("permissions page 1 = %+v, NextToken %v", p1.ImagePermissions, p1.NextToken)
	}
	p2 := must[*workspaces.DescribeWorkspaceImagePermissionsOutput](t)(a.DescribeWorkspaceImagePermissions(ctx, &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: &id, MaxResults: aws.Int32(1), NextToken: p1.NextToken}))
	if len(p2.ImagePermissions) != 1 || aws.ToString(p2.ImagePermissions[0].SharedAccountId) != acctC || p2.NextToken != nil {
		t.Fatalf("permissions page 2 = %+v, NextToken %v", p2.ImagePermissions, p2.NextToken)
	}
	imgWantIDs(t, "B SHARED", imgListType(t, b, types.ImageTypeShared), id)
	imgWantIDs(t, "C SHARED", imgListType(t, c, types.ImageTypeShared), id)

	// A recipient can neither share on, revoke, nor read the permissions.
	wantCode(t, imgShare(b, id, acctC, true), "OperationNotSupportedException")
	wantCode(t, imgShare(b, id, acctB, false), "OperationNotSupportedException")
	_, err := b.DescribeWorkspaceImagePermissions(ctx, &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: &id})
	wantCode(t, err, "ResourceNotFoundException")

	// Revoking C: C loses the image and every image operation on it is not found.
	if err := imgShare(a, id, acctC, false); err != nil {
		t.Fatal(err)
	}
	imgWantIDs(t, "permissions after revoke", imgPermissions(t, a, id), acctB)
	imgWantIDs(t, "C SHARED after revoke", imgListType(t, c, types.ImageTypeShared))
	if imgGet(t, c, id) != nil {
		t.Fatal("C still sees the image by id")
	}
	wantCode(t, imgShare(c, id, acctB, true), "ResourceNotFoundException")
	wantCode(t, imgShare(c, id, acctC, false), "ResourceNotFoundException")
	_, err = c.DescribeWorkspaceImagePermissions(ctx, &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: &id})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = imgCopy(c, "stolen", id, testenv.Region)
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: &id, Tags: []types.Tag{tag("k", "v")}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = imgTags(c, id)
	wantCode(t, err, "ResourceNotFoundException")
	if err := imgDelete(c, id); err != nil { // not visible: an unknown image, a no-op
		t.Fatalf("C delete: %v", err)
	}
	imgWantState(t, a, id, types.WorkspaceImageStateAvailable)

	// Owner-side parameter errors.
	wantCode(t, imgShare(a, id, acctC, false), "InvalidParameterValuesException") // not shared
	wantCode(t, imgShare(a, id, acctA, true), "InvalidParameterValuesException")  // self
	wantCode(t, imgShare(a, id, acctA, false), "InvalidParameterValuesException")
	wantCode(t, imgShare(a, "wsi-000000000", acctB, true), "ResourceNotFoundException")
	_, err = a.DescribeWorkspaceImagePermissions(ctx, &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String("wsi-000000000")})
	wantCode(t, err, "ResourceNotFoundException")
	wantCode(t, imgShare(a, id, "12345", true), "ValidationException")
	wantCode(t, imgShare(a, "image-1", acctB, true), "ValidationException")
	_, err = a.DescribeWorkspaceImagePermissions(ctx, &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String("image-1")})
	wantCode(t, err, "ValidationException")
	_, err = a.DescribeWorkspaceImagePermissions(ctx, &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: &id, MaxResults: aws.Int32(26)})
	wantCode(t, err, "ValidationException")
	_, err = a.DescribeWorkspaceImagePermissions(ctx, &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: &id, NextToken: aws.String("garbage")})
	wantCode(t, err, "InvalidParameterValuesException")
	imgWantIDs(t, "permissions after refusals", imgPermissions(t, a, id), acctB)

	// BYOL images go only to BYOL-enabled accounts.
	byol := imgImport(t, a, imgAMI(1), "byol")
	env.Advance(3 * time.Second)
	wantCode(t, imgShare(a, byol, acctB, true), "OperationNotSupportedException")
	wantCode(t, imgShare(a, byol, acctC, true), "OperationNotSupportedException")
	if err := acctModify(c, "10.201.0.0/16"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, imgShare(a, byol, acctC, true), "OperationNotSupportedException") // still PENDING
	env.Advance(2 * time.Second)
	if err := imgShare(a, byol, acctC, true); err != nil {
		t.Fatalf("share BYOL image with enabled C: %v", err)
	}
	imgWantIDs(t, "BYOL permissions", imgPermissions(t, a, byol), acctC)
	imgWantIDs(t, "C SHARED BYOL", imgListType(t, c, types.ImageTypeShared), byol)

	// Revoking B: B loses the image but keeps its copy.
	bCopy, err := imgCopy(b, "mine", id, testenv.Region)
	if err != nil {
		t.Fatal(err)
	}
	if err := imgShare(a, id, acctB, false); err != nil {
		t.Fatal(err)
	}
	imgWantIDs(t, "B SHARED after revoke", imgListType(t, b, types.ImageTypeShared))
	imgWantIDs(t, "B OWNED after revoke", imgListType(t, b, types.ImageTypeOwned), bCopy)
	imgWantIDs(t, "permissions emptied", imgPermissions(t, a, id))
}

func TestImageDelete(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	imgRegister(t, env, a, imgDir, "")
	ws1 := imgWorkspace(t, env, a, imgWorkspaceReq("alice", imgWin10))
	out := must[*workspaces.CreateWorkspaceImageOutput](t)(a.CreateWorkspaceImage(ctx, &workspaces.CreateWorkspaceImageInput{
		WorkspaceId: aws.String(ws1), Name: aws.String("doomed"), Description: aws.String("d"), Tags: []types.Tag{tag("k", "v")},
	}))
	id := *out.ImageId
	wantCode(t, imgDelete(a, id), "InvalidResourceStateException") // PENDING
	env.Advance(2 * time.Second)
	aCopy, err := imgCopy(a, "a-copy", id, testenv.Region)
	if err != nil {
		t.Fatal(err)
	}
	for _, acct := range []string{acctB, acctC} {
		if err := imgShare(a, id, acct, true); err != nil {
			t.Fatal(err)
		}
	}
	bCopy, err := imgCopy(b, "b-copy", id, testenv.Region)
	if err != nil {
		t.Fatal(err)
	}
	env.Advance(2 * time.Second)

	wantCode(t, imgDelete(a, id), "ResourceAssociatedException")
	wantCode(t, imgDelete(b, id), "AccessDeniedException") // a recipient
	if err := imgShare(a, id, acctB, false); err != nil {
		t.Fatal(err)
	}
	wantCode(t, imgDelete(a, id), "ResourceAssociatedException") // still shared with C
	wantCode(t, imgDelete(c, id), "AccessDeniedException")
	if err := imgDelete(b, id); err != nil { // no longer visible to B: unknown, no-op
		t.Fatalf("B delete after revoke: %v", err)
	}
	if err := imgShare(a, id, acctC, false); err != nil {
		t.Fatal(err)
	}
	if err := imgDelete(a, "wsi-000000000"); err != nil {
		t.Fatalf("unknown image: %v", err)
	}
	if imgGet(t, a, id) == nil {
		t.Fatal("image vanished before its delete")
	}
	if err := imgDelete(a, id); err != nil {
		t.Fatal(err)
	}
	if imgGet(t, a, id) != nil {
		t.Fatal("deleted image still listed")
	}
	_, err = imgTags(a, id)
	wantCode(t, err, "ResourceNotFoundException")
	if err := imgDelete(a, id); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	wantCode(t, imgDelete(a, "image-1"), "ValidationException")

	// Copies survive the source.
	imgWantState(t, a, aCopy, types.WorkspaceImageStateAvailable)
	imgWantState(t, b, bCopy, types.WorkspaceImageStateAvailable)
	imgWantIDs(t, "A owned", imgListType(t, a, ""), aCopy)
	imgWantIDs(t, "B owned", imgListType(t, b, ""), bCopy)
	// The name is free again.
	imgFromWorkspace(t, env, a, ws1, "doomed")
}

func TestImageTags(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	imgRegister(t, env, a, imgDir, "")
	ws1 := imgWorkspace(t, env, a, imgWorkspaceReq("alice", imgWin10))
	id := imgFromWorkspace(t, env, a, ws1, "tagged")
	if err := imgShare(a, id, acctB, true); err != nil {
		t.Fatal(err)
	}
	if tags, err := imgTags(a, id); err != nil || tags == nil || len(tags) != 0 {
		t.Fatalf("fresh image tags = %#v, %v; want []", tags, err)
	}
	must[*workspaces.CreateTagsOutput](t)(a.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: &id, Tags: []types.Tag{tag("a", "1"), tag("b", "2")}}))
	must[*workspaces.DeleteTagsOutput](t)(a.DeleteTags(ctx, &workspaces.DeleteTagsInput{ResourceId: &id, TagKeys: []string{"a"}}))
	if tags, err := imgTags(a, id); err != nil || len(tags) != 1 || aws.ToString(tags[0].Key) != "b" {
		t.Fatalf("owner tags = %+v, %v", tags, err)
	}
	// Tags are owner-only: the recipient B and the stranger C get not-found.
	for _, cl := range []*workspaces.Client{b, c} {
		_, err := imgTags(cl, id)
		wantCode(t, err, "ResourceNotFoundException")
		_, err = cl.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: &id, Tags: []types.Tag{tag("x", "y")}})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = cl.DeleteTags(ctx, &workspaces.DeleteTagsInput{ResourceId: &id, TagKeys: []string{"b"}})
		wantCode(t, err, "ResourceNotFoundException")
	}
	if tags, err := imgTags(a, id); err != nil || len(tags) != 1 || aws.ToString(tags[0].Key) != "b" {
		t.Fatalf("owner tags after others' attempts = %+v, %v", tags, err)
	}
	_, err := imgTags(a, "wsi-000000000")
	wantCode(t, err, "ResourceNotFoundException")
}

// TestImageScenarioC3 follows Appendix C.3 end to end.
func TestImageScenarioC3(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)

	// 1-2.
	acctWantDisabled(t, a)
	p := must[*workspaces.ListAvailableManagementCidrRangesOutput](t)(a.ListAvailableManagementCidrRanges(ctx, &workspaces.ListAvailableManagementCidrRangesInput{
		ManagementCidrRangeConstraint: aws.String("10.0.0.0/8"), MaxResults: aws.Int32(5),
	}))
	if !slices.Equal(p.ManagementCidrRanges, acctBlocks(10, 0, 4)) || p.NextToken == nil {
		t.Fatalf("ranges = %v, NextToken %v", p.ManagementCidrRanges, p.NextToken)
	}
	p = must[*workspaces.ListAvailableManagementCidrRangesOutput](t)(a.ListAvailableManagementCidrRanges(ctx, &workspaces.ListAvailableManagementCidrRangesInput{
		ManagementCidrRangeConstraint: aws.String("10.0.0.0/8"), MaxResults: aws.Int32(5), NextToken: p.NextToken,
	}))
	if len(p.ManagementCidrRanges) == 0 || p.ManagementCidrRanges[0] != "10.5.0.0/16" {
		t.Fatalf("next page = %v", p.ManagementCidrRanges)
	}
	if got, _ := acctRanges(t, a, "10.0.0.0/24", 5); len(got) != 0 {
		t.Fatalf("10.0.0.0/24 = %v", got)
	}

	// 3.
	if err := acctModify(a, "10.200.0.0/16"); err != nil {
		t.Fatal(err)
	}
	if m := acctModifications(t, a); len(m) != 1 || m[0].ModificationState != types.DedicatedTenancyModificationStateEnumPending {
		t.Fatalf("modifications = %+v", m)
	}
	wantCode(t, acctModify(a, "10.200.0.0/16"), "InvalidResourceStateException")
	env.Advance(2 * time.Second)
	if m := acctModifications(t, a); len(m) != 1 || m[0].ModificationState != types.DedicatedTenancyModificationStateEnumCompleted {
		t.Fatalf("modifications = %+v", m)
	}
	acctWantEnabled(t, a, "10.200.0.0/16", "")
	wantCode(t, acctModify(c, "8.8.0.0/16"), "InvalidParameterValuesException")

	// 4.
	imported := imgImport(t, a, "ami-0123456789abcdef0", "win11-byol")
	imgWantState(t, a, imported, types.WorkspaceImageStatePending)
	env.Advance(3 * time.Second)
	im := imgWantState(t, a, imported, types.WorkspaceImageStateAvailable)
	if im.RequiredTenancy != types.WorkspaceImageRequiredTenancyDedicated || aws.ToString(im.OwnerAccountId) != acctA {
		t.Fatalf("imported image = %+v", im)
	}

	// 5.
	wantCode(t, imgShare(a, imported, acctB, true), "OperationNotSupportedException")
	imgRegister(t, env, a, imgDir, "")
	ws1 := imgWorkspace(t, env, a, imgWorkspaceReq("alice", imgWin10))
	img := imgFromWorkspace(t, env, a, ws1, "golden")
	if err := imgShare(a, img, acctB, true); err != nil {
		t.Fatal(err)
	}
	imgWantIDs(t, "permissions", imgPermissions(t, a, img), acctB)

	// 6.
	created := imgGet(t, a, img).Created
	env.Advance(time.Hour)
	out := must[*workspaces.DescribeWorkspaceImagesOutput](t)(b.DescribeWorkspaceImages(ctx, &workspaces.DescribeWorkspaceImagesInput{ImageType: types.ImageTypeShared}))
	if len(out.Images) != 1 || aws.ToString(out.Images[0].ImageId) != img || aws.ToString(out.Images[0].OwnerAccountId) != acctA || !out.Images[0].Created.Equal(*created) {
		t.Fatalf("B SHARED = %+v", out.Images)
	}
	wantCode(t, imgShare(b, img, acctC, true), "OperationNotSupportedException")
	mine, err := imgCopy(b, "mine", img, testenv.Region)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(imgGet(t, b, mine).OwnerAccountId) != acctB {
		t.Fatal("B's copy is not owned by B")
	}
	env.Advance(2 * time.Second)

	// 7.
	wantCode(t, imgDelete(a, img), "ResourceAssociatedException")
	if err := imgShare(a, img, acctB, false); err != nil {
		t.Fatal(err)
	}
	if err := imgDelete(a, img); err != nil {
		t.Fatal(err)
	}
	imgWantState(t, b, mine, types.WorkspaceImageStateAvailable)
	imgWantIDs(t, "B SHARED at the end", imgListType(t, b, types.ImageTypeShared))
}
