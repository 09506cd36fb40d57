package integration

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	wstc "github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// thinEscapeAll percent-encodes ':' and '/' as botocore and the JS SDK do.
var thinEscapeAll = strings.NewReplacer(":", "%3A", "/", "%2F")

func thinTag(t *testing.T, c *wstc.WorkSpacesThinClient, arn string, tags map[string]string) {
	t.Helper()
	if _, err := c.TagResource(&wstc.TagResourceInput{ResourceArn: aws.String(arn), Tags: thinStrMap(tags)}); err != nil {
		t.Fatalf("TagResource %s %v: %v", arn, tags, err)
	}
}

func thinUntag(t *testing.T, c *wstc.WorkSpacesThinClient, arn string, keys ...string) {
	t.Helper()
	if _, err := c.UntagResource(&wstc.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: aws.StringSlice(keys)}); err != nil {
		t.Fatalf("UntagResource %s %v: %v", arn, keys, err)
	}
}

func thinSameTags(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: tags %v, want %v", what, got, want)
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Fatalf("%s: tags %v, want %v", what, got, want)
		}
	}
}

// TestThinClientTagsOnEveryResourceType tags an environment, a device and a
// software set through the SDK (which escapes ':' and '/' in the ARN label)
// and by hand.
func TestThinClientTagsOnEveryResourceType(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{})
	d := thinRegister(t, env, aws.StringValue(e.ActivationCode), nil)
	ss, err := a.GetSoftwareSet(&wstc.GetSoftwareSetInput{Id: aws.String("1003")})
	if err != nil {
		t.Fatal(err)
	}
	arns := map[string]string{
		"environment": aws.StringValue(e.Arn),
		"device":      d.Arn,
		"softwareset": aws.StringValue(ss.SoftwareSet.Arn),
	}
	if arns["softwareset"] != "arn:aws:thinclient:us-east-1:111111111111:softwareset/1003" {
		t.Fatalf("software set ARN %s", arns["softwareset"])
	}
	for kind, arn := range arns {
		t.Run(kind, func(t *testing.T) {
			// None yet: {} (and on the wire the tags member is present).
			thinSameTags(t, "new resource", thinTags(t, a, arn), map[string]string{})
			status, body := thinHTTP(t, env, testenv.AccountA, "GET", "/tags/"+thinEscapeAll.Replace(arn), "")
			if tags, ok := body["tags"].(map[string]any); status != 200 || !ok || len(tags) != 0 {
				t.Fatalf("raw ListTagsForResource: %d %v", status, body)
			}
			// Keys and values that need escaping in the path, the body and the query.
			thinTag(t, a, arn, map[string]string{"team": "it", "b c": "x y", "path/key": "v=1&2", "ünï": "çødé", "empty": ""})
			thinTag(t, a, arn, map[string]string{"team": "ops"}) // overwrite
			thinTag(t, a, arn, map[string]string{})              // no-op
			thinSameTags(t, "after tagging", thinTags(t, a, arn), map[string]string{"team": "ops", "b c": "x y", "path/key": "v=1&2", "ünï": "çødé", "empty": ""})
			thinUntag(t, a, arn, "b c", "path/key", "absent")
			thinSameTags(t, "after untagging", thinTags(t, a, arn), map[string]string{"team": "ops", "ünï": "çødé", "empty": ""})
			// By hand: fully escaped and '/'-only escaped labels, tagKeys in the query.
			for _, label := range []string{thinEscapeAll.Replace(arn), url.PathEscape(arn)} {
				status, body := thinHTTP(t, env, testenv.AccountA, "POST", "/tags/"+label, `{"tags":{"raw":"1"}}`)
				if status != 200 || body != nil {
					t.Fatalf("raw TagResource %s: %d %v", label, status, body)
				}
				status, body = thinHTTP(t, env, testenv.AccountA, "GET", "/tags/"+label, "")
				if tags, _ := body["tags"].(map[string]any); status != 200 || tags["raw"] != "1" || tags["team"] != "ops" {
					t.Fatalf("raw ListTagsForResource %s: %d %v", label, status, body)
				}
				status, body = thinHTTP(t, env, testenv.AccountA, "DELETE", "/tags/"+label+"?tagKeys=raw&tagKeys=%C3%BCn%C3%AF", "")
				if status != 200 || body != nil {
					t.Fatalf("raw UntagResource %s: %d %v", label, status, body)
				}
				thinSameTags(t, "after raw untag", thinTags(t, a, arn), map[string]string{"team": "ops", "empty": ""})
				thinTag(t, a, arn, map[string]string{"ünï": "çødé"})
			}
			thinUntag(t, a, arn, "team", "ünï", "empty")
			status, body = thinHTTP(t, env, testenv.AccountA, "GET", "/tags/"+thinEscapeAll.Replace(arn), "")
			if tags, ok := body["tags"].(map[string]any); status != 200 || !ok || len(tags) != 0 {
				t.Fatalf("ListTagsForResource after removing every tag: %d %v", status, body)
			}
		})
	}
	// Tags never appear in Get outputs.
	thinTag(t, a, arns["environment"], map[string]string{"k": "v"})
	thinTag(t, a, arns["device"], map[string]string{"k": "v"})
	if g := thinGetEnv(t, a, *e.Id); g.Tags != nil {
		t.Fatalf("GetEnvironment carries tags %v", g.Tags)
	}
	if g := thinGetDevice(t, a, d.ID); g.Tags != nil {
		t.Fatalf("GetDevice carries tags %v", g.Tags)
	}
}

func TestThinClientTagLimits(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{})
	arn := aws.StringValue(e.Arn)
	many := func(prefix string, n int) map[string]string {
		m := map[string]string{}
		for i := range n {
			m[fmt.Sprintf("%s%02d", prefix, i)] = "v"
		}
		return m
	}
	tagErr := func(tags map[string]string) error {
		_, err := a.TagResource(&wstc.TagResourceInput{ResourceArn: aws.String(arn), Tags: thinStrMap(tags)})
		return err
	}
	thinVE(t, tagErr(map[string]string{"aws:owner": "x"}), "fieldValidationFailed", "tags.aws:owner")
	thinVE(t, tagErr(map[string]string{"ok": "1", "aws:cloudformation:stack": "x"}), "fieldValidationFailed", "")
	thinVE(t, tagErr(many("k", 51)), "fieldValidationFailed", "")
	thinVE(t, tagErr(map[string]string{strings.Repeat("k", 129): "v"}), "fieldValidationFailed", "")
	thinVE(t, tagErr(map[string]string{"k": strings.Repeat("v", 257)}), "fieldValidationFailed", "")
	thinVE(t, tagErr(map[string]string{"": "v"}), "fieldValidationFailed", "")
	thinSameTags(t, "after rejected calls", thinTags(t, a, arn), map[string]string{})
	// Boundaries are accepted.
	thinTag(t, a, arn, map[string]string{strings.Repeat("k", 128): strings.Repeat("v", 256), "awsome": "not reserved"})
	thinTag(t, a, arn, many("k", 48)) // 50 in total
	if n := len(thinTags(t, a, arn)); n != 50 {
		t.Fatalf("%d tags, want 50", n)
	}
	thinTag(t, a, arn, map[string]string{"k00": "overwritten"}) // still 50
	thinVE(t, tagErr(map[string]string{"k00": "again", "one-more": "v"}), "fieldValidationFailed", "")
	got := thinTags(t, a, arn)
	if len(got) != 50 || got["k00"] != "overwritten" {
		t.Fatalf("a rejected call changed the tags: %d, k00=%q", len(got), got["k00"])
	}
	// Removing one makes room for one.
	thinUntag(t, a, arn, "k47")
	thinTag(t, a, arn, map[string]string{"one-more": "v"})
	if n := len(thinTags(t, a, arn)); n != 50 {
		t.Fatalf("%d tags, want 50", n)
	}
	// UntagResource needs at least one key.
	_, err := a.UntagResource(&wstc.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []*string{}})
	thinVE(t, err, "fieldValidationFailed", "tagKeys")

	// The same rules at CreateEnvironment and UpdateEnvironment.
	for _, tc := range []struct {
		name  string
		in    *wstc.CreateEnvironmentInput
		field string
	}{
		{"tags aws:", &wstc.CreateEnvironmentInput{Tags: thinStrMap(map[string]string{"aws:x": "1"})}, "tags.aws:x"},
		{"51 tags", &wstc.CreateEnvironmentInput{Tags: thinStrMap(many("t", 51))}, ""},
		{"deviceCreationTags aws:", &wstc.CreateEnvironmentInput{DeviceCreationTags: thinStrMap(map[string]string{"aws:x": "1"})}, ""},
		{"51 deviceCreationTags", &wstc.CreateEnvironmentInput{DeviceCreationTags: thinStrMap(many("t", 51))}, "deviceCreationTags"},
		{"empty deviceCreationTags value", &wstc.CreateEnvironmentInput{DeviceCreationTags: thinStrMap(map[string]string{"k": ""})}, ""},
		{"long deviceCreationTags key", &wstc.CreateEnvironmentInput{DeviceCreationTags: thinStrMap(map[string]string{strings.Repeat("k", 129): "v"})}, ""},
	} {
		t.Run("create "+tc.name, func(t *testing.T) {
			tc.in.DesktopArn = aws.String(thinDesk)
			_, err := a.CreateEnvironment(tc.in)
			thinVE(t, err, "fieldValidationFailed", tc.field)
		})
	}
	if l, _ := a.ListEnvironments(&wstc.ListEnvironmentsInput{}); len(l.Environments) != 1 {
		t.Fatalf("rejected creates left %d environments", len(l.Environments))
	}
	_, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: e.Id, DeviceCreationTags: thinStrMap(map[string]string{"aws:x": "1"})})
	thinVE(t, err, "fieldValidationFailed", "")
	_, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: e.Id, DeviceCreationTags: thinStrMap(many("t", 51))})
	thinVE(t, err, "fieldValidationFailed", "deviceCreationTags")
	// Environment tags may have empty values and exactly 50 entries.
	ok := thinCreate(t, a, &wstc.CreateEnvironmentInput{Tags: thinStrMap(many("t", 50)), DeviceCreationTags: thinStrMap(many("d", 50))})
	if n := len(thinTags(t, a, aws.StringValue(ok.Arn))); n != 50 {
		t.Fatalf("created with %d tags", n)
	}
	dev := thinRegister(t, env, aws.StringValue(ok.ActivationCode), nil)
	if n := len(thinTags(t, a, dev.Arn)); n != 50 {
		t.Fatalf("device got %d tags", n)
	}
}

func TestThinClientTagARNResolution(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	b := env.ThinClient(testenv.AccountB, testenv.Region)
	west := env.ThinClient(testenv.AccountA, "us-west-2")
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{Tags: thinStrMap(map[string]string{"owner": "a"})})
	envArn := aws.StringValue(e.Arn)
	d := thinRegister(t, env, aws.StringValue(e.ActivationCode), nil)
	ssArn := "arn:aws:thinclient:us-east-1:111111111111:softwareset/1004"

	type op struct {
		name string
		call func(c *wstc.WorkSpacesThinClient, arn string) error
	}
	ops := []op{
		{"TagResource", func(c *wstc.WorkSpacesThinClient, arn string) error {
			_, err := c.TagResource(&wstc.TagResourceInput{ResourceArn: aws.String(arn), Tags: thinStrMap(map[string]string{"x": "y"})})
			return err
		}},
		{"UntagResource", func(c *wstc.WorkSpacesThinClient, arn string) error {
			_, err := c.UntagResource(&wstc.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: aws.StringSlice([]string{"owner"})})
			return err
		}},
		{"ListTagsForResource", func(c *wstc.WorkSpacesThinClient, arn string) error {
			_, err := c.ListTagsForResource(&wstc.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
			return err
		}},
	}
	for _, o := range ops {
		t.Run(o.name, func(t *testing.T) {
			// Malformed or not a Thin Client resource → VE on resourceArn.
			for _, bad := range []string{
				"not-an-arn",
				"arn:aws:s3:::not-a-desktop-bucket",
				thinDesk,
				"arn:aws:thinclient:us-east-1:111111111111:workspace/abc",
				"arn:aws:thinclient:us-east-1:111111111111:environment",
				"arn:aws:thinclient:us-east-1",
			} {
				thinVE(t, o.call(a, bad), "fieldValidationFailed", "resourceArn")
			}
			// Well-formed but missing or foreign → RNF naming the ARN.
			for _, c := range []struct {
				arn, typ string
			}{
				{"arn:aws:thinclient:us-east-1:111111111111:environment/zzzzzzzzz", "environment"},
				{"arn:aws:thinclient:us-east-1:111111111111:device/AAAAAAAAAAAAAAAAAAAAAAAA", "device"},
				{"arn:aws:thinclient:us-east-1:111111111111:softwareset/999999999", "softwareset"},
				{"arn:aws:thinclient:us-east-1:222222222222:environment/" + aws.StringValue(e.Id), "environment"},
				{"arn:aws:thinclient:eu-west-1:111111111111:environment/" + aws.StringValue(e.Id), "environment"},
				{"arn:aws:thinclient:us-east-1:222222222222:softwareset/1004", "softwareset"},
			} {
				thinRNF(t, o.call(a, c.arn), c.arn, c.typ)
			}
			// A's ARNs are foreign to B and to A in another region.
			for _, c := range []*wstc.WorkSpacesThinClient{b, west} {
				thinRNF(t, o.call(c, envArn), envArn, "environment")
				thinRNF(t, o.call(c, d.Arn), d.Arn, "device")
				thinRNF(t, o.call(c, ssArn), ssArn, "softwareset")
			}
		})
	}
	// An ARN ending in '/' (the v1 SDK's path cleaning appends a second '/', so by hand).
	status, body := thinHTTP(t, env, testenv.AccountA, "GET", "/tags/"+thinEscapeAll.Replace("arn:aws:thinclient:us-east-1:111111111111:environment/"), "")
	if status != 400 || body["reason"] != "fieldValidationFailed" {
		t.Fatalf("ARN without an id: %d %v", status, body)
	}
	// No foreign call changed A's tags.
	thinSameTags(t, "A's environment", thinTags(t, a, envArn), map[string]string{"owner": "a"})

	// Software set tags and validation marks are per account.
	thinTag(t, a, ssArn, map[string]string{"qa": "passed"})
	bss := "arn:aws:thinclient:us-east-1:222222222222:softwareset/1004"
	thinSameTags(t, "B's software set", thinTags(t, b, bss), map[string]string{})
	thinSameTags(t, "A's software set", thinTags(t, a, ssArn), map[string]string{"qa": "passed"})

	// Deleted resources are gone for the tagging operations.
	thinDeregister(t, a, d.ID, "")
	env.Advance(2 * time.Second)
	if _, err := a.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(d.ID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: e.Id}); err != nil {
		t.Fatal(err)
	}
	for _, o := range ops {
		thinRNF(t, o.call(a, envArn), envArn, "environment")
		thinRNF(t, o.call(a, d.Arn), d.Arn, "device")
	}
	// A new environment starts without the old one's tags.
	n := thinCreate(t, a, &wstc.CreateEnvironmentInput{})
	thinSameTags(t, "new environment", thinTags(t, a, aws.StringValue(n.Arn)), map[string]string{})
}

// TestThinClientSoftwareSetOperations covers GetSoftwareSet, ListSoftwareSets
// and UpdateSoftwareSet as they interact with environments and tags.
func TestThinClientSoftwareSetOperations(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	west := env.ThinClient(testenv.AccountA, "us-west-2")

	l, err := a.ListSoftwareSets(&wstc.ListSoftwareSetsInput{})
	if err != nil || len(l.SoftwareSets) != 4 || l.NextToken != nil {
		t.Fatalf("ListSoftwareSets %v %v", err, l)
	}
	for _, s := range l.SoftwareSets {
		id := aws.StringValue(s.Id)
		if aws.StringValue(s.Arn) != "arn:aws:thinclient:us-east-1:111111111111:softwareset/"+id {
			t.Fatalf("ARN %s", aws.StringValue(s.Arn))
		}
		expired := s.SupportedUntil != nil && s.SupportedUntil.Before(thinT0)
		if expired != (id == "1001" || id == "1002") {
			t.Fatalf("set %s supportedUntil %v", id, s.SupportedUntil)
		}
		// Every listed ARN is taggable.
		thinTag(t, a, aws.StringValue(s.Arn), map[string]string{"listed": id})
	}
	// Validation marks are informational: USE_LATEST still picks 1004.
	if _, err := a.UpdateSoftwareSet(&wstc.UpdateSoftwareSetInput{Id: aws.String("1003"), ValidationStatus: aws.String("VALIDATED")}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.UpdateSoftwareSet(&wstc.UpdateSoftwareSetInput{Id: aws.String("1003"), ValidationStatus: aws.String("VALIDATED")}); err != nil {
		t.Fatalf("same mark again: %v", err)
	}
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{})
	if d := thinRegister(t, env, aws.StringValue(e.ActivationCode), nil); d.CurrentSoftwareSetID != "1004" {
		t.Fatalf("USE_LATEST device arrives with %s", d.CurrentSoftwareSetID)
	}
	got, err := a.GetSoftwareSet(&wstc.GetSoftwareSetInput{Id: aws.String("1003")})
	if err != nil || aws.StringValue(got.SoftwareSet.ValidationStatus) != "VALIDATED" {
		t.Fatalf("mark: %v %v", err, got)
	}
	// Marks are per region as well as per account.
	if got, err := west.GetSoftwareSet(&wstc.GetSoftwareSetInput{Id: aws.String("1003")}); err != nil || aws.StringValue(got.SoftwareSet.ValidationStatus) != "NOT_VALIDATED" ||
		aws.StringValue(got.SoftwareSet.Arn) != "arn:aws:thinclient:us-west-2:111111111111:softwareset/1003" {
		t.Fatalf("us-west-2 view: %v %v", err, got)
	}
	// Errors.
	_, err = a.UpdateSoftwareSet(&wstc.UpdateSoftwareSetInput{Id: aws.String("999999999"), ValidationStatus: aws.String("VALIDATED")})
	thinRNF(t, err, "999999999", "softwareset")
	_, err = a.UpdateSoftwareSet(&wstc.UpdateSoftwareSetInput{Id: aws.String("abc"), ValidationStatus: aws.String("VALIDATED")})
	thinVE(t, err, "fieldValidationFailed", "id")
	_, err = a.UpdateSoftwareSet(&wstc.UpdateSoftwareSetInput{Id: aws.String("1003"), ValidationStatus: aws.String("PERHAPS")})
	thinVE(t, err, "fieldValidationFailed", "validationStatus")
	_, err = a.GetSoftwareSet(&wstc.GetSoftwareSetInput{Id: aws.String("999999999")})
	thinRNF(t, err, "999999999", "softwareset")
	_, err = a.ListSoftwareSets(&wstc.ListSoftwareSetsInput{MaxResults: aws.Int64(51)})
	thinVE(t, err, "fieldValidationFailed", "maxResults")
	status, body := thinHTTP(t, env, testenv.AccountA, "PATCH", "/softwaresets/1004", `{"validationStatus":"VALIDATED"}`)
	if status != 204 || body != nil {
		t.Fatalf("raw UpdateSoftwareSet %d %v", status, body)
	}
}
