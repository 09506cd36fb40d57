package postgres

import (
	"errors"
	"hash/fnv"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// The locks of an Update (see the package comment): transaction-scoped
// advisory locks, so PostgreSQL releases them at COMMIT or ROLLBACK, and
// those a rolled-back savepoint took at ROLLBACK TO.
const (
	// shareAllSQL opens every shared group: the database lock in shared
	// mode, waited for without limit (an exclusive Update may run long),
	// then lockWait for every later lock of the transaction.
	shareAllSQL = `SELECT set_config('lock_timeout', '0', true), pg_advisory_xact_lock_shared($1), set_config('lock_timeout', $2, true)`
	// lockAllSQL opens an exclusive group: the database lock alone.
	lockAllSQL = `SELECT set_config('lock_timeout', '0', true), pg_advisory_xact_lock($1)`

	lockSharedSQL = `SELECT pg_advisory_xact_lock_shared($1)`
	lockSQL       = `SELECT pg_advisory_xact_lock($1)`
	// lockWriteSQL is a write's two locks: its scope shared, its key exclusive.
	lockWriteSQL = `SELECT pg_advisory_xact_lock_shared($1), pg_advisory_xact_lock($2)`
)

// lockWait is how long a statement of a shared group waits for a lock
// another replica holds before the Update gives up its attempt and runs
// again. Holders are groups of a few keyed statements that commit within
// milliseconds, so a longer wait is nearly always two groups waiting on
// each other (a deadlock, which PostgreSQL itself would only detect after
// deadlock_timeout, 1 s by default and settable only by a superuser).
const lockWait = "20ms"

// mode is how a transaction holds a lock.
type mode uint8

const (
	unlocked mode = iota
	shared
	exclusive
)

// errRetry is what a Tx call answers once its attempt has met another
// replica's lock: the attempt is rolled back and fn runs again. fn never
// gets to see a result of that attempt, whatever it does with the error.
var errRetry = errors.New("postgres: lock wait on another replica timed out; the Update runs again")

// errExclusive is what DeleteScope and Scopes answer in a shared group:
// they need the database to themselves, so fn runs again in an exclusive one.
var errExclusive = errors.New("postgres: this Update needs the whole database; it runs again alone")

// lockID hashes a scope (id == nil) or a key of the schema space to an
// advisory lock id. Advisory locks are per database, so the schema is in
// the hash: stores on two schemas of one database (the tests) do not
// share locks. Two names that share an id only wait for each other
// needlessly.
func lockID(space, kind, account, region string, id *string) int64 {
	h := fnv.New64a()
	tag := []byte{'s'}
	if id != nil {
		tag[0] = 'k'
	}
	h.Write(tag)
	for _, part := range []string{space, kind, account, region} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	if id != nil {
		h.Write([]byte(*id))
	}
	return int64(h.Sum64())
}

// allLock is the database lock of a schema: every shared group holds it
// shared, an exclusive group alone.
func allLock(space string) int64 { return lockID(space, "", "", "", nil) }

// isLockWait reports whether err is PostgreSQL giving up a lock wait:
// lock_timeout (55P03) or a deadlock it detected first (40P01).
func isLockWait(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "55P03" || pe.Code == "40P01")
}

// locks is what one transaction holds, so that each lock is asked for once.
type locks struct {
	space string // the schema
	held  map[int64]mode
}

func newLocks(space string) locks { return locks{space: space, held: map[int64]mode{}} }

// taken is a lock a fn took and the mode the transaction held it in before:
// what to restore when the fn's savepoint is rolled back (PostgreSQL then
// releases what the fn took, and keeps what earlier fns hold).
type taken struct {
	id   int64
	prev mode
}

// take notes that the transaction holds id in m and returns whether it must
// still ask for it; the fn's log gets what to restore.
func (l locks) take(id int64, m mode, log *[]taken) bool {
	prev := l.held[id]
	if prev >= m {
		return false
	}
	*log = append(*log, taken{id, prev})
	l.held[id] = m
	return true
}

// undo forgets what a rolled-back fn took, newest first.
func (l locks) undo(log []taken) {
	for i := len(log) - 1; i >= 0; i-- {
		if log[i].prev == unlocked {
			delete(l.held, log[i].id)
		} else {
			l.held[log[i].id] = log[i].prev
		}
	}
}

// forKey returns the statement that takes what a keyed call needs (its
// scope shared, its key exclusive), or "" when both are held.
func (l locks) forKey(k store.Key, log *[]taken) (string, []any) {
	s, id := lockID(l.space, k.Kind, k.Account, k.Region, nil), lockID(l.space, k.Kind, k.Account, k.Region, &k.ID)
	ns, nk := l.take(s, shared, log), l.take(id, exclusive, log)
	switch {
	case ns && nk:
		return lockWriteSQL, []any{s, id}
	case ns:
		return lockSharedSQL, []any{s}
	case nk:
		return lockSQL, []any{id}
	}
	return "", nil
}

// forScope returns the statement that takes a scope exclusively (a List or
// Count in an Update: no record enters or leaves the scope until commit),
// or "" when it is held.
func (l locks) forScope(sc store.Scope, log *[]taken) (string, []any) {
	id := lockID(l.space, sc.Kind, sc.Account, sc.Region, nil)
	if l.take(id, exclusive, log) {
		return lockSQL, []any{id}
	}
	return "", nil
}
