package integration

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"
	awsv1 "github.com/aws/aws-sdk-go/aws"
	wstc "github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// dashFixture is one resource of every stored kind, made through the SDKs in
// account A (us-east-1), plus an IP group of account B in eu-west-1: what the
// metrics and dashboard tests look for.
type dashFixture struct {
	Directory, Workspace, IPGroup, Image, Alias, Link string
	Environment, EnvironmentArn, Device               string
	IPGroupB                                          string
}

const dashDir = "d-9067a1b2c3"

func dashPopulate(t *testing.T, env *testenv.Env) dashFixture {
	t.Helper()
	var f dashFixture
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(a.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(dashDir)}))
	f.Directory = dashDir
	env.Advance(time.Second)
	acctEnable(t, env, a, "10.200.0.0/16") // a link's source must be BYOL-enabled
	f.IPGroup = *must[*workspaces.CreateIpGroupOutput](t)(a.CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{
		GroupName: aws.String("office"), UserRules: []types.IpRuleItem{{IpRule: aws.String("203.0.113.0/24"), RuleDesc: aws.String("hq")}},
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}},
	})).GroupId
	out := must[*workspaces.CreateWorkspacesOutput](t)(a.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{{
		DirectoryId: aws.String(dashDir), UserName: aws.String("alice"), BundleId: aws.String("wsb-bh8rsxt14"),
		Tags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("alice")}},
	}}}))
	if len(out.PendingRequests) != 1 {
		t.Fatalf("CreateWorkspaces: %+v", out)
	}
	f.Workspace = *out.PendingRequests[0].WorkspaceId
	env.Advance(2 * time.Second) // PENDING → AVAILABLE
	f.Image = *must[*workspaces.CreateWorkspaceImageOutput](t)(a.CreateWorkspaceImage(ctx, &workspaces.CreateWorkspaceImageInput{
		Name: aws.String("golden"), Description: aws.String("golden image"), WorkspaceId: aws.String(f.Workspace),
	})).ImageId
	f.Alias = *must[*workspaces.CreateConnectionAliasOutput](t)(a.CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{
		ConnectionString: aws.String("desktops.example.com"),
	})).AliasId
	f.Link = *must[*workspaces.CreateAccountLinkInvitationOutput](t)(a.CreateAccountLinkInvitation(ctx, &workspaces.CreateAccountLinkInvitationInput{
		TargetAccountId: aws.String(testenv.AccountB),
	})).AccountLink.AccountLinkId

	tc := env.ThinClient(testenv.AccountA, testenv.Region)
	e := thinCreate(t, tc, &wstc.CreateEnvironmentInput{Name: awsv1.String("lobby"), Tags: thinStrMap(map[string]string{"site": "lobby"}),
		DesktopArn: awsv1.String("arn:aws:workspaces:us-east-1:" + testenv.AccountA + ":directory/" + dashDir)})
	f.Environment, f.EnvironmentArn = *e.Id, *e.Arn
	f.Device = thinRegister(t, env, *e.ActivationCode, map[string]string{"serialNumber": "SN-DASH-1", "name": "kiosk"}).ID

	b := env.WorkSpaces(testenv.AccountB, "eu-west-1")
	f.IPGroupB = *must[*workspaces.CreateIpGroupOutput](t)(b.CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String("b-office")})).GroupId
	return f
}
