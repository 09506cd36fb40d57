package workspaces

import (
	"testing"
	"time"

	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
)

func TestPoolMatches(t *testing.T) {
	f := func(op ws.DescribeWorkspacesPoolsFilterOperator, vs ...string) []ws.DescribeWorkspacesPoolsFilter {
		return []ws.DescribeWorkspacesPoolsFilter{{Name: ws.DescribeWorkspacesPoolsFilterNamePoolname, Operator: op, Values: vs}}
	}
	cases := []struct {
		name    string
		filters []ws.DescribeWorkspacesPoolsFilter
		want    bool
	}{
		{"no filter", nil, true},
		{"equals one of", f(ws.DescribeWorkspacesPoolsFilterOperatorEquals, "x1", "support"), true},
		{"equals is case-sensitive", f(ws.DescribeWorkspacesPoolsFilterOperatorEquals, "Support"), false},
		{"contains", f(ws.DescribeWorkspacesPoolsFilterOperatorContains, "zz", "upp"), true},
		{"notequals all", f(ws.DescribeWorkspacesPoolsFilterOperatorNotequals, "a1", "b1"), true},
		{"notequals hit", f(ws.DescribeWorkspacesPoolsFilterOperatorNotequals, "a1", "support"), false},
		{"notcontains hit", f(ws.DescribeWorkspacesPoolsFilterOperatorNotcontains, "por"), false},
		{"two filters ANDed", append(f(ws.DescribeWorkspacesPoolsFilterOperatorContains, "sup"), f(ws.DescribeWorkspacesPoolsFilterOperatorNotcontains, "rt")...), false},
	}
	for _, tc := range cases {
		if got := poolMatches("support", tc.filters); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestMigrationAllowed(t *testing.T) {
	def, ded := ws.WorkspaceImageRequiredTenancyDefault, ws.WorkspaceImageRequiredTenancyDedicated
	b := func(os string, c ws.Compute) *bundle { return &bundle{OS: os, Compute: c} }
	cases := []struct {
		name   string
		from   ws.OperatingSystemName
		ft     ws.WorkspaceImageRequiredTenancy
		to     *bundle
		tt     ws.WorkspaceImageRequiredTenancy
		reason bool
	}{
		{"win10 to win10", ws.OperatingSystemNameWindows10, def, b("WINDOWS_10", ws.ComputeStandard), def, false},
		{"win10 to win11", ws.OperatingSystemNameWindows10, def, b("WINDOWS_11", ws.ComputeStandard), def, false},
		{"win11 value", ws.OperatingSystemNameWindows10, def, b("WINDOWS_11", ws.ComputeValue), def, true},
		{"to win7", ws.OperatingSystemNameWindows10, def, b("WINDOWS_7", ws.ComputePerformance), def, true},
		{"win7 to win11", ws.OperatingSystemNameWindows7, def, b("WINDOWS_11", ws.ComputeStandard), def, true},
		{"win7 to win10", ws.OperatingSystemNameWindows7, def, b("WINDOWS_10", ws.ComputeStandard), def, false},
		{"windows to linux", ws.OperatingSystemNameWindows10, def, b("UBUNTU_22_04", ws.ComputeStandard), def, true},
		{"AL2 to ubuntu", ws.OperatingSystemNameAmazonLinux2, def, b("UBUNTU_22_04", ws.ComputeStandard), def, false},
		{"ubuntu to AL2", ws.OperatingSystemNameUbuntu2204, def, b("AMAZON_LINUX_2", ws.ComputeStandard), def, true},
		{"BYOL to public", ws.OperatingSystemNameWindows10, ded, b("WINDOWS_10", ws.ComputeStandard), def, true},
		{"public to BYOL", ws.OperatingSystemNameWindows10, def, b("WINDOWS_10", ws.ComputeStandard), ded, true},
		{"BYOL win11 to win10", ws.OperatingSystemNameWindows11, ded, b("WINDOWS_10", ws.ComputeStandard), ded, true},
	}
	for _, tc := range cases {
		if got := migrationAllowed(tc.from, tc.ft, tc.to, tc.tt); (got != "") != tc.reason {
			t.Errorf("%s: reason %q, want refused=%v", tc.name, got, tc.reason)
		}
	}
}

func TestLastSnapshot(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := Delays{WorkspaceSnapshot: time.Hour, WorkspaceSnapshotInterval: 12 * time.Hour}
	w := &workspaceRecord{SnapshotFrom: t0}
	for _, tc := range []struct {
		at, want time.Duration // from t0; want < 0 = none
	}{{0, -1}, {59 * time.Minute, -1}, {time.Hour, time.Hour}, {12 * time.Hour, time.Hour}, {13 * time.Hour, 13 * time.Hour}, {30 * time.Hour, 25 * time.Hour}} {
		got := lastSnapshot(w, t0.Add(tc.at), d)
		if (tc.want < 0 && !got.IsZero()) || (tc.want >= 0 && !got.Equal(t0.Add(tc.want))) {
			t.Errorf("at +%v: %v, want +%v", tc.at, got, tc.want)
		}
	}
	if got := lastSnapshot(w, t0.Add(5*time.Hour), Delays{}); !got.Equal(t0.Add(5 * time.Hour)) {
		t.Errorf("zero delays: %v", got)
	}
	if !lastSnapshot(&workspaceRecord{}, t0, d).IsZero() {
		t.Error("never AVAILABLE has a snapshot")
	}
}
