package app

import (
	"context"
	"fmt"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// checkWritable writes and deletes a probe record, so that a store that
// cannot be written (a read-only state.db) refuses to start instead of
// answering every write with an error. what names the store in the message.
func checkWritable(ctx context.Context, st store.Store, what string) error {
	k := store.Key{Kind: "server.meta", ID: "write-probe"}
	err := st.Update(ctx, func(tx store.Tx) error {
		if err := tx.Put(ctx, k, struct{}{}); err != nil {
			return err
		}
		return tx.Delete(ctx, k)
	})
	if err != nil {
		return fmt.Errorf("%s is not writable: %w (fix the file's permissions, or choose another --data-dir, or --in-memory)", what, err)
	}
	return nil
}
