package workspaces

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
	"github.com/workspaces-local/workspaces-local/internal/store/sqlite"
	"github.com/workspaces-local/workspaces-local/internal/store/storecount"
)

// TestIndexesBuiltForOldData: a durable state.db written before the indexes
// existed (the same records, no index entries, no markers) answers every
// indexed read as it did, after the one-time indexing of the first call;
// reopening it again indexes nothing more.
func TestIndexesBuiltForOldData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	open := func() (*sqlite.DB, *Service) {
		t.Helper()
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		svc, err := New(rerun.Wrap(db), paging.New([]byte("unit-test-paging-key-0123456789ab")), Delays{}, Quotas{Workspaces: 100, Images: 40})
		if err != nil {
			t.Fatal(err)
		}
		return db, svc
	}
	at := seedT0
	call := func(account, op string) *api.Call {
		at = at.Add(time.Second)
		return &api.Call{Account: account, Region: "us-east-1", Partition: "aws", Operation: op, Now: at}
	}
	fail := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	db, svc := open()
	const dir = "d-1000000001"
	_, err := svc.RegisterWorkspaceDirectory(ctx, call(me, "RegisterWorkspaceDirectory"), &ws.RegisterWorkspaceDirectoryInput{DirectoryId: api.String(dir)})
	fail(err)
	for _, a := range []string{me, buddy} {
		_, err = svc.ModifyAccount(ctx, call(a, "ModifyAccount"), &ws.ModifyAccountInput{DedicatedTenancySupport: ws.DedicatedTenancySupportEnumEnabled, DedicatedTenancyManagementCidrRange: api.String("10.200.0.0/16")})
		fail(err)
	}
	_, err = svc.CreateWorkspaces(ctx, call(me, "CreateWorkspaces"), &ws.CreateWorkspacesInput{Workspaces: []ws.WorkspaceRequest{
		{DirectoryId: api.String(dir), UserName: api.String("alice"), BundleId: api.String("wsb-bh8rsxt14")},
		{DirectoryId: api.String(dir), UserName: api.String("[UNDEFINED]"), WorkspaceName: api.String("kiosk"), BundleId: api.String("wsb-b0s22j3d7")},
	}})
	fail(err)
	g, err := svc.CreateIpGroup(ctx, call(me, "CreateIpGroup"), &ws.CreateIpGroupInput{GroupName: api.String("office")})
	fail(err)
	_, err = svc.AssociateIpGroups(ctx, call(me, "AssociateIpGroups"), &ws.AssociateIpGroupsInput{DirectoryId: api.String(dir), GroupIds: []string{*g.GroupId}})
	fail(err)
	im, err := svc.ImportWorkspaceImage(ctx, call(buddy, "ImportWorkspaceImage"), &ws.ImportWorkspaceImageInput{Ec2ImageId: api.String("ami-0123456789abcdef0"),
		ImageName: api.String("theirs"), ImageDescription: api.String("d"), IngestionProcess: ws.WorkspaceImageIngestionProcessByolRegular})
	fail(err)
	at = at.Add(time.Minute)
	_, err = svc.UpdateWorkspaceImagePermission(ctx, call(buddy, "UpdateWorkspaceImagePermission"), &ws.UpdateWorkspaceImagePermissionInput{ImageId: im.ImageId, AllowCopyImage: api.Bool(true), SharedAccountId: api.String(me)})
	fail(err)
	own, err := svc.ImportWorkspaceImage(ctx, call(me, "ImportWorkspaceImage"), &ws.ImportWorkspaceImageInput{Ec2ImageId: api.String("ami-0123456789abcdef1"),
		ImageName: api.String("mine"), ImageDescription: api.String("d"), IngestionProcess: ws.WorkspaceImageIngestionProcessByolRegular})
	fail(err)
	at = at.Add(time.Hour)
	_, err = svc.CreateWorkspaceBundle(ctx, call(me, "CreateWorkspaceBundle"), &ws.CreateWorkspaceBundleInput{BundleName: api.String("mine"), BundleDescription: api.String("d"), ImageId: own.ImageId,
		ComputeType: &ws.ComputeType{Name: ws.ComputeStandard}, UserStorage: &ws.UserStorage{Capacity: api.String("50")}, RootStorage: &ws.RootStorage{Capacity: api.String("80")}})
	fail(err)
	al, err := svc.CreateConnectionAlias(ctx, call(me, "CreateConnectionAlias"), &ws.CreateConnectionAliasInput{ConnectionString: api.String("www.example.com")})
	fail(err)
	at = at.Add(time.Minute)
	_, err = svc.AssociateConnectionAlias(ctx, call(me, "AssociateConnectionAlias"), &ws.AssociateConnectionAliasInput{AliasId: al.AliasId, ResourceId: api.String(dir)})
	fail(err)
	_, err = svc.CreateAccountLinkInvitation(ctx, call(me, "CreateAccountLinkInvitation"), &ws.CreateAccountLinkInvitationInput{TargetAccountId: api.String(buddy)})
	fail(err)

	// The reads, as JSON.
	reads := func(svc *Service) map[string]string {
		t.Helper()
		out := map[string]string{}
		add := func(name string, v any, err error) {
			t.Helper()
			fail(err)
			b, _ := json.Marshal(v)
			out[name] = string(b)
		}
		v1, err := svc.DescribeWorkspaces(ctx, call(me, "DescribeWorkspaces"), &ws.DescribeWorkspacesInput{DirectoryId: api.String(dir)})
		add("by directory", v1, err)
		v1, err = svc.DescribeWorkspaces(ctx, call(me, "DescribeWorkspaces"), &ws.DescribeWorkspacesInput{BundleId: api.String("wsb-b0s22j3d7")})
		add("by bundle", v1, err)
		v1, err = svc.DescribeWorkspaces(ctx, call(me, "DescribeWorkspaces"), &ws.DescribeWorkspacesInput{WorkspaceName: api.String("kiosk")})
		add("by name", v1, err)
		_, err = svc.DeleteWorkspaceImage(ctx, call(me, "DeleteWorkspaceImage"), &ws.DeleteWorkspaceImageInput{ImageId: own.ImageId})
		var used *ws.ResourceAssociatedException
		add("image used by a bundle", errors.As(err, &used), nil)
		v2, err := svc.DescribeWorkspaceImages(ctx, call(me, "DescribeWorkspaceImages"), &ws.DescribeWorkspaceImagesInput{ImageType: ws.ImageTypeShared})
		add("images shared", v2, err)
		v2, err = svc.DescribeWorkspaceImages(ctx, call(buddy, "DescribeWorkspaceImages"), &ws.DescribeWorkspaceImagesInput{})
		add("images owned", v2, err)
		v3, err := svc.DescribeConnectionAliases(ctx, call(me, "DescribeConnectionAliases"), &ws.DescribeConnectionAliasesInput{ResourceId: api.String(dir)})
		add("aliases by directory", v3, err)
		v4, err := svc.ListAccountLinks(ctx, call(buddy, "ListAccountLinks"), &ws.ListAccountLinksInput{})
		add("links", v4, err)
		v5, err := svc.GetAccountLink(ctx, call(buddy, "GetAccountLink"), &ws.GetAccountLinkInput{LinkedAccountId: api.String(me)})
		add("link by account", v5, err)
		_, err = svc.DeleteIpGroup(ctx, call(me, "DeleteIpGroup"), &ws.DeleteIpGroupInput{GroupId: g.GroupId})
		var assoc *ws.ResourceAssociatedException
		if !errors.As(err, &assoc) {
			t.Errorf("DeleteIpGroup of an associated group: %v, want ResourceAssociatedException", err)
		}
		_, err = svc.CreateIpGroup(ctx, call(me, "CreateIpGroup"), &ws.CreateIpGroupInput{GroupName: api.String("office")})
		var exists *ws.ResourceAlreadyExistsException
		if !errors.As(err, &exists) {
			t.Errorf("CreateIpGroup of a taken name: %v, want ResourceAlreadyExistsException", err)
		}
		return out
	}
	want := reads(svc)
	if want["image used by a bundle"] != "true" {
		t.Fatalf("DeleteWorkspaceImage of an image a bundle uses: not refused")
	}
	for name, v := range want {
		if name == "image used by a bundle" { // a verdict, checked above
			continue
		}
		// Every read answers something, so that an index the rebuild
		// misses shows as a changed answer.
		var top map[string]json.RawMessage
		if err := json.Unmarshal([]byte(v), &top); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, list := range []string{"Workspaces", "Images", "ConnectionAliases", "AccountLinks", "AccountLink"} {
			if m, ok := top[list]; ok && (string(m) == "[]" || string(m) == "null") {
				t.Fatalf("%s answers no %s: %s", name, list, v)
			}
		}
		if len(top) == 0 {
			t.Fatalf("%s: %s", name, v)
		}
	}

	// Make it a state.db from before the indexes: drop every index entry
	// and marker.
	entries := func(tx store.Tx) []entry {
		var es []entry
		c := call(me, "")
		for _, k := range []string{me, buddy, ""} {
			es = append(es, entry{key: store.Key{Kind: kindIndexed, Account: k, Region: c.Region, ID: "indexes"}})
		}
		add := func(err error) { fail(err) }
		wsl, err := listRecords[workspaceRecord](ctx, tx, scope(c, kindWorkspace))
		add(err)
		for _, w := range wsl {
			es = append(es, workspaceEntries(c, w)...)
		}
		gl, err := listRecords[ipGroupRecord](ctx, tx, scope(c, kindIPGroup))
		add(err)
		for _, g := range gl {
			es = append(es, ipGroupEntries(c, g)...)
		}
		bl, err := listRecords[customBundleRecord](ctx, tx, scope(c, kindBundle))
		add(err)
		for _, b := range bl {
			es = append(es, bundleEntries(c, b)...)
		}
		dl, err := listRecords[directoryRecord](ctx, tx, scope(c, kindDirectory))
		add(err)
		for _, d := range dl {
			es = append(es, directoryEntries(c, d)...)
		}
		il, err := listRecords[imageRecord](ctx, tx, store.Scope{Kind: kindImage, Region: c.Region})
		add(err)
		for _, im := range il {
			es = append(es, imageEntries(c.Region, im)...)
		}
		al, err := listRecords[aliasRecord](ctx, tx, store.Scope{Kind: kindAlias, Region: c.Region})
		add(err)
		for _, a := range al {
			es = append(es, aliasEntries(c.Region, a)...)
		}
		ll, err := listRecords[linkRecord](ctx, tx, store.Scope{Kind: kindLink, Region: c.Region})
		add(err)
		for _, l := range ll {
			es = append(es, linkEntries(c.Region, l)...)
		}
		return es
	}
	var dropped int
	fail(db.Update(ctx, func(tx store.Tx) error {
		for _, e := range entries(tx) {
			if err := tx.Delete(ctx, e.key); err == nil {
				dropped++
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		return nil
	}))
	if dropped < 20 {
		t.Fatalf("dropped only %d index records", dropped)
	}
	fail(db.Close())

	db, svc = open()
	got := reads(svc)
	for name, v := range want {
		if got[name] != v {
			t.Errorf("%s after indexing old data:\n got %s\nwant %s", name, got[name], v)
		}
	}
	present := func() int {
		n := 0
		fail(db.View(ctx, func(tx store.Tx) error {
			for _, e := range entries(tx) {
				var r json.RawMessage
				if err := tx.Get(ctx, e.key, &r); err == nil {
					n++
				}
			}
			return nil
		}))
		return n
	}
	if n := present(); n != dropped {
		t.Errorf("%d index records after indexing, want the %d dropped", n, dropped)
	}
	// A running service whose store is replaced by old data again indexes
	// it after ForgetIndexed.
	dropped2 := 0
	fail(db.Update(ctx, func(tx store.Tx) error {
		for _, e := range entries(tx) {
			if err := tx.Delete(ctx, e.key); err == nil {
				dropped2++
			}
		}
		return nil
	}))
	svc.ForgetIndexed()
	if got := reads(svc); got["images shared"] != want["images shared"] || dropped2 != dropped || present() != dropped {
		t.Errorf("after ForgetIndexed: images shared %s, %d of %d index records", got["images shared"], present(), dropped)
	}
	fail(db.Close())
	db, svc = open()
	defer db.Close()
	if got := reads(svc); got["by directory"] != want["by directory"] || present() != dropped {
		t.Errorf("reopening changed the indexes")
	}
}

// TestDescribeWorkspacesDenseThenSparse: a directory whose WorkSpaces come
// first and then few among many of another directory's is read by scanning
// (its first page is dense); the later pages stay within their read budget,
// as short pages where the scan crosses the other directory, and the walk
// still yields every WorkSpace of the directory once, in creation order.
func TestDescribeWorkspacesDenseThenSparse(t *testing.T) {
	ctx := context.Background()
	st := storecount.New(rerun.Wrap(memory.New()))
	svc, _ := seedService(t, st)
	now := seedT0.Add(time.Minute)
	const other = "d-0987654321"
	if _, err := svc.RegisterWorkspaceDirectory(ctx, seedCall("RegisterWorkspaceDirectory", seedT0), &ws.RegisterWorkspaceDirectoryInput{DirectoryId: api.String(other)}); err != nil {
		t.Fatal(err)
	}
	var want []string
	for i, run := range []struct {
		dir string
		n   int
	}{{seedDir, 30}, {other, 200}, {seedDir, 3}, {other, 100}, {seedDir, 2}} {
		got, err := svc.SeedWorkspaces(ctx, SeedSpec{Account: me, Region: "us-east-1", DirectoryID: run.dir, BundleID: "wsb-bh8rsxt14",
			Count: run.n, UserPrefix: string(rune('a' + i)), Now: now}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if run.dir == seedDir {
			want = append(want, got...)
		}
	}
	in := &ws.DescribeWorkspacesInput{DirectoryId: api.String(seedDir), Limit: api.Int32(5)}
	var walked []string
	for page := 0; ; page++ {
		st.Reset()
		out, err := svc.DescribeWorkspaces(ctx, seedCall("DescribeWorkspaces", now.Add(time.Hour)), in)
		if err != nil {
			t.Fatal(err)
		}
		if r := st.Reads(); r > 4*6+costFixed {
			t.Fatalf("page %d read %d records", page, r)
		}
		if len(out.Workspaces) > 5 {
			t.Fatalf("page %d: %d WorkSpaces, limit 5", page, len(out.Workspaces))
		}
		for _, w := range out.Workspaces {
			walked = append(walked, *w.WorkspaceId)
		}
		if out.NextToken == nil {
			break
		}
		if page > 400 {
			t.Fatal("still paging")
		}
		in.NextToken = out.NextToken
	}
	if !slices.Equal(walked, want) {
		t.Fatalf("walked %d WorkSpaces, want %d", len(walked), len(want))
	}
}
