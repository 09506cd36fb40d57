package main

// The replica comparison (-postgres URL): durable writes (CreateTags) and
// by-id reads on one SQLite process, one replica on PostgreSQL and three
// replicas on one PostgreSQL database, interleaved as the side-by-side run
// is. It rewrites only its own section of the report.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	replicasBegin = "<!-- replicas:begin (go run ./bench -postgres URL rewrites this section) -->"
	replicasEnd   = "<!-- replicas:end -->"

	rSQLite = "SQLite, 1 process"
	rPG1    = "PostgreSQL, 1 replica"
	rPG3    = "PostgreSQL, 3 replicas"
)

// replicaTarget is one column: its processes, the dataset loaded through
// the first, and a pool whose workers spread over every process.
type replicaTarget struct {
	name  string
	procs []*proc
	eps   []endpoint
	data  *dataset
	pool  *pool
	db    string // the database it runs on ("" for SQLite)
}

// storeStats is what /_local/health reports of a PostgreSQL store.
type storeStats struct {
	Updates               int64 `json:"updates"`
	Commits               int64 `json:"commits"`
	Retries               int64 `json:"retries"`
	LockWaits             int64 `json:"lockWaits"`
	SerializationFailures int64 `json:"serializationFailures"`
}

func (s *storeStats) add(o storeStats) {
	s.Updates += o.Updates
	s.Commits += o.Commits
	s.Retries += o.Retries
	s.LockWaits += o.LockWaits
	s.SerializationFailures += o.SerializationFailures
}

func (s storeStats) minus(o storeStats) storeStats {
	return storeStats{s.Updates - o.Updates, s.Commits - o.Commits, s.Retries - o.Retries, s.LockWaits - o.LockWaits, s.SerializationFailures - o.SerializationFailures}
}

// replicaResults is what the comparison measured.
type replicaResults struct {
	cfg     config
	started time.Time
	took    time.Duration
	stats   map[string]map[string]*stat      // call -> target -> stat
	store   map[string]map[string]storeStats // call -> target -> store counters during the timed slices
}

var replicaCalls = []struct {
	name  string
	build func(ep endpoint, d *dataset, target string) driver
}{
	{"CreateTags (durable write)", createTags},
	{"DescribeWorkspaces by id", describeByID},
}

func runReplicas(ctx context.Context, cfg config, bin string) (*replicaResults, error) {
	res := &replicaResults{cfg: cfg, started: time.Now(), stats: map[string]map[string]*stat{}, store: map[string]map[string]storeStats{}}
	dir := filepath.Join(cfg.WorkDir, "replicas")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var targets []*replicaTarget
	defer func() {
		for _, t := range targets {
			if t.pool != nil {
				t.pool.close()
			}
			for _, p := range t.procs {
				p.stop()
			}
			if t.db != "" {
				dropDatabase(cfg.Postgres, t.db)
			}
		}
	}()
	quota := fmt.Sprint(cfg.N + 1000)
	launch := func(t *replicaTarget, i int, storeArgs ...string) error {
		addr, err := freeAddr()
		if err != nil {
			return err
		}
		args := append([]string{"serve", "--addr", addr, "--delays", "zero", "--workspaces-quota", quota, "--log-level", "warn"}, storeArgs...)
		p, err := start(t.name, filepath.Join(dir, fmt.Sprintf("%s-%d.log", strings.Fields(t.name)[0], i)), nil, bin, args...)
		if err != nil {
			return err
		}
		p.addr = addr
		t.procs = append(t.procs, p)
		ep := endpoint{addr: addr, sg: sg}
		t.eps = append(t.eps, ep)
		_, err = p.waitServing(probe(ep), 200, 30*time.Second)
		return err
	}
	for _, spec := range []struct {
		name string
		n    int
	}{{rSQLite, 1}, {rPG1, 1}, {rPG3, 3}} {
		t := &replicaTarget{name: spec.name}
		targets = append(targets, t)
		var storeArgs []string
		if spec.name == rSQLite {
			storeArgs = []string{"--data-dir", filepath.Join(dir, "sqlite")}
		} else {
			u, name, err := createDatabase(ctx, cfg.Postgres)
			if err != nil {
				return nil, err
			}
			t.db = name
			storeArgs = []string{"--database-url", u}
		}
		for i := range spec.n {
			if err := launch(t, i, storeArgs...); err != nil {
				return nil, fmt.Errorf("%s: %w", t.name, err)
			}
		}
		cfg.Log("loading %d WorkSpaces into %s", cfg.N, t.name)
		var err error
		if t.data, err = loadLocal(t.eps[0], cfg.N, 1, 1); err != nil {
			return nil, fmt.Errorf("load %s: %w", t.name, err)
		}
		if t.pool, err = newSpreadPool(t.eps, cfg.Conc); err != nil {
			return nil, err
		}
	}
	drivers := map[string]map[string]driver{}
	for _, c := range replicaCalls {
		drivers[c.name] = map[string]driver{}
		res.stats[c.name] = map[string]*stat{}
		res.store[c.name] = map[string]storeStats{}
		for _, t := range targets {
			var ds []driver
			for _, ep := range t.eps {
				ds = append(ds, c.build(ep, t.data, t.name))
			}
			drivers[c.name][t.name] = func(w *worker) error { return ds[w.id%len(ds)](w) }
			res.stats[c.name][t.name] = &stat{}
		}
	}
	cfg.Log("warm-up")
	for _, c := range replicaCalls {
		for _, t := range targets {
			if r := t.pool.run(drivers[c.name][t.name], cfg.Warmup, false); r.err != nil && r.ops == 0 {
				return nil, fmt.Errorf("%s on %s: %w", c.name, t.name, r.err)
			}
		}
	}
	for round := range cfg.Rounds {
		cfg.Log("replica round %d/%d", round+1, cfg.Rounds)
		for _, c := range replicaCalls {
			for i := range targets {
				t := targets[(i+round)%len(targets)]
				before := t.storeStats()
				res.stats[c.name][t.name].add(t.pool.run(drivers[c.name][t.name], cfg.Slice, true))
				s := res.store[c.name][t.name]
				s.add(t.storeStats().minus(before))
				res.store[c.name][t.name] = s
			}
		}
	}
	res.took = time.Since(res.started)
	return res, nil
}

// newSpreadPool is a pool of conc workers, worker i on endpoint i mod len(eps).
func newSpreadPool(eps []endpoint, conc int) (*pool, error) {
	p := &pool{}
	for i := range conc {
		k, err := dial(eps[i%len(eps)].addr)
		if err != nil {
			p.close()
			return nil, err
		}
		p.workers = append(p.workers, &worker{id: i, conc: conc, k: k, tag: "r"})
	}
	return p, nil
}

// storeStats sums the store counters of t's processes (zero for SQLite).
func (t *replicaTarget) storeStats() storeStats {
	var sum storeStats
	for _, ep := range t.eps {
		resp, err := http.Get("http://" + ep.addr + "/_local/health")
		if err != nil {
			continue
		}
		var h struct {
			StoreStats storeStats `json:"storeStats"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		sum.add(h.StoreStats)
	}
	return sum
}

// createDatabase makes a fresh database on the server of base and returns
// its URL and name.
func createDatabase(ctx context.Context, base string) (string, string, error) {
	c, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", "", fmt.Errorf("-postgres: %w", err)
	}
	defer c.Close(ctx)
	name := fmt.Sprintf("wsl_bench_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", "", fmt.Errorf("-postgres: the role needs CREATEDB: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", "", err
	}
	u.Path = "/" + name
	return u.String(), name, nil
}

func dropDatabase(base, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if c, err := pgx.Connect(ctx, base); err == nil {
		_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		c.Close(ctx)
	}
}

// replicaReport renders the section, markers included.
func replicaReport(res *replicaResults, m machine) string {
	cfg := res.cfg
	var b strings.Builder
	b.WriteString(replicasBegin + "\n## Many replicas on PostgreSQL\n\n")
	cmd := "go run ./bench"
	for _, a := range cfg.Args {
		if strings.HasPrefix(a, "postgres://") || strings.HasPrefix(a, "postgresql://") {
			a = "URL"
		}
		cmd += " " + shellQuote(a)
	}
	fmt.Fprintf(&b, "Command: `%s` (took %v on %s). Machine: %s, %d cores, %s.", cmd, res.took.Round(time.Second), res.started.UTC().Format("2006-01-02 15:04 MST"), m.CPU, m.Cores, m.OS)
	if cfg.Note != "" {
		fmt.Fprintf(&b, " %s", cfg.Note)
	}
	fmt.Fprintf(&b, "\n\nEach column holds one directory and %s WorkSpaces, loaded through its first process. %d keep-alive connections per column, "+
		"spread evenly over its processes (the three replicas get 6, 5 and 5); every process, PostgreSQL and the load generator share the machine's cores. "+
		"%d rounds of one %v slice per call and column, interleaved. PostgreSQL runs with its defaults (fsync and synchronous_commit on): "+
		"a write is on disk before it is answered, as with SQLite's synchronous=FULL.\n\n", commas(int64(cfg.N)), cfg.Conc, cfg.Rounds, cfg.Slice)
	b.WriteString(row("call", rSQLite+" req/s", "p50", "p99", rPG1+" req/s", "p50", "p99", rPG3+" req/s", "p50", "p99"))
	b.WriteString(row("---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"))
	for _, c := range replicaCalls {
		cols := []string{c.name}
		for _, t := range []string{rSQLite, rPG1, rPG3} {
			cols = append(cols, cells(res.stats[c.name][t])...)
		}
		b.WriteString(row(cols...))
	}
	b.WriteString("\nStore counters during the timed write slices (from /_local/health `storeStats`, summed over the replicas):\n\n")
	b.WriteString(row("column", "Updates", "commits", "Updates per commit", "retries (fn run again)", "lock waits given up", "serialization failures"))
	b.WriteString(row("---", "---:", "---:", "---:", "---:", "---:", "---:"))
	w := replicaCalls[0].name
	for _, t := range []string{rPG1, rPG3} {
		s := res.store[w][t]
		per := "n/a"
		if s.Commits > 0 {
			per = fmt.Sprintf("%.1f", float64(s.Updates)/float64(s.Commits))
		}
		b.WriteString(row(t, commas(s.Updates), commas(s.Commits), per, commas(s.Retries), commas(s.LockWaits), commas(s.SerializationFailures)))
	}
	st := res.stats
	wr := st[w][rPG3].rate() / nonzero(st[w][rPG1].rate())
	rd := st["DescribeWorkspaces by id"][rPG1].rate() / nonzero(st["DescribeWorkspaces by id"][rSQLite].rate())
	s3 := res.store[w][rPG3]
	retries := float64(s3.Retries+s3.SerializationFailures) / nonzero(float64(s3.Updates))
	b.WriteString("\nTargets (issue 18):\n\n")
	b.WriteString(row("target", "measured", "verdict"))
	b.WriteString(row("---", "---", "---"))
	met := func(ok bool) string { return verdict(target{met: &ok}) }
	b.WriteString(row(fmt.Sprintf("3 replicas keep the write throughput of 1 (ratio ≥ 1.0 at %d clients)", cfg.Conc), fmt.Sprintf("%.2f×", wr), met(wr >= 1.0)))
	b.WriteString(row("retries under 1% of writes (3 replicas)", fmt.Sprintf("%.3f%%", 100*retries), met(retries < 0.01)))
	b.WriteString(row("by-id reads on PostgreSQL ≥ 50% of SQLite's", fmt.Sprintf("%.0f%%", 100*rd), met(rd >= 0.5)))
	b.WriteString("\n" + replicasEnd + "\n")
	return b.String()
}

func nonzero(f float64) float64 {
	if f == 0 {
		return 1e-9
	}
	return f
}

// withReplicas puts section (or, when empty, the one prev holds) into rep:
// in place of rep's own, else before the "## Notes" heading of the notes,
// else at the end.
func withReplicas(rep, prev, section string) string {
	if section == "" {
		i, j := strings.Index(prev, replicasBegin), strings.Index(prev, replicasEnd)
		if i < 0 || j < i {
			return rep
		}
		section = prev[i:j+len(replicasEnd)] + "\n"
	}
	if i, j := strings.Index(rep, replicasBegin), strings.Index(rep, replicasEnd); i >= 0 && j > i {
		end := j + len(replicasEnd)
		if end < len(rep) && rep[end] == '\n' {
			end++
		}
		return rep[:i] + section + rep[end:]
	}
	if i := strings.Index(rep, "## Notes\n\n"+notesBegin); i >= 0 {
		return rep[:i] + section + "\n" + rep[i:]
	}
	if i := strings.Index(rep, notesBegin); i >= 0 {
		return rep[:i] + section + "\n" + rep[i:]
	}
	return strings.TrimRight(rep, "\n") + "\n\n" + section
}
