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

// Applications (workspaces-more §20), with the frozen clock and the default
// delays: application.deploy 2s (1s queued, 1s installing), workspace create
// 2s, image create 2s.

const (
	appOffice2016       = "wsa-off2016p1"
	appOffice2019       = "wsa-off2019p1"
	appOfficePro        = "wsa-off21pro1"
	appOfficeStd        = "wsa-off21std1"
	appVisioPro         = "wsa-vis21pro1"
	appVisioStd         = "wsa-vis21std1"
	appProjectPro       = "wsa-prj21pro1"
	appVSPro            = "wsa-vs22pro01"
	appOffice2016Bundle = "wsb-df76rqys9" // VALUE, Windows 10, Office 2016
	appStandardBundle   = "wsb-3t36q0xfc" // STANDARD, Windows 10
)

func appIDs(apps []types.WorkSpaceApplication) []string {
	out := make([]string, len(apps))
	for i, a := range apps {
		out[i] = aws.ToString(a.ApplicationId)
	}
	return out
}

func appAssociate(c *workspaces.Client, wsID, appID string) (*types.WorkspaceResourceAssociation, error) {
	out, err := c.AssociateWorkspaceApplication(ctx, &workspaces.AssociateWorkspaceApplicationInput{WorkspaceId: aws.String(wsID), ApplicationId: aws.String(appID)})
	if err != nil {
		return nil, err
	}
	return out.Association, nil
}

func appDisassociate(c *workspaces.Client, wsID, appID string) (*types.WorkspaceResourceAssociation, error) {
	out, err := c.DisassociateWorkspaceApplication(ctx, &workspaces.DisassociateWorkspaceApplicationInput{WorkspaceId: aws.String(wsID), ApplicationId: aws.String(appID)})
	if err != nil {
		return nil, err
	}
	return out.Association, nil
}

func appDeploy(c *workspaces.Client, wsID string, force bool) ([]types.WorkspaceResourceAssociation, error) {
	out, err := c.DeployWorkspaceApplications(ctx, &workspaces.DeployWorkspaceApplicationsInput{WorkspaceId: aws.String(wsID), Force: aws.Bool(force)})
	if err != nil {
		return nil, err
	}
	return out.Deployment.Associations, nil
}

// appStates maps application id to association state on a WorkSpace.
func appStates(t *testing.T, c *workspaces.Client, wsID string) map[string]types.AssociationState {
	t.Helper()
	out := must[*workspaces.DescribeWorkspaceAssociationsOutput](t)(c.DescribeWorkspaceAssociations(ctx, &workspaces.DescribeWorkspaceAssociationsInput{
		WorkspaceId: aws.String(wsID), AssociatedResourceTypes: []types.WorkSpaceAssociatedResourceType{types.WorkSpaceAssociatedResourceTypeApplication},
	}))
	return assocStates(out.Associations)
}

func assocStates(as []types.WorkspaceResourceAssociation) map[string]types.AssociationState {
	m := map[string]types.AssociationState{}
	for _, a := range as {
		m[aws.ToString(a.AssociatedResourceId)] = a.State
	}
	return m
}

func appWantStates(t *testing.T, c *workspaces.Client, wsID string, want map[string]types.AssociationState) {
	t.Helper()
	got := appStates(t, c, wsID)
	if len(got) != len(want) {
		t.Fatalf("associations of %s = %v, want %v", wsID, got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("associations of %s = %v, want %v", wsID, got, want)
		}
	}
}

// appAssocResources lists DescribeApplicationAssociations page by page.
func appAssocResources(t *testing.T, c *workspaces.Client, appID string, max int32, kinds ...types.ApplicationAssociatedResourceType) ([]string, int) {
	t.Helper()
	var ids []string
	pages := 0
	var token *string
	for {
		in := &workspaces.DescribeApplicationAssociationsInput{ApplicationId: aws.String(appID), AssociatedResourceTypes: kinds, NextToken: token}
		if max > 0 {
			in.MaxResults = aws.Int32(max)
		}
		out := must[*workspaces.DescribeApplicationAssociationsOutput](t)(c.DescribeApplicationAssociations(ctx, in))
		pages++
		for _, a := range out.Associations {
			if aws.ToString(a.ApplicationId) != appID {
				t.Fatalf("association %+v is not of %s", a, appID)
			}
			ids = append(ids, string(a.AssociatedResourceType)+":"+aws.ToString(a.AssociatedResourceId))
		}
		if token = out.NextToken; token == nil {
			return ids, pages
		}
		if pages > 50 {
			t.Fatal("DescribeApplicationAssociations does not end")
		}
	}
}

func TestApplicationCatalogue(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	all := must[*workspaces.DescribeApplicationsOutput](t)(c.DescribeApplications(ctx, &workspaces.DescribeApplicationsInput{}))
	if len(all.Applications) != 10 || all.NextToken != nil {
		t.Fatalf("DescribeApplications = %d applications, token %v; want 10, none", len(all.Applications), all.NextToken)
	}
	for _, a := range all.Applications {
		if aws.ToString(a.Owner) != "AMAZON" || a.LicenseType != types.WorkSpaceApplicationLicenseTypeLicensed ||
			aws.ToString(a.Name) == "" || a.Created == nil || len(a.SupportedComputeTypeNames) == 0 || len(a.SupportedOperatingSystemNames) == 0 {
			t.Fatalf("application %+v lacks members", a)
		}
		want := types.WorkSpaceApplicationStateAvailable
		if id := aws.ToString(a.ApplicationId); id == appOffice2016 || id == appOffice2019 {
			want = types.WorkSpaceApplicationStateUninstallOnly
		}
		if a.State != want {
			t.Fatalf("%s State %s, want %s", aws.ToString(a.ApplicationId), a.State, want)
		}
	}
	count := func(in *workspaces.DescribeApplicationsInput) []string {
		t.Helper()
		return appIDs(must[*workspaces.DescribeApplicationsOutput](t)(c.DescribeApplications(ctx, in)).Applications)
	}
	if got := count(&workspaces.DescribeApplicationsInput{LicenseType: types.WorkSpaceApplicationLicenseTypeUnlicensed}); len(got) != 0 {
		t.Fatalf("UNLICENSED = %v", got)
	}
	if got := count(&workspaces.DescribeApplicationsInput{Owner: aws.String(testenv.AccountA)}); len(got) != 0 {
		t.Fatalf("Owner account = %v", got)
	}
	if got := count(&workspaces.DescribeApplicationsInput{Owner: aws.String("AMAZON")}); len(got) != 10 {
		t.Fatalf("Owner AMAZON = %v", got)
	}
	if got := count(&workspaces.DescribeApplicationsInput{ComputeTypeNames: []types.Compute{types.ComputeValue}}); len(got) != 8 || slices.Contains(got, appVSPro) {
		t.Fatalf("VALUE = %v, want 8 without Visual Studio", got)
	}
	if got := count(&workspaces.DescribeApplicationsInput{ComputeTypeNames: []types.Compute{types.ComputeValue, types.ComputeStandard}}); len(got) != 10 {
		t.Fatalf("VALUE or STANDARD = %v, want 10", got)
	}
	if got := count(&workspaces.DescribeApplicationsInput{OperatingSystemNames: []types.OperatingSystemName{types.OperatingSystemNameWindowsServer2016}, ApplicationIds: []string{appOffice2016, appOffice2019, "wsa-unknown001"}}); !slices.Equal(got, []string{appOffice2016}) {
		t.Fatalf("Server 2016 among the Offices = %v", got)
	}
	if got := count(&workspaces.DescribeApplicationsInput{OperatingSystemNames: []types.OperatingSystemName{types.OperatingSystemNameAmazonLinux2}}); len(got) != 0 {
		t.Fatalf("Amazon Linux 2 = %v", got)
	}
	// Pages of 3: 3, 3, 3, 1, the same order as one page.
	var paged []string
	var token *string
	for i := 0; ; i++ {
		out := must[*workspaces.DescribeApplicationsOutput](t)(c.DescribeApplications(ctx, &workspaces.DescribeApplicationsInput{MaxResults: aws.Int32(3), NextToken: token}))
		paged = append(paged, appIDs(out.Applications)...)
		if token = out.NextToken; token == nil {
			if i != 3 {
				t.Fatalf("%d pages, want 4", i+1)
			}
			break
		}
	}
	if !slices.Equal(paged, appIDs(all.Applications)) {
		t.Fatalf("paged %v, want %v", paged, appIDs(all.Applications))
	}
	first := must[*workspaces.DescribeApplicationsOutput](t)(c.DescribeApplications(ctx, &workspaces.DescribeApplicationsInput{MaxResults: aws.Int32(3)}))
	_, err := c.DescribeApplications(ctx, &workspaces.DescribeApplicationsInput{MaxResults: aws.Int32(3), NextToken: first.NextToken, LicenseType: types.WorkSpaceApplicationLicenseTypeLicensed})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = c.DescribeApplications(ctx, &workspaces.DescribeApplicationsInput{NextToken: aws.String("garbage")})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = c.DescribeApplications(ctx, &workspaces.DescribeApplicationsInput{MaxResults: aws.Int32(26)})
	wantCode(t, err, "ValidationException")
	_, err = c.DescribeApplications(ctx, &workspaces.DescribeApplicationsInput{ApplicationIds: []string{"not-an-app"}})
	wantCode(t, err, "ValidationException")
}

// TestApplicationLifecycle is scenarios 2, 4, 5, 7 and 9 of §20.8.
func TestApplicationLifecycle(t *testing.T) {
	env, c := wspStart(t)
	ws := wspReady(t, env, c, wspAutoStop(wspReq("alice", appStandardBundle)))[0]
	appWantStates(t, c, ws, map[string]types.AssociationState{})

	a, err := appAssociate(c, ws, appVisioPro)
	wspOK(t, err)
	if a.State != types.AssociationStatePendingInstallDeployment || aws.ToString(a.WorkspaceId) != ws || aws.ToString(a.AssociatedResourceId) != appVisioPro ||
		a.AssociatedResourceType != types.WorkSpaceAssociatedResourceTypeApplication || a.Created == nil || a.LastUpdatedTime == nil {
		t.Fatalf("association = %+v", a)
	}
	_, err = appAssociate(c, ws, appVisioPro)
	wantCode(t, err, "ResourceAlreadyExistsException")
	_, err = appAssociate(c, ws, appVisioStd)
	wantCode(t, err, "IncompatibleApplicationsException")
	_, err = appAssociate(c, ws, appOffice2019)
	wantCode(t, err, "ApplicationNotSupportedException")
	_, err = appAssociate(c, ws, "wsa-doesnotexist")
	wantCode(t, err, "ResourceNotFoundException")
	_, err = appAssociate(c, "ws-000000000", appVisioPro)
	wantCode(t, err, "ResourceNotFoundException")
	_, err = appAssociate(c, ws, "bad")
	wantCode(t, err, "ValidationException")
	must[*types.WorkspaceResourceAssociation](t)(appAssociate(c, ws, appProjectPro))

	// Deploy: PENDING_INSTALL, then INSTALLING after 1s, COMPLETED after 2s.
	dep, err := appDeploy(c, ws, false)
	wspOK(t, err)
	if got := assocStates(dep); got[appVisioPro] != types.AssociationStatePendingInstall || got[appProjectPro] != types.AssociationStatePendingInstall || len(got) != 2 {
		t.Fatalf("deployment = %v", got)
	}
	_, err = appDeploy(c, ws, false)
	wantCode(t, err, "ResourceInUseException")
	_, err = appAssociate(c, ws, appOfficePro)
	wantCode(t, err, "ResourceInUseException")
	_, err = appDisassociate(c, ws, appVisioPro)
	wantCode(t, err, "ResourceInUseException")
	env.Advance(time.Second)
	appWantStates(t, c, ws, map[string]types.AssociationState{appVisioPro: types.AssociationStateInstalling, appProjectPro: types.AssociationStateInstalling})
	env.Advance(time.Second)
	appWantStates(t, c, ws, map[string]types.AssociationState{appVisioPro: types.AssociationStateCompleted, appProjectPro: types.AssociationStateCompleted})

	// Nothing pending: deploy answers the associations unchanged.
	dep, err = appDeploy(c, ws, false)
	wspOK(t, err)
	if got := assocStates(dep); got[appVisioPro] != types.AssociationStateCompleted || len(got) != 2 {
		t.Fatalf("idle deployment = %v", got)
	}

	got, _ := appAssocResources(t, c, appVisioPro, 0, types.ApplicationAssociatedResourceTypeWorkspace)
	if !slices.Equal(got, []string{"WORKSPACE:" + ws}) {
		t.Fatalf("application associations = %v", got)
	}

	// Disassociate: PENDING_UNINSTALL_DEPLOYMENT (again: unchanged), deploy → REMOVED.
	a, err = appDisassociate(c, ws, appVisioPro)
	wspOK(t, err)
	if a.State != types.AssociationStatePendingUninstallDeployment {
		t.Fatalf("disassociate = %+v", a)
	}
	a, err = appDisassociate(c, ws, appVisioPro)
	wspOK(t, err)
	if a.State != types.AssociationStatePendingUninstallDeployment {
		t.Fatalf("disassociate again = %+v", a)
	}
	// Visio Standard fits once Visio Pro is on its way out.
	must[*types.WorkspaceResourceAssociation](t)(appAssociate(c, ws, appVisioStd))
	dep = must[[]types.WorkspaceResourceAssociation](t)(appDeploy(c, ws, false))
	if got := assocStates(dep); got[appVisioPro] != types.AssociationStatePendingUninstall || got[appVisioStd] != types.AssociationStatePendingInstall {
		t.Fatalf("deployment = %v", got)
	}
	env.Advance(time.Second)
	appWantStates(t, c, ws, map[string]types.AssociationState{appVisioPro: types.AssociationStateUninstalling, appVisioStd: types.AssociationStateInstalling, appProjectPro: types.AssociationStateCompleted})
	env.Advance(time.Second)
	appWantStates(t, c, ws, map[string]types.AssociationState{appVisioPro: types.AssociationStateRemoved, appVisioStd: types.AssociationStateCompleted, appProjectPro: types.AssociationStateCompleted})
	_, err = appDisassociate(c, ws, appVisioPro)
	wantCode(t, err, "ResourceNotFoundException")
	_, err = appDisassociate(c, ws, appOfficePro)
	wantCode(t, err, "ResourceNotFoundException")

	// A never-deployed association is removed at once; a REMOVED one can come back.
	must[*types.WorkspaceResourceAssociation](t)(appAssociate(c, ws, appOfficePro))
	a = must[*types.WorkspaceResourceAssociation](t)(appDisassociate(c, ws, appOfficePro))
	if a.State != types.AssociationStateRemoved {
		t.Fatalf("disassociate undeployed = %+v", a)
	}
	created := aws.ToTime(a.Created)
	env.Advance(time.Minute)
	a = must[*types.WorkspaceResourceAssociation](t)(appAssociate(c, ws, appOfficePro))
	if a.State != types.AssociationStatePendingInstallDeployment || !aws.ToTime(a.Created).Equal(created) || !aws.ToTime(a.LastUpdatedTime).After(created) {
		t.Fatalf("revived = %+v (first created %v)", a, created)
	}
	must[*types.WorkspaceResourceAssociation](t)(appDisassociate(c, ws, appOfficePro))
	// REMOVED associations disappear after a day.
	env.Advance(25 * time.Hour)
	appWantStates(t, c, ws, map[string]types.AssociationState{appVisioStd: types.AssociationStateCompleted, appProjectPro: types.AssociationStateCompleted})

	// State rules: ADMIN_MAINTENANCE refuses; STOPPED is allowed.
	wspOK(t, wspSetState(c, ws, types.TargetWorkspaceStateAdminMaintenance))
	_, err = appAssociate(c, ws, appOfficePro)
	wantCode(t, err, "OperationNotSupportedException")
	_, err = appDeploy(c, ws, false)
	wantCode(t, err, "OperationNotSupportedException")
	_, err = appDisassociate(c, ws, appVisioStd)
	wantCode(t, err, "OperationNotSupportedException")
	wspOK(t, wspSetState(c, ws, types.TargetWorkspaceStateAvailable))
	wspStop(t, c, ws)
	env.Advance(time.Second)
	wspWantState(t, c, ws, types.WorkspaceStateStopped)
	must[*types.WorkspaceResourceAssociation](t)(appAssociate(c, ws, appOfficePro))
	must[[]types.WorkspaceResourceAssociation](t)(appDeploy(c, ws, true))
	env.Advance(2 * time.Second)
	wspWantState(t, c, ws, types.WorkspaceStateStopped)
	if got := appStates(t, c, ws); got[appOfficePro] != types.AssociationStateCompleted {
		t.Fatalf("after deploying on a STOPPED WorkSpace: %v", got)
	}

	// Errors of the describe operations.
	_, err = c.DescribeWorkspaceAssociations(ctx, &workspaces.DescribeWorkspaceAssociationsInput{WorkspaceId: aws.String("ws-000000000"), AssociatedResourceTypes: []types.WorkSpaceAssociatedResourceType{types.WorkSpaceAssociatedResourceTypeApplication}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeWorkspaceAssociations(ctx, &workspaces.DescribeWorkspaceAssociationsInput{WorkspaceId: aws.String(ws), AssociatedResourceTypes: []types.WorkSpaceAssociatedResourceType{}})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = appDeploy(c, "ws-000000000", false)
	wantCode(t, err, "ResourceNotFoundException")

	// Termination drops the associations.
	wspTerminate(t, c, ws)
	got, _ = appAssocResources(t, c, appVisioStd, 0, types.ApplicationAssociatedResourceTypeWorkspace)
	if len(got) != 0 {
		t.Fatalf("after terminate: %v", got)
	}
}

// TestApplicationCompatibility is scenario 3 of §20.8.
func TestApplicationCompatibility(t *testing.T) {
	env, c := wspStart(t)
	ids := wspReady(t, env, c, wspReq("linux", wspLinux), wspReq("value", wspValue), wspReq("gfx", wspGraphics), wspReq("w7", "wsb-b0s22j3d7"))
	_, err := appAssociate(c, ids[0], appVisioPro)
	wantCode(t, err, "OperatingSystemNotCompatibleException")
	_, err = appAssociate(c, ids[1], appVSPro)
	wantCode(t, err, "ComputeNotCompatibleException")
	_, err = appAssociate(c, ids[2], appVisioPro)
	wantCode(t, err, "ComputeNotCompatibleException")
	_, err = appAssociate(c, ids[3], appVisioPro)
	wantCode(t, err, "OperatingSystemNotCompatibleException")
	_, err = appAssociate(c, ids[1], appVisioPro)
	wspOK(t, err)
	// Editions of one product exclude each other; products do not.
	_, err = appAssociate(c, ids[1], appOfficeStd)
	wspOK(t, err)
	_, err = appAssociate(c, ids[1], appOfficePro)
	wantCode(t, err, "IncompatibleApplicationsException")
}

// TestApplicationOfficeBundle is scenario 8 of §20.8: a WorkSpace of an Office
// 2016 bundle carries Office 2016 and swaps it for Office 2021 in one deploy.
func TestApplicationOfficeBundle(t *testing.T) {
	env, c := wspStart(t)
	ws := wspReady(t, env, c, wspReq("bob", appOffice2016Bundle))[0]
	appWantStates(t, c, ws, map[string]types.AssociationState{appOffice2016: types.AssociationStateCompleted})
	_, err := appAssociate(c, ws, appOfficePro)
	wantCode(t, err, "IncompatibleApplicationsException")
	a := must[*types.WorkspaceResourceAssociation](t)(appDisassociate(c, ws, appOffice2016))
	if a.State != types.AssociationStatePendingUninstallDeployment {
		t.Fatalf("disassociate Office 2016 = %+v", a)
	}
	must[*types.WorkspaceResourceAssociation](t)(appAssociate(c, ws, appOfficePro))
	dep := assocStates(must[[]types.WorkspaceResourceAssociation](t)(appDeploy(c, ws, false)))
	if dep[appOffice2016] != types.AssociationStatePendingUninstall || dep[appOfficePro] != types.AssociationStatePendingInstall {
		t.Fatalf("deployment = %v", dep)
	}
	env.Advance(2 * time.Second)
	appWantStates(t, c, ws, map[string]types.AssociationState{appOffice2016: types.AssociationStateRemoved, appOfficePro: types.AssociationStateCompleted})

	// The bundle's association; the WorkSpace's, by type.
	// Every public bundle whose name says Office 2016 carries it.
	officeBundles, _ := appAssocResources(t, c, appOffice2016, 0, types.ApplicationAssociatedResourceTypeBundle)
	if !slices.Contains(officeBundles, "BUNDLE:"+appOffice2016Bundle) {
		t.Fatalf("Office 2016 bundles = %v", officeBundles)
	}
	for _, b := range officeBundles {
		if !strings.HasPrefix(b, "BUNDLE:") {
			t.Fatalf("Office 2016 bundles = %v", officeBundles)
		}
	}
	got, _ := appAssocResources(t, c, appOffice2016, 0, types.ApplicationAssociatedResourceTypeWorkspace, types.ApplicationAssociatedResourceTypeBundle)
	if !slices.Equal(got, append(slices.Clone(officeBundles), "WORKSPACE:"+ws)) {
		t.Fatalf("Office 2016 bundles and WorkSpaces = %v", got)
	}

	// A rebuild restores the bundle's image: back to Office 2016 alone.
	if f := wspRebuild(t, c, ws); len(f) != 0 {
		t.Fatalf("rebuild: %s", wspChangeFailures(f))
	}
	appWantStates(t, c, ws, map[string]types.AssociationState{appOffice2016: types.AssociationStateCompleted})
}

// TestApplicationImages is scenario 6 of §20.8, plus copies, imports,
// sharing, deletion and the errors of DescribeImageAssociations.
func TestApplicationImages(t *testing.T) {
	env, c := wspStart(t)
	b := env.WorkSpaces(testenv.AccountB, testenv.Region)
	ws := wspReady(t, env, c, wspReq("carol", appStandardBundle))[0]
	must[*types.WorkspaceResourceAssociation](t)(appAssociate(c, ws, appVisioPro))
	must[*types.WorkspaceResourceAssociation](t)(appAssociate(c, ws, appProjectPro))
	must[[]types.WorkspaceResourceAssociation](t)(appDeploy(c, ws, false))
	env.Advance(2 * time.Second)
	must[*types.WorkspaceResourceAssociation](t)(appAssociate(c, ws, appOfficePro)) // pending: not on the image
	img := imgFromWorkspace(t, env, c, ws, "visio-image")
	imageApps := func(cl *workspaces.Client, id string) map[string]types.AssociationState {
		t.Helper()
		out := must[*workspaces.DescribeImageAssociationsOutput](t)(cl.DescribeImageAssociations(ctx, &workspaces.DescribeImageAssociationsInput{
			ImageId: aws.String(id), AssociatedResourceTypes: []types.ImageAssociatedResourceType{types.ImageAssociatedResourceTypeApplication},
		}))
		m := map[string]types.AssociationState{}
		for _, a := range out.Associations {
			if aws.ToString(a.ImageId) != id || a.AssociatedResourceType != types.ImageAssociatedResourceTypeApplication {
				t.Fatalf("image association %+v", a)
			}
			m[aws.ToString(a.AssociatedResourceId)] = a.State
		}
		return m
	}
	want := map[string]types.AssociationState{appVisioPro: types.AssociationStateCompleted, appProjectPro: types.AssociationStateCompleted}
	if got := imageApps(c, img); len(got) != 2 || got[appVisioPro] != want[appVisioPro] || got[appProjectPro] != want[appProjectPro] {
		t.Fatalf("image associations = %v, want %v", got, want)
	}
	_, err := b.DescribeImageAssociations(ctx, &workspaces.DescribeImageAssociationsInput{ImageId: aws.String(img), AssociatedResourceTypes: []types.ImageAssociatedResourceType{types.ImageAssociatedResourceTypeApplication}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeImageAssociations(ctx, &workspaces.DescribeImageAssociationsInput{ImageId: aws.String("wsi-000000000"), AssociatedResourceTypes: []types.ImageAssociatedResourceType{types.ImageAssociatedResourceTypeApplication}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeImageAssociations(ctx, &workspaces.DescribeImageAssociationsInput{ImageId: aws.String(img), AssociatedResourceTypes: []types.ImageAssociatedResourceType{}})
	wantCode(t, err, "InvalidParameterValuesException")

	// Shared with B: B sees the owner's associations, and lists the image.
	wspOK(t, imgShare(c, img, testenv.AccountB, true))
	if got := imageApps(b, img); len(got) != 2 {
		t.Fatalf("B sees %v", got)
	}
	got, _ := appAssocResources(t, b, appVisioPro, 0, types.ApplicationAssociatedResourceTypeImage, types.ApplicationAssociatedResourceTypeWorkspace)
	if !slices.Equal(got, []string{"IMAGE:" + img}) {
		t.Fatalf("B's Visio associations = %v", got)
	}
	got, _ = appAssocResources(t, c, appVisioPro, 0, types.ApplicationAssociatedResourceTypeImage, types.ApplicationAssociatedResourceTypeWorkspace, types.ApplicationAssociatedResourceTypeBundle)
	if !slices.Equal(got, []string{"IMAGE:" + img, "WORKSPACE:" + ws}) {
		t.Fatalf("A's Visio associations = %v", got)
	}

	// A copy carries the source's applications; deleting the image drops its.
	cp, err := imgCopy(c, "visio-copy", img, testenv.Region)
	wspOK(t, err)
	if got := imageApps(c, cp); len(got) != 2 {
		t.Fatalf("copy associations = %v", got)
	}
	wspOK(t, imgShare(c, img, testenv.AccountB, false))
	wspOK(t, imgDelete(c, img))
	got, _ = appAssocResources(t, c, appVisioPro, 0, types.ApplicationAssociatedResourceTypeImage)
	if !slices.Equal(got, []string{"IMAGE:" + cp}) {
		t.Fatalf("after delete = %v", got)
	}
}

func TestApplicationAssociationsPagination(t *testing.T) {
	env, c := wspStart(t)
	var reqs []types.WorkspaceRequest
	for _, u := range []string{"u1", "u2", "u3", "u4", "u5"} {
		reqs = append(reqs, wspReq(u, appOffice2016Bundle))
	}
	ids := wspReady(t, env, c, reqs...)
	bundles, _ := appAssocResources(t, c, appOffice2016, 0, types.ApplicationAssociatedResourceTypeBundle)
	nb := len(bundles) // every public bundle named for Office 2016
	all, pages := appAssocResources(t, c, appOffice2016, 0, types.ApplicationAssociatedResourceTypeBundle, types.ApplicationAssociatedResourceTypeWorkspace)
	if len(all) != nb+5 || pages != 1 || !slices.Equal(all[:nb], bundles) {
		t.Fatalf("one page: %v (%d pages)", all, pages)
	}
	for i, id := range ids {
		if all[nb+i] != "WORKSPACE:"+id {
			t.Fatalf("order %v, want WorkSpaces %v", all, ids)
		}
	}
	paged, pages := appAssocResources(t, c, appOffice2016, 2, types.ApplicationAssociatedResourceTypeBundle, types.ApplicationAssociatedResourceTypeWorkspace)
	if !slices.Equal(paged, all) || pages != (len(all)+1)/2 {
		t.Fatalf("pages of 2: %v in %d pages, want %v in %d", paged, pages, all, (len(all)+1)/2)
	}
	paged, pages = appAssocResources(t, c, appOffice2016, 1, types.ApplicationAssociatedResourceTypeWorkspace, types.ApplicationAssociatedResourceTypeBundle)
	if !slices.Equal(paged, all) || pages != len(all) {
		t.Fatalf("pages of 1: %v in %d pages", paged, pages)
	}
	first := must[*workspaces.DescribeApplicationAssociationsOutput](t)(c.DescribeApplicationAssociations(ctx, &workspaces.DescribeApplicationAssociationsInput{
		ApplicationId: aws.String(appOffice2016), AssociatedResourceTypes: []types.ApplicationAssociatedResourceType{types.ApplicationAssociatedResourceTypeWorkspace}, MaxResults: aws.Int32(1),
	}))
	_, err := c.DescribeApplicationAssociations(ctx, &workspaces.DescribeApplicationAssociationsInput{
		ApplicationId: aws.String(appOffice2016), AssociatedResourceTypes: []types.ApplicationAssociatedResourceType{types.ApplicationAssociatedResourceTypeBundle}, NextToken: first.NextToken,
	})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = c.DescribeApplicationAssociations(ctx, &workspaces.DescribeApplicationAssociationsInput{
		ApplicationId: aws.String("wsa-unknown001"), AssociatedResourceTypes: []types.ApplicationAssociatedResourceType{types.ApplicationAssociatedResourceTypeWorkspace},
	})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeApplicationAssociations(ctx, &workspaces.DescribeApplicationAssociationsInput{
		ApplicationId: aws.String(appOffice2016), AssociatedResourceTypes: []types.ApplicationAssociatedResourceType{},
	})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = c.DescribeApplicationAssociations(ctx, &workspaces.DescribeApplicationAssociationsInput{
		ApplicationId: aws.String(appOffice2016), AssociatedResourceTypes: []types.ApplicationAssociatedResourceType{types.ApplicationAssociatedResourceTypeWorkspace}, MaxResults: aws.Int32(0),
	})
	wantCode(t, err, "ValidationException")
}

func TestApplicationIsolation(t *testing.T) {
	env, c := wspStart(t)
	b := env.WorkSpaces(testenv.AccountB, testenv.Region)
	a2 := env.WorkSpaces(testenv.AccountA, "eu-west-1")
	ws := wspReady(t, env, c, wspReq("dave", appStandardBundle))[0]
	must[*types.WorkspaceResourceAssociation](t)(appAssociate(c, ws, appVisioPro))
	for _, other := range []*workspaces.Client{b, a2} {
		_, err := appAssociate(other, ws, appProjectPro)
		wantCode(t, err, "ResourceNotFoundException")
		_, err = appDisassociate(other, ws, appVisioPro)
		wantCode(t, err, "ResourceNotFoundException")
		_, err = appDeploy(other, ws, false)
		wantCode(t, err, "ResourceNotFoundException")
		got, _ := appAssocResources(t, other, appVisioPro, 0, types.ApplicationAssociatedResourceTypeWorkspace)
		if len(got) != 0 {
			t.Fatalf("another account or region sees %v", got)
		}
	}
}
