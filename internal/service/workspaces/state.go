package workspaces

// The service's part in reset and state import (internal/state): which
// record kinds it owns, and how a scoped reset finds the records that are
// not keyed by the account and region they belong to.

import (
	"context"
	"strings"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/state"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/expiring"
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
	kindLinkTokenLog:   func() any { return new(expiring.Record) }, // "head" and "chunk/N" records
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
		deleted, err := s.resetRegionWide(ctx, tx, account, r)
		if err != nil {
			return err
		}
		for _, a := range deleted.aliases {
			strs[strings.ToLower(api.ToString(a.ConnectionString))] = true
		}
		// The applications the deleted images carried (kept region-wide).
		for _, im := range deleted.images {
			for i := range s.applications {
				if err := ignoreMissing(tx.Delete(ctx, imageAppKey(r, s.applications[i].ID, api.ToString(im.ImageId)))); err != nil {
					return err
				}
			}
		}
	}
	if region == "" { // every reservation of the account, in no region in particular
		_, err := state.DeleteWhere(ctx, tx, store.Scope{Kind: kindAliasString}, func(id string, h *aliasOwnerRecord) bool {
			return strs[id] || owned(h.Account)
		})
		if err != nil {
			return err
		}
	}
	for str := range strs {
		if err := ignoreMissing(tx.Delete(ctx, store.Key{Kind: kindAliasString, ID: str})); err != nil {
			return err
		}
	}
	// Pools and their sessions are found by id from the unsigned /_local/
	// session endpoints, through global references naming their scope.
	_, err := state.DeleteWhere(ctx, tx, store.Scope{Kind: kindPoolRef}, func(_ string, r *poolRef) bool {
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

// regionWide is what a reset deleted of one region's region-wide kinds.
type regionWide struct {
	images  []*imageRecord
	aliases []*aliasRecord
}

// resetRegionWide deletes, in region r, the images and connection aliases
// account owns and the account links it is a party to (every one when
// account is ""), with their index entries (index.go), which name them under
// every account that sees them. Once the region is indexed, one account's
// records are found through its own indexes, at the cost of what it holds;
// a region reset, or a region not indexed yet (data of a build before the
// indexes), reads the region's records.
func (s *Service) resetRegionWide(ctx context.Context, tx store.Tx, account, r string) (regionWide, error) {
	var out regionWide
	marker := store.Key{Kind: kindIndexed, Region: r, ID: "indexes"}
	indexed, err := markerReady(ctx, tx, marker)
	if err != nil {
		return out, err
	}
	if account != "" && indexed {
		if out.images, err = deleteIndexed(ctx, tx, ixScope(ixImageOwner, "", account, r), kindImage, r, func(im *imageRecord) []entry { return imageEntries(r, im) }); err != nil {
			return out, err
		}
		if _, err = deleteIndexed(ctx, tx, ixScope(ixLinkParty, "", account, r), kindLink, r, func(l *linkRecord) []entry { return linkEntries(r, l) }); err != nil {
			return out, err
		}
		if out.aliases, err = deleteIndexed(ctx, tx, ixScope(ixAliasOwner, "", account, r), kindAlias, r, func(a *aliasRecord) []entry { return aliasEntries(r, a) }); err != nil {
			return out, err
		}
		// The marker goes with the region's last region-wide record (it
		// must not outlive a reset that left the region empty).
		for _, kind := range []string{kindImage, kindLink, kindAlias} {
			if recs, err := tx.List(ctx, store.Query{Scope: store.Scope{Kind: kind, Region: r}, Limit: 1}); err != nil || len(recs) > 0 {
				return out, err
			}
		}
		return out, ignoreMissing(tx.Delete(ctx, marker))
	}
	// The region's shared kinds are indexed again at the next call.
	if err := ignoreMissing(tx.Delete(ctx, marker)); err != nil {
		return out, err
	}
	owned := func(owner string) bool { return account == "" || owner == account }
	if out.images, err = deleteScanned(ctx, tx, store.Scope{Kind: kindImage, Region: r}, func(im *imageRecord) bool { return owned(im.owner()) }, func(im *imageRecord) []entry { return imageEntries(r, im) }); err != nil {
		return out, err
	}
	if _, err = deleteScanned(ctx, tx, store.Scope{Kind: kindLink, Region: r}, func(l *linkRecord) bool {
		return account == "" || api.ToString(l.SourceAccountId) == account || api.ToString(l.TargetAccountId) == account
	}, func(l *linkRecord) []entry { return linkEntries(r, l) }); err != nil {
		return out, err
	}
	out.aliases, err = deleteScanned(ctx, tx, store.Scope{Kind: kindAlias, Region: r}, func(a *aliasRecord) bool { return owned(a.owner()) }, func(a *aliasRecord) []entry { return aliasEntries(r, a) })
	return out, err
}

// deleteIndexed deletes the records of kind in region r that the list index
// ix names, and their index entries; it returns them.
func deleteIndexed[T any](ctx context.Context, tx store.Tx, ix store.Scope, kind, r string, entries func(*T) []entry) ([]*T, error) {
	recs, err := tx.List(ctx, store.Query{Scope: ix})
	if err != nil {
		return nil, err
	}
	var out []*T
	for _, rec := range recs {
		k := store.Key{Kind: kind, Region: r, ID: rec.Key.ID}
		v, err := lookup[T](ctx, tx, k)
		if err != nil {
			return nil, err
		}
		if v == nil { // an entry whose record is gone already
			continue
		}
		if err := putIndexed[T](ctx, tx, k, nil, entries); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// deleteScanned deletes the records of sc that gone selects, and their
// index entries; it returns them.
func deleteScanned[T any](ctx context.Context, tx store.Tx, sc store.Scope, gone func(*T) bool, entries func(*T) []entry) ([]*T, error) {
	del, err := state.DeleteWhere(ctx, tx, sc, func(_ string, v *T) bool { return gone(v) })
	if err != nil {
		return nil, err
	}
	for _, v := range del {
		if err := reindex(ctx, tx, entries(v), nil); err != nil {
			return nil, err
		}
	}
	return del, nil
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
