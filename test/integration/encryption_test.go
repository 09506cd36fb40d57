package integration

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// ModifyEndpointEncryptionMode (spec §25).

func encMode(t *testing.T, c *workspaces.Client, dir string) types.EndpointEncryptionMode {
	t.Helper()
	out := must[*workspaces.DescribeWorkspaceDirectoriesOutput](t)(c.DescribeWorkspaceDirectories(ctx, &workspaces.DescribeWorkspaceDirectoriesInput{DirectoryIds: []string{dir}}))
	return out.Directories[0].EndpointEncryptionMode
}

func TestEndpointEncryptionMode(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	set := func(dir string, m types.EndpointEncryptionMode) error {
		_, err := c.ModifyEndpointEncryptionMode(ctx, &workspaces.ModifyEndpointEncryptionModeInput{DirectoryId: aws.String(dir), EndpointEncryptionMode: m})
		return err
	}
	// REGISTERING → ONS; unknown → RNF.
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(imgDir)}))
	wantCode(t, set(imgDir, types.EndpointEncryptionModeFipsValidated), "OperationNotSupportedException")
	wantCode(t, set("d-0000000000", types.EndpointEncryptionModeFipsValidated), "ResourceNotFoundException")
	env.Advance(time.Second)
	if m := encMode(t, c, imgDir); m != types.EndpointEncryptionModeStandardTls {
		t.Fatalf("default mode %s", m)
	}
	if err := set(imgDir, types.EndpointEncryptionModeFipsValidated); err != nil {
		t.Fatal(err)
	}
	if err := set(imgDir, types.EndpointEncryptionModeFipsValidated); err != nil {
		t.Fatalf("same mode again: %v", err)
	}
	if m := encMode(t, c, imgDir); m != types.EndpointEncryptionModeFipsValidated {
		t.Fatalf("mode %s", m)
	}
	w := imgWorkspace(t, env, c, imgWorkspaceReq("alice", imgWin10))
	wantCode(t, set(imgDir, types.EndpointEncryptionModeStandardTls), "OperationNotSupportedException")

	// Another directory with a STANDARD_TLS WorkSpace.
	imgRegister(t, env, c, imgDedicated, "")
	r := imgWorkspaceReq("bob", imgWin10)
	r.DirectoryId = aws.String(imgDedicated)
	w2 := imgWorkspace(t, env, c, r)
	wantCode(t, set(imgDedicated, types.EndpointEncryptionModeFipsValidated), "OperationNotSupportedException")
	must[*workspaces.TerminateWorkspacesOutput](t)(c.TerminateWorkspaces(ctx, &workspaces.TerminateWorkspacesInput{TerminateWorkspaceRequests: []types.TerminateRequest{{WorkspaceId: aws.String(w2)}}}))
	if err := set(imgDedicated, types.EndpointEncryptionModeFipsValidated); err != nil {
		t.Fatalf("after the WorkSpace is terminated: %v", err)
	}
	// Other account: not found.
	_, err := env.WorkSpaces(testenv.AccountB, testenv.Region).ModifyEndpointEncryptionMode(ctx, &workspaces.ModifyEndpointEncryptionModeInput{DirectoryId: aws.String(imgDir), EndpointEncryptionMode: types.EndpointEncryptionModeStandardTls})
	wantCode(t, err, "ResourceNotFoundException")
	_ = w
}
