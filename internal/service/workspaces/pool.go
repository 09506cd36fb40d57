package workspaces

// WorkSpaces Pools (spec §18): pools of non-persistent WorkSpaces on a
// POOLS (wsd-) directory, counted in user sessions. States follow stored
// steps and the clock (resolve), like WorkSpaces. Sessions come only from
// the emulator's own /_local/ endpoint (pool_session.go), since real ones
// start with a SAML sign-in. Not emulated: Application Auto Scaling, the
// S3 bucket behind application settings (only its name), pool Errors (no
// IAM, EC2 or AD to fail), idle disconnects, the end-of-support refusal for
// new customers (§17.7) and the literal "AutoStop only" Start/Stop rule
// (§18.5, §18.6) unless PoolKnobs turn them on (ALWAYS_ON pools may be
// started and stopped by default).

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	kindPool = "workspaces.pool"
	// kindPoolRef finds a pool's account and region by id (account and
	// region left empty): the session simulation is unsigned.
	kindPoolRef = "workspaces.poolref"

	defaultPoolPage = 25 // spec §17.5

	// Timeout defaults when the caller gives none (inferred: spec §18.1,
	// the WorkSpaces Applications console defaults).
	defaultDisconnectTimeout = 900
	defaultIdleTimeout       = 900
	defaultMaxUserDuration   = 57600
)

// poolGone is internal only: a terminated pool, left out of every read.
const poolGone ws.WorkspacesPoolState = "gone"

// poolStep is a state a pool reaches at At.
type poolStep struct {
	State ws.WorkspacesPoolState `json:"state"`
	At    time.Time              `json:"at"`
}

// poolRecord is a stored pool. State is the state now reached; Steps are the
// states still to come, in order.
type poolRecord struct {
	ws.WorkspacesPool
	Desired int32      `json:"desired"`
	Steps   []poolStep `json:"steps,omitempty"`
	// ScaleFrom is when the pool last entered RUNNING or changed capacity:
	// Actual reaches Desired at ScaleFrom + pool.scale.
	ScaleFrom time.Time `json:"scaleFrom"`
	// Terminating marks a STOPPING that is the first half of a terminate.
	Terminating bool          `json:"terminating,omitempty"`
	Sessions    []poolSession `json:"sessions,omitempty"`
	seq         int64
}

func (p *poolRecord) setSeq(n int64) { p.seq = n }

type poolRef struct {
	Account string `json:"account"`
	Region  string `json:"region"`
}

// resolve applies every step due at now and ends the sessions that are over.
func (p *poolRecord) resolve(now time.Time, d Delays) {
	for len(p.Steps) > 0 && !now.Before(p.Steps[0].At) {
		p.State = p.Steps[0].State
		if p.State == ws.WorkspacesPoolStateRunning {
			p.ScaleFrom = p.Steps[0].At
		}
		p.Steps = p.Steps[1:]
	}
	if len(p.Steps) == 0 {
		p.Steps = nil
	}
	p.Sessions = slices.DeleteFunc(p.Sessions, func(ss poolSession) bool { return !ss.live(p, now, d) })
}

func (p *poolRecord) gone() bool { return p.State == poolGone }

// busy reports a transition under way (CREATING, STARTING, STOPPING, UPDATING).
func (p *poolRecord) busy() bool {
	return in2(p.State, ws.WorkspacesPoolStateCreating, ws.WorkspacesPoolStateStarting, ws.WorkspacesPoolStateStopping, ws.WorkspacesPoolStateUpdating)
}

func in2(s ws.WorkspacesPoolState, states ...ws.WorkspacesPoolState) bool {
	return slices.Contains(states, s)
}

// move starts the chain of states steps, each after its delay.
func (p *poolRecord) move(now time.Time, via ws.WorkspacesPoolState, steps ...any) {
	p.State, p.Steps = via, nil
	at := now
	for i := 0; i+1 < len(steps); i += 2 {
		at = at.Add(steps[i+1].(time.Duration))
		p.Steps = append(p.Steps, poolStep{State: steps[i].(ws.WorkspacesPoolState), At: at})
	}
}

// serving reports whether the pool takes new sessions.
func (p *poolRecord) serving() bool {
	return in2(p.State, ws.WorkspacesPoolStateRunning, ws.WorkspacesPoolStateUpdating)
}

// capacity is CapacityStatus at now (spec §18.1).
func (p *poolRecord) capacity(now time.Time, d Delays) *ws.CapacityStatus {
	active := int32(len(p.Sessions))
	actual := int32(0)
	switch {
	case p.serving() && !now.Before(p.ScaleFrom.Add(d.PoolScale)):
		actual = max(p.Desired, active)
	case p.serving() || p.State == ws.WorkspacesPoolStateStopping:
		actual = active
	}
	return &ws.CapacityStatus{DesiredUserSessions: api.Int32(p.Desired), ActualUserSessions: api.Int32(actual),
		ActiveUserSessions: api.Int32(active), AvailableUserSessions: api.Int32(actual - active)}
}

func (p *poolRecord) view(now time.Time, d Delays) ws.WorkspacesPool {
	out := p.WorkspacesPool
	out.CapacityStatus = p.capacity(now, d)
	return out
}

func (s *Service) getPool(ctx context.Context, tx store.Tx, c *api.Call, id string) (*poolRecord, error) {
	p, err := lookup[poolRecord](ctx, tx, key(c, kindPool, id))
	if p == nil || err != nil {
		return nil, err
	}
	if p.resolve(c.Now, s.delays); p.gone() {
		return nil, nil
	}
	return p, nil
}

// mustPool is getPool with ResourceNotFoundException for a missing pool.
func (s *Service) mustPool(ctx context.Context, tx store.Tx, c *api.Call, id string) (*poolRecord, error) {
	p, err := s.getPool(ctx, tx, c, id)
	if err == nil && p == nil {
		err = notFound("pool", id)
	}
	return p, err
}

// livePools lists the caller's pools that are not gone, in creation order.
func (s *Service) livePools(ctx context.Context, tx store.Tx, c *api.Call) ([]*poolRecord, error) {
	all, err := listRecords[poolRecord](ctx, tx, scope(c, kindPool))
	out := all[:0]
	for _, p := range all {
		if p.resolve(c.Now, s.delays); !p.gone() {
			out = append(out, p)
		}
	}
	return out, err
}

// dropGonePools deletes the records of the caller's pools that are gone
// (inferred: lazy cleanup on the next create, as for WorkSpaces).
func (s *Service) dropGonePools(ctx context.Context, tx store.Tx, c *api.Call) error {
	all, err := listRecords[poolRecord](ctx, tx, scope(c, kindPool))
	if err != nil {
		return err
	}
	for _, p := range all {
		if p.resolve(c.Now, s.delays); p.gone() {
			if err := tx.Delete(ctx, key(c, kindPool, *p.PoolId)); err != nil {
				return err
			}
			if err := tx.Delete(ctx, store.Key{Kind: kindPoolRef, ID: *p.PoolId}); ignoreMissing(err) != nil {
				return err
			}
			if err := deleteAllTags(ctx, tx, c, *p.PoolId); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Service) putPool(ctx context.Context, tx store.Tx, c *api.Call, p *poolRecord) error {
	return tx.Put(ctx, key(c, kindPool, *p.PoolId), p)
}

func onsf(reason, format string, args ...any) error {
	return &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf(format, args...)), Reason: api.String(reason)}
}

func inProgressf(format string, args ...any) error {
	return &ws.OperationInProgressException{Message: api.String(fmt.Sprintf(format, args...))}
}

// poolDirectory checks a pool's directory (spec §18.3).
func (s *Service) poolDirectory(ctx context.Context, tx store.Tx, c *api.Call, id string) error {
	d, err := s.findDirectory(ctx, tx, c, id)
	if err != nil {
		return err
	}
	if d == nil || d.State == ws.WorkspaceDirectoryStateDeregistered || d.State == ws.WorkspaceDirectoryStateDeregistering {
		return notFound("directory", id)
	}
	if d.WorkspaceType != ws.WorkspaceTypePools {
		return onsf("PERSONAL_DIRECTORY", "Directory %s is a %s directory; pools need a directory registered with WorkspaceType POOLS.", id, d.WorkspaceType)
	}
	if d.State != ws.WorkspaceDirectoryStateRegistered {
		// inferred (spec §27 Q10): IRS is not modelled for pools.
		return invalidf("Directory %s is %s; it must be REGISTERED.", id, d.State)
	}
	return nil
}

// poolBundle checks a pool's bundle (spec §18.3): Windows Server 2019 or
// 2022 based, not graphics, not STANDBY, AVAILABLE.
func (s *Service) poolBundle(ctx context.Context, tx store.Tx, c *api.Call, id string) error {
	b, cb, err := s.bundleFor(ctx, tx, c, id)
	if err != nil {
		return err
	}
	if b == nil {
		return notFound("bundle", id)
	}
	if cb != nil && cb.state(c.Now) != ws.WorkspaceBundleStateAvailable {
		return invalidf("Bundle %s is %s; it must be AVAILABLE.", id, cb.state(c.Now))
	}
	os := ws.OperatingSystemName(b.OS)
	poolOS := os == ws.OperatingSystemNameWindowsServer2019 || os == ws.OperatingSystemNameWindowsServer2022
	if !poolOS || graphics(b.Compute) || (cb != nil && cb.Type == ws.BundleTypeStandby) {
		return onsf("BUNDLE_NOT_SUPPORTED_FOR_POOLS", "Bundle %s (%s, %s) cannot be used by pools: pools run Windows Server 2019 or 2022 based, non-graphics bundles.", id, b.OS, b.Compute)
	}
	return nil
}

// checkPoolSessions applies the pool-sessions quota with pool id's desired
// sessions set to desired ("" for a new pool).
func (s *Service) checkPoolSessions(ctx context.Context, tx store.Tx, c *api.Call, id string, desired int32) error {
	pools, err := s.livePools(ctx, tx, c)
	if err != nil {
		return err
	}
	sum := int(desired)
	for _, p := range pools {
		if *p.PoolId != id && p.State != ws.WorkspacesPoolStateDeleting {
			sum += int(p.Desired)
		}
	}
	if sum > s.quotas.PoolSessions {
		return limitf("Pools in %s would have %d desired user sessions in all; the quota is %d (--pool-sessions-quota).", c.Region, sum, s.quotas.PoolSessions)
	}
	return nil
}

func timeouts(in *ws.TimeoutSettings, base *ws.TimeoutSettings) *ws.TimeoutSettings {
	out := *base
	if in != nil {
		if in.DisconnectTimeoutInSeconds != nil {
			out.DisconnectTimeoutInSeconds = in.DisconnectTimeoutInSeconds
		}
		if in.IdleDisconnectTimeoutInSeconds != nil {
			out.IdleDisconnectTimeoutInSeconds = in.IdleDisconnectTimeoutInSeconds
		}
		if in.MaxUserDurationInSeconds != nil {
			out.MaxUserDurationInSeconds = in.MaxUserDurationInSeconds
		}
	}
	return &out
}

// appSettings is the stored form of ApplicationSettings: the bucket is the
// account and region's, named once persistence is enabled (spec §17.2).
func appSettings(c *api.Call, in *ws.ApplicationSettingsRequest) *ws.ApplicationSettingsResponse {
	if in == nil {
		return &ws.ApplicationSettingsResponse{Status: ws.ApplicationSettingsStatusEnumDisabled}
	}
	out := &ws.ApplicationSettingsResponse{Status: in.Status, SettingsGroup: in.SettingsGroup}
	if in.Status == ws.ApplicationSettingsStatusEnumEnabled {
		out.S3BucketName = api.String("wspool-app-settings-" + c.Region + "-" + c.Account)
	}
	return out
}

// CreateWorkspacesPool creates a pool: CREATING, then RUNNING after pool.create.
func (s *Service) CreateWorkspacesPool(ctx context.Context, c *api.Call, in *ws.CreateWorkspacesPoolInput) (*ws.CreateWorkspacesPoolOutput, error) {
	var out ws.WorkspacesPool
	err := s.update(ctx, func(tx store.Tx) error {
		if err := s.dropGonePools(ctx, tx, c); err != nil {
			return err
		}
		pools, err := s.livePools(ctx, tx, c)
		if err != nil {
			return err
		}
		if s.poolKnobs.ClosedToNewCustomers && len(pools) == 0 {
			return &ws.AccessDeniedException{Message: api.String("Amazon WorkSpaces Pools is no longer available to new customers as of 7/30/2026 (--pools-closed-to-new-customers).")}
		}
		if err := s.poolDirectory(ctx, tx, c, *in.DirectoryId); err != nil {
			return err
		}
		if err := s.poolBundle(ctx, tx, c, *in.BundleId); err != nil {
			return err
		}
		for _, p := range pools {
			if *p.PoolName == *in.PoolName {
				return &ws.ResourceAlreadyExistsException{Message: api.String(fmt.Sprintf("A pool named '%s' already exists in %s (%s).", *in.PoolName, c.Region, *p.PoolId))}
			}
		}
		if len(pools) >= s.quotas.Pools {
			return limitf("The account already has %d pools in %s; the quota is %d (--pools-quota).", len(pools), c.Region, s.quotas.Pools)
		}
		if err := s.checkPoolSessions(ctx, tx, c, "", *in.Capacity.DesiredUserSessions); err != nil {
			return err
		}
		if err := checkNewTags(nil, in.Tags); err != nil {
			return err
		}
		id := "wspool-" + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 9)
		p := &poolRecord{Desired: *in.Capacity.DesiredUserSessions}
		p.PoolId, p.PoolName, p.Description = &id, in.PoolName, in.Description
		p.PoolArn = api.String(ids.ARN(c.Partition, "workspaces", c.Region, c.Account, "workspacespool/"+id))
		p.BundleId, p.DirectoryId, p.RunningMode = in.BundleId, in.DirectoryId, in.RunningMode
		if p.RunningMode == "" {
			p.RunningMode = ws.PoolsRunningModeAutoStop // inferred: spec §18.3
		}
		p.CreatedAt = api.NewTimestamp(c.Now)
		p.ApplicationSettings = appSettings(c, in.ApplicationSettings)
		p.TimeoutSettings = timeouts(in.TimeoutSettings, &ws.TimeoutSettings{DisconnectTimeoutInSeconds: api.Int32(defaultDisconnectTimeout),
			IdleDisconnectTimeoutInSeconds: api.Int32(defaultIdleTimeout), MaxUserDurationInSeconds: api.Int32(defaultMaxUserDuration)})
		p.move(c.Now, ws.WorkspacesPoolStateCreating, ws.WorkspacesPoolStateRunning, s.delays.PoolCreate)
		if err := tx.Create(ctx, key(c, kindPool, id), p); err != nil {
			return err
		}
		if err := tx.Put(ctx, store.Key{Kind: kindPoolRef, ID: id}, poolRef{Account: c.Account, Region: c.Region}); err != nil {
			return err
		}
		if err := putTags(ctx, tx, c, id, in.Tags); err != nil {
			return err
		}
		out = p.view(c.Now, s.delays) // CREATING even with zero delays: the next read moves it on
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.CreateWorkspacesPoolOutput{WorkspacesPool: &out}, nil
}

// UpdateWorkspacesPool changes what the call names; an unchanged value is
// not a change (Terraform sends every member, spec §18.4).
func (s *Service) UpdateWorkspacesPool(ctx context.Context, c *api.Call, in *ws.UpdateWorkspacesPoolInput) (*ws.UpdateWorkspacesPoolOutput, error) {
	var out ws.WorkspacesPool
	err := s.update(ctx, func(tx store.Tx) error {
		p, err := s.mustPool(ctx, tx, c, *in.PoolId)
		if err != nil {
			return err
		}
		switch {
		case p.State == ws.WorkspacesPoolStateDeleting:
			return stateErrf("Pool %s is DELETING.", *in.PoolId)
		case p.busy():
			return inProgressf("Pool %s is %s; retry when it is RUNNING or STOPPED.", *in.PoolId, p.State)
		}
		changed := false
		stopped := p.State == ws.WorkspacesPoolStateStopped
		if in.RunningMode != "" && in.RunningMode != p.RunningMode {
			if !stopped {
				return stateErrf("The running mode of pool %s can change only while it is STOPPED; it is %s.", *in.PoolId, p.State)
			}
			p.RunningMode, changed = in.RunningMode, true
		}
		if in.DirectoryId != nil && *in.DirectoryId != *p.DirectoryId {
			if !stopped {
				return stateErrf("The directory of pool %s can change only while it is STOPPED; it is %s.", *in.PoolId, p.State)
			}
			if err := s.poolDirectory(ctx, tx, c, *in.DirectoryId); err != nil {
				return err
			}
			p.DirectoryId, changed = in.DirectoryId, true
		}
		if in.BundleId != nil && *in.BundleId != *p.BundleId {
			if err := s.poolBundle(ctx, tx, c, *in.BundleId); err != nil {
				return err
			}
			p.BundleId, changed = in.BundleId, true
		}
		if in.Capacity != nil && *in.Capacity.DesiredUserSessions != p.Desired {
			if err := s.checkPoolSessions(ctx, tx, c, *p.PoolId, *in.Capacity.DesiredUserSessions); err != nil {
				return err
			}
			p.Desired, p.ScaleFrom, changed = *in.Capacity.DesiredUserSessions, c.Now, true
		}
		if in.Description != nil && *in.Description != api.ToString(p.Description) {
			p.Description, changed = in.Description, true
		}
		if in.ApplicationSettings != nil {
			if a := appSettings(c, in.ApplicationSettings); !sameAppSettings(a, p.ApplicationSettings) {
				p.ApplicationSettings, changed = a, true
			}
		}
		if t := timeouts(in.TimeoutSettings, p.TimeoutSettings); !sameTimeouts(t, p.TimeoutSettings) {
			p.TimeoutSettings, changed = t, true
		}
		if changed {
			p.move(c.Now, ws.WorkspacesPoolStateUpdating, p.State, s.delays.PoolUpdate)
			if err := s.putPool(ctx, tx, c, p); err != nil {
				return err
			}
		}
		out = p.view(c.Now, s.delays)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.UpdateWorkspacesPoolOutput{WorkspacesPool: &out}, nil
}

func sameAppSettings(a, b *ws.ApplicationSettingsResponse) bool {
	return a.Status == b.Status && api.ToString(a.SettingsGroup) == api.ToString(b.SettingsGroup)
}

func sameTimeouts(a, b *ws.TimeoutSettings) bool {
	eq := func(x, y *int32) bool { return api.ToInt32(x, 0) == api.ToInt32(y, 0) }
	return eq(a.DisconnectTimeoutInSeconds, b.DisconnectTimeoutInSeconds) && eq(a.IdleDisconnectTimeoutInSeconds, b.IdleDisconnectTimeoutInSeconds) &&
		eq(a.MaxUserDurationInSeconds, b.MaxUserDurationInSeconds)
}

// PoolKnobs are the emulator's optional pool behaviours (spec §18.1).
type PoolKnobs struct {
	// ClosedToNewCustomers: CreateWorkspacesPool answers AccessDenied to an
	// account that owns no pool, as AWS does since 2026-07-30 [O].
	ClosedToNewCustomers bool
	// StrictRunningMode: Start/Stop refuse ALWAYS_ON pools, as the
	// documentation literally says.
	StrictRunningMode bool
}

// SetPoolKnobs turns the optional pool behaviours on or off.
func (s *Service) SetPoolKnobs(k PoolKnobs) { s.poolKnobs = k }

// changePool runs fn on the caller's pool id in a write transaction and
// stores the pool when fn succeeds.
func (s *Service) changePool(ctx context.Context, c *api.Call, id string, fn func(tx store.Tx, p *poolRecord) error) error {
	return s.update(ctx, func(tx store.Tx) error {
		p, err := s.mustPool(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := fn(tx, p); err != nil {
			return err
		}
		return s.putPool(ctx, tx, c, p)
	})
}

// StartWorkspacesPool starts a STOPPED pool: STARTING, then RUNNING.
func (s *Service) StartWorkspacesPool(ctx context.Context, c *api.Call, in *ws.StartWorkspacesPoolInput) (*ws.StartWorkspacesPoolOutput, error) {
	err := s.changePool(ctx, c, *in.PoolId, func(tx store.Tx, p *poolRecord) error {
		switch {
		case p.busy():
			return inProgressf("Pool %s is %s; retry when it is STOPPED.", *in.PoolId, p.State)
		case p.State != ws.WorkspacesPoolStateStopped:
			return stateErrf("Pool %s is %s; only a STOPPED pool can be started.", *in.PoolId, p.State)
		case s.poolKnobs.StrictRunningMode && p.RunningMode == ws.PoolsRunningModeAlwaysOn:
			return onsf("RUNNING_MODE", "Pool %s runs ALWAYS_ON; only AUTO_STOP pools can be started (--strict-pool-running-mode).", *in.PoolId)
		}
		if err := s.checkPoolSessions(ctx, tx, c, *p.PoolId, p.Desired); err != nil {
			return err
		}
		p.move(c.Now, ws.WorkspacesPoolStateStarting, ws.WorkspacesPoolStateRunning, s.delays.PoolStart)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.StartWorkspacesPoolOutput{}, nil
}

// StopWorkspacesPool stops a RUNNING pool: STOPPING, then STOPPED; its
// sessions end.
func (s *Service) StopWorkspacesPool(ctx context.Context, c *api.Call, in *ws.StopWorkspacesPoolInput) (*ws.StopWorkspacesPoolOutput, error) {
	err := s.changePool(ctx, c, *in.PoolId, func(_ store.Tx, p *poolRecord) error {
		switch {
		case p.busy():
			return inProgressf("Pool %s is %s; retry when it is RUNNING.", *in.PoolId, p.State)
		case p.State != ws.WorkspacesPoolStateRunning:
			return stateErrf("Pool %s is %s; only a RUNNING pool can be stopped.", *in.PoolId, p.State)
		case s.poolKnobs.StrictRunningMode && p.RunningMode == ws.PoolsRunningModeAlwaysOn:
			return stateErrf("Pool %s runs ALWAYS_ON; only AUTO_STOP pools can be stopped (--strict-pool-running-mode).", *in.PoolId)
		}
		p.move(c.Now, ws.WorkspacesPoolStateStopping, ws.WorkspacesPoolStateStopped, s.delays.PoolStop)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.StopWorkspacesPoolOutput{}, nil
}

// TerminateWorkspacesPool deletes a pool: from RUNNING through STOPPING
// and DELETING, from STOPPED through DELETING; then it is gone.
func (s *Service) TerminateWorkspacesPool(ctx context.Context, c *api.Call, in *ws.TerminateWorkspacesPoolInput) (*ws.TerminateWorkspacesPoolOutput, error) {
	err := s.changePool(ctx, c, *in.PoolId, func(_ store.Tx, p *poolRecord) error {
		switch {
		case p.State == ws.WorkspacesPoolStateDeleting, p.Terminating:
			return nil // inferred: a terminate under way
		case p.busy():
			return inProgressf("Pool %s is %s; retry when it is RUNNING or STOPPED.", *in.PoolId, p.State)
		case p.State == ws.WorkspacesPoolStateRunning:
			p.move(c.Now, ws.WorkspacesPoolStateStopping, ws.WorkspacesPoolStateDeleting, s.delays.PoolStop, poolGone, s.delays.PoolTerminate)
		default:
			p.move(c.Now, ws.WorkspacesPoolStateDeleting, poolGone, s.delays.PoolTerminate)
		}
		p.Terminating = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.TerminateWorkspacesPoolOutput{}, nil
}

// DescribeWorkspacesPools lists the caller's pools by id and name filters
// (ANDed); unknown ids are left out (inferred: spec §27 Q1). Without ids the
// page is read straight from the caller's pools (scanPage), not a list of
// all of them.
func (s *Service) DescribeWorkspacesPools(ctx context.Context, c *api.Call, in *ws.DescribeWorkspacesPoolsInput) (*ws.DescribeWorkspacesPoolsOutput, error) {
	var page []*poolRecord
	var next *string
	filter := []any{in.PoolIds, in.Filters}
	keep := func(p *poolRecord) bool {
		p.resolve(c.Now, s.delays)
		return !p.gone() && poolMatches(api.ToString(p.PoolName), in.Filters)
	}
	err := s.view(ctx, func(tx store.Tx) error {
		if len(in.PoolIds) == 0 {
			var err error
			page, next, err = scanPage(ctx, s, tx, c, scope(c, kindPool), in.NextToken, in.Limit, defaultPoolPage, filter, keep)
			return err
		}
		var items []*poolRecord
		for i, id := range in.PoolIds {
			p, err := s.getPool(ctx, tx, c, id)
			if err != nil {
				return err
			}
			if p != nil && keep(p) && !slices.ContainsFunc(items, func(q *poolRecord) bool { return *q.PoolId == id }) {
				p.seq = int64(i + 1)
				items = append(items, p)
			}
		}
		var err error
		page, next, err = pageOf(s, c, items, func(p *poolRecord) int64 { return p.seq }, in.NextToken, in.Limit, defaultPoolPage, filter)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeWorkspacesPoolsOutput{WorkspacesPools: make([]ws.WorkspacesPool, 0, len(page)), NextToken: next}
	for _, p := range page {
		out.WorkspacesPools = append(out.WorkspacesPools, p.view(c.Now, s.delays))
	}
	return out, nil
}

// poolMatches applies the PoolName filters (inferred: spec §18.8): values
// are ORed for EQUALS and CONTAINS, ANDed for NOTEQUALS and NOTCONTAINS;
// filters are ANDed; case-sensitive.
func poolMatches(name string, filters []ws.DescribeWorkspacesPoolsFilter) bool {
	for _, f := range filters {
		var hit func(string) bool
		switch f.Operator {
		case ws.DescribeWorkspacesPoolsFilterOperatorEquals, ws.DescribeWorkspacesPoolsFilterOperatorNotequals:
			hit = func(v string) bool { return name == v }
		default:
			hit = func(v string) bool { return strings.Contains(name, v) }
		}
		anyHit := slices.ContainsFunc(f.Values, hit)
		switch f.Operator {
		case ws.DescribeWorkspacesPoolsFilterOperatorNotequals, ws.DescribeWorkspacesPoolsFilterOperatorNotcontains:
			if anyHit {
				return false
			}
		default:
			if !anyHit {
				return false
			}
		}
	}
	return true
}

// directoryPool names a pool of the caller on directory id that is not gone, or "".
func (s *Service) directoryPool(ctx context.Context, tx store.Tx, c *api.Call, id string) (string, error) {
	pools, err := s.livePools(ctx, tx, c)
	for _, p := range pools {
		if api.ToString(p.DirectoryId) == id {
			return *p.PoolId, err
		}
	}
	return "", err
}
