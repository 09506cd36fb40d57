package sqlite

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

type gdoc struct {
	N int `json:"n"`
}

// Updates that queue while another runs share its transaction and commit:
// one fsync for all of them, yet each one's failure is its own.
func TestGroupCommit(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const queued = 30
	key := func(i int) store.Key { return store.Key{Kind: "k", Account: "a", Region: "r", ID: fmt.Sprint(i)} }

	entered, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- db.Update(ctx, func(tx store.Tx) error {
			close(entered)
			<-release // hold the writer until every other Update is queued
			return tx.Create(ctx, key(-1), gdoc{N: -1})
		})
	}()
	<-entered
	before := db.commits.Load()
	errs := make([]error, queued)
	var wg sync.WaitGroup
	for i := range queued {
		wg.Go(func() {
			errs[i] = db.Update(ctx, func(tx store.Tx) error {
				if err := tx.Create(ctx, key(i), gdoc{N: i}); err != nil {
					return err
				}
				if i%3 == 0 {
					return errors.New("odd one out")
				}
				return nil
			})
		})
	}
	for db.waiting.Load() != queued {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatalf("first Update: %v", err)
	}
	if got := db.commits.Load() - before; got != 1 {
		t.Errorf("%d commits for %d queued Updates, want 1", got, queued+1)
	}
	for i, err := range errs {
		var d gdoc
		gerr := db.View(ctx, func(tx store.Tx) error { return tx.Get(ctx, key(i), &d) })
		switch {
		case i%3 == 0 && (err == nil || err.Error() != "odd one out" || !errors.Is(gerr, store.ErrNotFound)):
			t.Errorf("failing Update %d = %v, its record: %v", i, err, gerr)
		case i%3 != 0 && (err != nil || gerr != nil || d.N != i):
			t.Errorf("Update %d = %v, its record: %+v %v", i, err, d, gerr)
		}
	}
}
