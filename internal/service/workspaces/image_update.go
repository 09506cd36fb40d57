package workspaces

// Image updates and custom image imports (spec §24): CreateUpdatedWorkspaceImage,
// ImportCustomWorkspaceImage (the EC2 Image Builder route) and
// DescribeCustomWorkspaceImageImport. Both create an image record of
// image.go, counted against the image quota. Not emulated: EC2 and Image
// Builder (any well-formed source is accepted), the BYOP allow-list, agent
// releases (an image has an update only when the /_local/ endpoint says so).

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// kindCustomImport holds the workflow of an ImportCustomWorkspaceImage image.
const kindCustomImport = "workspaces.customimport"

// customImportStages are the working states of the workflow, walked in the
// enum's order, each for 1/12 of image.custom-import (inferred: spec §24.2).
var customImportStages = []ws.CustomWorkspaceImageImportState{
	ws.CustomWorkspaceImageImportStatePending, ws.CustomWorkspaceImageImportStateInProgress,
	ws.CustomWorkspaceImageImportStateProcessingSourceImage, ws.CustomWorkspaceImageImportStateImageTestingStart,
	ws.CustomWorkspaceImageImportStateUpdatingOperatingSystem, ws.CustomWorkspaceImageImportStateImageCompatibilityChecking,
	ws.CustomWorkspaceImageImportStateImageTestingGeneralization, ws.CustomWorkspaceImageImportStateCreatingTestInstance,
	ws.CustomWorkspaceImageImportStateInstallingComponents, ws.CustomWorkspaceImageImportStateGeneralizing,
	ws.CustomWorkspaceImageImportStateValidating, ws.CustomWorkspaceImageImportStatePublishing,
}

type customImportRecord struct {
	ImageID  string                    `json:"imageId"`
	InfraARN string                    `json:"infraArn"`
	Source   *ws.ImageSourceIdentifier `json:"source"`
	Start    time.Time                 `json:"start"`
	Duration time.Duration             `json:"duration"`
	Instance string                    `json:"instance"`
	// Fail is the error the workflow ends in (BYOL not enabled), or nil.
	Fail *ws.CustomWorkspaceImageImportErrorDetails `json:"fail,omitempty"`
}

// ImageUpdate is the body of POST /_local/workspaces/images/{id}/updates.
type ImageUpdate struct {
	UpdateAvailable bool   `json:"updateAvailable"`
	Description     string `json:"description"`
}

// SetImageUpdate marks an image (any owner) as having a WorkSpaces update,
// or not; 404 for an unknown image. Images live per region, so the id is
// looked up in each region the emulator knows (ids are unique).
func (s *Service) SetImageUpdate(ctx context.Context, now time.Time, id string, in ImageUpdate) (*ws.WorkspaceImage, error) {
	var out ws.WorkspaceImage
	err := s.update(ctx, func(tx store.Tx) error {
		for _, region := range ids.Regions() {
			k := store.Key{Kind: kindImage, Region: region, ID: id}
			im, err := lookup[imageRecord](ctx, tx, k)
			if err != nil {
				return err
			}
			if im == nil {
				continue
			}
			im.resolve(now)
			desc := in.Description
			if desc == "" && in.UpdateAvailable {
				desc = "WorkSpaces components and drivers have an update for this image."
			} else if desc == "" {
				desc = "No updates are available for this image."
			}
			im.Updates = &ws.UpdateResult{UpdateAvailable: api.Bool(in.UpdateAvailable), Description: api.String(desc)}
			out = im.WorkspaceImage
			return tx.Put(ctx, k, im)
		}
		return localf(404, "No image %s.", id)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// updatableOS: Windows 10, Server 2016 and Server 2019 based images [D].
func updatableOS(os ws.OperatingSystemName) bool {
	return os == ws.OperatingSystemNameWindows10 || os == ws.OperatingSystemNameWindowsServer2016 || os == ws.OperatingSystemNameWindowsServer2019
}

// CreateUpdatedWorkspaceImage makes a new image with the latest WorkSpaces
// components from an owned image that has an update available.
func (s *Service) CreateUpdatedWorkspaceImage(ctx context.Context, c *api.Call, in *ws.CreateUpdatedWorkspaceImageInput) (*ws.CreateUpdatedWorkspaceImageOutput, error) {
	var id *string
	err := s.update(ctx, func(tx store.Tx) error {
		src, err := getImage(ctx, tx, c, c.Region, *in.SourceImageId)
		if err != nil {
			return err
		}
		if src == nil || src.owner() != c.Account {
			return notFound("image", *in.SourceImageId)
		}
		switch {
		case src.State != ws.WorkspaceImageStateAvailable:
			return stateErrf("Image %s is %s; it must be AVAILABLE.", *in.SourceImageId, src.State)
		case !updatableOS(src.imageOS()):
			return onsf("OS_NOT_SUPPORTED", "Image %s runs %s; only Windows 10, Windows Server 2016 and Windows Server 2019 based images can be updated.", *in.SourceImageId, src.imageOS())
		case src.Updates == nil || !api.ToBool(src.Updates.UpdateAvailable, false):
			return onsf("NO_UPDATE_AVAILABLE", "Image %s has no update available (DescribeWorkspaceImages shows Updates.UpdateAvailable).", *in.SourceImageId)
		}
		if err := s.checkNewImage(ctx, tx, c, *in.Name); err != nil {
			return err
		}
		im, err := s.newImage(ctx, tx, c, *in.Name, *in.Description, src.OperatingSystem.Type, src.RequiredTenancy, s.delays.ImageUpdate, in.Tags)
		if err != nil {
			return err
		}
		im.OSName, im.Graphics = src.OSName, src.Graphics
		id = im.ImageId
		return putImage(ctx, tx, c, im)
	})
	if err != nil {
		return nil, err
	}
	return &ws.CreateUpdatedWorkspaceImageOutput{ImageId: id}, nil
}

// sourceKey is what identifies an import source, for the duplicate rule.
func sourceKey(src *ws.ImageSourceIdentifier) string {
	return api.ToString(src.Ec2ImageId) + api.ToString(src.Ec2ImportTaskId) + api.ToString(src.ImageBuildVersionArn)
}

// checkCustomImport applies the request rules of spec §24.2 before any read.
func checkCustomImport(c *api.Call, in *ws.ImportCustomWorkspaceImageInput) error {
	src := in.ImageSource
	n := 0
	for _, m := range []*string{src.Ec2ImageId, src.Ec2ImportTaskId, src.ImageBuildVersionArn} {
		if m != nil {
			n++
		}
	}
	if n != 1 {
		return &ws.ValidationException{Message: api.String(fmt.Sprintf("ImageSource must set exactly one of Ec2ImageId, Ec2ImportTaskId or ImageBuildVersionArn; %d are set.", n))}
	}
	switch {
	case in.OsVersion == ws.OSVersionWindows11 && in.Protocol == ws.CustomImageProtocolPcoip:
		return invalidf("Windows 11 images do not support the PCOIP protocol; use DCV.")
	case in.ComputeType == ws.ImageComputeTypeGraphicsG6 && in.Protocol != ws.CustomImageProtocolDcv:
		return invalidf("GRAPHICS_G6 images need the DCV protocol.")
	}
	for name, arn := range map[string]*string{"InfrastructureConfigurationArn": in.InfrastructureConfigurationArn, "ImageSource.ImageBuildVersionArn": src.ImageBuildVersionArn} {
		if arn == nil {
			continue
		}
		parts := strings.SplitN(*arn, ":", 6)
		if len(parts) < 6 || parts[3] != c.Region || (parts[4] != c.Account && !(parts[4] == "aws" && name != "InfrastructureConfigurationArn")) {
			return invalidf("%s %s must be in region %s and account %s.", name, *arn, c.Region, c.Account)
		}
	}
	return nil
}

// ImportCustomWorkspaceImage starts the Image Builder import workflow; the
// image is PENDING until the workflow completes (or fails without BYOL).
func (s *Service) ImportCustomWorkspaceImage(ctx context.Context, c *api.Call, in *ws.ImportCustomWorkspaceImageInput) (*ws.ImportCustomWorkspaceImageOutput, error) {
	if err := checkCustomImport(c, in); err != nil {
		return nil, err
	}
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	var id *string
	err := s.update(ctx, func(tx store.Tx) error {
		// The image last imported from this source, read by the source index.
		prev, err := uniqueID(ctx, tx, ixKey(ixScope(ixImageSource, "", c.Account, c.Region), sourceKey(in.ImageSource)))
		if err != nil {
			return err
		}
		if prev != "" {
			if im, err := getImage(ctx, tx, c, c.Region, prev); err != nil {
				return err
			} else if im != nil {
				return &ws.ResourceAlreadyExistsException{Message: api.String(fmt.Sprintf("Image source %s already backs image %s.", sourceKey(in.ImageSource), prev))}
			}
		}
		if err := s.checkNewImage(ctx, tx, c, *in.ImageName); err != nil {
			return err
		}
		byol, err := s.byolEnabled(ctx, tx, c)
		if err != nil {
			return err
		}
		im, err := s.newImage(ctx, tx, c, *in.ImageName, *in.ImageDescription, ws.OperatingSystemTypeWindows, ws.WorkspaceImageRequiredTenancyDedicated, s.delays.ImageCustomImport, in.Tags)
		if err != nil {
			return err
		}
		im.OSName, im.Graphics = ws.OperatingSystemNameWindows10, in.ComputeType != ws.ImageComputeTypeBase
		if in.OsVersion == ws.OSVersionWindows11 {
			im.OSName = ws.OperatingSystemNameWindows11
		}
		rec := customImportRecordSeq{customImportRecord{ImageID: *im.ImageId, InfraARN: *in.InfrastructureConfigurationArn, Source: in.ImageSource,
			Start: c.Now, Duration: s.delays.ImageCustomImport, Instance: "i-" + ids.Random("0123456789abcdef", 17)}, 0}
		if !byol {
			msg := fmt.Sprintf("Account %s is not enabled for BYOL in %s; enable it with ModifyAccount first.", c.Account, c.Region)
			im.Next = ws.WorkspaceImageStateError
			im.Fail = &ws.ErrorDetails{ErrorCode: ws.WorkspaceImageErrorDetailCodeWorkspacesbyolaccountdisabled, ErrorMessage: api.String(msg)}
			rec.Fail = &ws.CustomWorkspaceImageImportErrorDetails{ErrorCode: api.String("WorkspacesBYOLAccountDisabled"), ErrorMessage: api.String(msg)}
		}
		id = im.ImageId
		if err := putImage(ctx, tx, c, im); err != nil {
			return err
		}
		if err := tx.Create(ctx, key(c, kindCustomImport, *id), rec); err != nil {
			return err
		}
		return putEntries(ctx, tx, customImportEntries(c, &rec.customImportRecord)) // index.go
	})
	if err != nil {
		return nil, err
	}
	return &ws.ImportCustomWorkspaceImageOutput{ImageId: id, State: ws.CustomWorkspaceImageImportStatePending}, nil
}

type customImportRecordSeq struct {
	customImportRecord
	seq int64
}

func (r *customImportRecordSeq) setSeq(n int64) { r.seq = n }

// DescribeCustomWorkspaceImageImport shows the workflow of an image made by
// ImportCustomWorkspaceImage; other images are not found.
func (s *Service) DescribeCustomWorkspaceImageImport(ctx context.Context, c *api.Call, in *ws.DescribeCustomWorkspaceImageImportInput) (*ws.DescribeCustomWorkspaceImageImportOutput, error) {
	var rec *customImportRecord
	var im *imageRecord
	err := s.view(ctx, func(tx store.Tx) (err error) {
		if rec, err = lookup[customImportRecord](ctx, tx, key(c, kindCustomImport, *in.ImageId)); rec == nil || err != nil {
			return err
		}
		im, err = getImage(ctx, tx, c, c.Region, *in.ImageId)
		return err
	})
	if err != nil {
		return nil, err
	}
	if rec == nil || im == nil || im.owner() != c.Account {
		return nil, notFound("custom image import", *in.ImageId)
	}
	stage, changed := len(customImportStages), rec.Start.Add(rec.Duration)
	if elapsed := c.Now.Sub(rec.Start); elapsed < rec.Duration {
		stage = int(elapsed * time.Duration(len(customImportStages)) / rec.Duration)
		changed = rec.Start.Add(rec.Duration * time.Duration(stage) / time.Duration(len(customImportStages)))
	}
	out := &ws.DescribeCustomWorkspaceImageImportOutput{ImageId: in.ImageId, InfrastructureConfigurationArn: api.String(rec.InfraARN),
		Created: api.NewTimestamp(rec.Start), LastUpdatedTime: api.NewTimestamp(changed), ImageSource: rec.Source,
		ProgressPercentage: api.Int32(int32(100 * stage / len(customImportStages)))}
	switch {
	case stage < len(customImportStages):
		out.State = customImportStages[stage]
		out.StateMessage = api.String("The import is in stage " + strings.ToLower(strings.ReplaceAll(string(out.State), "_", " ")) + ".")
	case rec.Fail != nil:
		out.State, out.StateMessage = ws.CustomWorkspaceImageImportStateError, rec.Fail.ErrorMessage
		out.ErrorDetails = []ws.CustomWorkspaceImageImportErrorDetails{*rec.Fail}
	default:
		out.State, out.StateMessage = ws.CustomWorkspaceImageImportStateCompleted, api.String("The image was imported.")
	}
	if stage >= 7 { // from CREATING_TEST_INSTANCE on
		out.ImageBuilderInstanceId = api.String(rec.Instance)
	}
	return out, nil
}
