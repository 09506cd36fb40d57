package thinclient

// The device tally of an environment: what GetEnvironment's computed
// members (registeredDevicesCount, pendingSoftwareSetId/Version,
// softwareSetComplianceStatus) need to know about its REGISTERED devices,
// kept in the environment record so that reading an environment is one
// store read. Every device write that changes a device's contribution
// updates the tally in the same transaction (retally). Records written
// before the tally existed have none: reads then count the devices, and
// the next device write of the environment stores a rebuilt tally.

import (
	"context"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// deviceTally counts an environment's REGISTERED devices by current set.
// A device leaves REGISTERED only through DeregisterDevice, but its current
// set also changes without a write when an install completes (resolve), so
// devices with an install in progress at their last write are kept apart
// and evaluated at read time.
type deviceTally struct {
	// Sets counts the registered devices without an install in progress by current set.
	Sets map[string]int `json:"sets,omitempty"`
	// Installs are the registered devices with an install in progress, by device id.
	Installs map[string]tallyInstall `json:"installs,omitempty"`
}

type tallyInstall struct {
	From string    `json:"from"`
	To   string    `json:"to"`
	Due  time.Time `json:"due"`
}

// contribution is what one device adds to a tally; the zero value is nothing.
type contribution struct {
	registered bool
	install    tallyInstall
}

// contributionOf is d's contribution; d must be resolved.
func contributionOf(d *deviceRecord) contribution {
	if d == nil || d.Status != tc.DeviceStatusRegistered {
		return contribution{}
	}
	if d.InstallSet != "" {
		return contribution{true, tallyInstall{From: d.CurrentSet, To: d.InstallSet, Due: d.InstallDue}}
	}
	return contribution{true, tallyInstall{From: d.CurrentSet}}
}

func (t *deviceTally) add(id string, k contribution) {
	switch {
	case !k.registered:
	case k.install.To != "":
		if t.Installs == nil {
			t.Installs = map[string]tallyInstall{}
		}
		t.Installs[id] = k.install
	default:
		if t.Sets == nil {
			t.Sets = map[string]int{}
		}
		t.Sets[k.install.From]++
	}
}

// remove takes away the contribution added for device id, which is k at
// now or (for a completed install) was an install then.
func (t *deviceTally) remove(id string, k contribution) {
	if !k.registered {
		return
	}
	if _, ok := t.Installs[id]; ok {
		delete(t.Installs, id)
		return
	}
	if t.Sets[k.install.From]--; t.Sets[k.install.From] <= 0 {
		delete(t.Sets, k.install.From)
	}
}

// settle folds the installs complete at now into Sets.
func (t *deviceTally) settle(now time.Time) {
	for id, in := range t.Installs {
		if !now.Before(in.Due) {
			delete(t.Installs, id)
			t.add(id, contribution{true, tallyInstall{From: in.To}})
		}
	}
}

// at returns the registered devices by current set at now.
func (t *deviceTally) at(now time.Time) map[string]int {
	out := make(map[string]int, len(t.Sets)+len(t.Installs))
	for set, n := range t.Sets {
		out[set] += n
	}
	for _, in := range t.Installs {
		if now.Before(in.Due) {
			out[in.From]++
		} else {
			out[in.To]++
		}
	}
	return out
}

// tally returns e's tally, or counts the devices of a record that has none.
func (s *Service) tally(ctx context.Context, tx store.Tx, c *api.Call, e *envRecord) (*deviceTally, error) {
	if e.Devices != nil {
		return e.Devices, nil
	}
	devices, err := s.envDevices(ctx, tx, c, *e.Id)
	if err != nil {
		return nil, err
	}
	t := &deviceTally{}
	for _, d := range devices {
		t.add(d.ID, contributionOf(d))
	}
	return t, nil
}

// retally moves a device from before to after (both resolved at c.Now;
// nil is no device) in its environment's tally and stores the environment
// when that changed. It must run before the device write, so that an
// environment without a tally is counted from the devices as they were.
// e is the device's environment if the caller has it.
func (s *Service) retally(ctx context.Context, tx store.Tx, c *api.Call, e *envRecord, before, after *deviceRecord) error {
	d := after
	if d == nil {
		d = before
	}
	kb, ka := contributionOf(before), contributionOf(after)
	if kb == ka {
		return nil
	}
	if e == nil {
		var err error
		if e, err = s.deviceEnv(ctx, tx, c, d); err != nil || e == nil {
			return err
		}
	}
	t, err := s.tally(ctx, tx, c, e)
	if err != nil {
		return err
	}
	t.remove(d.ID, kb)
	t.add(d.ID, ka)
	t.settle(c.Now)
	e.Devices = t
	return tx.Put(ctx, key(c, kindEnvironment, *e.Id), e)
}
