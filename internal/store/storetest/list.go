package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// listTests cover List and Count: order, paging and scope isolation.
func listTests() []test {
	return []test{
		{"ListOrderAndPaging", testListPaging},
		{"ScopeIsolation", testIsolation},
	}
}

// listTotal is how many records the paging test stores: more than any page.
const listTotal = 130

func testListPaging(t *testing.T, s store.Store) {
	// Store the records over several Updates, interleaved with records of
	// another scope so that Seqs within the scope are not contiguous.
	noise := store.Scope{Kind: "noise", Account: scope.Account, Region: scope.Region}
	var ids []string
	for batch := 0; batch < 3; batch++ {
		var made []string // reset on every run: Update may run fn more than once
		update(t, s, func(ctx context.Context, tx store.Tx) error {
			made = nil
			for i := len(ids); i < listTotal*(batch+1)/3; i++ {
				id := fmt.Sprintf("r-%03d", listTotal-i) // IDs sort opposite to Seq
				if err := tx.Create(ctx, key(id), doc{Name: id, N: i}); err != nil {
					return err
				}
				if err := tx.Create(ctx, keyIn(noise, id), doc{Name: "noise"}); err != nil {
					return err
				}
				made = append(made, id)
			}
			return nil
		})
		ids = append(ids, made...)
	}

	all := list(t, s, store.Query{Scope: scope})
	checkOrder(t, "List", all, ids)
	if n := count(t, s, scope); n != listTotal {
		t.Errorf("Count = %d, want %d", n, listTotal)
	}
	seqs := make(map[int64]bool)
	for _, r := range append(all, list(t, s, store.Query{Scope: noise})...) {
		if seqs[r.Seq] {
			t.Errorf("Seq %d appears twice in the store", r.Seq)
		}
		seqs[r.Seq] = true
	}

	t.Run("AfterSeq", func(t *testing.T) {
		cases := []struct {
			name  string
			after int64
			want  []string
		}{
			{"zero", 0, ids},
			{"first", all[0].Seq, ids[1:]},
			{"middle", all[49].Seq, ids[50:]},
			{"between", all[49].Seq + 1, ids[50:]}, // a noise record's Seq
			{"last", all[listTotal-1].Seq, nil},
			{"beyond", all[listTotal-1].Seq + 1000, nil},
		}
		for _, c := range cases {
			got := list(t, s, store.Query{Scope: scope, AfterSeq: c.after})
			checkOrder(t, c.name, got, c.want)
		}
	})

	page := func(t *testing.T, want []string) {
		for _, limit := range []int{1, 7, 25, 100, len(want), len(want) + 1, 1000} {
			t.Run(fmt.Sprintf("Limit%d", limit), func(t *testing.T) {
				got := pageAll(t, s, scope, limit)
				checkOrder(t, "paged", got, want)
			})
		}
	}
	t.Run("Paging", func(t *testing.T) { page(t, ids) })

	// Delete two records in three (enough to make tombstones outnumber live
	// records), then page again: no deleted record, no skip, no repeat.
	var kept []string
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		kept = nil
		for i, id := range ids {
			if i%3 != 0 {
				if err := tx.Delete(ctx, key(id)); err != nil {
					return err
				}
				continue
			}
			kept = append(kept, id)
		}
		return nil
	})
	if n := count(t, s, scope); n != len(kept) {
		t.Errorf("Count after deletes = %d, want %d", n, len(kept))
	}
	t.Run("PagingAfterDeletes", func(t *testing.T) { page(t, kept) })
}

// pageAll reads sc page by page, each page after the last Seq of the one
// before, and checks every page's size.
func pageAll(t *testing.T, s store.Store, sc store.Scope, limit int) []store.Record {
	t.Helper()
	var out []store.Record
	var after int64
	for pages := 0; ; pages++ {
		if pages > listTotal+1 {
			t.Fatalf("paging does not end")
		}
		recs := list(t, s, store.Query{Scope: sc, AfterSeq: after, Limit: limit})
		if len(recs) > limit {
			t.Fatalf("page of %d records with Limit %d", len(recs), limit)
		}
		out = append(out, recs...)
		if len(recs) < limit {
			return out
		}
		after = recs[len(recs)-1].Seq
	}
}

// checkOrder checks that recs are the records ids, in that order, with
// growing Seqs and the values the paging test stored.
func checkOrder(t *testing.T, what string, recs []store.Record, ids []string) {
	t.Helper()
	if len(recs) != len(ids) {
		t.Errorf("%s: %d records, want %d", what, len(recs), len(ids))
	}
	for i := range min(len(recs), len(ids)) {
		r := recs[i]
		if r.Key != key(ids[i]) {
			t.Errorf("%s: record %d is %+v, want ID %s", what, i, r.Key, ids[i])
			return
		}
		if i > 0 && r.Seq <= recs[i-1].Seq {
			t.Errorf("%s: record %d has Seq %d after %d", what, i, r.Seq, recs[i-1].Seq)
			return
		}
		var d doc
		if err := r.Decode(&d); err != nil || d.Name != ids[i] {
			t.Errorf("%s: record %d decodes to %+v, %v", what, i, d, err)
			return
		}
	}
}

func testIsolation(t *testing.T, s store.Store) {
	base := []string{"x", "y", "z"}
	for _, id := range base {
		create(t, s, key(id), doc{Name: "base-" + id})
	}
	others := []struct {
		name string
		sc   store.Scope
	}{
		{"kind", store.Scope{Kind: "bundle", Account: scope.Account, Region: scope.Region}},
		{"account", store.Scope{Kind: scope.Kind, Account: "999988887777", Region: scope.Region}},
		{"region", store.Scope{Kind: scope.Kind, Account: scope.Account, Region: "eu-west-1"}},
		{"global", store.Scope{Kind: scope.Kind}},
		{"no region", store.Scope{Kind: scope.Kind, Account: scope.Account}},
		// Fields that run together the same way must not collide.
		{"shifted", store.Scope{Kind: scope.Kind + scope.Account[:4], Account: scope.Account[4:], Region: scope.Region}},
	}
	for _, o := range others {
		t.Run(o.name, func(t *testing.T) {
			ctx := t.Context()
			view(t, s, func(ctx context.Context, tx store.Tx) error {
				if n, err := tx.Count(ctx, o.sc); err != nil || n != 0 {
					t.Errorf("Count = %d, %v; want 0", n, err)
				}
				if recs, err := tx.List(ctx, store.Query{Scope: o.sc}); err != nil || len(recs) != 0 {
					t.Errorf("List = %+v, %v; want none", recs, err)
				}
				var d doc
				if err := tx.Get(ctx, keyIn(o.sc, "x"), &d); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("Get of a base ID = %+v, %v; want ErrNotFound", d, err)
				}
				return nil
			})
			err := s.Update(ctx, func(tx store.Tx) error { return tx.Delete(ctx, keyIn(o.sc, "y")) })
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Delete of a base ID = %v, want ErrNotFound", err)
			}
			// The same ID in this scope is a different record.
			create(t, s, keyIn(o.sc, "x"), doc{Name: o.name})
			if n := count(t, s, o.sc); n != 1 {
				t.Errorf("Count after Create = %d, want 1", n)
			}
			if got := mustGet(t, s, keyIn(o.sc, "x")); got.Name != o.name {
				t.Errorf("Get = %+v, want Name %q", got, o.name)
			}
		})
	}
	// The base scope is untouched.
	if n := count(t, s, scope); n != len(base) {
		t.Errorf("base Count = %d, want %d", n, len(base))
	}
	got := list(t, s, store.Query{Scope: scope})
	if len(got) != len(base) {
		t.Fatalf("base List = %d records, want %d", len(got), len(base))
	}
	for i, id := range base {
		var d doc
		if err := got[i].Decode(&d); err != nil || got[i].Key != key(id) || d.Name != "base-"+id {
			t.Errorf("base record %d = %+v (%+v, %v), want %s", i, got[i].Key, d, err, id)
		}
	}
}
