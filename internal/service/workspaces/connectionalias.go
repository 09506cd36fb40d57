package workspaces

// Connection aliases for cross-Region redirection (AWS admin guide
// "Cross-Region redirection", API reference of the seven operations). An
// alias lives in one region; its owner may share it with one other account
// of that region, and either the owner or that account (not both) may
// associate it with one of its own directories. Aliases live per region
// outside any account's namespace (like images) so the shared account finds
// one by id; a connection string is reserved for the first account that
// used it, in every region, forever. Not emulated: DNS (the connection
// identifier is never resolved) and the asynchronous PENDING_ASSOCIATION /
// PENDING_DISASSOCIATION statuses (associations complete at once).

import (
	"context"
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
	// kindAlias holds aliases per region (account left empty); the owner is
	// in the record.
	kindAlias = "workspaces.alias"
	// kindAliasString reserves a lower-cased connection string for its first
	// account (account and region left empty).
	kindAliasString = "workspaces.aliasstring"

	maxAliasesPerRegion = 20 // AWS quota "Connection aliases" (not adjustable)
	defaultAliasPage    = 25
	maxDNSLabel         = 63
)

type aliasRecord struct {
	ws.ConnectionAlias
	StateSince time.Time `json:"stateSince"`
	// SharedWith is the one account the alias is shared with, or "".
	SharedWith string `json:"sharedWith,omitempty"`
	// DirectorySince is the CreatedAt of the associated directory
	// registration: a later registration of the same id is not associated.
	DirectorySince time.Time `json:"directorySince,omitzero"`
	seq            int64
	gone           bool
}

type aliasOwnerRecord struct {
	Account string `json:"account"`
}

func aliasKey(c *api.Call, id string) store.Key {
	return store.Key{Kind: kindAlias, Region: c.Region, ID: id}
}

func (a *aliasRecord) owner() string { return api.ToString(a.OwnerAccountId) }

func (a *aliasRecord) visibleTo(account string) bool {
	return a.owner() == account || a.SharedWith == account
}

// resolve advances the state to what it is at now: CREATING → CREATED,
// DELETING → gone.
func (a *aliasRecord) resolve(now time.Time, delays Delays) {
	switch a.State {
	case ws.ConnectionAliasStateCreating:
		if due := a.StateSince.Add(delays.ConnectionAliasCreate); !now.Before(due) {
			a.State, a.StateSince = ws.ConnectionAliasStateCreated, due
		}
	case ws.ConnectionAliasStateDeleting:
		a.gone = !now.Before(a.StateSince.Add(delays.ConnectionAliasDelete))
	}
}

// association returns the alias's association, or nil.
func (a *aliasRecord) association() *ws.ConnectionAliasAssociation {
	if len(a.Associations) == 0 {
		return nil
	}
	return &a.Associations[0]
}

// settle resolves the state and drops an association whose directory
// registration has started deregistering or is gone (inferred: AWS
// documents no rule; deregistration ends the directory's associations, as
// it does for IP groups).
func (s *Service) settle(ctx context.Context, tx store.Tx, c *api.Call, a *aliasRecord) error {
	a.resolve(c.Now, s.delays)
	as := a.association()
	if as == nil || a.gone {
		return nil
	}
	dc := *c
	dc.Account = api.ToString(as.AssociatedAccountId)
	d, err := s.findDirectory(ctx, tx, &dc, api.ToString(as.ResourceId))
	if err != nil {
		return err
	}
	if d == nil || !d.CreatedAt.Equal(a.DirectorySince) || d.State == ws.WorkspaceDirectoryStateDeregistering || d.State == ws.WorkspaceDirectoryStateDeregistered {
		a.Associations = nil
	}
	return nil
}

// getAlias returns alias id of the region with its current state, or nil
// when there is none or it is gone.
func (s *Service) getAlias(ctx context.Context, tx store.Tx, c *api.Call, id string) (*aliasRecord, error) {
	a, err := lookup[aliasRecord](ctx, tx, aliasKey(c, id))
	if a == nil || err != nil {
		return nil, err
	}
	if err := s.settle(ctx, tx, c, a); err != nil || a.gone {
		return nil, err
	}
	return a, nil
}

// putAlias stores a and moves its index entries from what the stored record
// had (nil a: the record at id is deleted).
func putAlias(ctx context.Context, tx store.Tx, c *api.Call, id string, a *aliasRecord) error {
	return putIndexed(ctx, tx, aliasKey(c, id), a, func(a *aliasRecord) []entry { return aliasEntries(c.Region, a) })
}

// ownedAliases returns the caller's aliases that are not gone, deleting the
// gone ones (inferred: lazy cleanup instead of a sweeper). It reads the
// caller's own aliases only: at most the quota, plus those being deleted.
func (s *Service) ownedAliases(ctx context.Context, tx store.Tx, c *api.Call) ([]*aliasRecord, error) {
	recs, err := tx.List(ctx, store.Query{Scope: ixScope(ixAliasOwner, "", c.Account, c.Region)})
	if err != nil {
		return nil, err
	}
	var out []*aliasRecord
	for _, r := range recs {
		a, err := lookup[aliasRecord](ctx, tx, aliasKey(c, r.Key.ID))
		if err != nil {
			return nil, err
		}
		if a == nil {
			continue
		}
		if err := s.settle(ctx, tx, c, a); err != nil {
			return nil, err
		}
		if a.gone {
			if err := putAlias(ctx, tx, c, r.Key.ID, nil); err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// visibleAlias returns the alias id when the caller owns it or it is shared
// with the caller; otherwise ResourceNotFoundException.
func (s *Service) visibleAlias(ctx context.Context, tx store.Tx, c *api.Call, id string) (*aliasRecord, error) {
	a, err := lookup[aliasRecord](ctx, tx, aliasKey(c, id))
	if err != nil {
		return nil, err
	}
	if a != nil {
		if err := s.settle(ctx, tx, c, a); err != nil {
			return nil, err
		}
	}
	if a == nil || a.gone || !a.visibleTo(c.Account) {
		return nil, notFound("connection alias", id)
	}
	return a, nil
}

// ownedAlias is visibleAlias for operations only the owner may call: the
// account the alias is shared with gets AccessDeniedException.
func (s *Service) ownedAlias(ctx context.Context, tx store.Tx, c *api.Call, id string) (*aliasRecord, error) {
	a, err := s.visibleAlias(ctx, tx, c, id)
	if err == nil && a.owner() != c.Account {
		return nil, &ws.AccessDeniedException{Message: api.String(fmt.Sprintf("Connection alias %s is owned by account %s; only its owner can do this.", id, a.owner()))}
	}
	return a, err
}

func aliasNotCreated(a *aliasRecord) error {
	return stateErrf("Connection alias %s is %s; this operation requires CREATED.", *a.AliasId, a.State)
}

// checkConnectionString applies the FQDN rule beyond the model pattern:
// two or more dot-separated labels of 1–63 letters, digits and hyphens, not
// starting or ending with a hyphen (inferred: AWS documents "a fully
// qualified domain name" without the exact checks).
func checkConnectionString(cs string) error {
	labels := strings.Split(cs, ".")
	if len(labels) < 2 {
		return invalidf("The connection string '%s' is not a fully qualified domain name such as www.example.com.", cs)
	}
	for _, l := range labels {
		if l == "" || len(l) > maxDNSLabel || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return invalidf("The connection string '%s' is not a fully qualified domain name: each label needs 1–%d letters, digits or hyphens and cannot begin or end with a hyphen.", cs, maxDNSLabel)
		}
	}
	return nil
}

// CreateConnectionAlias creates an alias in CREATING; it is CREATED after
// the alias.create delay.
func (s *Service) CreateConnectionAlias(ctx context.Context, c *api.Call, in *ws.CreateConnectionAliasInput) (*ws.CreateConnectionAliasOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	cs := *in.ConnectionString
	if err := checkConnectionString(cs); err != nil {
		return nil, err
	}
	if err := checkNewTags(nil, in.Tags); err != nil {
		return nil, err
	}
	id := "wsca-" + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 9)
	err := s.update(ctx, func(tx store.Tx) error {
		// DNS names are case-insensitive (inferred: so is the reservation).
		reserved := store.Key{Kind: kindAliasString, ID: strings.ToLower(cs)}
		holder, err := lookup[aliasOwnerRecord](ctx, tx, reserved)
		if err != nil {
			return err
		}
		if holder != nil && holder.Account != c.Account {
			// inferred error code: AWS documents only that the string stays reserved for its first account.
			return &ws.ResourceAlreadyExistsException{Message: api.String(fmt.Sprintf("The connection string '%s' is reserved for another AWS account.", cs))}
		}
		mine, err := s.ownedAliases(ctx, tx, c)
		if err != nil {
			return err
		}
		owned := len(mine)
		for _, a := range mine {
			if strings.EqualFold(api.ToString(a.ConnectionString), cs) {
				// inferred: one alias per connection string per account and region.
				return &ws.ResourceAlreadyExistsException{Message: api.String(fmt.Sprintf("Connection alias %s already uses the connection string '%s' in %s.", *a.AliasId, cs, c.Region))}
			}
		}
		if owned >= maxAliasesPerRegion {
			return limitf("The account already has %d connection aliases in %s; the maximum is %d.", owned, c.Region, maxAliasesPerRegion)
		}
		if holder == nil {
			if err := tx.Create(ctx, reserved, aliasOwnerRecord{Account: c.Account}); err != nil {
				return err
			}
		}
		a := &aliasRecord{StateSince: c.Now}
		a.AliasId, a.ConnectionString, a.OwnerAccountId = &id, &cs, api.String(c.Account)
		a.State = ws.ConnectionAliasStateCreating
		if err := putAlias(ctx, tx, c, id, a); err != nil {
			return err
		}
		return putTags(ctx, tx, c, id, in.Tags)
	})
	if err != nil {
		return nil, err
	}
	return &ws.CreateConnectionAliasOutput{AliasId: &id}, nil
}

// changeAlias runs edit on an alias the caller can see (ownerOnly: that
// it owns) in one write transaction and stores the alias edit leaves.
func (s *Service) changeAlias(ctx context.Context, c *api.Call, id string, ownerOnly bool, edit func(tx store.Tx, a *aliasRecord) error) error {
	get := s.visibleAlias
	if ownerOnly {
		get = s.ownedAlias
	}
	if err := s.ensureIndexes(ctx, c); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		a, err := get(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := edit(tx, a); err != nil {
			return err
		}
		return putAlias(ctx, tx, c, id, a)
	})
}

// DeleteConnectionAlias starts deleting an owned CREATED alias that is
// neither associated nor shared: DELETING, then gone after the alias.delete
// delay. Its tags go at once.
func (s *Service) DeleteConnectionAlias(ctx context.Context, c *api.Call, in *ws.DeleteConnectionAliasInput) (*ws.DeleteConnectionAliasOutput, error) {
	id := *in.AliasId
	err := s.changeAlias(ctx, c, id, true, func(tx store.Tx, a *aliasRecord) error {
		if a.State != ws.ConnectionAliasStateCreated {
			// inferred: a CREATING alias cannot be deleted yet; a DELETING one is already going.
			return aliasNotCreated(a)
		}
		if as := a.association(); as != nil {
			return &ws.ResourceAssociatedException{Message: api.String(fmt.Sprintf("Connection alias %s is associated with directory %s of account %s; disassociate it first.", id, api.ToString(as.ResourceId), api.ToString(as.AssociatedAccountId)))}
		}
		if a.SharedWith != "" {
			// inferred error code: the docs require unsharing first.
			return &ws.ResourceAssociatedException{Message: api.String(fmt.Sprintf("Connection alias %s is shared with account %s; unshare it first.", id, a.SharedWith))}
		}
		a.State, a.StateSince = ws.ConnectionAliasStateDeleting, c.Now
		return deleteAllTags(ctx, tx, c, id)
	})
	if err != nil {
		return nil, err
	}
	return &ws.DeleteConnectionAliasOutput{}, nil
}

// DescribeConnectionAliases lists the aliases the caller owns or that are
// shared with it (inferred: a shared alias is listed too, so the account it
// is shared with can find it). AliasIds and ResourceId are ANDed; unknown
// ids are left out, so a deleted alias describes as an empty list.
func (s *Service) DescribeConnectionAliases(ctx context.Context, c *api.Call, in *ws.DescribeConnectionAliasesInput) (*ws.DescribeConnectionAliasesOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	keep := func(a *aliasRecord) bool {
		as := a.association()
		return a.visibleTo(c.Account) && (in.ResourceId == nil || (as != nil && api.ToString(as.ResourceId) == *in.ResourceId))
	}
	filter := []any{in.AliasIds, in.ResourceId}
	var page []*aliasRecord
	var next *string
	err := s.view(ctx, func(tx store.Tx) (err error) {
		get := func(id string) (*aliasRecord, error) { return s.getAlias(ctx, tx, c, id) }
		if len(in.AliasIds) > 0 {
			list, err := byIDs(in.AliasIds, get)
			list = slices.DeleteFunc(list, func(a *aliasRecord) bool { return !keep(a) })
			if err == nil {
				page, next, err = pageOf(s, c, list, func(a *aliasRecord) int64 { return a.seq }, in.NextToken, in.Limit, defaultAliasPage, filter)
			}
			return err
		}
		// One page of the aliases visible to the caller, or of those
		// associated with directory ResourceId.
		ix := ixScope(ixAliasVisible, "", c.Account, c.Region)
		if in.ResourceId != nil {
			ix = ixScope(ixAliasDirectory, *in.ResourceId, c.Account, c.Region)
		}
		page, next, err = indexPage(ctx, s, tx, c, ix, in.NextToken, in.Limit, defaultAliasPage, filter, get, keep)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeConnectionAliasesOutput{ConnectionAliases: make([]ws.ConnectionAlias, 0, len(page)), NextToken: next}
	for _, a := range page {
		out.ConnectionAliases = append(out.ConnectionAliases, a.ConnectionAlias)
	}
	return out, nil
}

// AssociateConnectionAlias associates a CREATED alias with a REGISTERED
// directory of the caller, who is its owner or the account it is shared
// with. An alias has at most one association.
func (s *Service) AssociateConnectionAlias(ctx context.Context, c *api.Call, in *ws.AssociateConnectionAliasInput) (*ws.AssociateConnectionAliasOutput, error) {
	id, dir := *in.AliasId, *in.ResourceId
	conn := ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 16) // inferred format (model: 1–20 alphanumerics)
	err := s.changeAlias(ctx, c, id, false, func(tx store.Tx, a *aliasRecord) error {
		d, err := s.getDirectory(ctx, tx, c, dir)
		if err != nil {
			return err
		}
		if a.State != ws.ConnectionAliasStateCreated {
			return aliasNotCreated(a)
		}
		if d.State != ws.WorkspaceDirectoryStateRegistered {
			return stateErrf("Directory %s is in state %s; this operation requires REGISTERED.", dir, d.State)
		}
		if as := a.association(); as != nil {
			return &ws.ResourceAssociatedException{Message: api.String(fmt.Sprintf("Connection alias %s is already associated with directory %s of account %s.", id, api.ToString(as.ResourceId), api.ToString(as.AssociatedAccountId)))}
		}
		status := ws.AssociationStatusAssociatedWithOwnerAccount
		if a.owner() != c.Account {
			status = ws.AssociationStatusAssociatedWithSharedAccount
		}
		a.Associations = []ws.ConnectionAliasAssociation{{
			AssociatedAccountId: api.String(c.Account), AssociationStatus: status,
			ConnectionIdentifier: &conn, ResourceId: &dir,
		}}
		a.DirectorySince = d.CreatedAt
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.AssociateConnectionAliasOutput{ConnectionIdentifier: &conn}, nil
}

// DisassociateConnectionAlias removes the association; only the account
// that made it (the directory's owner) can.
func (s *Service) DisassociateConnectionAlias(ctx context.Context, c *api.Call, in *ws.DisassociateConnectionAliasInput) (*ws.DisassociateConnectionAliasOutput, error) {
	id := *in.AliasId
	err := s.changeAlias(ctx, c, id, false, func(_ store.Tx, a *aliasRecord) error {
		if a.State != ws.ConnectionAliasStateCreated {
			return aliasNotCreated(a)
		}
		as := a.association()
		switch {
		case as == nil:
			// inferred error code: there is nothing to disassociate.
			return stateErrf("Connection alias %s is not associated with a directory.", id)
		case api.ToString(as.AssociatedAccountId) != c.Account:
			return &ws.AccessDeniedException{Message: api.String(fmt.Sprintf("Connection alias %s is associated with a directory of account %s; only that account can disassociate it.", id, api.ToString(as.AssociatedAccountId)))}
		}
		a.Associations = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.DisassociateConnectionAliasOutput{}, nil
}

// UpdateConnectionAliasPermission shares (AllowAssociation true) a CREATED
// alias with one other account of the region, or unshares it once that
// account has no association.
func (s *Service) UpdateConnectionAliasPermission(ctx context.Context, c *api.Call, in *ws.UpdateConnectionAliasPermissionInput) (*ws.UpdateConnectionAliasPermissionOutput, error) {
	id, p := *in.AliasId, in.ConnectionAliasPermission
	target := *p.SharedAccountId
	err := s.changeAlias(ctx, c, id, true, func(_ store.Tx, a *aliasRecord) error {
		if a.State != ws.ConnectionAliasStateCreated {
			return aliasNotCreated(a)
		}
		if target == c.Account {
			return invalidf("SharedAccountId %s is the connection alias's owner.", target)
		}
		if !*p.AllowAssociation {
			if a.SharedWith != target {
				// inferred: as for images, unsharing an account the alias is not shared with is refused.
				return invalidf("Connection alias %s is not shared with account %s.", id, target)
			}
			if as := a.association(); as != nil && api.ToString(as.AssociatedAccountId) == target {
				return &ws.ResourceAssociatedException{Message: api.String(fmt.Sprintf("Account %s has associated connection alias %s with directory %s; it must disassociate it first.", target, id, api.ToString(as.ResourceId)))}
			}
			a.SharedWith = ""
			return nil
		}
		if a.SharedWith != "" && a.SharedWith != target {
			return limitf("Connection alias %s is already shared with account %s; an alias can be shared with one account only.", id, a.SharedWith)
		}
		a.SharedWith = target
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ws.UpdateConnectionAliasPermissionOutput{}, nil
}

// DescribeConnectionAliasPermissions lists the account an owned alias is
// shared with (at most one).
func (s *Service) DescribeConnectionAliasPermissions(ctx context.Context, c *api.Call, in *ws.DescribeConnectionAliasPermissionsInput) (*ws.DescribeConnectionAliasPermissionsOutput, error) {
	var a *aliasRecord
	err := s.view(ctx, func(tx store.Tx) (err error) {
		a, err = s.ownedAlias(ctx, tx, c, *in.AliasId)
		return err
	})
	if err != nil {
		return nil, err
	}
	var perms []ws.ConnectionAliasPermission
	if a.SharedWith != "" {
		perms = append(perms, ws.ConnectionAliasPermission{SharedAccountId: api.String(a.SharedWith), AllowAssociation: api.Bool(true)})
	}
	page, next, err := pageOf(s, c, perms, func(ws.ConnectionAliasPermission) int64 { return 1 }, in.NextToken, in.MaxResults, defaultAliasPage, *in.AliasId)
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeConnectionAliasPermissionsOutput{AliasId: in.AliasId, ConnectionAliasPermissions: append(make([]ws.ConnectionAliasPermission, 0, len(page)), page...), NextToken: next}
	return out, nil
}

// aliasTaggable tells whether id is an alias the caller owns that is not
// being deleted (owner only, as for images).
func (s *Service) aliasTaggable(ctx context.Context, tx store.Tx, c *api.Call, id string) (bool, error) {
	a, err := s.visibleAlias(ctx, tx, c, id)
	if err != nil {
		return false, ignoreNotFound(err)
	}
	return a.owner() == c.Account && a.State != ws.ConnectionAliasStateDeleting, nil
}

func (a *aliasRecord) setSeq(n int64) { a.seq = n }
