package integration

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

func describeDir(t *testing.T, c *workspaces.Client, id string) *types.WorkspaceDirectory {
	t.Helper()
	out := must[*workspaces.DescribeWorkspaceDirectoriesOutput](t)(c.DescribeWorkspaceDirectories(ctx, &workspaces.DescribeWorkspaceDirectoriesInput{DirectoryIds: []string{id}}))
	switch len(out.Directories) {
	case 0:
		return nil
	case 1:
		return &out.Directories[0]
	}
	t.Fatalf("%d directories for %s", len(out.Directories), id)
	return nil
}

// Scenario C.1 of the spec: directory + IP groups, Terraform-style.
func TestDirectoryAndIPGroups(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	const dir = "d-1234567890"
	reg := must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{
		DirectoryId: aws.String(dir), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}},
	}))
	if aws.ToString(reg.DirectoryId) != dir || reg.State != types.WorkspaceDirectoryStateRegistering {
		t.Fatalf("register output = %+v", reg)
	}
	g := createGroup(t, c, "office", rule("203.0.113.0/24", "hq"))
	_, err := c.AssociateIpGroups(ctx, &workspaces.AssociateIpGroupsInput{DirectoryId: aws.String(dir), GroupIds: []string{g}})
	wantCode(t, err, "InvalidResourceStateException")
	_, err = c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)})
	wantCode(t, err, "ResourceAlreadyExistsException")

	env.Advance(time.Second)
	d := describeDir(t, c, dir)
	if d == nil || d.State != types.WorkspaceDirectoryStateRegistered {
		t.Fatalf("after 1s: %+v", d)
	}
	if aws.ToString(d.Alias) != dir || d.DirectoryType != types.WorkspaceDirectoryTypeSimpleAd || len(d.SubnetIds) != 2 ||
		d.Tenancy != types.TenancyShared || d.WorkspaceType != types.WorkspaceTypePersonal ||
		aws.ToString(d.IamRoleId) != "arn:aws:iam::111111111111:role/workspaces_DefaultRole" ||
		d.SelfservicePermissions == nil || d.SelfservicePermissions.RestartWorkspace != types.ReconnectEnumEnabled ||
		d.WorkspaceAccessProperties == nil || d.WorkspaceAccessProperties.DeviceTypeWeb != types.AccessPropertyValueDeny ||
		d.WorkspaceCreationProperties == nil || !aws.ToBool(d.WorkspaceCreationProperties.EnableMaintenanceMode) ||
		aws.ToString(d.RegistrationCode) == "" || aws.ToString(d.WorkspaceSecurityGroupId) == "" || len(d.IpGroupIds) != 0 {
		t.Fatalf("directory defaults = %+v", d)
	}

	_, err = c.AssociateIpGroups(ctx, &workspaces.AssociateIpGroupsInput{DirectoryId: aws.String(dir), GroupIds: []string{g, "wsipg-000000000"}})
	wantCode(t, err, "ResourceNotFoundException") // atomic: nothing associated
	if d := describeDir(t, c, dir); len(d.IpGroupIds) != 0 {
		t.Fatalf("partial association: %v", d.IpGroupIds)
	}
	must[*workspaces.AssociateIpGroupsOutput](t)(c.AssociateIpGroups(ctx, &workspaces.AssociateIpGroupsInput{DirectoryId: aws.String(dir), GroupIds: []string{g, g}}))
	must[*workspaces.AssociateIpGroupsOutput](t)(c.AssociateIpGroups(ctx, &workspaces.AssociateIpGroupsInput{DirectoryId: aws.String(dir), GroupIds: []string{}}))
	if d := describeDir(t, c, dir); len(d.IpGroupIds) != 1 || d.IpGroupIds[0] != g {
		t.Fatalf("ipGroupIds = %v", d.IpGroupIds)
	}
	_, err = c.DeleteIpGroup(ctx, &workspaces.DeleteIpGroupInput{GroupId: &g})
	wantCode(t, err, "ResourceAssociatedException")

	// 25 groups per directory.
	var more []string
	for i := range 25 {
		more = append(more, createGroup(t, c, fmt.Sprintf("g%d", i)))
	}
	_, err = c.AssociateIpGroups(ctx, &workspaces.AssociateIpGroupsInput{DirectoryId: aws.String(dir), GroupIds: more})
	wantCode(t, err, "ResourceLimitExceededException")
	must[*workspaces.AssociateIpGroupsOutput](t)(c.AssociateIpGroups(ctx, &workspaces.AssociateIpGroupsInput{DirectoryId: aws.String(dir), GroupIds: more[:24]}))

	must[*workspaces.DisassociateIpGroupsOutput](t)(c.DisassociateIpGroups(ctx, &workspaces.DisassociateIpGroupsInput{DirectoryId: aws.String(dir), GroupIds: []string{g, "wsipg-000000000"}}))
	if d := describeDir(t, c, dir); len(d.IpGroupIds) != 24 || d.IpGroupIds[0] != more[0] {
		t.Fatalf("after disassociate: %v", d.IpGroupIds)
	}
	must[*workspaces.DeleteIpGroupOutput](t)(c.DeleteIpGroup(ctx, &workspaces.DeleteIpGroupInput{GroupId: &g}))
	if describeGroup(t, c, g) != nil {
		t.Fatal("group still there")
	}

	tags := must[*workspaces.DescribeTagsOutput](t)(c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String(dir)}))
	if len(tags.TagList) != 1 || *tags.TagList[0].Key != "env" {
		t.Fatalf("directory tags = %+v", tags.TagList)
	}

	// Deregister: DEREGISTERING → DEREGISTERED → gone; associations dropped.
	must[*workspaces.DeregisterWorkspaceDirectoryOutput](t)(c.DeregisterWorkspaceDirectory(ctx, &workspaces.DeregisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)}))
	d = describeDir(t, c, dir)
	if d == nil || d.State != types.WorkspaceDirectoryStateDeregistering || len(d.IpGroupIds) != 0 {
		t.Fatalf("after deregister: %+v", d)
	}
	_, err = c.DeregisterWorkspaceDirectory(ctx, &workspaces.DeregisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)})
	wantCode(t, err, "InvalidResourceStateException")
	_, err = c.AssociateIpGroups(ctx, &workspaces.AssociateIpGroupsInput{DirectoryId: aws.String(dir), GroupIds: []string{more[0]}})
	wantCode(t, err, "InvalidResourceStateException")
	env.Advance(time.Second)
	if d = describeDir(t, c, dir); d == nil || d.State != types.WorkspaceDirectoryStateDeregistered {
		t.Fatalf("after 1s: %+v", d)
	}
	_, err = c.DeregisterWorkspaceDirectory(ctx, &workspaces.DeregisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)})
	wantCode(t, err, "ResourceNotFoundException")
	env.Advance(time.Second)
	if d = describeDir(t, c, dir); d != nil {
		t.Fatalf("after 2s still described: %+v", d)
	}
	must[*workspaces.DeleteIpGroupOutput](t)(c.DeleteIpGroup(ctx, &workspaces.DeleteIpGroupInput{GroupId: &more[0]}))
	// Registering again works once it is gone.
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)}))
}

func TestDirectoryErrorsAndPaging(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	for _, tc := range []struct {
		name string
		in   workspaces.RegisterWorkspaceDirectoryInput
		code string
	}{
		{"malformed id", workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-xyz")}, "ValidationException"},
		{"bad tenancy enum", workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-1234567890"), Tenancy: "SOMETIMES"}, "ValidationException"},
		{"dedicated without BYOL", workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-1234567890"), Tenancy: types.TenancyDedicated}, "InvalidParameterValuesException"},
		{"name on a d- directory", workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-1234567890"), WorkspaceDirectoryName: aws.String("pool")}, "InvalidParameterValuesException"},
		{"nothing to register", workspaces.RegisterWorkspaceDirectoryInput{}, "InvalidParameterValuesException"},
		{"three subnets", workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-1234567890"), SubnetIds: []string{"subnet-12345678", "subnet-12345679", "subnet-1234567a"}}, "ValidationException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.RegisterWorkspaceDirectory(ctx, &tc.in)
			wantCode(t, err, tc.code)
		})
	}
	_, err := c.DeregisterWorkspaceDirectory(ctx, &workspaces.DeregisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-1234567890")})
	wantCode(t, err, "ResourceNotFoundException")

	// WorkSpaces-native directory.
	native := must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{
		WorkspaceDirectoryName: aws.String("pool-dir"), WorkspaceDirectoryDescription: aws.String("pools"),
		UserIdentityType: types.UserIdentityTypeCustomerManaged, WorkspaceType: types.WorkspaceTypePools,
	}))
	if id := aws.ToString(native.DirectoryId); len(id) != 13 || id[:4] != "wsd-" {
		t.Fatalf("native directory id %q", id)
	}

	// 50 directories; the 51st is refused.
	for i := 1; i < 50; i++ {
		must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(fmt.Sprintf("d-%010x", i))}))
	}
	_, err = c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-ffffffffff")})
	wantCode(t, err, "ResourceLimitExceededException")

	seen := 0
	p := workspaces.NewDescribeWorkspaceDirectoriesPaginator(c, &workspaces.DescribeWorkspaceDirectoriesInput{Limit: aws.Int32(20)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen += len(out.Directories)
	}
	if seen != 50 {
		t.Fatalf("paged %d directories, want 50", seen)
	}
	// Filters.
	out := must[*workspaces.DescribeWorkspaceDirectoriesOutput](t)(c.DescribeWorkspaceDirectories(ctx, &workspaces.DescribeWorkspaceDirectoriesInput{
		Filters: []types.DescribeWorkspaceDirectoriesFilter{{Name: types.DescribeWorkspaceDirectoriesFilterNameWorkspaceType, Values: []string{"POOL*"}}},
	}))
	if len(out.Directories) != 1 || aws.ToString(out.Directories[0].DirectoryId) != *native.DirectoryId {
		t.Fatalf("WORKSPACE_TYPE filter returned %d directories", len(out.Directories))
	}
	out = must[*workspaces.DescribeWorkspaceDirectoriesOutput](t)(c.DescribeWorkspaceDirectories(ctx, &workspaces.DescribeWorkspaceDirectoriesInput{WorkspaceDirectoryNames: []string{"pool-dir"}}))
	if len(out.Directories) != 1 {
		t.Fatalf("name filter returned %d directories", len(out.Directories))
	}
	if d := describeDir(t, env.WorkSpaces(testenv.AccountB, testenv.Region), "d-0000000001"); d != nil {
		t.Fatal("another account sees the directory")
	}
}
