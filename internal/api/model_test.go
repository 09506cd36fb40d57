package api_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/api/workspaces"
)

type model struct {
	Operations map[string]struct {
		Input *struct {
			Shape string `json:"shape"`
		} `json:"input"`
	} `json:"operations"`
	Shapes map[string]struct {
		Required []string `json:"required"`
	} `json:"shapes"`
}

// TestEmptyInputReportsModelRequiredMembers checks every operation of both
// generated packages against its model: an empty input breaks exactly the
// "required" members of the input shape, and nothing else.
func TestEmptyInputReportsModelRequiredMembers(t *testing.T) {
	for _, svc := range []struct {
		name  string
		model string
		ops   []*api.Operation
	}{
		{"workspaces", "../../models/workspaces/2015-04-08/service-2.json", workspaces.Operations},
		{"thinclient", "../../models/workspaces-thin-client/2023-08-22/service-2.json", thinclient.Operations},
	} {
		t.Run(svc.name, func(t *testing.T) {
			b, err := os.ReadFile(svc.model)
			if err != nil {
				t.Fatal(err)
			}
			var m model
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if len(svc.ops) != len(m.Operations) {
				t.Errorf("%d generated operations, model has %d", len(svc.ops), len(m.Operations))
			}
			for _, op := range svc.ops {
				t.Run(op.Name, func(t *testing.T) {
					mo, ok := m.Operations[op.Name]
					if !ok {
						t.Fatalf("operation %s is not in the model", op.Name)
					}
					var want []string
					if mo.Input != nil {
						want = append(want, m.Shapes[mo.Input.Shape].Required...)
					}
					var v api.Violations
					op.NewInput().Validate(&v)
					var got []string
					for _, x := range v.List {
						if x.Constraint != "Member must not be null" || x.Value != "null" {
							t.Errorf("empty input broke a non-required constraint: %+v", x)
						}
						got = append(got, x.Path)
					}
					slices.Sort(want)
					slices.Sort(got)
					if !slices.Equal(got, want) {
						t.Fatalf("required violations %v, model requires %v", got, want)
					}
				})
			}
		})
	}
}
