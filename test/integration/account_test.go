package integration

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"
	"github.com/aws/smithy-go"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// BYOL account configuration (spec §4.4, §9, Appendix C.3 steps 1-3) with
// the frozen clock: a ModifyAccount modification completes after 2s.

const (
	acctA    = testenv.AccountA
	acctB    = testenv.AccountB
	acctC    = "333333333333"
	acctWest = "us-west-2"
)

// acctClients returns clients for accounts A, B and C in the default region.
func acctClients(env *testenv.Env) (a, b, c *workspaces.Client) {
	return env.WorkSpaces(acctA, testenv.Region), env.WorkSpaces(acctB, testenv.Region), env.WorkSpaces(acctC, testenv.Region)
}

// acctErrCode returns the API error code of err, or "".
func acctErrCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func acctDescribe(t *testing.T, c *workspaces.Client) *workspaces.DescribeAccountOutput {
	t.Helper()
	return must[*workspaces.DescribeAccountOutput](t)(c.DescribeAccount(ctx, &workspaces.DescribeAccountInput{}))
}

// acctWantDisabled fails unless DescribeAccount is exactly {DISABLED}.
func acctWantDisabled(t *testing.T, c *workspaces.Client) {
	t.Helper()
	out := acctDescribe(t, c)
	if out.DedicatedTenancySupport != types.DedicatedTenancySupportResultEnumDisabled || out.DedicatedTenancyManagementCidrRange != nil ||
		out.DedicatedTenancyAccountType != "" || out.Message != nil {
		t.Fatalf("DescribeAccount = {%s %v %q %v}, want DISABLED only", out.DedicatedTenancySupport,
			aws.ToString(out.DedicatedTenancyManagementCidrRange), out.DedicatedTenancyAccountType, aws.ToString(out.Message))
	}
}

// acctWantEnabled fails unless DescribeAccount reports ENABLED with cidr and
// the given link role.
func acctWantEnabled(t *testing.T, c *workspaces.Client, cidr string, role types.DedicatedTenancyAccountType) {
	t.Helper()
	out := acctDescribe(t, c)
	if out.DedicatedTenancySupport != types.DedicatedTenancySupportResultEnumEnabled || aws.ToString(out.DedicatedTenancyManagementCidrRange) != cidr ||
		out.DedicatedTenancyAccountType != role {
		t.Fatalf("DescribeAccount = {%s %q %q}, want {ENABLED %q %q}", out.DedicatedTenancySupport,
			aws.ToString(out.DedicatedTenancyManagementCidrRange), out.DedicatedTenancyAccountType, cidr, role)
	}
}

func acctModify(c *workspaces.Client, cidr string) error {
	_, err := c.ModifyAccount(ctx, &workspaces.ModifyAccountInput{
		DedicatedTenancySupport: types.DedicatedTenancySupportEnumEnabled, DedicatedTenancyManagementCidrRange: aws.String(cidr),
	})
	return err
}

// acctEnable enables BYOL with cidr and waits the 2s until it is COMPLETED.
func acctEnable(t *testing.T, env *testenv.Env, c *workspaces.Client, cidr string) {
	t.Helper()
	if err := acctModify(c, cidr); err != nil {
		t.Fatalf("ModifyAccount(%s): %v", cidr, err)
	}
	env.Advance(2 * time.Second)
	acctWantEnabled(t, c, cidr, "")
}

func acctModifications(t *testing.T, c *workspaces.Client) []types.AccountModification {
	t.Helper()
	out := must[*workspaces.DescribeAccountModificationsOutput](t)(c.DescribeAccountModifications(ctx, &workspaces.DescribeAccountModificationsInput{}))
	if out.NextToken != nil {
		t.Fatalf("DescribeAccountModifications returned NextToken %q for %d records", *out.NextToken, len(out.AccountModifications))
	}
	return out.AccountModifications
}

func acctWantModification(t *testing.T, m types.AccountModification, state types.DedicatedTenancyModificationStateEnum, cidr string, start time.Time) {
	t.Helper()
	if m.ModificationState != state || m.DedicatedTenancySupport != types.DedicatedTenancySupportResultEnumEnabled ||
		aws.ToString(m.DedicatedTenancyManagementCidrRange) != cidr || m.StartTime == nil || !m.StartTime.Equal(start) ||
		m.ErrorCode != nil || m.ErrorMessage != nil {
		t.Fatalf("modification = {%s %s %q %v %v %v}, want {%s ENABLED %q %v}", m.ModificationState, m.DedicatedTenancySupport,
			aws.ToString(m.DedicatedTenancyManagementCidrRange), m.StartTime, aws.ToString(m.ErrorCode), aws.ToString(m.ErrorMessage), state, cidr, start)
	}
}

// acctRanges lists every available management range for constraint, page by
// page with MaxResults max (0 = default), and returns them with the page count.
func acctRanges(t *testing.T, c *workspaces.Client, constraint string, max int32) ([]string, int) {
	t.Helper()
	var all []string
	pages := 0
	in := &workspaces.ListAvailableManagementCidrRangesInput{ManagementCidrRangeConstraint: aws.String(constraint)}
	if max > 0 {
		in.MaxResults = aws.Int32(max)
	}
	for {
		out := must[*workspaces.ListAvailableManagementCidrRangesOutput](t)(c.ListAvailableManagementCidrRanges(ctx, in))
		pages++
		limit := int(max)
		if limit == 0 {
			limit = 5
		}
		if len(out.ManagementCidrRanges) > limit || (out.NextToken != nil && len(out.ManagementCidrRanges) != limit) {
			t.Fatalf("page %d of %s: %d ranges with NextToken %v (page size %d)", pages, constraint, len(out.ManagementCidrRanges), out.NextToken != nil, limit)
		}
		all = append(all, out.ManagementCidrRanges...)
		if out.NextToken == nil {
			return all, pages
		}
		if *out.NextToken == "" || pages > 500 {
			t.Fatalf("bad NextToken %q after %d pages", *out.NextToken, pages)
		}
		in.NextToken = out.NextToken
	}
}

// acctBlocks returns the /16 blocks first.second.0.0/16 for second in [from, to].
func acctBlocks(first, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("%d.%d.0.0/16", first, i))
	}
	return out
}

func TestAccountDescribeFresh(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	for _, cl := range []*workspaces.Client{a, b, c, env.WorkSpaces(acctA, acctWest)} {
		acctWantDisabled(t, cl)
		if mods := acctModifications(t, cl); mods == nil || len(mods) != 0 {
			t.Fatalf("fresh account modifications = %#v, want []", mods)
		}
	}
}

func TestAccountModifyLifecycle(t *testing.T) {
	env := testenv.Start(t)
	a, b, _ := acctClients(env)
	start := env.Clock.Now()
	out := must[*workspaces.ModifyAccountOutput](t)(a.ModifyAccount(ctx, &workspaces.ModifyAccountInput{
		DedicatedTenancySupport: types.DedicatedTenancySupportEnumEnabled, DedicatedTenancyManagementCidrRange: aws.String("10.200.0.0/16"),
	}))
	if out.Message != nil {
		t.Fatalf("ModifyAccount Message = %q, want none", *out.Message)
	}
	mods := acctModifications(t, a)
	if len(mods) != 1 {
		t.Fatalf("modifications = %d, want 1", len(mods))
	}
	acctWantModification(t, mods[0], types.DedicatedTenancyModificationStateEnumPending, "10.200.0.0/16", start)
	acctWantDisabled(t, a) // the previous configuration while PENDING (spec §4.4)

	// Repeated while PENDING, with the same or another range.
	wantCode(t, acctModify(a, "10.200.0.0/16"), "InvalidResourceStateException")
	wantCode(t, acctModify(a, "10.201.0.0/16"), "InvalidResourceStateException")

	env.Advance(time.Second)
	acctWantModification(t, acctModifications(t, a)[0], types.DedicatedTenancyModificationStateEnumPending, "10.200.0.0/16", start)
	acctWantDisabled(t, a)

	env.Advance(time.Second)
	mods = acctModifications(t, a)
	if len(mods) != 1 {
		t.Fatalf("modifications after completion = %d, want 1 (failed calls must not append)", len(mods))
	}
	acctWantModification(t, mods[0], types.DedicatedTenancyModificationStateEnumCompleted, "10.200.0.0/16", start)
	acctWantEnabled(t, a, "10.200.0.0/16", "")

	// The range is immutable once ENABLED.
	wantCode(t, acctModify(a, "10.201.0.0/16"), "InvalidResourceStateException")
	wantCode(t, acctModify(a, "10.200.0.0/16"), "InvalidResourceStateException")
	if n := len(acctModifications(t, a)); n != 1 {
		t.Fatalf("modifications after refused calls = %d, want 1", n)
	}

	// Other accounts and regions are unaffected; B may enable the same range.
	acctWantDisabled(t, b)
	acctWantDisabled(t, env.WorkSpaces(acctA, acctWest))
	if n := len(acctModifications(t, b)); n != 0 {
		t.Fatalf("B modifications = %d, want 0", n)
	}
	acctEnable(t, env, b, "10.200.0.0/16")
	west := env.WorkSpaces(acctA, acctWest)
	acctEnable(t, env, west, "172.16.0.0/16")
	acctWantEnabled(t, a, "10.200.0.0/16", "")
}

func TestAccountModifyErrors(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	for _, tc := range []struct {
		name string
		in   workspaces.ModifyAccountInput
		code string
	}{
		{"outside allowed space", workspaces.ModifyAccountInput{DedicatedTenancySupport: "ENABLED", DedicatedTenancyManagementCidrRange: aws.String("8.8.0.0/16")}, "InvalidParameterValuesException"},
		{"public 100.128/16 outside 100.64/10", workspaces.ModifyAccountInput{DedicatedTenancySupport: "ENABLED", DedicatedTenancyManagementCidrRange: aws.String("100.128.0.0/16")}, "InvalidParameterValuesException"},
		{"172.32/16 outside 172.16/12", workspaces.ModifyAccountInput{DedicatedTenancySupport: "ENABLED", DedicatedTenancyManagementCidrRange: aws.String("172.32.0.0/16")}, "InvalidParameterValuesException"},
		{"198.20/16 outside 198.18/15", workspaces.ModifyAccountInput{DedicatedTenancySupport: "ENABLED", DedicatedTenancyManagementCidrRange: aws.String("198.20.0.0/16")}, "InvalidParameterValuesException"},
		{"192.169/16 outside 192.168/16", workspaces.ModifyAccountInput{DedicatedTenancySupport: "ENABLED", DedicatedTenancyManagementCidrRange: aws.String("192.169.0.0/16")}, "InvalidParameterValuesException"},
		// The model pattern only admits x.y.0.0/16, so other prefixes and
		// host bits are caught by model validation.
		{"not a /16 (model)", workspaces.ModifyAccountInput{DedicatedTenancySupport: "ENABLED", DedicatedTenancyManagementCidrRange: aws.String("10.0.0.0/24")}, "ValidationException"},
		{"a /8 (model)", workspaces.ModifyAccountInput{DedicatedTenancySupport: "ENABLED", DedicatedTenancyManagementCidrRange: aws.String("10.0.0.0/8")}, "ValidationException"},
		{"host bits (model)", workspaces.ModifyAccountInput{DedicatedTenancySupport: "ENABLED", DedicatedTenancyManagementCidrRange: aws.String("10.1.2.0/16")}, "ValidationException"},
		{"octet out of range (model)", workspaces.ModifyAccountInput{DedicatedTenancySupport: "ENABLED", DedicatedTenancyManagementCidrRange: aws.String("256.1.0.0/16")}, "ValidationException"},
		{"not a CIDR (model)", workspaces.ModifyAccountInput{DedicatedTenancySupport: "ENABLED", DedicatedTenancyManagementCidrRange: aws.String("10.200.0.0")}, "ValidationException"},
		{"DISABLED is not in the enum (model)", workspaces.ModifyAccountInput{DedicatedTenancySupport: "DISABLED", DedicatedTenancyManagementCidrRange: aws.String("10.200.0.0/16")}, "ValidationException"},
		{"missing range", workspaces.ModifyAccountInput{DedicatedTenancySupport: "ENABLED"}, "InvalidParameterValuesException"},
		{"missing support", workspaces.ModifyAccountInput{DedicatedTenancyManagementCidrRange: aws.String("10.200.0.0/16")}, "InvalidParameterValuesException"},
		{"both missing", workspaces.ModifyAccountInput{}, "InvalidParameterValuesException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.ModifyAccount(ctx, &tc.in)
			wantCode(t, err, tc.code)
		})
	}
	acctWantDisabled(t, a)
	if n := len(acctModifications(t, a)); n != 0 {
		t.Fatalf("refused ModifyAccount calls appended %d modifications", n)
	}

	// The edges of the allowed space are accepted (three accounts).
	acctEnable(t, env, a, "100.127.0.0/16")
	acctEnable(t, env, b, "198.19.0.0/16")
	acctEnable(t, env, c, "172.31.0.0/16")
	acctEnable(t, env, env.WorkSpaces(acctA, acctWest), "192.168.0.0/16")
}

func TestAccountModifyLinkedTarget(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	link := must[*workspaces.CreateAccountLinkInvitationOutput](t)(a.CreateAccountLinkInvitation(ctx, &workspaces.CreateAccountLinkInvitationInput{TargetAccountId: aws.String(acctB)})).AccountLink
	// A pending invitation does not stop B from enabling on its own...
	acctWantDisabled(t, b)
	must[*workspaces.AcceptAccountLinkInvitationOutput](t)(b.AcceptAccountLinkInvitation(ctx, &workspaces.AcceptAccountLinkInvitationInput{LinkId: link.AccountLinkId}))
	// ...but once LINKED, B uses A's configuration and cannot change it.
	wantCode(t, acctModify(b, "10.201.0.0/16"), "InvalidResourceStateException")
	if n := len(acctModifications(t, b)); n != 0 {
		t.Fatalf("B modifications = %d, want 0", n)
	}
	acctWantEnabled(t, b, "10.200.0.0/16", types.DedicatedTenancyAccountTypeTargetAccount)
	// The source is already ENABLED; a third, unlinked account is free.
	wantCode(t, acctModify(a, "10.201.0.0/16"), "InvalidResourceStateException")
	acctEnable(t, env, c, "10.201.0.0/16")
}

func TestAccountModifyPendingTargetEnables(t *testing.T) {
	env := testenv.Start(t)
	a, b, _ := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	must[*workspaces.CreateAccountLinkInvitationOutput](t)(a.CreateAccountLinkInvitation(ctx, &workspaces.CreateAccountLinkInvitationInput{TargetAccountId: aws.String(acctB)}))
	acctEnable(t, env, b, "10.201.0.0/16") // only a LINKED target is refused
}

func TestAccountCidrRanges(t *testing.T) {
	env := testenv.Start(t)
	a, b, c := acctClients(env)

	// C.3 step 2: the first page and where the next one starts.
	in := &workspaces.ListAvailableManagementCidrRangesInput{ManagementCidrRangeConstraint: aws.String("10.0.0.0/8"), MaxResults: aws.Int32(5)}
	p1 := must[*workspaces.ListAvailableManagementCidrRangesOutput](t)(a.ListAvailableManagementCidrRanges(ctx, in))
	if !slices.Equal(p1.ManagementCidrRanges, acctBlocks(10, 0, 4)) || p1.NextToken == nil || *p1.NextToken == "" {
		t.Fatalf("page 1 = %v, NextToken %v", p1.ManagementCidrRanges, p1.NextToken)
	}
	in.NextToken = p1.NextToken
	p2 := must[*workspaces.ListAvailableManagementCidrRangesOutput](t)(a.ListAvailableManagementCidrRanges(ctx, in))
	if !slices.Equal(p2.ManagementCidrRanges, acctBlocks(10, 5, 9)) || p2.NextToken == nil {
		t.Fatalf("page 2 = %v, NextToken %v", p2.ManagementCidrRanges, p2.NextToken)
	}

	all, pages := acctRanges(t, a, "10.0.0.0/8", 5)
	if !slices.Equal(all, acctBlocks(10, 0, 255)) || pages != 52 {
		t.Fatalf("10.0.0.0/8: %d ranges in %d pages, want 256 in 52", len(all), pages)
	}
	// The default page size is 5; host bits in the constraint are normalised.
	if all, pages := acctRanges(t, a, "10.77.1.2/8", 0); len(all) != 256 || pages != 52 || all[0] != "10.0.0.0/16" {
		t.Fatalf("10.77.1.2/8 default page size: %d ranges in %d pages, first %v", len(all), pages, all[:1])
	}

	for _, tc := range []struct {
		constraint string
		want       []string
	}{
		{"10.0.0.0/24", nil},
		{"10.0.0.0/17", nil},
		{"8.0.0.0/8", nil},
		{"11.0.0.0/8", nil},
		{"192.168.0.0/16", []string{"192.168.0.0/16"}},
		{"192.168.7.9/16", []string{"192.168.0.0/16"}},
		{"192.0.0.0/8", []string{"192.168.0.0/16"}},
		{"10.42.0.0/16", []string{"10.42.0.0/16"}},
		{"10.4.0.0/14", acctBlocks(10, 4, 7)},
		{"198.18.0.0/15", []string{"198.18.0.0/16", "198.19.0.0/16"}},
		{"172.16.0.0/12", acctBlocks(172, 16, 31)},
		{"172.0.0.0/8", acctBlocks(172, 16, 31)},
		{"100.64.0.0/10", acctBlocks(100, 64, 127)},
		{"100.0.0.0/9", acctBlocks(100, 64, 127)},
	} {
		t.Run(tc.constraint, func(t *testing.T) {
			got, _ := acctRanges(t, a, tc.constraint, 5)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("ranges = %v, want %v", got, tc.want)
			}
		})
	}
	// An empty answer is an empty list without a token.
	empty := must[*workspaces.ListAvailableManagementCidrRangesOutput](t)(a.ListAvailableManagementCidrRanges(ctx, &workspaces.ListAvailableManagementCidrRangesInput{ManagementCidrRangeConstraint: aws.String("10.0.0.0/24")}))
	if empty.ManagementCidrRanges == nil || len(empty.ManagementCidrRanges) != 0 || empty.NextToken != nil {
		t.Fatalf("10.0.0.0/24 = %#v, NextToken %v; want [] and no token", empty.ManagementCidrRanges, empty.NextToken)
	}
	// Everything: 256 + 64 + 16 + 1 + 2 blocks in ascending numeric order.
	every, _ := acctRanges(t, a, "0.0.0.0/0", 5)
	want := slices.Concat(acctBlocks(10, 0, 255), acctBlocks(100, 64, 127), acctBlocks(172, 16, 31), []string{"192.168.0.0/16"}, acctBlocks(198, 18, 19))
	if !slices.Equal(every, want) {
		t.Fatalf("0.0.0.0/0: %d ranges, want %d in ascending order", len(every), len(want))
	}

	for _, tc := range []struct {
		name string
		in   workspaces.ListAvailableManagementCidrRangesInput
		code string
	}{
		{"MaxResults 6", workspaces.ListAvailableManagementCidrRangesInput{ManagementCidrRangeConstraint: aws.String("10.0.0.0/8"), MaxResults: aws.Int32(6)}, "ValidationException"},
		{"MaxResults 0", workspaces.ListAvailableManagementCidrRangesInput{ManagementCidrRangeConstraint: aws.String("10.0.0.0/8"), MaxResults: aws.Int32(0)}, "ValidationException"},
		{"no prefix length", workspaces.ListAvailableManagementCidrRangesInput{ManagementCidrRangeConstraint: aws.String("10.0.0.0")}, "ValidationException"},
		{"prefix 33", workspaces.ListAvailableManagementCidrRangesInput{ManagementCidrRangeConstraint: aws.String("10.0.0.0/33")}, "ValidationException"},
		{"IPv6", workspaces.ListAvailableManagementCidrRangesInput{ManagementCidrRangeConstraint: aws.String("fd00::/8")}, "ValidationException"},
		{"garbled token", workspaces.ListAvailableManagementCidrRangesInput{ManagementCidrRangeConstraint: aws.String("10.0.0.0/8"), NextToken: aws.String("garbage")}, "InvalidParameterValuesException"},
		{"token for another constraint", workspaces.ListAvailableManagementCidrRangesInput{ManagementCidrRangeConstraint: aws.String("172.16.0.0/12"), NextToken: p1.NextToken}, "InvalidParameterValuesException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.ListAvailableManagementCidrRanges(ctx, &tc.in)
			wantCode(t, err, tc.code)
		})
	}
	// A token belongs to the account that received it.
	_, err := b.ListAvailableManagementCidrRanges(ctx, &workspaces.ListAvailableManagementCidrRangesInput{ManagementCidrRangeConstraint: aws.String("10.0.0.0/8"), MaxResults: aws.Int32(5), NextToken: p1.NextToken})
	wantCode(t, err, "InvalidParameterValuesException")

	// Once A's range is in use, A no longer sees it; B and C still do.
	acctEnable(t, env, a, "10.200.0.0/16")
	mine, _ := acctRanges(t, a, "10.0.0.0/8", 5)
	if len(mine) != 255 || slices.Contains(mine, "10.200.0.0/16") || !slices.Equal(mine, slices.DeleteFunc(acctBlocks(10, 0, 255), func(s string) bool { return s == "10.200.0.0/16" })) {
		t.Fatalf("A after enabling: %d ranges (contains 10.200: %v), want 255 without it", len(mine), slices.Contains(mine, "10.200.0.0/16"))
	}
	if got, _ := acctRanges(t, a, "10.200.0.0/16", 5); len(got) != 0 {
		t.Fatalf("A 10.200.0.0/16 after enabling = %v, want []", got)
	}
	for _, cl := range []*workspaces.Client{b, c} {
		if got, _ := acctRanges(t, cl, "10.0.0.0/8", 5); len(got) != 256 {
			t.Fatalf("other account sees %d ranges, want 256", len(got))
		}
	}
	// While a modification is PENDING the range is not yet in use.
	if err := acctModify(b, "10.3.0.0/16"); err != nil {
		t.Fatal(err)
	}
	if got, _ := acctRanges(t, b, "10.0.0.0/14", 5); !slices.Equal(got, acctBlocks(10, 0, 3)) {
		t.Fatalf("B while PENDING = %v", got)
	}
	env.Advance(2 * time.Second)
	if got, _ := acctRanges(t, b, "10.0.0.0/14", 5); !slices.Equal(got, acctBlocks(10, 0, 2)) {
		t.Fatalf("B after COMPLETED = %v", got)
	}
}

func TestAccountModificationsPagingToken(t *testing.T) {
	env := testenv.Start(t)
	a, _, _ := acctClients(env)
	acctEnable(t, env, a, "10.200.0.0/16")
	// DescribeAccountModifications models no InvalidParameterValuesException,
	// so a bad token is a ValidationException (spec §1.4).
	_, err := a.DescribeAccountModifications(ctx, &workspaces.DescribeAccountModificationsInput{NextToken: aws.String("garbage")})
	wantCode(t, err, "ValidationException")
}
