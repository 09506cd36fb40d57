package thinclient

// Environments (spec §5.1, §6). Not emulated: the desktop named by desktopArn
// is not looked up in the emulated WorkSpaces, AppStream or Secure Browser
// services (spec §6.1: off by default); kmsKeyArn is stored, never checked.
// UpdateEnvironment's modelled ConflictException is never raised (spec §13.7).

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	defaultEnvironmentPage = 50           // spec §1.6
	quotaCodeEnvironments  = "L-THINENV1" // inferred placeholder, spec §4
)

// envRecord is a stored environment: the Environment shape with its
// computed members (device count, pending set, compliance) left empty, and
// the tally of its registered devices they are computed from (tally.go;
// nil on records written before it existed).
type envRecord struct {
	tc.Environment
	Devices *deviceTally `json:"deviceTally,omitempty"`
	seq     int64
}

// activationRecord indexes an activation code across accounts and regions.
type activationRecord struct {
	Account       string `json:"account"`
	Region        string `json:"region"`
	EnvironmentID string `json:"environmentId"`
	Retired       bool   `json:"retired"`
}

func (s *Service) getEnv(ctx context.Context, tx store.Tx, c *api.Call, id string) (*envRecord, error) {
	var e envRecord
	if err := tx.Get(ctx, key(c, kindEnvironment, id), &e); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, notFound("environment", id)
		}
		return nil, err
	}
	return &e, nil
}

// targetSet is the set an environment moves its devices to: the desired set
// under USE_DESIRED, else the newest set of the catalogue (spec §5.1).
func (s *Service) targetSet(e *envRecord) string {
	if e == nil {
		return ""
	}
	if e.SoftwareSetUpdateMode == tc.SoftwareSetUpdateModeUseDesired {
		return api.ToString(e.DesiredSoftwareSetId)
	}
	if l := s.latestSet(); l != nil {
		return l.ID
	}
	return ""
}

// envView computes the members of GetEnvironment from the environment's
// device tally: one store read unless the record predates the tally.
func (s *Service) envView(ctx context.Context, tx store.Tx, c *api.Call, e *envRecord) (*tc.Environment, error) {
	out := e.Environment
	t, err := s.tally(ctx, tx, c, e)
	if err != nil {
		return nil, err
	}
	target := s.targetSet(e)
	count, pending, compliant := 0, false, true
	for current, n := range t.at(c.Now) {
		count += n
		if current != target {
			pending = true
		}
		if set := s.findSoftwareSet(current); set == nil || set.expired(c.Now) {
			compliant = false
		}
	}
	out.RegisteredDevicesCount = api.Int32(int32(count))
	switch {
	case count == 0:
		out.SoftwareSetComplianceStatus = tc.EnvironmentSoftwareSetComplianceStatusNoRegisteredDevices
	case compliant:
		out.SoftwareSetComplianceStatus = tc.EnvironmentSoftwareSetComplianceStatusCompliant
	default:
		out.SoftwareSetComplianceStatus = tc.EnvironmentSoftwareSetComplianceStatusNotCompliant
	}
	if pending && target != "" {
		out.PendingSoftwareSetId = api.String(target)
		out.PendingSoftwareSetVersion = s.version(target)
	}
	if len(out.DeviceCreationTags) == 0 {
		out.DeviceCreationTags = nil
	}
	return &out, nil
}

func summary(e *tc.Environment) *tc.EnvironmentSummary {
	return &tc.EnvironmentSummary{
		Id: e.Id, Name: e.Name, DesktopArn: e.DesktopArn, DesktopEndpoint: e.DesktopEndpoint, DesktopType: e.DesktopType,
		ActivationCode: e.ActivationCode, SoftwareSetUpdateSchedule: e.SoftwareSetUpdateSchedule, MaintenanceWindow: e.MaintenanceWindow,
		SoftwareSetUpdateMode: e.SoftwareSetUpdateMode, DesiredSoftwareSetId: e.DesiredSoftwareSetId, PendingSoftwareSetId: e.PendingSoftwareSetId,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, Arn: e.Arn,
	}
}

func (s *Service) envSummary(ctx context.Context, tx store.Tx, c *api.Call, e *envRecord) (*tc.EnvironmentSummary, error) {
	v, err := s.envView(ctx, tx, c, e)
	if err != nil {
		return nil, err
	}
	return summary(v), nil
}

var directoryIDRe = regexp.MustCompile(`^(d-[0-9a-f]{8,63}|wsd-[0-9a-z]{8,63})$`)

// desktopTypeOf applies spec §2 and §6.1 rows 1–2: the ARN must name a
// WorkSpaces directory, AppStream stack or Secure Browser portal in the
// caller's account and region.
func desktopTypeOf(c *api.Call, arn string) (tc.DesktopType, error) {
	bad := func() (tc.DesktopType, error) {
		return "", fieldErr("desktopArn", fmt.Sprintf("desktopArn '%s' is not a WorkSpaces directory, WorkSpaces Applications stack or WorkSpaces Secure Browser portal ARN in %s.", arn, c.Region))
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return bad()
	}
	service, region, account, resource := parts[2], parts[3], parts[4], parts[5]
	kind, id, _ := strings.Cut(resource, "/")
	var t tc.DesktopType
	switch {
	case service == "workspaces" && kind == "directory" && directoryIDRe.MatchString(id):
		t = tc.DesktopTypeWorkspaces
	case service == "appstream" && kind == "stack" && id != "" && !strings.Contains(id, "/"):
		t = tc.DesktopTypeAppstream
	case service == "workspaces-web" && kind == "portal" && id != "" && !strings.Contains(id, "/"):
		t = tc.DesktopTypeWorkspacesWeb
	default:
		return bad()
	}
	if region != c.Region || account != c.Account {
		return "", fieldErr("desktopArn", fmt.Sprintf("desktopArn '%s' must be in the caller's account %s and region %s.", arn, c.Account, c.Region))
	}
	return t, nil
}

// checkDesktop is the strict desktop check (see CheckDesktops): a no-op
// unless it is on.
func (s *Service) checkDesktop(ctx context.Context, tx store.Tx, c *api.Call, arn string, t tc.DesktopType) error {
	if s.desktops == nil || t != tc.DesktopTypeWorkspaces {
		return nil
	}
	_, id, _ := strings.Cut(arn, ":directory/")
	ok, err := s.desktops.DirectoryRegistered(ctx, tx, c.Account, c.Region, id, c.Now)
	if err != nil || ok {
		return err
	}
	return &tc.ResourceNotFoundException{
		Message:      api.String(fmt.Sprintf("The desktop %s could not be found: directory %s is not registered with WorkSpaces in %s.", api.Echo(arn), api.Echo(id), c.Region)),
		ResourceId:   api.String(api.Echo(arn)),
		ResourceType: api.String("desktop"),
	}
}

// checkEndpoint applies spec §6.1 row 3.
func checkEndpoint(t tc.DesktopType, endpoint *string) error {
	if endpoint != nil && t == tc.DesktopTypeWorkspaces {
		return fieldErr("desktopEndpoint", "desktopEndpoint can only be set for WorkSpaces Applications or WorkSpaces Secure Browser environments.")
	}
	return nil
}

var allDays = []tc.DayOfWeek{tc.DayOfWeekMonday, tc.DayOfWeekTuesday, tc.DayOfWeekWednesday, tc.DayOfWeekThursday, tc.DayOfWeekFriday, tc.DayOfWeekSaturday, tc.DayOfWeekSunday}

// normalizeWindow applies the maintenance window rules of spec §6.6 and
// fills the CUSTOM defaults; nil means the default SYSTEM window.
func normalizeWindow(w *tc.MaintenanceWindow) (*tc.MaintenanceWindow, error) {
	if w == nil {
		return &tc.MaintenanceWindow{Type: tc.MaintenanceWindowTypeSystem}, nil
	}
	out := *w
	out.DaysOfTheWeek = append([]tc.DayOfWeek(nil), w.DaysOfTheWeek...)
	if out.Type != tc.MaintenanceWindowTypeCustom {
		return &out, nil // inferred: SYSTEM echoes whatever else was sent (spec §13.6)
	}
	if out.StartTimeHour == nil {
		return nil, fieldErr("maintenanceWindow.startTimeHour", "maintenanceWindow.startTimeHour is required when type is CUSTOM.")
	}
	if out.EndTimeHour == nil {
		return nil, fieldErr("maintenanceWindow.endTimeHour", "maintenanceWindow.endTimeHour is required when type is CUSTOM.")
	}
	if out.StartTimeMinute == nil {
		out.StartTimeMinute = api.Int32(0)
	}
	if out.EndTimeMinute == nil {
		out.EndTimeMinute = api.Int32(0)
	}
	if len(out.DaysOfTheWeek) == 0 {
		out.DaysOfTheWeek = append([]tc.DayOfWeek(nil), allDays...)
	}
	if out.ApplyTimeOf == "" {
		out.ApplyTimeOf = tc.ApplyTimeOfUtc
	}
	seen := map[tc.DayOfWeek]bool{}
	for _, d := range out.DaysOfTheWeek {
		if seen[d] {
			return nil, fieldErr("maintenanceWindow.daysOfTheWeek", fmt.Sprintf("maintenanceWindow.daysOfTheWeek lists %s more than once.", d))
		}
		seen[d] = true
	}
	if *out.StartTimeHour == *out.EndTimeHour && *out.StartTimeMinute == *out.EndTimeMinute {
		return nil, otherErr("maintenanceWindow start and end must differ.")
	}
	return &out, nil
}

// CreateEnvironment creates an environment with a fresh id and activation code.
func (s *Service) CreateEnvironment(ctx context.Context, c *api.Call, in *tc.CreateEnvironmentInput) (*tc.CreateEnvironmentOutput, error) {
	req := *in
	req.ClientToken = nil
	fp := params(req)
	out := &tc.CreateEnvironmentOutput{}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		_, err := s.idempotent(ctx, tx, c, in.ClientToken, fp, "environment", "", out, func() (string, error) {
			e, err := s.newEnvironment(ctx, tx, c, in)
			if err != nil {
				return "", err
			}
			if out.Environment, err = s.envSummary(ctx, tx, c, e); err != nil {
				return "", err
			}
			return *e.Id, nil
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// newEnvironment checks a create request in the order of spec §6.1 and stores it.
func (s *Service) newEnvironment(ctx context.Context, tx store.Tx, c *api.Call, in *tc.CreateEnvironmentInput) (*envRecord, error) {
	dt, err := desktopTypeOf(c, *in.DesktopArn)
	if err != nil {
		return nil, err
	}
	if err := s.checkDesktop(ctx, tx, c, *in.DesktopArn, dt); err != nil {
		return nil, err
	}
	if err := checkEndpoint(dt, in.DesktopEndpoint); err != nil {
		return nil, err
	}
	window, err := normalizeWindow(in.MaintenanceWindow)
	if err != nil {
		return nil, err
	}
	mode := in.SoftwareSetUpdateMode
	if mode == "" {
		mode = tc.SoftwareSetUpdateModeUseLatest
		if in.DesiredSoftwareSetId != nil {
			mode = tc.SoftwareSetUpdateModeUseDesired
		}
	}
	switch {
	case mode == tc.SoftwareSetUpdateModeUseDesired && in.DesiredSoftwareSetId == nil:
		return nil, otherErr("softwareSetUpdateMode USE_DESIRED requires desiredSoftwareSetId.")
	case mode == tc.SoftwareSetUpdateModeUseLatest && in.DesiredSoftwareSetId != nil:
		return nil, otherErr("desiredSoftwareSetId cannot be set when softwareSetUpdateMode is USE_LATEST.")
	}
	if err := checkTags("tags", nil, in.Tags); err != nil {
		return nil, err
	}
	if err := checkTags("deviceCreationTags", nil, in.DeviceCreationTags); err != nil {
		return nil, err
	}
	if in.DesiredSoftwareSetId != nil {
		if err := s.checkDesiredSet(*in.DesiredSoftwareSetId, c.Now); err != nil {
			return nil, err
		}
	}
	n, err := tx.Count(ctx, store.Scope{Kind: kindEnvironment, Account: c.Account, Region: c.Region})
	if err != nil {
		return nil, err
	}
	if n >= s.quotas.Environments {
		return nil, &tc.ServiceQuotaExceededException{
			Message:      api.String(fmt.Sprintf("Quota of %d environments reached in %s.", s.quotas.Environments, c.Region)),
			ResourceType: api.String("environment"), ServiceCode: api.String("thinclient"), QuotaCode: api.String(quotaCodeEnvironments),
		}
	}
	id := ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 9)
	code, err := s.newActivationCode(ctx, tx, c, id)
	if err != nil {
		return nil, err
	}
	e := &envRecord{}
	e.Id = &id
	e.Arn = api.String(arn(c, "environment/"+id))
	e.Name = in.Name
	if api.ToString(e.Name) == "" {
		e.Name = nil
	}
	e.DesktopArn, e.DesktopType, e.DesktopEndpoint = in.DesktopArn, dt, in.DesktopEndpoint
	e.ActivationCode = &code
	e.SoftwareSetUpdateSchedule = in.SoftwareSetUpdateSchedule
	if e.SoftwareSetUpdateSchedule == "" {
		e.SoftwareSetUpdateSchedule = tc.SoftwareSetUpdateScheduleUseMaintenanceWindow
	}
	e.MaintenanceWindow = window
	e.SoftwareSetUpdateMode = mode
	e.DesiredSoftwareSetId = in.DesiredSoftwareSetId
	e.KmsKeyArn = in.KmsKeyArn
	if len(in.DeviceCreationTags) > 0 {
		e.DeviceCreationTags = in.DeviceCreationTags
	}
	e.CreatedAt, e.UpdatedAt = ts(c.Now), ts(c.Now)
	e.Devices = &deviceTally{}
	if err := tx.Create(ctx, key(c, kindEnvironment, id), e); err != nil {
		return nil, err
	}
	if err := putTags(ctx, tx, c, "environment/"+id, in.Tags); err != nil {
		return nil, err
	}
	return e, nil
}

// newActivationCode issues a code no live environment of any account has.
func (s *Service) newActivationCode(ctx context.Context, tx store.Tx, c *api.Call, envID string) (string, error) {
	for range 20 {
		code := ids.Random("abcdefghijklmnopqrstuvwxyz", 2) + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 6)
		err := tx.Create(ctx, store.Key{Kind: kindActivation, ID: code}, activationRecord{Account: c.Account, Region: c.Region, EnvironmentID: envID})
		if err == nil {
			return code, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return "", err
		}
	}
	return "", errors.New("could not issue a unique activation code")
}

// GetEnvironment returns an environment with its computed members.
func (s *Service) GetEnvironment(ctx context.Context, c *api.Call, in *tc.GetEnvironmentInput) (*tc.GetEnvironmentOutput, error) {
	out := &tc.GetEnvironmentOutput{}
	err := s.store.View(ctx, func(tx store.Tx) error {
		e, err := s.getEnv(ctx, tx, c, *in.Id)
		if err != nil {
			return err
		}
		out.Environment, err = s.envView(ctx, tx, c, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListEnvironments lists environments in creation order. inferred: equal
// createdAt values keep creation order rather than id order (spec §1.6), so
// the store sequence is the page cursor.
func (s *Service) ListEnvironments(ctx context.Context, c *api.Call, in *tc.ListEnvironmentsInput) (*tc.ListEnvironmentsOutput, error) {
	out := &tc.ListEnvironmentsOutput{Environments: []tc.EnvironmentSummary{}}
	err := s.store.View(ctx, func(tx store.Tx) error {
		sc := store.Scope{Kind: kindEnvironment, Account: c.Account, Region: c.Region}
		page, next, err := s.listPage(ctx, tx, c, sc, in.NextToken, int(api.ToInt32(in.MaxResults, defaultEnvironmentPage)))
		if err != nil {
			return err
		}
		if next != "" {
			out.NextToken = &next
		}
		for _, r := range page {
			var e envRecord
			if err := r.Decode(&e); err != nil {
				return err
			}
			sum, err := s.envSummary(ctx, tx, c, &e)
			if err != nil {
				return err
			}
			out.Environments = append(out.Environments, *sum)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateEnvironment changes the members present in the request (spec §6.4).
func (s *Service) UpdateEnvironment(ctx context.Context, c *api.Call, in *tc.UpdateEnvironmentInput) (*tc.UpdateEnvironmentOutput, error) {
	out := &tc.UpdateEnvironmentOutput{}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		e, err := s.getEnv(ctx, tx, c, *in.Id)
		if err != nil {
			return err
		}
		if in.DesktopArn != nil {
			// A malformed ARN is applyEnvUpdate's validation error.
			if dt, err := desktopTypeOf(c, *in.DesktopArn); err == nil {
				if err := s.checkDesktop(ctx, tx, c, *in.DesktopArn, dt); err != nil {
					return err
				}
			}
		}
		if err := s.applyEnvUpdate(c, e, in); err != nil {
			return err
		}
		e.UpdatedAt = ts(c.Now)
		if err := tx.Put(ctx, key(c, kindEnvironment, *e.Id), e); err != nil {
			return err
		}
		out.Environment, err = s.envSummary(ctx, tx, c, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) applyEnvUpdate(c *api.Call, e *envRecord, in *tc.UpdateEnvironmentInput) error {
	if in.Name != nil {
		e.Name = in.Name
		if *in.Name == "" {
			e.Name = nil
		}
	}
	if in.DesktopArn != nil {
		dt, err := desktopTypeOf(c, *in.DesktopArn)
		if err != nil {
			return err
		}
		e.DesktopArn, e.DesktopType = in.DesktopArn, dt
		if dt == tc.DesktopTypeWorkspaces && in.DesktopEndpoint == nil {
			e.DesktopEndpoint = nil
		}
	}
	if in.DesktopEndpoint != nil {
		if err := checkEndpoint(e.DesktopType, in.DesktopEndpoint); err != nil {
			return err
		}
		e.DesktopEndpoint = in.DesktopEndpoint
	}
	if in.SoftwareSetUpdateSchedule != "" {
		e.SoftwareSetUpdateSchedule = in.SoftwareSetUpdateSchedule
	}
	if in.MaintenanceWindow != nil {
		w, err := normalizeWindow(in.MaintenanceWindow)
		if err != nil {
			return err
		}
		e.MaintenanceWindow = w
	}
	mode, desired := e.SoftwareSetUpdateMode, e.DesiredSoftwareSetId
	explicitDesired := in.DesiredSoftwareSetId != nil && *in.DesiredSoftwareSetId != ""
	if in.SoftwareSetUpdateMode == tc.SoftwareSetUpdateModeUseLatest && explicitDesired {
		return otherErr("desiredSoftwareSetId cannot be set when softwareSetUpdateMode is USE_LATEST.")
	}
	if in.SoftwareSetUpdateMode != "" {
		mode = in.SoftwareSetUpdateMode
		if mode == tc.SoftwareSetUpdateModeUseLatest {
			desired = nil
		}
	}
	if in.DesiredSoftwareSetId != nil {
		if explicitDesired {
			desired = in.DesiredSoftwareSetId
			if in.SoftwareSetUpdateMode == "" {
				mode = tc.SoftwareSetUpdateModeUseDesired
			}
		} else {
			if mode != tc.SoftwareSetUpdateModeUseLatest {
				return otherErr("desiredSoftwareSetId can be cleared only together with softwareSetUpdateMode USE_LATEST.")
			}
			desired = nil
		}
	}
	if mode == tc.SoftwareSetUpdateModeUseDesired && desired == nil {
		return otherErr("softwareSetUpdateMode USE_DESIRED requires desiredSoftwareSetId.")
	}
	if in.DeviceCreationTags != nil {
		if err := checkTags("deviceCreationTags", nil, in.DeviceCreationTags); err != nil {
			return err
		}
		e.DeviceCreationTags = nil
		if len(in.DeviceCreationTags) > 0 {
			e.DeviceCreationTags = in.DeviceCreationTags
		}
	}
	if explicitDesired {
		if err := s.checkDesiredSet(*in.DesiredSoftwareSetId, c.Now); err != nil {
			return err
		}
	}
	e.SoftwareSetUpdateMode, e.DesiredSoftwareSetId = mode, desired
	return nil
}

// DeleteEnvironment deletes an environment without registered or
// deregistering devices; its activation code stops working (and is deleted).
func (s *Service) DeleteEnvironment(ctx context.Context, c *api.Call, in *tc.DeleteEnvironmentInput) (*tc.DeleteEnvironmentOutput, error) {
	id := *in.Id
	err := s.store.Update(ctx, func(tx store.Tx) error {
		_, err := s.idempotent(ctx, tx, c, in.ClientToken, params(struct{ Id string }{id}), "environment", id, nil, func() (string, error) {
			e, err := s.getEnv(ctx, tx, c, id)
			if err != nil {
				return "", err
			}
			devices, err := s.envDevices(ctx, tx, c, id)
			if err != nil {
				return "", err
			}
			for _, d := range devices {
				if d.Status == tc.DeviceStatusRegistered || d.Status == tc.DeviceStatusDeregistering {
					return "", conflict("environment", id, fmt.Sprintf("Environment %s has device %s in status %s; deregister its devices first.", id, d.ID, d.Status))
				}
			}
			for _, d := range devices {
				if err := tx.Delete(ctx, envDeviceKey(c, id, d.ID)); err != nil {
					return "", err
				}
			}
			// The code is deleted, not kept as retired, so the store follows the
			// live environments; a deleted code registers nothing either way
			// (inferred: 26²·36⁶ codes make a reissue negligible).
			if err := tx.Delete(ctx, store.Key{Kind: kindActivation, ID: *e.ActivationCode}); err != nil && !errors.Is(err, store.ErrNotFound) {
				return "", err
			}
			if err := deleteTags(ctx, tx, c, "environment/"+id); err != nil {
				return "", err
			}
			return id, tx.Delete(ctx, key(c, kindEnvironment, id))
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &tc.DeleteEnvironmentOutput{}, nil
}
