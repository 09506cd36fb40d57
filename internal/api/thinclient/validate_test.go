package thinclient_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/api/thinclient"
)

const (
	desktopArn       = "arn:aws:workspaces:us-east-1:111111111111:directory/d-1234abcd"
	tagKeyPattern    = "Member must satisfy regular expression pattern: [A-Za-z0-9 _=@:.+-/]+"
	softwareSetIDPat = "Member must satisfy regular expression pattern: [0-9]{1,9}"
)

func validate(in api.Input) []api.Violation {
	var v api.Violations
	in.Validate(&v)
	return v.List
}

func env(mod func(*thinclient.CreateEnvironmentInput)) *thinclient.CreateEnvironmentInput {
	in := &thinclient.CreateEnvironmentInput{DesktopArn: api.String(desktopArn)}
	mod(in)
	return in
}

func manyTags(n int) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m[fmt.Sprintf("k%02d", i)] = "v"
	}
	return m
}

func TestValidateInputs(t *testing.T) {
	name64 := strings.Repeat("n", 64)
	name65 := strings.Repeat("n", 65)
	tests := []struct {
		name string
		in   api.Input
		want []api.Violation
	}{
		{
			name: "minimal create environment",
			in:   env(func(*thinclient.CreateEnvironmentInput) {}),
		},
		{
			name: "desktop arn required",
			in:   &thinclient.CreateEnvironmentInput{},
			want: []api.Violation{{Path: "desktopArn", Value: "null", Constraint: "Member must not be null"}},
		},
		{
			name: "desktop arn too short",
			in:   &thinclient.CreateEnvironmentInput{DesktopArn: api.String("arn:a:b::1:c")},
			want: []api.Violation{{Path: "desktopArn", Value: "'arn:a:b::1:c'", Constraint: "Member must have length greater than or equal to 20"}},
		},

		// DeviceCreationTagKey: (?!aws:) enforced by NotPrefix, then the pattern.
		{
			name: "device creation tag key aws: prefix rejected",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.DeviceCreationTags = map[string]string{"aws:x": "v"} }),
			want: []api.Violation{{Path: "deviceCreationTags.aws:x", Value: "'aws:x'", Constraint: "Member must not begin with 'aws:'"}},
		},
		{
			name: "device creation tag key plain passes",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.DeviceCreationTags = map[string]string{"x": "v"} }),
		},
		{
			name: "device creation tag key with aws: inside passes",
			in: env(func(in *thinclient.CreateEnvironmentInput) {
				in.DeviceCreationTags = map[string]string{"my-aws:x": "v"}
			}),
		},
		{
			name: "device creation tag key empty",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.DeviceCreationTags = map[string]string{"": "v"} }),
			want: []api.Violation{
				{Path: "deviceCreationTags.", Value: "''", Constraint: "Member must have length greater than or equal to 1"},
				{Path: "deviceCreationTags.", Value: "''", Constraint: tagKeyPattern},
			},
		},
		{
			name: "device creation tag key without any allowed character",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.DeviceCreationTags = map[string]string{"!!": "v"} }),
			want: []api.Violation{{Path: "deviceCreationTags.!!", Value: "'!!'", Constraint: tagKeyPattern}},
		},
		{
			name: "device creation tag key with one allowed character passes (search semantics)",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.DeviceCreationTags = map[string]string{"!a!": "v"} }),
		},
		{
			name: "device creation tag key 129 characters",
			in: env(func(in *thinclient.CreateEnvironmentInput) {
				in.DeviceCreationTags = map[string]string{strings.Repeat("k", 129): "v"}
			}),
			want: []api.Violation{{Path: "deviceCreationTags." + strings.Repeat("k", 129), Value: "'" + strings.Repeat("k", 129) + "'", Constraint: "Member must have length less than or equal to 128"}},
		},
		{
			name: "device creation tag value too long, reported at the key's path",
			in: env(func(in *thinclient.CreateEnvironmentInput) {
				in.DeviceCreationTags = map[string]string{"k": strings.Repeat("v", 257)}
			}),
			want: []api.Violation{{Path: "deviceCreationTags.k", Value: "'" + strings.Repeat("v", 256) + "...'", Constraint: "Member must have length less than or equal to 256"}},
		},
		{
			name: "device creation tag value empty fails the + pattern despite min 0",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.DeviceCreationTags = map[string]string{"k": ""} }),
			want: []api.Violation{{Path: "deviceCreationTags.k", Value: "''", Constraint: tagKeyPattern}},
		},
		{
			name: "device creation tag violations in key order",
			in: env(func(in *thinclient.CreateEnvironmentInput) {
				in.DeviceCreationTags = map[string]string{"aws:b": "v", "aws:a": "v", "ok": "v"}
			}),
			want: []api.Violation{
				{Path: "deviceCreationTags.aws:a", Value: "'aws:a'", Constraint: "Member must not begin with 'aws:'"},
				{Path: "deviceCreationTags.aws:b", Value: "'aws:b'", Constraint: "Member must not begin with 'aws:'"},
			},
		},
		{
			name: "device creation tags 50 entries",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.DeviceCreationTags = manyTags(50) }),
		},
		{
			name: "device creation tags 51 entries",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.DeviceCreationTags = manyTags(51) }),
			want: []api.Violation{{Path: "deviceCreationTags", Value: "'<51 items>'", Constraint: "Member must have length less than or equal to 50"}},
		},
		{
			name: "resource tags are unconstrained",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.Tags = map[string]string{"aws:x": ""} }),
		},

		// EnvironmentName: pattern `$|^...` matches every string; only length counts.
		{
			name: "environment name 64 characters",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.Name = &name64 }),
		},
		{
			name: "environment name with characters outside the class passes",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.Name = api.String("=#!\x00{}") }),
		},
		{
			name: "environment name empty",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.Name = api.String("") }),
		},
		{
			name: "environment name 65 characters",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.Name = &name65 }),
			want: []api.Violation{{Path: "name", Value: "'" + name65 + "'", Constraint: "Member must have length less than or equal to 64"}},
		},

		// Nested structure.
		{
			name: "maintenance window type required and ranges",
			in: env(func(in *thinclient.CreateEnvironmentInput) {
				in.MaintenanceWindow = &thinclient.MaintenanceWindow{StartTimeHour: api.Int32(24), EndTimeMinute: api.Int32(-1), DaysOfTheWeek: []thinclient.DayOfWeek{"MONDAY", "FUNDAY"}}
			}),
			want: []api.Violation{
				{Path: "maintenanceWindow.daysOfTheWeek.2", Value: "'FUNDAY'", Constraint: "Member must satisfy enum value set: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY]"},
				{Path: "maintenanceWindow.endTimeMinute", Value: "'-1'", Constraint: "Member must have value greater than or equal to 0"},
				{Path: "maintenanceWindow.startTimeHour", Value: "'24'", Constraint: "Member must have value less than or equal to 23"},
				{Path: "maintenanceWindow.type", Value: "null", Constraint: "Member must not be null"},
			},
		},
		{
			name: "enum violation on create",
			in:   env(func(in *thinclient.CreateEnvironmentInput) { in.SoftwareSetUpdateMode = "SOMETIMES" }),
			want: []api.Violation{{Path: "softwareSetUpdateMode", Value: "'SOMETIMES'", Constraint: "Member must satisfy enum value set: [USE_LATEST, USE_DESIRED]"}},
		},

		// maxResults: 1..50.
		{
			name: "list software sets max results 51",
			in:   &thinclient.ListSoftwareSetsInput{MaxResults: api.Int32(51)},
			want: []api.Violation{{Path: "maxResults", Value: "'51'", Constraint: "Member must have value less than or equal to 50"}},
		},
		{
			name: "list software sets max results 0",
			in:   &thinclient.ListSoftwareSetsInput{MaxResults: api.Int32(0)},
			want: []api.Violation{{Path: "maxResults", Value: "'0'", Constraint: "Member must have value greater than or equal to 1"}},
		},
		{
			name: "list software sets max results 50",
			in:   &thinclient.ListSoftwareSetsInput{MaxResults: api.Int32(50)},
		},
		{
			name: "list software sets empty next token passes",
			in:   &thinclient.ListSoftwareSetsInput{NextToken: api.String("")},
		},

		// Labels.
		{
			name: "software set id",
			in:   &thinclient.GetSoftwareSetInput{Id: api.String("1004")},
		},
		{
			name: "software set id with a digit somewhere passes (search semantics)",
			in:   &thinclient.GetSoftwareSetInput{Id: api.String("abc1")},
		},
		{
			name: "software set id without digits",
			in:   &thinclient.GetSoftwareSetInput{Id: api.String("abc")},
			want: []api.Violation{{Path: "id", Value: "'abc'", Constraint: softwareSetIDPat}},
		},
		{
			name: "software set id required",
			in:   &thinclient.GetSoftwareSetInput{},
			want: []api.Violation{{Path: "id", Value: "null", Constraint: "Member must not be null"}},
		},
		{
			name: "device id too short",
			in:   &thinclient.DeleteDeviceInput{Id: api.String("abc"), ClientToken: api.String("")},
			want: []api.Violation{
				{Path: "clientToken", Value: "''", Constraint: "Member must have length greater than or equal to 1"},
				{Path: "id", Value: "'abc'", Constraint: "Member must satisfy regular expression pattern: [a-zA-Z0-9]{24}"},
			},
		},
		{
			name: "update software set requires validation status",
			in:   &thinclient.UpdateSoftwareSetInput{Id: api.String("1")},
			want: []api.Violation{{Path: "validationStatus", Value: "null", Constraint: "Member must not be null"}},
		},
		{
			name: "update software set enum",
			in:   &thinclient.UpdateSoftwareSetInput{Id: api.String("1"), ValidationStatus: "MAYBE"},
			want: []api.Violation{{Path: "validationStatus", Value: "'MAYBE'", Constraint: "Member must satisfy enum value set: [VALIDATED, NOT_VALIDATED]"}},
		},
		{
			name: "untag requires arn and keys",
			in:   &thinclient.UntagResourceInput{},
			want: []api.Violation{
				{Path: "resourceArn", Value: "null", Constraint: "Member must not be null"},
				{Path: "tagKeys", Value: "null", Constraint: "Member must not be null"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := validate(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("violations:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestValidateMessageAwsPrefix(t *testing.T) {
	var v api.Violations
	env(func(in *thinclient.CreateEnvironmentInput) { in.DeviceCreationTags = map[string]string{"aws:x": "v"} }).Validate(&v)
	err := v.Err()
	want := "ValidationException: 1 validation error detected: Value 'aws:x' at 'deviceCreationTags.aws:x' failed to satisfy constraint: Member must not begin with 'aws:'"
	if err == nil || err.Error() != want {
		t.Fatalf("Err() = %v\nwant %s", err, want)
	}
}
