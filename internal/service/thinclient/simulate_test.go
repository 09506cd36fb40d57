package thinclient

import (
	"testing"
	"time"

	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
)

func TestWindowOpen(t *testing.T) {
	// 2026-01-02 is a Friday.
	at := func(h, m int) time.Time { return time.Date(2026, 1, 2, h, m, 0, 0, time.UTC) }
	custom := func(sh, sm, eh, em int32, days ...tc.DayOfWeek) *tc.MaintenanceWindow {
		return &tc.MaintenanceWindow{Type: tc.MaintenanceWindowTypeCustom, StartTimeHour: &sh, StartTimeMinute: &sm, EndTimeHour: &eh, EndTimeMinute: &em, DaysOfTheWeek: days}
	}
	for _, tt := range []struct {
		name string
		w    *tc.MaintenanceWindow
		now  time.Time
		want bool
	}{
		{"system is closed", &tc.MaintenanceWindow{Type: tc.MaintenanceWindowTypeSystem}, at(3, 0), false},
		{"inside", custom(1, 0, 5, 0, tc.DayOfWeekFriday), at(3, 0), true},
		{"start is inside", custom(1, 0, 5, 0, tc.DayOfWeekFriday), at(1, 0), true},
		{"end is outside", custom(1, 0, 5, 0, tc.DayOfWeekFriday), at(5, 0), false},
		{"other day", custom(1, 0, 5, 0, tc.DayOfWeekSaturday), at(3, 0), false},
		{"past midnight counts the start day", custom(22, 0, 2, 0, tc.DayOfWeekThursday), at(1, 0), true},
		{"past midnight, wrong start day", custom(22, 0, 2, 0, tc.DayOfWeekFriday), at(1, 0), false},
		{"before midnight", custom(22, 0, 2, 0, tc.DayOfWeekFriday), at(23, 30), true},
	} {
		if got := windowOpen(tt.w, tt.now); got != tt.want {
			t.Errorf("%s: windowOpen = %v, want %v", tt.name, got, tt.want)
		}
	}
}
