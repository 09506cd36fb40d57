package workspaces

// Snapshots and restore (spec §23.0, §23.3, §23.4). Snapshots are computed
// from the WorkSpace's snapshot clock (SnapshotFrom) and the delays, never
// stored one by one: the first rebuild and restore snapshots at
// SnapshotFrom + workspace.snapshot, then one every
// workspace.snapshot.interval. Not emulated: unhealthy WorkSpaces taking
// user-volume snapshots only (the emulator has no health), the content of
// a restore (applications and files).

import (
	"context"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// lastSnapshot is the time of w's most recent snapshot at now, or zero
// before the first one (and for standby WorkSpaces, which have none).
func lastSnapshot(w *workspaceRecord, now time.Time, d Delays) time.Time {
	if w.SnapshotFrom.IsZero() || (w.standby()) {
		return time.Time{}
	}
	first := w.SnapshotFrom.Add(d.WorkspaceSnapshot)
	switch {
	case now.Before(first):
		return time.Time{}
	case d.WorkspaceSnapshotInterval <= 0: // --delays zero: a snapshot at every read
		return now
	}
	return first.Add(now.Sub(first) / d.WorkspaceSnapshotInterval * d.WorkspaceSnapshotInterval)
}

// DescribeWorkspaceSnapshots shows the most recent rebuild and restore
// snapshot of a WorkSpace (inferred: spec §27 Q6, latest only).
func (s *Service) DescribeWorkspaceSnapshots(ctx context.Context, c *api.Call, in *ws.DescribeWorkspaceSnapshotsInput) (*ws.DescribeWorkspaceSnapshotsOutput, error) {
	var w *workspaceRecord
	err := s.view(ctx, func(tx store.Tx) (err error) {
		w, err = s.getWorkspace(ctx, tx, c, *in.WorkspaceId)
		return err
	})
	if err != nil {
		return nil, err
	}
	if w == nil {
		return nil, notFound("WorkSpace", *in.WorkspaceId)
	}
	out := &ws.DescribeWorkspaceSnapshotsOutput{RebuildSnapshots: []ws.Snapshot{}, RestoreSnapshots: []ws.Snapshot{}}
	if t := lastSnapshot(w, c.Now, s.delays); !t.IsZero() {
		out.RebuildSnapshots = append(out.RebuildSnapshots, ws.Snapshot{SnapshotTime: api.NewTimestamp(t)})
		out.RestoreSnapshots = append(out.RestoreSnapshots, ws.Snapshot{SnapshotTime: api.NewTimestamp(t)})
	}
	return out, nil
}

// RestoreWorkspace rebuilds both volumes from the latest snapshots:
// RESTORING, then AVAILABLE after workspace.restore.
func (s *Service) RestoreWorkspace(ctx context.Context, c *api.Call, req *ws.RestoreWorkspaceInput) (*ws.RestoreWorkspaceOutput, error) {
	id := *req.WorkspaceId
	err := s.update(ctx, func(tx store.Tx) error {
		w, err := s.getWorkspace(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if w == nil {
			return notFound("WorkSpace", id)
		}
		// inferred (spec §27 Q10): InvalidResourceState is not modelled here.
		switch {
		case !in(w.State, ws.WorkspaceStateAvailable, ws.WorkspaceStateError, ws.WorkspaceStateUnhealthy, ws.WorkspaceStateImpaired, ws.WorkspaceStateStopped):
			return onsf("INVALID_STATE", "WorkSpace %s is %s; it can be restored only when AVAILABLE, ERROR, UNHEALTHY, IMPAIRED or STOPPED.", id, w.State)
		case w.standby():
			return onsf("STANDBY_WORKSPACE", "WorkSpace %s is a standby WorkSpace; standby WorkSpaces cannot be restored.", id)
		case w.MigratingTo != "" || len(w.ModificationStates) > 0:
			return onsf("OPERATION_IN_PROGRESS", "WorkSpace %s has a migration or modification in progress.", id)
		case lastSnapshot(w, c.Now, s.delays).IsZero():
			return onsf("NO_SNAPSHOT", "WorkSpace %s has no restore snapshot yet; retry after its first snapshots.", id)
		}
		w.transition(c.Now, ws.WorkspaceStateRestoring, ws.WorkspaceStateAvailable, s.delays.WorkspaceRestore)
		w.ModificationStates = []ws.ModificationState{}
		return tx.Put(ctx, key(c, kindWorkspace, id), w)
	})
	if err != nil {
		return nil, err
	}
	return &ws.RestoreWorkspaceOutput{}, nil
}
