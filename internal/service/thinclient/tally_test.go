package thinclient

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
	"github.com/workspaces-local/workspaces-local/internal/store/sqlite"
)

type envMembers struct {
	count      int32
	pending    string
	compliance tc.EnvironmentSoftwareSetComplianceStatus
}

// TestTallyLegacyRecords: an environment record written before the device
// tally existed is read by counting its devices, and the next device write
// stores a rebuilt tally; the computed members never change on the way.
func TestTallyLegacyRecords(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for name, st := range map[string]store.Store{"memory": rerun.Wrap(memory.New()), "sqlite": rerun.Wrap(db)} {
		t.Run(name, func(t *testing.T) { testTallyLegacy(t, st) })
	}
}

func testTallyLegacy(t *testing.T, st store.Store) {
	ctx := context.Background()
	s, err := New(st, paging.New([]byte("0123456789abcdef0123456789abcdef")), Delays{DeviceDeregister: 2 * time.Second, SoftwareInstall: 3 * time.Second}, DefaultQuotas)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	call := func(now time.Time) *api.Call { return localCall("111111111111", "us-east-1", now) }
	created, err := s.CreateEnvironment(ctx, call(t0), &tc.CreateEnvironmentInput{
		DesktopArn: api.String("arn:aws:workspaces:us-east-1:111111111111:directory/d-9067a1b2c3"), DesiredSoftwareSetId: api.String("1003"),
	})
	if err != nil {
		t.Fatal(err)
	}
	id, code := *created.Environment.Id, *created.Environment.ActivationCode
	register := func(set string) string {
		t.Helper()
		d, err := s.RegisterDevice(ctx, t0, Registration{ActivationCode: code, CurrentSoftwareSetID: api.String(set)})
		if err != nil {
			t.Fatal(err)
		}
		return *d.Id
	}
	get := func(now time.Time) envMembers {
		t.Helper()
		g, err := s.GetEnvironment(ctx, call(now), &tc.GetEnvironmentInput{Id: &id})
		if err != nil {
			t.Fatal(err)
		}
		l, err := s.ListEnvironments(ctx, call(now), &tc.ListEnvironmentsInput{})
		if err != nil || len(l.Environments) != 1 || api.ToString(l.Environments[0].PendingSoftwareSetId) != api.ToString(g.Environment.PendingSoftwareSetId) {
			t.Fatalf("ListEnvironments %+v, %v; GetEnvironment %+v", l, err, g.Environment)
		}
		return envMembers{api.ToInt32(g.Environment.RegisteredDevicesCount, -1), api.ToString(g.Environment.PendingSoftwareSetId), g.Environment.SoftwareSetComplianceStatus}
	}
	record := func() *envRecord {
		t.Helper()
		var e envRecord
		if err := st.View(ctx, func(tx store.Tx) error { return tx.Get(ctx, key(call(t0), kindEnvironment, id), &e) }); err != nil {
			t.Fatal(err)
		}
		return &e
	}
	// strip rewrites the record as it was before the tally existed.
	strip := func() {
		t.Helper()
		err := st.Update(ctx, func(tx store.Tx) error {
			var raw map[string]any
			if err := tx.Get(ctx, key(call(t0), kindEnvironment, id), &raw); err != nil {
				return err
			}
			if _, ok := raw["deviceTally"]; !ok {
				t.Fatalf("record %v has no deviceTally", raw)
			}
			delete(raw, "deviceTally")
			return tx.Put(ctx, key(call(t0), kindEnvironment, id), raw)
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	d1, d2 := register("1003"), register("1002")
	register("1004")
	// d2's install of 1003 completes at t0+3s, without a write.
	if _, err := s.CheckInDevice(ctx, t0, d2, CheckIn{Install: "now"}); err != nil {
		t.Fatal(err)
	}
	atStart, afterInstall := get(t0), get(t0.Add(3*time.Second))
	if want := (envMembers{3, "1003", tc.EnvironmentSoftwareSetComplianceStatusNotCompliant}); atStart != want {
		t.Fatalf("with the tally at t0: %+v, want %+v", atStart, want)
	}
	if want := (envMembers{3, "1003", tc.EnvironmentSoftwareSetComplianceStatusCompliant}); afterInstall != want {
		t.Fatalf("with the tally after the install: %+v, want %+v", afterInstall, want)
	}

	strip()
	if got := get(t0); got != atStart {
		t.Fatalf("legacy record at t0: %+v, want %+v", got, atStart)
	}
	if got := get(t0.Add(3 * time.Second)); got != afterInstall {
		t.Fatalf("legacy record after the install: %+v, want %+v", got, afterInstall)
	}
	// A write that changes no device leaves the record without a tally.
	if _, err := s.UpdateEnvironment(ctx, call(t0), &tc.UpdateEnvironmentInput{Id: &id, Name: api.String("legacy")}); err != nil {
		t.Fatal(err)
	}
	if record().Devices != nil {
		t.Fatal("UpdateEnvironment stored a tally")
	}
	// Deregistering d1 (a write at t0, before d2's install is done) stores
	// a rebuilt tally that still completes the install on time.
	if _, err := s.DeregisterDevice(ctx, call(t0), &tc.DeregisterDeviceInput{Id: &d1}); err != nil {
		t.Fatal(err)
	}
	e := record()
	if e.Devices == nil || len(e.Devices.Installs) != 1 {
		t.Fatalf("tally after the first device write: %+v", e.Devices)
	}
	if got, want := get(t0), (envMembers{2, "1003", tc.EnvironmentSoftwareSetComplianceStatusNotCompliant}); got != want {
		t.Fatalf("rebuilt tally at t0: %+v, want %+v", got, want)
	}
	if got, want := get(t0.Add(3*time.Second)), (envMembers{2, "1003", tc.EnvironmentSoftwareSetComplianceStatusCompliant}); got != want {
		t.Fatalf("rebuilt tally after the install: %+v, want %+v", got, want)
	}

	// A legacy record whose install completed before the rebuild.
	strip()
	t1 := t0.Add(5 * time.Second)
	if _, err := s.DeregisterDevice(ctx, call(t1), &tc.DeregisterDeviceInput{Id: &d2}); err != nil {
		t.Fatal(err)
	}
	if e := record(); e.Devices == nil || len(e.Devices.Installs) != 0 || e.Devices.Sets["1004"] != 1 || len(e.Devices.Sets) != 1 {
		t.Fatalf("tally rebuilt at t1: %+v", e.Devices)
	}
	if got, want := get(t1), (envMembers{1, "1003", tc.EnvironmentSoftwareSetComplianceStatusCompliant}); got != want {
		t.Fatalf("rebuilt tally at t1: %+v, want %+v", got, want)
	}
}
