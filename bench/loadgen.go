package main

import (
	"bytes"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// dataset is what a target holds, as the harness loaded it.
type dataset struct {
	Account     string   `json:"account"`
	Region      string   `json:"region"`
	DirectoryID string   `json:"directoryId"`
	Workspaces  []string `json:"workspaces"`
	IPGroups    []string `json:"ipGroups"`
	Environment string   `json:"environment"`
	Devices     []string `json:"devices"`
	Images      []string `json:"images"`
	Aliases     []string `json:"aliases"`
	Links       []string `json:"links"`
}

// endpoint is where and how to reach a target.
type endpoint struct {
	addr string // host:port
	sg   signer
}

// worker is one closed-loop client with its own keep-alive connection.
type worker struct {
	id, conc int
	i        int // operations done by this worker so far
	k        *conn
	buf      []byte // the request being sent
	body     []byte // scratch for building a request body
	hist     hist
	errs     int
	firstErr error
	tag      string // distinguishes names across slices and targets
}

// call sends one request and checks its status.
func (w *worker) call(r request, body []byte, want int) ([]byte, error) {
	w.buf = r.append(w.buf[:0], body)
	status, resp, err := w.k.do(w.buf)
	if err != nil {
		return nil, err
	}
	if status != want {
		return nil, fmt.Errorf("HTTP %d (want %d): %.300s", status, want, resp)
	}
	return resp, nil
}

// driver performs one logical operation (one or more requests).
type driver func(w *worker) error

// scenario is one benchmarked operation.
type scenario struct {
	name string
	// note qualifies the numbers (for example "moto returns all N").
	note string
	// single marks a single-item read (the ≥ 60 % of bare target).
	single bool
	// write marks a durable write (the ≥ 5,000 req/s target).
	write bool
	// drivers per target name; a missing one is n/a.
	build func(ep endpoint, d *dataset, target string) driver
}

var scenarios = append([]scenario{
	{name: "DescribeWorkspaces by id", single: true, build: describeByID},
	{name: "DescribeWorkspaces one page by directory", build: describeByDirectory},
	{name: "DescribeIpGroups", build: describeIPGroups},
	{name: "CreateTags (durable write)", write: true, build: createTags},
	{name: "CreateIpGroup + DeleteIpGroup (pair)", build: ipGroupPair},
	{name: "Thin Client GetEnvironment", single: true, build: getEnvironment},
	{name: "Thin Client ListDevices", build: listDevices},
}, idScenarios()...)

const wsTarget = "WorkspacesService."

func wsRequest(ep endpoint, op string, first []byte) request {
	return newRequest(ep.sg, "workspaces", ep.addr, "POST", "/", wsTarget+op, first)
}

// pick spreads worker w's i-th operation over n items, not in creation order.
func pick(w *worker, n int) int {
	return int((uint64(w.id)*1_000_003 + uint64(w.i)*7919) % uint64(n))
}

func describeByID(ep endpoint, d *dataset, _ string) driver {
	if len(d.Workspaces) == 0 {
		return nil
	}
	r := wsRequest(ep, "DescribeWorkspaces", []byte(`{"WorkspaceIds":["`+d.Workspaces[0]+`"]}`))
	return func(w *worker) error {
		id := d.Workspaces[pick(w, len(d.Workspaces))]
		w.body = append(append(append(w.body[:0], `{"WorkspaceIds":["`...), id...), `"]}`...)
		resp, err := w.call(r, w.body, 200)
		if err == nil && !bytes.Contains(resp, []byte(id)) {
			err = fmt.Errorf("DescribeWorkspaces(%s) answered without it: %.200s", id, resp)
		}
		return err
	}
}

func describeByDirectory(ep endpoint, d *dataset, _ string) driver {
	if d.DirectoryID == "" {
		return nil
	}
	body := []byte(`{"DirectoryId":"` + d.DirectoryID + `","Limit":25}`)
	r := wsRequest(ep, "DescribeWorkspaces", body)
	return func(w *worker) error {
		resp, err := w.call(r, body, 200)
		if err == nil && !bytes.Contains(resp, []byte(`"WorkspaceId"`)) {
			err = fmt.Errorf("DescribeWorkspaces(DirectoryId) answered no WorkSpace: %.200s", resp)
		}
		return err
	}
}

func describeIPGroups(ep endpoint, d *dataset, _ string) driver {
	if len(d.IPGroups) == 0 {
		return nil
	}
	body := []byte(`{}`)
	r := wsRequest(ep, "DescribeIpGroups", body)
	return func(w *worker) error {
		resp, err := w.call(r, body, 200)
		if err == nil && !bytes.Contains(resp, []byte(d.IPGroups[0])) {
			err = fmt.Errorf("DescribeIpGroups answered without %s: %.200s", d.IPGroups[0], resp)
		}
		return err
	}
}

func createTags(ep endpoint, d *dataset, _ string) driver {
	if len(d.Workspaces) == 0 {
		return nil
	}
	r := wsRequest(ep, "CreateTags", []byte(`{"ResourceId":"`+d.Workspaces[0]+`","Tags":[{"Key":"bench","Value":"0"}]}`))
	return func(w *worker) error {
		id := d.Workspaces[pick(w, len(d.Workspaces))]
		w.body = append(w.body[:0], `{"ResourceId":"`...)
		w.body = append(w.body, id...)
		w.body = append(w.body, `","Tags":[{"Key":"bench-`...)
		w.body = strconv.AppendInt(w.body, int64(w.id), 10)
		w.body = append(w.body, `","Value":"`...)
		w.body = strconv.AppendInt(w.body, int64(w.i), 10)
		w.body = append(w.body, `"}]}`...)
		_, err := w.call(r, w.body, 200)
		return err
	}
}

func ipGroupPair(ep endpoint, d *dataset, target string) driver {
	if len(d.IPGroups) == 0 {
		return nil
	}
	create := wsRequest(ep, "CreateIpGroup", []byte(`{"GroupName":"bench","GroupDesc":"bench","UserRules":[{"ipRule":"10.1.0.0/16","ruleDesc":"office"}]}`))
	del := wsRequest(ep, "DeleteIpGroup", []byte(`{"GroupId":"wsipg-000000000"}`))
	return func(w *worker) error {
		w.body = append(w.body[:0], `{"GroupName":"bench-`...)
		w.body = append(w.body, w.tag...)
		w.body = append(w.body, '-')
		w.body = strconv.AppendInt(w.body, int64(w.id), 10)
		w.body = append(w.body, '-')
		w.body = strconv.AppendInt(w.body, int64(w.i), 10)
		w.body = append(w.body, `","GroupDesc":"bench","UserRules":[{"ipRule":"10.1.0.0/16","ruleDesc":"office"}]}`...)
		resp, err := w.call(create, w.body, 200)
		if err != nil {
			return err
		}
		id := jsonString(resp, "GroupId")
		if id == "" {
			return fmt.Errorf("CreateIpGroup answered no GroupId: %.200s", resp)
		}
		w.body = append(append(append(w.body[:0], `{"GroupId":"`...), id...), `"}`...)
		_, err = w.call(del, w.body, 200)
		return err
	}
}

func getEnvironment(ep endpoint, d *dataset, _ string) driver {
	if d.Environment == "" {
		return nil
	}
	r := newRequest(ep.sg, "thinclient", ep.addr, "GET", "/environments/"+d.Environment, "", nil)
	return func(w *worker) error {
		resp, err := w.call(r, nil, 200)
		if err == nil && !bytes.Contains(resp, []byte(d.Environment)) {
			err = fmt.Errorf("GetEnvironment answered without the id: %.200s", resp)
		}
		return err
	}
}

func listDevices(ep endpoint, d *dataset, _ string) driver {
	if len(d.Devices) == 0 {
		return nil
	}
	r := newRequest(ep.sg, "thinclient", ep.addr, "GET", "/devices", "", nil)
	return func(w *worker) error {
		resp, err := w.call(r, nil, 200)
		if err == nil && !bytes.Contains(resp, []byte(`"devices"`)) {
			err = fmt.Errorf("ListDevices answered no devices: %.200s", resp)
		}
		return err
	}
}

// jsonString finds "name":"value" in a JSON body (enough for ids).
func jsonString(b []byte, name string) string {
	k := []byte(`"` + name + `"`)
	i := bytes.Index(b, k)
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(b[i+len(k):], " :")
	if len(rest) == 0 || rest[0] != '"' {
		return ""
	}
	j := bytes.IndexByte(rest[1:], '"')
	if j < 0 {
		return ""
	}
	return string(rest[1 : 1+j])
}

// pool is the keep-alive connections and per-worker state of one target.
type pool struct {
	workers []*worker
}

func newPool(addr string, conc int, tag string) (*pool, error) {
	p := &pool{}
	for i := range conc {
		k, err := dial(addr)
		if err != nil {
			p.close()
			return nil, err
		}
		p.workers = append(p.workers, &worker{id: i, conc: conc, k: k, tag: tag})
	}
	return p, nil
}

func (p *pool) close() {
	for _, w := range p.workers {
		w.k.close()
	}
}

// sliceResult is what one timed slice measured.
type sliceResult struct {
	ops     int64
	elapsed time.Duration
	hist    hist
	errs    int
	err     error
}

// run drives fn on every worker of p for d, closed loop, and returns what
// it measured. Latency is per logical operation.
func (p *pool) run(fn driver, d time.Duration, record bool) sliceResult {
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	counts := make([]int64, len(p.workers))
	for i, w := range p.workers {
		w.hist = hist{}
		w.errs, w.firstErr = 0, nil
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				t0 := time.Now()
				if !t0.Before(deadline) {
					return
				}
				err := fn(w)
				lat := time.Since(t0)
				w.i++
				if err != nil {
					w.errs++
					if w.firstErr == nil {
						w.firstErr = err
					}
					if w.errs > 100 {
						return
					}
					continue
				}
				counts[i]++
				if record {
					w.hist.record(lat)
				}
			}
		}()
	}
	wg.Wait()
	res := sliceResult{elapsed: time.Since(start)}
	for i, w := range p.workers {
		res.ops += counts[i]
		res.hist.merge(&w.hist)
		res.errs += w.errs
		if res.err == nil {
			res.err = w.firstErr
		}
	}
	return res
}

// stat aggregates the slices of one scenario on one target.
type stat struct {
	ops     int64
	elapsed time.Duration
	hist    hist
	errs    int
	err     error
	na      string // why there is no number
}

func (s *stat) add(r sliceResult) {
	s.ops += r.ops
	s.elapsed += r.elapsed
	s.hist.merge(&r.hist)
	s.errs += r.errs
	if s.err == nil {
		s.err = r.err
	}
}

func (s *stat) rate() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.ops) / s.elapsed.Seconds()
}
