package replica

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"
	"github.com/aws/smithy-go"
)

// TestWorkspaceLifecycleRacedAcrossReplicas creates, tags and terminates
// WorkSpaces of one account from three replicas at once, the users' names
// shared between the workers, so that the quota counter, the user slots
// and the indexes are read and written by Updates of every replica. Then
// every WorkSpace is terminated: a counter that lost an update would now
// refuse creates early (a lost decrement) or allow more than the quota (a
// lost increment), and a user slot written twice would show two live
// WorkSpaces for one user.
func TestWorkspaceLifecycleRacedAcrossReplicas(t *testing.T) {
	const quota, workers, users = 12, 12, 8
	rs, _ := startN(t, 3, "--delays", "zero", "--workspaces-quota", fmt.Sprint(quota))
	const dir, bundle = "d-926722edaf", "wsb-0zsvgp8fc"
	if _, err := rs[0].ws(acct).RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)}); err != nil {
		t.Fatal(err)
	}
	end := time.Now().Add(4 * time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		c := rs[w%3].ws(acct)
		wg.Go(func() {
			for i := 0; time.Now().Before(end); i++ {
				user := fmt.Sprintf("user-%d", (w+i)%users)
				out, err := c.CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: []types.WorkspaceRequest{
					{DirectoryId: aws.String(dir), UserName: aws.String(user), BundleId: aws.String(bundle)}}})
				if err != nil {
					errs <- fmt.Errorf("CreateWorkspaces: %w", err)
					return
				}
				for _, f := range out.FailedRequests {
					// Over the quota, or the user has a WorkSpace: expected.
					if code := aws.ToString(f.ErrorCode); !strings.Contains(code, "Limit") && !strings.Contains(code, "Exist") {
						errs <- fmt.Errorf("CreateWorkspaces failed: %s: %s", code, aws.ToString(f.ErrorMessage))
						return
					}
				}
				for _, p := range out.PendingRequests {
					id := p.WorkspaceId
					if _, err := c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: id, Tags: []types.Tag{{Key: aws.String("n"), Value: aws.String(fmt.Sprint(i))}}}); err != nil && !isNotFound(err) {
						errs <- fmt.Errorf("CreateTags: %w", err)
						return
					}
					if i%2 == 0 {
						if _, err := c.TerminateWorkspaces(ctx, &workspaces.TerminateWorkspacesInput{TerminateWorkspaceRequests: []types.TerminateRequest{{WorkspaceId: id}}}); err != nil {
							errs <- fmt.Errorf("TerminateWorkspaces: %w", err)
							return
						}
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	live := liveByUser(t, rs[1].ws(acct), dir)
	n := 0
	for user, ids := range live {
		if len(ids) > 1 {
			t.Errorf("user %s has %d live WorkSpaces: %v", user, len(ids), ids)
		}
		n += len(ids)
	}
	if n > quota {
		t.Errorf("%d live WorkSpaces, over the quota of %d", n, quota)
	}
	for _, ids := range live {
		for _, id := range ids {
			if _, err := rs[2].ws(acct).TerminateWorkspaces(ctx, &workspaces.TerminateWorkspacesInput{TerminateWorkspaceRequests: []types.TerminateRequest{{WorkspaceId: aws.String(id)}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The counter is back to 0: quota creates succeed, through two
	// replicas, and one more is refused.
	var reqs []types.WorkspaceRequest
	for i := range quota + 1 {
		reqs = append(reqs, types.WorkspaceRequest{DirectoryId: aws.String(dir), UserName: aws.String(fmt.Sprintf("after-%d", i)), BundleId: aws.String(bundle)})
	}
	created := 0
	for i, part := range [][]types.WorkspaceRequest{reqs[:quota/2], reqs[quota/2 : quota]} {
		out, err := rs[i].ws(acct).CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: part})
		if err != nil {
			t.Fatalf("after terminating everything, creating %d of the quota of %d: %v (the live counter drifted up)", len(part), quota, err)
		}
		created += len(out.PendingRequests)
	}
	if created != quota {
		t.Errorf("after terminating everything, %d of %d creates succeeded", created, quota)
	}
	_, err := rs[2].ws(acct).CreateWorkspaces(ctx, &workspaces.CreateWorkspacesInput{Workspaces: reqs[quota:]})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ResourceLimitExceededException" {
		t.Errorf("a create over the quota answered %v, want ResourceLimitExceededException (the live counter drifted down)", err)
	}
}

func isNotFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "ResourceNotFoundException"
}

// liveByUser lists the directory's WorkSpaces that are not terminating or
// terminated, by user.
func liveByUser(t *testing.T, c *workspaces.Client, dir string) map[string][]string {
	t.Helper()
	live := map[string][]string{}
	var next *string
	for {
		out, err := c.DescribeWorkspaces(ctx, &workspaces.DescribeWorkspacesInput{DirectoryId: aws.String(dir), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range out.Workspaces {
			if w.State != types.WorkspaceStateTerminating && w.State != types.WorkspaceStateTerminated {
				live[aws.ToString(w.UserName)] = append(live[aws.ToString(w.UserName)], aws.ToString(w.WorkspaceId))
			}
		}
		if next = out.NextToken; next == nil {
			return live
		}
	}
}
