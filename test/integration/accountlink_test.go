package integration

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// BYOL account links (spec §1.5, §4.5, §9.1, §11, Appendix C.4) between
// accounts A, B and C. A source must be BYOL-enabled; links change state
// immediately.

var lnkIDPattern = regexp.MustCompile(`^link-.{8,24}$`)

const (
	lnkPending  = types.AccountLinkStatusEnumPendingAcceptanceByTargetAccount
	lnkLinked   = types.AccountLinkStatusEnumLinked
	lnkRejected = types.AccountLinkStatusEnumRejected
)

func lnkInvite(c *workspaces.Client, target string, token *string) (*types.AccountLink, error) {
	out, err := c.CreateAccountLinkInvitation(ctx, &workspaces.CreateAccountLinkInvitationInput{TargetAccountId: aws.String(target), ClientToken: token})
	if err != nil {
		return nil, err
	}
	return out.AccountLink, nil
}

func lnkAccept(c *workspaces.Client, id string, token *string) (*types.AccountLink, error) {
	out, err := c.AcceptAccountLinkInvitation(ctx, &workspaces.AcceptAccountLinkInvitationInput{LinkId: aws.String(id), ClientToken: token})
	if err != nil {
		return nil, err
	}
	return out.AccountLink, nil
}

func lnkReject(c *workspaces.Client, id string, token *string) (*types.AccountLink, error) {
	out, err := c.RejectAccountLinkInvitation(ctx, &workspaces.RejectAccountLinkInvitationInput{LinkId: aws.String(id), ClientToken: token})
	if err != nil {
		return nil, err
	}
	return out.AccountLink, nil
}

func lnkDelete(c *workspaces.Client, id string, token *string) (*types.AccountLink, error) {
	out, err := c.DeleteAccountLinkInvitation(ctx, &workspaces.DeleteAccountLinkInvitationInput{LinkId: aws.String(id), ClientToken: token})
	if err != nil {
		return nil, err
	}
	return out.AccountLink, nil
}

func lnkGet(c *workspaces.Client, id, other string) (*types.AccountLink, error) {
	in := &workspaces.GetAccountLinkInput{}
	if id != "" {
		in.LinkId = aws.String(id)
	}
	if other != "" {
		in.LinkedAccountId = aws.String(other)
	}
	out, err := c.GetAccountLink(ctx, in)
	if err != nil {
		return nil, err
	}
	return out.AccountLink, nil
}

// lnkWant fails unless l is link id (any id when id is "") with the given
// status and parties, and returns its id.
func lnkWant(t *testing.T, l *types.AccountLink, err error, id string, status types.AccountLinkStatusEnum, source, target string) string {
	t.Helper()
	if err != nil {
		t.Fatalf("want link %s %s→%s %s, got error %v", id, source, target, status, err)
	}
	if l == nil || !lnkIDPattern.MatchString(aws.ToString(l.AccountLinkId)) || (id != "" && aws.ToString(l.AccountLinkId) != id) ||
		l.AccountLinkStatus != status || aws.ToString(l.SourceAccountId) != source || aws.ToString(l.TargetAccountId) != target {
		if l == nil {
			t.Fatalf("link = nil, want %s", status)
		}
		t.Fatalf("link = {%s %s %s→%s}, want {%s %s %s→%s}", aws.ToString(l.AccountLinkId), l.AccountLinkStatus,
			aws.ToString(l.SourceAccountId), aws.ToString(l.TargetAccountId), id, status, source, target)
	}
	return *l.AccountLinkId
}

// lnkList returns the ids of every link ListAccountLinks shows (all pages)
// with the page count.
func lnkList(t *testing.T, c *workspaces.Client, max int32, filter ...types.AccountLinkStatusEnum) ([]string, int) {
	t.Helper()
	in := &workspaces.ListAccountLinksInput{LinkStatusFilter: filter}
	if max > 0 {
		in.MaxResults = aws.Int32(max)
	}
	ids, pages := []string{}, 0
	for {
		out := must[*workspaces.ListAccountLinksOutput](t)(c.ListAccountLinks(ctx, in))
		pages++
		if max > 0 && len(out.AccountLinks) > int(max) {
			t.Fatalf("page of %d links for MaxResults %d", len(out.AccountLinks), max)
		}
		for _, l := range out.AccountLinks {
			ids = append(ids, aws.ToString(l.AccountLinkId))
		}
		if out.NextToken == nil {
			return ids, pages
		}
		if pages > 50 {
			t.Fatal("ListAccountLinks does not stop paging")
		}
		in.NextToken = out.NextToken
	}
}

func lnkListIDs(t *testing.T, c *workspaces.Client, filter ...types.AccountLinkStatusEnum) []string {
	t.Helper()
	ids, _ := lnkList(t, c, 0, filter...)
	return ids
}

func TestAccountLinkCreate(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)

	// The caller must be BYOL-enabled (and COMPLETED).
	_, err := lnkInvite(b, acctC, nil)
	wantCode(t, err, "AccessDeniedException")
	if err := acctModify(a, "10.200.0.0/16"); err != nil {
		t.Fatal(err)
	}
	_, err = lnkInvite(a, acctB, nil)
	wantCode(t, err, "AccessDeniedException")
	env.Advance(2 * time.Second)

	ab := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctB, nil)), nil, "", lnkPending, acctA, acctB)
	lnkWant(t, must[*types.AccountLink](t)(lnkGet(a, ab, "")), nil, ab, lnkPending, acctA, acctB)

	for _, tc := range []struct {
		name   string
		c      *workspaces.Client
		target string
		code   string
	}{
		{"to self", a, acctA, "ValidationException"},
		{"target already invited", a, acctB, "ConflictException"},
		{"invited target cannot invite", b, acctC, "ConflictException"},
		{"invited target cannot invite its source", b, acctA, "ConflictException"},
		{"malformed target (model)", a, "12345", "ValidationException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := lnkInvite(tc.c, tc.target, nil)
			wantCode(t, err, tc.code)
		})
	}
	// Another enabled account cannot invite the same target, nor a source.
	acctEnable(t, env, c, "10.201.0.0/16")
	_, err = lnkInvite(c, acctB, nil)
	wantCode(t, err, "ConflictException")
	_, err = lnkInvite(c, acctA, nil)
	wantCode(t, err, "ConflictException")
	// Enabling B does not let a pending target invite.
	acctEnable(t, env, b, "10.202.0.0/16")
	_, err = lnkInvite(b, acctC, nil)
	wantCode(t, err, "ConflictException")
	// A source may invite several targets; an invited account cannot be a source.
	ac := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctC, nil)), nil, "", lnkPending, acctA, acctC)
	if ac == ab {
		t.Fatal("two links share an id")
	}
	imgWantIDs(t, "A links", lnkListIDs(t, a), ab, ac)
	// Links are per region.
	imgWantIDs(t, "A links in us-west-2", lnkListIDs(t, env.WorkSpaces(acctA, acctWest)))
	_, err = lnkGet(env.WorkSpaces(acctA, acctWest), ab, "")
	wantCode(t, err, "ResourceNotFoundException")
}

func TestAccountLinkAccept(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	id := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctB, nil)), nil, "", lnkPending, acctA, acctB)

	_, err := lnkAccept(a, id, nil)
	wantCode(t, err, "AccessDeniedException") // the source
	_, err = lnkAccept(c, id, nil)
	wantCode(t, err, "ResourceNotFoundException") // a third account
	_, err = lnkAccept(b, "link-doesnotexist00", nil)
	wantCode(t, err, "ResourceNotFoundException")
	_, err = lnkAccept(b, "link-1", nil)
	wantCode(t, err, "ValidationException") // model pattern ^link-.{8,24}$
	lnkWant(t, must[*types.AccountLink](t)(lnkGet(b, id, "")), nil, id, lnkPending, acctA, acctB)
	acctWantEnabled(t, a, "10.200.0.0/16", "") // no role while pending
	acctWantDisabled(t, b)

	l, err := lnkAccept(b, id, nil)
	lnkWant(t, l, err, id, lnkLinked, acctA, acctB)
	l, err = lnkAccept(b, id, nil) // accepting again answers LINKED
	lnkWant(t, l, err, id, lnkLinked, acctA, acctB)
	lnkWant(t, must[*types.AccountLink](t)(lnkGet(a, id, "")), nil, id, lnkLinked, acctA, acctB)

	// The target now shares the source's BYOL configuration.
	acctWantEnabled(t, a, "10.200.0.0/16", types.DedicatedTenancyAccountTypeSourceAccount)
	acctWantEnabled(t, b, "10.200.0.0/16", types.DedicatedTenancyAccountTypeTargetAccount)
	acctWantDisabled(t, c)
	acctWantDisabled(t, env.WorkSpaces(acctB, acctWest))

	// Accepting a REJECTED invitation is a conflict.
	acctEnable(t, env, c, "10.201.0.0/16")
	wantCode(t, func() error { _, err := lnkInvite(c, acctB, nil); return err }(), "ConflictException") // B is linked
	rid := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctC, nil)), nil, "", lnkPending, acctA, acctC)
	lnkWant(t, must[*types.AccountLink](t)(lnkReject(c, rid, nil)), nil, rid, lnkRejected, acctA, acctC)
	_, err = lnkAccept(c, rid, nil)
	wantCode(t, err, "ConflictException")
}

func TestAccountLinkTargetUsesSourceBYOL(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	byol := imgImport(t, a, imgAMI(1), "byol")
	env.Advance(3 * time.Second)
	id := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctB, nil)), nil, "", lnkPending, acctA, acctB)
	wantCode(t, imgShare(a, byol, acctB, true), "OperationNotSupportedException") // only invited
	must[*types.AccountLink](t)(lnkAccept(b, id, nil))

	// A LINKED target counts as BYOL-enabled: it may receive and copy BYOL
	// images and its own imports succeed.
	if err := imgShare(a, byol, acctB, true); err != nil {
		t.Fatalf("share BYOL image with linked target: %v", err)
	}
	if _, err := imgCopy(b, "byol-copy", byol, testenv.Region); err != nil {
		t.Fatalf("linked target copies BYOL image: %v", err)
	}
	own := imgImport(t, b, imgAMI(2), "b-byol")
	other := imgImport(t, c, imgAMI(2), "c-byol")
	env.Advance(3 * time.Second)
	imgWantState(t, b, own, types.WorkspaceImageStateAvailable)
	// An unlinked, not enabled account still fails.
	imgWantState(t, c, other, types.WorkspaceImageStateError)
	wantCode(t, imgShare(a, byol, acctC, true), "OperationNotSupportedException")
}

func TestAccountLinkReject(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	first := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctB, nil)), nil, "", lnkPending, acctA, acctB)

	_, err := lnkReject(a, first, nil)
	wantCode(t, err, "AccessDeniedException")
	_, err = lnkReject(c, first, nil)
	wantCode(t, err, "ResourceNotFoundException")
	_, err = lnkReject(b, "link-doesnotexist00", nil)
	wantCode(t, err, "ResourceNotFoundException")

	l, err := lnkReject(b, first, nil)
	lnkWant(t, l, err, first, lnkRejected, acctA, acctB)
	l, err = lnkReject(b, first, nil) // rejecting again returns it unchanged
	lnkWant(t, l, err, first, lnkRejected, acctA, acctB)
	lnkWant(t, must[*types.AccountLink](t)(lnkGet(a, first, "")), nil, first, lnkRejected, acctA, acctB)
	acctWantEnabled(t, a, "10.200.0.0/16", "")
	acctWantDisabled(t, b)

	// A rejected link no longer blocks a new invitation.
	second := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctB, nil)), nil, "", lnkPending, acctA, acctB)
	if second == first {
		t.Fatal("new invitation reuses the rejected link's id")
	}
	imgWantIDs(t, "A links", lnkListIDs(t, a), first, second)
	imgWantIDs(t, "B links", lnkListIDs(t, b), first, second)
	lnkWant(t, must[*types.AccountLink](t)(lnkGet(a, "", acctB)), nil, second, lnkPending, acctA, acctB) // the most recent
	lnkWant(t, must[*types.AccountLink](t)(lnkGet(b, "", acctA)), nil, second, lnkPending, acctA, acctB)

	// A LINKED invitation cannot be rejected.
	must[*types.AccountLink](t)(lnkAccept(b, second, nil))
	_, err = lnkReject(b, second, nil)
	wantCode(t, err, "ConflictException")
	lnkWant(t, must[*types.AccountLink](t)(lnkGet(b, second, "")), nil, second, lnkLinked, acctA, acctB)
	acctWantEnabled(t, b, "10.200.0.0/16", types.DedicatedTenancyAccountTypeTargetAccount)
}

func TestAccountLinkDelete(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	pending := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctB, nil)), nil, "", lnkPending, acctA, acctB)

	_, err := lnkDelete(b, pending, nil)
	wantCode(t, err, "AccessDeniedException") // the target
	_, err = lnkDelete(c, pending, nil)
	wantCode(t, err, "ResourceNotFoundException")
	_, err = lnkDelete(a, "link-doesnotexist00", nil)
	wantCode(t, err, "ResourceNotFoundException")

	l, err := lnkDelete(a, pending, nil) // returned as it was
	lnkWant(t, l, err, pending, lnkPending, acctA, acctB)
	for _, cl := range []*workspaces.Client{a, b} {
		_, err = lnkGet(cl, pending, "")
		wantCode(t, err, "ResourceNotFoundException")
		imgWantIDs(t, "links after delete", lnkListIDs(t, cl))
	}
	_, err = lnkGet(a, "", acctB)
	wantCode(t, err, "ResourceNotFoundException")
	_, err = lnkDelete(a, pending, nil)
	wantCode(t, err, "ResourceNotFoundException")
	_, err = lnkAccept(b, pending, nil)
	wantCode(t, err, "ResourceNotFoundException")

	// A rejected invitation is deleted and returned REJECTED.
	rejected := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctB, nil)), nil, "", lnkPending, acctA, acctB)
	must[*types.AccountLink](t)(lnkReject(b, rejected, nil))
	l, err = lnkDelete(a, rejected, nil)
	lnkWant(t, l, err, rejected, lnkRejected, acctA, acctB)
	imgWantIDs(t, "B links", lnkListIDs(t, b))

	// A LINKED link cannot be deleted by either side.
	linked := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctC, nil)), nil, "", lnkPending, acctA, acctC)
	must[*types.AccountLink](t)(lnkAccept(c, linked, nil))
	_, err = lnkDelete(a, linked, nil)
	wantCode(t, err, "ConflictException")
	_, err = lnkDelete(c, linked, nil)
	wantCode(t, err, "AccessDeniedException")
	lnkWant(t, must[*types.AccountLink](t)(lnkGet(a, "", acctC)), nil, linked, lnkLinked, acctA, acctC)
}

func TestAccountLinkGet(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	id := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctB, nil)), nil, "", lnkPending, acctA, acctB)

	for _, tc := range []struct {
		name      string
		c         *workspaces.Client
		id, other string
	}{
		{"source by id", a, id, ""},
		{"target by id", b, id, ""},
		{"source by account", a, "", acctB},
		{"target by account", b, "", acctA},
		{"source by both", a, id, acctB},
		{"target by both", b, id, acctA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := lnkGet(tc.c, tc.id, tc.other)
			lnkWant(t, l, err, id, lnkPending, acctA, acctB)
		})
	}
	for _, tc := range []struct {
		name, id, other, code string
		c                     *workspaces.Client
	}{
		{"neither member", "", "", "ValidationException", a},
		{"unknown id", "link-doesnotexist00", "", "ResourceNotFoundException", a},
		{"no link with that account", "", acctC, "ResourceNotFoundException", a},
		{"third account by id", id, "", "ResourceNotFoundException", c},
		{"third account by account", "", acctA, "ResourceNotFoundException", c},
		{"id and account of different links", id, acctC, "ValidationException", a},
		{"malformed id (model)", "link-1", "", "ValidationException", a},
		{"malformed account (model)", "", "12345", "ValidationException", a},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := lnkGet(tc.c, tc.id, tc.other)
			wantCode(t, err, tc.code)
		})
	}
}

func TestAccountLinkList(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	imgWantIDs(t, "fresh", lnkListIDs(t, a))
	acctEnable(t, env, a, "10.200.0.0/16")
	ab := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctB, nil)), nil, "", lnkPending, acctA, acctB)
	ac := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctC, nil)), nil, "", lnkPending, acctA, acctC)
	must[*types.AccountLink](t)(lnkAccept(b, ab, nil))

	imgWantIDs(t, "A", lnkListIDs(t, a), ab, ac)
	imgWantIDs(t, "B", lnkListIDs(t, b), ab)
	imgWantIDs(t, "C", lnkListIDs(t, c), ac)
	imgWantIDs(t, "A LINKED", lnkListIDs(t, a, lnkLinked), ab)
	imgWantIDs(t, "A PENDING", lnkListIDs(t, a, lnkPending), ac)
	imgWantIDs(t, "A LINKED or PENDING", lnkListIDs(t, a, lnkPending, lnkLinked), ab, ac)
	imgWantIDs(t, "A REJECTED", lnkListIDs(t, a, lnkRejected))
	imgWantIDs(t, "B PENDING", lnkListIDs(t, b, lnkPending))
	imgWantIDs(t, "C PENDING", lnkListIDs(t, c, lnkPending), ac)
	imgWantIDs(t, "A empty filter list", lnkListIDs(t, a, []types.AccountLinkStatusEnum{}...), ab, ac)

	out := must[*workspaces.ListAccountLinksOutput](t)(a.ListAccountLinks(ctx, &workspaces.ListAccountLinksInput{}))
	if len(out.AccountLinks) != 2 || out.NextToken != nil {
		t.Fatalf("ListAccountLinks = %d links, NextToken %v", len(out.AccountLinks), out.NextToken)
	}
	lnkWant(t, &out.AccountLinks[0], nil, ab, lnkLinked, acctA, acctB)
	lnkWant(t, &out.AccountLinks[1], nil, ac, lnkPending, acctA, acctC)

	// Pagination with MaxResults 1.
	p1 := must[*workspaces.ListAccountLinksOutput](t)(a.ListAccountLinks(ctx, &workspaces.ListAccountLinksInput{MaxResults: aws.Int32(1)}))
	if len(p1.AccountLinks) != 1 || aws.ToString(p1.AccountLinks[0].AccountLinkId) != ab || p1.NextToken == nil || *p1.NextToken == "" {
		t.Fatalf("page 1 = %+v, NextToken %v", p1.AccountLinks, p1.NextToken)
	}
	p2 := must[*workspaces.ListAccountLinksOutput](t)(a.ListAccountLinks(ctx, &workspaces.ListAccountLinksInput{MaxResults: aws.Int32(1), NextToken: p1.NextToken}))
	if len(p2.AccountLinks) != 1 || aws.ToString(p2.AccountLinks[0].AccountLinkId) != ac || p2.NextToken != nil {
		t.Fatalf("page 2 = %+v, NextToken %v", p2.AccountLinks, p2.NextToken)
	}
	if ids, pages := lnkList(t, a, 1, lnkPending, lnkLinked); pages != 2 || len(ids) != 2 {
		t.Fatalf("filtered MaxResults 1: %v in %d pages", ids, pages)
	}

	for _, tc := range []struct {
		name string
		c    *workspaces.Client
		in   workspaces.ListAccountLinksInput
	}{
		{"MaxResults 26 (model)", a, workspaces.ListAccountLinksInput{MaxResults: aws.Int32(26)}},
		{"MaxResults 0 (model)", a, workspaces.ListAccountLinksInput{MaxResults: aws.Int32(0)}},
		{"unknown status (model)", a, workspaces.ListAccountLinksInput{LinkStatusFilter: []types.AccountLinkStatusEnum{"UNLINKED"}}},
		{"garbled token", a, workspaces.ListAccountLinksInput{NextToken: aws.String("garbage")}},
		{"token with another filter", a, workspaces.ListAccountLinksInput{MaxResults: aws.Int32(1), NextToken: p1.NextToken, LinkStatusFilter: []types.AccountLinkStatusEnum{lnkLinked}}},
		{"another account's token", b, workspaces.ListAccountLinksInput{MaxResults: aws.Int32(1), NextToken: p1.NextToken}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.ListAccountLinks(ctx, &tc.in)
			wantCode(t, err, "ValidationException")
		})
	}
}

func TestAccountLinkClientToken(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	tok := aws.String("token-1")

	first := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctB, tok)), nil, "", lnkPending, acctA, acctB)
	l, err := lnkInvite(a, acctB, tok) // same token, same parameters: the same link
	lnkWant(t, l, err, first, lnkPending, acctA, acctB)
	imgWantIDs(t, "A links after retry", lnkListIDs(t, a), first)
	_, err = lnkInvite(a, acctC, tok) // same token, other target
	wantCode(t, err, "ConflictException")
	imgWantIDs(t, "C links", lnkListIDs(t, c))
	// Without a token a repeat is an ordinary conflict.
	_, err = lnkInvite(a, acctB, nil)
	wantCode(t, err, "ConflictException")
	// Tokens are per operation and per caller.
	second := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(a, acctC, aws.String("token-2"))), nil, "", lnkPending, acctA, acctC)

	acceptTok := aws.String("accept-1")
	l, err = lnkAccept(b, first, acceptTok)
	lnkWant(t, l, err, first, lnkLinked, acctA, acctB)
	l, err = lnkAccept(b, first, acceptTok)
	lnkWant(t, l, err, first, lnkLinked, acctA, acctB)
	l, err = lnkAccept(c, second, acceptTok) // C's token namespace is its own
	lnkWant(t, l, err, second, lnkLinked, acctA, acctC)
	_, err = lnkAccept(b, second, acceptTok) // B: same token, other link
	wantCode(t, err, "ConflictException")

	// Reject and delete honour tokens too.
	acctEnable(t, env, env.WorkSpaces(acctA, acctWest), "10.200.0.0/16")
	westA, westB := env.WorkSpaces(acctA, acctWest), env.WorkSpaces(acctB, acctWest)
	w := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(westA, acctB, nil)), nil, "", lnkPending, acctA, acctB)
	rt := aws.String("reject-1")
	l, err = lnkReject(westB, w, rt)
	lnkWant(t, l, err, w, lnkRejected, acctA, acctB)
	l, err = lnkReject(westB, w, rt)
	lnkWant(t, l, err, w, lnkRejected, acctA, acctB)
	dt := aws.String("delete-1")
	l, err = lnkDelete(westA, w, dt)
	lnkWant(t, l, err, w, lnkRejected, acctA, acctB)
	l, err = lnkDelete(westA, w, dt) // replayed: the original answer, though the link is gone
	lnkWant(t, l, err, w, lnkRejected, acctA, acctB)
	_, err = lnkDelete(westA, "link-doesnotexist00", dt)
	wantCode(t, err, "ConflictException")

	// After 24 hours the token is forgotten and the call runs again.
	w2 := lnkWant(t, must[*types.AccountLink](t)(lnkInvite(westA, acctC, aws.String("west-1"))), nil, "", lnkPending, acctA, acctC)
	env.Advance(25 * time.Hour)
	_, err = lnkInvite(westA, acctC, aws.String("west-1"))
	wantCode(t, err, "ConflictException") // C is already invited
	imgWantIDs(t, "west links", lnkListIDs(t, westA), w2)

	_, err = lnkInvite(a, acctC, aws.String(strings.Repeat("x", 65)))
	wantCode(t, err, "ValidationException") // ClientToken ^.{1,64}$
}

// TestAccountLinkScenarioC4 follows Appendix C.4 end to end.
func TestAccountLinkScenarioC4(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")

	// 1.
	l, err := lnkInvite(a, acctB, nil)
	id := lnkWant(t, l, err, "", lnkPending, acctA, acctB)
	_, err = lnkInvite(a, acctB, nil)
	wantCode(t, err, "ConflictException")
	_, err = lnkInvite(a, acctA, nil)
	wantCode(t, err, "ValidationException")

	// 2.
	out := must[*workspaces.ListAccountLinksOutput](t)(b.ListAccountLinks(ctx, &workspaces.ListAccountLinksInput{}))
	if len(out.AccountLinks) != 1 {
		t.Fatalf("B ListAccountLinks = %+v", out.AccountLinks)
	}
	lnkWant(t, &out.AccountLinks[0], nil, id, lnkPending, acctA, acctB)
	l, err = lnkAccept(b, id, nil)
	lnkWant(t, l, err, id, lnkLinked, acctA, acctB)

	// 3.
	acctWantEnabled(t, a, "10.200.0.0/16", types.DedicatedTenancyAccountTypeSourceAccount)
	acctWantEnabled(t, b, "10.200.0.0/16", types.DedicatedTenancyAccountTypeTargetAccount)

	// 4.
	_, err = lnkDelete(a, id, nil)
	wantCode(t, err, "ConflictException")
	l, err = lnkGet(a, "", acctB)
	lnkWant(t, l, err, id, lnkLinked, acctA, acctB)

	// 5. The alternative ending with a third account: reject, then delete.
	l, err = lnkInvite(a, acctC, nil)
	alt := lnkWant(t, l, err, "", lnkPending, acctA, acctC)
	l, err = lnkReject(c, alt, nil)
	lnkWant(t, l, err, alt, lnkRejected, acctA, acctC)
	l, err = lnkDelete(a, alt, nil)
	lnkWant(t, l, err, alt, lnkRejected, acctA, acctC)
	_, err = lnkGet(a, alt, "")
	wantCode(t, err, "ResourceNotFoundException")
	_, err = lnkGet(c, alt, "")
	wantCode(t, err, "ResourceNotFoundException")
	imgWantIDs(t, "A links at the end", lnkListIDs(t, a), id)
	acctWantDisabled(t, c)
}
