package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// crudTests cover Get, Create, Put and Delete on single records.
func crudTests() []test {
	return []test{
		{"CreateGet", testCreateGet},
		{"CreateConflict", testCreateConflict},
		{"NotFound", testNotFound},
		{"PutCreatesThenOverwritesKeepingSeq", testPut},
		{"DeleteThenCreateGetsNewSeq", testDeleteRecreate},
		{"ValuesAreCopies", testValuesAreCopies},
		{"UnmarshalableValue", testUnmarshalable},
	}
}

func testCreateGet(t *testing.T, s store.Store) {
	want := doc{Name: "alpha", N: 42}
	k := key("ws-1")
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.Create(ctx, k, want); err != nil {
			return err
		}
		var got doc
		if err := tx.Get(ctx, k, &got); err != nil {
			t.Errorf("Get in the creating Update: %v", err)
		} else if got != want {
			t.Errorf("Get in the creating Update = %+v, want %+v", got, want)
		}
		return nil
	})
	if got := mustGet(t, s, k); got != want {
		t.Errorf("Get = %+v, want %+v", got, want)
	}
	recs := list(t, s, store.Query{Scope: scope})
	if len(recs) != 1 {
		t.Fatalf("List = %d records, want 1", len(recs))
	}
	if recs[0].Key != k {
		t.Errorf("List key = %+v, want %+v", recs[0].Key, k)
	}
	if recs[0].Seq <= 0 {
		t.Errorf("List seq = %d, want > 0", recs[0].Seq)
	}
	var got doc
	if err := recs[0].Decode(&got); err != nil || got != want {
		t.Errorf("Decode = %+v, %v; want %+v", got, err, want)
	}
	if n := count(t, s, scope); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}
}

func testCreateConflict(t *testing.T, s store.Store) {
	k := key("ws-1")
	orig := doc{Name: "first", N: 1}
	create(t, s, k, orig)
	seq := seqOf(t, s, k)
	err := s.Update(t.Context(), func(tx store.Tx) error {
		return tx.Create(t.Context(), k, doc{Name: "second", N: 2})
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("second Create = %v, want ErrConflict", err)
	}
	// Within one Update too, and the Update can carry on after it.
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.Create(ctx, key("ws-2"), doc{Name: "new"}); err != nil {
			return err
		}
		if err := tx.Create(ctx, key("ws-2"), doc{Name: "again"}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("Create twice in one Update = %v, want ErrConflict", err)
		}
		return nil
	})
	if got := mustGet(t, s, k); got != orig {
		t.Errorf("after conflict Get = %+v, want %+v", got, orig)
	}
	if got := mustGet(t, s, key("ws-2")); got.Name != "new" {
		t.Errorf("after conflict in one Update Get = %+v, want the first value", got)
	}
	if got := seqOf(t, s, k); got != seq {
		t.Errorf("after conflict Seq = %d, want %d", got, seq)
	}
	if n := count(t, s, scope); n != 2 {
		t.Errorf("Count = %d, want 2", n)
	}
}

func testNotFound(t *testing.T, s store.Store) {
	create(t, s, key("present"), doc{Name: "p"})
	create(t, s, key("deleted"), doc{Name: "d"})
	update(t, s, func(ctx context.Context, tx store.Tx) error { return tx.Delete(ctx, key("deleted")) })

	other := store.Key{Kind: "bundle", Account: scope.Account, Region: scope.Region, ID: "present"}
	for _, k := range []store.Key{key("missing"), key("deleted"), key(""), other} {
		t.Run("Get:"+k.Kind+":"+k.ID, func(t *testing.T) {
			wantNotFound(t, s, k)
		})
		t.Run("Delete:"+k.Kind+":"+k.ID, func(t *testing.T) {
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.Delete(t.Context(), k) })
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Delete(%v) = %v, want ErrNotFound", k, err)
			}
		})
	}
	if got := mustGet(t, s, key("present")); got.Name != "p" {
		t.Errorf("Get(present) = %+v", got)
	}
}

func testPut(t *testing.T, s store.Store) {
	a, b := key("a"), key("b")
	update(t, s, func(ctx context.Context, tx store.Tx) error { return tx.Put(ctx, a, doc{Name: "a1"}) })
	if got := mustGet(t, s, a); got.Name != "a1" {
		t.Fatalf("Get after Put of a new record = %+v", got)
	}
	seqA := seqOf(t, s, a)
	if seqA <= 0 {
		t.Errorf("Put of a new record gave Seq %d, want > 0", seqA)
	}
	create(t, s, b, doc{Name: "b1"})
	seqB := seqOf(t, s, b)
	if seqB <= seqA {
		t.Errorf("Seq of b = %d, want > %d", seqB, seqA)
	}

	update(t, s, func(ctx context.Context, tx store.Tx) error { return tx.Put(ctx, a, doc{Name: "a2", N: 2}) })
	want := []snapshot{
		{Key: a, Seq: seqA, Doc: doc{Name: "a2", N: 2}},
		{Key: b, Seq: seqB, Doc: doc{Name: "b1"}},
	}
	if diff := equalSnaps(snap(t, s, scope), want); diff != "" {
		t.Errorf("after overwrite: %s", diff)
	}
	if n := count(t, s, scope); n != 2 {
		t.Errorf("Count = %d, want 2", n)
	}
}

func testDeleteRecreate(t *testing.T, s store.Store) {
	a, b, c := key("a"), key("b"), key("c")
	create(t, s, a, doc{Name: "a"})
	create(t, s, b, doc{Name: "b"})
	seqA, seqB := seqOf(t, s, a), seqOf(t, s, b)

	// Deleting the newest record must not let its Seq be handed out again.
	update(t, s, func(ctx context.Context, tx store.Tx) error { return tx.Delete(ctx, b) })
	wantNotFound(t, s, b)
	create(t, s, c, doc{Name: "c"})
	seqC := seqOf(t, s, c)
	if seqC <= seqB {
		t.Errorf("Seq after deleting the newest = %d, want > %d", seqC, seqB)
	}

	update(t, s, func(ctx context.Context, tx store.Tx) error { return tx.Delete(ctx, a) })
	create(t, s, a, doc{Name: "a again"})
	seqA2 := seqOf(t, s, a)
	if seqA2 <= seqC || seqA2 <= seqA {
		t.Errorf("re-created Seq = %d, want > %d", seqA2, seqC)
	}
	want := []snapshot{
		{Key: c, Seq: seqC, Doc: doc{Name: "c"}},
		{Key: a, Seq: seqA2, Doc: doc{Name: "a again"}},
	}
	if diff := equalSnaps(snap(t, s, scope), want); diff != "" {
		t.Errorf("after delete and re-create: %s", diff)
	}

	// Emptying the scope and filling it again.
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.Delete(ctx, c); err != nil {
			return err
		}
		return tx.Delete(ctx, a)
	})
	if n, recs := count(t, s, scope), list(t, s, store.Query{Scope: scope}); n != 0 || len(recs) != 0 {
		t.Errorf("emptied scope: Count = %d, List = %+v", n, recs)
	}
	create(t, s, b, doc{Name: "b again"})
	if seq := seqOf(t, s, b); seq <= seqA2 {
		t.Errorf("Seq in the emptied scope = %d, want > %d", seq, seqA2)
	}
	if n := count(t, s, scope); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}
}

func testUnmarshalable(t *testing.T, s store.Store) {
	create(t, s, key("a"), doc{Name: "a"})
	bad := map[string]any{"f": func() {}}
	ctx := t.Context()
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.Create(ctx, key("b"), bad); err == nil {
			t.Errorf("Create of an unmarshalable value succeeded")
		}
		if err := tx.Put(ctx, key("a"), bad); err == nil {
			t.Errorf("Put of an unmarshalable value succeeded")
		}
		return nil
	})
	wantNotFound(t, s, key("b"))
	if got := mustGet(t, s, key("a")); got.Name != "a" {
		t.Errorf("Get(a) = %+v, want the value before the failed Put", got)
	}
	// Get into a value the record does not fit reports an error.
	var wrong []int
	err := s.View(ctx, func(tx store.Tx) error { return tx.Get(ctx, key("a"), &wrong) })
	if err == nil || errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get into a mismatched type = %v, want a decoding error", err)
	}
}

func testValuesAreCopies(t *testing.T, s store.Store) {
	k := key("m")
	v := map[string][]int{"xs": {1, 2, 3}}
	create(t, s, k, v)
	v["xs"][0] = 99 // the caller's value changes after the write

	readXS := func() []int {
		var got map[string][]int
		view(t, s, func(ctx context.Context, tx store.Tx) error { return tx.Get(ctx, k, &got) })
		return got["xs"]
	}
	got := readXS()
	if len(got) != 3 || got[0] != 1 {
		t.Fatalf("Get = %v, want [1 2 3]", got)
	}
	got[1] = 98 // the caller changes what Get returned
	recs := list(t, s, store.Query{Scope: scope})
	if len(recs) != 1 {
		t.Fatalf("List = %d records, want 1", len(recs))
	}
	for i := range recs[0].Value {
		recs[0].Value[i] = ' ' // and what List returned
	}
	if got := readXS(); len(got) != 3 || got[0] != 1 || got[1] != 2 {
		t.Errorf("after the caller changed its copies Get = %v, want [1 2 3]", got)
	}
	recs = list(t, s, store.Query{Scope: scope})
	var m map[string][]int
	if err := recs[0].Decode(&m); err != nil || len(m["xs"]) != 3 {
		t.Errorf("List value after the caller changed its copy = %q, %v", recs[0].Value, err)
	}
}
