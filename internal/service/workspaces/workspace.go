package workspaces

// WorkSpaces lifecycle (spec §4.1, §6): create, describe, terminate. State
// changes are derived from stored timestamps and the clock (resolve), never
// from goroutines. Not emulated: user sessions (connection state is
// DISCONNECTED or UNKNOWN), AutoStop, AWS-initiated MAINTENANCE, the volume
// snapshots rebuild needs, standby/pool WorkSpaces, the 6-hour and 30-day
// modification cooldowns.

import (
	"context"
	"errors"
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
	defaultWorkspacePage   = 25   // spec §1.4
	defaultAutoStopMinutes = 60   // spec §6
	maxAutoStopMinutes     = 2880 // inferred: spec §6.1
)

// workspaceRecord is a stored WorkSpace. State is the state as of
// StateSince; when Next is set the state becomes Next at Due.
type workspaceRecord struct {
	ws.Workspace
	StateSince time.Time         `json:"stateSince"`
	Next       ws.WorkspaceState `json:"next,omitempty"`
	Due        time.Time         `json:"due"`
	// ModDue is when ModificationStates clear.
	ModDue    time.Time `json:"modDue"`
	CreatedAt time.Time `json:"createdAt"`
	// Network identity, shown once the WorkSpace has been AVAILABLE.
	IP       string `json:"ip"`
	Subnet   string `json:"subnet"`
	Computer string `json:"computer"`
	// SnapshotFrom is when the snapshot clock (re)started: the first
	// AVAILABLE, or the end of a rebuild or restore (snapshot.go).
	SnapshotFrom time.Time `json:"snapshotFrom"`
	// Pair links a primary and its standby WorkSpace (standby.go).
	Pair *pairLink `json:"pair,omitempty"`
	// MigratingTo is the target of a migration under way (migrate.go).
	MigratingTo string `json:"migratingTo,omitempty"`
	// Encryption is the directory's endpoint encryption mode when the
	// WorkSpace was created; "" is STANDARD_TLS (encryption.go).
	Encryption ws.EndpointEncryptionMode `json:"encryption,omitempty"`
	seq        int64
	gone       bool
}

// goneState is internal only: a TERMINATED WorkSpace past its cleanup
// delay, left out of every read.
const goneState ws.WorkspaceState = "gone"

// resolve applies every transition due at now.
func (w *workspaceRecord) resolve(now time.Time, d Delays) {
	for w.Next != "" && !now.Before(w.Due) {
		prev := w.State
		w.State, w.StateSince, w.Next = w.Next, w.Due, ""
		switch w.State {
		case ws.WorkspaceStateTerminated:
			w.Next, w.Due = goneState, w.StateSince.Add(d.WorkspaceCleanup)
		case ws.WorkspaceStateTerminating: // a migrated source (migrate.go)
			w.Next, w.Due = ws.WorkspaceStateTerminated, w.StateSince.Add(d.WorkspaceTerminate)
		case ws.WorkspaceStateAvailable:
			if w.SnapshotFrom.IsZero() || prev == ws.WorkspaceStateRebuilding || prev == ws.WorkspaceStateRestoring {
				w.SnapshotFrom = w.StateSince
			}
		}
	}
	w.gone = w.State == goneState
	if len(w.ModificationStates) > 0 && !now.Before(w.ModDue) {
		w.ModificationStates = []ws.ModificationState{}
	}
}

// transition starts a move to final through the intermediate state.
func (w *workspaceRecord) transition(now time.Time, via, final ws.WorkspaceState, after time.Duration) {
	w.State, w.StateSince, w.Next, w.Due = via, now, final, now.Add(after)
}

// view is the WorkSpace as DescribeWorkspaces shows it.
func (w *workspaceRecord) view() ws.Workspace {
	out := w.Workspace
	if out.ModificationStates == nil {
		out.ModificationStates = []ws.ModificationState{}
	}
	switch out.State {
	case ws.WorkspaceStatePending, ws.WorkspaceStateError:
	default:
		out.IpAddress, out.SubnetId, out.ComputerName = api.String(w.IP), api.String(w.Subnet), api.String(w.Computer)
	}
	return out
}

func (s *Service) getWorkspace(ctx context.Context, tx store.Tx, c *api.Call, id string) (*workspaceRecord, error) {
	w, err := lookup[workspaceRecord](ctx, tx, key(c, kindWorkspace, id))
	if w == nil || err != nil {
		return nil, err
	}
	if w.resolve(c.Now, s.delays); w.gone {
		return nil, nil
	}
	return w, nil
}

// live reports whether the WorkSpace counts against quotas and user slots.
func (w *workspaceRecord) live() bool {
	return w.State != ws.WorkspaceStateTerminating && w.State != ws.WorkspaceStateTerminated
}

type counterRecord struct {
	Workspaces int `json:"workspaces"`
}

func (s *Service) addLive(ctx context.Context, tx store.Tx, c *api.Call, delta int) (int, error) {
	var r counterRecord
	k := key(c, kindCounter, "live")
	if err := tx.Get(ctx, k, &r); err != nil && !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	r.Workspaces += delta
	return r.Workspaces, tx.Put(ctx, k, r)
}

// addCreated counts created new live WorkSpaces against the account's
// quota of WorkSpaces in the region (LimitExceeded past it).
func (s *Service) addCreated(ctx context.Context, tx store.Tx, c *api.Call, created int) error {
	if created == 0 {
		return nil
	}
	n, err := s.addLive(ctx, tx, c, created)
	if err != nil {
		return err
	}
	if n > s.quotas.Workspaces {
		return limitf("Creating %d WorkSpaces would exceed the account's quota of %d WorkSpaces in %s.", created, s.quotas.Workspaces, c.Region)
	}
	return nil
}

// userSlot indexes a user's WorkSpaces in a directory: the live one (the
// one-per-user rule) and earlier ones still TERMINATING or TERMINATED, which
// DescribeWorkspaces{DirectoryId, UserName} must show until they are gone.
type userSlot struct {
	WorkspaceID string   `json:"workspaceId,omitempty"`
	Terminated  []string `json:"terminated,omitempty"`
}

func (s *Service) getSlot(ctx context.Context, tx store.Tx, c *api.Call, dir, user string) (userSlot, error) {
	var slot userSlot
	err := tx.Get(ctx, slotKey(c, dir, user), &slot)
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	return slot, err
}

func slotKey(c *api.Call, dir, user string) store.Key {
	return key(c, kindUserSlot, dir+"/"+strings.ToLower(user))
}

// failure is a per-item failure of a batch call (spec §6 ErrorCode table).
type failure struct{ code, msg string }

func (f *failure) Error() string { return f.code + ": " + f.msg }

func failf(code, format string, args ...any) *failure {
	return &failure{code: code, msg: fmt.Sprintf(format, args...)}
}

// CreateWorkspaces creates up to 25 WorkSpaces; items that break a rule go
// to FailedRequests while the others are created (PENDING → AVAILABLE).
func (s *Service) CreateWorkspaces(ctx context.Context, c *api.Call, in *ws.CreateWorkspacesInput) (*ws.CreateWorkspacesOutput, error) {
	seen := map[string]bool{}
	for _, r := range in.Workspaces {
		k := *r.DirectoryId + "/" + strings.ToLower(*r.UserName)
		if seen[k] && !strings.EqualFold(*r.UserName, "[UNDEFINED]") {
			return nil, invalidf("The request names user %s in directory %s more than once.", *r.UserName, *r.DirectoryId)
		}
		seen[k] = true
	}
	var out *ws.CreateWorkspacesOutput
	err := s.update(ctx, func(tx store.Tx) error {
		// Update may run fn more than once: the output starts afresh on every run.
		out = &ws.CreateWorkspacesOutput{FailedRequests: []ws.FailedCreateWorkspaceRequest{}, PendingRequests: []ws.Workspace{}}
		if err := s.sweep(ctx, tx, c); err != nil {
			return err
		}
		created := 0
		for i := range in.Workspaces {
			r := in.Workspaces[i]
			w, err := s.newWorkspace(ctx, tx, c, &r)
			var f *failure
			if errors.As(err, &f) {
				out.FailedRequests = append(out.FailedRequests, ws.FailedCreateWorkspaceRequest{WorkspaceRequest: &r, ErrorCode: api.String(f.code), ErrorMessage: api.String(f.msg)})
				continue
			}
			if err != nil {
				return err
			}
			created++
			out.PendingRequests = append(out.PendingRequests, w.view())
		}
		return s.addCreated(ctx, tx, c, created)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// newWorkspace checks one request item and stores the WorkSpace, or returns
// a *failure for FailedRequests.
func (s *Service) newWorkspace(ctx context.Context, tx store.Tx, c *api.Call, r *ws.WorkspaceRequest) (*workspaceRecord, error) {
	dir, err := s.findDirectory(ctx, tx, c, *r.DirectoryId)
	if err != nil {
		return nil, err
	}
	if dir == nil || dir.State == ws.WorkspaceDirectoryStateDeregistered {
		return nil, failf("ResourceNotFound.Directory", "The specified directory %s could not be found in %s.", *r.DirectoryId, c.Region)
	}
	if dir.State != ws.WorkspaceDirectoryStateRegistered {
		return nil, failf("InvalidResourceState.Directory", "The directory %s is in state %s; it must be REGISTERED.", *r.DirectoryId, dir.State)
	}
	b, cb, err := s.bundleFor(ctx, tx, c, *r.BundleId)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, failf("ResourceNotFound.Bundle", "The bundle %s could not be found in %s.", *r.BundleId, c.Region)
	}
	if cb != nil && cb.state(c.Now) != ws.WorkspaceBundleStateAvailable {
		return nil, failf("InvalidResourceState.Bundle", "The bundle %s is %s; it must be AVAILABLE.", *r.BundleId, cb.state(c.Now))
	}
	if cb != nil && cb.Tenancy == ws.WorkspaceImageRequiredTenancyDedicated && dir.Tenancy != ws.TenancyDedicated {
		// inferred (spec §19.2): a BYOL bundle runs only in a DEDICATED directory.
		return nil, failf("InvalidParameterValues", "Bundle %s is a BYOL (DEDICATED) bundle; directory %s has %s tenancy.", *r.BundleId, *r.DirectoryId, dir.Tenancy)
	}
	undefined := strings.EqualFold(*r.UserName, "[UNDEFINED]")
	if undefined != (r.WorkspaceName != nil) {
		return nil, failf("InvalidParameterValues", "WorkspaceName is required with UserName [UNDEFINED] and not allowed otherwise.")
	}
	if !undefined {
		slot, err := s.getSlot(ctx, tx, c, *r.DirectoryId, *r.UserName)
		if err != nil {
			return nil, err
		}
		if slot.WorkspaceID != "" {
			return nil, failf("ResourceExists.WorkSpace", "User %s already has WorkSpace %s in directory %s.", *r.UserName, slot.WorkspaceID, *r.DirectoryId)
		}
	}
	props, err := newProperties(b, r.WorkspaceProperties)
	if err != nil {
		return nil, err
	}
	if err := checkNewTags(nil, r.Tags); err != nil {
		var ae api.Error
		if errors.As(err, &ae) {
			return nil, failf(strings.TrimSuffix(ae.ErrorCode(), "Exception"), "%s", ae.ErrorMessage())
		}
		return nil, err
	}
	id := "ws-" + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 9)
	w := &workspaceRecord{CreatedAt: c.Now}
	w.WorkspaceId = &id
	w.DirectoryId, w.UserName, w.BundleId, w.WorkspaceName = r.DirectoryId, r.UserName, r.BundleId, r.WorkspaceName
	w.VolumeEncryptionKey = r.VolumeEncryptionKey
	w.UserVolumeEncryptionEnabled = api.Bool(api.ToBool(r.UserVolumeEncryptionEnabled, false))
	w.RootVolumeEncryptionEnabled = api.Bool(api.ToBool(r.RootVolumeEncryptionEnabled, false))
	w.Ipv6Address = r.Ipv6Address
	w.WorkspaceProperties = props
	w.ModificationStates = []ws.ModificationState{}
	w.transition(c.Now, ws.WorkspaceStatePending, ws.WorkspaceStateAvailable, s.delays.WorkspaceCreate)
	w.place(dir, b)
	w.Encryption = dir.EndpointEncryptionMode
	if err := tx.Create(ctx, key(c, kindWorkspace, id), w); err != nil {
		return nil, err
	}
	if err := putEntries(ctx, tx, workspaceEntries(c, w)); err != nil {
		return nil, err
	}
	if !undefined {
		slot, err := s.getSlot(ctx, tx, c, *r.DirectoryId, *r.UserName)
		if err != nil {
			return nil, err
		}
		slot.WorkspaceID = id
		if err := tx.Put(ctx, slotKey(c, *r.DirectoryId, *r.UserName), slot); err != nil {
			return nil, err
		}
	}
	if err := putTags(ctx, tx, c, id, r.Tags); err != nil {
		return nil, err
	}
	if err := s.inheritApps(ctx, tx, c, w); err != nil { // application_assoc.go
		return nil, err
	}
	return w, nil
}

// newProperties fills a request's properties from the bundle (spec §6) and
// applies the per-item rules.
func newProperties(b *bundle, in *ws.WorkspaceProperties) (*ws.WorkspaceProperties, error) {
	p := &ws.WorkspaceProperties{}
	if in != nil {
		*p = *in
		p.Protocols = append([]ws.Protocol(nil), in.Protocols...)
	}
	if p.RunningMode == "" {
		p.RunningMode = ws.RunningModeAlwaysOn
	}
	switch {
	case p.RunningMode == ws.RunningModeAlwaysOn && p.RunningModeAutoStopTimeoutInMinutes != nil:
		return nil, failf("AutoStopTimeoutIsNotApplicableForAnAlwaysOnWorkspace", "RunningModeAutoStopTimeoutInMinutes does not apply to an ALWAYS_ON WorkSpace.")
	case p.RunningMode == ws.RunningModeAutoStop && p.RunningModeAutoStopTimeoutInMinutes == nil:
		p.RunningModeAutoStopTimeoutInMinutes = api.Int32(defaultAutoStopMinutes)
	}
	if t := p.RunningModeAutoStopTimeoutInMinutes; t != nil && (*t <= 0 || *t%60 != 0 || *t > maxAutoStopMinutes) {
		return nil, failf("InvalidParameterValues", "RunningModeAutoStopTimeoutInMinutes must be a multiple of 60 between 60 and %d; got %d.", maxAutoStopMinutes, *t)
	}
	if p.ComputeTypeName == "" {
		p.ComputeTypeName = b.Compute
	} else if !computeCompatible(b.Compute, p.ComputeTypeName) {
		// inferred (spec §16.5): another compute type of the same family is
		// accepted and recorded; graphics and non-graphics types do not mix.
		return nil, failf("InvalidParameterValues", "Compute type %s cannot run bundle %s (%s).", p.ComputeTypeName, b.ID, b.Compute)
	}
	if p.RootVolumeSizeGib == nil {
		p.RootVolumeSizeGib = api.Int32(b.Root)
	}
	if p.UserVolumeSizeGib == nil {
		p.UserVolumeSizeGib = api.Int32(b.User)
	}
	if !validVolumes(*p.RootVolumeSizeGib, *p.UserVolumeSizeGib, p.ComputeTypeName) {
		return nil, failf("InvalidParameterValues", "Root volume %d GiB with user volume %d GiB is not an allowed combination for %s.", *p.RootVolumeSizeGib, *p.UserVolumeSizeGib, p.ComputeTypeName)
	}
	if len(p.Protocols) == 0 {
		p.Protocols = []ws.Protocol{ws.ProtocolPcoip}
		if b.linux() {
			p.Protocols = []ws.Protocol{ws.ProtocolWsp}
		}
	} else if len(p.Protocols) > 1 {
		return nil, failf("InvalidParameterValues", "Choose one protocol: PCOIP or WSP.")
	} else if p.Protocols[0] == ws.ProtocolWsp && !wspSupported(ws.OperatingSystemName(b.OS), b.Compute) {
		return nil, failf("InvalidParameterValues", "WSP is not available for bundle %s (%s, %s).", b.ID, b.OS, b.Compute)
	}
	if p.OperatingSystemName == "" {
		p.OperatingSystemName = ws.OperatingSystemName(b.OS)
	}
	return p, nil
}

func graphics(c ws.Compute) bool { return strings.HasPrefix(string(c), "GRAPHICS") }

// wspSupported: WSP (DCV) is not offered on Windows 7 and on the older
// Graphics and GraphicsPro bundles (spec §6.1, §6.9).
func wspSupported(os ws.OperatingSystemName, c ws.Compute) bool {
	return os != ws.OperatingSystemNameWindows7 && c != ws.ComputeGraphics && c != ws.ComputeGraphicspro
}

// validVolumes applies the allowed (root, user) size pairs (spec §6.9).
func validVolumes(root, user int32, c ws.Compute) bool {
	if graphics(c) && (root < 100 || user < 100) {
		return false
	}
	switch {
	case root == 80:
		return user == 10 || user == 50 || user == 100
	case graphics(c) && root == 100 && user == 100:
		return true
	case root >= 175 && root <= 2000:
		return user >= 100 && user <= 2000
	}
	return false
}

// DescribeWorkspaces lists WorkSpaces by ids, by directory (and user), by
// bundle, by name, or all; the filters are mutually exclusive (spec §6.2).
func (s *Service) DescribeWorkspaces(ctx context.Context, c *api.Call, in *ws.DescribeWorkspacesInput) (*ws.DescribeWorkspacesOutput, error) {
	n := 0
	for _, set := range []bool{len(in.WorkspaceIds) > 0, in.DirectoryId != nil, in.BundleId != nil, in.WorkspaceName != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return nil, invalidf("Only one of WorkspaceIds, DirectoryId, BundleId or WorkspaceName can be specified in a DescribeWorkspaces request.")
	}
	if in.UserName != nil && in.DirectoryId == nil {
		return nil, invalidf("UserName can only be used together with DirectoryId.")
	}
	filter := []any{in.WorkspaceIds, in.DirectoryId, in.UserName, in.BundleId, in.WorkspaceName}
	if in.DirectoryId != nil || in.BundleId != nil || in.WorkspaceName != nil {
		if err := s.ensureIndexes(ctx, c); err != nil {
			return nil, err
		}
	}
	var items, page []*workspaceRecord
	var next *string
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		switch {
		case len(in.WorkspaceIds) > 0:
			// By id: one Get per id, whatever the account holds.
			items, err = byIDs(in.WorkspaceIds, func(id string) (*workspaceRecord, error) { return s.getWorkspace(ctx, tx, c, id) })
		case in.DirectoryId != nil && in.UserName != nil:
			// By index: the user's live WorkSpace and the ones still terminating.
			slot, err := s.getSlot(ctx, tx, c, *in.DirectoryId, *in.UserName)
			if err != nil {
				return err
			}
			for i, id := range append(slot.Terminated, slot.WorkspaceID) {
				if id == "" {
					continue
				}
				w, err := s.getWorkspace(ctx, tx, c, id)
				if err != nil {
					return err
				}
				if w != nil {
					w.seq = int64(i + 1)
					items = append(items, w)
				}
			}
		case in.DirectoryId != nil, in.BundleId != nil, in.WorkspaceName != nil:
			page, next, err = s.describeFiltered(ctx, tx, c, in, filter)
			return err
		default:
			// All of them, one page at a time.
			page, next, err = scanPage(ctx, s, tx, c, scope(c, kindWorkspace), in.NextToken, in.Limit, defaultWorkspacePage, filter, func(w *workspaceRecord) bool {
				w.resolve(c.Now, s.delays)
				return !w.gone
			})
			return err
		}
		if err != nil {
			return err
		}
		page, next, err = pageOf(s, c, items, func(w *workspaceRecord) int64 { return w.seq }, in.NextToken, in.Limit, defaultWorkspacePage, filter)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeWorkspacesOutput{Workspaces: make([]ws.Workspace, 0, len(page)), NextToken: next}
	for _, w := range page {
		out.Workspaces = append(out.Workspaces, w.view())
	}
	if err := s.relatePage(ctx, c, page, out.Workspaces); err != nil {
		return nil, err
	}
	return out, nil
}

// relatePage fills the pair members of a page's views in one transaction:
// no view opens when no WorkSpace of the page has a pair.
func (s *Service) relatePage(ctx context.Context, c *api.Call, page []*workspaceRecord, views []ws.Workspace) error {
	if !slices.ContainsFunc(page, func(w *workspaceRecord) bool { return w.Pair != nil }) {
		return nil
	}
	return s.view(ctx, func(tx store.Tx) error {
		for i, w := range page {
			if err := s.relate(ctx, tx, c, w, &views[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// batch runs fn on each distinct WorkSpace id of a batch call inside one
// transaction; a *failure becomes a FailedRequests entry.
func (s *Service) batch(ctx context.Context, c *api.Call, ids []*string, fn func(tx store.Tx, w *workspaceRecord) error) ([]ws.FailedWorkspaceChangeRequest, error) {
	var failed []ws.FailedWorkspaceChangeRequest
	err := s.update(ctx, func(tx store.Tx) error {
		// Update may run fn more than once: the output starts afresh on every run.
		failed = []ws.FailedWorkspaceChangeRequest{}
		seen := map[string]bool{}
		for _, idp := range ids {
			if idp == nil {
				failed = append(failed, ws.FailedWorkspaceChangeRequest{ErrorCode: api.String("InvalidParameterValues"), ErrorMessage: api.String("WorkspaceId is required.")})
				continue
			}
			id := *idp
			if seen[id] {
				continue
			}
			seen[id] = true
			w, err := s.getWorkspace(ctx, tx, c, id)
			if err != nil {
				return err
			}
			if w == nil {
				err = failf("ResourceNotFound.Workspace", "The WorkSpace %s could not be found.", id)
			} else if w.MigratingTo != "" && w.live() {
				// inferred: a migrating source is locked (spec §23.5).
				err = failf("InvalidResourceState.Workspace", "WorkSpace %s is being migrated to %s.", id, w.MigratingTo)
			} else if err = fn(tx, w); err == nil {
				err = tx.Put(ctx, key(c, kindWorkspace, id), w)
			}
			var f *failure
			if errors.As(err, &f) {
				failed = append(failed, ws.FailedWorkspaceChangeRequest{WorkspaceId: api.String(id), ErrorCode: api.String(f.code), ErrorMessage: api.String(f.msg)})
			} else if err != nil {
				return err
			}
		}
		return nil
	})
	return failed, err
}

func badStateFailure(w *workspaceRecord, verb string) error {
	return failf("InvalidResourceState.Workspace", "WorkSpace %s cannot be %s in state %s.", *w.WorkspaceId, verb, w.State)
}

// TerminateWorkspaces terminates WorkSpaces in any state but SUSPENDED;
// the user's slot and the quota are freed at once (inferred: spec §16.9).
func (s *Service) TerminateWorkspaces(ctx context.Context, c *api.Call, in *ws.TerminateWorkspacesInput) (*ws.TerminateWorkspacesOutput, error) {
	ids := make([]*string, len(in.TerminateWorkspaceRequests))
	for i := range in.TerminateWorkspaceRequests {
		ids[i] = in.TerminateWorkspaceRequests[i].WorkspaceId
	}
	failed, err := s.batch(ctx, c, ids, func(tx store.Tx, w *workspaceRecord) error {
		switch w.State {
		case ws.WorkspaceStateSuspended:
			return badStateFailure(w, "terminated")
		case ws.WorkspaceStateTerminating, ws.WorkspaceStateTerminated:
			return nil
		}
		w.transition(c.Now, ws.WorkspaceStateTerminating, ws.WorkspaceStateTerminated, s.delays.WorkspaceTerminate)
		w.ModificationStates = []ws.ModificationState{}
		if _, err := s.addLive(ctx, tx, c, -1); err != nil {
			return err
		}
		if w.UserName != nil {
			slot, err := s.getSlot(ctx, tx, c, *w.DirectoryId, *w.UserName)
			if err != nil {
				return err
			}
			kept := []string{}
			for _, id := range slot.Terminated { // forget the ones already gone
				if old, err := s.getWorkspace(ctx, tx, c, id); err != nil {
					return err
				} else if old != nil {
					kept = append(kept, id)
				}
			}
			slot.Terminated = append(kept, *w.WorkspaceId)
			if slot.WorkspaceID == *w.WorkspaceId {
				slot.WorkspaceID = ""
			}
			if err := tx.Put(ctx, slotKey(c, *w.DirectoryId, *w.UserName), slot); err != nil {
				return err
			}
		}
		if err := s.sweep(ctx, tx, c, *w.WorkspaceId); err != nil {
			return err
		}
		if err := s.dropWorkspaceApps(ctx, tx, c, *w.WorkspaceId); err != nil { // application_assoc.go
			return err
		}
		return deleteAllTags(ctx, tx, c, *w.WorkspaceId)
	})
	if err != nil {
		return nil, err
	}
	return &ws.TerminateWorkspacesOutput{FailedRequests: failed}, nil
}

func (w *workspaceRecord) setSeq(n int64) { w.seq = n }

// place gives a new WorkSpace its network identity: a private IP, one of
// the directory's subnets (chosen by its id) and a computer name in the
// bundle's style.
func (w *workspaceRecord) place(dir *directoryRecord, b *bundle) {
	w.IP = ids.PrivateIPv4()
	if len(dir.SubnetIds) > 0 {
		w.Subnet = dir.SubnetIds[int((*w.WorkspaceId)[3])%len(dir.SubnetIds)]
	}
	w.Computer = "WSAMZN-" + ids.Random("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 8)
	if b.linux() {
		w.Computer = "A-" + ids.Random("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 13)
	}
}
