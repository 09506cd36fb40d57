package integration

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// Connection aliases for cross-Region redirection, with the frozen clock and
// the default delays: alias create 1s, alias delete 1s, directory register 1s.

const (
	caDirA  = "d-aaaaaaaaaa"
	caDirA2 = "d-aaaaaaaabb"
	caDirB  = "d-bbbbbbbbbb"
)

var (
	caIDPattern   = regexp.MustCompile(`^wsca-[0-9a-z]{9}$`)
	caConnPattern = regexp.MustCompile(`^[a-zA-Z0-9]{1,20}$`)
)

// caCreate creates an alias and returns its id without waiting.
func caCreate(t *testing.T, c *workspaces.Client, cs string, tags ...types.Tag) string {
	t.Helper()
	out := must[*workspaces.CreateConnectionAliasOutput](t)(c.CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{ConnectionString: aws.String(cs), Tags: tags}))
	if !caIDPattern.MatchString(aws.ToString(out.AliasId)) {
		t.Fatalf("AliasId %q does not match %s", aws.ToString(out.AliasId), caIDPattern)
	}
	return *out.AliasId
}

// caCreated creates an alias and waits the 1s until it is CREATED.
func caCreated(t *testing.T, env *testenv.Env, c *workspaces.Client, cs string) string {
	t.Helper()
	id := caCreate(t, c, cs)
	env.Advance(time.Second)
	caWantState(t, c, id, types.ConnectionAliasStateCreated)
	return id
}

// caGet returns the alias as DescribeConnectionAliases{AliasIds:[id]} shows
// it to c, or nil when c cannot see it (the Terraform provider's finder).
func caGet(t *testing.T, c *workspaces.Client, id string) *types.ConnectionAlias {
	t.Helper()
	out := must[*workspaces.DescribeConnectionAliasesOutput](t)(c.DescribeConnectionAliases(ctx, &workspaces.DescribeConnectionAliasesInput{AliasIds: []string{id}}))
	switch {
	case len(out.ConnectionAliases) == 0:
		return nil
	case len(out.ConnectionAliases) > 1 || aws.ToString(out.ConnectionAliases[0].AliasId) != id:
		t.Fatalf("DescribeConnectionAliases(%s) = %+v", id, out.ConnectionAliases)
	}
	return &out.ConnectionAliases[0]
}

func caWantState(t *testing.T, c *workspaces.Client, id string, want types.ConnectionAliasState) {
	t.Helper()
	if a := caGet(t, c, id); a == nil || a.State != want {
		t.Fatalf("alias %s = %+v, want state %s", id, a, want)
	}
}

// caRegister registers dir for c's account and waits until it is REGISTERED.
func caRegister(t *testing.T, env *testenv.Env, c *workspaces.Client, dir string) {
	t.Helper()
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)}))
	env.Advance(time.Second)
}

func caAssociate(t *testing.T, c *workspaces.Client, id, dir string) string {
	t.Helper()
	out := must[*workspaces.AssociateConnectionAliasOutput](t)(c.AssociateConnectionAlias(ctx, &workspaces.AssociateConnectionAliasInput{AliasId: aws.String(id), ResourceId: aws.String(dir)}))
	if !caConnPattern.MatchString(aws.ToString(out.ConnectionIdentifier)) {
		t.Fatalf("ConnectionIdentifier %q does not match %s", aws.ToString(out.ConnectionIdentifier), caConnPattern)
	}
	return *out.ConnectionIdentifier
}

func caAssociateErr(c *workspaces.Client, id, dir string) error {
	_, err := c.AssociateConnectionAlias(ctx, &workspaces.AssociateConnectionAliasInput{AliasId: aws.String(id), ResourceId: aws.String(dir)})
	return err
}

func caDisassociate(c *workspaces.Client, id string) error {
	_, err := c.DisassociateConnectionAlias(ctx, &workspaces.DisassociateConnectionAliasInput{AliasId: aws.String(id)})
	return err
}

func caDelete(c *workspaces.Client, id string) error {
	_, err := c.DeleteConnectionAlias(ctx, &workspaces.DeleteConnectionAliasInput{AliasId: aws.String(id)})
	return err
}

func caShare(c *workspaces.Client, id, account string, allow bool) error {
	_, err := c.UpdateConnectionAliasPermission(ctx, &workspaces.UpdateConnectionAliasPermissionInput{
		AliasId:                   aws.String(id),
		ConnectionAliasPermission: &types.ConnectionAliasPermission{SharedAccountId: aws.String(account), AllowAssociation: aws.Bool(allow)},
	})
	return err
}

// caWantAssociation checks the one association c sees on id.
func caWantAssociation(t *testing.T, c *workspaces.Client, id, account, dir, conn string, status types.AssociationStatus) {
	t.Helper()
	a := caGet(t, c, id)
	if a == nil || len(a.Associations) != 1 {
		t.Fatalf("alias %s = %+v, want one association", id, a)
	}
	as := a.Associations[0]
	if aws.ToString(as.AssociatedAccountId) != account || aws.ToString(as.ResourceId) != dir || aws.ToString(as.ConnectionIdentifier) != conn || as.AssociationStatus != status {
		t.Fatalf("association of %s = %+v, want %s %s %s %s", id, as, account, dir, conn, status)
	}
}

func caWantUnassociated(t *testing.T, c *workspaces.Client, id string) {
	t.Helper()
	if a := caGet(t, c, id); a == nil || len(a.Associations) != 0 {
		t.Fatalf("alias %s = %+v, want no association", id, a)
	}
}

func TestConnectionAliasLifecycle(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	id := caCreate(t, a, "desktop.example.com", types.Tag{Key: aws.String("team"), Value: aws.String("euc")})

	got := caGet(t, a, id)
	if got == nil || got.State != types.ConnectionAliasStateCreating || aws.ToString(got.ConnectionString) != "desktop.example.com" ||
		aws.ToString(got.OwnerAccountId) != testenv.AccountA || got.Associations != nil {
		t.Fatalf("new alias = %+v", got)
	}
	env.Advance(999 * time.Millisecond)
	caWantState(t, a, id, types.ConnectionAliasStateCreating)
	env.Advance(time.Millisecond)
	caWantState(t, a, id, types.ConnectionAliasStateCreated)

	// Tags: given at creation, then changed through the tag operations.
	must[*workspaces.CreateTagsOutput](t)(a.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: aws.String(id), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}))
	tags := must[*workspaces.DescribeTagsOutput](t)(a.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String(id)}))
	if len(tags.TagList) != 2 || *tags.TagList[0].Key != "team" || *tags.TagList[1].Key != "env" {
		t.Fatalf("tags = %+v", tags.TagList)
	}
	must[*workspaces.DeleteTagsOutput](t)(a.DeleteTags(ctx, &workspaces.DeleteTagsInput{ResourceId: aws.String(id), TagKeys: []string{"team"}}))
	tags = must[*workspaces.DescribeTagsOutput](t)(a.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String(id)}))
	if len(tags.TagList) != 1 || *tags.TagList[0].Key != "env" {
		t.Fatalf("tags after delete = %+v", tags.TagList)
	}

	// Delete: DELETING while the delay runs, then an empty result (what
	// Terraform's waiter expects), then ResourceNotFound for a second delete.
	if err := caDelete(a, id); err != nil {
		t.Fatal(err)
	}
	caWantState(t, a, id, types.ConnectionAliasStateDeleting)
	wantCode(t, caDelete(a, id), "InvalidResourceStateException")
	_, err := a.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String(id)})
	wantCode(t, err, "ResourceNotFoundException")
	env.Advance(time.Second)
	if got := caGet(t, a, id); got != nil {
		t.Fatalf("deleted alias still described: %+v", got)
	}
	wantCode(t, caDelete(a, id), "ResourceNotFoundException")
	all := must[*workspaces.DescribeConnectionAliasesOutput](t)(a.DescribeConnectionAliases(ctx, &workspaces.DescribeConnectionAliasesInput{}))
	if len(all.ConnectionAliases) != 0 || all.NextToken != nil {
		t.Fatalf("DescribeConnectionAliases after delete = %+v", all)
	}
}

func TestConnectionAliasCreateErrors(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	b := env.WorkSpaces(testenv.AccountB, testenv.Region)
	aWest := env.WorkSpaces(testenv.AccountA, "us-west-2")

	_, err := a.CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{ConnectionString: aws.String("desk_top.example.com")})
	wantCode(t, err, "ValidationException") // the model's pattern
	for _, tc := range []struct{ name, cs string }{
		{"single label", "localhost"},
		{"empty label", "desktop..example.com"},
		{"trailing dot", "desktop.example.com."},
		{"leading hyphen", "-desktop.example.com"},
		{"trailing hyphen", "desktop-.example.com"},
		{"long label", fmt.Sprintf("%064d.example.com", 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{ConnectionString: aws.String(tc.cs)})
			wantCode(t, err, "InvalidParameterValuesException")
		})
	}
	_, err = a.CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{ConnectionString: aws.String("x.example.com"), Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("v")}}})
	wantCode(t, err, "InvalidParameterValuesException")

	id := caCreate(t, a, "desktop.example.com")
	// One alias per connection string per account and region, whatever the case.
	_, err = a.CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{ConnectionString: aws.String("Desktop.Example.com")})
	wantCode(t, err, "ResourceAlreadyExistsException")
	// The same account uses the string in another region (cross-Region pairs).
	caCreate(t, aWest, "desktop.example.com")
	// The string is reserved for account A everywhere, even once deleted.
	_, err = b.CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{ConnectionString: aws.String("desktop.example.com")})
	wantCode(t, err, "ResourceAlreadyExistsException")
	env.Advance(time.Second)
	if err := caDelete(a, id); err != nil {
		t.Fatal(err)
	}
	// DELETING still holds the string in the region.
	_, err = a.CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{ConnectionString: aws.String("desktop.example.com")})
	wantCode(t, err, "ResourceAlreadyExistsException")
	env.Advance(time.Second)
	_, err = b.CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{ConnectionString: aws.String("desktop.example.com")})
	wantCode(t, err, "ResourceAlreadyExistsException")
	caCreate(t, a, "desktop.example.com")
}

func TestConnectionAliasQuota(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	b := env.WorkSpaces(testenv.AccountB, testenv.Region)
	var first string
	for i := range 20 {
		id := caCreate(t, a, fmt.Sprintf("d%02d.example.com", i))
		if i == 0 {
			first = id
		}
	}
	_, err := a.CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{ConnectionString: aws.String("d20.example.com")})
	wantCode(t, err, "ResourceLimitExceededException")
	// The quota is per account.
	caCreate(t, b, "b.example.org")
	// A DELETING alias still counts; a gone one does not.
	env.Advance(time.Second)
	if err := caDelete(a, first); err != nil {
		t.Fatal(err)
	}
	_, err = a.CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{ConnectionString: aws.String("d20.example.com")})
	wantCode(t, err, "ResourceLimitExceededException")
	env.Advance(time.Second)
	caCreate(t, a, "d20.example.com")
}

func TestConnectionAliasAssociation(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	id := caCreate(t, a, "desktop.example.com")

	wantCode(t, caAssociateErr(a, "wsca-000000000", caDirA), "ResourceNotFoundException")
	wantCode(t, caAssociateErr(a, id, caDirA), "ResourceNotFoundException") // not registered
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(a.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(caDirA)}))
	wantCode(t, caAssociateErr(a, id, caDirA), "InvalidResourceStateException") // alias CREATING
	wantCode(t, caDisassociate(a, id), "InvalidResourceStateException")
	wantCode(t, caShare(a, id, testenv.AccountB, true), "InvalidResourceStateException")
	wantCode(t, caDelete(a, id), "InvalidResourceStateException")
	env.Advance(time.Second) // alias CREATED, directory REGISTERED
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(a.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(caDirA2)}))
	wantCode(t, caAssociateErr(a, id, caDirA2), "InvalidResourceStateException") // directory REGISTERING
	env.Advance(time.Second)

	wantCode(t, caDisassociate(a, id), "InvalidResourceStateException") // nothing to disassociate
	conn := caAssociate(t, a, id, caDirA)
	caWantAssociation(t, a, id, testenv.AccountA, caDirA, conn, types.AssociationStatusAssociatedWithOwnerAccount)
	// One directory at a time.
	wantCode(t, caAssociateErr(a, id, caDirA2), "ResourceAssociatedException")
	wantCode(t, caAssociateErr(a, id, caDirA), "ResourceAssociatedException")
	wantCode(t, caDelete(a, id), "ResourceAssociatedException")

	// A directory can carry several aliases; ResourceId filters by directory.
	other := caCreated(t, env, a, "other.example.com")
	caAssociate(t, a, other, caDirA)
	third := caCreated(t, env, a, "third.example.com")
	for dir, want := range map[string][]string{caDirA: {id, other}, caDirA2: {}} {
		out := must[*workspaces.DescribeConnectionAliasesOutput](t)(a.DescribeConnectionAliases(ctx, &workspaces.DescribeConnectionAliasesInput{ResourceId: aws.String(dir)}))
		if len(out.ConnectionAliases) != len(want) {
			t.Fatalf("ResourceId %s: %+v, want %v", dir, out.ConnectionAliases, want)
		}
		for i, w := range want {
			if aws.ToString(out.ConnectionAliases[i].AliasId) != w {
				t.Fatalf("ResourceId %s: %+v, want %v", dir, out.ConnectionAliases, want)
			}
		}
	}
	out := must[*workspaces.DescribeConnectionAliasesOutput](t)(a.DescribeConnectionAliases(ctx, &workspaces.DescribeConnectionAliasesInput{AliasIds: []string{id, third}, ResourceId: aws.String(caDirA)}))
	if len(out.ConnectionAliases) != 1 || *out.ConnectionAliases[0].AliasId != id {
		t.Fatalf("AliasIds and ResourceId: %+v", out.ConnectionAliases)
	}

	if err := caDisassociate(a, id); err != nil {
		t.Fatal(err)
	}
	caWantUnassociated(t, a, id)
	// A new association has a new connection identifier.
	if again := caAssociate(t, a, id, caDirA2); again == conn {
		t.Fatalf("re-association kept connection identifier %s", conn)
	}
	if err := caDisassociate(a, id); err != nil {
		t.Fatal(err)
	}
	if err := caDelete(a, id); err != nil {
		t.Fatal(err)
	}
	wantCode(t, caAssociateErr(a, id, caDirA), "InvalidResourceStateException") // DELETING
	env.Advance(time.Second)
	wantCode(t, caAssociateErr(a, id, caDirA), "ResourceNotFoundException")
	wantCode(t, caDisassociate(a, id), "ResourceNotFoundException")
}

func TestConnectionAliasSharing(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	b := env.WorkSpaces(testenv.AccountB, testenv.Region)
	c := env.WorkSpaces("333333333333", testenv.Region)
	caRegister(t, env, a, caDirA)
	caRegister(t, env, b, caDirB)
	id := caCreated(t, env, a, "desktop.example.com")
	perms := func() []types.ConnectionAliasPermission {
		t.Helper()
		out := must[*workspaces.DescribeConnectionAliasPermissionsOutput](t)(a.DescribeConnectionAliasPermissions(ctx, &workspaces.DescribeConnectionAliasPermissionsInput{AliasId: aws.String(id)}))
		if aws.ToString(out.AliasId) != id {
			t.Fatalf("permissions AliasId = %v", out.AliasId)
		}
		return out.ConnectionAliasPermissions
	}
	if p := perms(); len(p) != 0 {
		t.Fatalf("permissions before sharing = %+v", p)
	}

	// Unshared: B cannot see the alias at all.
	if got := caGet(t, b, id); got != nil {
		t.Fatalf("B sees unshared alias: %+v", got)
	}
	wantCode(t, caAssociateErr(b, id, caDirB), "ResourceNotFoundException")
	wantCode(t, caShare(b, id, testenv.AccountB, true), "ResourceNotFoundException")

	wantCode(t, caShare(a, id, testenv.AccountA, true), "InvalidParameterValuesException")
	wantCode(t, caShare(a, id, testenv.AccountB, false), "InvalidParameterValuesException") // not shared
	if err := caShare(a, id, testenv.AccountB, true); err != nil {
		t.Fatal(err)
	}
	if err := caShare(a, id, testenv.AccountB, true); err != nil {
		t.Fatalf("sharing again: %v", err)
	}
	wantCode(t, caShare(a, id, "333333333333", true), "ResourceLimitExceededException") // one account only
	if p := perms(); len(p) != 1 || aws.ToString(p[0].SharedAccountId) != testenv.AccountB || !aws.ToBool(p[0].AllowAssociation) {
		t.Fatalf("permissions = %+v", p)
	}

	// B sees the alias (by id and in its list) but only A manages it.
	if got := caGet(t, b, id); got == nil || aws.ToString(got.OwnerAccountId) != testenv.AccountA {
		t.Fatalf("B's view = %+v", got)
	}
	if list := must[*workspaces.DescribeConnectionAliasesOutput](t)(b.DescribeConnectionAliases(ctx, &workspaces.DescribeConnectionAliasesInput{})); len(list.ConnectionAliases) != 1 {
		t.Fatalf("B's list = %+v", list.ConnectionAliases)
	}
	if got := caGet(t, c, id); got != nil {
		t.Fatalf("C sees alias shared with B: %+v", got)
	}
	_, err := b.DescribeConnectionAliasPermissions(ctx, &workspaces.DescribeConnectionAliasPermissionsInput{AliasId: aws.String(id)})
	wantCode(t, err, "AccessDeniedException")
	wantCode(t, caShare(b, id, "333333333333", true), "AccessDeniedException")
	wantCode(t, caDelete(b, id), "AccessDeniedException")
	_, err = b.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: aws.String(id), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	wantCode(t, err, "ResourceNotFoundException") // tags are the owner's

	// B associates the alias with its own directory; it cannot use A's.
	wantCode(t, caAssociateErr(b, id, caDirA), "ResourceNotFoundException")
	conn := caAssociate(t, b, id, caDirB)
	caWantAssociation(t, b, id, testenv.AccountB, caDirB, conn, types.AssociationStatusAssociatedWithSharedAccount)
	caWantAssociation(t, a, id, testenv.AccountB, caDirB, conn, types.AssociationStatusAssociatedWithSharedAccount)
	// Only one account associates; only it disassociates; A cannot unshare or delete meanwhile.
	wantCode(t, caAssociateErr(a, id, caDirA), "ResourceAssociatedException")
	wantCode(t, caDisassociate(a, id), "AccessDeniedException")
	wantCode(t, caShare(a, id, testenv.AccountB, false), "ResourceAssociatedException")
	wantCode(t, caDelete(a, id), "ResourceAssociatedException")

	if err := caDisassociate(b, id); err != nil {
		t.Fatal(err)
	}
	wantCode(t, caDelete(a, id), "ResourceAssociatedException") // still shared
	if err := caShare(a, id, testenv.AccountB, false); err != nil {
		t.Fatal(err)
	}
	if p := perms(); len(p) != 0 {
		t.Fatalf("permissions after unsharing = %+v", p)
	}
	if got := caGet(t, b, id); got != nil {
		t.Fatalf("B still sees the unshared alias: %+v", got)
	}
	wantCode(t, caAssociateErr(b, id, caDirB), "ResourceNotFoundException")
	// Shared with C instead, A associates its own directory; C cannot disassociate it.
	if err := caShare(a, id, "333333333333", true); err != nil {
		t.Fatal(err)
	}
	caAssociate(t, a, id, caDirA)
	wantCode(t, caDisassociate(c, id), "AccessDeniedException")
	if err := caShare(a, id, "333333333333", false); err != nil {
		t.Fatalf("unsharing while the owner's association stands: %v", err)
	}
	if err := caDisassociate(a, id); err != nil {
		t.Fatal(err)
	}
	if err := caDelete(a, id); err != nil {
		t.Fatal(err)
	}
}

func TestConnectionAliasIsolation(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	b := env.WorkSpaces(testenv.AccountB, testenv.Region)
	aWest := env.WorkSpaces(testenv.AccountA, "us-west-2")
	id := caCreated(t, env, a, "desktop.example.com")
	caCreated(t, env, b, "desktop.example.org")

	for name, c := range map[string]*workspaces.Client{"account B": b, "other region": aWest} {
		t.Run(name, func(t *testing.T) {
			if got := caGet(t, c, id); got != nil {
				t.Fatalf("sees A's alias: %+v", got)
			}
			wantCode(t, caDelete(c, id), "ResourceNotFoundException")
			wantCode(t, caDisassociate(c, id), "ResourceNotFoundException")
			_, err := c.DescribeConnectionAliasPermissions(ctx, &workspaces.DescribeConnectionAliasPermissionsInput{AliasId: aws.String(id)})
			wantCode(t, err, "ResourceNotFoundException")
			_, err = c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String(id)})
			wantCode(t, err, "ResourceNotFoundException")
		})
	}
	list := must[*workspaces.DescribeConnectionAliasesOutput](t)(a.DescribeConnectionAliases(ctx, &workspaces.DescribeConnectionAliasesInput{}))
	if len(list.ConnectionAliases) != 1 || *list.ConnectionAliases[0].AliasId != id {
		t.Fatalf("A's list = %+v", list.ConnectionAliases)
	}
}

func TestConnectionAliasPagination(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	var want []string
	for i := range 5 {
		want = append(want, caCreate(t, a, fmt.Sprintf("p%d.example.com", i)))
	}
	var got []string
	var token *string
	pages := 0
	for {
		out := must[*workspaces.DescribeConnectionAliasesOutput](t)(a.DescribeConnectionAliases(ctx, &workspaces.DescribeConnectionAliasesInput{Limit: aws.Int32(2), NextToken: token}))
		pages++
		for _, x := range out.ConnectionAliases {
			got = append(got, *x.AliasId)
		}
		if token = out.NextToken; token == nil {
			break
		}
		if pages == 1 {
			// A token replayed with another filter is refused.
			_, err := a.DescribeConnectionAliases(ctx, &workspaces.DescribeConnectionAliasesInput{Limit: aws.Int32(2), NextToken: token, ResourceId: aws.String(caDirA)})
			wantCode(t, err, "InvalidParameterValuesException")
		}
	}
	if pages != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%d pages %v, want 3 pages %v", pages, got, want)
	}
	// Model constraints are ValidationException; a garbled token is the
	// operation's InvalidParameterValuesException.
	for _, in := range []workspaces.DescribeConnectionAliasesInput{
		{Limit: aws.Int32(0)},
		{Limit: aws.Int32(26)},
		{AliasIds: []string{"wsca-1"}},
		{AliasIds: make([]string, 26)},
	} {
		_, err := a.DescribeConnectionAliases(ctx, &in)
		wantCode(t, err, "ValidationException")
	}
	_, err := a.DescribeConnectionAliases(ctx, &workspaces.DescribeConnectionAliasesInput{NextToken: aws.String("garbage")})
	wantCode(t, err, "InvalidParameterValuesException")
}

func TestConnectionAliasDirectoryDeregistered(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	caRegister(t, env, a, caDirA)
	id := caCreated(t, env, a, "desktop.example.com")
	caAssociate(t, a, id, caDirA)
	must[*workspaces.DeregisterWorkspaceDirectoryOutput](t)(a.DeregisterWorkspaceDirectory(ctx, &workspaces.DeregisterWorkspaceDirectoryInput{DirectoryId: aws.String(caDirA)}))
	caWantUnassociated(t, a, id)
	env.Advance(2 * time.Second) // DEREGISTERED, then gone
	caRegister(t, env, a, caDirA)
	caWantUnassociated(t, a, id) // a new registration of the same id is not associated
	caAssociate(t, a, id, caDirA)
	if err := caDisassociate(a, id); err != nil {
		t.Fatal(err)
	}
	if err := caDelete(a, id); err != nil {
		t.Fatal(err)
	}
}

// Aliases and the global connection-string reservation (records with an
// empty account, and with an empty account and region) survive a restart of
// the SQLite store.
func TestConnectionAliasDurable(t *testing.T) {
	dir := t.TempDir()
	var id string
	t.Run("first run", func(t *testing.T) {
		env := testenv.Start(t, testenv.WithDataDir(dir))
		a := env.WorkSpaces(testenv.AccountA, testenv.Region)
		id = caCreated(t, env, a, "desktop.example.com")
		if err := caShare(a, id, testenv.AccountB, true); err != nil {
			t.Fatal(err)
		}
	})
	env := testenv.Start(t, testenv.WithDataDir(dir))
	env.Advance(time.Second)
	if got := caGet(t, env.WorkSpaces(testenv.AccountB, testenv.Region), id); got == nil || got.State != types.ConnectionAliasStateCreated {
		t.Fatalf("after restart, B sees %+v", got)
	}
	_, err := env.WorkSpaces(testenv.AccountB, "eu-west-1").CreateConnectionAlias(ctx, &workspaces.CreateConnectionAliasInput{ConnectionString: aws.String("desktop.example.com")})
	wantCode(t, err, "ResourceAlreadyExistsException")
}
