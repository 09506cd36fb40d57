package integration

import (
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// Amazon Connect client add-ins (workspaces-more §22): scenarios 1–6 of §22.5.

const addinDir = "d-1234567890"

var addinIDPattern = regexp.MustCompile(`^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$`)

func addinCreate(c *workspaces.Client, dir, name, url string) (string, error) {
	out, err := c.CreateConnectClientAddIn(ctx, &workspaces.CreateConnectClientAddInInput{ResourceId: aws.String(dir), Name: aws.String(name), URL: aws.String(url)})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.AddInId), nil
}

func addinList(t *testing.T, c *workspaces.Client, dir string) []types.ConnectClientAddIn {
	t.Helper()
	out := must[*workspaces.DescribeConnectClientAddInsOutput](t)(c.DescribeConnectClientAddIns(ctx, &workspaces.DescribeConnectClientAddInsInput{ResourceId: aws.String(dir)}))
	if out.NextToken != nil {
		t.Fatalf("NextToken %q with at most one add-in", *out.NextToken)
	}
	return out.AddIns
}

func TestConnectAddInScenario(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	wspRegister(t, env, c, addinDir)
	if got := addinList(t, c, addinDir); len(got) != 0 {
		t.Fatalf("fresh directory lists %+v", got)
	}
	id, err := addinCreate(c, addinDir, "Contact Control Panel", "https://example.my.connect.aws/ccp-v2")
	wspOK(t, err)
	if !addinIDPattern.MatchString(id) {
		t.Fatalf("AddInId %q", id)
	}
	_, err = addinCreate(c, addinDir, "Another", "https://example.my.connect.aws/other")
	wantCode(t, err, "ResourceAlreadyExistsException")
	_, err = addinCreate(c, "d-0000000000", "CCP", "https://example.my.connect.aws/ccp-v2")
	wantCode(t, err, "ResourceNotFoundException")
	_, err = addinCreate(c, addinDir, "", "https://example.my.connect.aws/ccp-v2")
	wantCode(t, err, "ValidationException")
	_, err = addinCreate(c, addinDir, "CCP", "ftp://example.com")
	wantCode(t, err, "ValidationException")

	got := addinList(t, c, addinDir)
	if len(got) != 1 || aws.ToString(got[0].AddInId) != id || aws.ToString(got[0].ResourceId) != addinDir ||
		aws.ToString(got[0].Name) != "Contact Control Panel" || aws.ToString(got[0].URL) != "https://example.my.connect.aws/ccp-v2" {
		t.Fatalf("DescribeConnectClientAddIns = %+v", got)
	}
	_, err = c.DescribeConnectClientAddIns(ctx, &workspaces.DescribeConnectClientAddInsInput{ResourceId: aws.String("d-0000000000")})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeConnectClientAddIns(ctx, &workspaces.DescribeConnectClientAddInsInput{ResourceId: aws.String(addinDir), NextToken: aws.String("garbage")})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = c.DescribeConnectClientAddIns(ctx, &workspaces.DescribeConnectClientAddInsInput{ResourceId: aws.String(addinDir), MaxResults: aws.Int32(26)})
	wantCode(t, err, "ValidationException")

	update := func(in workspaces.UpdateConnectClientAddInInput) error {
		_, err := c.UpdateConnectClientAddIn(ctx, &in)
		return err
	}
	wspOK(t, update(workspaces.UpdateConnectClientAddInInput{AddInId: aws.String(id), ResourceId: aws.String(addinDir), Name: aws.String("CCP")}))
	got = addinList(t, c, addinDir)
	if aws.ToString(got[0].Name) != "CCP" || aws.ToString(got[0].URL) != "https://example.my.connect.aws/ccp-v2" {
		t.Fatalf("after renaming = %+v", got[0])
	}
	wspOK(t, update(workspaces.UpdateConnectClientAddInInput{AddInId: aws.String(id), ResourceId: aws.String(addinDir), URL: aws.String("http://ccp.example.com/v3")}))
	if got = addinList(t, c, addinDir); aws.ToString(got[0].Name) != "CCP" || aws.ToString(got[0].URL) != "http://ccp.example.com/v3" {
		t.Fatalf("after changing the URL = %+v", got[0])
	}
	wantCode(t, update(workspaces.UpdateConnectClientAddInInput{AddInId: aws.String(id), ResourceId: aws.String(addinDir)}), "InvalidParameterValuesException")
	wantCode(t, update(workspaces.UpdateConnectClientAddInInput{AddInId: aws.String(id), ResourceId: aws.String(addinDir), Name: aws.String("   ")}), "InvalidParameterValuesException")
	wantCode(t, update(workspaces.UpdateConnectClientAddInInput{AddInId: aws.String(id), ResourceId: aws.String(addinDir), URL: aws.String("https:///ccp")}), "InvalidParameterValuesException")
	other := "0f6a1c55-7b8e-4d2a-9c3b-1e2f3a4b5c6d"
	wantCode(t, update(workspaces.UpdateConnectClientAddInInput{AddInId: aws.String(other), ResourceId: aws.String(addinDir), Name: aws.String("x")}), "ResourceNotFoundException")
	wantCode(t, update(workspaces.UpdateConnectClientAddInInput{AddInId: aws.String(id), ResourceId: aws.String("d-0000000000"), Name: aws.String("x")}), "ResourceNotFoundException")

	// Another account or region sees nothing of it.
	for _, o := range []*workspaces.Client{env.WorkSpaces(testenv.AccountB, testenv.Region), env.WorkSpaces(testenv.AccountA, "eu-west-1")} {
		_, err = o.DescribeConnectClientAddIns(ctx, &workspaces.DescribeConnectClientAddInsInput{ResourceId: aws.String(addinDir)})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = o.DeleteConnectClientAddIn(ctx, &workspaces.DeleteConnectClientAddInInput{AddInId: aws.String(id), ResourceId: aws.String(addinDir)})
		wantCode(t, err, "ResourceNotFoundException")
	}
	// An add-in of another directory is not found through this one.
	wspRegister(t, env, c, "d-1234567891")
	id2, err := addinCreate(c, "d-1234567891", "Second", "https://second.example.com")
	wspOK(t, err)
	wantCode(t, update(workspaces.UpdateConnectClientAddInInput{AddInId: aws.String(id2), ResourceId: aws.String(addinDir), Name: aws.String("x")}), "ResourceNotFoundException")

	del := func(id, dir string) error {
		_, err := c.DeleteConnectClientAddIn(ctx, &workspaces.DeleteConnectClientAddInInput{AddInId: aws.String(id), ResourceId: aws.String(dir)})
		return err
	}
	wspOK(t, del(id, addinDir))
	if got := addinList(t, c, addinDir); len(got) != 0 {
		t.Fatalf("after delete %+v", got)
	}
	wantCode(t, del(id, addinDir), "ResourceNotFoundException")
	id3, err := addinCreate(c, addinDir, "Again", "https://example.my.connect.aws/ccp-v2")
	wspOK(t, err)
	if id3 == id {
		t.Fatal("a new add-in reuses the deleted one's id")
	}

	// Deregistering and registering again leaves no add-in.
	must[*workspaces.DeregisterWorkspaceDirectoryOutput](t)(c.DeregisterWorkspaceDirectory(ctx, &workspaces.DeregisterWorkspaceDirectoryInput{DirectoryId: aws.String(addinDir)}))
	// While DEREGISTERING the directory still takes an add-in, which does
	// not outlive the registration.
	_, err = addinCreate(c, addinDir, "Late", "https://late.example.com")
	wspOK(t, err)
	env.Advance(3 * time.Second)
	wspRegister(t, env, c, addinDir)
	if got := addinList(t, c, addinDir); len(got) != 0 {
		t.Fatalf("re-registered directory lists %+v", got)
	}
}
