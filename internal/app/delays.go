package app

import (
	"fmt"
	"sort"
	"strings"
	"time"

	tcsvc "github.com/workspaces-local/workspaces-local/internal/service/thinclient"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
)

// ParseDelays applies a --delays list ("name=duration,...", or "zero" for
// every delay 0) over the delays of both services in c (set them to the
// services' DefaultDelays first for the documented defaults). An unknown name is refused with the list
// of known ones.
func ParseDelays(c *Config, spec string) error {
	if spec == "zero" {
		c.WorkSpacesDelays, c.ThinClientDelays = wssvc.Delays{}, tcsvc.Delays{}
		return nil
	}
	if spec == "" {
		return nil
	}
	w, t := &c.WorkSpacesDelays, &c.ThinClientDelays
	fields := map[string]*time.Duration{
		"directory.register": &w.DirectoryRegister, "directory.deregister": &w.DirectoryDeregister,
		"directory.cleanup": &w.DirectoryCleanup, "workspace.create": &w.WorkspaceCreate,
		"workspace.terminate": &w.WorkspaceTerminate, "workspace.cleanup": &w.WorkspaceCleanup,
		"workspace.reboot": &w.WorkspaceReboot, "workspace.rebuild": &w.WorkspaceRebuild,
		"workspace.start": &w.WorkspaceStart, "workspace.stop": &w.WorkspaceStop,
		"workspace.modify": &w.WorkspaceModify, "account.modify": &w.AccountModify,
		"image.create": &w.ImageCreate, "image.import": &w.ImageImport, "image.copy": &w.ImageCopy,
		"alias.create": &w.ConnectionAliasCreate, "alias.delete": &w.ConnectionAliasDelete,
		"device.deregister": &t.DeviceDeregister, "software.install": &t.SoftwareInstall,
	}
	for _, kv := range strings.Split(spec, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(kv), "=")
		p := fields[name]
		if !ok || p == nil {
			names := make([]string, 0, len(fields))
			for n := range fields {
				names = append(names, n)
			}
			sort.Strings(names)
			return fmt.Errorf("unknown delay %q (known: %s)", kv, strings.Join(names, ", "))
		}
		v, err := time.ParseDuration(val)
		if err != nil || v < 0 {
			return fmt.Errorf("delay %s: %q is not a non-negative duration", name, val)
		}
		*p = v
	}
	return nil
}
