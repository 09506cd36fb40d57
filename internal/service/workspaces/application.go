package workspaces

// Applications ("Manage applications", spec §20): a built-in catalogue of
// the license-included Microsoft applications (applications.json), their
// associations with WorkSpaces (Associate, Disassociate, Deploy) and the
// associations images and bundles carry. Not emulated: deployment failures
// (ERROR is reachable only if a future fault hook sets it; Force retries it),
// and customer-owned applications (Owner = an account id lists nothing).
//
// Storage: one record per (application, WorkSpace) in the kind
// appKind(application), so an application's WorkSpaces are one scope listed
// in association order, plus a per-WorkSpace index of its applications
// (kindAppIndex), so a WorkSpace without any costs one Get to read or drop. Image associations live per region like
// images (account left empty, owner in the record) in imageAppKind(application).
// Bundle associations are derived: a public bundle carries the Office its
// name says; a custom bundle carries its image's (bundleApps).

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	defaultApplicationPage = 25 // spec §17.5
	defaultAssociationPage = 25 // spec §17.5
	// removedVisible is how long a REMOVED association stays listed
	// (inferred: spec §20.2).
	removedVisible = 24 * time.Hour
)

//go:embed applications.json
var builtinApplications []byte

// applicationTime is the fixed creation time of the catalogue (inferred).
var applicationTime = time.Date(2023, 11, 16, 0, 0, 0, 0, time.UTC)

// application is one catalogue entry. Product groups the editions of which
// a WorkSpace holds at most one (spec §20.2).
type application struct {
	ID      string
	Name    string
	Product string
	State   ws.WorkSpaceApplicationState
	Compute []ws.Compute
	OS      []ws.OperatingSystemName
	order   int64
}

func loadApplications(b []byte) ([]application, error) {
	var doc struct {
		ComputeSets  map[string][]ws.Compute             `json:"computeSets"`
		OSSets       map[string][]ws.OperatingSystemName `json:"osSets"`
		Applications []struct {
			ID, Name, Product, Compute, OS string
			State                          ws.WorkSpaceApplicationState
		} `json:"applications"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("application catalogue: %w", err)
	}
	out := make([]application, 0, len(doc.Applications))
	for i, a := range doc.Applications {
		cs, ok1 := doc.ComputeSets[a.Compute]
		os, ok2 := doc.OSSets[a.OS]
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("application catalogue: %s names an unknown compute set %q or OS set %q", a.ID, a.Compute, a.OS)
		}
		out = append(out, application{ID: a.ID, Name: a.Name, Product: a.Product, State: a.State, Compute: cs, OS: os, order: int64(i + 1)})
	}
	return out, nil
}

func (s *Service) findApplication(id string) *application {
	for i := range s.applications {
		if s.applications[i].ID == id {
			return &s.applications[i]
		}
	}
	return nil
}

func (a *application) shape() ws.WorkSpaceApplication {
	return ws.WorkSpaceApplication{
		ApplicationId: api.String(a.ID), Name: api.String(a.Name), Description: api.String(a.Name),
		Owner: api.String("AMAZON"), LicenseType: ws.WorkSpaceApplicationLicenseTypeLicensed, State: a.State,
		Created:                       api.NewTimestamp(applicationTime),
		SupportedComputeTypeNames:     slices.Clone(a.Compute),
		SupportedOperatingSystemNames: slices.Clone(a.OS),
	}
}

// appError is one of the four application exceptions, which have no
// members in the model: sent with a message anyway (spec §17.1), with the
// status the model gives the code.
func appError(code, format string, args ...any) error {
	return &api.CommonError{Code: code, Message: fmt.Sprintf(format, args...), Status: ws.ErrorStatus[code]}
}

// DescribeApplications filters the catalogue: members are ANDed, values of
// one list ORed (inferred: spec §20.3).
func (s *Service) DescribeApplications(ctx context.Context, c *api.Call, in *ws.DescribeApplicationsInput) (*ws.DescribeApplicationsOutput, error) {
	var list []*application
	owner := api.ToString(in.Owner)
	for i := range s.applications {
		a := &s.applications[i]
		switch {
		case owner != "" && owner != "AMAZON": // no customer-owned applications exist
		case len(in.ApplicationIds) > 0 && !slices.Contains(in.ApplicationIds, a.ID):
		case in.LicenseType != "" && in.LicenseType != ws.WorkSpaceApplicationLicenseTypeLicensed:
		case len(in.ComputeTypeNames) > 0 && !slices.ContainsFunc(in.ComputeTypeNames, func(x ws.Compute) bool { return slices.Contains(a.Compute, x) }):
		case len(in.OperatingSystemNames) > 0 && !slices.ContainsFunc(in.OperatingSystemNames, func(x ws.OperatingSystemName) bool { return slices.Contains(a.OS, x) }):
		default:
			list = append(list, a)
		}
	}
	filter := []any{in.ApplicationIds, in.ComputeTypeNames, in.LicenseType, in.OperatingSystemNames, in.Owner}
	page, next, err := pageOf(s, c, list, func(a *application) int64 { return a.order }, in.NextToken, in.MaxResults, defaultApplicationPage, filter)
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeApplicationsOutput{Applications: make([]ws.WorkSpaceApplication, 0, len(page)), NextToken: next}
	for _, a := range page {
		out.Applications = append(out.Applications, a.shape())
	}
	return out, nil
}

// appAssocRecord is one application's association with one WorkSpace.
// State is the state as of StateSince; a queued deployment (PENDING_INSTALL,
// PENDING_UNINSTALL) runs for the application.deploy delay, half queued and
// half in progress.
type appAssocRecord struct {
	WorkspaceID   string              `json:"workspaceId"`
	ApplicationID string              `json:"applicationId"`
	State         ws.AssociationState `json:"state"`
	StateSince    time.Time           `json:"stateSince"`
	Created       time.Time           `json:"created"`
	// Installed is whether the application is (or was, before an ERROR) on
	// the WorkSpace: an ERROR retry and a disassociation go the right way.
	Installed bool                       `json:"installed"`
	Reason    *ws.AssociationStateReason `json:"reason,omitempty"`
	seq       int64
	gone      bool
}

// kindAppIndex holds a WorkSpace's appIndexRecord.
const kindAppIndex = "workspaces.appindex"

func appKind(appID string) string      { return "workspaces.appassoc." + appID }
func imageAppKind(appID string) string { return "workspaces.appimage." + appID }

func appAssocKey(c *api.Call, appID, workspaceID string) store.Key {
	return key(c, appKind(appID), workspaceID)
}

// resolve advances a running deployment to what it is at now.
func (r *appAssocRecord) resolve(now time.Time, d Delays) {
	half := d.ApplicationDeploy / 2
	for {
		var next ws.AssociationState
		due := r.StateSince.Add(half)
		switch r.State {
		case ws.AssociationStatePendingInstall:
			next = ws.AssociationStateInstalling
		case ws.AssociationStateInstalling:
			next, due = ws.AssociationStateCompleted, r.StateSince.Add(d.ApplicationDeploy-half)
		case ws.AssociationStatePendingUninstall:
			next = ws.AssociationStateUninstalling
		case ws.AssociationStateUninstalling:
			next, due = ws.AssociationStateRemoved, r.StateSince.Add(d.ApplicationDeploy-half)
		case ws.AssociationStateRemoved:
			r.gone = !now.Before(r.StateSince.Add(removedVisible))
			return
		default:
			return
		}
		if now.Before(due) {
			return
		}
		r.State, r.StateSince = next, due
		switch next {
		case ws.AssociationStateCompleted:
			r.Installed = true
		case ws.AssociationStateRemoved:
			r.Installed = false
		}
	}
}

// running reports whether a deployment is queued or in progress.
func (r *appAssocRecord) running() bool {
	switch r.State {
	case ws.AssociationStatePendingInstall, ws.AssociationStatePendingUninstall, ws.AssociationStateInstalling, ws.AssociationStateUninstalling:
		return true
	}
	return false
}

// targeted reports whether the application is meant to be on the WorkSpace
// once pending deployments ran: the set compatibility is checked against.
func (r *appAssocRecord) targeted() bool {
	switch r.State {
	case ws.AssociationStateRemoved, ws.AssociationStatePendingUninstall, ws.AssociationStatePendingUninstallDeployment, ws.AssociationStateUninstalling:
		return false
	case ws.AssociationStateError:
		return r.Installed
	}
	return true
}

func (r *appAssocRecord) set(now time.Time, st ws.AssociationState) {
	r.State, r.StateSince, r.Reason = st, now, nil
}

func (r *appAssocRecord) shape() ws.WorkspaceResourceAssociation {
	return ws.WorkspaceResourceAssociation{
		AssociatedResourceId: api.String(r.ApplicationID), AssociatedResourceType: ws.WorkSpaceAssociatedResourceTypeApplication,
		Created: api.NewTimestamp(r.Created), LastUpdatedTime: api.NewTimestamp(r.StateSince),
		State: r.State, StateReason: r.Reason, WorkspaceId: api.String(r.WorkspaceID),
	}
}

func (r *appAssocRecord) setSeq(n int64) { r.seq = n }

// appIndexRecord lists the applications a WorkSpace has (or had) an
// association with, so reading or dropping a WorkSpace's associations costs
// one Get when it has none.
type appIndexRecord struct {
	Apps []string `json:"apps"`
}

func appIndexKey(c *api.Call, workspaceID string) store.Key { return key(c, kindAppIndex, workspaceID) }

// putNewAssoc stores an association and adds its application to the
// WorkSpace's index.
func (s *Service) putNewAssoc(ctx context.Context, tx store.Tx, c *api.Call, r *appAssocRecord) error {
	idx, err := lookup[appIndexRecord](ctx, tx, appIndexKey(c, r.WorkspaceID))
	if err != nil {
		return err
	}
	if idx == nil {
		idx = &appIndexRecord{}
	}
	if !contains(idx.Apps, r.ApplicationID) {
		idx.Apps = append(idx.Apps, r.ApplicationID)
		if err := tx.Put(ctx, appIndexKey(c, r.WorkspaceID), idx); err != nil {
			return err
		}
	}
	return tx.Put(ctx, appAssocKey(c, r.ApplicationID, r.WorkspaceID), r)
}

// workspaceApps returns the WorkSpace's associations that are not gone, in
// catalogue order, with their current state.
func (s *Service) workspaceApps(ctx context.Context, tx store.Tx, c *api.Call, workspaceID string) ([]*appAssocRecord, error) {
	idx, err := lookup[appIndexRecord](ctx, tx, appIndexKey(c, workspaceID))
	if idx == nil || err != nil {
		return nil, err
	}
	var out []*appAssocRecord
	for i := range s.applications {
		if !contains(idx.Apps, s.applications[i].ID) {
			continue
		}
		r, err := lookup[appAssocRecord](ctx, tx, appAssocKey(c, s.applications[i].ID, workspaceID))
		if err != nil {
			return nil, err
		}
		if r == nil {
			continue
		}
		if r.resolve(c.Now, s.delays); !r.gone {
			out = append(out, r)
		}
	}
	return out, nil
}

// appWorkspace returns the caller's WorkSpace id with its associations, or
// ResourceNotFoundException.
func (s *Service) appWorkspace(ctx context.Context, tx store.Tx, c *api.Call, id string) (*workspaceRecord, []*appAssocRecord, error) {
	w, err := s.getWorkspace(ctx, tx, c, id)
	if err != nil {
		return nil, nil, err
	}
	if w == nil {
		return nil, nil, notFound("WorkSpace", id)
	}
	apps, err := s.workspaceApps(ctx, tx, c, id)
	return w, apps, err
}

// checkAppWorkspaceState: application changes need an AVAILABLE or STOPPED
// WorkSpace (spec §20.4; inferred code, IRS is not modelled) with no
// deployment running.
func checkAppWorkspaceState(w *workspaceRecord, apps []*appAssocRecord) error {
	if w.State != ws.WorkspaceStateAvailable && w.State != ws.WorkspaceStateStopped {
		return &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf("WorkSpace %s is %s; applications can be changed only on an AVAILABLE or STOPPED WorkSpace.", *w.WorkspaceId, w.State)), Reason: api.String("WORKSPACE_STATE")}
	}
	if w.MigratingTo != "" {
		// inferred: a migrating source is locked (spec §23.5), as in batch.
		return &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf("WorkSpace %s is being migrated to %s; change the applications of the new WorkSpace.", *w.WorkspaceId, w.MigratingTo)), Reason: api.String("WORKSPACE_STATE")}
	}
	for _, r := range apps {
		if r.running() {
			return &ws.ResourceInUseException{Message: api.String(fmt.Sprintf("A deployment is running on WorkSpace %s (%s is %s); wait until it completes.", *w.WorkspaceId, r.ApplicationID, r.State)), ResourceId: w.WorkspaceId}
		}
	}
	return nil
}

// checkTargetSet refuses a target set holding two applications of one
// product (inferred: spec §20.2).
func (s *Service) checkTargetSet(apps []*appAssocRecord, adding string) error {
	seen := map[string]string{}
	if a := s.findApplication(adding); a != nil {
		seen[a.Product] = a.ID
	}
	for _, r := range apps {
		a := s.findApplication(r.ApplicationID)
		if a == nil || r.ApplicationID == adding || !r.targeted() {
			continue
		}
		if other, ok := seen[a.Product]; ok {
			return appError("IncompatibleApplicationsException", "Applications %s and %s cannot be on the same WorkSpace; disassociate one of them first.", other, a.ID)
		}
		seen[a.Product] = a.ID
	}
	return nil
}

// AssociateWorkspaceApplication queues the installation of a catalogue
// application on a WorkSpace: PENDING_INSTALL_DEPLOYMENT until
// DeployWorkspaceApplications.
func (s *Service) AssociateWorkspaceApplication(ctx context.Context, c *api.Call, in *ws.AssociateWorkspaceApplicationInput) (*ws.AssociateWorkspaceApplicationOutput, error) {
	var out ws.WorkspaceResourceAssociation
	err := s.update(ctx, func(tx store.Tx) error {
		w, apps, err := s.appWorkspace(ctx, tx, c, *in.WorkspaceId)
		if err != nil {
			return err
		}
		a := s.findApplication(*in.ApplicationId)
		if a == nil {
			return notFound("application", *in.ApplicationId)
		}
		if err := checkAppWorkspaceState(w, apps); err != nil {
			return err
		}
		props := w.WorkspaceProperties
		if props == nil {
			props = &ws.WorkspaceProperties{}
		}
		if osType(props.OperatingSystemName) != ws.OperatingSystemTypeWindows {
			return appError("OperatingSystemNotCompatibleException", "WorkSpace %s runs %s; applications can be managed only on Windows WorkSpaces.", *w.WorkspaceId, props.OperatingSystemName)
		}
		if !slices.Contains(a.OS, props.OperatingSystemName) {
			return appError("OperatingSystemNotCompatibleException", "Application %s does not support %s (WorkSpace %s).", a.ID, props.OperatingSystemName, *w.WorkspaceId)
		}
		if !slices.Contains(a.Compute, props.ComputeTypeName) {
			return appError("ComputeNotCompatibleException", "Application %s does not support compute type %s (WorkSpace %s).", a.ID, props.ComputeTypeName, *w.WorkspaceId)
		}
		if a.State == ws.WorkSpaceApplicationStateUninstallOnly {
			return appError("ApplicationNotSupportedException", "Application %s can only be uninstalled, not installed.", a.ID)
		}
		var r *appAssocRecord
		for _, x := range apps {
			if x.ApplicationID == a.ID {
				r = x
			}
		}
		if r != nil && r.State != ws.AssociationStateRemoved {
			return &ws.ResourceAlreadyExistsException{Message: api.String(fmt.Sprintf("Application %s is already associated with WorkSpace %s (%s).", a.ID, *w.WorkspaceId, r.State))}
		}
		if err := s.checkTargetSet(apps, a.ID); err != nil {
			return err
		}
		if r == nil {
			r = &appAssocRecord{WorkspaceID: *w.WorkspaceId, ApplicationID: a.ID, Created: c.Now}
		}
		r.set(c.Now, ws.AssociationStatePendingInstallDeployment)
		r.Installed = false
		out = r.shape()
		return s.putNewAssoc(ctx, tx, c, r)
	})
	if err != nil {
		return nil, err
	}
	return &ws.AssociateWorkspaceApplicationOutput{Association: &out}, nil
}

// DisassociateWorkspaceApplication queues an uninstallation, or drops an
// association that was never deployed.
func (s *Service) DisassociateWorkspaceApplication(ctx context.Context, c *api.Call, in *ws.DisassociateWorkspaceApplicationInput) (*ws.DisassociateWorkspaceApplicationOutput, error) {
	var out ws.WorkspaceResourceAssociation
	err := s.update(ctx, func(tx store.Tx) error {
		w, apps, err := s.appWorkspace(ctx, tx, c, *in.WorkspaceId)
		if err != nil {
			return err
		}
		var r *appAssocRecord
		for _, x := range apps {
			if x.ApplicationID == *in.ApplicationId && x.State != ws.AssociationStateRemoved {
				r = x
			}
		}
		if r == nil {
			return &ws.ResourceNotFoundException{Message: api.String(fmt.Sprintf("Application %s is not associated with WorkSpace %s.", *in.ApplicationId, *w.WorkspaceId)), ResourceId: in.ApplicationId}
		}
		if err := checkAppWorkspaceState(w, apps); err != nil {
			return err
		}
		switch {
		case r.State == ws.AssociationStatePendingUninstallDeployment:
			// inferred: already queued, unchanged.
		case r.State == ws.AssociationStatePendingInstallDeployment, r.State == ws.AssociationStateError && !r.Installed:
			r.set(c.Now, ws.AssociationStateRemoved)
		default: // COMPLETED, or ERROR of an installed application
			r.set(c.Now, ws.AssociationStatePendingUninstallDeployment)
		}
		out = r.shape()
		return tx.Put(ctx, appAssocKey(c, r.ApplicationID, *w.WorkspaceId), r)
	})
	if err != nil {
		return nil, err
	}
	return &ws.DisassociateWorkspaceApplicationOutput{Association: &out}, nil
}

// DeployWorkspaceApplications starts every pending installation and
// uninstallation of a WorkSpace (with Force, failed ones are retried) and
// returns the WorkSpace's associations in their new states.
func (s *Service) DeployWorkspaceApplications(ctx context.Context, c *api.Call, in *ws.DeployWorkspaceApplicationsInput) (*ws.DeployWorkspaceApplicationsOutput, error) {
	var out *ws.WorkSpaceApplicationDeployment
	err := s.update(ctx, func(tx store.Tx) error {
		// Update may run fn more than once: the output starts afresh on every run.
		out = &ws.WorkSpaceApplicationDeployment{Associations: []ws.WorkspaceResourceAssociation{}}
		w, apps, err := s.appWorkspace(ctx, tx, c, *in.WorkspaceId)
		if err != nil {
			return err
		}
		if err := checkAppWorkspaceState(w, apps); err != nil {
			return err
		}
		force := api.ToBool(in.Force, false)
		if force {
			if err := s.checkTargetSet(apps, ""); err != nil {
				return err
			}
		}
		for _, r := range apps {
			next := ws.AssociationState("")
			switch {
			case r.State == ws.AssociationStatePendingInstallDeployment, force && r.State == ws.AssociationStateError && !r.Installed:
				next = ws.AssociationStatePendingInstall
			case r.State == ws.AssociationStatePendingUninstallDeployment, force && r.State == ws.AssociationStateError && r.Installed:
				next = ws.AssociationStatePendingUninstall
			}
			if next != "" {
				r.set(c.Now, next)
				if err := tx.Put(ctx, appAssocKey(c, r.ApplicationID, *w.WorkspaceId), r); err != nil {
					return err
				}
			}
			out.Associations = append(out.Associations, r.shape())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.DeployWorkspaceApplicationsOutput{Deployment: out}, nil
}

// DescribeWorkspaceAssociations lists a WorkSpace's application
// associations (REMOVED ones for a day), in catalogue order.
func (s *Service) DescribeWorkspaceAssociations(ctx context.Context, c *api.Call, in *ws.DescribeWorkspaceAssociationsInput) (*ws.DescribeWorkspaceAssociationsOutput, error) {
	if len(in.AssociatedResourceTypes) == 0 {
		return nil, invalidf("AssociatedResourceTypes must name at least one type (APPLICATION).")
	}
	var apps []*appAssocRecord
	err := s.view(ctx, func(tx store.Tx) (err error) {
		_, apps, err = s.appWorkspace(ctx, tx, c, *in.WorkspaceId)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeWorkspaceAssociationsOutput{Associations: make([]ws.WorkspaceResourceAssociation, 0, len(apps))}
	for _, r := range apps {
		out.Associations = append(out.Associations, r.shape())
	}
	return out, nil
}
