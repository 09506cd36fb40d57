package identity

import "github.com/workspaces-local/workspaces-local/internal/ids"

// KnownRegion reports whether a credential scope may name region: the
// repository's one list of AWS regions (ids.Regions). A scope naming any
// other region is refused (AWS: "Credential should be scoped to a valid
// region"), so a typo never creates a region.
func KnownRegion(region string) bool { return ids.KnownRegion(region) }
