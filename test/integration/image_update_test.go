package integration

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// Image updates and custom imports (spec §24) with the default delays:
// image update 2s, custom import 3s (12 stages of 250ms), account modify 2s.

func ciInput(name string, src types.ImageSourceIdentifier, os types.OSVersion, proto types.CustomImageProtocol) *workspaces.ImportCustomWorkspaceImageInput {
	return &workspaces.ImportCustomWorkspaceImageInput{ImageName: aws.String(name), ImageDescription: aws.String("Windows 11 golden"),
		ComputeType: types.ImageComputeTypeBase, Protocol: proto, ImageSource: src,
		InfrastructureConfigurationArn: aws.String("arn:aws:imagebuilder:us-east-1:111111111111:infrastructure-configuration/ws-byol"),
		Platform:                       types.PlatformWindows, OsVersion: os}
}

func ciDescribe(t *testing.T, c *workspaces.Client, id string) *workspaces.DescribeCustomWorkspaceImageImportOutput {
	t.Helper()
	return must[*workspaces.DescribeCustomWorkspaceImageImportOutput](t)(c.DescribeCustomWorkspaceImageImport(ctx, &workspaces.DescribeCustomWorkspaceImageImportInput{ImageId: aws.String(id)}))
}

func TestImportCustomWorkspaceImage(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	must[*workspaces.ModifyAccountOutput](t)(c.ModifyAccount(ctx, &workspaces.ModifyAccountInput{DedicatedTenancySupport: types.DedicatedTenancySupportEnumEnabled, DedicatedTenancyManagementCidrRange: aws.String("10.200.0.0/16")}))
	env.Advance(2 * time.Second)

	ami := &types.ImageSourceIdentifierMemberEc2ImageId{Value: "ami-0123456789abcdef0"}
	out := must[*workspaces.ImportCustomWorkspaceImageOutput](t)(c.ImportCustomWorkspaceImage(ctx, ciInput("win11-ib", ami, types.OSVersionWindows11, types.CustomImageProtocolDcv)))
	img := aws.ToString(out.ImageId)
	if !imgIDPattern.MatchString(img) || out.State != types.CustomWorkspaceImageImportStatePending {
		t.Fatalf("import = %+v", out)
	}
	d := ciDescribe(t, c, img)
	src, ok := d.ImageSource.(*types.ImageSourceIdentifierMemberEc2ImageId)
	if d.State != types.CustomWorkspaceImageImportStatePending || aws.ToInt32(d.ProgressPercentage) != 0 || !ok || src.Value != ami.Value || d.ImageBuilderInstanceId != nil {
		t.Fatalf("describe at start = %+v", d)
	}
	env.Advance(1750 * time.Millisecond)
	d = ciDescribe(t, c, img)
	if p := aws.ToInt32(d.ProgressPercentage); p <= 0 || p >= 100 || d.State == types.CustomWorkspaceImageImportStateCompleted || d.State == types.CustomWorkspaceImageImportStatePending {
		t.Fatalf("halfway = %s %d", d.State, p)
	}
	if d.State != types.CustomWorkspaceImageImportStateCreatingTestInstance || d.ImageBuilderInstanceId == nil {
		t.Fatalf("stage 7 of 12 = %s (instance %v)", d.State, d.ImageBuilderInstanceId)
	}
	env.Advance(1250 * time.Millisecond)
	d = ciDescribe(t, c, img)
	if d.State != types.CustomWorkspaceImageImportStateCompleted || aws.ToInt32(d.ProgressPercentage) != 100 {
		t.Fatalf("end = %s %d", d.State, aws.ToInt32(d.ProgressPercentage))
	}
	im := imgGet(t, c, img)
	if im.State != types.WorkspaceImageStateAvailable || im.RequiredTenancy != types.WorkspaceImageRequiredTenancyDedicated {
		t.Fatalf("image = %+v", im)
	}

	_, err := c.ImportCustomWorkspaceImage(ctx, ciInput("pcoip", &types.ImageSourceIdentifierMemberEc2ImageId{Value: "ami-0123456789abcdef1"}, types.OSVersionWindows11, types.CustomImageProtocolPcoip))
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = c.ImportCustomWorkspaceImage(ctx, ciInput("win11-ib", &types.ImageSourceIdentifierMemberEc2ImageId{Value: "ami-0123456789abcdef1"}, types.OSVersionWindows11, types.CustomImageProtocolDcv))
	wantCode(t, err, "ResourceAlreadyExistsException")
	_, err = c.ImportCustomWorkspaceImage(ctx, ciInput("same-source", ami, types.OSVersionWindows10, types.CustomImageProtocolDcv))
	wantCode(t, err, "ResourceAlreadyExistsException")
	// Another source imports; once the image of a source is deleted, the source imports again.
	other := &types.ImageSourceIdentifierMemberEc2ImageId{Value: "ami-0123456789abcdef3"}
	o := must[*workspaces.ImportCustomWorkspaceImageOutput](t)(c.ImportCustomWorkspaceImage(ctx, ciInput("other-source", other, types.OSVersionWindows10, types.CustomImageProtocolDcv)))
	env.Advance(3 * time.Second)
	_, err = c.ImportCustomWorkspaceImage(ctx, ciInput("other-again", other, types.OSVersionWindows10, types.CustomImageProtocolDcv))
	wantCode(t, err, "ResourceAlreadyExistsException")
	must[*workspaces.DeleteWorkspaceImageOutput](t)(c.DeleteWorkspaceImage(ctx, &workspaces.DeleteWorkspaceImageInput{ImageId: o.ImageId}))
	// The import record went with its image.
	_, err = c.DescribeCustomWorkspaceImageImport(ctx, &workspaces.DescribeCustomWorkspaceImageImportInput{ImageId: o.ImageId})
	wantCode(t, err, "ResourceNotFoundException")
	must[*workspaces.ImportCustomWorkspaceImageOutput](t)(c.ImportCustomWorkspaceImage(ctx, ciInput("other-again", other, types.OSVersionWindows10, types.CustomImageProtocolDcv)))
	in := ciInput("other-region", &types.ImageSourceIdentifierMemberEc2ImageId{Value: "ami-0123456789abcdef2"}, types.OSVersionWindows10, types.CustomImageProtocolDcv)
	in.InfrastructureConfigurationArn = aws.String("arn:aws:imagebuilder:eu-west-1:111111111111:infrastructure-configuration/ws-byol")
	_, err = c.ImportCustomWorkspaceImage(ctx, in)
	wantCode(t, err, "InvalidParameterValuesException")
	g6 := ciInput("g6", &types.ImageSourceIdentifierMemberEc2ImportTaskId{Value: "import-ami-0123456789abcdef0"}, types.OSVersionWindows10, types.CustomImageProtocolPcoip)
	g6.ComputeType = types.ImageComputeTypeGraphicsG6
	_, err = c.ImportCustomWorkspaceImage(ctx, g6)
	wantCode(t, err, "InvalidParameterValuesException")

	// Only images made by this operation, and only the owner's.
	_, err = c.DescribeCustomWorkspaceImageImport(ctx, &workspaces.DescribeCustomWorkspaceImageImportInput{ImageId: aws.String("wsi-000000000")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = env.WorkSpaces(testenv.AccountB, testenv.Region).DescribeCustomWorkspaceImageImport(ctx, &workspaces.DescribeCustomWorkspaceImageImportInput{ImageId: aws.String(img)})
	wantCode(t, err, "ResourceNotFoundException")

	// Without BYOL the workflow ends in ERROR.
	b := env.WorkSpaces(testenv.AccountB, testenv.Region)
	bin := ciInput("no-byol", &types.ImageSourceIdentifierMemberImageBuildVersionArn{Value: "arn:aws:imagebuilder:us-east-1:aws:image/win11/1.0.0/1"}, types.OSVersionWindows11, types.CustomImageProtocolDcv)
	bin.InfrastructureConfigurationArn = aws.String("arn:aws:imagebuilder:us-east-1:222222222222:infrastructure-configuration/ws-byol")
	bo := must[*workspaces.ImportCustomWorkspaceImageOutput](t)(b.ImportCustomWorkspaceImage(ctx, bin))
	env.Advance(3 * time.Second)
	d = ciDescribe(t, b, *bo.ImageId)
	if d.State != types.CustomWorkspaceImageImportStateError || len(d.ErrorDetails) != 1 || aws.ToString(d.ErrorDetails[0].ErrorCode) != "WorkspacesBYOLAccountDisabled" {
		t.Fatalf("no-BYOL import = %+v", d)
	}
	if im := imgGet(t, b, *bo.ImageId); im.State != types.WorkspaceImageStateError {
		t.Fatalf("no-BYOL image = %s", im.State)
	}
}

func TestCreateUpdatedWorkspaceImage(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	imgRegister(t, env, c, imgDir, "")
	src := cbImage(t, env, c, "alice", "golden")
	create := func(name, source string) (*workspaces.CreateUpdatedWorkspaceImageOutput, error) {
		return c.CreateUpdatedWorkspaceImage(ctx, &workspaces.CreateUpdatedWorkspaceImageInput{Name: aws.String(name), Description: aws.String("updated"), SourceImageId: aws.String(source)})
	}
	_, err := create("golden-v2", src)
	wantCode(t, err, "OperationNotSupportedException")
	var im map[string]any
	if st := localPost(t, env, "/_local/workspaces/images/"+src+"/updates", `{"updateAvailable":true}`, &im); st != 200 || im["Updates"].(map[string]any)["UpdateAvailable"] != true {
		t.Fatalf("mark update: %d %v", st, im)
	}
	if st := localPost(t, env, "/_local/workspaces/images/wsi-000000000/updates", `{"updateAvailable":true}`, nil); st != 404 {
		t.Fatalf("unknown image: %d", st)
	}
	for _, body := range []string{``, `{"updateAvailable":"yes"}`} {
		if st := localPost(t, env, "/_local/workspaces/images/"+src+"/updates", body, nil); st != 400 {
			t.Fatalf("update body %q: %d, want 400", body, st)
		}
	}
	out := must[*workspaces.CreateUpdatedWorkspaceImageOutput](t)(create("golden-v2", src))
	nim := imgGet(t, c, *out.ImageId)
	if nim.State != types.WorkspaceImageStatePending {
		t.Fatalf("updated image = %+v", nim)
	}
	_, err = create("golden-v2", src)
	wantCode(t, err, "ResourceAlreadyExistsException")
	env.Advance(2 * time.Second)
	if nim = imgGet(t, c, *out.ImageId); nim.State != types.WorkspaceImageStateAvailable || aws.ToBool(nim.Updates.UpdateAvailable) {
		t.Fatalf("updated image after 2s = %+v", nim)
	}
	if s := imgGet(t, c, src); s == nil || !aws.ToBool(s.Updates.UpdateAvailable) {
		t.Fatal("source changed or gone")
	}
	_, err = create("x", "wsi-000000000")
	wantCode(t, err, "ResourceNotFoundException")
	_, err = env.WorkSpaces(testenv.AccountB, testenv.Region).CreateUpdatedWorkspaceImage(ctx, &workspaces.CreateUpdatedWorkspaceImageInput{Name: aws.String("b"), Description: aws.String("b"), SourceImageId: aws.String(src)})
	wantCode(t, err, "ResourceNotFoundException")

	// A Linux image: OS not supported.
	lw := imgWorkspace(t, env, c, imgWorkspaceReq("linus", imgLinux))
	lim := must[*workspaces.CreateWorkspaceImageOutput](t)(c.CreateWorkspaceImage(ctx, &workspaces.CreateWorkspaceImageInput{Name: aws.String("linux"), Description: aws.String("linux"), WorkspaceId: aws.String(lw)}))
	localPost(t, env, "/_local/workspaces/images/"+*lim.ImageId+"/updates", `{"updateAvailable":true}`, nil)
	// Still PENDING: IRS.
	_, err = create("linux-v2", *lim.ImageId)
	wantCode(t, err, "InvalidResourceStateException")
	env.Advance(2 * time.Second)
	_, err = create("linux-v2", *lim.ImageId)
	wantCode(t, err, "OperationNotSupportedException")
}

// A raw request with two union members is a ValidationException (SDKs
// cannot send one; spec §17.1).
func TestImportCustomImageUnion(t *testing.T) {
	env := testenv.Start(t)
	h := map[string]string{signAs: "workspaces", "X-Amz-Target": "WorkspacesService.ImportCustomWorkspaceImage", "Content-Type": "application/x-amz-json-1.1"}
	body := `{"ImageName":"u","ImageDescription":"u","ComputeType":"BASE","Protocol":"DCV","Platform":"WINDOWS","OsVersion":"Windows_11",
		"InfrastructureConfigurationArn":"arn:aws:imagebuilder:us-east-1:111111111111:infrastructure-configuration/x",
		"ImageSource":{"Ec2ImageId":"ami-0123456789abcdef0","Ec2ImportTaskId":"import-ami-0123456789abcdef0"}}`
	if st, code, _ := raw(t, "POST", env.URL+"/", h, body); st != 400 || code != "ValidationException" {
		t.Fatalf("two members: %d %s", st, code)
	}
	if st, code, _ := raw(t, "POST", env.URL+"/", h, strings.Replace(body, `"Ec2ImageId":"ami-0123456789abcdef0",`, "", 1)); st != 200 {
		t.Fatalf("one member: %d %s", st, code)
	}
}
