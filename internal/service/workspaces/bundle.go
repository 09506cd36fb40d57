package workspaces

// Bundles (spec §8): a built-in catalogue of Amazon-owned public bundles
// (bundles.json, sources in docs/bundles.md), the same in every region
// (inferred: real bundle ids differ per region for some bundles); custom
// bundles are in bundle_custom.go.

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
	"github.com/workspaces-local/workspaces-local/internal/store"
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
// id (public ones and the caller's own), or the caller's custom bundles
// (Owner omitted or the caller's account id; spec §19.6).
func (s *Service) DescribeWorkspaceBundles(ctx context.Context, c *api.Call, in *ws.DescribeWorkspaceBundlesInput) (*ws.DescribeWorkspaceBundlesOutput, error) {
	if len(in.BundleIds) > 0 && in.Owner != nil {
		return nil, invalidf("BundleIds and Owner cannot be used together.")
	}
	var list []ws.WorkspaceBundle
	owner := api.ToString(in.Owner)
	err := s.view(ctx, func(tx store.Tx) error {
		switch {
		case len(in.BundleIds) > 0:
			for _, id := range in.BundleIds {
				b, cb, err := s.bundleFor(ctx, tx, c, id)
				switch {
				case err != nil:
					return err
				case cb != nil:
					list = append(list, cb.shape(c.Now))
				case b != nil:
					list = append(list, b.shape())
				}
			}
		case isAmazonOwner(owner):
			for i := range s.bundles {
				list = append(list, s.bundles[i].shape())
			}
		case owner == "" || owner == c.Account:
			own, err := ownBundles(ctx, tx, c)
			if err != nil {
				return err
			}
			for _, b := range own {
				list = append(list, b.shape(c.Now))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	type item struct {
		b   ws.WorkspaceBundle
		seq int64
	}
	items := make([]item, len(list))
	for i := range list {
		items[i] = item{list[i], int64(i + 1)}
	}
	page, next, err := pageOf(s, c, items, func(x item) int64 { return x.seq }, in.NextToken, nil, defaultBundlePage, []any{in.BundleIds, in.Owner})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeWorkspaceBundlesOutput{Bundles: make([]ws.WorkspaceBundle, 0, len(page)), NextToken: next}
	for _, x := range page {
		out.Bundles = append(out.Bundles, x.b)
	}
	return out, nil
}
