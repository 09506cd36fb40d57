package thinclient

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
	"github.com/workspaces-local/workspaces-local/internal/store/storecount"
)

// The rule of docs/architecture.md, held by counting (as in the WorkSpaces
// service's TestReadCostBoundedByAnswer): a page of ListEnvironments or
// ListDevices, and GetEnvironment or GetDevice, read a few records per item
// however many environments and devices the account holds.
func TestReadCostBoundedByAnswer(t *testing.T) {
	ctx := context.Background()
	st := storecount.New(rerun.Wrap(memory.New()))
	s, err := New(st, paging.New([]byte("0123456789abcdef0123456789abcdef")), Delays{}, DefaultQuotas)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	call := func() *api.Call { return localCall("111111111111", "us-east-1", t0) }
	var envs, devices []string
	for i := range 60 {
		e, err := s.CreateEnvironment(ctx, call(), &tc.CreateEnvironmentInput{DesktopArn: api.String(fmt.Sprintf("arn:aws:workspaces:us-east-1:111111111111:directory/d-90670000%02d", i))})
		if err != nil {
			t.Fatal(err)
		}
		envs = append(envs, *e.Environment.Id)
		for range 4 {
			d, err := s.RegisterDevice(ctx, t0, Registration{ActivationCode: *e.Environment.ActivationCode})
			if err != nil {
				t.Fatal(err)
			}
			devices = append(devices, *d.Id)
		}
	}
	five := api.Int32(5)
	for _, tc := range []struct {
		name  string
		items int
		call  func() error
	}{
		{"ListEnvironments, MaxResults 5", 5, func() error {
			_, err := s.ListEnvironments(ctx, call(), &tc.ListEnvironmentsInput{MaxResults: five})
			return err
		}},
		{"ListDevices, MaxResults 5", 5, func() error {
			_, err := s.ListDevices(ctx, call(), &tc.ListDevicesInput{MaxResults: five})
			return err
		}},
		{"GetEnvironment", 1, func() error {
			_, err := s.GetEnvironment(ctx, call(), &tc.GetEnvironmentInput{Id: &envs[17]})
			return err
		}},
		{"GetDevice", 1, func() error {
			_, err := s.GetDevice(ctx, call(), &tc.GetDeviceInput{Id: &devices[77]})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st.Reset()
			if err := tc.call(); err != nil {
				t.Fatal(err)
			}
			if most := int64(4*tc.items + 4); st.Reads() > most {
				t.Errorf("read %d records, want at most %d for %d items (the account holds %d environments, %d devices)", st.Reads(), most, tc.items, len(envs), len(devices))
			}
		})
	}
}
