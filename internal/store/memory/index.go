package memory

import (
	"slices"
	"sort"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// compactMin is the number of stale slots a scope tolerates before a delete
// compacts it (it also waits until stale slots outnumber live ones, so the
// cost of compaction is amortised over the deletes that caused it).
const compactMin = 32

// scopeIndex lists the records of one scope in ascending Seq order. Seq only
// grows, so a new record is appended. A deleted record leaves a stale slot
// behind (its key is gone from DB.recs or now holds a newer Seq); stale slots
// are skipped by List and dropped lazily by compact.
type scopeIndex struct {
	slots []slot
	live  int // number of slots that are not stale
}

// slot is one entry of a scopeIndex.
type slot struct {
	seq int64
	id  string
}

// search returns the index of the first slot with a Seq greater than seq.
func (ix *scopeIndex) search(seq int64) int {
	return sort.Search(len(ix.slots), func(i int) bool { return ix.slots[i].seq > seq })
}

// isLive reports whether sl still names the record stored at its key.
func (db *DB) isLive(s store.Scope, sl slot) bool {
	e, ok := db.recs[store.Key{Kind: s.Kind, Account: s.Account, Region: s.Region, ID: sl.id}]
	return ok && e.seq == sl.seq
}

// insert stores a record that is not in db. Its Seq may be older than the
// newest in its scope when a rollback restores a deleted record.
func (db *DB) insert(k store.Key, e entry) {
	db.recs[k] = e
	s := k.Scope()
	ix := db.scopes[s]
	if ix == nil {
		ix = &scopeIndex{}
		db.scopes[s] = ix
	}
	ix.live++
	n := len(ix.slots)
	if n == 0 || ix.slots[n-1].seq < e.seq {
		ix.slots = append(ix.slots, slot{seq: e.seq, id: k.ID})
		return
	}
	i := ix.search(e.seq - 1)
	if i < n && ix.slots[i].seq == e.seq {
		return // the stale slot has not been compacted away yet
	}
	ix.slots = slices.Insert(ix.slots, i, slot{seq: e.seq, id: k.ID})
}

// remove deletes the record at k, which must exist.
func (db *DB) remove(k store.Key) {
	e := db.recs[k]
	delete(db.recs, k)
	s := k.Scope()
	ix := db.scopes[s]
	ix.live--
	if n := len(ix.slots); ix.slots[n-1].seq == e.seq {
		ix.slots = ix.slots[:n-1] // cheap: the newest record goes
	}
	db.compact(s, ix)
}

// compact drops the stale slots of ix once there are enough of them, and the
// whole index once the scope is empty.
func (db *DB) compact(s store.Scope, ix *scopeIndex) {
	if ix.live == 0 {
		delete(db.scopes, s)
		return
	}
	stale := len(ix.slots) - ix.live
	if stale < compactMin || stale < ix.live {
		return
	}
	ix.slots = slices.DeleteFunc(ix.slots, func(sl slot) bool { return !db.isLive(s, sl) })
}
