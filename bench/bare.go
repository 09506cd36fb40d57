package main

// The bare reference handler: plain net/http, JSON decode of the request
// into the generated input type, a map lookup under a lock, JSON encode of
// the generated output type. No identity, validation, store, request id or
// logging: what any Go server must do at the least to answer the same calls
// with the same bytes. Its writes are in memory (not durable).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"

	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
)

type bare struct {
	mu          sync.RWMutex
	directory   string
	order       []string
	workspaces  map[string]ws.Workspace
	tags        map[string][]ws.Tag
	groups      []ws.WorkspacesIpGroup
	environment *tc.Environment
	devices     []tc.DeviceSummary
	device      map[string]*tc.Device
	byID        map[string]func(body []byte) (any, error) // by-id calls (byid.go)
	nextGroup   int
}

func newBare(d *bareData) (*bare, error) {
	b := &bare{directory: d.DirectoryID, workspaces: map[string]ws.Workspace{}, tags: map[string][]ws.Tag{}}
	for _, raw := range d.Workspaces {
		var w ws.Workspace
		if err := json.Unmarshal(raw, &w); err != nil {
			return nil, err
		}
		b.order = append(b.order, *w.WorkspaceId)
		b.workspaces[*w.WorkspaceId] = w
	}
	if len(d.IPGroups) > 0 {
		if err := json.Unmarshal(d.IPGroups, &b.groups); err != nil {
			return nil, err
		}
	}
	if len(d.Environment) > 0 {
		b.environment = &tc.Environment{}
		if err := json.Unmarshal(d.Environment, b.environment); err != nil {
			return nil, err
		}
	}
	if len(d.Devices) > 0 {
		if err := json.Unmarshal(d.Devices, &b.devices); err != nil {
			return nil, err
		}
	}
	var err error
	if b.device, err = bareDevice(d.Device); err != nil {
		return nil, err
	}
	b.byID = map[string]func([]byte) (any, error){}
	for _, ic := range idCalls {
		if raw := d.ByID[ic.op]; raw != nil {
			if b.byID[ic.op], err = ic.bare(raw); err != nil {
				return nil, fmt.Errorf("%s: %w", ic.name, err)
			}
		}
	}
	return b, nil
}

// serveBare is the bare process: WSL_BENCH_BARE_ADDR and WSL_BENCH_BARE_DATA.
func serveBare() error {
	raw, err := os.ReadFile(os.Getenv("WSL_BENCH_BARE_DATA"))
	if err != nil {
		return err
	}
	var d bareData
	if err := json.Unmarshal(raw, &d); err != nil {
		return err
	}
	b, err := newBare(&d)
	if err != nil {
		return err
	}
	return http.ListenAndServe(os.Getenv("WSL_BENCH_BARE_ADDR"), b)
}

func (b *bare) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		out, err := b.workspacesOp(strings.TrimPrefix(target, wsTarget), body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		writeBare(w, "application/x-amz-json-1.1", out)
		return
	}
	var out any
	switch {
	case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/environments/"):
		b.mu.RLock()
		env := b.environment
		b.mu.RUnlock()
		if env == nil || *env.Id != strings.TrimPrefix(r.URL.Path, "/environments/") {
			http.Error(w, "not found", 404)
			return
		}
		out = &tc.GetEnvironmentOutput{Environment: env}
	case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/devices/"):
		b.mu.RLock()
		d := b.device[strings.TrimPrefix(r.URL.Path, "/devices/")]
		b.mu.RUnlock()
		if d == nil {
			http.Error(w, "not found", 404)
			return
		}
		out = &tc.GetDeviceOutput{Device: d}
	case r.Method == "GET" && r.URL.Path == "/devices":
		b.mu.RLock()
		out = &tc.ListDevicesOutput{Devices: b.devices}
		b.mu.RUnlock()
	default:
		http.Error(w, "no route", 404)
		return
	}
	writeBare(w, "application/json", out)
}

func writeBare(w http.ResponseWriter, contentType string, out any) {
	b, err := json.Marshal(out)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

func (b *bare) workspacesOp(op string, body []byte) (any, error) {
	switch op {
	case "DescribeWorkspaces":
		var in ws.DescribeWorkspacesInput
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, err
		}
		out := &ws.DescribeWorkspacesOutput{Workspaces: []ws.Workspace{}}
		b.mu.RLock()
		defer b.mu.RUnlock()
		if len(in.WorkspaceIds) > 0 {
			for _, id := range in.WorkspaceIds {
				if w, ok := b.workspaces[id]; ok {
					out.Workspaces = append(out.Workspaces, w)
				}
			}
			return out, nil
		}
		start := 0
		if in.NextToken != nil {
			start, _ = strconv.Atoi(*in.NextToken)
		}
		limit := 25
		if in.Limit != nil {
			limit = int(*in.Limit)
		}
		for i := start; i < len(b.order) && len(out.Workspaces) < limit; i++ {
			out.Workspaces = append(out.Workspaces, b.workspaces[b.order[i]])
		}
		if start+limit < len(b.order) {
			next := strconv.Itoa(start + limit)
			out.NextToken = &next
		}
		return out, nil
	case "DescribeIpGroups":
		if fn := b.byID[op]; fn != nil && bytes.Contains(body, []byte(`"GroupIds"`)) {
			b.mu.RLock()
			defer b.mu.RUnlock()
			return fn(body)
		}
		b.mu.RLock()
		defer b.mu.RUnlock()
		return &ws.DescribeIpGroupsOutput{Result: b.groups}, nil
	case "CreateTags":
		var in ws.CreateTagsInput
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, err
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		id := *in.ResourceId
		if _, ok := b.workspaces[id]; !ok {
			return nil, fmt.Errorf("no WorkSpace %s", id)
		}
		have := b.tags[id]
		for _, t := range in.Tags {
			i := 0
			for i < len(have) && *have[i].Key != *t.Key {
				i++
			}
			if i == len(have) {
				have = append(have, t)
			} else {
				have[i] = t
			}
		}
		b.tags[id] = have
		return &ws.CreateTagsOutput{}, nil
	case "CreateIpGroup":
		var in ws.CreateIpGroupInput
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, err
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		b.nextGroup++
		id := fmt.Sprintf("wsipg-%09d", b.nextGroup)
		b.groups = append(b.groups, ws.WorkspacesIpGroup{GroupId: &id, GroupName: in.GroupName, GroupDesc: in.GroupDesc, UserRules: in.UserRules})
		return &ws.CreateIpGroupOutput{GroupId: &id}, nil
	case "DeleteIpGroup":
		var in ws.DeleteIpGroupInput
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, err
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		for i, g := range b.groups {
			if *g.GroupId == *in.GroupId {
				b.groups = append(b.groups[:i:i], b.groups[i+1:]...)
				return &ws.DeleteIpGroupOutput{}, nil
			}
		}
		return nil, fmt.Errorf("no group %s", *in.GroupId)
	}
	if fn := b.byID[op]; fn != nil {
		b.mu.RLock()
		defer b.mu.RUnlock()
		return fn(body)
	}
	return nil, fmt.Errorf("unknown operation %s", op)
}
