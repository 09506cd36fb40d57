package workspaces

// MigrateWorkspace (spec §23.5): a new WorkSpace on the target bundle keeps
// the source's user volume; when the migration ends (workspace.migrate) the
// target is AVAILABLE and the source TERMINATING, then gone. Not emulated:
// failed migrations, the profile-folder moves, the lock of the source
// against the batch operations (Reboot, Rebuild, Start, Stop, Terminate)
// while the migration runs — only Migrate and Restore refuse it.

import (
	"context"
	"fmt"
	"strings"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// bundleTenancy is DEDICATED for BYOL custom bundles, DEFAULT otherwise.
func bundleTenancy(cb *customBundleRecord) ws.WorkspaceImageRequiredTenancy {
	if cb != nil && cb.Tenancy == ws.WorkspaceImageRequiredTenancyDedicated {
		return cb.Tenancy
	}
	return ws.WorkspaceImageRequiredTenancyDefault
}

// migrationAllowed applies the documented scenario rules [D] to a move from
// OS from (tenancy ft) to bundle b (tenancy tt); "" means allowed.
func migrationAllowed(from ws.OperatingSystemName, ft ws.WorkspaceImageRequiredTenancy, b *bundle, tt ws.WorkspaceImageRequiredTenancy) string {
	to := ws.OperatingSystemName(b.OS)
	switch {
	case ft != tt:
		return "BYOL WorkSpaces migrate only to BYOL bundles, and other WorkSpaces only to non-BYOL bundles"
	case osType(from) != osType(to):
		return "a WorkSpace cannot migrate between Windows and Linux"
	case to == ws.OperatingSystemNameWindows7:
		return "Windows 7 is not a migration target"
	case from == ws.OperatingSystemNameWindows7 && to == ws.OperatingSystemNameWindows11:
		return "Windows 7 WorkSpaces migrate to Windows 11 only through Windows 10"
	case from == ws.OperatingSystemNameWindows11 && to == ws.OperatingSystemNameWindows10 && ft == ws.WorkspaceImageRequiredTenancyDedicated:
		return "BYOL Windows 11 WorkSpaces cannot migrate to Windows 10"
	case to == ws.OperatingSystemNameAmazonLinux2:
		return "Amazon Linux 2 is a migration source but not a target"
	case to == ws.OperatingSystemNameWindows11 && b.Compute == ws.ComputeValue:
		return "Value bundles are not available on Windows 11"
	}
	return ""
}

// MigrateWorkspace moves a WorkSpace to another bundle.
func (s *Service) MigrateWorkspace(ctx context.Context, c *api.Call, req *ws.MigrateWorkspaceInput) (*ws.MigrateWorkspaceOutput, error) {
	src, bid := *req.SourceWorkspaceId, *req.BundleId
	var target string
	err := s.update(ctx, func(tx store.Tx) error {
		w, err := s.getWorkspace(ctx, tx, c, src)
		if err != nil {
			return err
		}
		if w == nil {
			return notFound("WorkSpace", src)
		}
		b, cb, err := s.bundleFor(ctx, tx, c, bid)
		if err != nil {
			return err
		}
		if b == nil {
			return notFound("bundle", bid)
		}
		unavailable := func(format string, args ...any) error {
			return &ws.ResourceUnavailableException{Message: api.String(fmt.Sprintf(format, args...)), ResourceId: api.String(src)}
		}
		switch {
		case cb != nil && cb.state(c.Now) != ws.WorkspaceBundleStateAvailable:
			return &ws.ResourceUnavailableException{Message: api.String(fmt.Sprintf("Bundle %s is %s; it must be AVAILABLE.", bid, cb.state(c.Now))), ResourceId: api.String(bid)}
		case w.MigratingTo != "" || w.State == ws.WorkspaceStateUpdating || len(w.ModificationStates) > 0:
			return inProgressf("WorkSpace %s is being migrated or modified; retry when that has finished.", src)
		case !in(w.State, ws.WorkspaceStateAvailable, ws.WorkspaceStateStopped, ws.WorkspaceStateError):
			// inferred (spec §27 Q10): IRS is not modelled here.
			return unavailable("WorkSpace %s is %s; it can be migrated only when AVAILABLE, STOPPED or ERROR.", src, w.State)
		case lastSnapshot(w, c.Now, s.delays).IsZero():
			return unavailable("WorkSpace %s has no user-volume snapshot yet; retry after its first snapshots.", src)
		case api.ToString(w.BundleId) == bid:
			return invalidf("WorkSpace %s already runs bundle %s; choose another bundle.", src, bid)
		case w.Pair != nil:
			return onsf("MIGRATION_NOT_SUPPORTED", "WorkSpace %s is part of a standby pair; it cannot be migrated.", src)
		}
		_, srcCB, err := s.bundleFor(ctx, tx, c, api.ToString(w.BundleId))
		if err != nil {
			return err
		}
		if why := migrationAllowed(w.WorkspaceProperties.OperatingSystemName, bundleTenancy(srcCB), b, bundleTenancy(cb)); why != "" {
			return onsf("MIGRATION_NOT_SUPPORTED", "WorkSpace %s cannot migrate to bundle %s: %s.", src, bid, why)
		}
		t, err := s.migrationTarget(ctx, tx, c, w, b)
		if err != nil {
			return err
		}
		target = *t.WorkspaceId
		w.MigratingTo = target
		w.Next, w.Due = ws.WorkspaceStateTerminating, c.Now.Add(s.delays.WorkspaceMigrate)
		if err := tx.Put(ctx, key(c, kindWorkspace, src), w); err != nil {
			return err
		}
		return s.handOver(ctx, tx, c, w, target)
	})
	if err != nil {
		return nil, err
	}
	return &ws.MigrateWorkspaceOutput{SourceWorkspaceId: req.SourceWorkspaceId, TargetWorkspaceId: &target}, nil
}

// migrationTarget stores the new WorkSpace of a migration of w to b, PENDING
// until workspace.migrate, with w's tags.
func (s *Service) migrationTarget(ctx context.Context, tx store.Tx, c *api.Call, w *workspaceRecord, b *bundle) (*workspaceRecord, error) {
	dir, err := s.findDirectory(ctx, tx, c, *w.DirectoryId)
	if err != nil {
		return nil, err
	}
	if dir == nil {
		dir = &directoryRecord{}
	}
	cur := w.WorkspaceProperties
	props, err := newProperties(b, &ws.WorkspaceProperties{RunningMode: cur.RunningMode, RunningModeAutoStopTimeoutInMinutes: cur.RunningModeAutoStopTimeoutInMinutes})
	if err != nil {
		return nil, invalidf("%s", err.Error())
	}
	// Volumes [D]: the root grows to the target's default; a user volume of
	// the source bundle's default size takes the larger of the two defaults.
	props.RootVolumeSizeGib = api.Int32(max(*cur.RootVolumeSizeGib, b.Root))
	if srcB, _, err := s.bundleFor(ctx, tx, c, api.ToString(w.BundleId)); err != nil {
		return nil, err
	} else if srcB == nil || *cur.UserVolumeSizeGib == srcB.User {
		props.UserVolumeSizeGib = api.Int32(max(*cur.UserVolumeSizeGib, b.User))
	}
	id := "ws-" + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 9)
	t := &workspaceRecord{CreatedAt: c.Now}
	t.WorkspaceId = &id
	t.DirectoryId, t.UserName, t.WorkspaceName, t.BundleId = w.DirectoryId, w.UserName, w.WorkspaceName, api.String(b.ID)
	t.VolumeEncryptionKey, t.UserVolumeEncryptionEnabled, t.RootVolumeEncryptionEnabled = w.VolumeEncryptionKey, w.UserVolumeEncryptionEnabled, w.RootVolumeEncryptionEnabled
	t.WorkspaceProperties = props
	t.ModificationStates = []ws.ModificationState{}
	t.transition(c.Now, ws.WorkspaceStatePending, ws.WorkspaceStateAvailable, s.delays.WorkspaceMigrate)
	t.place(dir, b)
	t.Encryption = w.Encryption
	if err := tx.Create(ctx, key(c, kindWorkspace, id), t); err != nil {
		return nil, err
	}
	if err := putEntries(ctx, tx, workspaceEntries(c, t)); err != nil { // index.go
		return nil, err
	}
	tags, err := getTags(ctx, tx, c, *w.WorkspaceId)
	if err != nil {
		return nil, err
	}
	if err := putTags(ctx, tx, c, id, tags); err != nil {
		return nil, err
	}
	// The target is built from b's image: it carries b's applications, as
	// a new WorkSpace does (application_assoc.go).
	return t, s.inheritApps(ctx, tx, c, t)
}

// handOver gives w's user slot to the migration target at once (inferred:
// the one-WorkSpace-per-user rule exempts a target) and queues w for the
// terminated-records sweep; w's application associations go at once, as
// a terminated WorkSpace's do.
func (s *Service) handOver(ctx context.Context, tx store.Tx, c *api.Call, w *workspaceRecord, target string) error {
	if err := s.dropWorkspaceApps(ctx, tx, c, *w.WorkspaceId); err != nil { // application_assoc.go
		return err
	}
	if w.UserName != nil && !strings.EqualFold(*w.UserName, "[UNDEFINED]") {
		slot, err := s.getSlot(ctx, tx, c, *w.DirectoryId, *w.UserName)
		if err != nil {
			return err
		}
		slot.WorkspaceID = target
		slot.Terminated = append(slot.Terminated, *w.WorkspaceId)
		if err := tx.Put(ctx, slotKey(c, *w.DirectoryId, *w.UserName), slot); err != nil {
			return err
		}
	}
	return s.sweep(ctx, tx, c, *w.WorkspaceId)
}
