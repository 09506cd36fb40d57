package thinclient

// Devices (spec §5.2, §5.3, §7). Devices are created only by the simulated
// registration of simulate.go; the public API reads, updates, deregisters
// and deletes them.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const defaultDevicePage = 50 // spec §1.6

// deviceRecord is a stored device; computed members come from view.
type deviceRecord struct {
	ID            string          `json:"id"`
	SerialNumber  string          `json:"serialNumber"`
	Model         string          `json:"model"`
	Name          *string         `json:"name,omitempty"`
	EnvironmentID string          `json:"environmentId"`
	Status        tc.DeviceStatus `json:"status"`
	StatusSince   time.Time       `json:"statusSince"`
	// TargetStatus is where a DEREGISTERING device ends up.
	TargetStatus     tc.DeviceStatus              `json:"targetStatus,omitempty"`
	CurrentSet       string                       `json:"currentSet"`
	DesiredOverride  *string                      `json:"desiredOverride,omitempty"`
	ScheduleOverride tc.SoftwareSetUpdateSchedule `json:"scheduleOverride,omitempty"`
	KmsKeyArn        *string                      `json:"kmsKeyArn,omitempty"`
	LastConnectedAt  *time.Time                   `json:"lastConnectedAt,omitempty"`
	LastPostureAt    *time.Time                   `json:"lastPostureAt,omitempty"`
	LastUserID       *string                      `json:"lastUserId,omitempty"`
	CreatedAt        time.Time                    `json:"createdAt"`
	UpdatedAt        time.Time                    `json:"updatedAt"`
	// InstallSet is being installed until InstallDue (IN_PROGRESS).
	InstallSet string    `json:"installSet,omitempty"`
	InstallDue time.Time `json:"installDue"`
}

// resolve applies the transitions that are due at now (spec §1.9).
func (d *deviceRecord) resolve(now time.Time, delays Delays) {
	if d.Status == tc.DeviceStatusDeregistering {
		if due := d.StatusSince.Add(delays.DeviceDeregister); !now.Before(due) {
			d.Status, d.StatusSince, d.TargetStatus = d.TargetStatus, due, ""
		}
	}
	if d.InstallSet != "" && !now.Before(d.InstallDue) {
		d.CurrentSet, d.InstallSet = d.InstallSet, ""
	}
}

func envDeviceKey(c *api.Call, envID, deviceID string) store.Key {
	return store.Key{Kind: kindEnvDevicesPrefix + envID, Account: c.Account, Region: c.Region, ID: deviceID}
}

func (s *Service) getDevice(ctx context.Context, tx store.Tx, c *api.Call, id string) (*deviceRecord, error) {
	var d deviceRecord
	if err := tx.Get(ctx, key(c, kindDevice, id), &d); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, notFound("device", id)
		}
		return nil, err
	}
	d.resolve(c.Now, s.delays)
	return &d, nil
}

// envDevices returns the devices of an environment with their current state.
func (s *Service) envDevices(ctx context.Context, tx store.Tx, c *api.Call, envID string) ([]*deviceRecord, error) {
	recs, err := tx.List(ctx, store.Query{Scope: store.Scope{Kind: kindEnvDevicesPrefix + envID, Account: c.Account, Region: c.Region}})
	if err != nil {
		return nil, err
	}
	out := make([]*deviceRecord, 0, len(recs))
	for _, r := range recs {
		d, err := s.getDevice(ctx, tx, c, r.Key.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// deviceEnv returns a device's environment, or nil once it was deleted.
func (s *Service) deviceEnv(ctx context.Context, tx store.Tx, c *api.Call, d *deviceRecord) (*envRecord, error) {
	e, err := s.getEnv(ctx, tx, c, d.EnvironmentID)
	var nf *tc.ResourceNotFoundException
	if errors.As(err, &nf) {
		return nil, nil
	}
	return e, err
}

// effectiveTarget is the device override, else the environment's target.
func (s *Service) effectiveTarget(d *deviceRecord, e *envRecord) string {
	if d.DesiredOverride != nil {
		return *d.DesiredOverride
	}
	return s.targetSet(e)
}

func (s *Service) effectiveSchedule(d *deviceRecord, e *envRecord) tc.SoftwareSetUpdateSchedule {
	if d.ScheduleOverride != "" || e == nil {
		return d.ScheduleOverride
	}
	return e.SoftwareSetUpdateSchedule
}

// view is the device as GetDevice shows it (spec §5.2).
func (s *Service) view(c *api.Call, d *deviceRecord, e *envRecord) *tc.Device {
	out := &tc.Device{
		Id: api.String(d.ID), SerialNumber: api.String(d.SerialNumber), Model: api.String(d.Model), Name: d.Name,
		EnvironmentId: api.String(d.EnvironmentID), Status: d.Status, KmsKeyArn: d.KmsKeyArn, LastUserId: d.LastUserID,
		CreatedAt: ts(d.CreatedAt), UpdatedAt: ts(d.UpdatedAt), Arn: api.String(arn(c, "device/"+d.ID)),
		SoftwareSetUpdateSchedule: s.effectiveSchedule(d, e),
	}
	if d.LastConnectedAt != nil {
		out.LastConnectedAt = ts(*d.LastConnectedAt)
	}
	if d.LastPostureAt != nil {
		out.LastPostureAt = ts(*d.LastPostureAt)
	}
	if d.CurrentSet != "" {
		out.CurrentSoftwareSetId = api.String(d.CurrentSet)
		out.CurrentSoftwareSetVersion = s.version(d.CurrentSet)
	}
	switch {
	case d.DesiredOverride != nil:
		out.DesiredSoftwareSetId = d.DesiredOverride
	case e != nil && e.SoftwareSetUpdateMode == tc.SoftwareSetUpdateModeUseDesired:
		out.DesiredSoftwareSetId = e.DesiredSoftwareSetId
	}
	out.SoftwareSetComplianceStatus = tc.DeviceSoftwareSetComplianceStatusNone
	if d.Status != tc.DeviceStatusRegistered {
		return out // no pending set, update status or compliance once deregistering (spec §5.2)
	}
	target := s.effectiveTarget(d, e)
	if target != "" && target != d.CurrentSet && d.InstallSet == "" {
		out.PendingSoftwareSetId = api.String(target)
		out.PendingSoftwareSetVersion = s.version(target)
	}
	switch {
	case d.InstallSet != "":
		out.SoftwareSetUpdateStatus = tc.SoftwareSetUpdateStatusInProgress
	case out.PendingSoftwareSetId != nil:
		out.SoftwareSetUpdateStatus = tc.SoftwareSetUpdateStatusAvailable
	default:
		out.SoftwareSetUpdateStatus = tc.SoftwareSetUpdateStatusUpToDate
	}
	if set := s.findSoftwareSet(d.CurrentSet); set != nil {
		out.SoftwareSetComplianceStatus = tc.DeviceSoftwareSetComplianceStatusCompliant
		if set.expired(c.Now) {
			out.SoftwareSetComplianceStatus = tc.DeviceSoftwareSetComplianceStatusNotCompliant
		}
	}
	return out
}

func deviceSummary(d *tc.Device) *tc.DeviceSummary {
	return &tc.DeviceSummary{
		Id: d.Id, SerialNumber: d.SerialNumber, Name: d.Name, Model: d.Model, EnvironmentId: d.EnvironmentId, Status: d.Status,
		CurrentSoftwareSetId: d.CurrentSoftwareSetId, DesiredSoftwareSetId: d.DesiredSoftwareSetId, PendingSoftwareSetId: d.PendingSoftwareSetId,
		SoftwareSetUpdateSchedule: d.SoftwareSetUpdateSchedule, LastConnectedAt: d.LastConnectedAt, LastPostureAt: d.LastPostureAt,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Arn: d.Arn, LastUserId: d.LastUserId,
	}
}

// deviceView loads the device's environment and computes the view.
func (s *Service) deviceView(ctx context.Context, tx store.Tx, c *api.Call, d *deviceRecord) (*tc.Device, error) {
	e, err := s.deviceEnv(ctx, tx, c, d)
	if err != nil {
		return nil, err
	}
	return s.view(c, d, e), nil
}

// GetDevice returns a device with its computed members.
func (s *Service) GetDevice(ctx context.Context, c *api.Call, in *tc.GetDeviceInput) (*tc.GetDeviceOutput, error) {
	out := &tc.GetDeviceOutput{}
	err := s.store.View(ctx, func(tx store.Tx) error {
		d, err := s.getDevice(ctx, tx, c, *in.Id)
		if err != nil {
			return err
		}
		out.Device, err = s.deviceView(ctx, tx, c, d)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListDevices lists every device of the account and region, in every status.
func (s *Service) ListDevices(ctx context.Context, c *api.Call, in *tc.ListDevicesInput) (*tc.ListDevicesOutput, error) {
	out := &tc.ListDevicesOutput{Devices: []tc.DeviceSummary{}}
	err := s.store.View(ctx, func(tx store.Tx) error {
		sc := store.Scope{Kind: kindDevice, Account: c.Account, Region: c.Region}
		page, next, err := s.listPage(ctx, tx, c, sc, in.NextToken, int(api.ToInt32(in.MaxResults, defaultDevicePage)))
		if err != nil {
			return err
		}
		if next != "" {
			out.NextToken = &next
		}
		envs := map[string]*envRecord{}
		for _, r := range page {
			var d deviceRecord
			if err := r.Decode(&d); err != nil {
				return err
			}
			d.resolve(c.Now, s.delays)
			e, ok := envs[d.EnvironmentID]
			if !ok {
				if e, err = s.deviceEnv(ctx, tx, c, &d); err != nil {
					return err
				}
				envs[d.EnvironmentID] = e
			}
			out.Devices = append(out.Devices, *deviceSummary(s.view(c, &d, e)))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateDevice sets the name and the device's software overrides, in any status.
func (s *Service) UpdateDevice(ctx context.Context, c *api.Call, in *tc.UpdateDeviceInput) (*tc.UpdateDeviceOutput, error) {
	out := &tc.UpdateDeviceOutput{}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		d, err := s.getDevice(ctx, tx, c, *in.Id)
		if err != nil {
			return err
		}
		if in.Name != nil {
			d.Name = in.Name
			if *in.Name == "" {
				d.Name = nil
			}
		}
		if in.DesiredSoftwareSetId != nil {
			if err := s.checkDesiredSet(*in.DesiredSoftwareSetId, c.Now); err != nil {
				return err
			}
			d.DesiredOverride = in.DesiredSoftwareSetId
		}
		if in.SoftwareSetUpdateSchedule != "" {
			d.ScheduleOverride = in.SoftwareSetUpdateSchedule
		}
		d.UpdatedAt = c.Now
		if err := tx.Put(ctx, key(c, kindDevice, d.ID), d); err != nil {
			return err
		}
		v, err := s.deviceView(ctx, tx, c, d)
		out.Device = deviceSummary(v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeregisterDevice starts a REGISTERED device's move to DEREGISTERED or
// ARCHIVED, or archives a DEREGISTERED one (spec §5.3).
func (s *Service) DeregisterDevice(ctx context.Context, c *api.Call, in *tc.DeregisterDeviceInput) (*tc.DeregisterDeviceOutput, error) {
	id := *in.Id
	target := tc.DeviceStatus(in.TargetDeviceStatus)
	if target == "" {
		target = tc.DeviceStatusDeregistered
	}
	fp := params(struct {
		Id     string
		Target tc.TargetDeviceStatus
	}{id, in.TargetDeviceStatus})
	err := s.store.Update(ctx, func(tx store.Tx) error {
		_, err := s.idempotent(ctx, tx, c, in.ClientToken, fp, "device", id, nil, func() (string, error) {
			d, err := s.getDevice(ctx, tx, c, id)
			if err != nil {
				return "", err
			}
			before := *d
			switch {
			case d.Status == tc.DeviceStatusRegistered:
				d.Status, d.StatusSince, d.TargetStatus = tc.DeviceStatusDeregistering, c.Now, target
				d.InstallSet = ""
			case d.Status == tc.DeviceStatusDeregistered && target == tc.DeviceStatusArchived:
				d.Status, d.StatusSince = tc.DeviceStatusArchived, c.Now
			default:
				return "", conflict("device", id, fmt.Sprintf("Device %s is %s; it cannot move to %s.", id, d.Status, target))
			}
			d.UpdatedAt = c.Now
			d.resolve(c.Now, s.delays) // a zero delay completes within the call
			if err := s.retally(ctx, tx, c, nil, &before, d); err != nil {
				return "", err
			}
			return id, tx.Put(ctx, key(c, kindDevice, id), d)
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &tc.DeregisterDeviceOutput{}, nil
}

// DeleteDevice deletes a DEREGISTERED or ARCHIVED device and its tags.
func (s *Service) DeleteDevice(ctx context.Context, c *api.Call, in *tc.DeleteDeviceInput) (*tc.DeleteDeviceOutput, error) {
	id := *in.Id
	err := s.store.Update(ctx, func(tx store.Tx) error {
		_, err := s.idempotent(ctx, tx, c, in.ClientToken, params(struct{ Id string }{id}), "device", id, nil, func() (string, error) {
			d, err := s.getDevice(ctx, tx, c, id)
			if err != nil {
				return "", err
			}
			if d.Status == tc.DeviceStatusRegistered || d.Status == tc.DeviceStatusDeregistering {
				return "", conflict("device", id, fmt.Sprintf("Device %s is %s; deregister it before deleting.", id, d.Status))
			}
			for _, k := range []store.Key{key(c, kindDevice, id), envDeviceKey(c, d.EnvironmentID, id), {Kind: kindDeviceIndex, ID: id}} {
				if err := tx.Delete(ctx, k); err != nil && !errors.Is(err, store.ErrNotFound) {
					return "", err
				}
			}
			if err := dropSerial(ctx, tx, c, d.SerialNumber, id); err != nil {
				return "", err
			}
			return id, deleteTags(ctx, tx, c, "device/"+id)
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &tc.DeleteDeviceOutput{}, nil
}
