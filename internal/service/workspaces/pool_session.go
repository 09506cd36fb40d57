package workspaces

// Pool sessions (spec §18.9, §18.10): DescribeWorkspacesPoolSessions,
// TerminateWorkspacesPoolSession and the emulator's simulated sign-ins
// (StartPoolSession, SetPoolSessionConnected), which the /_local/ endpoints
// call. Sessions live inside their pool's record; a reference record finds
// a session's pool by session id.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	// kindPoolSessionRef finds a session's account, region and pool by
	// session id (account and region left empty).
	kindPoolSessionRef  = "workspaces.poolsessionref"
	defaultSessionPage  = 20 // spec §17.5 [D]
	minUserID, maxUsrID = 2, 128
)

// poolSession is one simulated user session.
type poolSession struct {
	ID       string    `json:"id"`
	User     string    `json:"user"`
	Instance string    `json:"instance"`
	ENI      string    `json:"eni"`
	IP       string    `json:"ip"`
	Start    time.Time `json:"start"`
	Expire   time.Time `json:"expire"`
	// Disconnected is when the user disconnected (zero while connected).
	Disconnected time.Time `json:"disconnected"`
	// Terminated is when TerminateWorkspacesPoolSession was called.
	Terminated time.Time `json:"terminated"`
	seq        int64
}

func (ss *poolSession) setSeq(n int64) { ss.seq = n }

// live reports whether the session still exists at now (spec §18.9).
func (ss poolSession) live(p *poolRecord, now time.Time, d Delays) bool {
	switch {
	case !in2(p.State, ws.WorkspacesPoolStateRunning, ws.WorkspacesPoolStateUpdating, ws.WorkspacesPoolStateStopping):
		return false
	case !now.Before(ss.Expire):
		return false
	case !ss.Terminated.IsZero() && !now.Before(ss.Terminated.Add(d.PoolSessionTerminate)):
		return false
	case !ss.Disconnected.IsZero():
		timeout := time.Duration(api.ToInt32(p.TimeoutSettings.DisconnectTimeoutInSeconds, defaultDisconnectTimeout)) * time.Second
		return now.Before(ss.Disconnected.Add(timeout))
	}
	return true
}

func (ss poolSession) view(poolID string) ws.WorkspacesPoolSession {
	state := ws.SessionConnectionStateConnected
	if !ss.Disconnected.IsZero() {
		state = ws.SessionConnectionStateNotConnected
	}
	return ws.WorkspacesPoolSession{
		SessionId: api.String(ss.ID), PoolId: api.String(poolID), UserId: api.String(ss.User),
		AuthenticationType: ws.AuthenticationTypeSaml, ConnectionState: state, InstanceId: api.String(ss.Instance),
		StartTime: api.NewTimestamp(ss.Start), ExpirationTime: api.NewTimestamp(ss.Expire),
		NetworkAccessConfiguration: &ws.NetworkAccessConfiguration{EniId: api.String(ss.ENI), EniPrivateIpAddress: api.String(ss.IP)},
	}
}

type sessionRef struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	PoolID  string `json:"poolId"`
}

func ignoreMissing(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// DescribeWorkspacesPoolSessions lists a pool's live sessions in start
// order, optionally for one user (exact, case-sensitive; inferred).
func (s *Service) DescribeWorkspacesPoolSessions(ctx context.Context, c *api.Call, in *ws.DescribeWorkspacesPoolSessionsInput) (*ws.DescribeWorkspacesPoolSessionsOutput, error) {
	var p *poolRecord
	err := s.view(ctx, func(tx store.Tx) (err error) {
		p, err = s.mustPool(ctx, tx, c, *in.PoolId)
		return err
	})
	if err != nil {
		return nil, err
	}
	var items []poolSession
	for i, ss := range p.Sessions {
		if in.UserId == nil || ss.User == *in.UserId {
			ss.seq = int64(i + 1)
			items = append(items, ss)
		}
	}
	page, next, err := pageOf(s, c, items, func(ss poolSession) int64 { return ss.seq }, in.NextToken, in.Limit, defaultSessionPage, []any{in.PoolId, in.UserId})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeWorkspacesPoolSessionsOutput{Sessions: make([]ws.WorkspacesPoolSession, 0, len(page)), NextToken: next}
	for _, ss := range page {
		out.Sessions = append(out.Sessions, ss.view(*p.PoolId))
	}
	return out, nil
}

// TerminateWorkspacesPoolSession ends a live session of the caller's pools.
func (s *Service) TerminateWorkspacesPoolSession(ctx context.Context, c *api.Call, in *ws.TerminateWorkspacesPoolSessionInput) (*ws.TerminateWorkspacesPoolSessionOutput, error) {
	id := *in.SessionId
	err := s.update(ctx, func(tx store.Tx) error {
		ref, err := lookup[sessionRef](ctx, tx, store.Key{Kind: kindPoolSessionRef, ID: id})
		if err != nil {
			return err
		}
		if ref == nil || ref.Account != c.Account || ref.Region != c.Region {
			return notFound("pool session", id)
		}
		p, err := s.getPool(ctx, tx, c, ref.PoolID)
		if err != nil {
			return err
		}
		i := -1
		if p != nil {
			i = slices.IndexFunc(p.Sessions, func(ss poolSession) bool { return ss.ID == id })
		}
		if i < 0 {
			return notFound("pool session", id)
		}
		switch {
		case !p.Sessions[i].Terminated.IsZero():
			return inProgressf("Session %s is already being terminated.", id)
		case in2(p.State, ws.WorkspacesPoolStateStopping, ws.WorkspacesPoolStateDeleting):
			return onsf("POOL_NOT_RUNNING", "Pool %s is %s; its sessions are already ending.", *p.PoolId, p.State)
		}
		p.Sessions[i].Terminated = c.Now
		p.resolve(c.Now, s.delays)
		if err := s.putPool(ctx, tx, c, p); err != nil {
			return err
		}
		return ignoreMissing(tx.Delete(ctx, store.Key{Kind: kindPoolSessionRef, ID: id}))
	})
	if err != nil {
		return nil, err
	}
	return &ws.TerminateWorkspacesPoolSessionOutput{}, nil
}

// LocalError is a refusal of a /_local/ simulation endpoint: the HTTP
// status and a message naming what to fix.
type LocalError struct {
	Status  int
	Message string
}

func (e *LocalError) Error() string { return e.Message }

func localf(status int, format string, args ...any) error {
	return &LocalError{Status: status, Message: fmt.Sprintf(format, args...)}
}

// SessionStart is the body of POST /_local/workspaces/pools/{id}/sessions.
type SessionStart struct {
	UserID    string `json:"userId"`
	Connected *bool  `json:"connected,omitempty"`
}

// refCall is the call context of a pool found by reference.
func refCall(account, region string, now time.Time) *api.Call {
	return &api.Call{Account: account, Region: region, Partition: api.PartitionOf(region), Now: now}
}

// StartPoolSession signs a simulated user in to pool id (any account and
// region): 404 unknown pool, 409 not serving, full or the user already in.
func (s *Service) StartPoolSession(ctx context.Context, now time.Time, poolID string, in SessionStart) (*ws.WorkspacesPoolSession, error) {
	if n := len(in.UserID); n < minUserID || n > maxUsrID {
		return nil, localf(400, "userId is required, %d to %d characters.", minUserID, maxUsrID)
	}
	var out ws.WorkspacesPoolSession
	err := s.update(ctx, func(tx store.Tx) error {
		ref, err := lookup[poolRef](ctx, tx, store.Key{Kind: kindPoolRef, ID: poolID})
		if err != nil {
			return err
		}
		if ref == nil {
			return localf(404, "No pool %s.", poolID)
		}
		c := refCall(ref.Account, ref.Region, now)
		p, err := s.getPool(ctx, tx, c, poolID)
		if err != nil {
			return err
		}
		if p == nil {
			return localf(404, "No pool %s.", poolID)
		}
		if !p.serving() {
			return localf(409, "Pool %s is %s; sessions start only while it is RUNNING or UPDATING.", poolID, p.State)
		}
		if slices.ContainsFunc(p.Sessions, func(ss poolSession) bool { return ss.User == in.UserID }) {
			return localf(409, "User %s already has a session in pool %s.", in.UserID, poolID)
		}
		if cs := p.capacity(now, s.delays); *cs.AvailableUserSessions <= 0 {
			return localf(409, "Pool %s has no available user session (desired %d, active %d).", poolID, p.Desired, *cs.ActiveUserSessions)
		}
		max := time.Duration(api.ToInt32(p.TimeoutSettings.MaxUserDurationInSeconds, defaultMaxUserDuration)) * time.Second
		ss := poolSession{ID: uuid.NewString(), User: in.UserID, Instance: "i-" + ids.Random("0123456789abcdef", 17),
			ENI: "eni-" + ids.Random("0123456789abcdef", 17), IP: ids.PrivateIPv4(), Start: now, Expire: now.Add(max)}
		if in.Connected != nil && !*in.Connected {
			ss.Disconnected = now
		}
		p.Sessions = append(p.Sessions, ss)
		if err := s.putPool(ctx, tx, c, p); err != nil {
			return err
		}
		out = ss.view(poolID)
		return tx.Put(ctx, store.Key{Kind: kindPoolSessionRef, ID: ss.ID}, sessionRef{Account: ref.Account, Region: ref.Region, PoolID: poolID})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// SetPoolSessionConnected connects or disconnects a simulated session: a
// disconnect starts the pool's disconnect timeout; 404 for no live session.
func (s *Service) SetPoolSessionConnected(ctx context.Context, now time.Time, sessionID string, connected bool) (*ws.WorkspacesPoolSession, error) {
	var out ws.WorkspacesPoolSession
	err := s.update(ctx, func(tx store.Tx) error {
		ref, err := lookup[sessionRef](ctx, tx, store.Key{Kind: kindPoolSessionRef, ID: sessionID})
		if err != nil {
			return err
		}
		if ref == nil {
			return localf(404, "No session %s.", sessionID)
		}
		c := refCall(ref.Account, ref.Region, now)
		p, err := s.getPool(ctx, tx, c, ref.PoolID)
		if err != nil {
			return err
		}
		i := -1
		if p != nil {
			i = slices.IndexFunc(p.Sessions, func(ss poolSession) bool { return ss.ID == sessionID })
		}
		if i < 0 {
			return localf(404, "No live session %s.", sessionID)
		}
		switch ss := &p.Sessions[i]; {
		case connected:
			ss.Disconnected = time.Time{}
		case ss.Disconnected.IsZero():
			ss.Disconnected = now
		}
		out = p.Sessions[i].view(ref.PoolID)
		return s.putPool(ctx, tx, c, p)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
