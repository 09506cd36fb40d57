package integration

import (
	"context"
	"testing"
	"time"

	v2aws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go/aws"
	wstc "github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/app"
	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// With --strict-desktops a WorkSpaces desktopArn must name a directory
// registered in the emulated WorkSpaces service (spec thinclient §6.1);
// without it any well-formed ARN is accepted (the default, covered elsewhere).
func TestThinClientStrictDesktops(t *testing.T) {
	env := testenv.Start(t, func(c *app.Config) { c.StrictDesktops = true })
	ctx := context.Background()
	tc := env.ThinClient(testenv.AccountA, testenv.Region)
	wsA := env.WorkSpaces(testenv.AccountA, testenv.Region)

	_, err := tc.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String(thinDesk)})
	thinRNF(t, err, thinDesk, "desktop")

	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(wsA.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: v2aws.String("d-9067a1b2c3")}))
	out, err := tc.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String(thinDesk)})
	if err != nil {
		t.Fatalf("create with a REGISTERING directory: %v", err)
	}
	id := aws.StringValue(out.Environment.Id)

	// Another account's directory of the same id does not count.
	tcB := env.ThinClient(testenv.AccountB, testenv.Region)
	deskB := "arn:aws:workspaces:us-east-1:" + testenv.AccountB + ":directory/d-9067a1b2c3"
	_, err = tcB.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String(deskB)})
	thinRNF(t, err, deskB, "desktop")

	// UpdateEnvironment checks a new desktopArn; a malformed one is still a
	// validation error, and non-WorkSpaces desktops are not checked.
	other := "arn:aws:workspaces:us-east-1:111111111111:directory/d-0000000001"
	_, err = tc.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(id), DesktopArn: aws.String(other)})
	thinRNF(t, err, other, "desktop")
	_, err = tc.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(id), DesktopArn: aws.String("arn:aws:workspaces:us-east-1:111111111111:directory/xyz")})
	thinVE(t, err, "fieldValidationFailed", "desktopArn")
	stack := "arn:aws:appstream:us-east-1:111111111111:stack/kiosk"
	if _, err := tc.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(id), DesktopArn: aws.String(stack)}); err != nil {
		t.Fatalf("update to an AppStream stack: %v", err)
	}

	// A deregistered directory no longer counts.
	env.Advance(time.Second) // REGISTERING → REGISTERED (default delay)
	must[*workspaces.DeregisterWorkspaceDirectoryOutput](t)(wsA.DeregisterWorkspaceDirectory(ctx, &workspaces.DeregisterWorkspaceDirectoryInput{DirectoryId: v2aws.String("d-9067a1b2c3")}))
	_, err = tc.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(id), DesktopArn: aws.String(thinDesk)})
	thinRNF(t, err, thinDesk, "desktop")
}
