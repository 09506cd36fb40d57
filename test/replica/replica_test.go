package replica

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"
	awsv1 "github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/workspacesthinclient"
	"github.com/aws/smithy-go"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

const acct = testenv.AccountA

// Creates raced through three replicas never exceed the 100-group quota
// and never give two groups one name.
func TestQuotaAndUniqueNamesAcrossReplicas(t *testing.T) {
	rs, _ := startN(t, 3)
	const attempts = 150 // 130 distinct names, 20 repeated
	var created, limited, dup atomic.Int64
	var wg sync.WaitGroup
	sem := make(chan struct{}, 24)
	errs := make(chan error, attempts)
	for i := range attempts {
		c := rs[i%3].ws(acct)
		name := fmt.Sprintf("g-%03d", i%130)
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, err := c.CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String(name)})
			var ae smithy.APIError
			switch {
			case err == nil:
				created.Add(1)
			case errors.As(err, &ae) && ae.ErrorCode() == "ResourceLimitExceededException":
				limited.Add(1)
			case errors.As(err, &ae) && ae.ErrorCode() == "ResourceAlreadyExistsException":
				dup.Add(1)
			default:
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("CreateIpGroup: %v", err)
	}
	if created.Load() != 100 {
		t.Errorf("%d groups created (%d over quota, %d duplicate names), want exactly 100", created.Load(), limited.Load(), dup.Load())
	}
	for i, r := range rs {
		groups := describeAll(t, r.ws(acct), 25)
		names := map[string]bool{}
		for _, g := range groups {
			if names[aws.ToString(g.GroupName)] {
				t.Errorf("replica %d: name %s twice", i, aws.ToString(g.GroupName))
			}
			names[aws.ToString(g.GroupName)] = true
		}
		if len(groups) != 100 {
			t.Errorf("replica %d lists %d groups, want 100", i, len(groups))
		}
	}
}

// describeAll pages through DescribeIpGroups on c.
func describeAll(t *testing.T, c *workspaces.Client, page int32) []types.WorkspacesIpGroup {
	t.Helper()
	var out []types.WorkspacesIpGroup
	var token *string
	for {
		resp, err := c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{MaxResults: aws.Int32(page), NextToken: token})
		if err != nil {
			t.Fatalf("DescribeIpGroups: %v", err)
		}
		out = append(out, resp.Result...)
		if token = resp.NextToken; token == nil {
			return out
		}
	}
}

// A write through one replica is read at once through another, and a
// NextToken from one replica pages on the others.
func TestReadYourWritesAndPagingAcrossReplicas(t *testing.T) {
	rs, _ := startN(t, 3)
	var ids []string
	for i := range 23 {
		out, err := rs[i%3].ws(acct).CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String(fmt.Sprintf("p-%02d", i))})
		if err != nil {
			t.Fatal(err)
		}
		// Read at once on the next replica.
		got, err := rs[(i+1)%3].ws(acct).DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{GroupIds: []string{*out.GroupId}})
		if err != nil || len(got.Result) != 1 {
			t.Fatalf("group %s written on replica %d, read on %d: %+v, %v", *out.GroupId, i%3, (i+1)%3, got, err)
		}
		ids = append(ids, *out.GroupId)
	}
	var paged []string
	var token *string
	for page := 0; ; page++ {
		resp, err := rs[page%3].ws(acct).DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{MaxResults: aws.Int32(5), NextToken: token})
		if err != nil {
			t.Fatalf("page %d on replica %d: %v", page, page%3, err)
		}
		for _, g := range resp.Result {
			paged = append(paged, *g.GroupId)
		}
		if token = resp.NextToken; token == nil {
			break
		}
	}
	want := append([]string(nil), ids...)
	sort.Strings(want)
	got := append([]string(nil), paged...)
	sort.Strings(got)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("paging across replicas gave %v, want %v", paged, ids)
	}
}

// The manual clock is one clock: moved on one replica, it has moved on all,
// and asynchronous states follow it everywhere.
func TestSharedManualClock(t *testing.T) {
	rs, _ := startN(t, 3, "--manual-clock")
	type clockResp struct {
		Now  time.Time `json:"now"`
		Mode string    `json:"mode"`
	}
	var c0, c1 clockResp
	rs[0].admin(t, "GET", "/_local/clock", "", &c0)
	rs[1].admin(t, "GET", "/_local/clock", "", &c1)
	if c0.Mode != "manual" || !c0.Now.Equal(c1.Now) {
		t.Fatalf("replicas disagree at start: %+v vs %+v", c0, c1)
	}
	alias, err := rs[0].ws(acct).CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{ConnectionString: aws.String("www.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	state := func(r *replica) types.ConnectionAliasState {
		out, err := r.ws(acct).DescribeConnectionAliases(ctx, &workspaces.DescribeConnectionAliasesInput{AliasIds: []string{*alias.AliasId}})
		if err != nil || len(out.ConnectionAliases) != 1 {
			t.Fatalf("DescribeConnectionAliases: %+v, %v", out, err)
		}
		return out.ConnectionAliases[0].State
	}
	if s := state(rs[2]); s != types.ConnectionAliasStateCreating {
		t.Fatalf("before the clock moves: %s, want CREATING", s)
	}
	var moved clockResp
	if code := rs[1].admin(t, "POST", "/_local/clock", `{"advance":"1h"}`, &moved); code != 200 {
		t.Fatalf("POST /_local/clock = %d", code)
	}
	if want := c0.Now.Add(time.Hour); !moved.Now.Equal(want) {
		t.Errorf("moved to %v, want %v", moved.Now, want)
	}
	for i, r := range rs {
		var c clockResp
		r.admin(t, "GET", "/_local/clock", "", &c)
		if !c.Now.Equal(moved.Now) {
			t.Errorf("replica %d shows %v, want %v", i, c.Now, moved.Now)
		}
		if s := state(r); s != types.ConnectionAliasStateCreated {
			t.Errorf("replica %d: alias %s, want CREATED", i, s)
		}
	}
}

// A Thin Client clientToken used on one replica replays on another.
func TestClientTokenReplayAcrossReplicas(t *testing.T) {
	rs, _ := startN(t, 3)
	in := &workspacesthinclient.CreateEnvironmentInput{
		Name:        awsv1.String("lobby"),
		DesktopArn:  awsv1.String("arn:aws:workspaces:us-east-1:" + acct + ":directory/d-9067a1b2c3"),
		ClientToken: awsv1.String("token-1"),
	}
	first, err := rs[0].tc(acct).CreateEnvironment(in)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs[1:] {
		again, err := r.tc(acct).CreateEnvironment(in)
		if err != nil {
			t.Fatalf("replay on replica %d: %v", i+1, err)
		}
		if awsv1.StringValue(again.Environment.Id) != awsv1.StringValue(first.Environment.Id) {
			t.Errorf("replay on replica %d made %s, want %s", i+1, awsv1.StringValue(again.Environment.Id), awsv1.StringValue(first.Environment.Id))
		}
	}
	other := *in
	other.Name = awsv1.String("other")
	if _, err := rs[2].tc(acct).CreateEnvironment(&other); err == nil {
		t.Error("the token with other parameters was accepted on another replica")
	}
	list, err := rs[1].tc(acct).ListEnvironments(&workspacesthinclient.ListEnvironmentsInput{})
	if err != nil || len(list.Environments) != 1 {
		t.Errorf("ListEnvironments = %+v, %v; want one environment", list, err)
	}
}

// kill -9 of one replica under write load loses no acknowledged write.
func TestKillOneReplicaUnderWriteLoad(t *testing.T) {
	rs, _ := startN(t, 3)
	const writers = 9
	var mu sync.Mutex
	acked := map[string]string{} // group id -> account
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		account := fmt.Sprintf("3000000000%02d", w)
		c := rs[w%3].ws(account)
		wg.Go(func() {
			for i := 0; i < 100; i++ { // the quota: 100 groups per account
				select {
				case <-stop:
					return
				default:
				}
				out, err := c.CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String(fmt.Sprintf("k-%03d", i))})
				if err != nil {
					if w%3 == 1 {
						return // its replica was killed
					}
					t.Errorf("writer %d on a live replica: %v", w, err)
					return
				}
				mu.Lock()
				acked[*out.GroupId] = account
				mu.Unlock()
			}
		})
	}
	time.Sleep(700 * time.Millisecond)
	if err := rs[1].cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	<-rs[1].done
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	byAccount := map[string]map[string]bool{}
	for id, account := range acked {
		if byAccount[account] == nil {
			byAccount[account] = map[string]bool{}
			for _, g := range describeAll(t, rs[0].ws(account), 25) {
				byAccount[account][*g.GroupId] = true
			}
		}
		if !byAccount[account][id] {
			t.Errorf("acknowledged group %s of %s is gone", id, account)
		}
	}
	if len(acked) < writers {
		t.Errorf("only %d writes acknowledged: the load did not run", len(acked))
	}
	t.Logf("%d acknowledged writes, all present", len(acked))
}
