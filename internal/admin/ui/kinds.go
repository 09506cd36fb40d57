package ui

import (
	"slices"
	"strings"
)

// call is one read operation of a service, with its input as the wire would
// carry it: a JSON body (AWS JSON) or URI labels and a query string (REST).
type call struct {
	Operation string
	Body      map[string]any
	Labels    map[string]string
	Query     map[string]string
}

// kind is one resource kind the dashboard lists: which operation lists it,
// where the items are in its output, which members are the row's id, name
// and state, and which calls describe one item in full.
type kind struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Service string `json:"service"`
	// List lists the kind in the caller's account and region; Items is the
	// output member holding the list ("" when the output is one item).
	List  call
	Items string
	// Next is the pagination member of the list's input and output ("" when
	// the operation does not paginate).
	Next string
	// ID, Name and State are members of an item; Info lists more members
	// shown in the row, each "label: =Member" or just "Member". A name may be
	// "A→B" for two members joined.
	ID, Name, State string
	Info            []string
	// Detail returns the calls that describe one item fully: the
	// Describe/Get call first, then related reads (permissions), given the
	// item's id and its list row.
	Detail func(id string, item map[string]any) []call
	// Tags returns the call that reads the item's tags (ok false: none).
	Tags func(id string, item map[string]any) (call, bool)
}

func body(op string, kv ...any) call {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return call{Operation: op, Body: m}
}

func ids(op, member string) func(string, map[string]any) []call {
	return func(id string, _ map[string]any) []call { return []call{body(op, member, []string{id})} }
}

func wsTags(id string, _ map[string]any) (call, bool) {
	return body("DescribeTags", "ResourceId", id), true
}

func tcGet(op string) func(string, map[string]any) []call {
	return func(id string, _ map[string]any) []call {
		return []call{{Operation: op, Labels: map[string]string{"id": id}}}
	}
}

func tcTags(_ string, item map[string]any) (call, bool) {
	arn, _ := item["arn"].(string)
	return call{Operation: "ListTagsForResource", Labels: map[string]string{"resourceArn": arn}}, arn != ""
}

const (
	serviceWorkSpaces = "workspaces"
	serviceThinClient = "thinclient"
)

// kinds lists every resource kind of both services, in page order.
var kinds = []*kind{
	{Key: "directories", Label: "Directories", Service: serviceWorkSpaces,
		List: body("DescribeWorkspaceDirectories"), Items: "Directories", Next: "NextToken",
		ID: "DirectoryId", Name: "DirectoryName", State: "State", Info: []string{"DirectoryType", "registration code: =RegistrationCode"},
		Detail: func(id string, _ map[string]any) []call {
			return []call{body("DescribeWorkspaceDirectories", "DirectoryIds", []string{id}), body("DescribeClientProperties", "ResourceIds", []string{id}),
				// A directory holds at most one Amazon Connect add-in, listed
				// by directory only: its description shows with the directory's.
				body("DescribeConnectClientAddIns", "ResourceId", id)}
		},
		Tags: wsTags},
	{Key: "workspaces", Label: "WorkSpaces", Service: serviceWorkSpaces,
		List: body("DescribeWorkspaces"), Items: "Workspaces", Next: "NextToken",
		ID: "WorkspaceId", Name: "UserName", State: "State", Info: []string{"DirectoryId", "BundleId", "WorkspaceProperties.ComputeTypeName", "WorkspaceProperties.RunningMode"},
		Detail: func(id string, _ map[string]any) []call {
			return []call{body("DescribeWorkspaces", "WorkspaceIds", []string{id}), body("DescribeWorkspacesConnectionStatus", "WorkspaceIds", []string{id})}
		},
		Tags: wsTags},
	{Key: "pools", Label: "WorkSpaces pools", Service: serviceWorkSpaces,
		List: body("DescribeWorkspacesPools"), Items: "WorkspacesPools", Next: "NextToken",
		ID: "PoolId", Name: "PoolName", State: "State", Info: []string{"DirectoryId", "BundleId", "RunningMode"},
		Detail: func(id string, _ map[string]any) []call {
			return []call{body("DescribeWorkspacesPools", "PoolIds", []string{id}), body("DescribeWorkspacesPoolSessions", "PoolId", id)}
		},
		Tags: wsTags},
	{Key: "ipgroups", Label: "IP access control groups", Service: serviceWorkSpaces,
		List: body("DescribeIpGroups"), Items: "Result", Next: "NextToken",
		ID: "groupId", Name: "groupName", Info: []string{"groupDesc"},
		Detail: ids("DescribeIpGroups", "GroupIds"), Tags: wsTags},
	{Key: "bundles", Label: "Bundles (the account's own)", Service: serviceWorkSpaces,
		List: body("DescribeWorkspaceBundles"), Items: "Bundles", Next: "NextToken",
		ID: "BundleId", Name: "Name", State: "State", Info: []string{"ComputeType.Name", "ImageId"},
		Detail: ids("DescribeWorkspaceBundles", "BundleIds"), Tags: wsTags},
	{Key: "images", Label: "Images", Service: serviceWorkSpaces,
		List: body("DescribeWorkspaceImages"), Items: "Images", Next: "NextToken",
		ID: "ImageId", Name: "Name", State: "State", Info: []string{"owner: =OwnerAccountId", "RequiredTenancy"},
		Detail: func(id string, _ map[string]any) []call {
			return []call{body("DescribeWorkspaceImages", "ImageIds", []string{id}), body("DescribeWorkspaceImagePermissions", "ImageId", id)}
		},
		Tags: wsTags},
	{Key: "accountlinks", Label: "Account links", Service: serviceWorkSpaces,
		List: body("ListAccountLinks"), Items: "AccountLinks", Next: "NextToken",
		ID: "AccountLinkId", Name: "SourceAccountId→TargetAccountId", State: "AccountLinkStatus",
		Detail: func(id string, _ map[string]any) []call { return []call{body("GetAccountLink", "LinkId", id)} }},
	{Key: "aliases", Label: "Connection aliases", Service: serviceWorkSpaces,
		List: body("DescribeConnectionAliases"), Items: "ConnectionAliases", Next: "NextToken",
		ID: "AliasId", Name: "ConnectionString", State: "State", Info: []string{"owner: =OwnerAccountId"},
		Detail: func(id string, _ map[string]any) []call {
			return []call{body("DescribeConnectionAliases", "AliasIds", []string{id}), body("DescribeConnectionAliasPermissions", "AliasId", id)}
		},
		Tags: wsTags},
	{Key: "account", Label: "BYOL account", Service: serviceWorkSpaces,
		List: body("DescribeAccount"),
		ID:   "", Name: "DedicatedTenancyManagementCidrRange", State: "DedicatedTenancySupport", Info: []string{"DedicatedTenancyAccountType"},
		Detail: func(string, map[string]any) []call {
			return []call{body("DescribeAccount"), body("DescribeAccountModifications")}
		}},
	{Key: "environments", Label: "Thin Client environments", Service: serviceThinClient,
		List: call{Operation: "ListEnvironments"}, Items: "environments", Next: "nextToken",
		ID: "id", Name: "name", State: "softwareSetComplianceStatus", Info: []string{"desktop: =desktopType", "activation code: =activationCode"},
		Detail: tcGet("GetEnvironment"), Tags: tcTags},
	{Key: "devices", Label: "Thin Client devices", Service: serviceThinClient,
		List: call{Operation: "ListDevices"}, Items: "devices", Next: "nextToken",
		ID: "id", Name: "name", State: "status", Info: []string{"serial: =serialNumber", "model: =model", "update: =softwareSetUpdateStatus"},
		Detail: tcGet("GetDevice"), Tags: tcTags},
	{Key: "softwaresets", Label: "Thin Client software sets", Service: serviceThinClient,
		List: call{Operation: "ListSoftwareSets"}, Items: "softwareSets", Next: "nextToken",
		ID: "id", Name: "version", State: "validationStatus",
		Detail: tcGet("GetSoftwareSet"), Tags: tcTags},
}

func kindByKey(key string) *kind {
	for _, k := range kinds {
		if k.Key == key {
			return k
		}
	}
	return nil
}

// member reads a dotted path ("A.B") of string members, or "A→B" for two
// members joined with an arrow.
func member(item map[string]any, path string) string {
	if a, b, ok := strings.Cut(path, "→"); ok {
		x, y := member(item, a), member(item, b)
		if x == "" && y == "" {
			return ""
		}
		return x + " → " + y
	}
	var v any = item
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

func sortScopes(s []Scope) {
	slices.SortFunc(s, func(a, b Scope) int {
		if c := strings.Compare(a.Account, b.Account); c != 0 {
			return c
		}
		return strings.Compare(a.Region, b.Region)
	})
}
