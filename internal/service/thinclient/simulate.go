package thinclient

// Simulated devices (spec §10): not part of AWS. Real devices register
// themselves with an environment's activation code; these methods let tests
// do the same and make a device check in. The HTTP adapter is in
// internal/admin (POST /_local/thinclient/devices, .../{id}/checkin).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// LocalError is an error of the /_local/ device endpoints: a status and a message.
type LocalError struct {
	Status  int
	Message string
}

func (e *LocalError) Error() string { return e.Message }

func localErr(status int, format string, args ...any) error {
	return &LocalError{Status: status, Message: fmt.Sprintf(format, args...)}
}

// Registration is the body of POST /_local/thinclient/devices.
type Registration struct {
	ActivationCode       string  `json:"activationCode"`
	SerialNumber         *string `json:"serialNumber"`
	Model                *string `json:"model"`
	Name                 *string `json:"name"`
	CurrentSoftwareSetID *string `json:"currentSoftwareSetId"`
}

// CheckIn is the body of POST /_local/thinclient/devices/{id}/checkin.
type CheckIn struct {
	UserID    *string `json:"userId"`
	Connected bool    `json:"connected"`
	// Install is auto (default), now or none.
	Install string `json:"install"`
}

type deviceIndex struct {
	Account string `json:"account"`
	Region  string `json:"region"`
}

type serialIndex struct {
	DeviceID string `json:"deviceId"`
}

// dropSerial deletes the serial number's index when it still names the
// deleted device, so the store keeps no record of serials no device has.
func dropSerial(ctx context.Context, tx store.Tx, c *api.Call, serial, deviceID string) error {
	var si serialIndex
	err := tx.Get(ctx, key(c, kindSerial, serial), &si)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	case si.DeviceID != deviceID:
		return nil // a newer device has the serial
	}
	return tx.Delete(ctx, key(c, kindSerial, serial))
}

func localCall(account, region string, now time.Time) *api.Call {
	return &api.Call{Account: account, Region: region, Partition: api.PartitionOf(region), Now: now}
}

// RegisterDevice registers a simulated device in the environment that owns
// the activation code, in whichever account that is.
func (s *Service) RegisterDevice(ctx context.Context, now time.Time, r Registration) (*tc.Device, error) {
	code := strings.ToLower(strings.TrimSpace(r.ActivationCode))
	switch {
	case code == "":
		return nil, localErr(http.StatusBadRequest, "activationCode is required.")
	case r.Name != nil && utf8.RuneCountInString(*r.Name) > 64:
		return nil, localErr(http.StatusBadRequest, "name must have at most 64 characters.")
	case r.CurrentSoftwareSetID != nil && s.findSoftwareSet(*r.CurrentSoftwareSetID) == nil:
		return nil, localErr(http.StatusBadRequest, "currentSoftwareSetId %q is not in the software set catalogue.", *r.CurrentSoftwareSetID)
	}
	var out *tc.Device
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var act activationRecord
		err := tx.Get(ctx, store.Key{Kind: kindActivation, ID: code}, &act)
		if errors.Is(err, store.ErrNotFound) || (err == nil && act.Retired) {
			return localErr(http.StatusNotFound, "No environment has the activation code %q.", api.Echo(r.ActivationCode))
		}
		if err != nil {
			return err
		}
		c := localCall(act.Account, act.Region, now)
		e, err := s.getEnv(ctx, tx, c, act.EnvironmentID)
		if err != nil {
			return localErr(http.StatusNotFound, "No environment has the activation code %q.", api.Echo(r.ActivationCode))
		}
		serial := ids.Random("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 16)
		if r.SerialNumber != nil && *r.SerialNumber != "" {
			serial = *r.SerialNumber
		}
		var si serialIndex
		if err := tx.Get(ctx, key(c, kindSerial, serial), &si); err == nil {
			if prev, err := s.getDevice(ctx, tx, c, si.DeviceID); err == nil &&
				(prev.Status == tc.DeviceStatusRegistered || prev.Status == tc.DeviceStatusDeregistering) {
				return localErr(http.StatusConflict, "Device %s with serial number %s is %s; deregister it first.", prev.ID, serial, prev.Status)
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		d := &deviceRecord{
			ID: ids.Random("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 24), SerialNumber: serial,
			Model: "WSTC-SIM", Name: r.Name, EnvironmentID: *e.Id, Status: tc.DeviceStatusRegistered, StatusSince: now,
			CurrentSet: s.targetSet(e), KmsKeyArn: e.KmsKeyArn, LastPostureAt: &now, CreatedAt: now, UpdatedAt: now,
		}
		if r.Model != nil && *r.Model != "" {
			d.Model = *r.Model
		}
		if d.Name != nil && *d.Name == "" {
			d.Name = nil
		}
		if r.CurrentSoftwareSetID != nil {
			d.CurrentSet = *r.CurrentSoftwareSetID
		}
		if err := s.retally(ctx, tx, c, e, nil, d); err != nil {
			return err
		}
		for _, w := range []struct {
			k store.Key
			v any
		}{
			{key(c, kindDevice, d.ID), d},
			{envDeviceKey(c, *e.Id, d.ID), struct{}{}},
			{store.Key{Kind: kindDeviceIndex, ID: d.ID}, deviceIndex{Account: c.Account, Region: c.Region}},
		} {
			if err := tx.Create(ctx, w.k, w.v); err != nil {
				return err
			}
		}
		if err := tx.Put(ctx, key(c, kindSerial, serial), serialIndex{DeviceID: d.ID}); err != nil {
			return err
		}
		if err := putTags(ctx, tx, c, "device/"+d.ID, e.DeviceCreationTags); err != nil {
			return err
		}
		out = s.view(c, d, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CheckInDevice records a device's posture report (and optionally a user
// session) and installs a pending software set per spec §10.2.
func (s *Service) CheckInDevice(ctx context.Context, now time.Time, id string, in CheckIn) (*tc.Device, error) {
	switch in.Install {
	case "", "auto", "now", "none":
	default:
		return nil, localErr(http.StatusBadRequest, "install must be auto, now or none.")
	}
	var out *tc.Device
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var idx deviceIndex
		err := tx.Get(ctx, store.Key{Kind: kindDeviceIndex, ID: id}, &idx)
		if errors.Is(err, store.ErrNotFound) {
			return localErr(http.StatusNotFound, "Device %s does not exist.", api.Echo(id))
		}
		if err != nil {
			return err
		}
		c := localCall(idx.Account, idx.Region, now)
		d, err := s.getDevice(ctx, tx, c, id)
		if err != nil {
			return localErr(http.StatusNotFound, "Device %s does not exist.", api.Echo(id))
		}
		if d.Status != tc.DeviceStatusRegistered {
			return localErr(http.StatusConflict, "Device %s is %s; only REGISTERED devices check in.", id, d.Status)
		}
		e, err := s.deviceEnv(ctx, tx, c, d)
		if err != nil {
			return err
		}
		before := *d
		d.LastPostureAt, d.UpdatedAt = &now, now
		if in.UserID != nil && *in.UserID != "" {
			d.LastUserID, d.LastConnectedAt = in.UserID, &now
		} else if in.Connected {
			d.LastConnectedAt = &now
		}
		if target := s.effectiveTarget(d, e); target != "" && target != d.CurrentSet && d.InstallSet == "" && s.shouldInstall(d, e, in.Install, now) {
			d.InstallSet, d.InstallDue = target, now.Add(s.delays.SoftwareInstall)
			d.resolve(now, s.delays)
		}
		if err := s.retally(ctx, tx, c, e, &before, d); err != nil {
			return err
		}
		if err := tx.Put(ctx, key(c, kindDevice, id), d); err != nil {
			return err
		}
		out = s.view(c, d, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// shouldInstall decides an install at check-in (spec §10.2).
func (s *Service) shouldInstall(d *deviceRecord, e *envRecord, mode string, now time.Time) bool {
	switch mode {
	case "now":
		return true
	case "none":
		return false
	}
	if s.effectiveSchedule(d, e) == tc.SoftwareSetUpdateScheduleApplyImmediately {
		return true
	}
	if cur := s.findSoftwareSet(d.CurrentSet); cur == nil || cur.expired(now) {
		return true // forced update of expired software
	}
	return e != nil && windowOpen(e.MaintenanceWindow, now)
}

// windowOpen reports whether a CUSTOM window is open at now (UTC; DEVICE
// windows are evaluated in UTC too). A SYSTEM window counts as closed.
func windowOpen(w *tc.MaintenanceWindow, now time.Time) bool {
	if w == nil || w.Type != tc.MaintenanceWindowTypeCustom || w.StartTimeHour == nil || w.EndTimeHour == nil {
		return false
	}
	now = now.UTC()
	start := int(*w.StartTimeHour)*60 + int(api.ToInt32(w.StartTimeMinute, 0))
	end := int(*w.EndTimeHour)*60 + int(api.ToInt32(w.EndTimeMinute, 0))
	minute := now.Hour()*60 + now.Minute()
	day := now.Weekday()
	var inWindow bool
	if start < end {
		inWindow = minute >= start && minute < end
	} else { // crosses midnight: the day is the start day
		switch {
		case minute >= start:
			inWindow = true
		case minute < end:
			inWindow, day = true, (day+6)%7
		}
	}
	if !inWindow {
		return false
	}
	for _, d := range w.DaysOfTheWeek {
		if strings.EqualFold(string(d), day.String()) {
			return true
		}
	}
	return false
}
