package identity

import (
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/ids"
)

// Every region the services know by name (ids.Regions: registration codes,
// standby primaries, image copies) is one a credential scope may name, or a
// resource could live in a region no signed request can reach.
func TestServiceRegionsAreSignable(t *testing.T) {
	for _, r := range ids.Regions() {
		if !KnownRegion(r) {
			t.Errorf("ids.Regions lists %s, which identity refuses in a credential scope", r)
		}
	}
}
