package main

import (
	"testing"
	"time"

	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
)

func with(change func(*wssvc.Delays)) wssvc.Delays {
	d := wssvc.DefaultDelays
	change(&d)
	return d
}

func TestParseDelays(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    wssvc.Delays
		wantErr bool
	}{
		{"", wssvc.DefaultDelays, false},
		{"zero", wssvc.Delays{}, false},
		{"device.deregister=0s", wssvc.DefaultDelays, false},
		{"directory.register=0s", with(func(d *wssvc.Delays) { d.DirectoryRegister = 0 }), false},
		{"directory.register=2s, directory.cleanup=5m", with(func(d *wssvc.Delays) { d.DirectoryRegister, d.DirectoryCleanup = 2*time.Second, 5*time.Minute }), false},
		{"workspace.create=0s,workspace.modify=1m", with(func(d *wssvc.Delays) { d.WorkspaceCreate, d.WorkspaceModify = 0, time.Minute }), false},
		{"alias.create=0s,alias.delete=3s", with(func(d *wssvc.Delays) { d.ConnectionAliasCreate, d.ConnectionAliasDelete = 0, 3*time.Second }), false},
		{"pool.create=0s,workspace.snapshot.interval=1h,image.custom-import=12s", with(func(d *wssvc.Delays) {
			d.PoolCreate, d.WorkspaceSnapshotInterval, d.ImageCustomImport = 0, time.Hour, 12*time.Second
		}), false},
		{"directory.register=-1s", wssvc.Delays{}, true},
		{"workspace.launch=1s", wssvc.Delays{}, true},
		{"directory.register", wssvc.Delays{}, true},
	} {
		got, err := parseDelays(tc.in)
		if (err != nil) != tc.wantErr {
			t.Fatalf("parseDelays(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
		}
		if !tc.wantErr && got.ws != tc.want {
			t.Errorf("parseDelays(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestThinClientDelays(t *testing.T) {
	d, err := parseDelays("device.deregister=5s,software.install=1s")
	if err != nil || d.tc.DeviceDeregister != 5*time.Second || d.tc.SoftwareInstall != time.Second || d.ws != wssvc.DefaultDelays {
		t.Fatalf("parseDelays = %+v, %v", d, err)
	}
}
