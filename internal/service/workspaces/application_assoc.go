package workspaces

// Application associations of images and bundles, and the listings by
// application and by image (spec §20.7). Image and bundle associations are
// read-only: an image records its source WorkSpace's COMPLETED applications
// when it is created (or its source image's when copied, or the Office an
// import names); a bundle carries its image's; a new WorkSpace inherits its
// bundle's as COMPLETED associations.

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// imageAppRecord is one application an image carries.
type imageAppRecord struct {
	ImageID       string    `json:"imageId"`
	ApplicationID string    `json:"applicationId"`
	Owner         string    `json:"owner"`
	Created       time.Time `json:"created"`
	seq           int64
}

func (r *imageAppRecord) setSeq(n int64) { r.seq = n }

func imageAppKey(region, appID, imageID string) store.Key {
	return store.Key{Kind: imageAppKind(appID), Region: region, ID: imageID}
}

// imageApps returns the ids of the applications image id of region carries.
func (s *Service) imageApps(ctx context.Context, tx store.Tx, region, id string) ([]*imageAppRecord, error) {
	var out []*imageAppRecord
	for i := range s.applications {
		r, err := lookup[imageAppRecord](ctx, tx, imageAppKey(region, s.applications[i].ID, id))
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *Service) putImageApps(ctx context.Context, tx store.Tx, c *api.Call, imageID string, appIDs []string) error {
	for _, a := range appIDs {
		r := imageAppRecord{ImageID: imageID, ApplicationID: a, Owner: c.Account, Created: c.Now}
		if err := tx.Put(ctx, imageAppKey(c.Region, a, imageID), r); err != nil {
			return err
		}
	}
	return nil
}

// imageAppsFromWorkspace records on a new image the applications its
// source WorkSpace has COMPLETED (CreateWorkspaceImage).
func (s *Service) imageAppsFromWorkspace(ctx context.Context, tx store.Tx, c *api.Call, imageID, workspaceID string) error {
	apps, err := s.workspaceApps(ctx, tx, c, workspaceID)
	if err != nil {
		return err
	}
	var ids []string
	for _, r := range apps {
		if r.State == ws.AssociationStateCompleted {
			ids = append(ids, r.ApplicationID)
		}
	}
	return s.putImageApps(ctx, tx, c, imageID, ids)
}

// imageAppsFromImage copies a source image's applications onto a copy
// (CopyWorkspaceImage; issue 16's CreateUpdatedWorkspaceImage too).
func (s *Service) imageAppsFromImage(ctx context.Context, tx store.Tx, c *api.Call, imageID, srcRegion, srcID string) error {
	src, err := s.imageApps(ctx, tx, srcRegion, srcID)
	if err != nil {
		return err
	}
	ids := make([]string, len(src))
	for i, r := range src {
		ids[i] = r.ApplicationID
	}
	return s.putImageApps(ctx, tx, c, imageID, ids)
}

// imageAppsFromImport records the Office an ImportWorkspaceImage names.
func (s *Service) imageAppsFromImport(ctx context.Context, tx store.Tx, c *api.Call, imageID string, apps []ws.Application) error {
	var ids []string
	for _, a := range apps {
		switch a {
		case ws.ApplicationMicrosoftOffice2016:
			ids = append(ids, "wsa-off2016p1")
		case ws.ApplicationMicrosoftOffice2019:
			ids = append(ids, "wsa-off2019p1")
		}
	}
	return s.putImageApps(ctx, tx, c, imageID, ids)
}

// dropImageApps forgets a deleted image's applications.
func (s *Service) dropImageApps(ctx context.Context, tx store.Tx, c *api.Call, imageID string) error {
	for i := range s.applications {
		if err := deleteIfPresent(ctx, tx, imageAppKey(c.Region, s.applications[i].ID, imageID)); err != nil {
			return err
		}
	}
	return nil
}

// dropWorkspaceApps forgets a terminated WorkSpace's associations.
func (s *Service) dropWorkspaceApps(ctx context.Context, tx store.Tx, c *api.Call, workspaceID string) error {
	idx, err := lookup[appIndexRecord](ctx, tx, appIndexKey(c, workspaceID))
	if idx == nil || err != nil {
		return err
	}
	for _, a := range idx.Apps {
		if err := deleteIfPresent(ctx, tx, appAssocKey(c, a, workspaceID)); err != nil {
			return err
		}
	}
	return tx.Delete(ctx, appIndexKey(c, workspaceID))
}

// deleteIfPresent deletes k; a key already gone is not an error.
func deleteIfPresent(ctx context.Context, tx store.Tx, k store.Key) error {
	if err := tx.Delete(ctx, k); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// publicBundleApps: a public bundle carries the Office its name says
// (inferred: spec §20.7).
func publicBundleApps(b *bundle) []string {
	switch {
	case strings.Contains(b.Name, "Office 2016"):
		return []string{"wsa-off2016p1"}
	case strings.Contains(b.Name, "Office 2019"):
		return []string{"wsa-off2019p1"}
	}
	return nil
}

// bundleApps returns the applications bundle id carries.
func (s *Service) bundleApps(ctx context.Context, tx store.Tx, c *api.Call, id string) ([]string, error) {
	if b := s.findBundle(id); b != nil {
		return publicBundleApps(b), nil
	}
	b, err := getCustomBundle(ctx, tx, c, id) // bundle_custom.go
	if b == nil || err != nil {
		return nil, err
	}
	recs, err := s.imageApps(ctx, tx, c.Region, b.Image)
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ApplicationID
	}
	return ids, err
}

// inheritApps gives a new WorkSpace its bundle's applications as COMPLETED
// associations (CreateWorkspaces).
func (s *Service) inheritApps(ctx context.Context, tx store.Tx, c *api.Call, w *workspaceRecord) error {
	ids, err := s.bundleApps(ctx, tx, c, api.ToString(w.BundleId))
	if err != nil {
		return err
	}
	for _, a := range ids {
		r := &appAssocRecord{WorkspaceID: *w.WorkspaceId, ApplicationID: a, State: ws.AssociationStateCompleted, StateSince: c.Now, Created: c.Now, Installed: true}
		if err := s.putNewAssoc(ctx, tx, c, r); err != nil {
			return err
		}
	}
	return nil
}

// resetApps puts a rebuilt WorkSpace's associations back to its bundle's:
// a rebuild restores the bundle image, so WorkSpace-level application
// changes are lost (inferred: spec §20.7).
func (s *Service) resetApps(ctx context.Context, tx store.Tx, c *api.Call, w *workspaceRecord) error {
	if err := s.dropWorkspaceApps(ctx, tx, c, *w.WorkspaceId); err != nil {
		return err
	}
	return s.inheritApps(ctx, tx, c, w)
}

// DescribeImageAssociations lists the applications an image the caller can
// see (owned or shared with it) carries.
func (s *Service) DescribeImageAssociations(ctx context.Context, c *api.Call, in *ws.DescribeImageAssociationsInput) (*ws.DescribeImageAssociationsOutput, error) {
	if len(in.AssociatedResourceTypes) == 0 {
		return nil, invalidf("AssociatedResourceTypes must name at least one type (APPLICATION).")
	}
	var recs []*imageAppRecord
	err := s.view(ctx, func(tx store.Tx) error {
		im, err := getImage(ctx, tx, c, c.Region, *in.ImageId)
		if err != nil {
			return err
		}
		if im == nil || !im.visibleTo(c.Account) {
			return notFound("image", *in.ImageId)
		}
		recs, err = s.imageApps(ctx, tx, c.Region, *in.ImageId)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeImageAssociationsOutput{Associations: make([]ws.ImageResourceAssociation, 0, len(recs))}
	for _, r := range recs {
		out.Associations = append(out.Associations, ws.ImageResourceAssociation{
			AssociatedResourceId: api.String(r.ApplicationID), AssociatedResourceType: ws.ImageAssociatedResourceTypeApplication,
			Created: api.NewTimestamp(r.Created), LastUpdatedTime: api.NewTimestamp(r.Created),
			ImageId: api.String(r.ImageID), State: ws.AssociationStateCompleted,
		})
	}
	return out, nil
}

// Phases of DescribeApplicationAssociations: the answer lists bundles, then
// images (owned, then shared with the caller), then WorkSpaces (inferred:
// AWS documents no order), each in creation order. A page position is phase<<phaseShift | position within it.
const phaseShift = 48

const (
	phaseBundle      int64 = iota
	phaseImage             // images the caller owns
	phaseImageShared       // images shared with the caller
	phaseWorkspace
)

type appResItem struct {
	pos int64
	ws.ApplicationResourceAssociation
}

// DescribeApplicationAssociations lists the bundles, images and WorkSpaces
// of the caller associated with an application. A page reads about one page
// of WorkSpace associations, whatever the account holds.
func (s *Service) DescribeApplicationAssociations(ctx context.Context, c *api.Call, in *ws.DescribeApplicationAssociationsInput) (*ws.DescribeApplicationAssociationsOutput, error) {
	a := s.findApplication(*in.ApplicationId)
	if a == nil {
		return nil, notFound("application", *in.ApplicationId)
	}
	if len(in.AssociatedResourceTypes) == 0 {
		return nil, invalidf("AssociatedResourceTypes must name at least one of WORKSPACE, BUNDLE or IMAGE.")
	}
	want := map[int64]bool{}
	for _, t := range in.AssociatedResourceTypes {
		switch t {
		case ws.ApplicationAssociatedResourceTypeBundle:
			want[phaseBundle] = true
		case ws.ApplicationAssociatedResourceTypeImage:
			want[phaseImage], want[phaseImageShared] = true, true
		case ws.ApplicationAssociatedResourceTypeWorkspace:
			want[phaseWorkspace] = true
		}
	}
	if err := s.ensureIndexes(ctx, c); err != nil { // the images are read through the caller's image indexes
		return nil, err
	}
	ps := paging.Scope{Op: c.Operation, Account: c.Account, Region: c.Region, Filter: paging.Filter([]any{a.ID, want})}
	after, err := s.pages.Decode(api.ToString(in.NextToken), ps, c.Now)
	if err != nil {
		return nil, badToken(c.Operation)
	}
	n := int(api.ToInt32(in.MaxResults, defaultAssociationPage))
	var items []appResItem
	err = s.view(ctx, func(tx store.Tx) error {
		for _, p := range []int64{phaseBundle, phaseImage, phaseImageShared, phaseWorkspace} {
			if !want[p] || p < after>>phaseShift || len(items) > n {
				continue
			}
			local := int64(0)
			if p == after>>phaseShift {
				local = after & (1<<phaseShift - 1)
			}
			got, err := s.assocPhase(ctx, tx, c, a.ID, p, local, n+1-len(items))
			if err != nil {
				return err
			}
			items = append(items, got...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeApplicationAssociationsOutput{Associations: make([]ws.ApplicationResourceAssociation, 0, min(n, len(items)))}
	for i, it := range items {
		if i == n {
			next := s.pages.Encode(ps, items[n-1].pos, c.Now)
			out.NextToken = &next
			break
		}
		out.Associations = append(out.Associations, it.ApplicationResourceAssociation)
	}
	return out, nil
}

// assocPhase returns up to need associations of one phase after position
// local within it.
func (s *Service) assocPhase(ctx context.Context, tx store.Tx, c *api.Call, appID string, phase, local int64, need int) ([]appResItem, error) {
	var out []appResItem
	add := func(pos int64, resID string, t ws.ApplicationAssociatedResourceType, created, updated time.Time, st ws.AssociationState, reason *ws.AssociationStateReason) {
		out = append(out, appResItem{pos: phase<<phaseShift | pos, ApplicationResourceAssociation: ws.ApplicationResourceAssociation{
			ApplicationId: api.String(appID), AssociatedResourceId: api.String(resID), AssociatedResourceType: t,
			Created: api.NewTimestamp(created), LastUpdatedTime: api.NewTimestamp(updated), State: st, StateReason: reason,
		}})
	}
	done := func() bool { return len(out) >= need }
	switch phase {
	case phaseBundle:
		// Public bundles at positions 1..n, the caller's custom bundles at
		// n + their Seq, read a chunk at a time.
		n := int64(len(s.bundles))
		for i := range s.bundles {
			if pos := int64(i + 1); pos > local && contains(publicBundleApps(&s.bundles[i]), appID) {
				add(pos, s.bundles[i].ID, ws.ApplicationAssociatedResourceTypeBundle, publicBundleTime, publicBundleTime, ws.AssociationStateCompleted, nil)
			}
		}
		err := scanAfter(ctx, tx, scope(c, kindBundle), max(local-n, 0), need, done, func(rec store.Record) error {
			var b customBundleRecord
			if err := rec.Decode(&b); err != nil {
				return err
			}
			r, err := lookup[imageAppRecord](ctx, tx, imageAppKey(c.Region, appID, b.Image))
			if r != nil {
				add(n+rec.Seq, b.ID, ws.ApplicationAssociatedResourceTypeBundle, b.Created, b.Created, ws.AssociationStateCompleted, nil)
			}
			return err
		})
		return out, err
	case phaseImage, phaseImageShared:
		// One index entry of the caller's images (owned, then shared with
		// it) and one Get per image: the region's other images are not read.
		ix := ixScope(ixImageOwner, "", c.Account, c.Region)
		if phase == phaseImageShared {
			ix = ixScope(ixImageShared, "", c.Account, c.Region)
		}
		err := scanAfter(ctx, tx, ix, local, need, done, func(e store.Record) error {
			r, err := lookup[imageAppRecord](ctx, tx, imageAppKey(c.Region, appID, e.Key.ID))
			if r != nil {
				add(e.Seq, r.ImageID, ws.ApplicationAssociatedResourceTypeImage, r.Created, r.Created, ws.AssociationStateCompleted, nil)
			}
			return err
		})
		return out, err
	}
	err := scanAfter(ctx, tx, scope(c, appKind(appID)), local, need, done, func(rec store.Record) error {
		var r appAssocRecord
		if err := rec.Decode(&r); err != nil {
			return err
		}
		if r.resolve(c.Now, s.delays); r.gone {
			return nil
		}
		if w, err := s.getWorkspace(ctx, tx, c, r.WorkspaceID); err != nil || w == nil {
			return err // w == nil: terminated and gone
		}
		add(rec.Seq, r.WorkspaceID, ws.ApplicationAssociatedResourceTypeWorkspace, r.Created, r.StateSince, r.State, r.Reason)
		return nil
	})
	return out, err
}

// scanAfter calls fn on the records of sc after Seq after, in Seq order,
// until done: chunks start at first records and double, so a sparse scope
// costs a few Lists and a dense one about one page.
func scanAfter(ctx context.Context, tx store.Tx, sc store.Scope, after int64, first int, done func() bool, fn func(store.Record) error) error {
	chunk := max(first, 1)
	for !done() {
		recs, err := tx.List(ctx, store.Query{Scope: sc, AfterSeq: after, Limit: chunk})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			if done() {
				return nil
			}
			after = rec.Seq
			if err := fn(rec); err != nil {
				return err
			}
		}
		if len(recs) < chunk {
			return nil
		}
		chunk = min(chunk*2, 4096)
	}
	return nil
}
