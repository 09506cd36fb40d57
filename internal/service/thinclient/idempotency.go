package thinclient

// clientToken idempotency (spec §1.7): the same token with the same
// parameters replays the recorded success without side effects; the same
// token with other parameters is a ConflictException (the documented
// IdempotentParameterMismatch is not a modelled shape, inferred). Records are
// kept for tokenTTL and are durable with the store, then deleted (tokenlog.go).
// Failed calls record nothing.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const tokenTTL = 24 * time.Hour // spec §1.7

type tokenRecord struct {
	Params     string          `json:"params"`
	ResourceID string          `json:"resourceId"`
	Output     json.RawMessage `json:"output"`
	At         time.Time       `json:"at"`
}

// params fingerprints every request member except clientToken; in must be
// the input with its ClientToken already cleared.
func params(in any) string {
	b, _ := json.Marshal(in)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// idempotent runs do unless token names an earlier call of the operation:
// then it decodes the recorded output into out (same parameters) or refuses
// (other parameters). kind and resourceID name the token-bearing resource for
// the ConflictException; do returns the resource id to record.
func (s *Service) idempotent(ctx context.Context, tx store.Tx, c *api.Call, token *string, fingerprint string, kind, resourceID string, out any, do func() (string, error)) (replayed bool, err error) {
	if token == nil {
		_, err := do()
		return false, err
	}
	k := key(c, kindToken, c.Operation+"/"+*token)
	var rec tokenRecord
	err = tx.Get(ctx, k, &rec)
	switch {
	case err == nil && c.Now.Sub(rec.At) < tokenTTL:
		if rec.Params != fingerprint {
			id := rec.ResourceID
			if id == "" {
				id = resourceID
			}
			return false, conflict(kind, id, "clientToken '"+*token+"' was already used with different parameters (IdempotentParameterMismatch).")
		}
		if out != nil && len(rec.Output) > 0 {
			if err := json.Unmarshal(rec.Output, out); err != nil {
				return false, err
			}
		}
		return true, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return false, err
	}
	id, err := do()
	if err != nil {
		return false, err
	}
	rec = tokenRecord{Params: fingerprint, ResourceID: id, At: c.Now}
	if out != nil {
		if rec.Output, err = json.Marshal(out); err != nil {
			return false, err
		}
	}
	if err := tx.Put(ctx, k, rec); err != nil {
		return false, err
	}
	return false, logToken(ctx, tx, c, k.ID)
}
