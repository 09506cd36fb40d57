package workspaces

import (
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/state"
)

// TestEveryKindIsKnownToState fails when a record kind is declared without
// an entry in kinds (state.go): PUT /_local/state would refuse its records.
// Add it there, and to ResetScope when its key has no account or region.
func TestEveryKindIsKnownToState(t *testing.T) {
	declared, err := state.DeclaredKinds(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(declared) < 10 {
		t.Fatalf("found only %d kind constants: %v", len(declared), declared)
	}
	for _, k := range kinds.Missing(declared) {
		t.Errorf("kind %q is not in kinds (state.go): add it, and to ResetScope if its key has no account or region", k)
	}
}
