package integration

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

func TestTags(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	id := createGroup(t, c, "tagged")
	tags := func() []types.Tag {
		return must[*workspaces.DescribeTagsOutput](t)(c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: &id})).TagList
	}
	if got := tags(); got == nil || len(got) != 0 {
		t.Fatalf("new group tags = %#v, want empty list", got)
	}
	must[*workspaces.CreateTagsOutput](t)(c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: &id, Tags: []types.Tag{tag("a", "1"), tag("b", "2")}}))
	must[*workspaces.CreateTagsOutput](t)(c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: &id, Tags: []types.Tag{tag("a", "3"), tag("c", "")}}))
	got := tags()
	if len(got) != 3 || *got[0].Key != "a" || *got[0].Value != "3" || *got[2].Key != "c" {
		t.Fatalf("tags after upsert = %+v", got)
	}
	for _, tc := range []struct {
		name string
		tags []types.Tag
		code string
	}{
		{"reserved prefix", []types.Tag{tag("aws:owner", "x")}, "InvalidParameterValuesException"},
		{"leading space", []types.Tag{tag(" k", "x")}, "InvalidParameterValuesException"},
		{"bad character", []types.Tag{tag("k#", "x")}, "InvalidParameterValuesException"},
		{"duplicate keys", []types.Tag{tag("d", "1"), tag("d", "2")}, "InvalidParameterValuesException"},
		{"value too long (model)", []types.Tag{tag("k", string(make([]byte, 256)))}, "ValidationException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: &id, Tags: tc.tags})
			wantCode(t, err, tc.code)
		})
	}
	var many []types.Tag
	for i := range 48 {
		many = append(many, tag(fmt.Sprintf("k%d", i), "v"))
	}
	_, err := c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: &id, Tags: many})
	wantCode(t, err, "ResourceLimitExceededException") // 3 + 48 = 51
	if n := len(tags()); n != 3 {
		t.Fatalf("failed CreateTags applied %d tags", n-3)
	}
	must[*workspaces.CreateTagsOutput](t)(c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: &id, Tags: many[:47]}))

	must[*workspaces.DeleteTagsOutput](t)(c.DeleteTags(ctx, &workspaces.DeleteTagsInput{ResourceId: &id, TagKeys: []string{"a", "absent"}}))
	if n := len(tags()); n != 49 {
		t.Fatalf("after delete: %d tags, want 49", n)
	}
	_, err = c.DeleteTags(ctx, &workspaces.DeleteTagsInput{ResourceId: &id, TagKeys: []string{"aws:x"}})
	wantCode(t, err, "InvalidParameterValuesException")
	for _, unknown := range []string{"wsipg-000000000", "d-0000000000", "ws-000000000", "wsb-bh8rsxt14"} {
		_, err = c.DescribeTags(ctx, &workspaces.DescribeTagsInput{ResourceId: aws.String(unknown)})
		wantCode(t, err, "ResourceNotFoundException")
		_, err = c.CreateTags(ctx, &workspaces.CreateTagsInput{ResourceId: aws.String(unknown), Tags: []types.Tag{tag("k", "v")}})
		wantCode(t, err, "ResourceNotFoundException")
	}
}
