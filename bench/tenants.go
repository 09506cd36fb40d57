package main

// The multi-tenant case: one account's calls on a server that holds that
// account alone ("lone") and on one where -tenants other accounts of the
// same region hold images, connection aliases, account links and
// WorkSpaces as well ("crowded"). A call that reads only what it answers
// runs as fast on both: the target is crowded/lone p50 ≤ 1.2.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
)

// tenantCalls are the calls of the caller's account in the multi-tenant case.
var tenantCalls = []scenario{
	{name: "DescribeWorkspaceImages (owned)", build: fixedCall("DescribeWorkspaceImages", `{}`, func(d *dataset) string { return first(d.Images) })},
	{name: "DescribeWorkspaceImages by id", build: idDriver("DescribeWorkspaceImages by id")},
	{name: "DescribeConnectionAliases", build: fixedCall("DescribeConnectionAliases", `{}`, func(d *dataset) string { return first(d.Aliases) })},
	{name: "DescribeConnectionAliases by id", build: idDriver("DescribeConnectionAliases by id")},
	{name: "ListAccountLinks", build: fixedCall("ListAccountLinks", `{}`, func(d *dataset) string { return first(d.Links) })},
	{name: "GetAccountLink by id", build: idDriver("GetAccountLink by id")},
	{name: "DescribeAccount", build: fixedCall("DescribeAccount", `{}`, func(*dataset) string { return "ENABLED" })},
	{name: "DescribeWorkspaces by id", build: describeByID},
	{name: "DescribeWorkspaces one page by directory", build: describeByDirectory},
}

// fixedCall sends one fixed request; the answer must contain what want picks.
func fixedCall(op, body string, want func(*dataset) string) func(endpoint, *dataset, string) driver {
	return func(ep endpoint, d *dataset, _ string) driver {
		b, w := []byte(body), []byte(want(d))
		r := wsRequest(ep, op, b)
		return func(wk *worker) error {
			resp, err := wk.call(r, b, 200)
			if err == nil && !bytes.Contains(resp, w) {
				err = fmt.Errorf("%s answered without %s: %.200s", op, w, resp)
			}
			return err
		}
	}
}

// tenantTarget is one server of the multi-tenant case.
type tenantTarget struct {
	name string // "<build> lone" or "<build> crowded"
	p    *proc
	ep   endpoint
	data *dataset
	pool *pool
}

// tenantResults is what the multi-tenant case measured.
type tenantResults struct {
	builds  []string                    // tLocal, and tBefore with -before-bin
	stats   map[string]map[string]*stat // call -> target name -> stat
	loading map[string]time.Duration    // target -> time to load the crowd
}

func runTenants(cfg config, bin string, res *results) error {
	dir := filepath.Join(cfg.WorkDir, "tenants")
	if err := resetDir(dir); err != nil {
		return err
	}
	builds := map[string]string{tLocal: bin}
	tr := &tenantResults{builds: []string{tLocal}, stats: map[string]map[string]*stat{}, loading: map[string]time.Duration{}}
	if cfg.BeforeBin != "" {
		builds[tBefore] = cfg.BeforeBin
		tr.builds = append(tr.builds, tBefore)
	}
	res.tenants = tr
	var targets []*tenantTarget
	defer func() {
		for _, t := range targets {
			if t.pool != nil {
				t.pool.close()
			}
			t.p.stop()
		}
	}()
	for _, b := range tr.builds {
		for _, crowded := range []bool{false, true} {
			name := b + " lone"
			if crowded {
				name = b + " crowded"
			}
			addr, err := freeAddr()
			if err != nil {
				return err
			}
			data := filepath.Join(dir, fmt.Sprintf("data-%d", len(targets)))
			p, err := start(name, filepath.Join(dir, fmt.Sprintf("server-%d.log", len(targets))), nil, builds[b], serveArgs(cfg, addr, data)...)
			if err != nil {
				return err
			}
			p.addr = addr
			t := &tenantTarget{name: name, p: p, ep: endpoint{addr: addr, sg: sg}}
			targets = append(targets, t)
			if _, err := p.waitServing(probe(t.ep), 200, 20*time.Second); err != nil {
				return err
			}
			if crowded {
				cfg.Log("loading %d other accounts into %s", cfg.Tenants, name)
				t0 := time.Now()
				if err := loadCrowd(t.ep, cfg.Tenants); err != nil {
					return fmt.Errorf("crowd %s: %w", name, err)
				}
				tr.loading[name] = time.Since(t0)
			}
			if t.data, err = loadTenant(t.ep); err != nil {
				return fmt.Errorf("tenant %s: %w", name, err)
			}
			if t.pool, err = newPool(addr, cfg.Conc, "tenant"); err != nil {
				return err
			}
		}
	}
	drivers := map[string]map[string]driver{}
	for _, sc := range tenantCalls {
		drivers[sc.name] = map[string]driver{}
		tr.stats[sc.name] = map[string]*stat{}
		for _, t := range targets {
			tr.stats[sc.name][t.name] = &stat{}
			d := sc.build(t.ep, t.data, tLocal)
			if r := t.pool.run(d, cfg.Warmup, false); r.err != nil && r.ops == 0 {
				return fmt.Errorf("%s on %s: %w", sc.name, t.name, r.err)
			}
			drivers[sc.name][t.name] = d
		}
	}
	for round := range cfg.Rounds {
		cfg.Log("multi-tenant round %d/%d", round+1, cfg.Rounds)
		for _, sc := range tenantCalls {
			for i := range targets {
				t := targets[(i+round)%len(targets)]
				tr.stats[sc.name][t.name].add(t.pool.run(drivers[sc.name][t.name], cfg.Slice, true))
			}
		}
	}
	return nil
}

// loadTenant loads the caller's account: a directory with 25 WorkSpaces,
// BYOL, an image, an alias and an account link (loadByID).
func loadTenant(ep endpoint) (*dataset, error) {
	a, err := newAPIClient(ep)
	if err != nil {
		return nil, err
	}
	defer a.close()
	d := &dataset{Account: ep.sg.AccessKey, Region: ep.sg.Region, DirectoryID: benchDirectory}
	ids, err := loadWorkspaces(a, benchDirectory, "bench", 25)
	if err != nil {
		return nil, err
	}
	d.Workspaces = ids
	return d, loadByID(a, d)
}

// loadWorkspaces registers dir and creates n WorkSpaces in it.
func loadWorkspaces(a *apiClient, dir, user string, n int) ([]string, error) {
	if err := a.ws("RegisterWorkspaceDirectory", map[string]any{"DirectoryId": dir}, nil); err != nil {
		return nil, err
	}
	var ids []string
	for start := 0; start < n; start += 25 {
		var reqs []map[string]string
		for i := start; i < min(n, start+25); i++ {
			reqs = append(reqs, map[string]string{"DirectoryId": dir, "UserName": fmt.Sprintf("%s%06d", user, i), "BundleId": benchBundle})
		}
		var out ws.CreateWorkspacesOutput
		if err := a.ws("CreateWorkspaces", map[string]any{"Workspaces": reqs}, &out); err != nil {
			return nil, err
		}
		if len(out.FailedRequests) > 0 {
			return nil, fmt.Errorf("CreateWorkspaces: %s", deref(out.FailedRequests[0].ErrorMessage))
		}
		for _, w := range out.PendingRequests {
			ids = append(ids, *w.WorkspaceId)
		}
	}
	return ids, nil
}

// loadCrowd loads n other accounts of the region, each with BYOL, two
// images, two connection aliases, two WorkSpaces and, for every second
// account, an account link invitation from the one before; four loaders
// in parallel.
func loadCrowd(ep endpoint, n int) error {
	const loaders = 4
	var wg sync.WaitGroup
	errs := make([]error, loaders)
	for l := range loaders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := l * 2; i < n && errs[l] == nil; i += loaders * 2 {
				for j := i; j < min(n, i+2); j++ {
					errs[l] = loadCrowdAccount(ep, j)
					if errs[l] != nil {
						break
					}
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func crowdAccount(i int) string { return fmt.Sprintf("5%011d", i) }

func loadCrowdAccount(ep endpoint, i int) error {
	cep := ep
	cep.sg.AccessKey = crowdAccount(i)
	a, err := newAPIClient(cep)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.ws("ModifyAccount", map[string]string{"DedicatedTenancySupport": "ENABLED", "DedicatedTenancyManagementCidrRange": "10.200.0.0/16"}, nil); err != nil {
		return err
	}
	for k := range 2 {
		if err := a.ws("ImportWorkspaceImage", map[string]string{"Ec2ImageId": fmt.Sprintf("ami-%017x", i*2+k), "IngestionProcess": "BYOL_REGULAR",
			"ImageName": fmt.Sprintf("crowd-%d", k), "ImageDescription": "crowd image"}, nil); err != nil {
			return err
		}
		if err := a.ws("CreateConnectionAlias", map[string]string{"ConnectionString": fmt.Sprintf("c%d-%d.example.com", i, k)}, nil); err != nil {
			return err
		}
	}
	if _, err := loadWorkspaces(a, fmt.Sprintf("d-%010d", 5000000000+i), "crowd", 2); err != nil {
		return err
	}
	if i%2 == 1 {
		src := ep
		src.sg.AccessKey = crowdAccount(i - 1)
		b, err := newAPIClient(src)
		if err != nil {
			return err
		}
		defer b.close()
		return b.ws("CreateAccountLinkInvitation", map[string]string{"TargetAccountId": crowdAccount(i)}, nil)
	}
	return nil
}

// idDriver is the driver of the idCall called name.
func idDriver(name string) func(endpoint, *dataset, string) driver {
	return func(ep endpoint, d *dataset, target string) driver {
		for _, ic := range idCalls {
			if ic.name == name {
				return ic.driver(ep, d, target)
			}
		}
		return nil
	}
}

func resetDir(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.MkdirAll(dir, 0o755)
}

// tenantReport renders the multi-tenant section and its targets.
func tenantReport(cfg config, tr *tenantResults) (string, []target) {
	var b strings.Builder
	b.WriteString("## Multi-tenant: one account among many\n\n")
	fmt.Fprintf(&b, "Each build runs two servers (durable SQLite store, `--delays zero`): *lone* holds one account (a directory with 25 WorkSpaces, BYOL enabled, "+
		"an imported image, a connection alias, an account link invitation); *crowded* holds the same account after %s other accounts of the same region "+
		"were loaded, each with BYOL, two images, two connection aliases, a directory with two WorkSpaces, and an account link for every second account. "+
		"Only the first account calls; %d rounds × %v per call and server, interleaved. crowded ÷ lone is the ratio of the p50 latencies.\n\n",
		commas(int64(cfg.Tenants)), cfg.Rounds, cfg.Slice)
	head, sep := []string{"call"}, []string{"---"}
	for _, bl := range tr.builds {
		for _, kind := range []string{"lone", "crowded"} {
			head = append(head, bl+" "+kind+" req/s", "p50")
			sep = append(sep, "---:", "---:")
		}
		head = append(head, bl+" crowded ÷ lone (p50)")
		sep = append(sep, "---:")
	}
	b.WriteString(row(head...))
	b.WriteString(row(sep...))
	var targets []target
	for _, sc := range tenantCalls {
		cols := []string{sc.name}
		for _, bl := range tr.builds {
			lone, crowded := tr.stats[sc.name][bl+" lone"], tr.stats[sc.name][bl+" crowded"]
			cols = append(cols, cells(lone)[:2]...)
			cols = append(cols, cells(crowded)[:2]...)
			r, ok := p50Ratio(crowded, lone)
			cols = append(cols, r)
			if bl == tLocal {
				t := target{what: "multi-tenant " + sc.name + ": crowded ÷ lone p50 ≤ 1.2"}
				if ok {
					v := float64(crowded.hist.quantile(0.5)) / float64(lone.hist.quantile(0.5))
					met := v <= 1.2
					t.measured, t.met = fmt.Sprintf("%s (%s vs %s)", r, fmtLat(crowded.hist.quantile(0.5)), fmtLat(lone.hist.quantile(0.5))), &met
				}
				targets = append(targets, t)
			}
		}
		b.WriteString(row(cols...))
	}
	b.WriteString("\n")
	for _, bl := range tr.builds {
		if d, ok := tr.loading[bl+" crowded"]; ok {
			fmt.Fprintf(&b, "- %s crowded: loading the other accounts took %v.\n", bl, d.Round(100*time.Millisecond))
		}
	}
	if cfg.BeforeBin != "" {
		fmt.Fprintf(&b, "- %s: %s.\n", tBefore, cfg.BeforeLabel)
	}
	b.WriteString("\n")
	return b.String(), targets
}

func p50Ratio(a, b *stat) (string, bool) {
	if a == nil || b == nil || a.ops == 0 || b.ops == 0 || b.hist.quantile(0.5) == 0 {
		return "n/a", false
	}
	return fmt.Sprintf("%.2f×", float64(a.hist.quantile(0.5))/float64(b.hist.quantile(0.5))), true
}
