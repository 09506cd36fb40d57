package workspaces

// Images (spec §4.3, §10): created from a WorkSpace, imported from an EC2
// AMI (BYOL) or copied; shared with other accounts of the same region.
// Images live per region outside any account's namespace with their owner
// recorded, so a recipient finds a shared image by id. Not emulated: EC2
// (any well-formed AMI id is importable), custom bundles using images,
// CreateUpdatedWorkspaceImage, organisations (every account is in one).

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	defaultImagePage      = 25 // spec §1.4
	defaultPermissionPage = 25 // spec §1.4
)

type imageRecord struct {
	ws.WorkspaceImage
	SharedWith []string               `json:"sharedWith,omitempty"`
	Ec2ImageID string                 `json:"ec2ImageId,omitempty"`
	Next       ws.WorkspaceImageState `json:"next,omitempty"`
	Due        time.Time              `json:"due"`
	// Fail is the error the image moves to at Due instead of AVAILABLE.
	Fail *ws.ErrorDetails `json:"fail,omitempty"`
	// OSName is the operating system the image came from and Graphics
	// whether it needs a graphics compute type (custom bundles, spec §19.1).
	OSName   ws.OperatingSystemName `json:"osName,omitempty"`
	Graphics bool                   `json:"graphics,omitempty"`
	seq      int64
}

func imageKey(c *api.Call, region, id string) store.Key {
	return store.Key{Kind: kindImage, Region: region, ID: id}
}

func (im *imageRecord) resolve(now time.Time) {
	if im.Next == "" || now.Before(im.Due) {
		return
	}
	im.State, im.Next = im.Next, ""
	if im.State == ws.WorkspaceImageStateError && im.Fail != nil {
		im.ErrorCode = api.String(string(im.Fail.ErrorCode))
		im.ErrorMessage = im.Fail.ErrorMessage
		im.ErrorDetails = []ws.ErrorDetails{*im.Fail}
	}
}

func (im *imageRecord) owner() string { return api.ToString(im.OwnerAccountId) }

func (im *imageRecord) visibleTo(account string) bool {
	return im.owner() == account || slices.Contains(im.SharedWith, account)
}

// getImage returns an image of region by id whatever its owner, or nil.
func getImage(ctx context.Context, tx store.Tx, c *api.Call, region, id string) (*imageRecord, error) {
	im, err := lookup[imageRecord](ctx, tx, imageKey(c, region, id))
	if im != nil {
		im.resolve(c.Now)
	}
	return im, err
}

// putImage stores im and moves its index entries from what the stored
// record had.
func putImage(ctx context.Context, tx store.Tx, c *api.Call, im *imageRecord) error {
	return putIndexed(ctx, tx, imageKey(c, c.Region, api.ToString(im.ImageId)), im, func(im *imageRecord) []entry { return imageEntries(c.Region, im) })
}

// checkNewImage applies name uniqueness and the image quota of the caller,
// through the caller's image indexes.
func (s *Service) checkNewImage(ctx context.Context, tx store.Tx, c *api.Call, name string) error {
	if id, err := uniqueID(ctx, tx, uniqueEntry(ixImageName, c.Account, c.Region, name, "").key); err != nil {
		return err
	} else if id != "" {
		return &ws.ResourceAlreadyExistsException{Message: api.String(fmt.Sprintf("An image named '%s' already exists in %s.", name, c.Region))}
	}
	owned, err := tx.Count(ctx, ixScope(ixImageOwner, "", c.Account, c.Region))
	if err != nil {
		return err
	}
	if owned >= s.quotas.Images {
		return limitf("The account already owns %d images in %s; the quota is %d.", owned, c.Region, s.quotas.Images)
	}
	return nil
}

// newImage stores a PENDING image owned by the caller that becomes AVAILABLE after delay.
func (s *Service) newImage(ctx context.Context, tx store.Tx, c *api.Call, name, desc string, os ws.OperatingSystemType, tenancy ws.WorkspaceImageRequiredTenancy, delay time.Duration, tags []ws.Tag) (*imageRecord, error) {
	im := &imageRecord{}
	id := "wsi-" + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 9)
	im.ImageId, im.Name, im.Description = &id, api.String(name), api.String(desc)
	im.OperatingSystem = &ws.OperatingSystem{Type: os}
	im.State, im.Next, im.Due = ws.WorkspaceImageStatePending, ws.WorkspaceImageStateAvailable, c.Now.Add(delay)
	im.RequiredTenancy = tenancy
	im.Created = api.NewTimestamp(c.Now)
	im.OwnerAccountId = api.String(c.Account)
	im.Updates = &ws.UpdateResult{UpdateAvailable: api.Bool(false), Description: api.String("No updates are available for this image.")}
	if err := putImage(ctx, tx, c, im); err != nil {
		return nil, err
	}
	return im, putTags(ctx, tx, c, id, tags)
}

func osType(name ws.OperatingSystemName) ws.OperatingSystemType {
	n := string(name)
	if strings.Contains(n, "LINUX") || strings.Contains(n, "UBUNTU") || strings.Contains(n, "RHEL") || strings.Contains(n, "ROCKY") {
		return ws.OperatingSystemTypeLinux
	}
	return ws.OperatingSystemTypeWindows
}

// CreateWorkspaceImage images an AVAILABLE WorkSpace, which is SUSPENDED
// until the image is AVAILABLE.
func (s *Service) CreateWorkspaceImage(ctx context.Context, c *api.Call, in *ws.CreateWorkspaceImageInput) (*ws.CreateWorkspaceImageOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	out := &ws.CreateWorkspaceImageOutput{}
	err := s.update(ctx, func(tx store.Tx) error {
		w, err := s.getWorkspace(ctx, tx, c, *in.WorkspaceId)
		if err != nil {
			return err
		}
		if w == nil {
			return notFound("WorkSpace", *in.WorkspaceId)
		}
		if w.State != ws.WorkspaceStateAvailable || len(w.ModificationStates) > 0 {
			return stateErrf("WorkSpace %s is in state %s; an image can be created only from an AVAILABLE WorkSpace with no modification in progress.", *in.WorkspaceId, w.State)
		}
		if api.ToBool(w.RootVolumeEncryptionEnabled, false) || api.ToBool(w.UserVolumeEncryptionEnabled, false) {
			return &ws.OperationNotSupportedException{Message: api.String("Images cannot be created from encrypted WorkSpaces."), Reason: api.String("ENCRYPTED_WORKSPACE")}
		}
		if w.standby() { // inferred: spec §23.1
			return &ws.OperationNotSupportedException{Message: api.String("Images cannot be created from standby WorkSpace " + *in.WorkspaceId + "."), Reason: api.String("STANDBY_WORKSPACE")}
		}
		if w.WorkspaceProperties.OperatingSystemName == ws.OperatingSystemNameWindows7 {
			return &ws.OperationNotSupportedException{Message: api.String("Images cannot be created from Windows 7 WorkSpaces."), Reason: api.String("WINDOWS_7")}
		}
		if err := s.checkNewImage(ctx, tx, c, *in.Name); err != nil {
			return err
		}
		tenancy := ws.WorkspaceImageRequiredTenancyDefault
		if d, err := s.findDirectory(ctx, tx, c, *w.DirectoryId); err == nil && d != nil && d.Tenancy == ws.TenancyDedicated {
			tenancy = ws.WorkspaceImageRequiredTenancyDedicated
		}
		im, err := s.newImage(ctx, tx, c, *in.Name, *in.Description, osType(w.WorkspaceProperties.OperatingSystemName), tenancy, s.delays.ImageCreate, in.Tags)
		if err != nil {
			return err
		}
		im.OSName, im.Graphics = w.WorkspaceProperties.OperatingSystemName, graphics(w.WorkspaceProperties.ComputeTypeName)
		if err := putImage(ctx, tx, c, im); err != nil {
			return err
		}
		if err := s.imageAppsFromWorkspace(ctx, tx, c, *im.ImageId, *w.WorkspaceId); err != nil { // application_assoc.go
			return err
		}
		w.transition(c.Now, ws.WorkspaceStateSuspended, ws.WorkspaceStateAvailable, s.delays.ImageCreate)
		if err := tx.Put(ctx, key(c, kindWorkspace, *w.WorkspaceId), w); err != nil {
			return err
		}
		*out = ws.CreateWorkspaceImageOutput{
			ImageId: im.ImageId, Name: im.Name, Description: im.Description, OperatingSystem: im.OperatingSystem,
			State: im.State, RequiredTenancy: im.RequiredTenancy, Created: im.Created, OwnerAccountId: im.OwnerAccountId,
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ImportWorkspaceImage ingests a BYOL AMI. Without BYOL enabled the call
// succeeds and the image fails asynchronously (inferred: spec §16.7).
func (s *Service) ImportWorkspaceImage(ctx context.Context, c *api.Call, in *ws.ImportWorkspaceImageInput) (*ws.ImportWorkspaceImageOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	if len(in.Applications) > 1 {
		return nil, invalidf("Only one application can be included in an imported image.")
	}
	proc := string(in.IngestionProcess)
	if len(in.Applications) == 1 && in.Applications[0] == ws.ApplicationMicrosoftOffice2016 && (strings.Contains(proc, "G4DN") || strings.HasSuffix(proc, "_WSP")) {
		return nil, invalidf("Microsoft Office 2016 is not supported with ingestion process %s.", proc)
	}
	var id *string
	err := s.update(ctx, func(tx store.Tx) error {
		if id, err := uniqueID(ctx, tx, uniqueEntry(ixImageEC2, c.Account, c.Region, *in.Ec2ImageId, "").key); err != nil {
			return err
		} else if id != "" {
			return &ws.ResourceAlreadyExistsException{Message: api.String(fmt.Sprintf("EC2 image %s was already imported as %s.", *in.Ec2ImageId, id))}
		}
		if err := s.checkNewImage(ctx, tx, c, *in.ImageName); err != nil {
			return err
		}
		byol, err := s.byolEnabled(ctx, tx, c)
		if err != nil {
			return err
		}
		im, err := s.newImage(ctx, tx, c, *in.ImageName, *in.ImageDescription, ws.OperatingSystemTypeWindows, ws.WorkspaceImageRequiredTenancyDedicated, s.delays.ImageImport, in.Tags)
		if err != nil {
			return err
		}
		im.Ec2ImageID = *in.Ec2ImageId
		im.Graphics = strings.Contains(proc, "GRAPHICS")
		if err := s.imageAppsFromImport(ctx, tx, c, *im.ImageId, in.Applications); err != nil { // application_assoc.go
			return err
		}
		if !byol {
			im.Next = ws.WorkspaceImageStateError
			im.Fail = &ws.ErrorDetails{ErrorCode: ws.WorkspaceImageErrorDetailCodeWorkspacesbyolaccountdisabled,
				ErrorMessage: api.String(fmt.Sprintf("Account %s is not enabled for BYOL in %s; enable it with ModifyAccount first.", c.Account, c.Region))}
		}
		id = im.ImageId
		return putImage(ctx, tx, c, im)
	})
	if err != nil {
		return nil, err
	}
	return &ws.ImportWorkspaceImageOutput{ImageId: id}, nil
}

// CopyWorkspaceImage copies an image the caller owns or that is shared with
// it, from SourceRegion into the caller's region.
func (s *Service) CopyWorkspaceImage(ctx context.Context, c *api.Call, in *ws.CopyWorkspaceImageInput) (*ws.CopyWorkspaceImageOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	var id *string
	err := s.update(ctx, func(tx store.Tx) error {
		src, err := getImage(ctx, tx, c, *in.SourceRegion, *in.SourceImageId)
		if err != nil {
			return err
		}
		if src == nil || !src.visibleTo(c.Account) {
			return notFound("image", *in.SourceImageId)
		}
		if src.State != ws.WorkspaceImageStateAvailable {
			return &ws.ResourceUnavailableException{Message: api.String(fmt.Sprintf("Image %s is %s; only AVAILABLE images can be copied.", *in.SourceImageId, src.State)), ResourceId: in.SourceImageId}
		}
		if src.RequiredTenancy == ws.WorkspaceImageRequiredTenancyDedicated {
			byol, err := s.byolEnabled(ctx, tx, c)
			if err != nil {
				return err
			}
			if !byol {
				return &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf("BYOL image %s can be copied only into a region where account %s is enabled for BYOL.", *in.SourceImageId, c.Account)), Reason: api.String("BYOL_NOT_ENABLED")}
			}
		}
		if err := s.checkNewImage(ctx, tx, c, *in.Name); err != nil {
			return err
		}
		desc := api.ToString(src.Description)
		if in.Description != nil {
			desc = *in.Description
		}
		im, err := s.newImage(ctx, tx, c, *in.Name, desc, src.OperatingSystem.Type, src.RequiredTenancy, s.delays.ImageCopy, in.Tags)
		if err != nil {
			return err
		}
		id = im.ImageId
		im.OSName, im.Graphics = src.OSName, src.Graphics
		if err := putImage(ctx, tx, c, im); err != nil {
			return err
		}
		return s.imageAppsFromImage(ctx, tx, c, *id, *in.SourceRegion, *in.SourceImageId) // application_assoc.go
	})
	if err != nil {
		return nil, err
	}
	return &ws.CopyWorkspaceImageOutput{ImageId: id}, nil
}

// DescribeWorkspaceImages lists images the caller owns (default, OWNED) or
// that are shared with it (SHARED); ImageIds narrows to visible ids.
func (s *Service) DescribeWorkspaceImages(ctx context.Context, c *api.Call, in *ws.DescribeWorkspaceImagesInput) (*ws.DescribeWorkspaceImagesOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	keep := func(im *imageRecord) bool {
		owned := im.owner() == c.Account
		shared := !owned && slices.Contains(im.SharedWith, c.Account)
		switch {
		case in.ImageType == ws.ImageTypeOwned && !owned, in.ImageType == ws.ImageTypeShared && !shared:
			return false
		}
		return owned || shared
	}
	filter := []any{in.ImageIds, in.ImageType}
	var page []*imageRecord
	var next *string
	err := s.view(ctx, func(tx store.Tx) (err error) {
		get := func(id string) (*imageRecord, error) { return getImage(ctx, tx, c, c.Region, id) }
		if len(in.ImageIds) > 0 {
			list, err := byIDs(in.ImageIds, get)
			list = slices.DeleteFunc(list, func(im *imageRecord) bool { return !keep(im) })
			if err == nil {
				page, next, err = pageOf(s, c, list, func(im *imageRecord) int64 { return im.seq }, in.NextToken, in.MaxResults, defaultImagePage, filter)
			}
			return err
		}
		// OWNED (the default, inferred: spec §16.1) or SHARED: one page of
		// the caller's index.
		ix := ixScope(ixImageOwner, "", c.Account, c.Region)
		if in.ImageType == ws.ImageTypeShared {
			ix = ixScope(ixImageShared, "", c.Account, c.Region)
		}
		page, next, err = indexPage(ctx, s, tx, c, ix, in.NextToken, in.MaxResults, defaultImagePage, filter, get, keep)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeWorkspaceImagesOutput{Images: make([]ws.WorkspaceImage, 0, len(page)), NextToken: next}
	for _, im := range page {
		out.Images = append(out.Images, im.WorkspaceImage)
	}
	return out, nil
}

// DeleteWorkspaceImage deletes an owned image that is not PENDING and not
// shared; an unknown id is a no-op (the model has no not-found error).
func (s *Service) DeleteWorkspaceImage(ctx context.Context, c *api.Call, in *ws.DeleteWorkspaceImageInput) (*ws.DeleteWorkspaceImageOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		im, err := getImage(ctx, tx, c, c.Region, *in.ImageId)
		if err != nil || im == nil || !im.visibleTo(c.Account) {
			return err
		}
		switch {
		case im.owner() != c.Account:
			return &ws.AccessDeniedException{Message: api.String(fmt.Sprintf("Image %s is shared with account %s, which does not own it.", *in.ImageId, c.Account))}
		case len(im.SharedWith) > 0:
			return &ws.ResourceAssociatedException{Message: api.String(fmt.Sprintf("Image %s is shared with %d accounts; unshare it first.", *in.ImageId, len(im.SharedWith)))}
		case im.State == ws.WorkspaceImageStatePending:
			return stateErrf("Image %s is PENDING; it can be deleted once AVAILABLE or ERROR.", *in.ImageId)
		}
		if b, err := imageUsedByBundle(ctx, tx, c, *in.ImageId); err != nil || b != "" {
			if err != nil {
				return err
			}
			return &ws.ResourceAssociatedException{Message: api.String(fmt.Sprintf("Image %s is used by bundle %s; delete the bundle or move it to another image first.", *in.ImageId, b))}
		}
		if err := tx.Delete(ctx, imageKey(c, c.Region, *in.ImageId)); err != nil {
			return err
		}
		if err := s.dropImageApps(ctx, tx, c, *in.ImageId); err != nil { // application_assoc.go
			return err
		}
		if err := reindex(ctx, tx, imageEntries(c.Region, im), nil); err != nil {
			return err
		}
		// An ImportCustomWorkspaceImage record goes with its image (inferred:
		// the store keeps what is live), with its source index entry.
		if err := putIndexed[customImportRecord](ctx, tx, key(c, kindCustomImport, *in.ImageId), nil, func(r *customImportRecord) []entry { return customImportEntries(c, r) }); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return deleteAllTags(ctx, tx, c, *in.ImageId)
	})
	if err != nil {
		return nil, err
	}
	return &ws.DeleteWorkspaceImageOutput{}, nil
}

// UpdateWorkspaceImagePermission shares (AllowCopyImage true) or unshares
// an owned image with another account of the same region.
func (s *Service) UpdateWorkspaceImagePermission(ctx context.Context, c *api.Call, in *ws.UpdateWorkspaceImagePermissionInput) (*ws.UpdateWorkspaceImagePermissionOutput, error) {
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	target := *in.SharedAccountId
	err := s.update(ctx, func(tx store.Tx) error {
		im, err := getImage(ctx, tx, c, c.Region, *in.ImageId)
		if err != nil {
			return err
		}
		if im == nil || !im.visibleTo(c.Account) {
			return notFound("image", *in.ImageId)
		}
		if im.owner() != c.Account {
			return &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf("Image %s is shared with account %s and cannot be shared on.", *in.ImageId, c.Account)), Reason: api.String("NOT_OWNER")}
		}
		if target == c.Account {
			return invalidf("SharedAccountId %s is the image's owner.", target)
		}
		shared := slices.Contains(im.SharedWith, target)
		if !*in.AllowCopyImage {
			if !shared {
				return invalidf("Image %s is not shared with account %s.", *in.ImageId, target)
			}
			im.SharedWith = slices.DeleteFunc(im.SharedWith, func(a string) bool { return a == target })
			return putImage(ctx, tx, c, im)
		}
		if im.State != ws.WorkspaceImageStateAvailable {
			return &ws.ResourceUnavailableException{Message: api.String(fmt.Sprintf("Image %s is %s; only AVAILABLE images can be shared.", *in.ImageId, im.State)), ResourceId: in.ImageId}
		}
		if shared {
			return nil
		}
		if im.RequiredTenancy == ws.WorkspaceImageRequiredTenancyDedicated {
			byol, err := s.byolEnabledFor(ctx, tx, c, target)
			if err != nil {
				return err
			}
			if !byol {
				return &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf("BYOL image %s can be shared only with accounts enabled for BYOL in %s; %s is not.", *in.ImageId, c.Region, target)), Reason: api.String("BYOL_NOT_ENABLED")}
			}
		}
		im.SharedWith = append(im.SharedWith, target)
		return putImage(ctx, tx, c, im)
	})
	if err != nil {
		return nil, err
	}
	return &ws.UpdateWorkspaceImagePermissionOutput{}, nil
}

// DescribeWorkspaceImagePermissions lists the accounts an owned image is
// shared with, sorted by account id.
func (s *Service) DescribeWorkspaceImagePermissions(ctx context.Context, c *api.Call, in *ws.DescribeWorkspaceImagePermissionsInput) (*ws.DescribeWorkspaceImagePermissionsOutput, error) {
	var im *imageRecord
	err := s.view(ctx, func(tx store.Tx) (err error) {
		im, err = getImage(ctx, tx, c, c.Region, *in.ImageId)
		return err
	})
	if err != nil {
		return nil, err
	}
	if im == nil || im.owner() != c.Account {
		return nil, notFound("image", *in.ImageId)
	}
	accounts := slices.Clone(im.SharedWith)
	slices.Sort(accounts)
	type item struct {
		account string
		seq     int64
	}
	items := make([]item, len(accounts))
	for i, a := range accounts {
		items[i] = item{a, int64(i + 1)}
	}
	page, next, err := pageOf(s, c, items, func(x item) int64 { return x.seq }, in.NextToken, in.MaxResults, defaultPermissionPage, *in.ImageId)
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeWorkspaceImagePermissionsOutput{ImageId: in.ImageId, ImagePermissions: make([]ws.ImagePermission, 0, len(page)), NextToken: next}
	for _, x := range page {
		out.ImagePermissions = append(out.ImagePermissions, ws.ImagePermission{SharedAccountId: api.String(x.account)})
	}
	return out, nil
}

func (r *imageRecord) setSeq(n int64) { r.seq = n }
