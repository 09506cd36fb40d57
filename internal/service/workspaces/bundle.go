package workspaces

// Bundles (spec §8): a built-in catalogue of Amazon-owned public bundles
// (bundles.json), the same in every region. Not emulated yet: custom
// bundles (CreateWorkspaceBundle), so an account's own bundle list is empty.

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/paging"
)

const defaultBundlePage = 25 // spec §1.4

//go:embed bundles.json
var builtinBundles []byte

// publicBundleTime is the fixed creation time of the public catalogue (inferred).
var publicBundleTime = time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)

type bundle struct {
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Compute ws.Compute `json:"compute"`
	Root    int32      `json:"root"`
	User    int32      `json:"user"`
	OS      string     `json:"os"`
	Image   string     `json:"image"`
	order   int64
}

func loadBundles(b []byte) ([]bundle, error) {
	var out []bundle
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("bundle catalogue: %w", err)
	}
	for i := range out {
		out[i].order = int64(i + 1)
	}
	return out, nil
}

func (s *Service) findBundle(id string) *bundle {
	for i := range s.bundles {
		if s.bundles[i].ID == id {
			return &s.bundles[i]
		}
	}
	return nil
}

// linux reports whether the bundle's operating system is Linux.
func (b *bundle) linux() bool {
	return strings.Contains(b.OS, "LINUX") || strings.Contains(b.OS, "UBUNTU") || strings.Contains(b.OS, "RHEL") || strings.Contains(b.OS, "ROCKY")
}

func (b *bundle) shape() ws.WorkspaceBundle {
	return ws.WorkspaceBundle{
		BundleId: api.String(b.ID), Name: api.String(b.Name), Description: api.String(b.Name),
		Owner:       api.String("Amazon"), // spec §8.1: "Amazon" in responses, AMAZON in the filter
		ImageId:     api.String(b.Image),
		ComputeType: &ws.ComputeType{Name: b.Compute},
		RootStorage: &ws.RootStorage{Capacity: api.String(strconv.Itoa(int(b.Root)))},
		UserStorage: &ws.UserStorage{Capacity: api.String(strconv.Itoa(int(b.User)))},
		State:       ws.WorkspaceBundleStateAvailable, BundleType: ws.BundleTypeRegular,
		CreationTime: api.NewTimestamp(publicBundleTime), LastUpdatedTime: api.NewTimestamp(publicBundleTime),
	}
}

// DescribeWorkspaceBundles lists public bundles (Owner AMAZON), bundles by
// id, or the caller's own bundles (none yet).
func (s *Service) DescribeWorkspaceBundles(ctx context.Context, c *api.Call, in *ws.DescribeWorkspaceBundlesInput) (*ws.DescribeWorkspaceBundlesOutput, error) {
	if len(in.BundleIds) > 0 && in.Owner != nil {
		return nil, invalidf("BundleIds and Owner cannot be used together.")
	}
	var list []bundle
	switch {
	case len(in.BundleIds) > 0:
		for i := range s.bundles {
			if contains(in.BundleIds, s.bundles[i].ID) {
				list = append(list, s.bundles[i])
			}
		}
	case api.ToString(in.Owner) == "AMAZON":
		list = s.bundles
	}
	sc := paging.Scope{Op: c.Operation, Account: c.Account, Region: c.Region, Filter: paging.Filter([]any{in.BundleIds, in.Owner})}
	page, next, err := paging.Cut(s.pages, sc, c.Now, list, func(b bundle) int64 { return b.order }, api.ToString(in.NextToken), defaultBundlePage)
	if err != nil {
		return nil, badToken(c.Operation)
	}
	out := &ws.DescribeWorkspaceBundlesOutput{Bundles: make([]ws.WorkspaceBundle, 0, len(page))}
	if next != "" {
		out.NextToken = &next
	}
	for i := range page {
		out.Bundles = append(out.Bundles, page[i].shape())
	}
	return out, nil
}
