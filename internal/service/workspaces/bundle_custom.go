package workspaces

// Custom bundles (spec §19): an image the account owns combined with a
// compute type and volume sizes. They live per account and region, never
// shared; CreateWorkspaces, RebuildWorkspaces, MigrateWorkspace and pools use
// them like public bundles. STANDBY bundles (standby.go) are custom bundles
// too. Not emulated: the workspaces:CreateTags permission check for tags at
// creation.

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	kindBundle = "workspaces.bundle"
	// maxCustomBundles is AWS's fixed quota of custom bundles per region
	// (spec §17.3); STANDBY bundles do not count.
	maxCustomBundles = 50
)

// customBundleRecord is a custom bundle: the catalogue fields (OS and tenancy
// follow its image) plus what an account's bundle adds.
type customBundleRecord struct {
	bundle
	Owner       string                           `json:"owner"`
	Description string                           `json:"description"`
	Type        ws.BundleType                    `json:"type"`
	Tenancy     ws.WorkspaceImageRequiredTenancy `json:"tenancy"`
	Created     time.Time                        `json:"created"`
	Updated     time.Time                        `json:"updated"`
	// PendingUntil is when a create or update finishes (State PENDING before).
	PendingUntil time.Time `json:"pendingUntil"`
	// Primary is the primary bundle a STANDBY bundle mirrors.
	Primary string `json:"primary,omitempty"`
	seq     int64
}

func (b *customBundleRecord) setSeq(n int64) { b.seq = n }

func (b *customBundleRecord) state(now time.Time) ws.WorkspaceBundleState {
	if now.Before(b.PendingUntil) {
		return ws.WorkspaceBundleStatePending
	}
	return ws.WorkspaceBundleStateAvailable
}

func (b *customBundleRecord) shape(now time.Time) ws.WorkspaceBundle {
	out := b.bundle.shape()
	out.Owner, out.Description = api.String(b.Owner), api.String(b.Description)
	out.State, out.BundleType = b.state(now), b.Type
	out.CreationTime, out.LastUpdatedTime = api.NewTimestamp(b.Created), api.NewTimestamp(b.Updated)
	return out
}

// getCustomBundle returns the caller's custom bundle id, or nil.
func getCustomBundle(ctx context.Context, tx store.Tx, c *api.Call, id string) (*customBundleRecord, error) {
	return lookup[customBundleRecord](ctx, tx, key(c, kindBundle, id))
}

// bundleFor finds a bundle the caller can launch: a public one, or one of
// its custom bundles (then cb is set too). Both nil when there is none.
func (s *Service) bundleFor(ctx context.Context, tx store.Tx, c *api.Call, id string) (*bundle, *customBundleRecord, error) {
	if b := s.findBundle(id); b != nil {
		return b, nil, nil
	}
	cb, err := getCustomBundle(ctx, tx, c, id)
	if cb == nil || err != nil {
		return nil, nil, err
	}
	return &cb.bundle, cb, nil
}

// imageOS is the operating system an image stands for: the one it inherited
// (osName) or, for older records, a default of its OS type (inferred).
func (im *imageRecord) imageOS() ws.OperatingSystemName {
	if im.OSName != "" {
		return im.OSName
	}
	if im.OperatingSystem != nil && im.OperatingSystem.Type == ws.OperatingSystemTypeLinux {
		return ws.OperatingSystemNameAmazonLinux2
	}
	return ws.OperatingSystemNameWindows10
}

// bundleImage finds the image a custom bundle may be built on (spec §19.1,
// §19.2): owned by the caller (shared-only → IPV) and AVAILABLE (→ RU).
func bundleImage(ctx context.Context, tx store.Tx, c *api.Call, id string) (*imageRecord, error) {
	im, err := getImage(ctx, tx, c, c.Region, id)
	if err != nil {
		return nil, err
	}
	if im == nil || !im.visibleTo(c.Account) {
		return nil, notFound("image", id)
	}
	if im.owner() != c.Account {
		return nil, invalidf("Image %s is shared with account %s; copy the image into your account first (CopyWorkspaceImage), then build the bundle from the copy.", id, c.Account)
	}
	if im.State != ws.WorkspaceImageStateAvailable {
		return nil, &ws.ResourceUnavailableException{Message: api.String(fmt.Sprintf("Image %s is %s; a bundle needs an AVAILABLE image.", id, im.State)), ResourceId: api.String(id)}
	}
	return im, nil
}

// imageComputeOK applies the compute ↔ image rules of spec §19.1: graphics
// images only with graphics compute and vice versa (inferred), no VALUE on
// Windows 11 [D].
func imageComputeOK(im *imageRecord, compute ws.Compute) error {
	if im.Graphics != graphics(compute) {
		kind := "a non-graphics"
		if im.Graphics {
			kind = "a graphics"
		}
		return invalidf("Image %s is %s image; compute type %s cannot run it.", *im.ImageId, kind, compute)
	}
	if compute == ws.ComputeValue && im.imageOS() == ws.OperatingSystemNameWindows11 {
		return invalidf("Value bundles are not supported on Windows 11 (image %s).", *im.ImageId)
	}
	return nil
}

// capacity parses a bundle storage capacity (a decimal number of GiB).
func capacity(field, s string) (int32, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 2000 {
		return 0, invalidf("%s.Capacity must be a whole number of GiB between 1 and 2000; got %q.", field, s)
	}
	return int32(n), nil
}

// CreateWorkspaceBundle makes a custom bundle from an image the caller owns.
func (s *Service) CreateWorkspaceBundle(ctx context.Context, c *api.Call, in *ws.CreateWorkspaceBundleInput) (*ws.CreateWorkspaceBundleOutput, error) {
	if in.ComputeType.Name == "" {
		return nil, invalidf("ComputeType.Name is required.")
	}
	compute := in.ComputeType.Name
	user, err := capacity("UserStorage", *in.UserStorage.Capacity)
	if err != nil {
		return nil, err
	}
	var root int32
	switch {
	case in.RootStorage != nil:
		if root, err = capacity("RootStorage", *in.RootStorage.Capacity); err != nil {
			return nil, err
		}
	case graphics(compute):
		root = 100 // inferred: the smallest valid root (spec §19.1)
	case user > 100:
		root = 175
	default:
		root = 80
	}
	if !validVolumes(root, user, compute) {
		if graphics(compute) {
			return nil, invalidf("Graphics: Invalid root and user volume size selected. Root and user volume size (GB) must be (100+|100+).")
		}
		return nil, invalidf("Root volume %d GiB with user volume %d GiB is not an allowed combination for %s: use 80 with 10, 50 or 100, or 175-2000 with 100-2000.", root, user, compute)
	}
	var out *customBundleRecord
	err = s.update(ctx, func(tx store.Tx) error {
		im, err := bundleImage(ctx, tx, c, *in.ImageId)
		if err != nil {
			return err
		}
		if err := imageComputeOK(im, compute); err != nil {
			return err
		}
		own, err := listRecords[customBundleRecord](ctx, tx, scope(c, kindBundle))
		if err != nil {
			return err
		}
		regular := 0
		for _, b := range own {
			if b.Name == *in.BundleName {
				return &ws.ResourceAlreadyExistsException{Message: api.String(fmt.Sprintf("A bundle named '%s' already exists in %s (%s).", b.Name, c.Region, b.ID))}
			}
			if b.Type != ws.BundleTypeStandby {
				regular++
			}
		}
		if regular >= maxCustomBundles {
			return limitf("The account already has %d custom bundles in %s; the quota is %d.", regular, c.Region, maxCustomBundles)
		}
		if err := checkNewTags(nil, in.Tags); err != nil {
			return err
		}
		out = &customBundleRecord{
			bundle: bundle{ID: "wsb-" + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 9), Name: *in.BundleName,
				Compute: compute, Root: root, User: user, OS: string(im.imageOS()), Image: *im.ImageId},
			Owner: c.Account, Description: *in.BundleDescription, Type: ws.BundleTypeRegular, Tenancy: im.RequiredTenancy,
			Created: c.Now, Updated: c.Now, PendingUntil: c.Now.Add(s.delays.BundleCreate),
		}
		if err := createBundle(ctx, tx, c, out); err != nil {
			return err
		}
		return putTags(ctx, tx, c, out.ID, in.Tags)
	})
	if err != nil {
		return nil, err
	}
	b := out.shape(c.Now)
	return &ws.CreateWorkspaceBundleOutput{WorkspaceBundle: &b}, nil
}

// UpdateWorkspaceBundle points a custom bundle at another image; existing
// WorkSpaces keep their image until rebuilt.
func (s *Service) UpdateWorkspaceBundle(ctx context.Context, c *api.Call, in *ws.UpdateWorkspaceBundleInput) (*ws.UpdateWorkspaceBundleOutput, error) {
	if in.BundleId == nil || in.ImageId == nil {
		return nil, invalidf("UpdateWorkspaceBundle needs both BundleId and ImageId.")
	}
	id := *in.BundleId
	if s.findBundle(id) != nil {
		return nil, &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf("Bundle %s is a public Amazon bundle and cannot be updated.", id)), Reason: api.String("PUBLIC_BUNDLE")}
	}
	err := s.update(ctx, func(tx store.Tx) error {
		b, err := getCustomBundle(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if b == nil {
			return notFound("bundle", id)
		}
		if b.Type == ws.BundleTypeStandby {
			return &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf("Bundle %s is a STANDBY bundle, managed by the service.", id)), Reason: api.String("STANDBY_BUNDLE")}
		}
		if b.state(c.Now) == ws.WorkspaceBundleStatePending {
			return &ws.ResourceUnavailableException{Message: api.String(fmt.Sprintf("Bundle %s is PENDING; retry when it is AVAILABLE.", id)), ResourceId: api.String(id)}
		}
		im, err := bundleImage(ctx, tx, c, *in.ImageId)
		if err != nil {
			return err
		}
		if *im.ImageId == b.Image {
			return nil // inferred: the same image is no change
		}
		incompatible := osType(im.imageOS()) != osType(ws.OperatingSystemName(b.OS)) || im.RequiredTenancy != b.Tenancy || imageComputeOK(im, b.Compute) != nil
		if incompatible {
			return &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf("Image %s (%s, %s tenancy) is not compatible with bundle %s (%s, %s, %s tenancy).", *im.ImageId, im.imageOS(), im.RequiredTenancy, id, b.OS, b.Compute, b.Tenancy)), Reason: api.String("INCOMPATIBLE_IMAGE")}
		}
		b.Image, b.OS, b.Updated, b.PendingUntil = *im.ImageId, string(im.imageOS()), c.Now, c.Now.Add(s.delays.BundleUpdate)
		return putIndexed(ctx, tx, key(c, kindBundle, id), b, func(b *customBundleRecord) []entry { return bundleEntries(c, b) }) // index.go
	})
	if err != nil {
		return nil, err
	}
	return &ws.UpdateWorkspaceBundleOutput{}, nil
}

// DeleteWorkspaceBundle deletes a custom bundle no WorkSpace or pool uses.
func (s *Service) DeleteWorkspaceBundle(ctx context.Context, c *api.Call, in *ws.DeleteWorkspaceBundleInput) (*ws.DeleteWorkspaceBundleOutput, error) {
	if in.BundleId == nil {
		return nil, invalidf("BundleId is required.")
	}
	id := *in.BundleId
	if s.findBundle(id) != nil {
		// inferred (spec §27 Q4): public bundles belong to Amazon.
		return nil, &ws.AccessDeniedException{Message: api.String(fmt.Sprintf("Bundle %s is a public Amazon bundle; only custom bundles can be deleted.", id))}
	}
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		b, err := getCustomBundle(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if b == nil {
			return notFound("bundle", id)
		}
		used, err := s.indexedWorkspaces(ctx, tx, c, ixWorkspaceBundle, id, (*workspaceRecord).live) // index.go
		if err != nil {
			return err
		}
		if len(used) > 0 {
			return &ws.ResourceAssociatedException{Message: api.String(fmt.Sprintf("Bundle %s is used by %d WorkSpaces (e.g. %s); terminate them first.", id, len(used), *used[0].WorkspaceId))}
		}
		pools, err := s.livePools(ctx, tx, c)
		if err != nil {
			return err
		}
		for _, p := range pools {
			if api.ToString(p.BundleId) == id {
				return &ws.ResourceAssociatedException{Message: api.String(fmt.Sprintf("Bundle %s is used by pool %s; terminate the pool first.", id, *p.PoolId))}
			}
		}
		if err := putIndexed(ctx, tx, key(c, kindBundle, id), nil, func(b *customBundleRecord) []entry { return bundleEntries(c, b) }); err != nil {
			return err
		}
		return deleteAllTags(ctx, tx, c, id)
	})
	if err != nil {
		return nil, err
	}
	return &ws.DeleteWorkspaceBundleOutput{}, nil
}

// createBundle stores a new custom bundle and its index entries.
func createBundle(ctx context.Context, tx store.Tx, c *api.Call, b *customBundleRecord) error {
	if err := tx.Create(ctx, key(c, kindBundle, b.ID), b); err != nil {
		return err
	}
	return putEntries(ctx, tx, bundleEntries(c, b)) // index.go
}

// imageUsedByBundle names a custom bundle of the caller built on image id,
// or "", read through the bundle image index (the caller ran ensureIndexes).
func imageUsedByBundle(ctx context.Context, tx store.Tx, c *api.Call, id string) (string, error) {
	return firstInIndex(ctx, tx, ixScope(ixBundleImage, id, c.Account, c.Region))
}

// DescribeBundleAssociations lists a bundle's application associations
// (spec §19.5): a public bundle's Office applications, a custom bundle's
// image's applications (application_assoc.go).
func (s *Service) DescribeBundleAssociations(ctx context.Context, c *api.Call, in *ws.DescribeBundleAssociationsInput) (*ws.DescribeBundleAssociationsOutput, error) {
	if len(in.AssociatedResourceTypes) == 0 {
		return nil, invalidf("AssociatedResourceTypes needs at least one type (APPLICATION).")
	}
	var found bool
	out := &ws.DescribeBundleAssociationsOutput{Associations: []ws.BundleResourceAssociation{}}
	err := s.view(ctx, func(tx store.Tx) error {
		b, cb, err := s.bundleFor(ctx, tx, c, *in.BundleId)
		if found = b != nil; !found || err != nil {
			return err
		}
		// The applications a bundle carries (application_assoc.go): a public
		// bundle's Office, a custom bundle's image's applications.
		apps, err := s.bundleApps(ctx, tx, c, *in.BundleId)
		if err != nil {
			return err
		}
		since := applicationTime
		if cb != nil {
			since = cb.Created
		}
		for _, a := range apps {
			out.Associations = append(out.Associations, ws.BundleResourceAssociation{
				AssociatedResourceId: api.String(a), AssociatedResourceType: ws.BundleAssociatedResourceTypeApplication,
				BundleId: in.BundleId, Created: api.NewTimestamp(since), LastUpdatedTime: api.NewTimestamp(since),
				State: ws.AssociationStateCompleted,
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, notFound("bundle", *in.BundleId)
	}
	return out, nil
}

// ownBundles lists the caller's custom bundles (REGULAR and STANDBY).
func ownBundles(ctx context.Context, tx store.Tx, c *api.Call) ([]*customBundleRecord, error) {
	return listRecords[customBundleRecord](ctx, tx, scope(c, kindBundle))
}

// isAmazonOwner reports whether a DescribeWorkspaceBundles Owner names
// Amazon: exactly AMAZON, as the model documents (spec §8.1).
func isAmazonOwner(owner string) bool { return owner == "AMAZON" }
