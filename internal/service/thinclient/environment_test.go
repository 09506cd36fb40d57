package thinclient

import (
	"errors"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
)

func TestDesktopTypeOf(t *testing.T) {
	c := &api.Call{Account: "111111111111", Region: "us-east-1"}
	for _, tt := range []struct {
		arn  string
		want tc.DesktopType
	}{
		{"arn:aws:workspaces:us-east-1:111111111111:directory/d-9067a1b2c3", tc.DesktopTypeWorkspaces},
		{"arn:aws:workspaces:us-east-1:111111111111:directory/wsd-abc123def", tc.DesktopTypeWorkspaces},
		{"arn:aws:appstream:us-east-1:111111111111:stack/kiosk", tc.DesktopTypeAppstream},
		{"arn:aws:workspaces-web:us-east-1:111111111111:portal/1234-abcd", tc.DesktopTypeWorkspacesWeb},
		{"arn:aws:s3:::not-a-desktop-bucket", ""},
		{"arn:aws:workspaces:us-east-1:111111111111:workspace/ws-abc123def", ""},
		{"arn:aws:workspaces:us-east-1:111111111111:directory/d-xyz", ""},
		{"arn:aws:workspaces:us-west-2:111111111111:directory/d-9067a1b2c3", ""},
		{"arn:aws:workspaces:us-east-1:222222222222:directory/d-9067a1b2c3", ""},
		{"arn:aws:appstream:us-east-1:111111111111:stack/", ""},
	} {
		got, err := desktopTypeOf(c, tt.arn)
		var ve *api.ValidationError
		if tt.want == "" {
			if !errors.As(err, &ve) || ve.Violations[0].Path != "desktopArn" {
				t.Errorf("%s: got %v, %v; want ValidationException on desktopArn", tt.arn, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: got %v, %v; want %v", tt.arn, got, err, tt.want)
		}
	}
}

func i32(n int32) *int32 { return &n }

func TestNormalizeWindow(t *testing.T) {
	w, err := normalizeWindow(nil)
	if err != nil || w.Type != tc.MaintenanceWindowTypeSystem || w.StartTimeHour != nil {
		t.Fatalf("default window = %+v, %v", w, err)
	}
	w, err = normalizeWindow(&tc.MaintenanceWindow{Type: tc.MaintenanceWindowTypeCustom, StartTimeHour: i32(22), EndTimeHour: i32(2)})
	if err != nil || *w.StartTimeMinute != 0 || *w.EndTimeMinute != 0 || len(w.DaysOfTheWeek) != 7 || w.DaysOfTheWeek[0] != tc.DayOfWeekMonday || w.ApplyTimeOf != tc.ApplyTimeOfUtc {
		t.Fatalf("CUSTOM defaults = %+v, %v", w, err)
	}
	for name, in := range map[string]*tc.MaintenanceWindow{
		"no end hour":   {Type: tc.MaintenanceWindowTypeCustom, StartTimeHour: i32(1)},
		"no start hour": {Type: tc.MaintenanceWindowTypeCustom, EndTimeHour: i32(1)},
		"start = end":   {Type: tc.MaintenanceWindowTypeCustom, StartTimeHour: i32(1), EndTimeHour: i32(1)},
		"duplicate day": {Type: tc.MaintenanceWindowTypeCustom, StartTimeHour: i32(1), EndTimeHour: i32(2), DaysOfTheWeek: []tc.DayOfWeek{tc.DayOfWeekMonday, tc.DayOfWeekMonday}},
	} {
		var ve *api.ValidationError
		if _, err := normalizeWindow(in); !errors.As(err, &ve) {
			t.Errorf("%s: got %v, want ValidationException", name, err)
		}
	}
	// SYSTEM echoes other members unchanged.
	w, _ = normalizeWindow(&tc.MaintenanceWindow{Type: tc.MaintenanceWindowTypeSystem, StartTimeHour: i32(3)})
	if w.StartTimeHour == nil || *w.StartTimeHour != 3 || w.EndTimeMinute != nil {
		t.Fatalf("SYSTEM window changed: %+v", w)
	}
}

func TestCheckTags(t *testing.T) {
	many := map[string]string{}
	for i := range 50 {
		many[string(rune('a'+i%26))+string(rune('a'+i/26))] = "v"
	}
	for name, tt := range map[string]struct {
		have, add map[string]string
		ok        bool
	}{
		"plain":          {nil, map[string]string{"team": "it", "empty": ""}, true},
		"reserved":       {nil, map[string]string{"aws:x": "v"}, false},
		"reserved upper": {nil, map[string]string{"AWS:x": "v"}, false},
		"long key":       {nil, map[string]string{string(make([]byte, 129)): "v"}, false},
		"long value":     {nil, map[string]string{"k": string(make([]byte, 257))}, false},
		"exactly 50":     {nil, many, true},
		"51 with have":   {map[string]string{"zz": "1"}, many, false},
		"overwrite":      {map[string]string{"aa": "1"}, many, true},
	} {
		err := checkTags("tags", tt.have, tt.add)
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok=%v", name, err, tt.ok)
		}
	}
}
