package postgres_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres"
	"github.com/workspaces-local/workspaces-local/internal/store/postgres/pgtest"
)

// replicas opens n stores on one schema, as n replicas would.
func replicas(t *testing.T, n int) []*postgres.DB {
	t.Helper()
	u := pgtest.Schema(t)
	var dbs []*postgres.DB
	for range n {
		db, err := postgres.Open(t.Context(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs = append(dbs, db)
	}
	return dbs
}

// TestReplicasWriteDifferentKeysAtOnce holds one replica's Update open on
// one key while another replica writes another key of the same scope: the
// second commits without waiting for the first (with one database-wide
// write lock it would wait).
func TestReplicasWriteDifferentKeysAtOnce(t *testing.T) {
	dbs := replicas(t, 2)
	ctx := t.Context()
	holding, letGo := make(chan struct{}), make(chan struct{})
	var once, release sync.Once
	free := func() { release.Do(func() { close(letGo) }) }
	defer free() // the first Update ends even when the test fails
	first := make(chan error, 1)
	go func() {
		first <- dbs[0].Update(ctx, func(tx store.Tx) error {
			if err := tx.Put(ctx, key("tags", "111122223333", "us-east-1", "ws-1"), doc{N: 1}); err != nil {
				return err
			}
			var d doc
			if err := tx.Get(ctx, key("tags", "111122223333", "us-east-1", "ws-1"), &d); err != nil {
				return err
			}
			once.Do(func() { close(holding) })
			<-letGo
			return nil
		})
	}()
	<-holding
	done := make(chan error, 1)
	go func() {
		done <- dbs[1].Update(ctx, func(tx store.Tx) error {
			return tx.Put(ctx, key("tags", "111122223333", "us-east-1", "ws-2"), doc{N: 2})
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("second replica: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second replica's Update on another key waited for the first")
	}
	free()
	if err := <-first; err != nil {
		t.Fatalf("first replica: %v", err)
	}
}

// TestReplicasWaitingOnEachOther makes two replicas' Updates lock two keys
// in opposite orders, each waiting for the other: one gives up its wait,
// runs again, and both commit; nothing is lost.
func TestReplicasWaitingOnEachOther(t *testing.T) {
	dbs := replicas(t, 2)
	ctx := t.Context()
	k1, k2 := key("c", "111122223333", "us-east-1", "a"), key("c", "111122223333", "us-east-1", "b")
	var ready sync.WaitGroup
	ready.Add(2)
	var onces [2]sync.Once
	errs := make(chan error, 2)
	for i, order := range [][2]store.Key{{k1, k2}, {k2, k1}} {
		go func() {
			errs <- dbs[i].Update(ctx, func(tx store.Tx) error {
				if err := bump(ctx, tx, order[0]); err != nil {
					return err
				}
				onces[i].Do(func() { ready.Done(); ready.Wait() }) // both hold their first key
				return bump(ctx, tx, order[1])
			})
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("Update: %v", err)
		}
	}
	for _, k := range []store.Key{k1, k2} {
		var d doc
		err := dbs[0].View(ctx, func(tx store.Tx) error { return tx.Get(ctx, k, &d) })
		if err != nil || d.N != 2 {
			t.Errorf("%s = %d, %v; want 2 (each Update bumped it once)", k.ID, d.N, err)
		}
	}
	if r := dbs[0].Stats().Retries + dbs[1].Stats().Retries; r < 1 {
		t.Errorf("retries = %d, want at least 1 (the two Updates waited on each other)", r)
	}
}

// bump adds one to the counter at k.
func bump(ctx context.Context, tx store.Tx, k store.Key) error {
	var d doc
	if err := tx.Get(ctx, k, &d); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	d.N++
	return tx.Put(ctx, k, d)
}

// TestReplicasCountWithoutLostUpdates bumps one counter from three replicas
// at once: every read-then-write sees the one before it.
func TestReplicasCountWithoutLostUpdates(t *testing.T) {
	dbs := replicas(t, 3)
	ctx := t.Context()
	k := key("counter", "111122223333", "us-east-1", "live")
	const n = 90
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() { errs <- dbs[i%3].Update(ctx, func(tx store.Tx) error { return bump(ctx, tx, k) }) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
	}
	var d doc
	if err := dbs[1].View(ctx, func(tx store.Tx) error { return tx.Get(ctx, k, &d) }); err != nil || d.N != n {
		t.Fatalf("counter = %d, %v; want %d", d.N, err, n)
	}
}

// BenchmarkHotKeysOppositeOrders is the worst case of the lock scheme: 16
// goroutines on three replicas bump the same two keys, half in one order,
// half in the other, so groups wait on each other and give up. It reports
// the share of attempts that ran fn again.
func BenchmarkHotKeysOppositeOrders(b *testing.B) {
	benchOrders(b, true)
}

// BenchmarkHotKeysOneOrder is the same with every Update in one order:
// they only wait.
func BenchmarkHotKeysOneOrder(b *testing.B) {
	benchOrders(b, false)
}

func benchOrders(b *testing.B, opposite bool) {
	u := pgtest.Schema(b)
	var dbs []*postgres.DB
	for range 3 {
		db, err := postgres.Open(b.Context(), u)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		dbs = append(dbs, db)
	}
	k1, k2 := key("c", "111122223333", "us-east-1", "a"), key("c", "111122223333", "us-east-1", "b")
	var next atomic.Int64
	b.SetParallelism(8) // 16 goroutines on two cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(1))
		db, order := dbs[i%3], [2]store.Key{k1, k2}
		if opposite && i%2 == 1 {
			order = [2]store.Key{k2, k1}
		}
		ctx := context.Background()
		for pb.Next() {
			err := db.Update(ctx, func(tx store.Tx) error {
				if err := bump(ctx, tx, order[0]); err != nil {
					return err
				}
				return bump(ctx, tx, order[1])
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	var retries int64
	for _, db := range dbs {
		retries += db.Stats().Retries
	}
	b.ReportMetric(100*float64(retries)/float64(b.N), "%retried")
}
