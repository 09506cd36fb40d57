package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/paging"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store/sqlite"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
)

// apiClient makes the setup calls (one connection, signed per call).
type apiClient struct {
	ep endpoint
	k  *conn
}

func newAPIClient(ep endpoint) (*apiClient, error) {
	k, err := dial(ep.addr)
	if err != nil {
		return nil, err
	}
	return &apiClient{ep: ep, k: k}, nil
}

func (a *apiClient) close() { a.k.close() }

func (a *apiClient) send(r request, body []byte, want int) ([]byte, error) {
	status, resp, err := a.k.do(r.append(nil, body))
	if err != nil {
		return nil, err
	}
	if status != want {
		return nil, fmt.Errorf("HTTP %d: %.300s", status, resp)
	}
	return append([]byte(nil), resp...), nil
}

// ws calls a WorkSpaces operation and decodes its answer into out (if not nil).
func (a *apiClient) ws(op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	resp, err := a.send(wsRequest(a.ep, op, body), body, 200)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if out != nil {
		return json.Unmarshal(resp, out)
	}
	return nil
}

// rest calls a Thin Client route (service "" for the unsigned /_local/ ones).
func (a *apiClient) rest(method, path string, in any, want int, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	resp, err := a.send(newRequest(a.ep.sg, "thinclient", a.ep.addr, method, path, "", body), body, want)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if out != nil {
		return json.Unmarshal(resp, out)
	}
	return nil
}

const benchDirectory = "d-9067012345"

// loadLocal loads the side-by-side dataset into workspaces-local through its
// API: a directory, n WorkSpaces, groups IP groups, a Thin Client
// environment with devices devices.
func loadLocal(ep endpoint, n, groups, devices int) (*dataset, error) {
	a, err := newAPIClient(ep)
	if err != nil {
		return nil, err
	}
	defer a.close()
	d := &dataset{Account: ep.sg.AccessKey, Region: ep.sg.Region, DirectoryID: benchDirectory}
	if d.Workspaces, err = loadWorkspaces(a, benchDirectory, "bench", n); err != nil {
		return nil, err
	}
	for i := range groups {
		var out ws.CreateIpGroupOutput
		in := map[string]any{"GroupName": fmt.Sprintf("office-%02d", i), "GroupDesc": "benchmark group", "UserRules": []map[string]string{
			{"ipRule": "10.0.0.0/16", "ruleDesc": "office"}, {"ipRule": "192.168.1.0/24", "ruleDesc": "vpn"}, {"ipRule": "203.0.113.7", "ruleDesc": "admin"},
		}}
		if err := a.ws("CreateIpGroup", in, &out); err != nil {
			return nil, err
		}
		d.IPGroups = append(d.IPGroups, *out.GroupId)
	}
	if err := loadByID(a, d); err != nil {
		return nil, err
	}
	if devices > 0 {
		var created struct {
			Environment struct {
				ID string `json:"id"`
			} `json:"environment"`
		}
		arn := fmt.Sprintf("arn:aws:workspaces:%s:%s:directory/%s", d.Region, d.Account, benchDirectory)
		if err := a.rest("POST", "/environments", map[string]any{"desktopArn": arn, "name": "bench"}, 201, &created); err != nil {
			return nil, err
		}
		d.Environment = created.Environment.ID
		var got struct {
			Environment struct {
				ActivationCode string `json:"activationCode"`
			} `json:"environment"`
		}
		if err := a.rest("GET", "/environments/"+d.Environment, nil, 200, &got); err != nil {
			return nil, err
		}
		for i := range devices {
			var dev struct {
				ID string `json:"id"`
			}
			in := map[string]string{"activationCode": got.Environment.ActivationCode, "serialNumber": fmt.Sprintf("SN-%05d", i), "model": "TC-1"}
			if err := a.rest("POST", "/_local/thinclient/devices", in, 201, &dev); err != nil {
				return nil, err
			}
			d.Devices = append(d.Devices, dev.ID)
		}
	}
	return d, nil
}

// bareData is what the bare handler serves: the very objects
// workspaces-local answers for the dataset, so responses have the same
// shape and size.
type bareData struct {
	DirectoryID string            `json:"directoryId"`
	Workspaces  []json.RawMessage `json:"workspaces"`
	IPGroups    json.RawMessage   `json:"ipGroups"`
	Environment json.RawMessage   `json:"environment"`
	Devices     json.RawMessage   `json:"devices"`
	Device      json.RawMessage   `json:"device"`
	// ByID is the answer of each by-id call: operation -> id -> item.
	ByID map[string]map[string]json.RawMessage `json:"byId"`
}

// fetchBare reads the dataset back from workspaces-local for the bare handler.
func fetchBare(ep endpoint, d *dataset) (*bareData, error) {
	a, err := newAPIClient(ep)
	if err != nil {
		return nil, err
	}
	defer a.close()
	b := &bareData{DirectoryID: d.DirectoryID}
	for start := 0; start < len(d.Workspaces); start += 25 {
		var out struct{ Workspaces []json.RawMessage }
		if err := a.ws("DescribeWorkspaces", map[string]any{"WorkspaceIds": d.Workspaces[start:min(len(d.Workspaces), start+25)]}, &out); err != nil {
			return nil, err
		}
		b.Workspaces = append(b.Workspaces, out.Workspaces...)
	}
	var groups struct{ Result json.RawMessage }
	if err := a.ws("DescribeIpGroups", map[string]any{}, &groups); err != nil {
		return nil, err
	}
	b.IPGroups = groups.Result
	if b.ByID, err = fetchByID(a, d); err != nil {
		return nil, err
	}
	if d.Environment != "" {
		var env struct{ Environment json.RawMessage }
		if err := a.rest("GET", "/environments/"+d.Environment, nil, 200, &env); err != nil {
			return nil, err
		}
		b.Environment = env.Environment
		var devs struct{ Devices json.RawMessage }
		if err := a.rest("GET", "/devices", nil, 200, &devs); err != nil {
			return nil, err
		}
		b.Devices = devs.Devices
		if len(d.Devices) > 0 {
			var dev struct{ Device json.RawMessage }
			if err := a.rest("GET", "/devices/"+d.Devices[0], nil, 200, &dev); err != nil {
				return nil, err
			}
			b.Device = dev.Device
		}
	}
	return b, nil
}

//go:embed moto_setup.py
var motoSetup string

// loadMoto runs moto_setup.py (boto3) against a moto_server.
func loadMoto(ep endpoint, n int, workDir string) (*dataset, error) {
	script := filepath.Join(workDir, "moto_setup.py")
	if err := writeFile(script, []byte(motoSetup)); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "python3", script, "http://"+ep.addr, fmt.Sprint(n), ep.sg.AccessKey, ep.sg.Region)
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, fmt.Errorf("moto setup: %v: %s", err, ee.Stderr)
		}
		return nil, fmt.Errorf("moto setup: %w", err)
	}
	d := &dataset{}
	if err := json.Unmarshal(out, d); err != nil {
		return nil, fmt.Errorf("moto setup printed %q: %w", out, err)
	}
	return d, nil
}

// seedScale builds a durable data directory holding n AVAILABLE WorkSpaces
// in one account through workspaces.SeedWorkspaces, and returns their ids.
func seedScale(ctx context.Context, dir string, sg signer, n int, progress func(done int)) ([]string, error) {
	db, err := sqlite.Open(ctx, filepath.Join(dir, "state.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	svc, err := wssvc.New(db, paging.New([]byte("seed-only-key-never-signs-a-token")), wssvc.Delays{}, wssvc.Quotas{Workspaces: n + 1})
	if err != nil {
		return nil, err
	}
	now := time.Now().Add(-time.Hour)
	c := &api.Call{Account: sg.AccessKey, Region: sg.Region, Partition: api.PartitionOf(sg.Region), Operation: "RegisterWorkspaceDirectory", Now: now}
	if _, err := svc.RegisterWorkspaceDirectory(ctx, c, &ws.RegisterWorkspaceDirectoryInput{DirectoryId: api.String(benchDirectory)}); err != nil {
		return nil, err
	}
	return svc.SeedWorkspaces(ctx, wssvc.SeedSpec{
		Account: sg.AccessKey, Region: sg.Region, DirectoryID: benchDirectory, BundleID: "wsb-bh8rsxt14",
		Count: n, Now: now, Batch: 20_000,
	}, progress)
}
