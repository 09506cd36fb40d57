package workspaces

// WorkSpace state operations (spec §4.1, §6.4–§6.8, §6.10): reboot,
// rebuild, start, stop, ModifyWorkspaceState and connection status.

import (
	"context"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

func in(state ws.WorkspaceState, states ...ws.WorkspaceState) bool {
	for _, s := range states {
		if state == s {
			return true
		}
	}
	return false
}

// RebootWorkspaces reboots AVAILABLE, UNHEALTHY, IMPAIRED or REBOOTING WorkSpaces.
func (s *Service) RebootWorkspaces(ctx context.Context, c *api.Call, req *ws.RebootWorkspacesInput) (*ws.RebootWorkspacesOutput, error) {
	ids := make([]*string, len(req.RebootWorkspaceRequests))
	for i := range req.RebootWorkspaceRequests {
		ids[i] = req.RebootWorkspaceRequests[i].WorkspaceId
	}
	failed, err := s.batch(ctx, c, ids, func(_ store.Tx, w *workspaceRecord) error {
		if !in(w.State, ws.WorkspaceStateAvailable, ws.WorkspaceStateUnhealthy, ws.WorkspaceStateImpaired, ws.WorkspaceStateRebooting) {
			return badStateFailure(w, "rebooted")
		}
		w.transition(c.Now, ws.WorkspaceStateRebooting, ws.WorkspaceStateAvailable, s.delays.WorkspaceReboot)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.RebootWorkspacesOutput{FailedRequests: failed}, nil
}

// RebuildWorkspaces rebuilds a WorkSpace: REBUILDING → AVAILABLE with a new IP address.
func (s *Service) RebuildWorkspaces(ctx context.Context, c *api.Call, req *ws.RebuildWorkspacesInput) (*ws.RebuildWorkspacesOutput, error) {
	list := make([]*string, len(req.RebuildWorkspaceRequests))
	for i := range req.RebuildWorkspaceRequests {
		list[i] = req.RebuildWorkspaceRequests[i].WorkspaceId
	}
	failed, err := s.batch(ctx, c, list, func(tx store.Tx, w *workspaceRecord) error {
		if !in(w.State, ws.WorkspaceStateAvailable, ws.WorkspaceStateError, ws.WorkspaceStateUnhealthy, ws.WorkspaceStateStopped, ws.WorkspaceStateRebooting) {
			return badStateFailure(w, "rebuilt")
		}
		if w.standby() { // inferred: spec §23.1
			return failf("OperationNotSupported", "WorkSpace %s is a standby WorkSpace; standby WorkSpaces cannot be rebuilt.", *w.WorkspaceId)
		}
		w.transition(c.Now, ws.WorkspaceStateRebuilding, ws.WorkspaceStateAvailable, s.delays.WorkspaceRebuild)
		for old := w.IP; w.IP == old; {
			w.IP = ids.PrivateIPv4() // rebuild recreates the network interface
		}
		return s.resetApps(ctx, tx, c, w) // application_assoc.go
	})
	if err != nil {
		return nil, err
	}
	return &ws.RebuildWorkspacesOutput{FailedRequests: failed}, nil
}

func stoppable(w *workspaceRecord) bool {
	m := w.WorkspaceProperties.RunningMode
	return m == ws.RunningModeAutoStop || m == ws.RunningModeManual
}

// StartWorkspaces starts STOPPED AUTO_STOP or MANUAL WorkSpaces.
func (s *Service) StartWorkspaces(ctx context.Context, c *api.Call, req *ws.StartWorkspacesInput) (*ws.StartWorkspacesOutput, error) {
	list := make([]*string, len(req.StartWorkspaceRequests))
	for i := range req.StartWorkspaceRequests {
		list[i] = req.StartWorkspaceRequests[i].WorkspaceId
	}
	failed, err := s.batch(ctx, c, list, func(_ store.Tx, w *workspaceRecord) error {
		switch {
		case !stoppable(w):
			return failf("InvalidResourceState.Workspace", "WorkSpace %s runs ALWAYS_ON; only AUTO_STOP and MANUAL WorkSpaces can be started.", *w.WorkspaceId)
		case in(w.State, ws.WorkspaceStateAvailable, ws.WorkspaceStateStarting):
			return nil // inferred: already running is a no-op
		case w.State != ws.WorkspaceStateStopped:
			return badStateFailure(w, "started")
		case len(w.ModificationStates) > 0:
			return failf("InvalidResourceState.Workspace", "WorkSpace %s cannot be started while its volumes are being modified.", *w.WorkspaceId)
		}
		w.transition(c.Now, ws.WorkspaceStateStarting, ws.WorkspaceStateAvailable, s.delays.WorkspaceStart)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.StartWorkspacesOutput{FailedRequests: failed}, nil
}

// StopWorkspaces stops AUTO_STOP or MANUAL WorkSpaces.
func (s *Service) StopWorkspaces(ctx context.Context, c *api.Call, req *ws.StopWorkspacesInput) (*ws.StopWorkspacesOutput, error) {
	list := make([]*string, len(req.StopWorkspaceRequests))
	for i := range req.StopWorkspaceRequests {
		list[i] = req.StopWorkspaceRequests[i].WorkspaceId
	}
	failed, err := s.batch(ctx, c, list, func(_ store.Tx, w *workspaceRecord) error {
		switch {
		case !stoppable(w):
			return failf("InvalidResourceState.Workspace", "WorkSpace %s runs ALWAYS_ON; only AUTO_STOP and MANUAL WorkSpaces can be stopped.", *w.WorkspaceId)
		case in(w.State, ws.WorkspaceStateStopped, ws.WorkspaceStateStopping):
			return nil // inferred: already stopped is a no-op
		case !in(w.State, ws.WorkspaceStateAvailable, ws.WorkspaceStateImpaired, ws.WorkspaceStateUnhealthy, ws.WorkspaceStateError):
			return badStateFailure(w, "stopped")
		}
		w.transition(c.Now, ws.WorkspaceStateStopping, ws.WorkspaceStateStopped, s.delays.WorkspaceStop)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.StopWorkspacesOutput{FailedRequests: failed}, nil
}

// ModifyWorkspaceState flips a WorkSpace between AVAILABLE and ADMIN_MAINTENANCE.
func (s *Service) ModifyWorkspaceState(ctx context.Context, c *api.Call, req *ws.ModifyWorkspaceStateInput) (*ws.ModifyWorkspaceStateOutput, error) {
	err := s.update(ctx, func(tx store.Tx) error {
		w, err := s.getWorkspace(ctx, tx, c, *req.WorkspaceId)
		if err != nil {
			return err
		}
		if w == nil {
			return notFound("WorkSpace", *req.WorkspaceId)
		}
		if !in(w.State, ws.WorkspaceStateAvailable, ws.WorkspaceStateAdminMaintenance) {
			return stateErrf("WorkSpace %s is in state %s; this operation requires AVAILABLE or ADMIN_MAINTENANCE.", *req.WorkspaceId, w.State)
		}
		w.State, w.StateSince = ws.WorkspaceState(req.WorkspaceState), c.Now
		return tx.Put(ctx, key(c, kindWorkspace, *req.WorkspaceId), w)
	})
	if err != nil {
		return nil, err
	}
	return &ws.ModifyWorkspaceStateOutput{}, nil
}

// DescribeWorkspacesConnectionStatus reports UNKNOWN for stopped WorkSpaces
// and DISCONNECTED otherwise (no user sessions are emulated).
func (s *Service) DescribeWorkspacesConnectionStatus(ctx context.Context, c *api.Call, req *ws.DescribeWorkspacesConnectionStatusInput) (*ws.DescribeWorkspacesConnectionStatusOutput, error) {
	var page []*workspaceRecord
	var next *string
	err := s.view(ctx, func(tx store.Tx) (err error) {
		if len(req.WorkspaceIds) == 0 {
			page, next, err = scanPage(ctx, s, tx, c, scope(c, kindWorkspace), req.NextToken, nil, defaultWorkspacePage, req.WorkspaceIds, func(w *workspaceRecord) bool {
				w.resolve(c.Now, s.delays)
				return !w.gone
			})
			return err
		}
		items, err := byIDs(req.WorkspaceIds, func(id string) (*workspaceRecord, error) { return s.getWorkspace(ctx, tx, c, id) })
		if err == nil {
			page, next, err = pageOf(s, c, items, func(w *workspaceRecord) int64 { return w.seq }, req.NextToken, nil, defaultWorkspacePage, req.WorkspaceIds)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeWorkspacesConnectionStatusOutput{WorkspacesConnectionStatus: make([]ws.WorkspaceConnectionStatus, 0, len(page)), NextToken: next}
	for _, w := range page {
		state := ws.ConnectionStateDisconnected
		if in(w.State, ws.WorkspaceStateStopped, ws.WorkspaceStateStopping, ws.WorkspaceStatePending, ws.WorkspaceStateTerminating, ws.WorkspaceStateTerminated) {
			state = ws.ConnectionStateUnknown
		}
		out.WorkspacesConnectionStatus = append(out.WorkspacesConnectionStatus, ws.WorkspaceConnectionStatus{
			WorkspaceId: w.WorkspaceId, ConnectionState: state, ConnectionStateCheckTimestamp: api.NewTimestamp(c.Now),
		})
	}
	return out, nil
}
