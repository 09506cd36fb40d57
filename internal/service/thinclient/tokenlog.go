package thinclient

// Expiring client tokens. A token record answers replays for tokenTTL; after
// that it is only weight in the store. tokenLog (store/expiring) lists the
// tokens of an account and region in the order they were recorded and
// deletes them a chunk after they expired, so a call costs O(1) records and
// the store keeps only the tokens of the last tokenTTL.

import (
	"context"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/expiring"
)

const kindTokenLog = "thinclient.tokenlog"

// tokenChunk is how many tokens a chunk of the log lists.
const tokenChunk = expiring.Chunk

var tokenLog = expiring.Log{Kind: kindTokenLog, Of: kindToken, TTL: tokenTTL,
	WrittenAt: expiring.TimeOf(func(r *tokenRecord) time.Time { return r.At })}

// logToken records that the token record id was written at c.Now and
// deletes the token records that expired a chunk ago.
func logToken(ctx context.Context, tx store.Tx, c *api.Call, id string) error {
	return tokenLog.Add(ctx, tx, key(c, kindToken, id), c.Now)
}
