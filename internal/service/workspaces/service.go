// Package workspaces is the behaviour of Amazon WorkSpaces: one file per
// family of operations (ipgroup.go, directory.go, tags.go). Model
// constraints are checked by the generated validators before a handler runs;
// handlers check existence, state, quotas and cross-field rules, in that
// order (spec §1.3), inside one store transaction each.
package workspaces

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// Delays are the durations of asynchronous transitions (spec §1.8). Zero
// completes a transition at the first read after the call.
type Delays struct {
	DirectoryRegister   time.Duration
	DirectoryDeregister time.Duration
	// DirectoryCleanup is how long a DEREGISTERED directory stays visible.
	DirectoryCleanup time.Duration
	// WorkspaceCreate is PENDING → AVAILABLE.
	WorkspaceCreate time.Duration
	// WorkspaceTerminate is TERMINATING → TERMINATED.
	WorkspaceTerminate time.Duration
	// WorkspaceCleanup is how long a TERMINATED WorkSpace stays visible.
	WorkspaceCleanup time.Duration
	WorkspaceReboot  time.Duration
	WorkspaceRebuild time.Duration
	WorkspaceStart   time.Duration
	WorkspaceStop    time.Duration
	// WorkspaceModify is how long a compute or volume change takes.
	WorkspaceModify time.Duration
	// AccountModify is a BYOL ModifyAccount PENDING → COMPLETED.
	AccountModify time.Duration
	ImageCreate   time.Duration
	ImageImport   time.Duration
	ImageCopy     time.Duration
	// ConnectionAliasCreate is CREATING → CREATED.
	ConnectionAliasCreate time.Duration
	// ConnectionAliasDelete is how long a DELETING alias stays visible.
	ConnectionAliasDelete time.Duration

	// Pools (pool.go, spec §17.4): CREATING → RUNNING, STARTING → RUNNING,
	// STOPPING → STOPPED, UPDATING → back, DELETING → gone; PoolScale is how
	// long a RUNNING pool takes to reach its desired sessions;
	// PoolSessionTerminate how long a terminated session stays listed.
	PoolCreate           time.Duration
	PoolStart            time.Duration
	PoolStop             time.Duration
	PoolUpdate           time.Duration
	PoolTerminate        time.Duration
	PoolScale            time.Duration
	PoolSessionTerminate time.Duration
	// BundleCreate and BundleUpdate are a custom bundle's PENDING → AVAILABLE.
	BundleCreate time.Duration
	BundleUpdate time.Duration
	// WorkspaceStandby is a standby WorkSpace's PENDING → STOPPED.
	WorkspaceStandby time.Duration
	// WorkspaceSnapshot is when the first snapshots follow AVAILABLE (or a
	// restore); WorkspaceSnapshotInterval the time between later ones.
	WorkspaceSnapshot         time.Duration
	WorkspaceSnapshotInterval time.Duration
	// WorkspaceRestore is RESTORING → AVAILABLE.
	WorkspaceRestore time.Duration
	// WorkspaceMigrate is how long a migration runs (target PENDING → AVAILABLE).
	WorkspaceMigrate time.Duration
	// WorkspaceReplicate is how long a primary's snapshot takes to reach its standby.
	WorkspaceReplicate time.Duration
	// ImageUpdate is a CreateUpdatedWorkspaceImage image's PENDING → AVAILABLE.
	ImageUpdate time.Duration
	// ImageCustomImport is the whole ImportCustomWorkspaceImage workflow.
	ImageCustomImport time.Duration
	// ApplicationDeploy is how long an application deployment runs, half
	// queued, half installing or uninstalling (spec §17.4).
	ApplicationDeploy time.Duration
}

// DefaultDelays are the emulator defaults of spec §1.8.
var DefaultDelays = Delays{
	DirectoryRegister:   time.Second,
	DirectoryDeregister: time.Second,
	DirectoryCleanup:    time.Second,
	WorkspaceCreate:     2 * time.Second,
	WorkspaceTerminate:  time.Second,
	WorkspaceCleanup:    2 * time.Second,
	WorkspaceReboot:     time.Second,
	WorkspaceRebuild:    2 * time.Second,
	WorkspaceStart:      time.Second,
	WorkspaceStop:       time.Second,
	WorkspaceModify:     2 * time.Second,
	AccountModify:       2 * time.Second,
	ImageCreate:         2 * time.Second,
	ImageImport:         3 * time.Second,
	ImageCopy:           2 * time.Second,

	ConnectionAliasCreate: time.Second,
	ConnectionAliasDelete: time.Second,

	PoolCreate:                2 * time.Second,
	PoolStart:                 time.Second,
	PoolStop:                  time.Second,
	PoolUpdate:                time.Second,
	PoolTerminate:             time.Second,
	WorkspaceStandby:          2 * time.Second,
	WorkspaceSnapshotInterval: 12 * time.Hour,
	WorkspaceRestore:          2 * time.Second,
	WorkspaceMigrate:          2 * time.Second,
	ImageUpdate:               2 * time.Second,
	ImageCustomImport:         3 * time.Second,
	ApplicationDeploy:         2 * time.Second,
}

// Quotas are the adjustable per-account, per-region quotas (spec §3).
type Quotas struct {
	// Workspaces: AWS's default for new accounts is 1, which would break
	// every multi-WorkSpace test; the emulator default is generous.
	Workspaces int
	// Images owned per account and region (AWS default 40, adjustable).
	Images int
	// Pools per account and region (not published by AWS; spec §17.3).
	Pools int
	// PoolSessions caps the sum of DesiredUserSessions over an account's
	// pools in a region (not published; spec §17.3).
	PoolSessions int
	// Standby WorkSpaces per account and region (AWS default 5, adjustable).
	Standby int
}

// DefaultQuotas are the emulator defaults (spec §3, §17.3 guidance).
var DefaultQuotas = Quotas{Workspaces: 1000, Images: 40, Pools: 50, PoolSessions: 1000, Standby: 100}

// Service implements ws.Handler.
type Service struct {
	ws.Unimplemented
	store   store.Store
	pages   *paging.Codec
	delays  Delays
	quotas  Quotas
	bundles []bundle
	// poolKnobs are optional pool behaviours (pool.go).
	poolKnobs PoolKnobs
	// applications is the built-in application catalogue (application.go).
	applications []application
	indexed      indexState // scopes ensureIndexes found indexed (index.go)
}

var _ ws.Handler = (*Service)(nil)

// New returns the WorkSpaces service over st.
func New(st store.Store, pages *paging.Codec, delays Delays, quotas Quotas) (*Service, error) {
	if quotas.Workspaces == 0 {
		quotas.Workspaces = DefaultQuotas.Workspaces
	}
	if quotas.Images == 0 {
		quotas.Images = DefaultQuotas.Images
	}
	if quotas.Pools == 0 {
		quotas.Pools = DefaultQuotas.Pools
	}
	if quotas.PoolSessions == 0 {
		quotas.PoolSessions = DefaultQuotas.PoolSessions
	}
	if quotas.Standby == 0 {
		quotas.Standby = DefaultQuotas.Standby
	}
	b, err := loadBundles(builtinBundles)
	if err != nil {
		return nil, err
	}
	apps, err := loadApplications(builtinApplications)
	if err != nil {
		return nil, err
	}
	return &Service{store: st, pages: pages, delays: delays, quotas: quotas, bundles: b, applications: apps}, nil
}

// Record kinds of this service.
const (
	kindIPGroup   = "workspaces.ipgroup"
	kindDirectory = "workspaces.directory"
	kindTags      = "workspaces.tags"
	kindAccount   = "workspaces.account"
	kindWorkspace = "workspaces.workspace"
	// kindUserSlot indexes the live WorkSpace of (directory, lower-case user).
	kindUserSlot = "workspaces.userslot"
	// kindLink holds account links per region (account left empty).
	kindLink      = "workspaces.link"
	kindLinkToken = "workspaces.linktoken"
	// kindLinkTokenLog lists link tokens for deletion (store/expiring).
	kindLinkTokenLog = "workspaces.linktokenlog"
	// kindImage holds images per region (account left empty: shared images are
	// looked up by id from other accounts); the owner is in the record.
	kindImage = "workspaces.image"
	// kindCounter holds per-account counters (live WorkSpaces for the quota).
	kindCounter = "workspaces.counter"
)

func key(c *api.Call, kind, id string) store.Key {
	return store.Key{Kind: kind, Account: c.Account, Region: c.Region, ID: id}
}

func scope(c *api.Call, kind string) store.Scope {
	return store.Scope{Kind: kind, Account: c.Account, Region: c.Region}
}

// pageOf cuts one page out of items in Seq order and returns it with the
// token of the next page (nil on the last page). filter is what the request
// lists by; a token replayed with another filter is refused.
func pageOf[T any](s *Service, c *api.Call, items []T, seq func(T) int64, token *string, limit *int32, def int, filter any) ([]T, *string, error) {
	sc := paging.Scope{Op: c.Operation, Account: c.Account, Region: c.Region, Filter: paging.Filter(filter)}
	page, next, err := paging.Cut(s.pages, sc, c.Now, items, seq, api.ToString(token), int(api.ToInt32(limit, int32(def))))
	if err != nil {
		return nil, nil, badToken(c.Operation)
	}
	if next == "" {
		return page, nil, nil
	}
	return page, &next, nil
}

// scanPage reads one page of scope sc straight from the store: records after
// the token's Seq, in chunks, decoded and kept by keep, until the page is full
// and one more kept record shows that another page follows. Unlike pageOf it
// never loads the whole scope, so the first page of a large account costs
// what the page holds (plus the records keep skips).
func scanPage[T any, P sequenced[T]](ctx context.Context, s *Service, tx store.Tx, c *api.Call, sc store.Scope, token *string, limit *int32, def int, filter any, keep func(P) bool) ([]P, *string, error) {
	return readPage(ctx, s, tx, c, sc, token, limit, def, filter, func(r store.Record) (P, bool, error) {
		v := P(new(T))
		if err := r.Decode(v); err != nil {
			return nil, false, err
		}
		v.setSeq(r.Seq)
		return v, keep(v), nil
	})
}

// modelsIPV lists the operations whose model includes
// InvalidParameterValuesException.
var modelsIPV = func() map[string]bool {
	m := map[string]bool{}
	for _, op := range ws.Operations {
		for _, e := range op.Errors {
			if e == "InvalidParameterValuesException" {
				m[op.Name] = true
			}
		}
	}
	return m
}()

// badToken is the error for a garbled, expired or foreign NextToken:
// InvalidParameterValuesException where the operation models it, else
// ValidationException (spec §1.4).
func badToken(op string) error {
	const msg = "The NextToken is not valid for this request: it is garbled, expired, or was issued for other parameters."
	if modelsIPV[op] {
		return invalidf(msg)
	}
	return &ws.ValidationException{Message: api.String(msg)}
}

func invalidf(format string, args ...any) error {
	return &ws.InvalidParameterValuesException{Message: api.String(fmt.Sprintf(format, args...))}
}

func notFound(kind, id string) error {
	return &ws.ResourceNotFoundException{Message: api.String(fmt.Sprintf("The %s %s could not be found.", kind, api.Echo(id))), ResourceId: api.String(api.Echo(id))}
}

func limitf(format string, args ...any) error {
	return &ws.ResourceLimitExceededException{Message: api.String(fmt.Sprintf(format, args...))}
}

func stateErrf(format string, args ...any) error {
	return &ws.InvalidResourceStateException{Message: api.String(fmt.Sprintf(format, args...))}
}

// sequenced is implemented by record types that remember their store Seq.
type sequenced[T any] interface {
	*T
	setSeq(int64)
}

// listRecords lists a scope in creation order and decodes every record.
func listRecords[T any, P sequenced[T]](ctx context.Context, tx store.Tx, sc store.Scope) ([]P, error) {
	recs, err := tx.List(ctx, store.Query{Scope: sc})
	if err != nil {
		return nil, err
	}
	out := make([]P, 0, len(recs))
	for _, r := range recs {
		v := P(new(T))
		if err := r.Decode(v); err != nil {
			return nil, err
		}
		v.setSeq(r.Seq)
		out = append(out, v)
	}
	return out, nil
}

// lookup reads the record at k, or returns (nil, nil) when there is none.
func lookup[T any](ctx context.Context, tx store.Tx, k store.Key) (*T, error) {
	v := new(T)
	if err := tx.Get(ctx, k, v); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return v, nil
}

// update runs fn in a store write transaction.
func (s *Service) update(ctx context.Context, fn func(tx store.Tx) error) error {
	return s.store.Update(ctx, fn)
}

// view runs fn in a store read transaction.
func (s *Service) view(ctx context.Context, fn func(tx store.Tx) error) error {
	return s.store.View(ctx, fn)
}
