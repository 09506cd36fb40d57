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
// of known ones; errors are phrased to follow the flag or option name
// ("--delays names an unknown delay ...").
func ParseDelays(c *Config, spec string) error {
	if spec == "zero" {
		c.WorkSpacesDelays, c.ThinClientDelays = wssvc.Delays{}, tcsvc.Delays{}
		return nil
	}
	if spec == "" {
		return nil
	}
	fields := DelayFields(&c.WorkSpacesDelays, &c.ThinClientDelays)
	for _, kv := range strings.Split(spec, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return fmt.Errorf("must be 'zero' or name=duration pairs separated by commas, got %q", kv)
		}
		p := fields[name]
		if p == nil {
			names := make([]string, 0, len(fields))
			for n := range fields {
				names = append(names, n)
			}
			sort.Strings(names)
			return fmt.Errorf("names an unknown delay in %q (known: %s)", kv, strings.Join(names, ", "))
		}
		v, err := time.ParseDuration(val)
		if err != nil || v < 0 {
			return fmt.Errorf("sets %s to %q, which is not a non-negative duration such as 0s, 500ms or 5m", name, val)
		}
		*p = v
	}
	return nil
}

// DelayFields maps every --delays name to its field in w and t: the one
// table of delay names (serve --delays, wslocal.WithDelays, the README's).
func DelayFields(w *wssvc.Delays, t *tcsvc.Delays) map[string]*time.Duration {
	return map[string]*time.Duration{
		"directory.register":          &w.DirectoryRegister,
		"directory.deregister":        &w.DirectoryDeregister,
		"directory.cleanup":           &w.DirectoryCleanup,
		"workspace.create":            &w.WorkspaceCreate,
		"workspace.terminate":         &w.WorkspaceTerminate,
		"workspace.cleanup":           &w.WorkspaceCleanup,
		"workspace.reboot":            &w.WorkspaceReboot,
		"workspace.rebuild":           &w.WorkspaceRebuild,
		"workspace.start":             &w.WorkspaceStart,
		"workspace.stop":              &w.WorkspaceStop,
		"workspace.modify":            &w.WorkspaceModify,
		"account.modify":              &w.AccountModify,
		"image.create":                &w.ImageCreate,
		"image.import":                &w.ImageImport,
		"image.copy":                  &w.ImageCopy,
		"alias.create":                &w.ConnectionAliasCreate,
		"alias.delete":                &w.ConnectionAliasDelete,
		"application.deploy":          &w.ApplicationDeploy,
		"pool.create":                 &w.PoolCreate,
		"pool.start":                  &w.PoolStart,
		"pool.stop":                   &w.PoolStop,
		"pool.update":                 &w.PoolUpdate,
		"pool.terminate":              &w.PoolTerminate,
		"pool.scale":                  &w.PoolScale,
		"pool.session.terminate":      &w.PoolSessionTerminate,
		"bundle.create":               &w.BundleCreate,
		"bundle.update":               &w.BundleUpdate,
		"workspace.standby":           &w.WorkspaceStandby,
		"workspace.snapshot":          &w.WorkspaceSnapshot,
		"workspace.snapshot.interval": &w.WorkspaceSnapshotInterval,
		"workspace.restore":           &w.WorkspaceRestore,
		"workspace.migrate":           &w.WorkspaceMigrate,
		"workspace.replicate":         &w.WorkspaceReplicate,
		"image.update":                &w.ImageUpdate,
		"image.custom-import":         &w.ImageCustomImport,
		"device.deregister":           &t.DeviceDeregister,
		"software.install":            &t.SoftwareInstall,
	}
}
