package thinclient

// Expiring client tokens. A token record answers replays for tokenTTL; after
// that it is only weight in the store. The token log lists the tokens of an
// account and region in the order they were recorded, in chunks of
// tokenChunk; each new token appends to the last chunk and deletes the tokens
// of the first chunk once its newest entry is past the TTL, so a call costs
// O(1) records and the store keeps only the tokens of the last tokenTTL.

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	kindTokenLog = "thinclient.tokenlog"
	tokenChunk   = 64
)

type tokenLogHead struct {
	First int64 `json:"first"`
	Last  int64 `json:"last"`
}

type tokenLogChunk struct {
	IDs []string    `json:"ids"`
	At  []time.Time `json:"at"`
}

func chunkKey(c *api.Call, n int64) store.Key {
	return key(c, kindTokenLog, "chunk/"+strconv.FormatInt(n, 10))
}

// logToken records that the token record id was written at c.Now and
// deletes the token records that expired a chunk ago.
func logToken(ctx context.Context, tx store.Tx, c *api.Call, id string) error {
	hk := key(c, kindTokenLog, "head")
	var head tokenLogHead
	if err := tx.Get(ctx, hk, &head); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	var last tokenLogChunk
	if err := tx.Get(ctx, chunkKey(c, head.Last), &last); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if len(last.IDs) >= tokenChunk {
		head.Last, last = head.Last+1, tokenLogChunk{}
	}
	last.IDs, last.At = append(last.IDs, id), append(last.At, c.Now)
	if err := tx.Put(ctx, chunkKey(c, head.Last), last); err != nil {
		return err
	}
	if head.First < head.Last {
		if err := expireChunk(ctx, tx, c, &head); err != nil {
			return err
		}
	}
	return tx.Put(ctx, hk, head)
}

// expireChunk deletes the first chunk and its token records when all of
// them are past the TTL. A record rewritten since (a token reused after it
// expired) is newer than its entry and kept.
func expireChunk(ctx context.Context, tx store.Tx, c *api.Call, head *tokenLogHead) error {
	ck := chunkKey(c, head.First)
	var first tokenLogChunk
	if err := tx.Get(ctx, ck, &first); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if n := len(first.At); n > 0 && c.Now.Sub(first.At[n-1]) < tokenTTL {
		return nil
	}
	for _, id := range first.IDs {
		k := key(c, kindToken, id)
		var rec tokenRecord
		err := tx.Get(ctx, k, &rec)
		switch {
		case errors.Is(err, store.ErrNotFound):
			continue
		case err != nil:
			return err
		case c.Now.Sub(rec.At) < tokenTTL:
			continue
		}
		if err := tx.Delete(ctx, k); err != nil {
			return err
		}
	}
	head.First++
	if err := tx.Delete(ctx, ck); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}
