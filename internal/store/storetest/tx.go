package storetest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// txTests cover View and Update: atomicity, isolation of read-only
// transactions, serialisation and visibility.
func txTests() []test {
	return []test{
		{"UpdateRollbackOnError", testRollbackOnError},
		{"UpdateRollbackOnPanic", testRollbackOnPanic},
		{"UpdateRollbackOfManyDeletes", testRollbackManyDeletes},
		{"ViewRejectsWrites", testViewRejectsWrites},
		{"TxUnusableAfterReturn", testTxAfterReturn},
		{"CanceledContext", testCanceledContext},
		{"ConcurrentLastSlot", testLastSlot},
		{"ConcurrentCreates", testConcurrentCreates},
		{"UpdateVisibleToView", testVisibility},
		{"ConcurrentMixedOutcomes", testMixedOutcomes},
	}
}

// seedABC stores a, b and c and returns the scope as List shows it.
func seedABC(t *testing.T, s store.Store) []snapshot {
	t.Helper()
	for i, id := range []string{"a", "b", "c"} {
		create(t, s, key(id), doc{Name: id, N: i})
	}
	return snap(t, s, scope)
}

// messUp makes every kind of write: overwrite, delete, create, delete then
// re-create, and put of a new record.
func messUp(ctx context.Context, tx store.Tx) error {
	steps := []func() error{
		func() error { return tx.Put(ctx, key("a"), doc{Name: "overwritten", N: 100}) },
		func() error { return tx.Delete(ctx, key("b")) },
		func() error { return tx.Create(ctx, key("d"), doc{Name: "d"}) },
		func() error { return tx.Delete(ctx, key("c")) },
		func() error { return tx.Create(ctx, key("c"), doc{Name: "c again"}) },
		func() error { return tx.Put(ctx, key("e"), doc{Name: "e"}) },
		func() error { return tx.Put(ctx, key("d"), doc{Name: "d2"}) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("step %d: %w", i, err)
		}
	}
	if n, err := tx.Count(ctx, scope); err != nil || n != 4 { // a, c, d, e
		return fmt.Errorf("Count inside the Update = %d, %v; want 4", n, err)
	}
	return nil
}

// checkRolledBack checks that s holds exactly before, and that a later
// Create still gets a fresh Seq.
func checkRolledBack(t *testing.T, s store.Store, before []snapshot) {
	t.Helper()
	if diff := equalSnaps(snap(t, s, scope), before); diff != "" {
		t.Errorf("after rollback: %s", diff)
	}
	for _, id := range []string{"d", "e"} {
		wantNotFound(t, s, key(id))
	}
	if got := mustGet(t, s, key("a")); got != before[0].Doc {
		t.Errorf("Get(a) = %+v, want %+v", got, before[0].Doc)
	}
	if n := count(t, s, scope); n != len(before) {
		t.Errorf("Count = %d, want %d", n, len(before))
	}
	create(t, s, key("f"), doc{Name: "f"})
	if seq := seqOf(t, s, key("f")); seq <= before[len(before)-1].Seq {
		t.Errorf("Create after rollback got Seq %d, want > %d", seq, before[len(before)-1].Seq)
	}
}

func testRollbackOnError(t *testing.T, s store.Store) {
	before := seedABC(t, s)
	boom := errors.New("boom")
	err := s.Update(t.Context(), func(tx store.Tx) error {
		if err := messUp(t.Context(), tx); err != nil {
			t.Errorf("writes: %v", err)
		}
		return boom
	})
	if err != boom { //nolint:errorlint // returned unchanged, not wrapped
		t.Errorf("Update = %v, want the error of fn unchanged", err)
	}
	checkRolledBack(t, s, before)
}

func testRollbackOnPanic(t *testing.T, s store.Store) {
	before := seedABC(t, s)
	type oops struct{ n int }
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		_ = s.Update(t.Context(), func(tx store.Tx) error {
			if err := messUp(t.Context(), tx); err != nil {
				t.Errorf("writes: %v", err)
			}
			panic(oops{7})
		})
	}()
	if recovered != (oops{7}) {
		t.Errorf("recovered %v, want the panic of fn re-raised", recovered)
	}
	checkRolledBack(t, s, before)
}

func testRollbackManyDeletes(t *testing.T, s store.Store) {
	const n = 120
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		for i := range n {
			if err := tx.Create(ctx, key(fmt.Sprintf("r-%03d", i)), doc{Name: "r", N: i}); err != nil {
				return err
			}
		}
		return nil
	})
	before := snap(t, s, scope)
	boom := errors.New("boom")
	err := s.Update(t.Context(), func(tx store.Tx) error {
		ctx := t.Context()
		// Delete most records, oldest and newest included, so that an
		// implementation that compacts deleted entries does so mid-Update.
		for i := range n {
			if i%5 != 2 {
				if err := tx.Delete(ctx, key(fmt.Sprintf("r-%03d", i))); err != nil {
					return err
				}
			}
		}
		for i := range 10 {
			if err := tx.Create(ctx, key(fmt.Sprintf("new-%d", i)), doc{N: i}); err != nil {
				return err
			}
		}
		if err := tx.Put(ctx, key("r-002"), doc{Name: "changed"}); err != nil {
			return err
		}
		if recs, err := tx.List(ctx, store.Query{Scope: scope}); err != nil || len(recs) != n/5+10 {
			return fmt.Errorf("List inside the Update = %d records, %v; want %d", len(recs), err, n/5+10)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	if diff := equalSnaps(snap(t, s, scope), before); diff != "" {
		t.Errorf("after rollback: %s", diff)
	}
	var paged []snapshot
	for _, r := range pageAll(t, s, scope, 7) {
		var d doc
		if err := r.Decode(&d); err != nil {
			t.Fatal(err)
		}
		paged = append(paged, snapshot{Key: r.Key, Seq: r.Seq, Doc: d})
	}
	if diff := equalSnaps(paged, before); diff != "" {
		t.Errorf("paging after rollback: %s", diff)
	}
	if c := count(t, s, scope); c != n {
		t.Errorf("Count = %d, want %d", c, n)
	}
}

func testViewRejectsWrites(t *testing.T, s store.Store) {
	before := seedABC(t, s)
	sentinel := errors.New("sentinel")
	err := s.View(t.Context(), func(tx store.Tx) error {
		ctx := t.Context()
		writes := []struct {
			name string
			do   func() error
		}{
			{"Create", func() error { return tx.Create(ctx, key("new"), doc{Name: "new"}) }},
			{"Put new", func() error { return tx.Put(ctx, key("new2"), doc{Name: "new"}) }},
			{"Put existing", func() error { return tx.Put(ctx, key("a"), doc{Name: "changed"}) }},
			{"Delete", func() error { return tx.Delete(ctx, key("b")) }},
		}
		for _, w := range writes {
			if err := w.do(); err == nil {
				t.Errorf("%s in a View succeeded", w.name)
			}
		}
		// Reads still work after the refused writes.
		var d doc
		if err := tx.Get(ctx, key("a"), &d); err != nil || d != before[0].Doc {
			t.Errorf("Get in the View = %+v, %v", d, err)
		}
		return sentinel
	})
	if err != sentinel { //nolint:errorlint // returned unchanged, not wrapped
		t.Errorf("View = %v, want the error of fn unchanged", err)
	}
	if diff := equalSnaps(snap(t, s, scope), before); diff != "" {
		t.Errorf("after writes in a View: %s", diff)
	}
}

func testTxAfterReturn(t *testing.T, s store.Store) {
	before := seedABC(t, s)
	ctx := t.Context()
	var fromView, fromUpdate store.Tx
	view(t, s, func(_ context.Context, tx store.Tx) error { fromView = tx; return nil })
	update(t, s, func(_ context.Context, tx store.Tx) error { fromUpdate = tx; return nil })
	var failed store.Tx
	_ = s.Update(ctx, func(tx store.Tx) error { failed = tx; return errors.New("fail") })

	for name, tx := range map[string]store.Tx{"View": fromView, "Update": fromUpdate, "failed Update": failed} {
		var d doc
		if err := tx.Get(ctx, key("a"), &d); err == nil {
			t.Errorf("Get on the Tx of a finished %s succeeded", name)
		}
		if _, err := tx.List(ctx, store.Query{Scope: scope}); err == nil {
			t.Errorf("List on the Tx of a finished %s succeeded", name)
		}
		if _, err := tx.Count(ctx, scope); err == nil {
			t.Errorf("Count on the Tx of a finished %s succeeded", name)
		}
		if err := tx.Create(ctx, key("late"), doc{Name: "late"}); err == nil {
			t.Errorf("Create on the Tx of a finished %s succeeded", name)
		}
		if err := tx.Put(ctx, key("a"), doc{Name: "late"}); err == nil {
			t.Errorf("Put on the Tx of a finished %s succeeded", name)
		}
		if err := tx.Delete(ctx, key("b")); err == nil {
			t.Errorf("Delete on the Tx of a finished %s succeeded", name)
		}
	}
	if diff := equalSnaps(snap(t, s, scope), before); diff != "" {
		t.Errorf("after using finished Txs: %s", diff)
	}
	// The store still works.
	create(t, s, key("d"), doc{Name: "d"})
	if n := count(t, s, scope); n != len(before)+1 {
		t.Errorf("Count = %d, want %d", n, len(before)+1)
	}
}

func testCanceledContext(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ran := false
	err := s.Update(ctx, func(tx store.Tx) error {
		ran = true
		return tx.Create(ctx, key("a"), doc{Name: "a"})
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a canceled context = %v, want context.Canceled", err)
	}
	if ran {
		t.Errorf("Update with a canceled context ran fn")
	}
	wantNotFound(t, s, key("a"))
}

// lastSlot is how many records the racing Updates of testLastSlot may make.
const lastSlot = 10

func testLastSlot(t *testing.T, s store.Store) {
	const writers, readers = 20, 4
	ctx := t.Context()
	start := make(chan struct{})
	stop := make(chan struct{})
	errs := make(chan error, writers+readers)
	var wg, rg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			<-start
			errs <- s.Update(ctx, func(tx store.Tx) error {
				n, err := tx.Count(ctx, scope)
				if err != nil || n >= lastSlot {
					return err
				}
				return tx.Create(ctx, key(fmt.Sprintf("slot-%02d", i)), doc{N: i})
			})
		})
	}
	for range readers {
		rg.Go(func() {
			<-start
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := s.View(ctx, func(tx store.Tx) error {
					n, err := tx.Count(ctx, scope)
					if err == nil && n > lastSlot {
						err = fmt.Errorf("a View counted %d records", n)
					}
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	close(stop)
	rg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("racer: %v", err)
		}
	}
	if n := count(t, s, scope); n != lastSlot {
		t.Errorf("Count = %d, want exactly %d", n, lastSlot)
	}
	if recs := list(t, s, store.Query{Scope: scope}); len(recs) != lastSlot {
		t.Errorf("List = %d records, want exactly %d", len(recs), lastSlot)
	}
}

func testConcurrentCreates(t *testing.T, s store.Store) {
	const goroutines, each = 8, 10
	ctx := t.Context()
	other := store.Scope{Kind: "other", Account: scope.Account, Region: scope.Region}
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*each)
	for g := range goroutines {
		sc := scope
		if g%2 == 1 {
			sc = other
		}
		wg.Go(func() {
			for i := range each {
				errs <- s.Update(ctx, func(tx store.Tx) error {
					return tx.Create(ctx, keyIn(sc, fmt.Sprintf("g%d-%d", g, i)), doc{N: i})
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Create: %v", err)
		}
	}
	seen := make(map[int64]store.Key)
	for _, sc := range []store.Scope{scope, other} {
		recs := list(t, s, store.Query{Scope: sc})
		if len(recs) != goroutines/2*each {
			t.Errorf("%s: %d records, want %d", sc.Kind, len(recs), goroutines/2*each)
		}
		for _, r := range recs {
			if k, dup := seen[r.Seq]; dup {
				t.Errorf("Seq %d given to %v and %v", r.Seq, k, r.Key)
			}
			seen[r.Seq] = r.Key
		}
	}
}

func testVisibility(t *testing.T, s store.Store) {
	ctx := t.Context()
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.Create(ctx, key("a"), doc{Name: "a"}); err != nil {
			return err
		}
		return tx.Create(ctx, key("b"), doc{Name: "b"})
	})
	view(t, s, func(ctx context.Context, tx store.Tx) error {
		var d doc
		if err := tx.Get(ctx, key("b"), &d); err != nil || d.Name != "b" {
			t.Errorf("Get = %+v, %v", d, err)
		}
		if n, err := tx.Count(ctx, scope); err != nil || n != 2 {
			t.Errorf("Count = %d, %v; want 2", n, err)
		}
		if recs, err := tx.List(ctx, store.Query{Scope: scope}); err != nil || len(recs) != 2 {
			t.Errorf("List = %d records, %v; want 2", len(recs), err)
		}
		return nil
	})
	// And to the next Update.
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.Delete(ctx, key("a")); err != nil {
			return err
		}
		return tx.Put(ctx, key("b"), doc{Name: "b2"})
	})
	if err != nil {
		t.Fatalf("second Update: %v", err)
	}
	wantNotFound(t, s, key("a"))
	if got := mustGet(t, s, key("b")); got.Name != "b2" {
		t.Errorf("Get(b) = %+v, want b2", got)
	}
}

// testMixedOutcomes races Updates that succeed, fail, fail with a store
// error, panic and Goexit. (A store may let concurrent Updates share one
// commit, as store/sqlite does; this checks that each still stands alone.)
// Only the successful ones' writes remain, each visible as soon as its
// Update returned, and the store keeps working.
func testMixedOutcomes(t *testing.T, s store.Store) {
	const racers = 40
	ctx := t.Context()
	create(t, s, key("taken"), doc{Name: "taken"})
	type outcome struct {
		i   int
		err error
	}
	results := make(chan outcome, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			mine := key(fmt.Sprintf("r%02d", i))
			var err error
			switch i % 5 {
			case 0: // succeeds
				err = s.Update(ctx, func(tx store.Tx) error { return tx.Create(ctx, mine, doc{Name: "ok", N: i}) })
				if err == nil {
					var d doc
					if gerr := s.View(ctx, func(tx store.Tx) error { return tx.Get(ctx, mine, &d) }); gerr != nil || d.N != i {
						err = fmt.Errorf("own write not visible after Update returned: %+v, %v", d, gerr)
					}
				}
			case 1: // fn fails
				err = s.Update(ctx, func(tx store.Tx) error {
					if err := tx.Create(ctx, mine, doc{Name: "failed"}); err != nil {
						return err
					}
					return errors.New("fn failed")
				})
				if err != nil && err.Error() == "fn failed" {
					err = nil
				}
			case 2: // a store error after a write
				err = s.Update(ctx, func(tx store.Tx) error {
					if err := tx.Put(ctx, mine, doc{Name: "before conflict"}); err != nil {
						return err
					}
					return tx.Create(ctx, key("taken"), doc{})
				})
				if errors.Is(err, store.ErrConflict) {
					err = nil
				}
			case 3: // fn panics
				func() {
					defer func() {
						if recover() == nil {
							err = errors.New("the panic was not re-raised")
						}
					}()
					_ = s.Update(ctx, func(tx store.Tx) error {
						if err := tx.Create(ctx, mine, doc{Name: "panicked"}); err != nil {
							return err
						}
						panic("boom")
					})
				}()
			case 4: // fn calls runtime.Goexit (as t.FailNow does)
				done := make(chan struct{})
				go func() {
					defer close(done)
					_ = s.Update(ctx, func(tx store.Tx) error {
						if err := tx.Create(ctx, mine, doc{Name: "exited"}); err != nil {
							return err
						}
						runtime.Goexit()
						return nil
					})
				}()
				<-done
			}
			results <- outcome{i, err}
		})
	}
	wg.Wait()
	close(results)
	for r := range results {
		if r.err != nil {
			t.Errorf("racer %d: %v", r.i, r.err)
		}
	}
	for i := range racers {
		k := key(fmt.Sprintf("r%02d", i))
		if i%5 == 0 {
			if d := mustGet(t, s, k); d.N != i {
				t.Errorf("r%02d = %+v", i, d)
			}
		} else {
			wantNotFound(t, s, k)
		}
	}
	if n := count(t, s, scope); n != 1+racers/5 {
		t.Errorf("Count = %d, want %d", n, 1+racers/5)
	}
	create(t, s, key("after"), doc{Name: "after"})
}
