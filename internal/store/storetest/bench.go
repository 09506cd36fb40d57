package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// benchRecords is how many records the Get and ListPage benchmarks search.
const benchRecords = 10000

// RunBenchmarks runs the store benchmarks as sub-benchmarks of b: Get (one
// record by key among 10,000), Create (one record per Update), Put (an
// overwrite of one of 10,000 per Update), CreateParallel (Creates from 16
// goroutines, where a store may share commits) and ListPage (25 records from
// the middle of 10,000), Export and Import (all of 10,000 records). open
// must return a new, empty store; RunBenchmarks
// closes it.
func RunBenchmarks(b *testing.B, open func(b *testing.B) store.Store) {
	b.Run("Get", func(b *testing.B) {
		s := openBench(b, open)
		seed(b, s, benchRecords)
		ctx := b.Context()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i = (i + 7919) % benchRecords // visits every record, not in order
			var d doc
			if err := s.View(ctx, func(tx store.Tx) error { return tx.Get(ctx, key(benchID(i)), &d) }); err != nil {
				b.Fatal(err)
			}
			if d.N != i {
				b.Fatalf("Get(%d) = %+v", i, d)
			}
		}
	})
	b.Run("Create", func(b *testing.B) {
		s := openBench(b, open)
		ctx := b.Context()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			err := s.Update(ctx, func(tx store.Tx) error { return tx.Create(ctx, key(benchID(i)), doc{Name: "bench", N: i}) })
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Put", func(b *testing.B) {
		s := openBench(b, open)
		seed(b, s, benchRecords)
		ctx := b.Context()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i = (i + 7919) % benchRecords
			err := s.Update(ctx, func(tx store.Tx) error { return tx.Put(ctx, key(benchID(i)), doc{Name: "overwritten", N: i}) })
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CreateParallel", func(b *testing.B) {
		s := openBench(b, open)
		ctx := b.Context()
		var next atomic.Int64
		b.ReportAllocs()
		b.SetParallelism(8) // 16 goroutines on 2 cores
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := int(next.Add(1))
				err := s.Update(ctx, func(tx store.Tx) error { return tx.Create(ctx, key(benchID(i)), doc{Name: "bench", N: i}) })
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("ListPage", func(b *testing.B) {
		s := openBench(b, open)
		seed(b, s, benchRecords)
		ctx := b.Context()
		after := list(b, s, store.Query{Scope: scope, Limit: benchRecords / 2})[benchRecords/2-1].Seq
		q := store.Query{Scope: scope, AfterSeq: after, Limit: 25}
		b.ReportAllocs()
		for b.Loop() {
			var recs []store.Record
			err := s.View(ctx, func(tx store.Tx) (err error) {
				recs, err = tx.List(ctx, q)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			if len(recs) != 25 || recs[0].Key.ID != benchID(benchRecords/2) {
				b.Fatalf("page = %d records from %v", len(recs), recs[0].Key)
			}
		}
	})
	b.Run("Export", func(b *testing.B) {
		s := openBench(b, open)
		seed(b, s, benchRecords)
		b.ReportAllocs()
		for b.Loop() {
			if n := len(export(b, s)); n != benchRecords {
				b.Fatalf("Export gave %d records", n)
			}
		}
	})
	b.Run("Import", func(b *testing.B) {
		s := openBench(b, open)
		seed(b, s, benchRecords)
		recs := export(b, s)
		ctx := b.Context()
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Import(ctx, recs); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// openBench opens a store for one benchmark and closes it afterwards.
func openBench(b *testing.B, open func(b *testing.B) store.Store) store.Store {
	b.Helper()
	s := open(b)
	b.Cleanup(func() {
		if err := s.Close(); err != nil {
			b.Errorf("Close: %v", err)
		}
	})
	return s
}

// benchID is the ID of the i-th benchmark record.
func benchID(i int) string { return fmt.Sprintf("ws-%08d", i) }

// seed stores n records, benchID(0) to benchID(n-1), in one Update.
func seed(b *testing.B, s store.Store, n int) {
	b.Helper()
	update(b, s, func(ctx context.Context, tx store.Tx) error {
		for i := range n {
			if err := tx.Create(ctx, key(benchID(i)), doc{Name: "bench", N: i}); err != nil {
				return err
			}
		}
		return nil
	})
}
