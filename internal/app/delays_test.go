package app

import (
	"os"
	"strings"
	"testing"
	"time"

	tcsvc "github.com/workspaces-local/workspaces-local/internal/service/thinclient"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
)

// TestParseDelaysRefusals: serve --delays and wslocal.WithDelays share
// this parser, so each kind of mistake gets its own message.
func TestParseDelaysRefusals(t *testing.T) {
	for spec, want := range map[string]string{
		"fast":                  "name=duration pairs",
		"workspace.launch=1s":   "unknown delay",
		"workspace.create=-1s":  "not a non-negative duration",
		"workspace.create=soon": "not a non-negative duration",
	} {
		c := Config{WorkSpacesDelays: wssvc.DefaultDelays}
		err := ParseDelays(&c, spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDelays(%q) = %v, want an error containing %q", spec, err, want)
		}
		if c.WorkSpacesDelays != wssvc.DefaultDelays {
			t.Errorf("ParseDelays(%q) changed the delays before refusing: %+v", spec, c.WorkSpacesDelays)
		}
	}
	c := Config{WorkSpacesDelays: wssvc.DefaultDelays, ThinClientDelays: tcsvc.DefaultDelays}
	if err := ParseDelays(&c, "workspace.create=0s, device.deregister=5s"); err != nil ||
		c.WorkSpacesDelays.WorkspaceCreate != 0 || c.ThinClientDelays.DeviceDeregister != 5*time.Second ||
		c.WorkSpacesDelays.DirectoryRegister != wssvc.DefaultDelays.DirectoryRegister {
		t.Fatalf("ParseDelays = %v, %+v", err, c)
	}
}

// TestReadmeListsEveryDelay keeps the README's --delays table complete
// and its defaults those of the services: each row holds two
// "| `name` (note) | default |" cells.
func TestReadmeListsEveryDelay(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(strings.Trim(line, "| "), "|")
		for i := 0; i+1 < len(cells); i += 2 {
			name, _, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(cells[i]), "`"), "`")
			if ok {
				readme[name] = strings.TrimSpace(cells[i+1])
			}
		}
	}
	w, tc := wssvc.DefaultDelays, tcsvc.DefaultDelays
	for name, p := range DelayFields(&w, &tc) {
		got, ok := readme[name]
		if !ok {
			t.Errorf("README.md's delays table lacks %s", name)
			continue
		}
		if d, err := time.ParseDuration(got); err != nil || d != *p {
			t.Errorf("README.md gives %s the default %q, the service uses %s", name, got, *p)
		}
	}
}
