package workspaces

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
	"github.com/workspaces-local/workspaces-local/internal/store/sqlite"
)

const seedDir = "d-1234567890"

var seedT0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func seedCall(op string, at time.Time) *api.Call {
	return &api.Call{Account: "111111111111", Region: "us-east-1", Partition: "aws", Operation: op, Now: at}
}

// seedService returns a service over st with seedDir REGISTERED from
// seedT0 + 1s, and the subnets the directory got.
func seedService(t *testing.T, st store.Store) (*Service, []string) {
	t.Helper()
	svc, err := New(st, paging.New([]byte("unit-test-paging-key-0123456789ab")), DefaultDelays, Quotas{Workspaces: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := svc.RegisterWorkspaceDirectory(ctx, seedCall("RegisterWorkspaceDirectory", seedT0), &ws.RegisterWorkspaceDirectoryInput{DirectoryId: api.String(seedDir)}); err != nil {
		t.Fatal(err)
	}
	var d directoryRecord
	if err := st.View(ctx, func(tx store.Tx) error { return tx.Get(ctx, key(seedCall("", seedT0), kindDirectory, seedDir), &d) }); err != nil {
		t.Fatal(err)
	}
	return svc, d.SubnetIds
}

// dump returns every record of the kinds CreateWorkspaces touches, with the
// values that are random per WorkSpace (id, IP, computer name, subnet)
// replaced by stable placeholders, keyed by "kind/id" where the id is
// replaced the same way.
func dump(t *testing.T, st store.Store, at time.Time, subnets []string) map[string]string {
	t.Helper()
	ctx := context.Background()
	c := seedCall("", at)
	out := map[string]string{}
	alias := map[string]string{} // WorkSpace id -> ws-<user>
	err := st.View(ctx, func(tx store.Tx) error {
		recs, err := tx.List(ctx, store.Query{Scope: scope(c, kindWorkspace)})
		if err != nil {
			return err
		}
		for _, r := range recs {
			var w workspaceRecord
			if err := r.Decode(&w); err != nil {
				return err
			}
			w.resolve(at, DefaultDelays)
			id := *w.WorkspaceId
			if !strings.HasPrefix(id, "ws-") || len(id) != 12 || !strings.HasPrefix(w.IP, "172.16.") ||
				len(w.Computer) != 15 || w.Subnet != subnets[int(id[3])%len(subnets)] {
				return fmt.Errorf("random members of %s look wrong: %+v", id, w)
			}
			alias[id] = "ws-" + *w.UserName
			w.WorkspaceId = api.String(alias[id])
			w.IP, w.Computer, w.Subnet = "ip", "computer", "subnet"
			b, _ := json.Marshal(w)
			out[kindWorkspace+"/"+alias[id]] = string(b)
		}
		for _, kind := range []string{kindUserSlot, kindCounter, kindTags} {
			recs, err := tx.List(ctx, store.Query{Scope: scope(c, kind)})
			if err != nil {
				return err
			}
			for _, r := range recs {
				v := string(r.Value)
				for id, a := range alias {
					v = strings.ReplaceAll(v, id, a)
				}
				out[kind+"/"+r.Key.ID] = v
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// SeedWorkspaces writes what CreateWorkspaces writes for the same users,
// as it reads once the WorkSpaces are AVAILABLE, whatever the batch size.
func TestSeedWritesWhatCreateWrites(t *testing.T) {
	ctx := context.Background()
	const n = 30
	created := seedT0.Add(2 * time.Second)
	later := created.Add(DefaultDelays.WorkspaceCreate)

	viaAPI := rerun.Wrap(memory.New())
	defer viaAPI.Close()
	apiSvc, apiSubnets := seedService(t, viaAPI)
	spec := SeedSpec{Account: "111111111111", Region: "us-east-1", DirectoryID: seedDir, BundleID: "wsb-bh8rsxt14", Count: n, Now: created, Batch: 7}
	for i := 0; i < n; i += 25 {
		var reqs []ws.WorkspaceRequest
		for j := i; j < min(n, i+25); j++ {
			reqs = append(reqs, ws.WorkspaceRequest{DirectoryId: api.String(seedDir), UserName: api.String(spec.SeedUser(j)), BundleId: api.String(spec.BundleID)})
		}
		out, err := apiSvc.CreateWorkspaces(ctx, seedCall("CreateWorkspaces", created), &ws.CreateWorkspacesInput{Workspaces: reqs})
		if err != nil || len(out.FailedRequests) != 0 {
			t.Fatalf("CreateWorkspaces: %+v, %v", out, err)
		}
	}
	want := dump(t, viaAPI, later, apiSubnets)
	if len(want) != 2*n+1 {
		t.Fatalf("CreateWorkspaces wrote %d records, want %d", len(want), 2*n+1)
	}

	for _, batch := range []int{7, 30, 0} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			st := rerun.Wrap(memory.New())
			defer st.Close()
			svc, subnets := seedService(t, st)
			spec := spec
			spec.Batch = batch
			done := []int{}
			got, err := svc.SeedWorkspaces(ctx, spec, func(d int) { done = append(done, d) })
			if err != nil || len(got) != n {
				t.Fatalf("SeedWorkspaces = %d ids, %v", len(got), err)
			}
			if done[len(done)-1] != n || (batch == 7 && len(done) != 5) {
				t.Errorf("progress = %v", done)
			}
			have := dump(t, st, later, subnets)
			for k, v := range want {
				if have[k] != v {
					t.Errorf("%s:\n seeded %s\n   want %s", k, have[k], v)
				}
			}
			if len(have) != len(want) {
				t.Errorf("seeded %d records, want %d", len(have), len(want))
			}
			// The service reads them as it reads created ones.
			out, err := svc.DescribeWorkspaces(ctx, seedCall("DescribeWorkspaces", later), &ws.DescribeWorkspacesInput{WorkspaceIds: []string{got[3]}})
			if err != nil || len(out.Workspaces) != 1 || out.Workspaces[0].State != ws.WorkspaceStateAvailable || *out.Workspaces[0].UserName != spec.SeedUser(3) {
				t.Fatalf("DescribeWorkspaces(%s) = %+v, %v", got[3], out, err)
			}
		})
	}
}

func TestSeedRefuses(t *testing.T) {
	ctx := context.Background()
	st := rerun.Wrap(memory.New())
	defer st.Close()
	svc, _ := seedService(t, st)
	ok := SeedSpec{Account: "111111111111", Region: "us-east-1", DirectoryID: seedDir, BundleID: "wsb-bh8rsxt14", Count: 3, Now: seedT0.Add(time.Hour), Batch: 2}
	for name, spec := range map[string]SeedSpec{
		"unknown bundle":    {Account: ok.Account, Region: ok.Region, DirectoryID: seedDir, BundleID: "wsb-000000000", Count: 1, Now: ok.Now},
		"unknown directory": {Account: ok.Account, Region: ok.Region, DirectoryID: "d-0000000000", BundleID: ok.BundleID, Count: 1, Now: ok.Now},
		"still REGISTERING": {Account: ok.Account, Region: ok.Region, DirectoryID: seedDir, BundleID: ok.BundleID, Count: 1, Now: seedT0},
		"other account":     {Account: "222222222222", Region: ok.Region, DirectoryID: seedDir, BundleID: ok.BundleID, Count: 1, Now: ok.Now},
		"negative count":    {Account: ok.Account, Region: ok.Region, DirectoryID: seedDir, BundleID: ok.BundleID, Count: -1, Now: ok.Now},
	} {
		if ids, err := svc.SeedWorkspaces(ctx, spec, nil); err == nil || len(ids) != 0 {
			t.Errorf("%s: SeedWorkspaces = %v, %v; want an error", name, ids, err)
		}
	}
	if ids, err := svc.SeedWorkspaces(ctx, ok, nil); err != nil || len(ids) != 3 {
		t.Fatalf("SeedWorkspaces = %v, %v", ids, err)
	}
	// The users now have WorkSpaces: seeding them again fails in the first
	// batch and writes nothing more.
	again := ok
	again.FirstUser = 2 // user0000002 is taken
	if ids, err := svc.SeedWorkspaces(ctx, again, nil); err == nil || len(ids) != 0 {
		t.Fatalf("second seed of a taken user = %v, %v", ids, err)
	}
	var n int
	c := seedCall("", ok.Now)
	_ = st.View(ctx, func(tx store.Tx) (err error) { n, err = tx.Count(ctx, scope(c, kindWorkspace)); return err })
	var live counterRecord
	_ = st.View(ctx, func(tx store.Tx) error { return tx.Get(ctx, key(c, kindCounter, "live"), &live) })
	if n != 3 || live.Workspaces != 3 {
		t.Fatalf("after a failed seed: %d WorkSpaces, counter %d; want 3 and 3", n, live.Workspaces)
	}
	// CreateWorkspaces sees the seeded user's slot.
	out, err := svc.CreateWorkspaces(ctx, seedCall("CreateWorkspaces", ok.Now), &ws.CreateWorkspacesInput{Workspaces: []ws.WorkspaceRequest{{DirectoryId: api.String(seedDir), UserName: api.String(ok.SeedUser(1)), BundleId: api.String(ok.BundleID)}}})
	if err != nil || len(out.FailedRequests) != 1 || *out.FailedRequests[0].ErrorCode != "ResourceExists.WorkSpace" {
		t.Fatalf("CreateWorkspaces for a seeded user = %+v, %v", out, err)
	}
}

// Seeding goes through the durable store in big transactions.
func TestSeedSQLite(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, _ := seedService(t, rerun.Wrap(st))
	spec := SeedSpec{Account: "111111111111", Region: "us-east-1", DirectoryID: seedDir, BundleID: "wsb-clj85qzj1", Count: 2500, Now: seedT0.Add(time.Minute), Batch: 1000}
	ids, err := svc.SeedWorkspaces(ctx, spec, nil)
	if err != nil || len(ids) != 2500 {
		t.Fatalf("SeedWorkspaces = %d, %v", len(ids), err)
	}
	out, err := svc.DescribeWorkspaces(ctx, seedCall("DescribeWorkspaces", spec.Now.Add(time.Hour)), &ws.DescribeWorkspacesInput{DirectoryId: api.String(seedDir), UserName: api.String(spec.SeedUser(2499))})
	if err != nil || len(out.Workspaces) != 1 || *out.Workspaces[0].WorkspaceId != ids[2499] || !strings.HasPrefix(*out.Workspaces[0].ComputerName, "A-") {
		t.Fatalf("DescribeWorkspaces by user = %+v, %v", out, err)
	}
}
