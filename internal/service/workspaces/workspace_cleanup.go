package workspaces

// Deleting terminated WorkSpaces. resolve hides a TERMINATED WorkSpace once
// its cleanup delay has passed; its record is deleted later, by the next
// TerminateWorkspaces or CreateWorkspaces of the same account and region,
// so that listings and scans do not grow with every WorkSpace the account
// ever had. A graveyard record lists the terminated ids in termination
// order; since every WorkSpace goes the same way with the same delays, they
// become gone in that order too, and a sweep stops at the first that is not
// gone yet. (Records terminated before the graveyard existed stay hidden
// but are not deleted.)

import (
	"context"
	"errors"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	kindGraveyard = "workspaces.graveyard"
	graveyardID   = "terminated"
)

type graveyardRecord struct {
	IDs []string `json:"ids"`
}

// sweep deletes the records of terminated WorkSpaces that are gone at c.Now
// and adds buried (WorkSpaces terminated in this transaction) to the
// graveyard.
func (s *Service) sweep(ctx context.Context, tx store.Tx, c *api.Call, buried ...string) error {
	k := key(c, kindGraveyard, graveyardID)
	var g graveyardRecord
	if err := tx.Get(ctx, k, &g); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	n := 0
	for _, id := range g.IDs {
		w, err := lookup[workspaceRecord](ctx, tx, key(c, kindWorkspace, id))
		if err != nil {
			return err
		}
		if w != nil {
			if w.resolve(c.Now, s.delays); !w.gone {
				break
			}
			if err := tx.Delete(ctx, key(c, kindWorkspace, id)); err != nil {
				return err
			}
			if err := s.releaseSlot(ctx, tx, c, w); err != nil {
				return err
			}
			if err := reindex(ctx, tx, workspaceEntries(c, w), nil); err != nil {
				return err
			}
		}
		n++
	}
	if n == 0 && len(buried) == 0 {
		return nil
	}
	g.IDs = append(g.IDs[n:], buried...)
	return tx.Put(ctx, k, g)
}

// releaseSlot forgets a deleted WorkSpace in its user's slot and deletes the
// slot once it names no WorkSpace, so the store keeps no record per user name
// ever used.
func (s *Service) releaseSlot(ctx context.Context, tx store.Tx, c *api.Call, w *workspaceRecord) error {
	if w.UserName == nil || w.DirectoryId == nil {
		return nil
	}
	slot, err := s.getSlot(ctx, tx, c, *w.DirectoryId, *w.UserName)
	if err != nil {
		return err
	}
	kept := slot.Terminated[:0]
	for _, id := range slot.Terminated {
		if id != *w.WorkspaceId {
			kept = append(kept, id)
		}
	}
	slot.Terminated = kept
	k := slotKey(c, *w.DirectoryId, *w.UserName)
	if slot.WorkspaceID == "" && len(slot.Terminated) == 0 {
		return deleteIfPresent(ctx, tx, k)
	}
	return tx.Put(ctx, k, slot)
}
