package workspaces

// Bulk loading for benchmarks: SeedWorkspaces writes, through the store and
// in large transactions, exactly the records CreateWorkspaces writes for the
// same requests (the WorkSpace, the user's slot, the live counter), with
// each WorkSpace already past its PENDING → AVAILABLE transition. It is not
// an API operation; the benchmark harness (bench/) calls it to build data
// directories of up to millions of WorkSpaces in minutes rather than hours.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// DefaultSeedBatch is how many WorkSpaces SeedWorkspaces writes per store
// transaction when SeedSpec.Batch is zero.
const DefaultSeedBatch = 10_000

// SeedSpec describes WorkSpaces to bulk-load into one directory.
type SeedSpec struct {
	// Account and Region own the WorkSpaces.
	Account, Region string
	// DirectoryID names a directory registered in Account and Region that is
	// REGISTERED at Now.
	DirectoryID string
	// BundleID is the bundle of every WorkSpace (its defaults fill the
	// properties exactly as CreateWorkspaces fills them).
	BundleID string
	// Count is how many WorkSpaces to write.
	Count int
	// UserPrefix + a 7-digit index (from FirstUser) names each WorkSpace's
	// user; "user" when empty. A user who already has a live WorkSpace in the
	// directory is an error, as in CreateWorkspaces.
	UserPrefix string
	FirstUser  int
	// Now is when the WorkSpaces are created; they are AVAILABLE from
	// Now + Delays.WorkspaceCreate.
	Now time.Time
	// Batch is the number of WorkSpaces per store transaction (default
	// DefaultSeedBatch).
	Batch int
}

// SeedUser returns the user name SeedWorkspaces gives the i-th WorkSpace of spec.
func (spec SeedSpec) SeedUser(i int) string {
	p := spec.UserPrefix
	if p == "" {
		p = "user"
	}
	return fmt.Sprintf("%s%07d", p, spec.FirstUser+i)
}

// SeedWorkspaces writes spec.Count AVAILABLE WorkSpaces and returns their
// ids in creation order. The quota is not checked (the live counter still
// counts them): a server that serves the data needs a quota of at least the
// total. progress, if not nil, is called after each committed transaction
// with the number of WorkSpaces written so far.
func (s *Service) SeedWorkspaces(ctx context.Context, spec SeedSpec, progress func(done int)) ([]string, error) {
	b := s.findBundle(spec.BundleID)
	if b == nil {
		return nil, fmt.Errorf("seed: bundle %q not found", spec.BundleID)
	}
	if spec.Count < 0 {
		return nil, fmt.Errorf("seed: negative count %d", spec.Count)
	}
	batch := spec.Batch
	if batch <= 0 {
		batch = DefaultSeedBatch
	}
	c := &api.Call{Account: spec.Account, Region: spec.Region, Partition: api.PartitionOf(spec.Region), Operation: "CreateWorkspaces", Now: spec.Now}
	props, err := newProperties(b, nil)
	if err != nil {
		return nil, fmt.Errorf("seed: bundle %s: %w", b.ID, err)
	}
	if err := s.ensureIndexes(ctx, c); err != nil { // index what is there first; seedOne keeps the indexes
		return nil, err
	}
	out := make([]string, 0, spec.Count)
	for len(out) < spec.Count {
		committed := len(out)
		n := min(batch, spec.Count-committed)
		err := s.update(ctx, func(tx store.Tx) error {
			out = out[:committed] // fn may run again: drop what an earlier run appended
			dir, err := s.findDirectory(ctx, tx, c, spec.DirectoryID)
			if err != nil {
				return err
			}
			if dir == nil || dir.State != ws.WorkspaceDirectoryStateRegistered {
				return fmt.Errorf("seed: directory %s is not REGISTERED in %s/%s at %s", spec.DirectoryID, spec.Account, spec.Region, spec.Now.Format(time.RFC3339))
			}
			for i := range n {
				user := spec.SeedUser(committed + i)
				id, err := s.seedOne(ctx, tx, c, dir, b, props, user)
				if err != nil {
					return err
				}
				out = append(out, id)
			}
			_, err = s.addLive(ctx, tx, c, n)
			return err
		})
		if err != nil {
			return out[:committed], err
		}
		if progress != nil {
			progress(len(out))
		}
	}
	return out, nil
}

// seedOne stores one WorkSpace as newWorkspace builds it, completed, and
// claims its user's slot.
func (s *Service) seedOne(ctx context.Context, tx store.Tx, c *api.Call, dir *directoryRecord, b *bundle, props *ws.WorkspaceProperties, user string) (string, error) {
	slot, err := s.getSlot(ctx, tx, c, *dir.DirectoryId, user)
	if err != nil {
		return "", err
	}
	if slot.WorkspaceID != "" {
		return "", fmt.Errorf("seed: user %s already has WorkSpace %s in directory %s", user, slot.WorkspaceID, *dir.DirectoryId)
	}
	for {
		id := "ws-" + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 9)
		w := &workspaceRecord{CreatedAt: c.Now}
		w.WorkspaceId = &id
		w.DirectoryId, w.UserName, w.BundleId = dir.DirectoryId, &user, &b.ID
		w.UserVolumeEncryptionEnabled = api.Bool(false)
		w.RootVolumeEncryptionEnabled = api.Bool(false)
		p := *props
		p.Protocols = append([]ws.Protocol(nil), props.Protocols...)
		w.WorkspaceProperties = &p
		w.ModificationStates = []ws.ModificationState{}
		w.transition(c.Now, ws.WorkspaceStatePending, ws.WorkspaceStateAvailable, s.delays.WorkspaceCreate)
		w.resolve(w.Due, s.delays) // completion: AVAILABLE since Now + WorkspaceCreate
		w.place(dir, b)
		w.Encryption = dir.EndpointEncryptionMode
		err := tx.Create(ctx, key(c, kindWorkspace, id), w)
		if err == nil {
			err = putEntries(ctx, tx, workspaceEntries(c, w))
		}
		if errors.Is(err, store.ErrConflict) {
			continue // a random id already taken: draw another
		}
		if err != nil {
			return "", err
		}
		if err := s.inheritApps(ctx, tx, c, w); err != nil { // its bundle's Office, as newWorkspace gives it
			return "", err
		}
		slot.WorkspaceID = id
		return id, tx.Put(ctx, slotKey(c, *dir.DirectoryId, user), slot)
	}
}
