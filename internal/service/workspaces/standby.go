package workspaces

// Standby WorkSpaces and data replication (spec §23.1, §23.2). The call is
// made in the standby region and reads the primary in PrimaryRegion: every
// region is in the one store. The pair is recorded on both WorkSpaces;
// RelatedWorkspaces shows the other side's current state. Not emulated:
// DNS failover and connection-alias redirection, the replicated data itself,
// the refusals of Rebuild/CreateWorkspaceImage/compute changes on a
// standby (only Restore and Migrate refuse it). A standby counts against
// --standby-quota and, unlike AWS, also against --workspaces-quota.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// maxStandbyItems mirrors CreateWorkspaces' 25 (inferred: spec §23.1).
const maxStandbyItems = 25

// pairLink is one side of a primary/standby pair: Role is this WorkSpace's
// role; Other and OtherRegion the other side.
type pairLink struct {
	Role        ws.StandbyWorkspaceRelationshipType `json:"role"`
	Other       string                              `json:"other"`
	OtherRegion string                              `json:"otherRegion"`
	Replication ws.DataReplication                  `json:"replication"`
	// Frozen is the last RecoverySnapshotTime when replication stopped.
	Frozen time.Time `json:"frozen"`
}

// recoverySnapshot is the standby's RecoverySnapshotTime at now given the
// primary (nil when it is gone): the primary's latest snapshot that has had
// workspace.replicate to arrive, while replication is on.
func (s *Service) recoverySnapshot(l *pairLink, primary *workspaceRecord, now time.Time) time.Time {
	if l.Replication == ws.DataReplicationPrimaryAsSource && primary != nil {
		if t := lastSnapshot(primary, now.Add(-s.delays.WorkspaceReplicate), s.delays); !t.IsZero() {
			return t
		}
	}
	return l.Frozen
}

func otherCall(c *api.Call, region string) *api.Call {
	o := *c
	o.Region, o.Partition = region, api.PartitionOf(region)
	return &o
}

// relate fills the pair members of v (RelatedWorkspaces,
// StandbyWorkspacesProperties, DataReplicationSettings) from w's pair,
// read in the transaction that read w.
func (s *Service) relate(ctx context.Context, tx store.Tx, c *api.Call, w *workspaceRecord, v *ws.Workspace) error {
	l := w.Pair
	if l == nil {
		return nil
	}
	other, err := s.getWorkspace(ctx, tx, otherCall(c, l.OtherRegion), l.Other)
	if err != nil {
		return err
	}
	primary := w
	if l.Role == ws.StandbyWorkspaceRelationshipTypeStandby {
		primary = other
	}
	var snap *api.Timestamp
	if t := s.recoverySnapshot(l, primary, c.Now); !t.IsZero() {
		snap = api.NewTimestamp(t)
	}
	if l.Role == ws.StandbyWorkspaceRelationshipTypeStandby {
		v.DataReplicationSettings = &ws.DataReplicationSettings{DataReplication: l.Replication, RecoverySnapshotTime: snap}
	}
	if other == nil || !other.live() {
		return nil // the other side is gone: the relationship with it ends
	}
	otherType := ws.StandbyWorkspaceRelationshipTypePrimary
	if l.Role == ws.StandbyWorkspaceRelationshipTypePrimary {
		otherType = ws.StandbyWorkspaceRelationshipTypeStandby
		v.StandbyWorkspacesProperties = []ws.StandbyWorkspacesProperties{{StandbyWorkspaceId: api.String(l.Other), DataReplication: l.Replication, RecoverySnapshotTime: snap}}
	}
	v.RelatedWorkspaces = []ws.RelatedWorkspaceProperties{{WorkspaceId: api.String(l.Other), Region: api.String(l.OtherRegion), State: other.State, Type: otherType}}
	return nil
}

// CreateStandbyWorkspaces creates, in the caller's region, standby
// WorkSpaces for primaries in PrimaryRegion: PENDING, then STOPPED.
func (s *Service) CreateStandbyWorkspaces(ctx context.Context, c *api.Call, in *ws.CreateStandbyWorkspacesInput) (*ws.CreateStandbyWorkspacesOutput, error) {
	switch n := len(in.StandbyWorkspaces); {
	case n == 0 || n > maxStandbyItems:
		return nil, invalidf("StandbyWorkspaces needs 1 to %d items; got %d.", maxStandbyItems, n)
	case *in.PrimaryRegion == c.Region:
		return nil, invalidf("PrimaryRegion %s is the region of this call; call CreateStandbyWorkspaces in the standby region.", c.Region)
	case !ids.KnownRegion(*in.PrimaryRegion):
		return nil, invalidf("PrimaryRegion %s is not a region.", *in.PrimaryRegion)
	}
	seen := map[string]bool{}
	for _, r := range in.StandbyWorkspaces {
		if seen[*r.PrimaryWorkspaceId] {
			return nil, invalidf("The request names primary WorkSpace %s more than once.", *r.PrimaryWorkspaceId)
		}
		seen[*r.PrimaryWorkspaceId] = true
	}
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	var out *ws.CreateStandbyWorkspacesOutput
	err := s.update(ctx, func(tx store.Tx) error {
		// Update may run fn more than once: the output starts afresh on every run.
		out = &ws.CreateStandbyWorkspacesOutput{FailedStandbyRequests: []ws.FailedCreateStandbyWorkspacesRequest{}, PendingStandbyRequests: []ws.PendingCreateStandbyWorkspacesRequest{}}
		existing, err := s.indexedWorkspaces(ctx, tx, c, ixWorkspaceStdby, "", (*workspaceRecord).live) // index.go
		if err != nil {
			return err
		}
		created := 0
		for i := range in.StandbyWorkspaces {
			r := in.StandbyWorkspaces[i]
			w, err := s.newStandby(ctx, tx, c, *in.PrimaryRegion, &r)
			var f *failure
			if errors.As(err, &f) {
				out.FailedStandbyRequests = append(out.FailedStandbyRequests, ws.FailedCreateStandbyWorkspacesRequest{StandbyWorkspaceRequest: &r, ErrorCode: api.String(f.code), ErrorMessage: api.String(f.msg)})
				continue
			}
			if err != nil {
				return err
			}
			created++
			out.PendingStandbyRequests = append(out.PendingStandbyRequests, ws.PendingCreateStandbyWorkspacesRequest{UserName: w.UserName, DirectoryId: w.DirectoryId, State: w.State, WorkspaceId: w.WorkspaceId})
		}
		if len(existing)+created > s.quotas.Standby {
			return limitf("Creating %d standby WorkSpaces would exceed the quota of %d standby WorkSpaces in %s (--standby-quota).", created, s.quotas.Standby, c.Region)
		}
		return s.addCreated(ctx, tx, c, created) // workspace.go
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// newStandby checks one item and stores the standby and the pair, or
// returns a *failure.
func (s *Service) newStandby(ctx context.Context, tx store.Tx, c *api.Call, region string, r *ws.StandbyWorkspace) (*workspaceRecord, error) {
	pc := otherCall(c, region)
	p, err := s.getWorkspace(ctx, tx, pc, *r.PrimaryWorkspaceId)
	if err != nil {
		return nil, err
	}
	if p == nil || !p.live() {
		return nil, failf("ResourceNotFound.Workspace", "The primary WorkSpace %s could not be found in %s.", *r.PrimaryWorkspaceId, region)
	}
	dir, err := s.findDirectory(ctx, tx, c, *r.DirectoryId)
	if err != nil {
		return nil, err
	}
	switch {
	case dir == nil || dir.State == ws.WorkspaceDirectoryStateDeregistered:
		return nil, failf("ResourceNotFound.Directory", "The directory %s could not be found in %s.", *r.DirectoryId, c.Region)
	case dir.State != ws.WorkspaceDirectoryStateRegistered || dir.WorkspaceType == ws.WorkspaceTypePools:
		return nil, failf("InvalidResourceState.Directory", "The directory %s (%s, %s) must be a REGISTERED PERSONAL directory.", *r.DirectoryId, dir.State, dir.WorkspaceType)
	case !in(p.State, ws.WorkspaceStateAvailable, ws.WorkspaceStateStopped):
		return nil, failf("InvalidResourceState.Workspace", "The primary WorkSpace %s is %s; it must be AVAILABLE or STOPPED.", *p.WorkspaceId, p.State)
	case p.Pair != nil && s.pairAlive(ctx, tx, pc, p.Pair):
		return nil, failf("ResourceExists.StandbyWorkspace", "WorkSpace %s already has a standby WorkSpace or is one.", *p.WorkspaceId)
	case p.UserName == nil || strings.EqualFold(*p.UserName, "[UNDEFINED]") || graphics(p.WorkspaceProperties.ComputeTypeName):
		return nil, failf("OperationNotSupported", "WorkSpace %s (user-decoupled or graphics) cannot have a standby WorkSpace.", *p.WorkspaceId)
	}
	pb, pcb, err := s.bundleFor(ctx, tx, pc, api.ToString(p.BundleId))
	if err != nil {
		return nil, err
	}
	if pb == nil || bundleTenancy(pcb) == ws.WorkspaceImageRequiredTenancyDedicated {
		return nil, failf("OperationNotSupported", "WorkSpace %s runs a BYOL or missing bundle; it cannot have a standby WorkSpace.", *p.WorkspaceId)
	}
	slot, err := s.getSlot(ctx, tx, c, *r.DirectoryId, *p.UserName)
	if err != nil {
		return nil, err
	}
	if slot.WorkspaceID != "" {
		return nil, failf("ResourceExists.WorkSpace", "User %s already has WorkSpace %s in directory %s.", *p.UserName, slot.WorkspaceID, *r.DirectoryId)
	}
	if err := checkNewTags(nil, r.Tags); err != nil {
		return nil, failf("InvalidParameterValues", "%s", err.(api.Error).ErrorMessage())
	}
	sb, err := s.standbyBundle(ctx, tx, c, pb)
	if err != nil {
		return nil, err
	}
	id := "ws-" + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 9)
	w := &workspaceRecord{CreatedAt: c.Now}
	w.WorkspaceId, w.DirectoryId, w.UserName, w.BundleId = &id, r.DirectoryId, p.UserName, api.String(sb.ID)
	props := *p.WorkspaceProperties
	props.RunningMode, props.RunningModeAutoStopTimeoutInMinutes = ws.RunningModeAutoStop, api.Int32(defaultAutoStopMinutes)
	w.WorkspaceProperties = &props
	encrypted := r.VolumeEncryptionKey != nil
	w.VolumeEncryptionKey, w.RootVolumeEncryptionEnabled, w.UserVolumeEncryptionEnabled = r.VolumeEncryptionKey, api.Bool(encrypted), api.Bool(encrypted)
	w.ModificationStates = []ws.ModificationState{}
	w.transition(c.Now, ws.WorkspaceStatePending, ws.WorkspaceStateStopped, s.delays.WorkspaceStandby)
	w.place(dir, pb)
	w.Encryption = dir.EndpointEncryptionMode
	repl := r.DataReplication
	if repl == "" {
		repl = ws.DataReplicationNoReplication
	}
	w.Pair = &pairLink{Role: ws.StandbyWorkspaceRelationshipTypeStandby, Other: *p.WorkspaceId, OtherRegion: region, Replication: repl}
	p.Pair = &pairLink{Role: ws.StandbyWorkspaceRelationshipTypePrimary, Other: id, OtherRegion: c.Region, Replication: repl}
	if err := tx.Create(ctx, key(c, kindWorkspace, id), w); err != nil {
		return nil, err
	}
	if err := putEntries(ctx, tx, workspaceEntries(c, w)); err != nil { // index.go
		return nil, err
	}
	if err := tx.Put(ctx, key(pc, kindWorkspace, *p.WorkspaceId), p); err != nil {
		return nil, err
	}
	slot.WorkspaceID = id
	if err := tx.Put(ctx, slotKey(c, *r.DirectoryId, *p.UserName), slot); err != nil {
		return nil, err
	}
	return w, putTags(ctx, tx, c, id, r.Tags)
}

// standbyBundle returns the caller's STANDBY bundle mirroring primary
// bundle pb in this region, creating it the first time (spec §23.1).
func (s *Service) standbyBundle(ctx context.Context, tx store.Tx, c *api.Call, pb *bundle) (*customBundleRecord, error) {
	own, err := ownBundles(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	for _, b := range own {
		if b.Type == ws.BundleTypeStandby && b.Primary == pb.ID {
			return b, nil
		}
	}
	b := &customBundleRecord{bundle: *pb, Owner: c.Account, Description: fmt.Sprintf("Standby bundle mirroring %s", pb.ID),
		Type: ws.BundleTypeStandby, Tenancy: ws.WorkspaceImageRequiredTenancyDefault, Created: c.Now, Updated: c.Now, Primary: pb.ID}
	b.ID = "wsb-" + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 9)
	b.Name = pb.Name + " (standby)"
	// inferred: the mirrored image is an Amazon-internal copy, listed nowhere.
	b.Image = "wsi-" + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 9)
	return b, createBundle(ctx, tx, c, b) // bundle_custom.go
}

// modifyDataReplication is ModifyWorkspaceProperties with DataReplication
// (spec §23.2): it applies to both WorkSpaces of a pair.
func (s *Service) modifyDataReplication(ctx context.Context, c *api.Call, req *ws.ModifyWorkspacePropertiesInput) error {
	if !emptyProperties(req.WorkspaceProperties) {
		return invalidf("DataReplication and WorkspaceProperties cannot be changed in one request.")
	}
	return s.update(ctx, func(tx store.Tx) error {
		w, err := s.getWorkspace(ctx, tx, c, *req.WorkspaceId)
		if err != nil {
			return err
		}
		if w == nil {
			return notFound("WorkSpace", *req.WorkspaceId)
		}
		if w.Pair == nil {
			return invalidf("WorkSpace %s has no standby WorkSpace; data replication needs one (CreateStandbyWorkspaces).", *req.WorkspaceId)
		}
		oc := otherCall(c, w.Pair.OtherRegion)
		other, err := s.getWorkspace(ctx, tx, oc, w.Pair.Other)
		if err != nil {
			return err
		}
		if other == nil {
			return invalidf("The other WorkSpace of %s's pair (%s) is gone.", *req.WorkspaceId, w.Pair.Other)
		}
		primary := w
		if w.Pair.Role == ws.StandbyWorkspaceRelationshipTypeStandby {
			primary = other
		}
		if !in(primary.State, ws.WorkspaceStateAvailable, ws.WorkspaceStateStopped) {
			return stateErrf("Primary WorkSpace %s is %s; it must be AVAILABLE or STOPPED.", *primary.WorkspaceId, primary.State)
		}
		if w.Pair.Replication == req.DataReplication {
			return nil
		}
		frozen := s.recoverySnapshot(w.Pair, primary, c.Now)
		for _, x := range []struct {
			rec *workspaceRecord
			c   *api.Call
		}{{w, c}, {other, oc}} {
			x.rec.Pair.Replication, x.rec.Pair.Frozen = req.DataReplication, frozen
			if err := tx.Put(ctx, key(x.c, kindWorkspace, *x.rec.WorkspaceId), x.rec); err != nil {
				return err
			}
		}
		return nil
	})
}

// standby reports whether w is a standby WorkSpace.
func (w *workspaceRecord) standby() bool {
	return w.Pair != nil && w.Pair.Role == ws.StandbyWorkspaceRelationshipTypeStandby
}

// pairAlive reports whether the other side of l is still a live WorkSpace
// (a read error counts as alive, so nothing is overwritten on doubt).
func (s *Service) pairAlive(ctx context.Context, tx store.Tx, c *api.Call, l *pairLink) bool {
	o, err := s.getWorkspace(ctx, tx, otherCall(c, l.OtherRegion), l.Other)
	return err != nil || (o != nil && o.live())
}
