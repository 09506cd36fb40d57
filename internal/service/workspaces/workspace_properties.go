package workspaces

// ModifyWorkspaceProperties (spec §6.9): running mode and timeout apply at
// once; a compute change shows UPDATING with a COMPUTE_TYPE modification
// state; a volume change shows a ROOT_VOLUME or USER_VOLUME modification
// state without changing the WorkSpace's state.

import (
	"context"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// ModifyWorkspaceProperties changes one WorkSpace's properties.
func (s *Service) ModifyWorkspaceProperties(ctx context.Context, c *api.Call, req *ws.ModifyWorkspacePropertiesInput) (*ws.ModifyWorkspacePropertiesOutput, error) {
	p := req.WorkspaceProperties
	if req.DataReplication != "" {
		if err := s.modifyDataReplication(ctx, c, req); err != nil {
			return nil, err
		}
		return &ws.ModifyWorkspacePropertiesOutput{}, nil
	}
	if emptyProperties(p) {
		return nil, invalidf("Specify WorkspaceProperties with at least one property, or DataReplication.")
	}
	err := s.update(ctx, func(tx store.Tx) error {
		w, err := s.getWorkspace(ctx, tx, c, *req.WorkspaceId)
		if err != nil {
			return err
		}
		if w == nil {
			return notFound("WorkSpace", *req.WorkspaceId)
		}
		if w.State == ws.WorkspaceStateUpdating || len(w.ModificationStates) > 0 {
			return &ws.OperationInProgressException{Message: api.String("Properties of WorkSpace " + *req.WorkspaceId + " are already being modified; retry shortly.")}
		}
		if !in(w.State, ws.WorkspaceStateAvailable, ws.WorkspaceStateStopped) {
			return stateErrf("WorkSpace %s is in state %s; this operation requires AVAILABLE or STOPPED.", *req.WorkspaceId, w.State)
		}
		if p != nil {
			if err := s.applyProperties(c, w, p); err != nil {
				return err
			}
		}
		return tx.Put(ctx, key(c, kindWorkspace, *req.WorkspaceId), w)
	})
	if err != nil {
		return nil, err
	}
	return &ws.ModifyWorkspacePropertiesOutput{}, nil
}

func emptyProperties(p *ws.WorkspaceProperties) bool {
	return p == nil || (p.ComputeTypeName == "" && p.RunningMode == "" && p.RunningModeAutoStopTimeoutInMinutes == nil &&
		p.RootVolumeSizeGib == nil && p.UserVolumeSizeGib == nil && len(p.Protocols) == 0 && p.OperatingSystemName == "" && p.GlobalAccelerator == nil)
}

func (s *Service) applyProperties(c *api.Call, w *workspaceRecord, p *ws.WorkspaceProperties) error {
	cur := w.WorkspaceProperties
	next := *cur
	rootChange := p.RootVolumeSizeGib != nil && *p.RootVolumeSizeGib != *cur.RootVolumeSizeGib
	userChange := p.UserVolumeSizeGib != nil && *p.UserVolumeSizeGib != *cur.UserVolumeSizeGib
	computeChange := p.ComputeTypeName != "" && p.ComputeTypeName != cur.ComputeTypeName
	switch {
	case (rootChange || userChange) && computeChange:
		return invalidf("A volume size and the compute type cannot be changed in one request.")
	case rootChange && userChange:
		return invalidf("The root and user volumes cannot be changed in one request.")
	}
	if p.RunningMode != "" {
		next.RunningMode = p.RunningMode
		if p.RunningMode == ws.RunningModeAlwaysOn {
			next.RunningModeAutoStopTimeoutInMinutes = nil
		} else if next.RunningModeAutoStopTimeoutInMinutes == nil && p.RunningMode == ws.RunningModeAutoStop {
			next.RunningModeAutoStopTimeoutInMinutes = api.Int32(defaultAutoStopMinutes)
		}
	}
	if t := p.RunningModeAutoStopTimeoutInMinutes; t != nil {
		if next.RunningMode == ws.RunningModeAlwaysOn {
			return invalidf("RunningModeAutoStopTimeoutInMinutes does not apply to an ALWAYS_ON WorkSpace.")
		}
		if *t <= 0 || *t%60 != 0 || *t > maxAutoStopMinutes {
			return invalidf("RunningModeAutoStopTimeoutInMinutes must be a multiple of 60 between 60 and %d; got %d.", maxAutoStopMinutes, *t)
		}
		next.RunningModeAutoStopTimeoutInMinutes = t
	}
	if len(p.Protocols) > 0 {
		if len(p.Protocols) > 1 {
			return invalidf("Choose one protocol: PCOIP or WSP.")
		}
		if p.Protocols[0] != cur.Protocols[0] && (graphics(cur.ComputeTypeName) || !wspSupported(cur.OperatingSystemName, cur.ComputeTypeName)) {
			return &ws.UnsupportedWorkspaceConfigurationException{Message: api.String("The protocol of WorkSpace " + *w.WorkspaceId + " (" + string(cur.OperatingSystemName) + ", " + string(cur.ComputeTypeName) + ") cannot be changed.")}
		}
		next.Protocols = p.Protocols
	}
	if p.OperatingSystemName != "" && p.OperatingSystemName != cur.OperatingSystemName {
		// inferred: the operating system changes only through a rebuild from
		// another image or bundle, never through properties.
		return &ws.UnsupportedWorkspaceConfigurationException{Message: api.String("The operating system of WorkSpace " + *w.WorkspaceId + " cannot change from " + string(cur.OperatingSystemName) + " to " + string(p.OperatingSystemName) + ".")}
	}
	if p.GlobalAccelerator != nil {
		next.GlobalAccelerator = p.GlobalAccelerator
	}
	if (computeChange || rootChange || userChange) && w.standby() { // inferred: spec §23.1
		return &ws.UnsupportedWorkspaceConfigurationException{Message: api.String("The compute type and volumes of standby WorkSpace " + *w.WorkspaceId + " follow its primary and cannot be changed.")}
	}
	if computeChange {
		if !computeCompatible(cur.ComputeTypeName, p.ComputeTypeName) {
			return &ws.UnsupportedWorkspaceConfigurationException{Message: api.String("WorkSpace " + *w.WorkspaceId + " cannot change from " + string(cur.ComputeTypeName) + " to " + string(p.ComputeTypeName) + ".")}
		}
		next.ComputeTypeName = p.ComputeTypeName
		w.ModificationStates = []ws.ModificationState{{Resource: ws.ModificationResourceEnumComputeType, State: ws.ModificationStateEnumUpdateInProgress}}
		w.ModDue = c.Now.Add(s.delays.WorkspaceModify)
		w.transition(c.Now, ws.WorkspaceStateUpdating, w.State, s.delays.WorkspaceModify)
	}
	if rootChange || userChange {
		root, user := *cur.RootVolumeSizeGib, *cur.UserVolumeSizeGib
		res := ws.ModificationResourceEnumUserVolume
		if rootChange {
			root, res = *p.RootVolumeSizeGib, ws.ModificationResourceEnumRootVolume
		} else {
			user = *p.UserVolumeSizeGib
		}
		if root < *cur.RootVolumeSizeGib || user < *cur.UserVolumeSizeGib || !validVolumes(root, user, next.ComputeTypeName) {
			return invalidf("Volumes can only grow to an allowed combination; root %d GiB with user %d GiB is not one.", root, user)
		}
		next.RootVolumeSizeGib, next.UserVolumeSizeGib = api.Int32(root), api.Int32(user)
		w.ModificationStates = []ws.ModificationState{{Resource: res, State: ws.ModificationStateEnumUpdateInProgress}}
		w.ModDue = c.Now.Add(s.delays.WorkspaceModify)
	}
	w.WorkspaceProperties = &next
	return nil
}

// computeCompatible: Value/Standard/Performance/Power/PowerPro (and the
// general-purpose types) interchange; Graphics.g4dn ↔ GraphicsPro.g4dn only;
// other graphics types cannot change (spec §6.9).
func computeCompatible(from, to ws.Compute) bool {
	g4 := func(c ws.Compute) bool { return c == ws.ComputeGraphicsG4dn || c == ws.ComputeGraphicsproG4dn }
	switch {
	case g4(from) || g4(to):
		return g4(from) && g4(to)
	case graphics(from) || graphics(to):
		return false
	}
	return true
}
