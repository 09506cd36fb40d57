package thinclient

// The service's part in reset and state import (internal/state): which
// record kinds it owns, and how a scoped reset finds the records that are
// not keyed by the account and region they belong to.

import (
	"context"
	"errors"

	"github.com/workspaces-local/workspaces-local/internal/state"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/expiring"
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
	kindTokenLog:         func() any { return new(expiring.Record) }, // "head" and "chunk/N" records
}

var _ state.Part = (*Service)(nil)

// CheckRecord implements state.Part.
func (s *Service) CheckRecord(r store.Record) (bool, error) { return kinds.Check(r) }

// ResetScope implements state.Part. Environments, devices, tags, serial
// indexes, idempotency tokens and software set marks are keyed by account
// and region and go with tx.DeleteScope; this deletes the global indexes
// (activation codes and device ids) of the scope: for one account, those its
// environments and devices name; for a region, every account's there.
func (s *Service) ResetScope(ctx context.Context, tx store.Tx, account, region string, regions []string) error {
	if account == "" { // a region reset: every account's codes and devices there
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
	// One account: its environments name their codes and its devices their
	// ids, so the reset reads what the account holds, not every account's.
	for _, r := range state.ScopeRegions(region, regions) {
		envs, err := tx.List(ctx, store.Query{Scope: store.Scope{Kind: kindEnvironment, Account: account, Region: r}})
		if err != nil {
			return err
		}
		for _, rec := range envs {
			var e envRecord
			if err := rec.Decode(&e); err != nil {
				return err
			}
			if e.ActivationCode != nil {
				if err := deleteIfThere(ctx, tx, store.Key{Kind: kindActivation, ID: *e.ActivationCode}); err != nil {
					return err
				}
			}
		}
		devices, err := tx.List(ctx, store.Query{Scope: store.Scope{Kind: kindDevice, Account: account, Region: r}})
		if err != nil {
			return err
		}
		for _, rec := range devices {
			if err := deleteIfThere(ctx, tx, store.Key{Kind: kindDeviceIndex, ID: rec.Key.ID}); err != nil {
				return err
			}
		}
	}
	return nil
}

func deleteIfThere(ctx context.Context, tx store.Tx, k store.Key) error {
	if err := tx.Delete(ctx, k); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}
