package integration

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

func rule(cidr, desc string) types.IpRuleItem {
	return types.IpRuleItem{IpRule: aws.String(cidr), RuleDesc: aws.String(desc)}
}

func createGroup(t *testing.T, c *workspaces.Client, name string, rules ...types.IpRuleItem) string {
	t.Helper()
	out, err := c.CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String(name), UserRules: rules})
	if err != nil {
		t.Fatalf("CreateIpGroup %s: %v", name, err)
	}
	if !strings.HasPrefix(aws.ToString(out.GroupId), "wsipg-") || len(*out.GroupId) != 15 {
		t.Fatalf("group id %q is not wsipg- + 9 characters", aws.ToString(out.GroupId))
	}
	return *out.GroupId
}

func describeGroup(t *testing.T, c *workspaces.Client, id string) *types.WorkspacesIpGroup {
	t.Helper()
	out := must[*workspaces.DescribeIpGroupsOutput](t)(c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{GroupIds: []string{id}}))
	switch len(out.Result) {
	case 0:
		return nil
	case 1:
		return &out.Result[0]
	}
	t.Fatalf("DescribeIpGroups(%s) returned %d groups", id, len(out.Result))
	return nil
}

func TestIPGroupLifecycle(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)

	out, err := c.CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{
		GroupName: aws.String("office"), GroupDesc: aws.String(""),
		UserRules: []types.IpRuleItem{rule("203.0.113.0/24", "hq"), rule("198.51.100.7", "")},
		Tags:      []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.GroupId
	g := describeGroup(t, c, id)
	if g == nil || aws.ToString(g.GroupName) != "office" || g.GroupDesc == nil || *g.GroupDesc != "" || len(g.UserRules) != 2 ||
		aws.ToString(g.UserRules[1].IpRule) != "198.51.100.7" {
		t.Fatalf("described group = %+v", g)
	}

	_, err = c.CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String("office")})
	wantCode(t, err, "ResourceAlreadyExistsException")

	// Rules: 2 + 9 = 11 > 10.
	var nine []types.IpRuleItem
	for i := range 9 {
		nine = append(nine, rule(fmt.Sprintf("10.%d.0.0/16", i), ""))
	}
	_, err = c.AuthorizeIpRules(ctx, &workspaces.AuthorizeIpRulesInput{GroupId: &id, UserRules: nine})
	wantCode(t, err, "ResourceLimitExceededException")
	must[*workspaces.AuthorizeIpRulesOutput](t)(c.AuthorizeIpRules(ctx, &workspaces.AuthorizeIpRulesInput{GroupId: &id, UserRules: nine[:8]}))
	if n := len(describeGroup(t, c, id).UserRules); n != 10 {
		t.Fatalf("rules after authorize = %d, want 10", n)
	}
	_, err = c.AuthorizeIpRules(ctx, &workspaces.AuthorizeIpRulesInput{GroupId: &id, UserRules: []types.IpRuleItem{rule("10.99.0.0/16", "")}})
	wantCode(t, err, "ResourceLimitExceededException")

	must[*workspaces.RevokeIpRulesOutput](t)(c.RevokeIpRules(ctx, &workspaces.RevokeIpRulesInput{GroupId: &id, UserRules: []string{"10.0.0.0/16", "10.1.0.0/16", "192.0.2.0/24"}}))
	if n := len(describeGroup(t, c, id).UserRules); n != 8 {
		t.Fatalf("rules after revoke = %d, want 8", n)
	}
	_, err = c.AuthorizeIpRules(ctx, &workspaces.AuthorizeIpRulesInput{GroupId: &id, UserRules: []types.IpRuleItem{rule("203.0.113.0/24", "dup")}})
	wantCode(t, err, "InvalidParameterValuesException")

	must[*workspaces.UpdateRulesOfIpGroupOutput](t)(c.UpdateRulesOfIpGroup(ctx, &workspaces.UpdateRulesOfIpGroupInput{GroupId: &id, UserRules: []types.IpRuleItem{rule("0.0.0.0/0", "all")}}))
	g = describeGroup(t, c, id)
	if len(g.UserRules) != 1 || *g.UserRules[0].IpRule != "0.0.0.0/0" {
		t.Fatalf("rules after update = %+v", g.UserRules)
	}
	must[*workspaces.UpdateRulesOfIpGroupOutput](t)(c.UpdateRulesOfIpGroup(ctx, &workspaces.UpdateRulesOfIpGroupInput{GroupId: &id, UserRules: []types.IpRuleItem{}}))
	if g = describeGroup(t, c, id); len(g.UserRules) != 0 {
		t.Fatalf("rules after clearing = %+v", g.UserRules)
	}

	must[*workspaces.DeleteIpGroupOutput](t)(c.DeleteIpGroup(ctx, &workspaces.DeleteIpGroupInput{GroupId: &id}))
	if describeGroup(t, c, id) != nil {
		t.Fatal("deleted group still described")
	}
	_, err = c.DeleteIpGroup(ctx, &workspaces.DeleteIpGroupInput{GroupId: &id})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: &id})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestIPGroupErrors(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	cases := []struct {
		name string
		in   workspaces.CreateIpGroupInput
		code string
	}{
		{"empty name", workspaces.CreateIpGroupInput{GroupName: aws.String("")}, "InvalidParameterValuesException"},
		{"long name", workspaces.CreateIpGroupInput{GroupName: aws.String(strings.Repeat("n", 256))}, "InvalidParameterValuesException"},
		{"bad cidr", workspaces.CreateIpGroupInput{GroupName: aws.String("a"), UserRules: []types.IpRuleItem{rule("10.0.0.0/33", "")}}, "InvalidParameterValuesException"},
		{"not an address", workspaces.CreateIpGroupInput{GroupName: aws.String("a"), UserRules: []types.IpRuleItem{rule("office", "")}}, "InvalidParameterValuesException"},
		{"ipv6", workspaces.CreateIpGroupInput{GroupName: aws.String("a"), UserRules: []types.IpRuleItem{rule("2001:db8::/32", "")}}, "InvalidParameterValuesException"},
		{"missing ipRule", workspaces.CreateIpGroupInput{GroupName: aws.String("a"), UserRules: []types.IpRuleItem{{RuleDesc: aws.String("x")}}}, "InvalidParameterValuesException"},
		{"duplicate rules", workspaces.CreateIpGroupInput{GroupName: aws.String("a"), UserRules: []types.IpRuleItem{rule("10.0.0.0/8", ""), rule("10.0.0.0/8", "")}}, "InvalidParameterValuesException"},
		{"eleven rules", workspaces.CreateIpGroupInput{GroupName: aws.String("a"), UserRules: func() (r []types.IpRuleItem) {
			for i := range 11 {
				r = append(r, rule(fmt.Sprintf("10.%d.0.0/16", i), ""))
			}
			return
		}()}, "ResourceLimitExceededException"},
		{"reserved tag", workspaces.CreateIpGroupInput{GroupName: aws.String("a"), Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("v")}}}, "InvalidParameterValuesException"},
		{"tag key too long (model)", workspaces.CreateIpGroupInput{GroupName: aws.String("a"), Tags: []types.Tag{{Key: aws.String(strings.Repeat("k", 128))}}}, "ValidationException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateIpGroup(ctx, &tc.in)
			wantCode(t, err, tc.code)
		})
	}
	// Nothing above was created.
	if out := must[*workspaces.DescribeIpGroupsOutput](t)(c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{})); len(out.Result) != 0 {
		t.Fatalf("failed creates left %d groups", len(out.Result))
	}
	for _, id := range []string{"wsipg-000000000", "xxwsipg-12345678"} { // the second passes the unanchored pattern
		_, err := c.DeleteIpGroup(ctx, &workspaces.DeleteIpGroupInput{GroupId: aws.String(id)})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = c.AuthorizeIpRules(ctx, &workspaces.AuthorizeIpRulesInput{GroupId: aws.String(id), UserRules: []types.IpRuleItem{rule("10.0.0.0/8", "")}})
		wantCode(t, err, "ResourceNotFoundException")
	}
	_, err := c.DeleteIpGroup(ctx, &workspaces.DeleteIpGroupInput{GroupId: aws.String("wsipg-12")})
	wantCode(t, err, "ValidationException")
	_, err = c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{MaxResults: aws.Int32(26)})
	wantCode(t, err, "ValidationException")
	_, err = c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{NextToken: aws.String("garbage")})
	wantCode(t, err, "InvalidParameterValuesException")
}

func TestIPGroupQuotaAndPagination(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	// Racing creates for the 100 slots: exactly 100 win.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, limited := 0, 0
	for i := range 110 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String(fmt.Sprintf("g%03d", i))})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				won++
			} else {
				limited++
				wantCode(t, err, "ResourceLimitExceededException")
			}
		}()
	}
	wg.Wait()
	if won != 100 || limited != 10 {
		t.Fatalf("created %d, limited %d; want 100 and 10", won, limited)
	}
	seen := map[string]bool{}
	pages := 0
	var token *string
	for {
		out, err := c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{MaxResults: aws.Int32(7), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.Result) > 7 {
			t.Fatalf("page of %d > 7", len(out.Result))
		}
		for _, g := range out.Result {
			if seen[*g.GroupId] {
				t.Fatalf("group %s repeated", *g.GroupId)
			}
			seen[*g.GroupId] = true
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if len(seen) != 100 || pages != 15 {
		t.Fatalf("paged %d groups in %d pages; want 100 in 15", len(seen), pages)
	}
	// A token replayed with another filter is refused.
	first := must[*workspaces.DescribeIpGroupsOutput](t)(c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{MaxResults: aws.Int32(5)}))
	_, err := c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{NextToken: first.NextToken, GroupIds: []string{"wsipg-000000000"}})
	wantCode(t, err, "InvalidParameterValuesException")
	// Tokens expire after a day.
	env.Advance(25 * time.Hour)
	_, err = c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{NextToken: first.NextToken, MaxResults: aws.Int32(5)})
	wantCode(t, err, "InvalidParameterValuesException")
}

func TestIsolationBetweenAccountsAndRegions(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	b := env.WorkSpaces(testenv.AccountB, testenv.Region)
	aWest := env.WorkSpaces(testenv.AccountA, "us-west-2")
	id := createGroup(t, a, "shared-name")
	for name, c := range map[string]*workspaces.Client{"other account": b, "other region": aWest} {
		t.Run(name, func(t *testing.T) {
			if describeGroup(t, c, id) != nil {
				t.Fatal("group visible")
			}
			_, err := c.DeleteIpGroup(ctx, &workspaces.DeleteIpGroupInput{GroupId: &id})
			wantCode(t, err, "ResourceNotFoundException")
			_, err = c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: &id, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			wantCode(t, err, "ResourceNotFoundException")
			createGroup(t, c, "shared-name") // names are per account and region
		})
	}
	if describeGroup(t, a, id) == nil {
		t.Fatal("owner lost its group")
	}
}
