package workspaces

// The service's part in reset and state import (internal/state): which
// record kinds it owns, and how a scoped reset finds the records that are
// not keyed by the account and region they belong to.

import (
	"context"
	"errors"
	"strings"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/state"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// kinds lists every record kind the service writes with the type its value
// decodes into. A kind missing here is refused by PUT /_local/state.
var kinds = state.Kinds{
	kindIPGroup:        func() any { return new(ipGroupRecord) },
	kindDirectory:      func() any { return new(directoryRecord) },
	kindTags:           func() any { return new(tagsRecord) },
	kindAccount:        func() any { return new(accountRecord) },
	kindWorkspace:      func() any { return new(workspaceRecord) },
	kindUserSlot:       func() any { return new(userSlot) },
	kindLink:           func() any { return new(linkRecord) },
	kindLinkToken:      func() any { return new(linkToken) },
	kindImage:          func() any { return new(imageRecord) },
	kindCounter:        func() any { return new(counterRecord) },
	kindAlias:          func() any { return new(aliasRecord) },
	kindAliasString:    func() any { return new(aliasOwnerRecord) },
	kindGraveyard:      func() any { return new(graveyardRecord) },
	kindPool:           func() any { return new(poolRecord) },
	kindPoolRef:        func() any { return new(poolRef) },
	kindPoolSessionRef: func() any { return new(sessionRef) },
	kindBundle:         func() any { return new(customBundleRecord) },
	kindCustomImport:   func() any { return new(customImportRecord) },
	kindAppIndex:       func() any { return new(appIndexRecord) },
	appKind(""):        func() any { return new(appAssocRecord) }, // one kind per application
	imageAppKind(""):   func() any { return new(imageAppRecord) }, // one kind per application, region-wide
	kindBranding:       func() any { return new(brandingRecord) },
	kindBrandingLogo:   func() any { return new([]byte) },
	kindAddIn:          func() any { return new(addInRecord) },
	kindIndexed:        func() any { return new(indexedMarker) },
	ixPrefix:           func() any { return new(indexRecord) }, // every index (index.go)
}

var (
	_ state.Part      = (*Service)(nil)
	_ state.Forgetter = (*Service)(nil)
)

// Forget implements state.Forgetter: a reset or import may have removed
// index markers (or brought records of a build before the indexes).
func (s *Service) Forget() { s.ForgetIndexed() }

// CheckRecord implements state.Part.
func (s *Service) CheckRecord(r store.Record) (bool, error) { return kinds.Check(r) }

// ResetScope implements state.Part. Account-keyed kinds (IP groups,
// directories, WorkSpaces, tags, counters, user slots, graveyards, link
// tokens) go with tx.DeleteScope; this deletes the region-wide ones:
//   - images and connection aliases owned by the account;
//   - account links the account is a party to (inferred: a link belongs to
//     both accounts, so resetting either ends it);
//   - connection-string reservations of the aliases it deletes, and every
//     reservation of the account when the reset covers all its regions.
//
// Images and aliases of other accounts shared with the reset account stay
// (inferred: they are their owner's state).
func (s *Service) ResetScope(ctx context.Context, tx store.Tx, account, region string, regions []string) error {
	owned := func(owner string) bool { return account == "" || owner == account }
	strs := map[string]bool{}
	for _, r := range state.ScopeRegions(region, regions) {
		// The region's shared kinds are indexed again at the next call
		// (inferred: cheap, and the marker must not outlive a reset).
		if err := tx.Delete(ctx, store.Key{Kind: kindIndexed, Region: r, ID: "indexes"}); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		// Region-wide records are indexed under every account that sees
		// them (index.go): their entries go with them, other accounts' too.
		images, err := state.DeleteWhere(ctx, tx, store.Scope{Kind: kindImage, Region: r}, func(_ string, im *imageRecord) bool {
			return owned(im.owner())
		})
		if err != nil {
			return err
		}
		for _, im := range images {
			if err := reindex(ctx, tx, imageEntries(r, im), nil); err != nil {
				return err
			}
		}
		links, err := state.DeleteWhere(ctx, tx, store.Scope{Kind: kindLink, Region: r}, func(_ string, l *linkRecord) bool {
			return account == "" || api.ToString(l.SourceAccountId) == account || api.ToString(l.TargetAccountId) == account
		})
		if err != nil {
			return err
		}
		for _, l := range links {
			if err := reindex(ctx, tx, linkEntries(r, l), nil); err != nil {
				return err
			}
		}
		aliases, err := state.DeleteWhere(ctx, tx, store.Scope{Kind: kindAlias, Region: r}, func(_ string, a *aliasRecord) bool {
			return owned(a.owner())
		})
		if err != nil {
			return err
		}
		for _, a := range aliases {
			strs[strings.ToLower(api.ToString(a.ConnectionString))] = true
			if err := reindex(ctx, tx, aliasEntries(r, a), nil); err != nil {
				return err
			}
		}
	}
	_, err := state.DeleteWhere(ctx, tx, store.Scope{Kind: kindAliasString}, func(id string, h *aliasOwnerRecord) bool {
		return strs[id] || (region == "" && owned(h.Account))
	})
	if err != nil {
		return err
	}
	// The applications images carry are kept region-wide, the owner in the record.
	for _, r := range state.ScopeRegions(region, regions) {
		for i := range s.applications {
			_, err := state.DeleteWhere(ctx, tx, store.Scope{Kind: imageAppKind(s.applications[i].ID), Region: r}, func(_ string, a *imageAppRecord) bool {
				return owned(a.Owner)
			})
			if err != nil {
				return err
			}
		}
	}
	// Pools and their sessions are found by id from the unsigned /_local/
	// session endpoints, through global references naming their scope.
	_, err = state.DeleteWhere(ctx, tx, store.Scope{Kind: kindPoolRef}, func(_ string, r *poolRef) bool {
		return state.Matches(account, region, r.Account, r.Region)
	})
	if err != nil {
		return err
	}
	_, err = state.DeleteWhere(ctx, tx, store.Scope{Kind: kindPoolSessionRef}, func(_ string, r *sessionRef) bool {
		return state.Matches(account, region, r.Account, r.Region)
	})
	return err
}

// CheckState implementations: the identity and the members every read of
// the record dereferences (internal/state.Checker).

func (g *ipGroupRecord) CheckState(k store.Key) error { return state.SameID("groupId", g.GroupId, k) }

func (d *directoryRecord) CheckState(k store.Key) error {
	if err := state.SameID("DirectoryId", d.DirectoryId, k); err != nil {
		return err
	}
	return state.Need("State", d.State != "")
}

func (w *workspaceRecord) CheckState(k store.Key) error {
	if err := state.SameID("WorkspaceId", w.WorkspaceId, k); err != nil {
		return err
	}
	return state.Need("DirectoryId", w.DirectoryId != nil, "BundleId", w.BundleId != nil, "UserName", w.UserName != nil, "State", w.State != "")
}

func (im *imageRecord) CheckState(k store.Key) error {
	if err := state.SameID("ImageId", im.ImageId, k); err != nil {
		return err
	}
	return state.Need("OwnerAccountId", im.OwnerAccountId != nil, "State", im.State != "")
}

func (a *aliasRecord) CheckState(k store.Key) error {
	if err := state.SameID("AliasId", a.AliasId, k); err != nil {
		return err
	}
	return state.Need("OwnerAccountId", a.OwnerAccountId != nil, "ConnectionString", a.ConnectionString != nil, "State", a.State != "")
}

func (l *linkRecord) CheckState(k store.Key) error {
	if err := state.SameID("AccountLinkId", l.AccountLinkId, k); err != nil {
		return err
	}
	return state.Need("SourceAccountId", l.SourceAccountId != nil, "TargetAccountId", l.TargetAccountId != nil, "AccountLinkStatus", l.AccountLinkStatus != "")
}
