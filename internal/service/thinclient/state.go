package thinclient

// The service's part in reset and state import (internal/state): which
// record kinds it owns, and how a scoped reset finds the records that are
// not keyed by the account and region they belong to.

import (
	"context"

	"github.com/workspaces-local/workspaces-local/internal/state"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// kinds lists every record kind the service writes with the type its value
// decodes into. A kind missing here is refused by PUT /_local/state.
var kinds = state.Kinds{
	kindSoftwareSet:      func() any { return new(softwareSetMark) },
	kindEnvironment:      func() any { return new(envRecord) },
	kindDevice:           func() any { return new(deviceRecord) },
	kindTags:             func() any { return new(tagsRecord) },
	kindToken:            func() any { return new(tokenRecord) },
	kindActivation:       func() any { return new(activationRecord) },
	kindDeviceIndex:      func() any { return new(deviceIndex) },
	kindSerial:           func() any { return new(serialIndex) },
	kindEnvDevicesPrefix: func() any { return new(struct{}) },
	kindTokenLog: func() any { // "head" and "chunk/N" records
		return new(struct {
			tokenLogHead
			tokenLogChunk
		})
	},
}

var _ state.Part = (*Service)(nil)

// CheckRecord implements state.Part.
func (s *Service) CheckRecord(r store.Record) (bool, error) { return kinds.Check(r) }

// ResetScope implements state.Part. Environments, devices, tags, serial
// indexes, idempotency tokens and software set marks are keyed by account
// and region and go with tx.DeleteScope; this deletes the global indexes
// (activation codes, retired ones included, and device ids) that name the
// scope in their value.
func (s *Service) ResetScope(ctx context.Context, tx store.Tx, account, region string, _ []string) error {
	_, err := state.DeleteWhere(ctx, tx, store.Scope{Kind: kindActivation}, func(_ string, a *activationRecord) bool {
		return state.Matches(account, region, a.Account, a.Region)
	})
	if err != nil {
		return err
	}
	_, err = state.DeleteWhere(ctx, tx, store.Scope{Kind: kindDeviceIndex}, func(_ string, d *deviceIndex) bool {
		return state.Matches(account, region, d.Account, d.Region)
	})
	return err
}

// CheckState implementations: the identity and the members every read of
// the record dereferences (internal/state.Checker).

func (e *envRecord) CheckState(k store.Key) error {
	if err := state.SameID("id", e.Id, k); err != nil {
		return err
	}
	return state.Need("desktopArn", e.DesktopArn != nil, "arn", e.Arn != nil)
}

func (d *deviceRecord) CheckState(k store.Key) error {
	id := d.ID
	if err := state.SameID("id", &id, k); err != nil {
		return err
	}
	return state.Need("environmentId", d.EnvironmentID != "", "status", d.Status != "")
}
