// Package state is the whole-server test control on top of the store:
// reset (everything, or one account and/or region) and the versioned state
// document of GET/PUT /_local/state and `workspaces-local state`. It knows
// the document format and server metadata; each service (a Part) knows its
// own record kinds.
package state

import (
	"context"
	"fmt"
	"strings"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// Part is what a service tells the state manager about its records.
type Part interface {
	// CheckRecord reports whether the service owns r's kind and, if it does,
	// returns why r's value is not a record the service can read (nil if it is).
	CheckRecord(r store.Record) (owned bool, err error)
	// ResetScope deletes, inside tx, the records of the reset scope that are
	// not keyed by that account and region (region-wide records keyed without
	// an account, global indexes, reservations): tx.DeleteScope, run after
	// every Part, takes the rest. account or region "" matches any; when
	// region is "", regions lists every region the store holds records of.
	ResetScope(ctx context.Context, tx store.Tx, account, region string, regions []string) error
}

// Forgetter is a Part that caches what it learnt of the store (for example
// which scopes it has indexed): the manager calls Forget after it replaced
// or deleted records under the running service.
type Forgetter interface {
	Forget()
}

// Kinds maps record kinds to a constructor of the record type their values
// decode into. A kind ending in "/" or "." is a prefix: it covers every kind
// that starts with it.
type Kinds map[string]func() any

// Check implements Part.CheckRecord for a table of kinds.
func (ks Kinds) Check(r store.Record) (bool, error) {
	mk, ok := ks[r.Key.Kind]
	if !ok {
		for k, f := range ks {
			if (strings.HasSuffix(k, "/") || strings.HasSuffix(k, ".")) && strings.HasPrefix(r.Key.Kind, k) && len(r.Key.Kind) > len(k) {
				mk, ok = f, true
				break
			}
		}
	}
	if !ok {
		return false, nil
	}
	v := mk()
	if err := store.Unmarshal(r.Value, v); err != nil {
		return true, fmt.Errorf("its value is not a %s record: %v", r.Key.Kind, err)
	}
	if c, ok := v.(Checker); ok {
		return true, c.CheckState(r.Key)
	}
	return true, nil
}

// Checker is implemented by record types that need more than decoding to
// be readable: CheckState returns why the decoded value cannot be the record
// at k (its own id differs from the key's, a member every read uses is
// missing), or nil.
type Checker interface {
	CheckState(k store.Key) error
}

// Need returns an error naming the first member of members (name, present
// pairs, in order) that is missing.
func Need(members ...any) error {
	for i := 0; i+1 < len(members); i += 2 {
		if ok, _ := members[i+1].(bool); !ok {
			return fmt.Errorf("its value lacks %v, which every record of its kind has", members[i])
		}
	}
	return nil
}

// SameID returns an error unless the record's own id member (named field)
// is the key's id.
func SameID(field string, id *string, k store.Key) error {
	if id == nil || *id != k.ID {
		return fmt.Errorf("its value's %s must be the record id %q", field, k.ID)
	}
	return nil
}

// Matches reports whether a record owned by recAccount in recRegion lies in
// the reset scope of account and region ("" matches any).
func Matches(account, region, recAccount, recRegion string) bool {
	return (account == "" || recAccount == account) && (region == "" || recRegion == region)
}

// ScopeRegions returns the regions a ResetScope call covers: region, or
// regions when region is "".
func ScopeRegions(region string, regions []string) []string {
	if region != "" {
		return []string{region}
	}
	return regions
}

// DeleteWhere deletes the records of sc whose decoded value gone approves,
// and returns those values. It reads the whole scope: reset is rare and
// region-wide scopes are bounded by AWS quotas.
func DeleteWhere[T any](ctx context.Context, tx store.Tx, sc store.Scope, gone func(id string, v *T) bool) ([]*T, error) {
	recs, err := tx.List(ctx, store.Query{Scope: sc})
	if err != nil {
		return nil, err
	}
	var out []*T
	for _, r := range recs {
		v := new(T)
		if err := r.Decode(v); err != nil {
			return nil, err
		}
		if !gone(r.Key.ID, v) {
			continue
		}
		if err := tx.Delete(ctx, r.Key); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
