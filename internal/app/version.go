package app

import "runtime/debug"

// Commit is the source revision of the build. The release build stamps it
// with Version:
//
//	go build -ldflags "-X github.com/workspaces-local/workspaces-local/internal/app.Version=v0.2.0 \
//	  -X github.com/workspaces-local/workspaces-local/internal/app.Commit=$(git rev-parse --short=12 HEAD)"
var Commit = ""

// devVersion is Version when the build did not stamp one.
const devVersion = "0.1.0-dev"

// BuildVersion is the version and commit of this binary: the stamped ones,
// else what the Go toolchain recorded (the module version of a
// `go install ...@v0.2.0`, the VCS revision of a build in a checkout).
func BuildVersion() (version, commit string) {
	version, commit = Version, Commit
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return version, commit
	}
	if version == devVersion && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		version = bi.Main.Version
	}
	if commit == "" {
		var rev, dirty string
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision":
				rev = s.Value
			case s.Key == "vcs.modified" && s.Value == "true":
				dirty = "-dirty"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			commit = rev + dirty
		}
	}
	return version, commit
}
