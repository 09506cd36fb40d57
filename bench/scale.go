package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// seedFormat changes when what SeedWorkspaces writes changes, so that kept
// scale data directories are rebuilt.
const seedFormat = 2 // 2: the WorkSpaces indexes and index markers

type seedMarker struct {
	Format  int           `json:"format"`
	Count   int           `json:"count"`
	Took    time.Duration `json:"took"`
	Account string        `json:"account"`
}

var scaleCalls = []scenario{scenarios[0], scenarios[1]}

// scaleDir returns the data directory holding n seeded WorkSpaces and their
// ids, seeding it unless a previous run left one.
func scaleDir(ctx context.Context, cfg config, n int) (string, []string, time.Duration, error) {
	dir := filepath.Join(cfg.WorkDir, fmt.Sprintf("scale-%d", n))
	markerPath, idsPath := filepath.Join(dir, "seeded.json"), filepath.Join(dir, "ids.txt")
	var m seedMarker
	if b, err := os.ReadFile(markerPath); err == nil && json.Unmarshal(b, &m) == nil && m.Format == seedFormat && m.Count == n && m.Account == sg.AccessKey {
		if b, err := os.ReadFile(idsPath); err == nil {
			ids := strings.Fields(string(b))
			if len(ids) == n {
				cfg.Log("reusing %s (%d WorkSpaces, seeded in %v)", dir, n, m.Took.Round(time.Second))
				return dir, ids, m.Took, nil
			}
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", nil, 0, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, 0, err
	}
	cfg.Log("seeding %d WorkSpaces into %s", n, dir)
	t0 := time.Now()
	last := t0
	ids, err := seedScale(ctx, filepath.Join(dir, "data"), sg, n, func(done int) {
		if time.Since(last) > 10*time.Second {
			cfg.Log("  %d/%d", done, n)
			last = time.Now()
		}
	})
	if err != nil {
		return "", nil, 0, err
	}
	took := time.Since(t0)
	if err := writeFile(idsPath, []byte(strings.Join(ids, "\n"))); err != nil {
		return "", nil, 0, err
	}
	b, _ := json.Marshal(seedMarker{Format: seedFormat, Count: n, Took: took, Account: sg.AccessKey})
	if err := writeFile(markerPath, b); err != nil {
		return "", nil, 0, err
	}
	cfg.Log("seeded %d WorkSpaces in %v", n, took.Round(time.Second))
	return dir, ids, took, nil
}

type scaleTarget struct {
	n    int
	p    *proc
	ep   endpoint
	data *dataset
	pool *pool
}

func runScale(ctx context.Context, cfg config, bin string, res *results) error {
	var targets []*scaleTarget
	defer func() {
		for _, t := range targets {
			if t.pool != nil {
				t.pool.close()
			}
			t.p.stop()
		}
	}()
	for _, n := range cfg.Sizes {
		dir, ids, took, err := scaleDir(ctx, cfg, n)
		if err != nil {
			return err
		}
		res.seedTime[n] = took
		res.dirSize[n] = dirBytes(filepath.Join(dir, "data"))
		d := &dataset{Account: sg.AccessKey, Region: sg.Region, DirectoryID: benchDirectory, Workspaces: ids}
		t := &scaleTarget{n: n, data: d}
		for run := range max(1, cfg.StartupRuns) {
			addr, err := freeAddr()
			if err != nil {
				return err
			}
			t.ep = endpoint{addr: addr, sg: sg}
			p, err := start(fmt.Sprintf("%s (%d)", tLocal, n), filepath.Join(dir, "server.log"), nil, bin, "serve", "--addr", addr,
				"--data-dir", filepath.Join(dir, "data"), "--workspaces-quota", fmt.Sprint(n+1000), "--log-level", "warn")
			if err != nil {
				return err
			}
			p.addr = addr
			req := wsRequest(t.ep, "DescribeWorkspaces", nil).append(nil, []byte(`{"WorkspaceIds":["`+ids[run%len(ids)]+`"]}`))
			up, err := p.waitServing(req, 200, 60*time.Second)
			if err != nil {
				p.stop()
				return err
			}
			res.startup[n] = append(res.startup[n], up)
			if run < max(1, cfg.StartupRuns)-1 {
				p.stop()
				continue
			}
			t.p = p
		}
		targets = append(targets, t)
		cfg.Log("N=%d: start to first served request %v", n, res.startup[n])
	}
	time.Sleep(cfg.Idle)
	for _, t := range targets {
		m, err := t.p.memory()
		if err != nil {
			return err
		}
		res.scaleMem[t.n] = memPoint{Idle: m}
		if t.pool, err = newPool(t.ep.addr, cfg.Conc, "scale"); err != nil {
			return err
		}
	}
	drivers := map[string]map[int]driver{}
	for _, sc := range scaleCalls {
		drivers[sc.name] = map[int]driver{}
		for _, t := range targets {
			drivers[sc.name][t.n] = sc.build(t.ep, t.data, tLocal)
			if r := t.pool.run(drivers[sc.name][t.n], cfg.Warmup, false); r.err != nil && r.ops == 0 {
				return fmt.Errorf("%s at N=%d: %w", sc.name, t.n, r.err)
			}
		}
	}
	for _, t := range targets {
		res.scale[t.n] = map[string]*stat{}
		for _, sc := range scaleCalls {
			res.scale[t.n][sc.name] = &stat{}
		}
	}
	for round := range max(1, cfg.ScaleRounds) {
		cfg.Log("scale round %d/%d", round+1, cfg.ScaleRounds)
		for _, sc := range scaleCalls {
			for i := range targets {
				t := targets[(i+round)%len(targets)]
				res.scale[t.n][sc.name].add(t.pool.run(drivers[sc.name][t.n], cfg.Slice, true))
			}
		}
	}
	for _, t := range targets {
		m, err := t.p.memory()
		if err != nil {
			return err
		}
		mp := res.scaleMem[t.n]
		mp.AfterLoad = m
		res.scaleMem[t.n] = mp
	}
	return nil
}

func dirBytes(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func lookPath(cmd string) (string, error) {
	return exec.LookPath(cmd)
}
