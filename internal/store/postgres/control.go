package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	"github.com/workspaces-local/workspaces-local/internal/faults"
	"github.com/workspaces-local/workspaces-local/internal/journal"
)

const (
	// leaseTime is how long a replica counts as live after its last heartbeat.
	leaseTime = 4 * time.Second
	// heartbeat is how often a replica renews its lease.
	heartbeat = time.Second
	// maxAckWait bounds a Broadcast's wait for acknowledgements.
	maxAckWait = leaseTime + time.Second
	// ackPoll is how often a waiting Broadcast looks again without a notice.
	ackPoll = 50 * time.Millisecond
	// trimEvery is how many journal rows a replica writes between trims.
	trimEvery = 256
)

// Topics of Broadcast.
const (
	TopicFaults  = "faults"
	TopicJournal = "journal"
	// TopicState: a reset or import replaced records; forget what was
	// learnt of them (which scopes are indexed).
	TopicState = "state"
)

// Control keeps one replica's fault rules and journal in step with the
// other replicas on the database.
//
// The fault rules and the request journal of /_local/faults and
// /_local/requests live in their own tables (migrations/002_control.sql),
// outside the records /_local/reset empties. A Control keeps one replica in
// step with the others:
//
//   - Each replica registers in wslocal_replicas with a lease (leaseTime,
//     renewed every heartbeat) and LISTENs on a dedicated connection (not
//     one of the pool's: it blocks waiting for notices). It renews its
//     lease only while that connection is up, so a replica that cannot hear
//     notices stops being waited for.
//   - Broadcast(topic) bumps the topic's version in wslocal_topics and
//     NOTIFYs it in the same statement, then waits until every live replica
//     has acknowledged that version in wslocal_acks. Each replica's worker
//     handles a notice (faults: reload the rules; journal: write its buffer)
//     and then writes its acknowledgement, which it NOTIFYs too, so the
//     waiter wakes at once (it also polls, in case its own listener is down).
//   - A replica that died (kill -9) is waited for until its lease runs out,
//     at most leaseTime, and the broadcast then answers, logging the
//     replicas that did not acknowledge; a wait never exceeds maxAckWait.
//   - On (re)connecting, a replica LISTENs first, then runs every handler
//     and acknowledges the versions it read: it may have missed notices.
//
// LISTEN/NOTIFY was chosen over polling the tables because a change must be
// seen by the very next call on another replica with no round trip on the
// API path: only a push lets each replica keep a copy of the rules that is
// never stale once the change has answered. The barrier (acknowledgements)
// is what makes "once the change has answered" true; the lease keeps a dead
// replica from holding it. Notices are per database, so the channel name
// carries the schema: replicas of two schemas of one database never hear
// each other.
type Control struct {
	db       *DB
	log      *slog.Logger
	id       string
	channel  string
	handlers map[string]func(context.Context) error

	listening atomic.Bool

	mu     sync.Mutex
	wanted map[string]int64 // topic → newest version noticed and not yet handled
	work   chan struct{}
	acked  chan struct{} // closed and replaced at each acknowledgement notice

	appended atomic.Int64 // journal rows written since the last trim

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewControl returns the replica's Control; register handlers with Handle,
// then Start it.
func (db *DB) NewControl(log *slog.Logger) *Control {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	host, _ := os.Hostname()
	id := fmt.Sprintf("%s-%d-%x", host, os.Getpid(), time.Now().UnixNano()&0xffffff)
	return &Control{db: db, log: log, id: id, handlers: map[string]func(context.Context) error{},
		wanted: map[string]int64{}, work: make(chan struct{}, 1), acked: make(chan struct{})}
}

// ID is the replica's name in wslocal_replicas and in logs.
func (c *Control) ID() string { return c.id }

// ControlStatus is what /_local/health shows of a replica's Control.
type ControlStatus struct {
	// Replica is the replica's id, as the others' "did not acknowledge" logs name it.
	Replica string `json:"replica"`
	// Listening reports whether it hears the other replicas' changes now.
	Listening bool `json:"listening"`
}

// Status returns the replica's id and whether its listener is connected
// (nil for a nil Control).
func (c *Control) Status() *ControlStatus {
	if c == nil {
		return nil
	}
	return &ControlStatus{Replica: c.id, Listening: c.listening.Load()}
}

// Handle makes fn the replica's handler of topic. It must be called before Start.
func (c *Control) Handle(topic string, fn func(context.Context) error) { c.handlers[topic] = fn }

// Start connects the listener, runs every handler once, registers the
// replica and starts its goroutines; Close stops them.
func (c *Control) Start(ctx context.Context) error {
	var schema string
	if err := c.db.pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return classify(err)
	}
	c.channel = "wslocal_control_" + schema
	if len(c.channel) > 63 {
		c.channel = c.channel[:63]
	}
	conn, err := c.connect(ctx)
	if err != nil {
		return err
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.wg.Add(3)
	go c.listen(conn)
	go c.worker()
	go c.heartbeat()
	return nil
}

// Close stops the goroutines and unregisters the replica, so that no one
// waits for it.
func (c *Control) Close() {
	if c.cancel == nil {
		return
	}
	c.cancel()
	c.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, _ = c.db.pool.Exec(ctx, `DELETE FROM wslocal_replicas WHERE id = $1`, c.id)
	_, _ = c.db.pool.Exec(ctx, `DELETE FROM wslocal_acks WHERE replica = $1`, c.id)
}

// connect opens the listening connection and brings the replica up to
// date: LISTEN, then every handler, then the acknowledgement of every
// topic's version read before the handlers ran, then the lease.
func (c *Control) connect(ctx context.Context) (*pgx.Conn, error) {
	cfg := c.db.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = "workspaces-local listener " + c.id // for pg_stat_activity
	// Cancelling a wait for notices only sets a deadline: no cancel request, connection kept.
	cfg.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.DeadlineContextWatcherHandler{Conn: pc.Conn()}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, classify(err)
	}
	fail := func(err error) (*pgx.Conn, error) {
		conn.Close(context.WithoutCancel(ctx)) //nolint:errcheck // the first error matters
		return nil, classify(err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{c.channel}.Sanitize()); err != nil {
		return fail(err)
	}
	versions := map[string]int64{}
	rows, err := conn.Query(ctx, `SELECT topic, version FROM wslocal_topics`)
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		var t string
		var v int64
		if err := rows.Scan(&t, &v); err != nil {
			rows.Close()
			return fail(err)
		}
		versions[t] = v
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	for topic, fn := range c.handlers {
		if err := fn(ctx); err != nil {
			return fail(fmt.Errorf("%s: %w", topic, err))
		}
		if err := c.ack(ctx, topic, versions[topic]); err != nil {
			return fail(err)
		}
	}
	if err := c.renew(ctx); err != nil {
		return fail(err)
	}
	c.listening.Store(true)
	return conn, nil
}

// listen receives notices until Close, reconnecting when the connection is lost.
func (c *Control) listen(conn *pgx.Conn) {
	defer c.wg.Done()
	for {
		n, err := conn.WaitForNotification(c.ctx)
		if err == nil {
			c.notice(n.Payload)
			continue
		}
		c.listening.Store(false)
		conn.Close(context.Background()) //nolint:errcheck // it is being replaced
		if c.ctx.Err() != nil {
			return
		}
		c.log.Warn("shared test control: listener connection lost; reconnecting", "replica", c.id, "error", err)
		for wait := 100 * time.Millisecond; ; wait = min(2*wait, 2*time.Second) {
			select {
			case <-c.ctx.Done():
				return
			case <-time.After(wait):
			}
			ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
			conn, err = c.connect(ctx)
			cancel()
			if err == nil {
				c.log.Info("shared test control: listener reconnected; fault rules reloaded", "replica", c.id)
				break
			}
		}
	}
}

// notice records a notice: an acknowledgement wakes the waiting
// Broadcasts, a topic's new version is queued for the worker.
func (c *Control) notice(payload string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if payload == "ack" {
		close(c.acked)
		c.acked = make(chan struct{})
		return
	}
	topic, num, ok := strings.Cut(payload, " ")
	v, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || c.handlers[topic] == nil {
		return
	}
	if v > c.wanted[topic] {
		c.wanted[topic] = v
	}
	select {
	case c.work <- struct{}{}:
	default:
	}
}

// worker runs the handlers of noticed versions and acknowledges them.
func (c *Control) worker() {
	defer c.wg.Done()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-c.work:
		}
		c.mu.Lock()
		todo := c.wanted
		c.wanted = map[string]int64{}
		c.mu.Unlock()
		for topic, v := range todo {
			ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
			err := c.handlers[topic](ctx)
			if err == nil {
				err = c.ack(ctx, topic, v)
			}
			cancel()
			if err != nil && c.ctx.Err() == nil {
				// Not acknowledged: the broadcaster's wait runs out and logs this replica.
				c.log.Warn("shared test control: handling a change failed", "replica", c.id, "topic", topic, "error", err)
			}
		}
	}
}

// ack records that the replica has handled version v of topic and tells the waiters.
func (c *Control) ack(ctx context.Context, topic string, v int64) error {
	_, err := c.db.pool.Exec(ctx, `WITH a AS (
		INSERT INTO wslocal_acks (replica, topic, version) VALUES ($1, $2, $3)
		ON CONFLICT (replica, topic) DO UPDATE SET version = greatest(wslocal_acks.version, excluded.version)
		RETURNING 1)
	SELECT pg_notify($4, 'ack') FROM a`, c.id, topic, v, c.channel)
	return classify(err)
}

// renew writes the replica's lease.
func (c *Control) renew(ctx context.Context) error {
	_, err := c.db.pool.Exec(ctx, `INSERT INTO wslocal_replicas (id, lease_until) VALUES ($1, now() + make_interval(secs => $2))
		ON CONFLICT (id) DO UPDATE SET lease_until = excluded.lease_until`, c.id, leaseTime.Seconds())
	return classify(err)
}

// heartbeat renews the lease while the listener is connected, and now and
// then forgets replicas whose lease ran out long ago.
func (c *Control) heartbeat() {
	defer c.wg.Done()
	t := time.NewTicker(heartbeat)
	defer t.Stop()
	for beats := 1; ; beats++ {
		select {
		case <-c.ctx.Done():
			return
		case <-t.C:
		}
		if !c.listening.Load() {
			continue
		}
		ctx, cancel := context.WithTimeout(c.ctx, heartbeat)
		if err := c.renew(ctx); err != nil && c.ctx.Err() == nil {
			c.log.Warn("shared test control: lease not renewed", "replica", c.id, "error", err)
		}
		if beats%60 == 0 {
			_, _ = c.db.pool.Exec(ctx, `WITH gone AS (DELETE FROM wslocal_replicas WHERE lease_until < now() - interval '10 minutes' RETURNING id)
				DELETE FROM wslocal_acks WHERE replica IN (SELECT id FROM gone)`)
		}
		cancel()
	}
}

// Broadcast has every live replica handle a new version of topic and
// returns once all have acknowledged it. A replica that does not is waited
// for until its lease runs out (at most maxAckWait in all), then logged.
func (c *Control) Broadcast(ctx context.Context, topic string) error {
	var v int64
	err := c.db.pool.QueryRow(ctx, `WITH t AS (
		INSERT INTO wslocal_topics (topic, version) VALUES ($1, 1)
		ON CONFLICT (topic) DO UPDATE SET version = wslocal_topics.version + 1
		RETURNING version)
	SELECT version, pg_notify($2, $1 || ' ' || version) FROM t`, topic, c.channel).Scan(&v, nil)
	if err != nil {
		return classify(err)
	}
	deadline := time.Now().Add(maxAckWait)
	var waited []string // live replicas that had not acknowledged at the first look
	for first := true; ; first = false {
		c.mu.Lock()
		woken := c.acked
		c.mu.Unlock()
		live, gone, err := c.unacked(ctx, topic, v)
		if err != nil {
			return err
		}
		if first {
			waited = live
		}
		if len(live) == 0 {
			if lost := intersect(waited, gone); len(lost) > 0 {
				c.log.Warn("shared test control: replicas did not acknowledge a change before their lease ran out (stopped, or lost the database); answering without them",
					"topic", topic, "replicas", lost)
			}
			return nil
		}
		if time.Now().After(deadline) {
			c.log.Warn("shared test control: replicas did not acknowledge a change in time; answering without them",
				"topic", topic, "replicas", live, "waited", maxAckWait)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-woken:
		case <-time.After(ackPoll):
		}
	}
}

// unacked returns the replicas that have not acknowledged version v of
// topic: live ones, and ones whose lease ran out in the last minute.
func (c *Control) unacked(ctx context.Context, topic string, v int64) (live, gone []string, err error) {
	rows, err := c.db.pool.Query(ctx, `SELECT r.id, r.lease_until > now() FROM wslocal_replicas r
		LEFT JOIN wslocal_acks a ON a.replica = r.id AND a.topic = $1
		WHERE coalesce(a.version, 0) < $2 AND r.lease_until > now() - interval '1 minute'`, topic, v)
	if err != nil {
		return nil, nil, classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var ok bool
		if err := rows.Scan(&id, &ok); err != nil {
			return nil, nil, classify(err)
		}
		if ok {
			live = append(live, id)
		} else {
			gone = append(gone, id)
		}
	}
	return live, gone, classify(rows.Err())
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
			}
		}
	}
	return out
}

// Faults is the replica's faults.Shared backend.
func (c *Control) Faults() faults.Shared { return controlFaults{c} }

type controlFaults struct{ c *Control }

func (f controlFaults) Insert(ctx context.Context, sp faults.Spec) (string, error) {
	b, err := json.Marshal(sp)
	if err != nil {
		return "", err
	}
	var seq int64
	err = f.c.db.pool.QueryRow(ctx, `WITH spent AS (DELETE FROM wslocal_faults WHERE max_hits > 0 AND hits >= max_hits)
		INSERT INTO wslocal_faults (spec, max_hits) VALUES ($1, $2) RETURNING seq`, string(b), sp.Count).Scan(&seq)
	if err != nil {
		return "", classify(err)
	}
	return "fault-" + strconv.FormatInt(seq, 10), nil
}

func (f controlFaults) Rules(ctx context.Context) ([]faults.Rule, error) {
	rows, err := f.c.db.pool.Query(ctx, `SELECT seq, spec, hits FROM wslocal_faults WHERE max_hits = 0 OR hits < max_hits ORDER BY seq`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := []faults.Rule{}
	for rows.Next() {
		var seq int64
		var spec []byte
		var r faults.Rule
		if err := rows.Scan(&seq, &spec, &r.Hits); err != nil {
			return nil, classify(err)
		}
		if err := json.Unmarshal(spec, &r.Spec); err != nil {
			return nil, fmt.Errorf("postgres: fault rule %d: %w", seq, err)
		}
		r.ID = "fault-" + strconv.FormatInt(seq, 10)
		out = append(out, r)
	}
	return out, classify(rows.Err())
}

// faultSeq is the seq of a rule id, or -1 for an id no rule has.
func faultSeq(id string) int64 {
	n, err := strconv.ParseInt(strings.TrimPrefix(id, "fault-"), 10, 64)
	if err != nil || !strings.HasPrefix(id, "fault-") {
		return -1
	}
	return n
}

func (f controlFaults) Delete(ctx context.Context, id string) (bool, error) {
	tag, err := f.c.db.pool.Exec(ctx, `DELETE FROM wslocal_faults WHERE seq = $1 AND (max_hits = 0 OR hits < max_hits)`, faultSeq(id))
	if err != nil {
		return false, classify(err)
	}
	return tag.RowsAffected() > 0, nil
}

func (f controlFaults) Clear(ctx context.Context) (int, error) {
	var n int
	err := f.c.db.pool.QueryRow(ctx, `WITH d AS (DELETE FROM wslocal_faults RETURNING max_hits, hits)
		SELECT count(*) FROM d WHERE max_hits = 0 OR hits < max_hits`).Scan(&n)
	return n, classify(err)
}

func (f controlFaults) Hit(ctx context.Context, id string) (int, bool, error) {
	var hits int
	err := f.c.db.pool.QueryRow(ctx, `UPDATE wslocal_faults SET hits = hits + 1
		WHERE seq = $1 AND (max_hits = 0 OR hits < max_hits) RETURNING hits`, faultSeq(id)).Scan(&hits)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, classify(err)
	}
	return hits, true, nil
}

func (f controlFaults) Publish(ctx context.Context) error { return f.c.Broadcast(ctx, TopicFaults) }

// Journal is the replica's journal.Shared backend.
func (c *Control) Journal() journal.Shared { return controlJournal{c} }

type controlJournal struct{ c *Control }

// zeroTime stands for the zero time.Time, which has no Unix nanoseconds.
const zeroTime = math.MinInt64

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return zeroTime
	}
	return t.UnixNano()
}

func (j controlJournal) Append(ctx context.Context, es []journal.Answered) error {
	n := len(es)
	at, tm := make([]int64, n), make([]int64, n)
	status := make([]int32, n)
	dur := make([]float64, n)
	var text [8][]string
	for i := range text {
		text[i] = make([]string, n)
	}
	for i, e := range es {
		at[i], tm[i], status[i], dur[i] = unixNano(e.At), unixNano(e.Time), int32(e.Status), e.DurationMs
		for k, s := range []string{e.RequestID, e.Service, e.Operation, e.Account, e.Region, e.Method, e.Path, e.ErrorCode} {
			text[k][i] = s
		}
	}
	// One round trip. unnest keeps the arrays' order, and seq follows it.
	// The journal is a debugging aid: its commits need not wait for the WAL
	// to reach the disk (they are visible to every replica at once all the
	// same), so they add no fsync to the durable writes they run beside.
	var b pgx.Batch
	b.Queue(`BEGIN`)
	b.Queue(`SET LOCAL synchronous_commit = off`)
	b.Queue(`INSERT INTO wslocal_journal (answered_ns, time_ns, request_id, service, operation,
		account, region, method, path, error_code, status, duration_ms)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
			$8::text[], $9::text[], $10::text[], $11::integer[], $12::double precision[])`,
		at, tm, text[0], text[1], text[2], text[3], text[4], text[5], text[6], text[7], status, dur)
	if j.c.appended.Add(int64(n)) >= trimEvery {
		j.c.appended.Store(0)
		b.Queue(`DELETE FROM wslocal_journal WHERE seq IN (
			SELECT seq FROM wslocal_journal ORDER BY answered_ns DESC, seq DESC OFFSET $1)`, journal.DefaultSize)
	}
	b.Queue(`COMMIT`)
	return classify(j.c.db.pool.SendBatch(ctx, &b).Close())
}

func (j controlJournal) Entries(ctx context.Context, f journal.Filter) ([]journal.Entry, error) {
	limit := f.Limit
	if limit <= 0 || limit > journal.DefaultSize {
		limit = journal.DefaultSize
	}
	rows, err := j.c.db.pool.Query(ctx, `SELECT time_ns, request_id, service, operation, account, region, method, path,
		status, error_code, duration_ms FROM (
			SELECT * FROM wslocal_journal ORDER BY answered_ns DESC, seq DESC LIMIT $1) kept
		WHERE ($2 = '' OR operation = $2) AND ($3 = '' OR account = $3) AND ($4 = 0 OR status = $4)
		ORDER BY answered_ns DESC, seq DESC LIMIT $5`, journal.DefaultSize, f.Operation, f.Account, f.Status, limit)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	out := []journal.Entry{}
	for rows.Next() {
		var e journal.Entry
		var tm int64
		if err := rows.Scan(&tm, &e.RequestID, &e.Service, &e.Operation, &e.Account, &e.Region, &e.Method, &e.Path,
			&e.Status, &e.ErrorCode, &e.DurationMs); err != nil {
			return nil, classify(err)
		}
		if tm != zeroTime {
			e.Time = time.Unix(0, tm).UTC()
		}
		out = append(out, e)
	}
	return out, classify(rows.Err())
}

func (j controlJournal) Clear(ctx context.Context) error {
	_, err := j.c.db.pool.Exec(ctx, `DELETE FROM wslocal_journal`)
	return classify(err)
}

func (j controlJournal) Sync(ctx context.Context) error { return j.c.Broadcast(ctx, TopicJournal) }
