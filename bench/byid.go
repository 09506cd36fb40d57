package main

// By-id reads: one side-by-side call for every Describe that takes ids,
// each naming one id of the dataset, against the same lookup in the bare
// handler (single-item reads: the ≥ 60 % of bare target).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
)

// idCall is one by-id read of the WorkSpaces API.
type idCall struct {
	name   string
	op     string
	body   string // the request with %s for the id
	member string // the response member holding the answer
	id     func(d *dataset) string
	want   string // what the answer must contain ("" = the id)
	// bare answers the call in the bare handler from items by id (the
	// item is the member's element, or the member itself for an object).
	bare func(items map[string]json.RawMessage) (func(body []byte) (any, error), error)
}

const benchBundle = "wsb-bh8rsxt14"

func first(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

var idCalls = []idCall{
	{name: "DescribeIpGroups by id", op: "DescribeIpGroups", body: `{"GroupIds":["%s"]}`, member: "Result",
		id: func(d *dataset) string { return first(d.IPGroups) },
		bare: bareList(func(in *ws.DescribeIpGroupsInput) []string { return in.GroupIds },
			func(items []ws.WorkspacesIpGroup) any { return &ws.DescribeIpGroupsOutput{Result: items} })},
	{name: "DescribeWorkspaceDirectories by id", op: "DescribeWorkspaceDirectories", body: `{"DirectoryIds":["%s"]}`, member: "Directories",
		id: func(d *dataset) string { return d.DirectoryID },
		bare: bareList(func(in *ws.DescribeWorkspaceDirectoriesInput) []string { return in.DirectoryIds },
			func(items []ws.WorkspaceDirectory) any {
				return &ws.DescribeWorkspaceDirectoriesOutput{Directories: items}
			})},
	{name: "DescribeWorkspaceImages by id", op: "DescribeWorkspaceImages", body: `{"ImageIds":["%s"]}`, member: "Images",
		id: func(d *dataset) string { return first(d.Images) },
		bare: bareList(func(in *ws.DescribeWorkspaceImagesInput) []string { return in.ImageIds },
			func(items []ws.WorkspaceImage) any { return &ws.DescribeWorkspaceImagesOutput{Images: items} })},
	{name: "DescribeConnectionAliases by id", op: "DescribeConnectionAliases", body: `{"AliasIds":["%s"]}`, member: "ConnectionAliases",
		id: func(d *dataset) string { return first(d.Aliases) },
		bare: bareList(func(in *ws.DescribeConnectionAliasesInput) []string { return in.AliasIds },
			func(items []ws.ConnectionAlias) any {
				return &ws.DescribeConnectionAliasesOutput{ConnectionAliases: items}
			})},
	{name: "DescribeWorkspaceBundles by id", op: "DescribeWorkspaceBundles", body: `{"BundleIds":["%s"]}`, member: "Bundles",
		id: func(*dataset) string { return benchBundle },
		bare: bareList(func(in *ws.DescribeWorkspaceBundlesInput) []string { return in.BundleIds },
			func(items []ws.WorkspaceBundle) any { return &ws.DescribeWorkspaceBundlesOutput{Bundles: items} })},
	{name: "DescribeWorkspacesConnectionStatus by id", op: "DescribeWorkspacesConnectionStatus", body: `{"WorkspaceIds":["%s"]}`, member: "WorkspacesConnectionStatus",
		id: func(d *dataset) string { return first(d.Workspaces) },
		bare: bareList(func(in *ws.DescribeWorkspacesConnectionStatusInput) []string { return in.WorkspaceIds },
			func(items []ws.WorkspaceConnectionStatus) any {
				return &ws.DescribeWorkspacesConnectionStatusOutput{WorkspacesConnectionStatus: items}
			})},
	{name: "DescribeClientProperties by id", op: "DescribeClientProperties", body: `{"ResourceIds":["%s"]}`, member: "ClientPropertiesList",
		id: func(d *dataset) string { return d.DirectoryID },
		bare: bareList(func(in *ws.DescribeClientPropertiesInput) []string { return in.ResourceIds },
			func(items []ws.ClientPropertiesResult) any {
				return &ws.DescribeClientPropertiesOutput{ClientPropertiesList: items}
			})},
	{name: "GetAccountLink by id", op: "GetAccountLink", body: `{"LinkId":"%s"}`, member: "AccountLink",
		id: func(d *dataset) string { return first(d.Links) },
		bare: bareOne(func(in *ws.GetAccountLinkInput) string { return deref(in.LinkId) },
			func(l *ws.AccountLink) any { return &ws.GetAccountLinkOutput{AccountLink: l} })},
	{name: "DescribeTags by id", op: "DescribeTags", body: `{"ResourceId":"%s"}`, member: "TagList", want: `"TagList"`,
		id: func(d *dataset) string { return first(d.Workspaces) },
		bare: bareOne(func(in *ws.DescribeTagsInput) string { return deref(in.ResourceId) },
			func(tags *[]ws.Tag) any { return &ws.DescribeTagsOutput{TagList: *tags} })},
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// idScenarios are the side-by-side scenarios of idCalls and GetDevice.
func idScenarios() []scenario {
	var out []scenario
	for _, c := range idCalls {
		out = append(out, scenario{name: c.name, single: true, build: c.driver})
	}
	return append(out, scenario{name: "Thin Client GetDevice", single: true, build: getDevice})
}

func (ic idCall) driver(ep endpoint, d *dataset, _ string) driver {
	id := ic.id(d)
	if id == "" {
		return nil
	}
	body := []byte(fmt.Sprintf(ic.body, id))
	want := []byte(ic.want)
	if ic.want == "" {
		want = []byte(id)
	}
	r := wsRequest(ep, ic.op, body)
	return func(w *worker) error {
		resp, err := w.call(r, body, 200)
		if err == nil && !bytes.Contains(resp, want) {
			err = fmt.Errorf("%s answered without %s: %.200s", ic.name, want, resp)
		}
		return err
	}
}

func getDevice(ep endpoint, d *dataset, _ string) driver {
	id := first(d.Devices)
	if id == "" {
		return nil
	}
	r := newRequest(ep.sg, "thinclient", ep.addr, "GET", "/devices/"+id, "", nil)
	return func(w *worker) error {
		resp, err := w.call(r, nil, 200)
		if err == nil && !bytes.Contains(resp, []byte(id)) {
			err = fmt.Errorf("GetDevice answered without the id: %.200s", resp)
		}
		return err
	}
}

// bareList serves a list-by-ids call: the items of the ids named, in
// request order.
func bareList[In, Item any](ids func(*In) []string, wrap func([]Item) any) func(map[string]json.RawMessage) (func([]byte) (any, error), error) {
	return func(raw map[string]json.RawMessage) (func([]byte) (any, error), error) {
		items := map[string]Item{}
		for id, r := range raw {
			var it Item
			if err := json.Unmarshal(r, &it); err != nil {
				return nil, err
			}
			items[id] = it
		}
		return func(body []byte) (any, error) {
			var in In
			if err := json.Unmarshal(body, &in); err != nil {
				return nil, err
			}
			out := []Item{}
			for _, id := range ids(&in) {
				if it, ok := items[id]; ok {
					out = append(out, it)
				}
			}
			return wrap(out), nil
		}, nil
	}
}

// bareOne serves a call naming one id.
func bareOne[In, Item any](id func(*In) string, wrap func(*Item) any) func(map[string]json.RawMessage) (func([]byte) (any, error), error) {
	return func(raw map[string]json.RawMessage) (func([]byte) (any, error), error) {
		items := map[string]*Item{}
		for k, r := range raw {
			it := new(Item)
			if err := json.Unmarshal(r, it); err != nil {
				return nil, err
			}
			items[k] = it
		}
		return func(body []byte) (any, error) {
			var in In
			if err := json.Unmarshal(body, &in); err != nil {
				return nil, err
			}
			it, ok := items[id(&in)]
			if !ok {
				return nil, fmt.Errorf("no %s", id(&in))
			}
			return wrap(it), nil
		}, nil
	}
}

// fetchByID reads the answer of every idCall back from workspaces-local
// for the bare handler: op -> id -> item.
func fetchByID(a *apiClient, d *dataset) (map[string]map[string]json.RawMessage, error) {
	out := map[string]map[string]json.RawMessage{}
	for _, ic := range idCalls {
		id := ic.id(d)
		if id == "" {
			continue
		}
		var resp map[string]json.RawMessage
		if err := a.ws(ic.op, json.RawMessage(fmt.Sprintf(ic.body, id)), &resp); err != nil {
			return nil, err
		}
		item := resp[ic.member]
		if strings.HasPrefix(string(item), "[") && ic.member != "TagList" {
			var list []json.RawMessage
			if err := json.Unmarshal(item, &list); err != nil || len(list) != 1 {
				return nil, fmt.Errorf("%s: %d items for one id (%v)", ic.name, len(list), err)
			}
			item = list[0]
		}
		out[ic.op] = map[string]json.RawMessage{id: item}
	}
	return out, nil
}

// bareDevice answers GetDevice from the devices workspaces-local answered.
func bareDevice(raw json.RawMessage) (map[string]*tc.Device, error) {
	out := map[string]*tc.Device{}
	if len(raw) == 0 {
		return out, nil
	}
	d := new(tc.Device)
	if err := json.Unmarshal(raw, d); err != nil {
		return nil, err
	}
	out[deref(d.Id)] = d
	return out, nil
}

// loadByID adds what the by-id calls name to the side-by-side dataset:
// BYOL enabled, an imported image, a connection alias, an account link.
func loadByID(a *apiClient, d *dataset) error {
	if err := a.ws("ModifyAccount", map[string]string{"DedicatedTenancySupport": "ENABLED", "DedicatedTenancyManagementCidrRange": "10.200.0.0/16"}, nil); err != nil {
		return err
	}
	var im ws.ImportWorkspaceImageOutput
	if err := a.ws("ImportWorkspaceImage", map[string]string{"Ec2ImageId": "ami-0123456789abcdef0", "IngestionProcess": "BYOL_REGULAR",
		"ImageName": "bench-image", "ImageDescription": "benchmark image"}, &im); err != nil {
		return err
	}
	var al ws.CreateConnectionAliasOutput
	if err := a.ws("CreateConnectionAlias", map[string]string{"ConnectionString": "bench.example.com"}, &al); err != nil {
		return err
	}
	var ln ws.CreateAccountLinkInvitationOutput
	if err := a.ws("CreateAccountLinkInvitation", map[string]string{"TargetAccountId": "999999999999"}, &ln); err != nil {
		return err
	}
	d.Images, d.Aliases, d.Links = []string{deref(im.ImageId)}, []string{deref(al.AliasId)}, []string{deref(ln.AccountLink.AccountLinkId)}
	return nil
}
