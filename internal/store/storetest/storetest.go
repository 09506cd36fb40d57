// Package storetest is the conformance suite of store.Store: every
// implementation's tests call Run (and its benchmarks RunBenchmarks) so that
// they all behave alike.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// test is one conformance test, run against a fresh, empty store.
type test struct {
	name string
	run  func(t *testing.T, s store.Store)
}

// tests lists the suite. Each group lives in the file named after it.
func tests() []test {
	var all []test
	all = append(all, crudTests()...)
	all = append(all, listTests()...)
	all = append(all, txTests()...)
	all = append(all, stateTests()...)
	all = append(all, scopesTests()...)
	return all
}

// Run runs the conformance suite. open must return a new, empty store each
// time it is called; Run closes it when the subtest ends. Subtests run in
// parallel, so open must be safe for concurrent use.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Helper()
	for _, tc := range tests() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.run(t, s)
		})
	}
}

// doc is the value stored by the tests.
type doc struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

// scope is the scope most tests use.
var scope = store.Scope{Kind: "workspace", Account: "111122223333", Region: "us-east-1"}

// key returns the key of id in scope.
func key(id string) store.Key { return keyIn(scope, id) }

// keyIn returns the key of id in s.
func keyIn(s store.Scope, id string) store.Key {
	return store.Key{Kind: s.Kind, Account: s.Account, Region: s.Region, ID: id}
}

// update runs fn in an Update and fails the test if it returns an error.
func update(t testing.TB, s store.Store, fn func(ctx context.Context, tx store.Tx) error) {
	t.Helper()
	ctx := t.Context()
	if err := s.Update(ctx, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in a View and fails the test if it returns an error.
func view(t testing.TB, s store.Store, fn func(ctx context.Context, tx store.Tx) error) {
	t.Helper()
	ctx := t.Context()
	if err := s.View(ctx, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// create stores v at k in its own Update.
func create(t testing.TB, s store.Store, k store.Key, v any) {
	t.Helper()
	update(t, s, func(ctx context.Context, tx store.Tx) error { return tx.Create(ctx, k, v) })
}

// get reads k in its own View.
func get(t testing.TB, s store.Store, k store.Key) (doc, error) {
	t.Helper()
	var d doc
	err := s.View(t.Context(), func(tx store.Tx) error { return tx.Get(t.Context(), k, &d) })
	return d, err
}

// mustGet reads k, which must exist.
func mustGet(t testing.TB, s store.Store, k store.Key) doc {
	t.Helper()
	d, err := get(t, s, k)
	if err != nil {
		t.Fatalf("Get(%v): %v", k, err)
	}
	return d
}

// wantNotFound checks that k holds no record.
func wantNotFound(t testing.TB, s store.Store, k store.Key) {
	t.Helper()
	if d, err := get(t, s, k); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(%v) = %+v, %v; want ErrNotFound", k, d, err)
	}
}

// list runs q in its own View.
func list(t testing.TB, s store.Store, q store.Query) []store.Record {
	t.Helper()
	var recs []store.Record
	view(t, s, func(ctx context.Context, tx store.Tx) (err error) {
		recs, err = tx.List(ctx, q)
		return err
	})
	return recs
}

// count counts sc in its own View.
func count(t testing.TB, s store.Store, sc store.Scope) int {
	t.Helper()
	var n int
	view(t, s, func(ctx context.Context, tx store.Tx) (err error) {
		n, err = tx.Count(ctx, sc)
		return err
	})
	return n
}

// seqOf returns the Seq of the record at k, listing its scope.
func seqOf(t testing.TB, s store.Store, k store.Key) int64 {
	t.Helper()
	for _, r := range list(t, s, store.Query{Scope: k.Scope()}) {
		if r.Key == k {
			return r.Seq
		}
	}
	t.Fatalf("%v not listed", k)
	return 0
}

// snapshot is what List shows of a record, decoded, for comparisons.
type snapshot struct {
	Key store.Key
	Seq int64
	Doc doc
}

// snap lists sc and decodes every record.
func snap(t testing.TB, s store.Store, sc store.Scope) []snapshot {
	t.Helper()
	var out []snapshot
	for _, r := range list(t, s, store.Query{Scope: sc}) {
		var d doc
		if err := r.Decode(&d); err != nil {
			t.Fatalf("Decode %v: %v (%q)", r.Key, err, r.Value)
		}
		out = append(out, snapshot{Key: r.Key, Seq: r.Seq, Doc: d})
	}
	return out
}

// equalSnaps reports how got differs from want, or "" if it does not.
func equalSnaps(got, want []snapshot) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d records %+v, want %d %+v", len(got), got, len(want), want)
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Sprintf("record %d is %+v, want %+v", i, got[i], want[i])
		}
	}
	return ""
}
