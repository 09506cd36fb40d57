package workspaces_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/api/workspaces"
)

const (
	ipGroupIDPattern   = "Member must satisfy regular expression pattern: wsipg-[0-9a-z]{8,63}$"
	directoryIDPattern = "Member must satisfy regular expression pattern: ^(d-[0-9a-f]{8,63}$)|(wsd-[0-9a-z]{8,63}$)"
)

func validate(in api.Input) []api.Violation {
	var v api.Violations
	in.Validate(&v)
	return v.List
}

func directoryIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("d-%08x", i+1)
	}
	return ids
}

func TestValidateInputs(t *testing.T) {
	tests := []struct {
		name string
		in   api.Input
		want []api.Violation
	}{
		// IpGroupId: `wsipg-[0-9a-z]{8,63}$`, applied with search semantics.
		{
			name: "ip group id valid",
			in:   &workspaces.DeleteIpGroupInput{GroupId: api.String("wsipg-12345678")},
		},
		{
			name: "ip group id unanchored start passes",
			in:   &workspaces.DeleteIpGroupInput{GroupId: api.String("xxwsipg-12345678")},
		},
		{
			name: "ip group id too few characters",
			in:   &workspaces.DeleteIpGroupInput{GroupId: api.String("wsipg-1234")},
			want: []api.Violation{{Path: "GroupId", Value: "'wsipg-1234'", Constraint: ipGroupIDPattern}},
		},
		{
			name: "ip group id anchored end",
			in:   &workspaces.DeleteIpGroupInput{GroupId: api.String("wsipg-12345678!")},
			want: []api.Violation{{Path: "GroupId", Value: "'wsipg-12345678!'", Constraint: ipGroupIDPattern}},
		},
		{
			name: "ip group id uppercase rejected",
			in:   &workspaces.DeleteIpGroupInput{GroupId: api.String("wsipg-ABCDEFGH")},
			want: []api.Violation{{Path: "GroupId", Value: "'wsipg-ABCDEFGH'", Constraint: ipGroupIDPattern}},
		},
		{
			name: "ip group id required",
			in:   &workspaces.DeleteIpGroupInput{},
			want: []api.Violation{{Path: "GroupId", Value: "null", Constraint: "Member must not be null"}},
		},
		{
			name: "ip group id empty string is present, not null",
			in:   &workspaces.DeleteIpGroupInput{GroupId: api.String("")},
			want: []api.Violation{{Path: "GroupId", Value: "''", Constraint: ipGroupIDPattern}},
		},
		{
			name: "ip group id list items are indexed",
			in:   &workspaces.DescribeIpGroupsInput{GroupIds: []string{"wsipg-12345678", "bad"}},
			want: []api.Violation{{Path: "GroupIds.2", Value: "'bad'", Constraint: ipGroupIDPattern}},
		},
		{
			name: "authorize ip rules requires group and rules",
			in:   &workspaces.AuthorizeIpRulesInput{},
			want: []api.Violation{
				{Path: "GroupId", Value: "null", Constraint: "Member must not be null"},
				{Path: "UserRules", Value: "null", Constraint: "Member must not be null"},
			},
		},
		{
			name: "authorize ip rules empty list is present",
			in:   &workspaces.AuthorizeIpRulesInput{GroupId: api.String("wsipg-12345678"), UserRules: []workspaces.IpRuleItem{}},
		},

		// DirectoryId: `^(d-[0-9a-f]{8,63}$)|(wsd-[0-9a-z]{8,63}$)`, length 10..65.
		{
			name: "directory id d- form",
			in:   &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: api.String("d-1234abcd")},
		},
		{
			name: "directory id wsd- form",
			in:   &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: api.String("wsd-abcd1234")},
		},
		{
			name: "directory id second alternative is unanchored at start",
			in:   &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: api.String("xxwsd-abcd1234")},
		},
		{
			name: "directory id first alternative is anchored at start",
			in:   &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: api.String("xd-1234abcd")},
			want: []api.Violation{{Path: "DirectoryId", Value: "'xd-1234abcd'", Constraint: directoryIDPattern}},
		},
		{
			name: "directory id d- form is hex only",
			in:   &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: api.String("d-1234abcg")},
			want: []api.Violation{{Path: "DirectoryId", Value: "'d-1234abcg'", Constraint: directoryIDPattern}},
		},
		{
			name: "directory id too short breaks length and pattern",
			in:   &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: api.String("d-1234567")},
			want: []api.Violation{
				{Path: "DirectoryId", Value: "'d-1234567'", Constraint: "Member must have length greater than or equal to 10"},
				{Path: "DirectoryId", Value: "'d-1234567'", Constraint: directoryIDPattern},
			},
		},
		{
			name: "directory id too long",
			in:   &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: api.String("d-" + strings.Repeat("a", 64))},
			want: []api.Violation{
				{Path: "DirectoryId", Value: "'d-" + strings.Repeat("a", 64) + "'", Constraint: "Member must have length less than or equal to 65"},
				{Path: "DirectoryId", Value: "'d-" + strings.Repeat("a", 64) + "'", Constraint: directoryIDPattern},
			},
		},

		// Enums.
		{
			name: "tenancy enum violation",
			in:   &workspaces.RegisterWorkspaceDirectoryInput{Tenancy: "X"},
			want: []api.Violation{{Path: "Tenancy", Value: "'X'", Constraint: "Member must satisfy enum value set: [DEDICATED, SHARED]"}},
		},
		{
			name: "tenancy enum value",
			in:   &workspaces.RegisterWorkspaceDirectoryInput{Tenancy: workspaces.TenancyShared},
		},
		{
			name: "tenancy enum is case sensitive",
			in:   &workspaces.RegisterWorkspaceDirectoryInput{Tenancy: "shared"},
			want: []api.Violation{{Path: "Tenancy", Value: "'shared'", Constraint: "Member must satisfy enum value set: [DEDICATED, SHARED]"}},
		},

		// List length.
		{
			name: "directory ids 25 items",
			in:   &workspaces.DescribeWorkspaceDirectoriesInput{DirectoryIds: directoryIDs(25)},
		},
		{
			name: "directory ids 26 items",
			in:   &workspaces.DescribeWorkspaceDirectoriesInput{DirectoryIds: directoryIDs(26)},
			want: []api.Violation{{Path: "DirectoryIds", Value: "'<26 items>'", Constraint: "Member must have length less than or equal to 25"}},
		},
		{
			name: "directory ids empty list",
			in:   &workspaces.DescribeWorkspaceDirectoriesInput{DirectoryIds: []string{}},
			want: []api.Violation{{Path: "DirectoryIds", Value: "'<0 items>'", Constraint: "Member must have length greater than or equal to 1"}},
		},
		{
			name: "directory ids item violation is indexed",
			in:   &workspaces.DescribeWorkspaceDirectoriesInput{DirectoryIds: []string{"d-1234abcd", "d-1234abcd", "nope-12345"}},
			want: []api.Violation{{Path: "DirectoryIds.3", Value: "'nope-12345'", Constraint: directoryIDPattern}},
		},
		{
			name: "directory filter nested required and enum",
			in: &workspaces.DescribeWorkspaceDirectoriesInput{Filters: []workspaces.DescribeWorkspaceDirectoriesFilter{
				{Name: "USER_IDENTITY_TYPE", Values: []string{"AWS_DIRECTORY_SERVICE"}},
				{Name: "COLOR"},
			}},
			want: []api.Violation{
				{Path: "Filters.2.Name", Value: "'COLOR'", Constraint: "Member must satisfy enum value set: [USER_IDENTITY_TYPE, WORKSPACE_TYPE]"},
				{Path: "Filters.2.Values", Value: "null", Constraint: "Member must not be null"},
			},
		},

		// Ranges.
		{
			name: "max results 0",
			in:   &workspaces.DescribeIpGroupsInput{MaxResults: api.Int32(0)},
			want: []api.Violation{{Path: "MaxResults", Value: "'0'", Constraint: "Member must have value greater than or equal to 1"}},
		},
		{
			name: "max results 26",
			in:   &workspaces.DescribeIpGroupsInput{MaxResults: api.Int32(26)},
			want: []api.Violation{{Path: "MaxResults", Value: "'26'", Constraint: "Member must have value less than or equal to 25"}},
		},
		{
			name: "limit 1",
			in:   &workspaces.DescribeWorkspaceDirectoriesInput{Limit: api.Int32(1), DirectoryIds: directoryIDs(1)},
		},
		{
			name: "max results 25",
			in:   &workspaces.DescribeIpGroupsInput{MaxResults: api.Int32(25)},
		},
		{
			name: "next token empty",
			in:   &workspaces.DescribeIpGroupsInput{NextToken: api.String("")},
			want: []api.Violation{{Path: "NextToken", Value: "''", Constraint: "Member must have length greater than or equal to 1"}},
		},

		// Nested paths.
		{
			name: "tag key of 128 characters",
			in: &workspaces.CreateIpGroupInput{GroupName: api.String("g"), Tags: []workspaces.Tag{
				{Key: api.String(strings.Repeat("k", 128)), Value: api.String("v")},
			}},
			want: []api.Violation{{Path: "Tags.1.Key", Value: "'" + strings.Repeat("k", 128) + "'", Constraint: "Member must have length less than or equal to 127"}},
		},
		{
			name: "tag key of 127 characters",
			in: &workspaces.CreateIpGroupInput{GroupName: api.String("g"), Tags: []workspaces.Tag{
				{Key: api.String(strings.Repeat("k", 127)), Value: api.String(strings.Repeat("v", 255))},
			}},
		},
		{
			name: "second tag missing key and long value",
			in: &workspaces.CreateIpGroupInput{GroupName: api.String("g"), Tags: []workspaces.Tag{
				{Key: api.String("a")},
				{Value: api.String(strings.Repeat("v", 256))},
			}},
			want: []api.Violation{
				{Path: "Tags.2.Key", Value: "null", Constraint: "Member must not be null"},
				{Path: "Tags.2.Value", Value: "'" + strings.Repeat("v", 256) + "'", Constraint: "Member must have length less than or equal to 255"},
			},
		},
		{
			name: "create ip group requires name",
			in:   &workspaces.CreateIpGroupInput{Tags: []workspaces.Tag{{Key: api.String("")}}},
			want: []api.Violation{
				{Path: "GroupName", Value: "null", Constraint: "Member must not be null"},
				{Path: "Tags.1.Key", Value: "''", Constraint: "Member must have length greater than or equal to 1"},
			},
		},
		{
			name: "create ip group minimal",
			in:   &workspaces.CreateIpGroupInput{GroupName: api.String("")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := validate(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("violations:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestValidateMessage(t *testing.T) {
	var v api.Violations
	(&workspaces.CreateIpGroupInput{Tags: []workspaces.Tag{{Key: api.String(strings.Repeat("k", 128))}}}).Validate(&v)
	want := "ValidationException: 2 validation errors detected: " +
		"Value null at 'GroupName' failed to satisfy constraint: Member must not be null; " +
		"Value '" + strings.Repeat("k", 128) + "' at 'Tags.1.Key' failed to satisfy constraint: Member must have length less than or equal to 127"
	err := v.Err()
	if err == nil || err.Error() != want {
		t.Fatalf("Err() =\n  %v\nwant\n  %s", err, want)
	}
}
