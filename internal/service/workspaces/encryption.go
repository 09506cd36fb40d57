package workspaces

// ModifyEndpointEncryptionMode (spec §25): a directory streams with
// standard TLS or FIPS 140-2 validated endpoints. Every WorkSpace records
// the mode in force when it was created; a directory switches only while
// none of its live WorkSpaces was created under the other mode. Not
// emulated: the FedRAMP region restriction (FIPS is accepted everywhere)
// and client version requirements.

import (
	"context"
	"fmt"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

func (w *workspaceRecord) encryption() ws.EndpointEncryptionMode {
	if w.Encryption == "" {
		return ws.EndpointEncryptionModeStandardTls
	}
	return w.Encryption
}

// ModifyEndpointEncryptionMode sets a REGISTERED directory's endpoint
// encryption mode.
func (s *Service) ModifyEndpointEncryptionMode(ctx context.Context, c *api.Call, in *ws.ModifyEndpointEncryptionModeInput) (*ws.ModifyEndpointEncryptionModeOutput, error) {
	id, mode := *in.DirectoryId, in.EndpointEncryptionMode
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		d, err := s.getDirectory(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if d.State != ws.WorkspaceDirectoryStateRegistered {
			// inferred: InvalidResourceState is not modelled here.
			return onsf("DIRECTORY_STATE", "Directory %s is %s; its encryption mode can change only when REGISTERED.", id, d.State)
		}
		if d.EndpointEncryptionMode == mode {
			return nil
		}
		other, err := s.indexedWorkspaces(ctx, tx, c, ixWorkspaceDir, id, func(w *workspaceRecord) bool { // index.go
			return w.live() && w.encryption() != mode
		})
		if err != nil {
			return err
		}
		if len(other) > 0 {
			return &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf("Directory %s has %d WorkSpaces using %s (e.g. %s); terminate them or use another directory.", id, len(other), other[0].encryption(), *other[0].WorkspaceId)), Reason: api.String("WORKSPACES_EXIST")}
		}
		d.EndpointEncryptionMode = mode
		return tx.Put(ctx, key(c, kindDirectory, id), d)
	})
	if err != nil {
		return nil, err
	}
	return &ws.ModifyEndpointEncryptionModeOutput{}, nil
}
