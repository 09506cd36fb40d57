package api_test

import (
	"errors"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
)

func TestJoinAndIndex(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"join empty path", api.Join("", "GroupName"), "GroupName"},
		{"join nested", api.Join("Tags.1", "Key"), "Tags.1.Key"},
		{"index is one-based", api.Index("Tags", 0), "Tags.1"},
		{"index tenth", api.Index("UserRules", 9), "UserRules.10"},
		{"index then join", api.Join(api.Index("UserRules", 2), "ipRule"), "UserRules.3.ipRule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Fatalf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestViolationHelpers(t *testing.T) {
	pat := regexp.MustCompile(`wsipg-[0-9a-z]{8,63}$`)
	tests := []struct {
		name string
		run  func(v *api.Violations)
		want []api.Violation
	}{
		{
			name: "required",
			run:  func(v *api.Violations) { v.Required("GroupName") },
			want: []api.Violation{{Path: "GroupName", Value: "null", Constraint: "Member must not be null"}},
		},
		{
			name: "string too short",
			run:  func(v *api.Violations) { v.StringLen("Name", "", 1, 5) },
			want: []api.Violation{{Path: "Name", Value: "''", Constraint: "Member must have length greater than or equal to 1"}},
		},
		{
			name: "string too long",
			run:  func(v *api.Violations) { v.StringLen("Name", "abcdef", 1, 5) },
			want: []api.Violation{{Path: "Name", Value: "'abcdef'", Constraint: "Member must have length less than or equal to 5"}},
		},
		{
			name: "string length at bounds passes",
			run: func(v *api.Violations) {
				v.StringLen("Name", "a", 1, 5)
				v.StringLen("Name", "abcde", 1, 5)
			},
		},
		{
			name: "string length counts characters not bytes",
			run:  func(v *api.Violations) { v.StringLen("Name", "ééééé", 1, 5) },
		},
		{
			name: "string length negative bounds are unbounded",
			run:  func(v *api.Violations) { v.StringLen("Name", strings.Repeat("x", 10000), -1, -1) },
		},
		{
			name: "long value is truncated in the message",
			run:  func(v *api.Violations) { v.StringLen("Name", strings.Repeat("x", 300), -1, 5) },
			want: []api.Violation{{Path: "Name", Value: "'" + strings.Repeat("x", 256) + "...'", Constraint: "Member must have length less than or equal to 5"}},
		},
		{
			name: "blob too long",
			run:  func(v *api.Violations) { v.BlobLen("Logo", make([]byte, 11), 1, 10) },
			want: []api.Violation{{Path: "Logo", Value: "'<11 bytes>'", Constraint: "Member must have length less than or equal to 10"}},
		},
		{
			name: "blob too short",
			run:  func(v *api.Violations) { v.BlobLen("Logo", nil, 1, 10) },
			want: []api.Violation{{Path: "Logo", Value: "'<0 bytes>'", Constraint: "Member must have length greater than or equal to 1"}},
		},
		{
			name: "pattern search semantics: unanchored start matches",
			run:  func(v *api.Violations) { v.Pattern("GroupId", "xxwsipg-12345678", pat) },
		},
		{
			name: "pattern mismatch",
			run:  func(v *api.Violations) { v.Pattern("GroupId", "wsipg-1234", pat) },
			want: []api.Violation{{Path: "GroupId", Value: "'wsipg-1234'", Constraint: "Member must satisfy regular expression pattern: wsipg-[0-9a-z]{8,63}$"}},
		},
		{
			name: "not prefix violated",
			run:  func(v *api.Violations) { v.NotPrefix("tags.aws:x", "aws:x", "aws:") },
			want: []api.Violation{{Path: "tags.aws:x", Value: "'aws:x'", Constraint: "Member must not begin with 'aws:'"}},
		},
		{
			name: "not prefix elsewhere passes",
			run:  func(v *api.Violations) { v.NotPrefix("tags.x", "xaws:", "aws:") },
		},
		{
			name: "enum member passes",
			run:  func(v *api.Violations) { v.Enum("Tenancy", "SHARED", []string{"DEDICATED", "SHARED"}) },
		},
		{
			name: "enum is case sensitive",
			run:  func(v *api.Violations) { v.Enum("Tenancy", "shared", []string{"DEDICATED", "SHARED"}) },
			want: []api.Violation{{Path: "Tenancy", Value: "'shared'", Constraint: "Member must satisfy enum value set: [DEDICATED, SHARED]"}},
		},
		{
			name: "range below min",
			run:  func(v *api.Violations) { v.Range("MaxResults", 0, api.Float(1), api.Float(25)) },
			want: []api.Violation{{Path: "MaxResults", Value: "'0'", Constraint: "Member must have value greater than or equal to 1"}},
		},
		{
			name: "range above max",
			run:  func(v *api.Violations) { v.Range("MaxResults", 26, api.Float(1), api.Float(25)) },
			want: []api.Violation{{Path: "MaxResults", Value: "'26'", Constraint: "Member must have value less than or equal to 25"}},
		},
		{
			name: "range fractional bound",
			run:  func(v *api.Violations) { v.Range("Ratio", 0.25, api.Float(0.5), nil) },
			want: []api.Violation{{Path: "Ratio", Value: "'0.25'", Constraint: "Member must have value greater than or equal to 0.5"}},
		},
		{
			name: "range nil bounds",
			run:  func(v *api.Violations) { v.Range("N", -1e9, nil, nil) },
		},
		{
			name: "list too long",
			run:  func(v *api.Violations) { v.Len("DirectoryIds", 26, 1, 25) },
			want: []api.Violation{{Path: "DirectoryIds", Value: "'<26 items>'", Constraint: "Member must have length less than or equal to 25"}},
		},
		{
			name: "list too short",
			run:  func(v *api.Violations) { v.Len("DirectoryIds", 0, 1, 25) },
			want: []api.Violation{{Path: "DirectoryIds", Value: "'<0 items>'", Constraint: "Member must have length greater than or equal to 1"}},
		},
		{
			name: "violations accumulate in order",
			run: func(v *api.Violations) {
				v.Required("A")
				v.Enum("B", "x", []string{"y"})
			},
			want: []api.Violation{
				{Path: "A", Value: "null", Constraint: "Member must not be null"},
				{Path: "B", Value: "'x'", Constraint: "Member must satisfy enum value set: [y]"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v api.Violations
			tt.run(&v)
			if !reflect.DeepEqual(v.List, tt.want) {
				t.Fatalf("violations = %#v, want %#v", v.List, tt.want)
			}
			err := v.Err()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Err() = %v, want nil", err)
				}
				return
			}
			var ve *api.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Err() = %T %v, want *api.ValidationError", err, err)
			}
			if ve.Reason != "fieldValidationFailed" {
				t.Errorf("Reason = %q, want fieldValidationFailed", ve.Reason)
			}
			if !reflect.DeepEqual(ve.Violations, tt.want) {
				t.Errorf("ValidationError.Violations = %#v, want %#v", ve.Violations, tt.want)
			}
		})
	}
}

func TestValidationErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  *api.ValidationError
		want string
	}{
		{
			name: "one violation with value",
			err:  &api.ValidationError{Violations: []api.Violation{{Path: "p", Value: "'x'", Constraint: "Member must satisfy enum value set: [a, b]"}}},
			want: "1 validation error detected: Value 'x' at 'p' failed to satisfy constraint: Member must satisfy enum value set: [a, b]",
		},
		{
			name: "null value is not quoted",
			err:  &api.ValidationError{Violations: []api.Violation{{Path: "GroupName", Value: "null", Constraint: "Member must not be null"}}},
			want: "1 validation error detected: Value null at 'GroupName' failed to satisfy constraint: Member must not be null",
		},
		{
			name: "multiple violations are counted and joined",
			err: &api.ValidationError{Violations: []api.Violation{
				{Path: "GroupName", Value: "null", Constraint: "Member must not be null"},
				{Path: "Tags.1.Key", Value: "''", Constraint: "Member must have length greater than or equal to 1"},
				{Path: "MaxResults", Value: "'0'", Constraint: "Member must have value greater than or equal to 1"},
			}},
			want: "3 validation errors detected: " +
				"Value null at 'GroupName' failed to satisfy constraint: Member must not be null; " +
				"Value '' at 'Tags.1.Key' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value '0' at 'MaxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
		},
		{
			name: "Msg overrides violations",
			err:  &api.ValidationError{Reason: "cannotParse", Msg: "custom", Violations: []api.Violation{{Path: "p", Value: "'x'", Constraint: "c"}}},
			want: "custom",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.ErrorMessage(); got != tt.want {
				t.Fatalf("ErrorMessage() =\n  %q\nwant\n  %q", got, tt.want)
			}
			if got := tt.err.Error(); got != "ValidationException: "+tt.want {
				t.Errorf("Error() = %q", got)
			}
			if tt.err.ErrorCode() != "ValidationException" {
				t.Errorf("ErrorCode() = %q", tt.err.ErrorCode())
			}
			if tt.err.HTTPStatus() != http.StatusBadRequest {
				t.Errorf("HTTPStatus() = %d", tt.err.HTTPStatus())
			}
		})
	}
}

func TestViolationsErrMessageFromHelpers(t *testing.T) {
	var v api.Violations
	v.Enum("Tenancy", "X", []string{"DEDICATED", "SHARED"})
	v.Range("Limit", 0, api.Float(1), api.Float(25))
	err := v.Err()
	if err == nil {
		t.Fatal("Err() = nil")
	}
	want := "ValidationException: 2 validation errors detected: " +
		"Value 'X' at 'Tenancy' failed to satisfy constraint: Member must satisfy enum value set: [DEDICATED, SHARED]; " +
		"Value '0' at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
	if err.Error() != want {
		t.Fatalf("Error() =\n  %q\nwant\n  %q", err.Error(), want)
	}
}

func TestParseBound(t *testing.T) {
	tests := []struct {
		name    string
		run     func() (any, error)
		want    any
		wantMsg string
	}{
		{"int32 ok", func() (any, error) { return api.ParseInt32("maxResults", "25") }, int32(25), ""},
		{"int32 negative", func() (any, error) { return api.ParseInt32("maxResults", "-3") }, int32(-3), ""},
		{"int32 garbage", func() (any, error) { return api.ParseInt32("maxResults", "abc") }, nil, "Value 'abc' at 'maxResults' could not be parsed as an integer."},
		{"int32 overflow", func() (any, error) { return api.ParseInt32("maxResults", "2147483648") }, nil, "Value '2147483648' at 'maxResults' could not be parsed as an integer."},
		{"int32 empty", func() (any, error) { return api.ParseInt32("maxResults", "") }, nil, "Value '' at 'maxResults' could not be parsed as an integer."},
		{"int64 ok", func() (any, error) { return api.ParseInt64("size", "2147483648") }, int64(2147483648), ""},
		{"int64 fraction", func() (any, error) { return api.ParseInt64("size", "1.5") }, nil, "Value '1.5' at 'size' could not be parsed as an integer."},
		{"bool ok", func() (any, error) { return api.ParseBool("force", "true") }, true, ""},
		{"bool garbage", func() (any, error) { return api.ParseBool("force", "yes") }, nil, "Value 'yes' at 'force' could not be parsed as a boolean."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.run()
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if got != tt.want {
					t.Fatalf("got %v (%T), want %v (%T)", got, got, tt.want, tt.want)
				}
				return
			}
			var ve *api.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %T %v, want *api.ValidationError", err, err)
			}
			if ve.Reason != "cannotParse" {
				t.Errorf("Reason = %q, want cannotParse", ve.Reason)
			}
			if ve.ErrorMessage() != tt.wantMsg {
				t.Errorf("message = %q, want %q", ve.ErrorMessage(), tt.wantMsg)
			}
		})
	}
}

func TestSortedKeys(t *testing.T) {
	got := api.SortedKeys(map[string]int{"b": 1, "aws:x": 2, "a": 3, "B": 4})
	want := []string{"B", "a", "aws:x", "b"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SortedKeys = %v, want %v", got, want)
	}
	if got := api.SortedKeys(map[string]int(nil)); len(got) != 0 {
		t.Fatalf("SortedKeys(nil) = %v", got)
	}
}

func TestCommonErrors(t *testing.T) {
	tests := []struct {
		name   string
		err    *api.CommonError
		code   string
		msg    string
		status int
		reason string
	}{
		{"serialization", api.SerializationError("bad %s", "json"), "SerializationException", "bad json", 400, "cannotParse"},
		{"unknown operation", api.UnknownOperation("Unknown operation %s.", "X.Y"), "UnknownOperationException", "Unknown operation X.Y.", 400, "unknownOperation"},
		{"missing token", api.MissingAuthenticationToken("m"), "MissingAuthenticationTokenException", "m", 403, ""},
		{"incomplete signature", api.IncompleteSignature("s"), "IncompleteSignatureException", "s", 400, ""},
		{"too large", api.RequestTooLarge(10), "SerializationException", "Request body exceeds the maximum size of 10 bytes.", 413, "cannotParse"},
		{"not implemented", api.NotImplemented("Foo"), "NotImplementedException", "workspaces-local does not implement Foo yet.", 501, ""},
		{"internal failure", api.InternalFailure("rid-1"), "InternalFailure", "The request processing has failed because of an unknown error, exception or failure (request id rid-1).", 500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e api.Error = tt.err
			if e.ErrorCode() != tt.code || e.ErrorMessage() != tt.msg || e.HTTPStatus() != tt.status || tt.err.Reason != tt.reason {
				t.Fatalf("got (%q, %q, %d, %q), want (%q, %q, %d, %q)", e.ErrorCode(), e.ErrorMessage(), e.HTTPStatus(), tt.err.Reason, tt.code, tt.msg, tt.status, tt.reason)
			}
			if e.Error() != tt.code+": "+tt.msg {
				t.Errorf("Error() = %q", e.Error())
			}
		})
	}
}

func TestPartitionOf(t *testing.T) {
	tests := map[string]string{
		"us-east-1":     "aws",
		"eu-west-1":     "aws",
		"cn-north-1":    "aws-cn",
		"us-gov-west-1": "aws-us-gov",
		"us-iso-east-1": "aws-iso",
		"us-isob-east1": "aws-iso-b",
		"":              "aws",
		"cn":            "aws",
	}
	for region, want := range tests {
		t.Run(region, func(t *testing.T) {
			if got := api.PartitionOf(region); got != want {
				t.Fatalf("PartitionOf(%q) = %q, want %q", region, got, want)
			}
		})
	}
}

func TestPointerHelpers(t *testing.T) {
	if got := api.ToString(api.String("x")); got != "x" {
		t.Errorf("ToString(String(x)) = %q", got)
	}
	if got := api.ToString(nil); got != "" {
		t.Errorf("ToString(nil) = %q", got)
	}
	if got := api.ToInt32(nil, 7); got != 7 {
		t.Errorf("ToInt32(nil, 7) = %d", got)
	}
	if got := api.ToInt32(api.Int32(0), 7); got != 0 {
		t.Errorf("ToInt32(&0, 7) = %d", got)
	}
	if got := api.ToBool(nil, true); got != true {
		t.Errorf("ToBool(nil, true) = %v", got)
	}
	if got := api.ToBool(api.Bool(false), true); got != false {
		t.Errorf("ToBool(&false, true) = %v", got)
	}
}
