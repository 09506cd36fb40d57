// Command bench is the benchmark harness of workspaces-local. In one run on
// one machine it starts workspaces-local (durable SQLite store), moto_server
// (when installed) and a bare net/http reference handler on loopback, loads
// the same data into each, and drives the same calls with its own
// keep-alive load generator, interleaving short slices over the targets so
// that machine drift cancels out of the ratios. It then measures the same
// reads at several sizes (bulk-loaded through workspaces.SeedWorkspaces),
// memory and start-up time, runs the Go micro-benchmarks, and regenerates
// docs/benchmarks.md.
//
//	go run ./bench                       # the full default run (~10 minutes)
//	go run ./bench -sizes 1000 -rounds 2 # a quick look
//
// It is not part of `go test ./...` (bench_test.go only runs a ~1 s smoke run).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// config is one harness run.
type config struct {
	N, Groups, Devices int
	Tenants            int // other accounts in the multi-tenant case (0: skip it)
	Conc               int
	Slice, Warmup      time.Duration
	Rounds             int
	Sizes              []int
	ScaleRounds        int
	StartupRuns        int
	Moto               string // moto_server command; "" skips moto
	WorkDir            string
	Out                string // report path; "" prints only
	SideBySide         bool
	Micro              bool
	Note               string
	Only               string        // run only the calls whose name contains this
	Idle               time.Duration // how long a server sits idle before its idle RSS is read
	CPUProfile         string        // profile the side-by-side workspaces-local into this file
	BeforeBin          string        // another workspaces-local binary to compare with (-before-bin)
	BeforeLabel        string
	Postgres           string   // -postgres: run only the replica comparison on this server
	Args               []string // as given, for the report
	Log                func(format string, args ...any)
}

func main() {
	if subprocess() {
		return
	}
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	rep, err := run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	fmt.Println(rep)
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	c := config{Args: args}
	fs.IntVar(&c.N, "n", 1000, "WorkSpaces in the side-by-side dataset")
	fs.IntVar(&c.Groups, "groups", 20, "IP groups in the side-by-side dataset")
	fs.IntVar(&c.Devices, "devices", 20, "Thin Client devices in the side-by-side dataset")
	fs.IntVar(&c.Tenants, "tenants", 1000, "other accounts of the region in the multi-tenant case (0: skip it)")
	fs.IntVar(&c.Conc, "c", 16, "concurrent keep-alive connections per target")
	fs.DurationVar(&c.Slice, "slice", time.Second, "length of one timed slice")
	fs.DurationVar(&c.Warmup, "warmup", 300*time.Millisecond, "untimed warm-up per call and target")
	fs.IntVar(&c.Rounds, "rounds", 5, "rounds of the side-by-side calls (one slice per call and target per round)")
	sizes := fs.String("sizes", "1000,100000,1000000", "WorkSpaces per account for the scale runs (empty: skip)")
	fs.IntVar(&c.ScaleRounds, "scale-rounds", 5, "rounds of the scale calls")
	fs.IntVar(&c.StartupRuns, "startup-runs", 3, "starts per size for the start-up time (median)")
	moto := fs.String("moto", "moto_server", "moto_server command (empty or 'off': skip moto)")
	fs.StringVar(&c.WorkDir, "workdir", filepath.Join(os.TempDir(), "wsl-bench"), "scratch directory; seeded scale data directories are kept and reused")
	fs.StringVar(&c.Out, "out", "docs/benchmarks.md", "report to regenerate (empty: print only)")
	fs.BoolVar(&c.SideBySide, "side", true, "run the side-by-side comparison")
	fs.BoolVar(&c.Micro, "micro", true, "run the Go micro-benchmarks (go test -bench) and include them")
	fs.StringVar(&c.Note, "note", "", "a line about the machine's conditions for the report (e.g. 'shared with other jobs')")
	fs.DurationVar(&c.Idle, "idle", 2*time.Second, "idle time before reading a server's idle RSS")
	fs.StringVar(&c.Only, "only", "", "run only the side-by-side calls whose name contains this text")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "run the side-by-side workspaces-local in-process with a CPU profile written to this file")
	fs.StringVar(&c.BeforeBin, "before-bin", "", "also run this workspaces-local binary (e.g. built from an earlier commit) as one more side-by-side target")
	fs.StringVar(&c.BeforeLabel, "before-label", "before", "what -before-bin is, for the report")
	fs.StringVar(&c.Postgres, "postgres", "", "postgres://... of a server where the role may CREATE DATABASE: run only the replica comparison (SQLite vs 1 and 3 replicas on PostgreSQL: CreateTags and by-id reads) and rewrite only its section of the report")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	for _, s := range strings.Split(*sizes, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(strings.ReplaceAll(s, "_", ""))
		if err != nil || n < 1 {
			return c, fmt.Errorf("-sizes: %q is not a positive count", s)
		}
		c.Sizes = append(c.Sizes, n)
	}
	sort.Ints(c.Sizes)
	if *moto != "off" {
		c.Moto = *moto
	}
	if c.Conc < 1 || c.Rounds < 1 || c.Slice <= 0 || c.N < 1 {
		return c, errors.New("-c, -rounds, -slice and -n must be positive")
	}
	return c, nil
}

// results is everything a run measured.
type results struct {
	cfg     config
	machine machine
	started time.Time
	took    time.Duration

	targets []string // side-by-side target names in column order
	side    map[string]map[string]*stat
	notes   map[string]string // per target: why skipped, dataset notes
	sideMem map[string]memPoint

	scale    map[int]map[string]*stat // size -> call -> stat
	scaleMem map[int]memPoint
	seedTime map[int]time.Duration
	startup  map[int][]time.Duration
	dirSize  map[int]int64

	micro []microResult

	tenants *tenantResults // nil: not run
}

// memPoint is RSS at the moments the harness samples.
type memPoint struct {
	Idle, AfterLoad memory
}

const (
	tLocal  = "workspaces-local"
	tMoto   = "moto"
	tBare   = "bare Go handler"
	tBefore = "workspaces-local before"
)

func run(ctx context.Context, cfg config) (string, error) {
	if cfg.Log == nil {
		cfg.Log = func(format string, args ...any) { fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...) }
	}
	res := &results{cfg: cfg, started: time.Now(), side: map[string]map[string]*stat{}, notes: map[string]string{}, sideMem: map[string]memPoint{},
		scale: map[int]map[string]*stat{}, scaleMem: map[int]memPoint{}, seedTime: map[int]time.Duration{}, startup: map[int][]time.Duration{}, dirSize: map[int]int64{}}
	res.machine = describeMachine()
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(cfg.WorkDir, 0o755); err != nil {
		return "", err
	}
	cfg.Log("building workspaces-local")
	bin, err := buildServer(root, cfg.WorkDir)
	if err != nil {
		return "", err
	}
	if cfg.Postgres != "" {
		return runReplicaReport(ctx, cfg, root, bin)
	}
	if cfg.SideBySide {
		if err := runSide(ctx, cfg, bin, res); err != nil {
			return "", fmt.Errorf("side by side: %w", err)
		}
	}
	if cfg.Tenants > 0 {
		if err := runTenants(cfg, bin, res); err != nil {
			return "", fmt.Errorf("multi-tenant: %w", err)
		}
	}
	if len(cfg.Sizes) > 0 {
		if err := runScale(ctx, cfg, bin, res); err != nil {
			return "", fmt.Errorf("scale: %w", err)
		}
	}
	if cfg.Micro {
		cfg.Log("micro-benchmarks (go test -bench)")
		m, err := runMicro(root)
		if err != nil {
			return "", fmt.Errorf("micro-benchmarks: %w", err)
		}
		res.micro = m
	}
	res.took = time.Since(res.started)
	rep := report(res)
	if cfg.Out != "" {
		out := cfg.Out
		if !filepath.IsAbs(out) {
			out = filepath.Join(root, out)
		}
		prev, _ := os.ReadFile(out)
		if err := writeFile(out, []byte(withReplicas(withNotes(rep, string(prev)), string(prev), ""))); err != nil {
			return "", err
		}
		cfg.Log("wrote %s", out)
	}
	return rep, nil
}

// runReplicaReport runs the replica comparison and rewrites its section of
// cfg.Out, leaving the rest of the file as it is.
func runReplicaReport(ctx context.Context, cfg config, root, bin string) (string, error) {
	res, err := runReplicas(ctx, cfg, bin)
	if err != nil {
		return "", fmt.Errorf("replicas: %w", err)
	}
	section := replicaReport(res, describeMachine())
	if cfg.Out != "" {
		out := cfg.Out
		if !filepath.IsAbs(out) {
			out = filepath.Join(root, out)
		}
		prev, _ := os.ReadFile(out)
		if err := writeFile(out, []byte(withReplicas(string(prev), string(prev), section))); err != nil {
			return "", err
		}
		cfg.Log("wrote %s", out)
	}
	return section, nil
}

func writeFile(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// sg is the credential every request carries: a 12-digit access key id is
// the account in workspaces-local; moto maps any key to its default account.
var sg = signer{AccessKey: "111111111111", Secret: "x", Region: "us-east-1"}

// side-by-side targets while they run.
type sideTarget struct {
	name string
	p    *proc
	ep   endpoint
	data *dataset
	pool *pool
}

func runSide(ctx context.Context, cfg config, bin string, res *results) error {
	dir := filepath.Join(cfg.WorkDir, "side")
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var targets []*sideTarget
	defer func() {
		for _, t := range targets {
			if t.pool != nil {
				t.pool.close()
			}
			t.p.stop()
		}
	}()

	// workspaces-local on a durable data directory (in the harness process
	// with -cpuprofile), and the -before-bin build beside it.
	self, err := os.Executable()
	if err != nil {
		return err
	}
	local, err := startLoaded(cfg, tLocal, dir, "data", func(addr, data string) (*proc, error) {
		if cfg.CPUProfile == "" {
			return start(tLocal, filepath.Join(dir, "local.log"), nil, bin, serveArgs(cfg, addr, data)...)
		}
		prof, _ := filepath.Abs(cfg.CPUProfile)
		return start(tLocal, filepath.Join(dir, "local.log"), []string{envProfAddr + "=" + addr, envProfData + "=" + data,
			envProfOut + "=" + prof, envProfQuota + "=" + fmt.Sprint(cfg.N+1000)}, self)
	})
	if local != nil {
		targets = append(targets, local)
	}
	if err != nil {
		return err
	}
	if cfg.BeforeBin != "" {
		bt, err := startLoaded(cfg, tBefore, dir, "before-data", func(addr, data string) (*proc, error) {
			return start(tBefore, filepath.Join(dir, "before.log"), nil, cfg.BeforeBin, serveArgs(cfg, addr, data)...)
		})
		if bt != nil {
			targets = append(targets, bt)
		}
		if err != nil {
			return err
		}
	}

	// The bare handler serves what workspaces-local answers.
	bd, err := fetchBare(local.ep, local.data)
	if err != nil {
		return fmt.Errorf("read back for the bare handler: %w", err)
	}
	raw, _ := json.Marshal(bd)
	dataPath := filepath.Join(dir, "bare.json")
	if err := writeFile(dataPath, raw); err != nil {
		return err
	}
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	p, err := start(tBare, filepath.Join(dir, "bare.log"), []string{"WSL_BENCH_BARE_ADDR=" + addr, "WSL_BENCH_BARE_DATA=" + dataPath}, self)
	if err != nil {
		return err
	}
	p.addr = addr
	bareT := &sideTarget{name: tBare, p: p, ep: endpoint{addr: addr, sg: sg}, data: local.data}
	targets = append(targets, bareT)
	if _, err := p.waitServing(probe(bareT.ep), 200, 20*time.Second); err != nil {
		return err
	}

	// moto, when installed.
	res.targets = []string{tLocal, tMoto, tBare}
	if cfg.BeforeBin != "" {
		res.targets = []string{tLocal, tBefore, tMoto, tBare}
	}
	if cfg.Moto == "" {
		res.notes[tMoto] = "skipped (-moto off)"
	} else if motoBin, err := lookPath(cfg.Moto); err != nil {
		res.notes[tMoto] = "skipped: " + cfg.Moto + " not found"
		cfg.Log("moto skipped: %s not found", cfg.Moto)
	} else {
		if addr, err = freeAddr(); err != nil {
			return err
		}
		host, port, _ := strings.Cut(addr, ":")
		p, err = start(tMoto, filepath.Join(dir, "moto.log"), nil, motoBin, "-H", host, "-p", port)
		if err != nil {
			return err
		}
		p.addr = addr
		mt := &sideTarget{name: tMoto, p: p, ep: endpoint{addr: addr, sg: sg}}
		targets = append(targets, mt)
		if _, err := p.waitServing(probe(mt.ep), 200, 60*time.Second); err != nil {
			return err
		}
		cfg.Log("loading %d WorkSpaces into moto (boto3)", cfg.N)
		if mt.data, err = loadMoto(mt.ep, cfg.N, dir); err != nil {
			res.notes[tMoto] = "skipped: " + firstLine(err.Error())
			cfg.Log("moto skipped: %v", err)
			mt.p.stop()
			targets = targets[:len(targets)-1]
		}
	}

	byName := map[string]*sideTarget{}
	for _, t := range targets {
		byName[t.name] = t
		if t.pool, err = newPool(t.ep.addr, cfg.Conc, strings.Fields(t.name)[0]); err != nil {
			return err
		}
	}
	time.Sleep(cfg.Idle) // idle after loading the dataset
	if m, err := local.p.memory(); err == nil {
		mp := res.sideMem[tLocal]
		mp.Idle = m
		res.sideMem[tLocal] = mp
	}
	drivers := map[string]map[string]driver{}
	for _, sc := range scenarios {
		drivers[sc.name] = map[string]driver{}
		res.side[sc.name] = map[string]*stat{}
		for _, name := range res.targets {
			st := &stat{}
			res.side[sc.name][name] = st
			t := byName[name]
			switch {
			case t == nil:
				st.na = res.notes[name]
				continue
			case !strings.Contains(sc.name, cfg.Only):
				st.na = "not run (-only)"
				continue
			}
			if d := sc.build(t.ep, t.data, name); d != nil {
				drivers[sc.name][name] = d
			} else {
				st.na = "not emulated"
			}
		}
	}
	cfg.Log("warm-up")
	for _, sc := range scenarios {
		for _, t := range targets {
			if d := drivers[sc.name][t.name]; d != nil {
				if r := t.pool.run(d, cfg.Warmup, false); r.err != nil && r.ops == 0 {
					if t.name != tMoto {
						return fmt.Errorf("%s on %s: %w", sc.name, t.name, r.err)
					}
					// moto is only the reference: a call it fails is left out.
					cfg.Log("%s on moto: %v (left out)", sc.name, firstLine(r.err.Error()))
					res.side[sc.name][t.name].na = "moto fails it"
					delete(drivers[sc.name], t.name)
				}
			}
		}
	}
	for round := range cfg.Rounds {
		cfg.Log("side-by-side round %d/%d", round+1, cfg.Rounds)
		for _, sc := range scenarios {
			for i := range targets {
				t := targets[(i+round)%len(targets)]
				d := drivers[sc.name][t.name]
				if d == nil {
					continue
				}
				res.side[sc.name][t.name].add(t.pool.run(d, cfg.Slice, true))
			}
		}
	}
	if m, err := local.p.memory(); err == nil {
		mp := res.sideMem[tLocal]
		mp.AfterLoad = m
		res.sideMem[tLocal] = mp
	}
	return nil
}

// serveArgs are the arguments of `workspaces-local serve` for a side-by-side target.
func serveArgs(cfg config, addr, dataDir string) []string {
	return []string{"serve", "--addr", addr, "--data-dir", dataDir, "--delays", "zero", "--workspaces-quota", fmt.Sprint(cfg.N + 1000), "--log-level", "warn"}
}

// startLoaded starts a workspaces-local target with launch on a free address
// and a data directory under dir, waits until it serves and loads the
// side-by-side dataset into it. The target is returned (to be stopped) as
// soon as its process runs, even when a later step fails.
func startLoaded(cfg config, name, dir, data string, launch func(addr, dataDir string) (*proc, error)) (*sideTarget, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p, err := launch(addr, filepath.Join(dir, data))
	if err != nil {
		return nil, err
	}
	p.addr = addr
	t := &sideTarget{name: name, p: p, ep: endpoint{addr: addr, sg: sg}}
	if _, err := p.waitServing(probe(t.ep), 200, 20*time.Second); err != nil {
		return t, err
	}
	cfg.Log("loading %d WorkSpaces, %d IP groups, %d devices into %s", cfg.N, cfg.Groups, cfg.Devices, name)
	if t.data, err = loadLocal(t.ep, cfg.N, cfg.Groups, cfg.Devices); err != nil {
		return t, fmt.Errorf("load %s: %w", name, err)
	}
	return t, nil
}

// probe is a request every target answers with 200 once it serves.
func probe(ep endpoint) []byte {
	return wsRequest(ep, "DescribeWorkspaces", []byte(`{}`)).append(nil, []byte(`{}`))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
