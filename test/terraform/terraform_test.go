// Package terraform runs Terraform with the AWS provider's WorkSpaces
// resources and data sources (testdata/main.tf) against workspaces-local on
// the wall clock with the default delays: init, apply, a clean plan, an
// in-place update, a clean plan, destroy, then checks through aws-sdk-go-v2
// that nothing is left.
//
// It needs the terraform binary on PATH and hashicorp/aws 5.x (>= 5.100) in a
// filesystem mirror: $WORKSPACES_LOCAL_TF_PLUGINS, /opt/tf-plugins or one of
// Terraform's implied local mirror directories. Without them, under
// go test -short, and unless WORKSPACES_LOCAL_TERRAFORM=1 (.ci/run sets it),
// it skips. Nothing is downloaded.
package terraform

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

const (
	account = testenv.AccountA
	region  = testenv.Region
	// readmeEndpoint is the endpoint of the README's recipe.
	readmeEndpoint = "http://127.0.0.1:4599"
	// scenarioTimeout bounds the whole scenario when go test has no deadline.
	scenarioTimeout = 9 * time.Minute
	// applyDestroyBudget is the bound for a full apply plus destroy
	// with the default delays. It is reported, not asserted: wall-clock
	// targets belong in measurements, and a loaded machine must not fail the
	// suite (the measured times are in the test log and docs/terraform.md).
	applyDestroyBudget = 2 * time.Minute
)

// providerConfig is the provider configuration of the README's "Terraform"
// recipe (TestReadmeRecipe keeps them identical).
func providerConfig(endpoint string) string {
	return `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "111111111111" # a 12-digit key id is the account
  secret_key                  = "local"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true

  endpoints {
    workspaces = "` + endpoint + `"
  }
}
`
}

func TestReadmeRecipe(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := providerConfig(readmeEndpoint); !strings.Contains(string(b), want) {
		t.Fatalf("README.md does not contain the provider configuration the Terraform test uses:\n%s", want)
	}
}

// optInVar opts in to the Terraform scenario, so that `go test ./...`
// stays under a minute by default.
const optInVar = "WORKSPACES_LOCAL_TERRAFORM"

// optedIn reads the opt-in variable like the server reads its booleans.
func optedIn(v string) bool {
	switch strings.ToLower(v) {
	case "1", "true", "yes":
		return true
	}
	return false
}

func TestTerraformWorkSpaces(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped under -short: the Terraform scenario takes about four minutes (the provider waits a fixed minute after each WorkSpace property change)")
	}
	if !optedIn(os.Getenv(optInVar)) {
		t.Skip("the Terraform scenario takes about four minutes and runs only when opted in: set " + optInVar + "=1 (.ci/run does)")
	}
	bin, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on PATH; install Terraform (1.5 or later) to run this test")
	}
	mirror, err := findMirror()
	if err != nil {
		t.Fatal(err)
	}
	if mirror == "" {
		t.Skip("no filesystem mirror with registry.terraform.io/hashicorp/aws 5.x (>= 5.100) for " + runtime.GOOS + "_" + runtime.GOARCH +
			"; set WORKSPACES_LOCAL_TF_PLUGINS to a mirror directory (or use /opt/tf-plugins or ~/.terraform.d/plugins)")
	}
	deadline := time.Now().Add(scenarioTimeout)
	if d, ok := t.Deadline(); ok && d.Add(-30*time.Second).Before(deadline) {
		deadline = d.Add(-30 * time.Second)
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()

	env := testenv.Start(t, testenv.WithRealClock())
	client := env.WorkSpaces(account, region)
	s := &scenario{t: t, ctx: ctx, ws: client}
	s.tf = newRunner(t, ctx, bin, mirror, env.URL)

	s.imageID = s.importImage()
	s.vars = map[string]any{"directory_id": randomDirectoryID(), "image_id": s.imageID, "updated": false, "manual_user": ""}
	s.tf.writeVars(s.vars)

	s.tf.phase("init", "init", "-input=false")
	apply := s.tf.phase("apply", "apply", "-auto-approve", "-input=false")
	s.checkCreated()
	s.tf.planClean("plan (clean after apply)")

	// A MANUAL WorkSpace made with the SDK, read through the data source.
	manualID := s.createManualWorkspace("dave")
	s.vars["updated"], s.vars["manual_user"] = true, "dave"
	s.tf.writeVars(s.vars)
	s.tf.phase("plan (update)", "plan", "-input=false", "-out=update.tfplan")
	s.checkInPlacePlan()
	s.tf.phase("apply (update)", "apply", "-auto-approve", "-input=false", "update.tfplan")
	s.checkUpdated()
	s.tf.planClean("plan (clean after update)")

	s.terminate(manualID)
	s.vars["manual_user"] = ""
	s.tf.writeVars(s.vars)
	destroy := s.tf.phase("destroy", "destroy", "-auto-approve", "-input=false")
	s.checkNothingLeft()

	s.tf.logTimes()
	t.Logf("apply (%s) + destroy (%s) = %s with the default delays (the issue's bound: well under %s)", apply, destroy, apply+destroy, applyDestroyBudget)
}

// scenario holds what the steps share.
type scenario struct {
	t       *testing.T
	ctx     context.Context
	ws      *workspaces.Client
	tf      *runner
	vars    map[string]any
	imageID string
	// ids of everything Terraform created, for the final checks.
	ipGroups   []string
	workspaces []string
	alias      string
}

func (s *scenario) must(err error, what string) {
	s.t.Helper()
	if err != nil {
		s.t.Fatalf("%s: %v", what, err)
	}
}

// eventually polls cond every 200ms until it returns true or 30s pass (the
// server runs on the wall clock here).
func (s *scenario) eventually(what string, cond func() (bool, error)) {
	s.t.Helper()
	stop := time.Now().Add(30 * time.Second)
	for {
		ok, err := cond()
		s.must(err, what)
		if ok {
			return
		}
		if time.Now().After(stop) {
			s.t.Fatalf("timed out waiting for %s", what)
		}
		select {
		case <-s.ctx.Done():
			s.t.Fatalf("waiting for %s: %v", what, s.ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// importImage enables BYOL and imports an image for the
// aws_workspaces_image data source.
func (s *scenario) importImage() string {
	_, err := s.ws.ModifyAccount(s.ctx, &workspaces.ModifyAccountInput{
		DedicatedTenancySupport:             types.DedicatedTenancySupportEnumEnabled,
		DedicatedTenancyManagementCidrRange: aws.String("10.200.0.0/16"),
	})
	s.must(err, "ModifyAccount")
	s.eventually("BYOL enabled", func() (bool, error) {
		out, err := s.ws.DescribeAccount(s.ctx, &workspaces.DescribeAccountInput{})
		return err == nil && out.DedicatedTenancySupport == types.DedicatedTenancySupportResultEnumEnabled, err
	})
	out, err := s.ws.ImportWorkspaceImage(s.ctx, &workspaces.ImportWorkspaceImageInput{
		Ec2ImageId:       aws.String("ami-0123456789abcdef0"),
		IngestionProcess: types.WorkspaceImageIngestionProcessByolRegular,
		ImageName:        aws.String("terraform-byol"),
		ImageDescription: aws.String("BYOL image for the Terraform scenario"),
	})
	s.must(err, "ImportWorkspaceImage")
	id := aws.ToString(out.ImageId)
	s.eventually("image "+id+" AVAILABLE", func() (bool, error) {
		out, err := s.ws.DescribeWorkspaceImages(s.ctx, &workspaces.DescribeWorkspaceImagesInput{ImageIds: []string{id}})
		return err == nil && len(out.Images) == 1 && out.Images[0].State == types.WorkspaceImageStateAvailable, err
	})
	return id
}

func (s *scenario) createManualWorkspace(user string) string {
	out, err := s.ws.CreateWorkspaces(s.ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{{
		DirectoryId: aws.String(s.vars["directory_id"].(string)), BundleId: aws.String("wsb-bh8rsxt14"), UserName: aws.String(user),
		WorkspaceProperties: &types.WorkspaceProperties{RunningMode: types.RunningModeManual},
	}}})
	s.must(err, "CreateWorkspaces")
	if len(out.FailedRequests) > 0 || len(out.PendingRequests) != 1 {
		s.t.Fatalf("CreateWorkspaces MANUAL: failed %+v", out.FailedRequests)
	}
	id := aws.ToString(out.PendingRequests[0].WorkspaceId)
	s.eventually("WorkSpace "+id+" AVAILABLE", func() (bool, error) {
		w, err := s.workspace(id)
		return w != nil && w.State == types.WorkspaceStateAvailable, err
	})
	return id
}

func (s *scenario) terminate(id string) {
	out, err := s.ws.TerminateWorkspaces(s.ctx, &workspaces.TerminateWorkspacesInput{TerminateWorkspaceRequests: []types.TerminateRequest{{WorkspaceId: aws.String(id)}}})
	s.must(err, "TerminateWorkspaces")
	if len(out.FailedRequests) > 0 {
		s.t.Fatalf("TerminateWorkspaces %s: %+v", id, out.FailedRequests)
	}
	s.eventually("WorkSpace "+id+" gone", func() (bool, error) {
		w, err := s.workspace(id)
		return w == nil, err
	})
}

func (s *scenario) workspace(id string) (*types.Workspace, error) {
	out, err := s.ws.DescribeWorkspaces(s.ctx, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{id}})
	if err != nil || len(out.Workspaces) == 0 {
		return nil, err
	}
	return &out.Workspaces[0], nil
}

func (s *scenario) directory() *types.WorkspaceDirectory {
	s.t.Helper()
	id := s.vars["directory_id"].(string)
	out, err := s.ws.DescribeWorkspaceDirectories(s.ctx, &workspaces.DescribeWorkspaceDirectoriesInput{DirectoryIds: []string{id}})
	s.must(err, "DescribeWorkspaceDirectories")
	if len(out.Directories) != 1 {
		s.t.Fatalf("directory %s: got %d directories", id, len(out.Directories))
	}
	return &out.Directories[0]
}

func (s *scenario) tags(id string) map[string]string {
	s.t.Helper()
	out, err := s.ws.DescribeTags(s.ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String(id)})
	s.must(err, "DescribeTags "+id)
	m := map[string]string{}
	for _, tg := range out.TagList {
		m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	return m
}

// checkCreated checks the outputs and the server after the first apply.
func (s *scenario) checkCreated() {
	t := s.t
	out := s.tf.outputs()
	s.ipGroups = decode[[]string](t, out, "ip_group_ids")
	s.workspaces = decode[[]string](t, out, "workspace_ids")
	alias := decode[map[string]string](t, out, "alias")
	s.alias = alias["id"]
	dir := s.vars["directory_id"].(string)

	expect(t, "performance_compute", decode[string](t, out, "performance_compute"), "PERFORMANCE")
	expect(t, "value_bundle", decode[map[string]string](t, out, "value_bundle"), map[string]string{"compute": "VALUE", "root": "80", "user": "10"})
	expect(t, "by_name_bundle_id", decode[string](t, out, "by_name_bundle_id"), "wsb-8vbljg4r6")
	expect(t, "image", decode[map[string]string](t, out, "image"),
		map[string]string{"name": "terraform-byol", "operating_system": "WINDOWS", "required_tenancy": "DEDICATED", "state": "AVAILABLE"})
	d := decode[directoryOutput](t, out, "directory")
	expect(t, "directory", d, directoryOutput{
		IPGroupIDs: sorted(s.ipGroups), DirectoryType: "SIMPLE_AD", SAMLStatus: "ENABLED_WITH_DIRECTORY_LOGIN_FALLBACK",
		RestartWorkspace: false, DeviceTypeWeb: "DENY", EnableInternet: true, CertificateAuth: "ENABLED", Tags: map[string]string{"env": "test"},
	})
	expect(t, "by_id", decode[workspaceOutput](t, out, "by_id"),
		workspaceOutput{UserName: "alice", ComputeType: "VALUE", UserVolume: 10, Tags: map[string]string{"owner": "alice"}})
	expect(t, "by_user", decode[map[string]any](t, out, "by_user"), map[string]any{"id": s.workspaces[1], "running_mode": "AUTO_STOP", "root_volume": 80.0})
	expect(t, "alias state and owner", []string{alias["state"], alias["owner_account_id"]}, []string{"CREATED", account})
	if !strings.HasPrefix(s.alias, "wsca-") {
		t.Errorf("alias id %q", s.alias)
	}

	// The same through the SDK.
	wd := s.directory()
	expect(t, "directory state", wd.State, types.WorkspaceDirectoryStateRegistered)
	expect(t, "directory ip groups", sorted(wd.IpGroupIds), sorted(s.ipGroups))
	expect(t, "directory subnets", sorted(wd.SubnetIds), []string{"subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"})
	if p := wd.SelfservicePermissions; p == nil || p.ChangeComputeType != types.ReconnectEnumEnabled || p.RestartWorkspace != types.ReconnectEnumDisabled {
		t.Errorf("self-service permissions %+v", p)
	}
	if p := wd.WorkspaceCreationProperties; p == nil || aws.ToString(p.DefaultOu) != "OU=WorkSpaces,DC=corp,DC=example,DC=com" || !aws.ToBool(p.EnableMaintenanceMode) {
		t.Errorf("creation properties %+v", p)
	}
	if p := wd.SamlProperties; p == nil || aws.ToString(p.UserAccessUrl) != "https://sso.example.com/saml/workspaces" {
		t.Errorf("SAML properties %+v", p)
	}
	expect(t, "directory tags", s.tags(dir), map[string]string{"env": "test"})
	expect(t, "ip group vpn tags", s.tags(s.ipGroups[1]), map[string]string{"team": "net", "env": "test"})
	for i, id := range s.workspaces {
		w, err := s.workspace(id)
		s.must(err, "DescribeWorkspaces")
		if w == nil || w.State != types.WorkspaceStateAvailable || aws.ToString(w.DirectoryId) != dir {
			t.Errorf("WorkSpace %d (%s): %+v", i, id, w)
		}
	}
	as, err := s.ws.DescribeConnectionAliases(s.ctx, &workspaces.DescribeConnectionAliasesInput{AliasIds: []string{s.alias}})
	s.must(err, "DescribeConnectionAliases")
	if len(as.ConnectionAliases) != 1 || aws.ToString(as.ConnectionAliases[0].ConnectionString) != "desktop.example.com" {
		t.Errorf("connection alias %s: %+v", s.alias, as.ConnectionAliases)
	}
	expect(t, "alias tags", s.tags(s.alias), map[string]string{"purpose": "failover"})
}

// checkInPlacePlan checks that the saved update plan changes every managed
// resource in place: WorkSpaces and the directory are updated, nothing is
// created, replaced or destroyed.
func (s *scenario) checkInPlacePlan() {
	t := s.t
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Mode    string `json:"mode"`
			Change  struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(s.tf.must("show", "-json", "update.tfplan")), &plan); err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	got := map[string][]string{}
	for _, rc := range plan.ResourceChanges {
		if rc.Mode == "managed" {
			got[rc.Address] = rc.Change.Actions
		}
	}
	update := []string{"update"}
	expect(t, "update plan actions", got, map[string][]string{
		"aws_workspaces_workspace.always_on":   update,
		"aws_workspaces_workspace.auto_stop":   update,
		"aws_workspaces_directory.main":        update,
		"aws_workspaces_ip_group.office":       update,
		"aws_workspaces_ip_group.vpn":          update,
		"aws_workspaces_connection_alias.main": update,
	})
}

// checkUpdated checks the in-place update: same ids, new properties.
func (s *scenario) checkUpdated() {
	t := s.t
	out := s.tf.outputs()
	expect(t, "workspace ids after update", decode[[]string](t, out, "workspace_ids"), s.workspaces)
	expect(t, "ip group ids after update", decode[[]string](t, out, "ip_group_ids"), s.ipGroups)
	expect(t, "alias id after update", decode[map[string]string](t, out, "alias")["id"], s.alias)
	expect(t, "by_id", decode[workspaceOutput](t, out, "by_id"),
		workspaceOutput{UserName: "alice", ComputeType: "STANDARD", UserVolume: 50, Tags: map[string]string{"owner": "alice"}})
	expect(t, "by_user", decode[map[string]any](t, out, "by_user"), map[string]any{"id": s.workspaces[1], "running_mode": "AUTO_STOP", "root_volume": 175.0})
	expect(t, "manual_running_mode", decode[string](t, out, "manual_running_mode"), "MANUAL")
	d := decode[directoryOutput](t, out, "directory")
	expect(t, "directory restart_workspace, device_type_web", []any{d.RestartWorkspace, d.DeviceTypeWeb}, []any{true, "ALLOW"})

	always, err := s.workspace(s.workspaces[0])
	s.must(err, "DescribeWorkspaces")
	auto, err := s.workspace(s.workspaces[1])
	s.must(err, "DescribeWorkspaces")
	if always == nil || auto == nil {
		t.Fatalf("a WorkSpace disappeared in the update: %v %v", always, auto)
	}
	p := always.WorkspaceProperties
	expect(t, "always_on properties", []any{p.ComputeTypeName, aws.ToInt32(p.RootVolumeSizeGib), aws.ToInt32(p.UserVolumeSizeGib)}, []any{types.ComputeStandard, int32(80), int32(50)})
	p = auto.WorkspaceProperties
	expect(t, "auto_stop properties", []any{p.RunningMode, aws.ToInt32(p.RunningModeAutoStopTimeoutInMinutes), aws.ToInt32(p.RootVolumeSizeGib), aws.ToInt32(p.UserVolumeSizeGib)},
		[]any{types.RunningModeAutoStop, int32(180), int32(175), int32(100)})
	expect(t, "auto_stop tags", s.tags(s.workspaces[1]), map[string]string{"owner": "bob", "cost": "lab"})
	expect(t, "ip group vpn tags", s.tags(s.ipGroups[1]), map[string]string{"team": "net", "stage": "updated"})
	expect(t, "alias tags", s.tags(s.alias), map[string]string{"purpose": "failover", "stage": "updated"})
	groups, err := s.ws.DescribeIpGroups(s.ctx, &workspaces.DescribeIpGroupsInput{GroupIds: []string{s.ipGroups[0]}})
	s.must(err, "DescribeIpGroups")
	if len(groups.Result) != 1 || len(groups.Result[0].UserRules) != 3 {
		t.Errorf("office ip group after update: %+v", groups.Result)
	}
	if p := s.directory().SelfservicePermissions; p == nil || p.RestartWorkspace != types.ReconnectEnumEnabled {
		t.Errorf("self-service permissions after update: %+v", p)
	}
}

// checkNothingLeft checks that destroy removed every directory, IP group,
// WorkSpace, alias and tag (transient DEREGISTERED / TERMINATED / DELETING
// entries are waited out), then deletes the SDK-made image.
func (s *scenario) checkNothingLeft() {
	t := s.t
	drained(s, "directories", func() ([]types.WorkspaceDirectory, error) {
		out, err := s.ws.DescribeWorkspaceDirectories(s.ctx, &workspaces.DescribeWorkspaceDirectoriesInput{})
		if err != nil {
			return nil, err
		}
		return out.Directories, nil
	}, func(d types.WorkspaceDirectory) (string, bool) {
		return aws.ToString(d.DirectoryId) + " " + string(d.State), d.State == types.WorkspaceDirectoryStateDeregistered
	})
	drained(s, "IP groups", func() ([]types.WorkspacesIpGroup, error) {
		out, err := s.ws.DescribeIpGroups(s.ctx, &workspaces.DescribeIpGroupsInput{})
		if err != nil {
			return nil, err
		}
		return out.Result, nil
	}, func(g types.WorkspacesIpGroup) (string, bool) { return aws.ToString(g.GroupId), false })
	drained(s, "WorkSpaces", func() ([]types.Workspace, error) {
		out, err := s.ws.DescribeWorkspaces(s.ctx, &workspaces.DescribeWorkspacesInput{})
		if err != nil {
			return nil, err
		}
		return out.Workspaces, nil
	}, func(w types.Workspace) (string, bool) {
		return aws.ToString(w.WorkspaceId) + " " + string(w.State), w.State == types.WorkspaceStateTerminated
	})
	drained(s, "connection aliases", func() ([]types.ConnectionAlias, error) {
		out, err := s.ws.DescribeConnectionAliases(s.ctx, &workspaces.DescribeConnectionAliasesInput{})
		if err != nil {
			return nil, err
		}
		return out.ConnectionAliases, nil
	}, func(a types.ConnectionAlias) (string, bool) {
		return aws.ToString(a.AliasId) + " " + string(a.State), a.State == types.ConnectionAliasStateDeleting
	})
	dir := s.vars["directory_id"].(string)
	for _, id := range slices.Concat([]string{dir, s.alias}, s.ipGroups, s.workspaces) {
		out, err := s.ws.DescribeTags(s.ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String(id)})
		var nf *types.ResourceNotFoundException
		if err != nil && !errors.As(err, &nf) {
			t.Errorf("DescribeTags %s after destroy: %v", id, err)
		} else if err == nil && len(out.TagList) > 0 {
			t.Errorf("tags of %s left after destroy: %+v", id, out.TagList)
		}
	}
	// A new registration of the same directory starts without the old tags.
	_, err := s.ws.RegisterWorkspaceDirectory(s.ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)})
	s.must(err, "RegisterWorkspaceDirectory again")
	expect(t, "tags of the directory registered again", s.tags(dir), map[string]string{})
	s.eventually("directory registered again", func() (bool, error) {
		return s.directory().State == types.WorkspaceDirectoryStateRegistered, nil
	})
	_, err = s.ws.DeregisterWorkspaceDirectory(s.ctx, &workspaces.DeregisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)})
	s.must(err, "DeregisterWorkspaceDirectory")
	_, err = s.ws.DeleteWorkspaceImage(s.ctx, &workspaces.DeleteWorkspaceImageInput{ImageId: aws.String(s.imageID)})
	s.must(err, "DeleteWorkspaceImage")
}

// drained waits until list returns nothing; an item that describe does not
// call transient (on its way out) fails the test at once.
func drained[T any](s *scenario, what string, list func() ([]T, error), describe func(T) (string, bool)) {
	s.t.Helper()
	s.eventually("no "+what+" left", func() (bool, error) {
		items, err := list()
		for _, it := range items {
			if name, transient := describe(it); !transient {
				s.t.Fatalf("%s left after destroy: %s", what, name)
			}
		}
		return err == nil && len(items) == 0, err
	})
}

type directoryOutput struct {
	IPGroupIDs       []string          `json:"ip_group_ids"`
	DirectoryType    string            `json:"directory_type"`
	SAMLStatus       string            `json:"saml_status"`
	RestartWorkspace bool              `json:"restart_workspace"`
	DeviceTypeWeb    string            `json:"device_type_web"`
	EnableInternet   bool              `json:"enable_internet"`
	CertificateAuth  string            `json:"certificate_auth"`
	Tags             map[string]string `json:"tags"`
}

type workspaceOutput struct {
	UserName    string            `json:"user_name"`
	ComputeType string            `json:"compute_type"`
	UserVolume  int               `json:"user_volume"`
	Tags        map[string]string `json:"tags"`
}

func decode[T any](t *testing.T, outputs map[string]json.RawMessage, name string) T {
	t.Helper()
	var v T
	raw, ok := outputs[name]
	if !ok {
		t.Fatalf("no output %q", name)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("output %q = %s: %v", name, raw, err)
	}
	return v
}

func expect(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// randomDirectoryID is a Directory Service id: d- and 10 hex digits.
func randomDirectoryID() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return "d-" + hex.EncodeToString(b)
}

// findMirror returns a filesystem mirror directory holding
// hashicorp/aws 5.x (>= 5.100) for this platform, or "" when there is none.
// An explicit WORKSPACES_LOCAL_TF_PLUGINS without it is an error.
func findMirror() (string, error) {
	if dir := os.Getenv("WORKSPACES_LOCAL_TF_PLUGINS"); dir != "" {
		if hasProvider(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("WORKSPACES_LOCAL_TF_PLUGINS=%s has no registry.terraform.io/hashicorp/aws 5.x (>= 5.100) for %s_%s", dir, runtime.GOOS, runtime.GOARCH)
	}
	dirs := []string{"/opt/tf-plugins"}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".terraform.d", "plugins"))
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		dirs = append(dirs, filepath.Join(x, "terraform", "plugins"))
	} else if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".local", "share", "terraform", "plugins"))
	}
	dirs = append(dirs, "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins")
	for _, d := range dirs {
		if hasProvider(d) {
			return d, nil
		}
	}
	return "", nil
}

// hasProvider reports whether dir holds a suitable hashicorp/aws in the
// unpacked (VERSION/OS_ARCH/terraform-provider-aws*) or packed
// (terraform-provider-aws_VERSION_OS_ARCH.zip) mirror layout.
func hasProvider(dir string) bool {
	base := filepath.Join(dir, "registry.terraform.io", "hashicorp", "aws")
	platform := runtime.GOOS + "_" + runtime.GOARCH
	entries, err := os.ReadDir(base)
	if err != nil {
		return false
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			if bins, _ := filepath.Glob(filepath.Join(base, name, platform, "terraform-provider-aws*")); len(bins) > 0 && suitable(name) {
				return true
			}
		} else if v, ok := strings.CutPrefix(name, "terraform-provider-aws_"); ok {
			if v, ok = strings.CutSuffix(v, "_"+platform+".zip"); ok && suitable(v) {
				return true
			}
		}
	}
	return false
}

// suitable: the scenario is written for the 5.x schema from 5.100 on.
func suitable(version string) bool {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 || parts[0] != "5" {
		return false
	}
	minor, err := strconv.Atoi(parts[1])
	return err == nil && minor >= 100
}

// runner runs terraform in a temporary working directory.
type runner struct {
	t     *testing.T
	ctx   context.Context
	bin   string
	dir   string
	env   []string
	times []phaseTime
}

type phaseTime struct {
	name string
	d    time.Duration
}

func newRunner(t *testing.T, ctx context.Context, bin, mirror, endpoint string) *runner {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("testdata", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	cli := fmt.Sprintf(`disable_checkpoint = true

provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
`, mirror)
	for name, body := range map[string]string{"main.tf": string(src), "provider.tf": providerConfig(endpoint), "cli.tfrc": cli} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Only TF_LOG and TF_LOG_PATH pass through (TF_LOG=DEBUG shows every
	// request and response); other TF_ and AWS_ settings of the caller could
	// redirect the provider.
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if (strings.HasPrefix(k, "TF_") && k != "TF_LOG" && k != "TF_LOG_PATH") || strings.HasPrefix(k, "AWS_") || k == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, "cli.tfrc"),
		"TF_DATA_DIR="+filepath.Join(dir, ".terraform"),
		"TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1",
		"TF_PLUGIN_CACHE_DIR=",
	)
	return &runner{t: t, ctx: ctx, bin: bin, dir: dir, env: env}
}

func (r *runner) writeVars(vars map[string]any) {
	b, err := json.MarshalIndent(vars, "", "  ")
	if err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.dir, "terraform.tfvars.json"), b, 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// run runs terraform with args and returns its stdout, stderr and exit code.
func (r *runner) run(args ...string) (string, string, int) {
	r.t.Helper()
	cmd := exec.CommandContext(r.ctx, r.bin, append(args[:1:1], append([]string{"-no-color"}, args[1:]...)...)...)
	cmd.Dir, cmd.Env = r.dir, r.env
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case r.ctx.Err() != nil:
		r.t.Fatalf("terraform %s: %v (scenario deadline)\n%s%s", strings.Join(args, " "), r.ctx.Err(), tail(stdout.String()), tail(stderr.String()))
	case errors.As(err, &exit):
		return stdout.String(), stderr.String(), exit.ExitCode()
	case err != nil:
		r.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return stdout.String(), stderr.String(), 0
}

// must runs terraform and fails the test unless it exits 0.
func (r *runner) must(args ...string) string {
	r.t.Helper()
	out, errOut, code := r.run(args...)
	if code != 0 {
		r.t.Fatalf("terraform %s exited %d:\n%s\n%s", strings.Join(args, " "), code, tail(out), errOut)
	}
	return out
}

// phase runs a timed terraform command that must succeed.
func (r *runner) phase(name string, args ...string) time.Duration {
	r.t.Helper()
	start := time.Now()
	r.must(args...)
	d := time.Since(start)
	r.times = append(r.times, phaseTime{name, d})
	r.t.Logf("terraform %s: %s", name, d.Round(100*time.Millisecond))
	return d
}

// planClean runs plan -detailed-exitcode, which must report no changes (0).
func (r *runner) planClean(name string) {
	r.t.Helper()
	start := time.Now()
	out, errOut, code := r.run("plan", "-input=false", "-detailed-exitcode")
	d := time.Since(start)
	r.times = append(r.times, phaseTime{name, d})
	r.t.Logf("terraform %s: %s", name, d.Round(100*time.Millisecond))
	if code != 0 {
		r.t.Fatalf("terraform %s: exit %d, want 0 (no changes):\n%s\n%s", name, code, planBody(out), errOut)
	}
}

func (r *runner) outputs() map[string]json.RawMessage {
	r.t.Helper()
	var raw map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal([]byte(r.must("output", "-json")), &raw); err != nil {
		r.t.Fatalf("terraform output -json: %v", err)
	}
	out := map[string]json.RawMessage{}
	for k, v := range raw {
		out[k] = v.Value
	}
	return out
}

func (r *runner) logTimes() {
	var b strings.Builder
	var total time.Duration
	for _, p := range r.times {
		fmt.Fprintf(&b, "\n  %-28s %6.1fs", p.name, p.d.Seconds())
		total += p.d
	}
	r.t.Logf("terraform phases:%s\n  %-28s %6.1fs", b.String(), "total", total.Seconds())
}

// planBody drops the refresh lines of a plan's output.
func planBody(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if !strings.Contains(l, ": Refreshing state...") && !strings.Contains(l, ": Reading...") && !strings.Contains(l, ": Read complete after") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func tail(s string) string {
	const max = 6000
	if len(s) > max {
		return "…" + s[len(s)-max:]
	}
	return s
}
