package wslocal_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"
	"github.com/aws/smithy-go"

	"github.com/workspaces-local/workspaces-local/wslocal"
)

func client(srv *wslocal.Server, account string) *workspaces.Client {
	return workspaces.New(workspaces.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(account, "secret", ""),
		RetryMaxAttempts: 1,
	})
}

// TestWorkspaceLifecycle is the README's example: a WorkSpace is PENDING
// until the test moves the clock past the creation delay.
func TestWorkspaceLifecycle(t *testing.T) {
	srv := wslocal.Start(t)
	ctx := context.Background()
	c := client(srv, "111111111111")
	if _, err := c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String("d-1234567890")}); err != nil {
		t.Fatal(err)
	}
	srv.Advance(time.Second) // REGISTERING → REGISTERED
	out, err := c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{{
		DirectoryId: aws.String("d-1234567890"), UserName: aws.String("alice"), BundleId: aws.String("wsb-bh8rsxt14"),
	}}})
	if err != nil || len(out.PendingRequests) != 1 {
		t.Fatalf("CreateWorkspaces: %v %+v", err, out)
	}
	state := func() types.WorkspaceState {
		d, err := c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{WorkspaceIds: []string{*out.PendingRequests[0].WorkspaceId}})
		if err != nil || len(d.Workspaces) != 1 {
			t.Fatalf("DescribeWorkspaces: %v", err)
		}
		return d.Workspaces[0].State
	}
	if s := state(); s != types.WorkspaceStatePending {
		t.Fatalf("state %s, want PENDING", s)
	}
	srv.Advance(2 * time.Second)
	if s := state(); s != types.WorkspaceStateAvailable {
		t.Fatalf("state %s, want AVAILABLE", s)
	}
	if !srv.Now().Equal(wslocal.StartTime.Add(3 * time.Second)) {
		t.Errorf("Now = %v", srv.Now())
	}
}

func TestServerControls(t *testing.T) {
	srv := wslocal.Start(t, wslocal.WithDelays("zero"), wslocal.WithQuotas(wslocal.Quotas{Workspaces: 1}))
	ctx := context.Background()
	a, b := client(srv, "111111111111"), client(srv, "222222222222")
	for _, c := range []*workspaces.Client{a, b} {
		if _, err := c.CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String("office")}); err != nil {
			t.Fatal(err)
		}
	}
	groups := func(c *workspaces.Client) int {
		out, err := c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.Result)
	}
	var saved bytes.Buffer
	if err := srv.ExportState(&saved); err != nil {
		t.Fatal(err)
	}
	srv.ResetScope("111111111111", "")
	if groups(a) != 0 || groups(b) != 1 {
		t.Fatalf("after ResetScope(A): A %d, B %d groups", groups(a), groups(b))
	}
	srv.Reset()
	if groups(b) != 0 {
		t.Fatal("Reset left B's group")
	}
	if err := srv.ImportState(&saved); err != nil {
		t.Fatal(err)
	}
	if groups(a) != 1 || groups(b) != 1 {
		t.Fatal("ImportState did not bring the groups back")
	}
	if err := srv.ImportState(bytes.NewBufferString(`{"format":"workspaces-local-state","version":2,"records":[]}`)); err == nil {
		t.Error("ImportState of version 2 succeeded")
	}

	srv.ClearRequests()
	id := srv.InjectFault(wslocal.Fault{Service: "workspaces", Operation: "DescribeIpGroups", Error: "ThrottlingException", Count: 1})
	var ae smithy.APIError
	if _, err := a.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{}); !errors.As(err, &ae) || ae.ErrorCode() != "ThrottlingException" {
		t.Fatalf("fault %s: %v", id, err)
	}
	if len(srv.Faults()) != 0 {
		t.Errorf("fault with count 1 still live: %+v", srv.Faults())
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Operation != "DescribeIpGroups" || reqs[0].ErrorCode != "ThrottlingException" {
		t.Errorf("Requests = %+v", reqs)
	}
	srv.ClearFaults()
}

func TestWithDelaysRefusesUnknownNames(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("WithDelays(\"workspace.launch=1s\") did not panic")
		}
	}()
	wslocal.WithDelays("workspace.launch=1s")
}

// TestOptionsRefuseBadValues: a mistake in a test's options panics with
// the option's name instead of starting a server that ignores it.
func TestOptionsRefuseBadValues(t *testing.T) {
	for name, opt := range map[string]func(){
		"WithDefaultAccount": func() { wslocal.WithDefaultAccount("12345") },
		"WithQuotas":         func() { wslocal.WithQuotas(wslocal.Quotas{Images: -1}) },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), name) {
					t.Errorf("%s with a bad value: panic %v, want one naming the option", name, r)
				}
			}()
			opt()
		}()
	}
	wslocal.WithDefaultAccount("123456789012")
	wslocal.WithQuotas(wslocal.Quotas{Workspaces: 5})
}

func TestQuotasReachTheServices(t *testing.T) {
	srv := wslocal.Start(t, wslocal.WithQuotas(wslocal.Quotas{Images: 3, Pools: 2, PoolSessions: 7, Standby: 1}))
	q := srv.App().Config().WorkSpacesQuotas
	if q.Images != 3 || q.Pools != 2 || q.PoolSessions != 7 || q.Standby != 1 || q.Workspaces == 0 {
		t.Fatalf("WorkSpaces quotas = %+v", q)
	}
}
