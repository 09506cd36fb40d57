package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// scopesTests cover Tx.Scopes: distinct, sorted, empty scopes dropped,
// writes of the same transaction seen, rollback undone.
func scopesTests() []test {
	return []test{
		{"ScopesDistinctSorted", testScopesSorted},
		{"ScopesInTransaction", testScopesInTx},
	}
}

// scopes reads Tx.Scopes in its own View.
func scopes(t testing.TB, s store.Store) []store.Scope {
	t.Helper()
	var out []store.Scope
	view(t, s, func(ctx context.Context, tx store.Tx) (err error) {
		out, err = tx.Scopes(ctx)
		return err
	})
	return out
}

func testScopesSorted(t *testing.T, s store.Store) {
	if got := scopes(t, s); len(got) != 0 {
		t.Fatalf("Scopes of an empty store = %v, want none", got)
	}
	// Written out of order, several records per scope, including global
	// (empty account and region) and prefix-sharing names.
	all := []store.Scope{
		{Kind: "b", Account: "222222222222", Region: "us-east-1"},
		{Kind: "a", Account: "111111111111", Region: "us-west-2"},
		{Kind: "a", Account: "", Region: ""},
		{Kind: "a", Account: "111111111111", Region: "eu-west-1"},
		{Kind: "ab", Account: "111111111111", Region: "eu-west-1"},
		{Kind: "a", Account: "1111111111110", Region: "eu-west-1"},
		{Kind: "a", Account: "111111111111", Region: "us-east-1"},
	}
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		for i := 0; i < 3; i++ {
			for _, sc := range all {
				if err := tx.Create(ctx, keyIn(sc, fmt.Sprintf("r-%d", i)), doc{N: i}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	want := slices.Clone(all)
	slices.SortFunc(want, store.CompareScopes)
	if got := scopes(t, s); !slices.Equal(got, want) {
		t.Errorf("Scopes = %v\nwant     %v", got, want)
	}

	// Emptying a scope drops it; a scope with one record left stays.
	gone, kept := all[0], all[1]
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		for i := 0; i < 3; i++ {
			if err := tx.Delete(ctx, keyIn(gone, fmt.Sprintf("r-%d", i))); err != nil {
				return err
			}
		}
		for i := 0; i < 2; i++ {
			if err := tx.Delete(ctx, keyIn(kept, fmt.Sprintf("r-%d", i))); err != nil {
				return err
			}
		}
		return nil
	})
	want = slices.DeleteFunc(want, func(sc store.Scope) bool { return sc == gone })
	if got := scopes(t, s); !slices.Equal(got, want) {
		t.Errorf("after deletes, Scopes = %v\nwant                  %v", got, want)
	}
}

func testScopesInTx(t *testing.T, s store.Store) {
	base := store.Scope{Kind: "k", Account: "111111111111", Region: "us-east-1"}
	extra := store.Scope{Kind: "k", Account: "333333333333", Region: "us-east-1"}
	create(t, s, keyIn(base, "x"), doc{})
	errBoom := fmt.Errorf("boom")
	err := s.Update(t.Context(), func(tx store.Tx) error {
		ctx := t.Context()
		if err := tx.Create(ctx, keyIn(extra, "y"), doc{}); err != nil {
			return err
		}
		got, err := tx.Scopes(ctx)
		if err != nil {
			return err
		}
		if want := []store.Scope{base, extra}; !slices.Equal(got, want) {
			t.Errorf("Scopes inside the Update = %v, want %v", got, want)
		}
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("Update = %v, want %v", err, errBoom)
	}
	if got, want := scopes(t, s), []store.Scope{base}; !slices.Equal(got, want) {
		t.Errorf("after rollback, Scopes = %v, want %v", got, want)
	}
}
