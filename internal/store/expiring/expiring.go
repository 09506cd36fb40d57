// Package expiring deletes records that stop mattering a while after they
// were written — client tokens, which answer replays for a day and are only
// weight in the store after that.
//
// A Log lists the records of one kind, per account and region, in the
// order they were written, in chunks of Chunk entries. Each Add appends to
// the last chunk and, once the newest entry of the first chunk is older
// than TTL, deletes that chunk and the records it lists. So an Add costs
// O(1) records, and the store keeps only the records of the last TTL (plus
// at most two chunks). A record rewritten since it was logged (a token
// reused after it expired) is newer than its entry and is kept; its new
// entry deletes it later.
package expiring

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// Chunk is how many entries a chunk of a log holds.
const Chunk = 64

// Log is the expiry log of one kind of record.
type Log struct {
	// Kind is the log's own kind: "head" and "chunk/N" records in the
	// account and region of the records they list.
	Kind string
	// Of is the kind of the records it lists.
	Of string
	// TTL is how long a record lives after it was written.
	TTL time.Duration
	// WrittenAt returns when the record at k was last written; ok is false
	// when it is gone.
	WrittenAt func(ctx context.Context, tx store.Tx, k store.Key) (at time.Time, ok bool, err error)
}

// TimeOf returns a WrittenAt that reads the record as a T and takes its
// time of writing with at.
func TimeOf[T any](at func(*T) time.Time) func(context.Context, store.Tx, store.Key) (time.Time, bool, error) {
	return func(ctx context.Context, tx store.Tx, k store.Key) (time.Time, bool, error) {
		var r T
		switch err := tx.Get(ctx, k, &r); {
		case errors.Is(err, store.ErrNotFound):
			return time.Time{}, false, nil
		case err != nil:
			return time.Time{}, false, err
		}
		return at(&r), true, nil
	}
}

// Head is the log's "head" record: the numbers of its first and last chunk.
type Head struct {
	First int64 `json:"first"`
	Last  int64 `json:"last"`
}

// Entries is a "chunk/N" record: the ids of records and when each was written.
type Entries struct {
	IDs []string    `json:"ids"`
	At  []time.Time `json:"at"`
}

// Record is either record of a log, for decoding without knowing which.
type Record struct {
	Head
	Entries
}

func (l Log) key(account, region, id string) store.Key {
	return store.Key{Kind: l.Kind, Account: account, Region: region, ID: id}
}

func (l Log) chunk(account, region string, n int64) store.Key {
	return l.key(account, region, "chunk/"+strconv.FormatInt(n, 10))
}

// Add logs that the record (of kind l.Of) at k was written at now, and
// deletes the records logged a chunk before the TTL.
func (l Log) Add(ctx context.Context, tx store.Tx, k store.Key, now time.Time) error {
	hk := l.key(k.Account, k.Region, "head")
	var head Head
	if err := tx.Get(ctx, hk, &head); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	var last Entries
	if err := tx.Get(ctx, l.chunk(k.Account, k.Region, head.Last), &last); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if len(last.IDs) >= Chunk {
		head.Last, last = head.Last+1, Entries{}
	}
	last.IDs, last.At = append(last.IDs, k.ID), append(last.At, now)
	if err := tx.Put(ctx, l.chunk(k.Account, k.Region, head.Last), last); err != nil {
		return err
	}
	if head.First < head.Last {
		if err := l.expire(ctx, tx, k.Account, k.Region, &head, now); err != nil {
			return err
		}
	}
	return tx.Put(ctx, hk, head)
}

// expire deletes the first chunk and its records when all of them are past
// the TTL, but for records rewritten since.
func (l Log) expire(ctx context.Context, tx store.Tx, account, region string, head *Head, now time.Time) error {
	ck := l.chunk(account, region, head.First)
	var first Entries
	if err := tx.Get(ctx, ck, &first); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if n := len(first.At); n > 0 && now.Sub(first.At[n-1]) < l.TTL {
		return nil
	}
	for _, id := range first.IDs {
		k := store.Key{Kind: l.Of, Account: account, Region: region, ID: id}
		at, ok, err := l.WrittenAt(ctx, tx, k)
		switch {
		case err != nil:
			return err
		case !ok || now.Sub(at) < l.TTL:
			continue
		}
		if err := tx.Delete(ctx, k); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	head.First++
	if err := tx.Delete(ctx, ck); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}
