package workspaces

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
	"github.com/workspaces-local/workspaces-local/internal/store/storecount"
)

// A reset of one account and region reads what that account holds, not
// the region's region-wide records of every other account (images,
// aliases, links are stored per region): once the region is indexed it
// goes through the account's own indexes.
func TestResetScopeReadsTheAccountNotTheRegion(t *testing.T) {
	ctx := context.Background()
	st := storecount.New(rerun.Wrap(memory.New()))
	svc, err := New(st, paging.New([]byte("unit-test-paging-key-0123456789ab")), Delays{}, Quotas{Workspaces: 10, Images: 40})
	if err != nil {
		t.Fatal(err)
	}
	at := seedT0
	call := func(account string) *api.Call {
		at = at.Add(time.Second)
		return &api.Call{Account: account, Region: "us-east-1", Partition: "aws", Now: at}
	}
	fill := func(account string, n int) {
		if _, err := svc.CreateConnectionAlias(ctx, call(account), &ws.CreateConnectionAliasInput{ConnectionString: api.String(fmt.Sprintf("a%d.example.com", n))}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ImportWorkspaceImage(ctx, call(account), &ws.ImportWorkspaceImageInput{
			Ec2ImageId: api.String(fmt.Sprintf("ami-%017x", n)), ImageName: api.String(fmt.Sprintf("img-%d", n)), ImageDescription: api.String("d"),
			IngestionProcess: ws.WorkspaceImageIngestionProcessByolRegular}); err != nil {
			t.Fatal(err)
		}
	}
	const crowd = 120
	for i := range crowd {
		fill(fmt.Sprintf("3%011d", i), i)
	}
	fill(me, crowd)
	reset := func() int64 {
		st.Reset()
		err := st.Update(ctx, func(tx store.Tx) error { return svc.ResetScope(ctx, tx, me, "us-east-1", nil) })
		if err != nil {
			t.Fatal(err)
		}
		return st.Reads()
	}
	if n := reset(); n > 40 {
		t.Errorf("a scoped reset read %d records while the account holds 2 and the region %d", n, 2*crowd+2)
	}
	out, err := svc.DescribeConnectionAliases(ctx, call(me), &ws.DescribeConnectionAliasesInput{})
	if err != nil || len(out.ConnectionAliases) != 0 {
		t.Fatalf("after the reset: %+v, %v", out, err)
	}
	other, err := svc.DescribeConnectionAliases(ctx, call("300000000000"), &ws.DescribeConnectionAliasesInput{})
	if err != nil || len(other.ConnectionAliases) != 1 {
		t.Fatalf("another account after the reset: %+v, %v", other, err)
	}
}
