// Package store is the narrow, transactional storage boundary that every
// operation handler uses. It knows nothing about WorkSpaces rules: records are
// JSON documents addressed by (kind, account, region, id), listed in creation
// order with an opaque cursor (their sequence number). Implementations:
// store/memory (tests, --in-memory), store/sqlite (durable default) and
// store/postgres (many replicas on one database, --database-url). All of them pass storetest.Run.
// An Update function may run more than once (see Store.Update): it must be re-runnable.
package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	gojson "github.com/goccy/go-json"
)

// Sentinel errors returned by every implementation. Handlers map them to the
// operation's modelled exception; they never reach the wire as they are.
var (
	// ErrNotFound is returned by Get and Delete when no record has the key.
	ErrNotFound = errors.New("store: record not found")
	// ErrConflict is returned by Create when a record with the key exists.
	ErrConflict = errors.New("store: record already exists")
	// ErrUnavailable is wrapped by the errors of a store that cannot reach
	// its database (store/postgres while the server is down or restarting):
	// nothing was acknowledged, and the call may succeed when retried. The
	// protocols answer it with their "service unavailable" error, found
	// through its Unavailable method (errors.As).
	ErrUnavailable error = unavailable{}
)

type unavailable struct{}

func (unavailable) Error() string { return "store: database unavailable" }

// Unavailable marks the error as a temporary loss of the database.
func (unavailable) Unavailable() bool { return true }

// Key addresses one record. Account and Region may be empty for records that
// are global (for example a region-wide ID index or server metadata).
type Key struct {
	Kind    string
	Account string
	Region  string
	ID      string
}

// Scope is the set of records of one kind in one account and region.
type Scope struct {
	Kind    string
	Account string
	Region  string
}

// Scope returns the scope that holds k.
func (k Key) Scope() Scope { return Scope{Kind: k.Kind, Account: k.Account, Region: k.Region} }

// Record is one stored document as List returns it.
type Record struct {
	Key Key
	// Seq orders records by creation: it is assigned by Create (and by Put when
	// the record is new), is unique within a store, only grows, and is kept
	// when a record is overwritten by Put.
	Seq   int64
	Value json.RawMessage
}

// Decode unmarshals the record's value into v.
func (r Record) Decode(v any) error { return Unmarshal(r.Value, v) }

// Unmarshal decodes a stored record value into v. Records are written by
// encoding/json (json.Marshal; the bytes on disk stay what encoding/json
// produces) and read back with github.com/goccy/go-json, which decodes the
// same documents into the same values at a fraction of the CPU; the store
// read's JSON decode was the largest single cost of a by-id read.
// TestDecodeMatchesEncodingJSON holds the two decoders to the same values for
// the service record types.
func Unmarshal(b []byte, v any) error { return gojson.Unmarshal(b, v) }

// Query selects records of one scope in Seq order.
type Query struct {
	Scope
	// AfterSeq skips records whose Seq is <= AfterSeq (0 = from the start).
	AfterSeq int64
	// Limit caps the number of records returned (0 = no limit).
	Limit int
}

// Store is a transactional record store.
type Store interface {
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction. If fn returns an error (or
	// panics) every write of fn is rolled back and the error is returned
	// unchanged (the panic re-raised). When Update returns nil the writes are
	// durable (for a durable implementation) and visible to later transactions.
	// Update transactions are serialisable: two concurrent Updates never
	// interleave, so a check-then-write inside one fn is race-free.
	//
	// Update may run fn more than once before it returns; only the writes of
	// the last run persist (every earlier run is rolled back). So fn must be
	// re-runnable: no effect outside tx except results it recomputes and
	// assigns on every run (build output in variables local to fn, or reset
	// them at fn's start). No appends to slices declared outside fn, no
	// counters, maps, caches, channels, logs, metrics or in-memory flags
	// changed inside fn: do those after Update returns nil. The tests run
	// every store through store/rerun, which runs each fn twice.
	Update(ctx context.Context, fn func(Tx) error) error
	// Export calls fn with every record of every kind, account and region in
	// ascending Seq order, all read from one consistent snapshot. fn must not
	// use the store; an error from fn stops the export and is returned.
	Export(ctx context.Context, fn func(Record) error) error
	// Import replaces the whole content of the store with recs, atomically:
	// either every old record is gone and every record of recs is stored with
	// its Key, Seq and Value, or (on error) nothing changed. Later Creates get
	// Seqs above the largest imported one. recs must pass CheckImport.
	Import(ctx context.Context, recs []Record) error
	// Name names the implementation ("memory", "sqlite", "postgres") for /_local/health.
	Name() string
	// Close releases resources. The store must not be used afterwards.
	Close() error
}

// Tx is the view of the store inside one transaction. A Tx must not be used
// after its View/Update function has returned. Write methods on a Tx from View
// return an error.
type Tx interface {
	// Get unmarshals the record at k into v. Returns ErrNotFound.
	Get(ctx context.Context, k Key, v any) error
	// Create stores v (marshalled as JSON) at k. Returns ErrConflict if a record
	// exists at k.
	Create(ctx context.Context, k Key, v any) error
	// Put stores v at k, creating or overwriting. An overwritten record keeps its Seq.
	Put(ctx context.Context, k Key, v any) error
	// Delete removes the record at k. Returns ErrNotFound.
	Delete(ctx context.Context, k Key) error
	// List returns the records of q.Scope with Seq > q.AfterSeq in ascending Seq
	// order, at most q.Limit of them when q.Limit > 0.
	List(ctx context.Context, q Query) ([]Record, error)
	// Count returns the number of records in s.
	Count(ctx context.Context, s Scope) (int, error)
	// DeleteScope deletes every record, of any kind, whose account and
	// region are the given ones; "" matches any account (region), so
	// DeleteScope(ctx, "", "") empties the store. It returns how many
	// records went.
	DeleteScope(ctx context.Context, account, region string) (int, error)
	// Scopes returns every distinct (kind, account, region) holding at least
	// one record, sorted by kind, then account, then region. It costs
	// O(scopes), not O(records), in every implementation.
	Scopes(ctx context.Context) ([]Scope, error)
}

// CheckImport returns why recs cannot be imported, or nil: every record
// needs a kind, an id, a Seq above zero and a valid JSON value, and no two
// records may share a key or a Seq. Implementations call it first in Import.
func CheckImport(recs []Record) error {
	keys := make(map[Key]bool, len(recs))
	seqs := make(map[int64]bool, len(recs))
	for i, r := range recs {
		switch {
		case r.Key.Kind == "" || r.Key.ID == "":
			return fmt.Errorf("store: import record %d: kind and id must not be empty", i)
		case r.Seq <= 0:
			return fmt.Errorf("store: import record %d (%s %s): seq must be above 0", i, r.Key.Kind, r.Key.ID)
		case !json.Valid(r.Value):
			return fmt.Errorf("store: import record %d (%s %s): value is not valid JSON", i, r.Key.Kind, r.Key.ID)
		case keys[r.Key]:
			return fmt.Errorf("store: import record %d: key %s/%s/%s/%s appears twice", i, r.Key.Kind, r.Key.Account, r.Key.Region, r.Key.ID)
		case seqs[r.Seq]:
			return fmt.Errorf("store: import record %d: seq %d appears twice", i, r.Seq)
		}
		keys[r.Key], seqs[r.Seq] = true, true
	}
	return nil
}

// CompareScopes orders scopes by kind, then account, then region (the order
// Tx.Scopes returns).
func CompareScopes(a, b Scope) int {
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Account, b.Account); c != 0 {
		return c
	}
	return cmp.Compare(a.Region, b.Region)
}
