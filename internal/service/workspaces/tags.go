package workspaces

// Tags (spec §12) on the resources this emulator holds: IP groups,
// directory registrations and WorkSpaces so far. Later families register their id prefixes
// in taggable.

import (
	"context"
	"errors"
	"strings"
	"unicode"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const maxTagsPerResource = 50 // spec §3 (not adjustable)

type tagsRecord struct {
	Tags []ws.Tag `json:"tags"`
}

// taggable tells whether id names a taggable resource of the caller.
func (s *Service) taggable(ctx context.Context, tx store.Tx, c *api.Call, id string) (bool, error) {
	switch {
	case strings.HasPrefix(id, "wsipg-"):
		_, err := s.getIPGroup(ctx, tx, c, id)
		return err == nil, ignoreNotFound(err)
	case strings.HasPrefix(id, "wsi-"):
		im, err := getImage(ctx, tx, c, c.Region, id)
		return err == nil && im != nil && im.owner() == c.Account, err // owner only (spec §12)
	case strings.HasPrefix(id, "wsca-"):
		return s.aliasTaggable(ctx, tx, c, id)
	case strings.HasPrefix(id, "wspool-"):
		p, err := s.getPool(ctx, tx, c, id)
		return err == nil && p != nil, err
	case strings.HasPrefix(id, "wsb-"):
		b, err := getCustomBundle(ctx, tx, c, id) // public bundles are not taggable (spec §8.1)
		return err == nil && b != nil, err
	case strings.HasPrefix(id, "ws-"):
		w, err := s.getWorkspace(ctx, tx, c, id)
		return err == nil && w != nil && w.live(), err
	case strings.HasPrefix(id, "d-"), strings.HasPrefix(id, "wsd-"):
		_, err := s.getDirectory(ctx, tx, c, id)
		if err == nil {
			return true, nil
		}
		return false, ignoreNotFound(err)
	}
	return false, nil
}

func ignoreNotFound(err error) error {
	var nf *ws.ResourceNotFoundException
	if err == nil || errors.As(err, &nf) {
		return nil
	}
	return err
}

func getTags(ctx context.Context, tx store.Tx, c *api.Call, id string) ([]ws.Tag, error) {
	var r tagsRecord
	err := tx.Get(ctx, key(c, kindTags, id), &r)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return r.Tags, err
}

// putTags upserts tags on a resource in insertion order (existing keys keep
// their place and take the new value).
func putTags(ctx context.Context, tx store.Tx, c *api.Call, id string, tags []ws.Tag) error {
	if len(tags) == 0 {
		return nil
	}
	have, err := getTags(ctx, tx, c, id)
	if err != nil {
		return err
	}
	if err := checkNewTags(have, tags); err != nil {
		return err
	}
	for _, t := range tags {
		replaced := false
		for i := range have {
			if *have[i].Key == *t.Key {
				have[i].Value, replaced = t.Value, true
			}
		}
		if !replaced {
			have = append(have, ws.Tag{Key: t.Key, Value: t.Value})
		}
	}
	return tx.Put(ctx, key(c, kindTags, id), tagsRecord{Tags: have})
}

func deleteAllTags(ctx context.Context, tx store.Tx, c *api.Call, id string) error {
	err := tx.Delete(ctx, key(c, kindTags, id))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// checkNewTags applies the tag rules of spec §12 to tags being added to a
// resource that has have.
func checkNewTags(have, tags []ws.Tag) error {
	keys := map[string]bool{}
	for _, t := range have {
		keys[*t.Key] = true
	}
	seen := map[string]bool{}
	for _, t := range tags {
		k, v := api.ToString(t.Key), api.ToString(t.Value)
		if seen[k] {
			return invalidf("The tag key '%s' appears more than once in the request.", k)
		}
		seen[k] = true
		if err := checkTagKey(k); err != nil {
			return err
		}
		if !tagChars(v) {
			return invalidf("The value of tag '%s' may contain only letters, digits, spaces and + - = . _ : / @.", k)
		}
		keys[k] = true
	}
	if len(keys) > maxTagsPerResource {
		return limitf("The resource would have %d tags; the maximum is %d.", len(keys), maxTagsPerResource)
	}
	return nil
}

func checkTagKey(k string) error {
	switch {
	case strings.HasPrefix(strings.ToLower(k), "aws:"):
		return invalidf("The tag key '%s' uses the reserved prefix 'aws:'.", k)
	case strings.TrimSpace(k) != k:
		return invalidf("The tag key '%s' must not begin or end with a space.", k)
	case !tagChars(k):
		return invalidf("The tag key '%s' may contain only letters, digits, spaces and + - = . _ : / @.", k)
	}
	return nil
}

func tagChars(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r) && !strings.ContainsRune("+-=._:/@", r) {
			return false
		}
	}
	return true
}

// CreateTags adds or overwrites tags on a resource, all or none.
func (s *Service) CreateTags(ctx context.Context, c *api.Call, in *ws.CreateTagsInput) (*ws.CreateTagsOutput, error) {
	id := *in.ResourceId
	err := s.update(ctx, func(tx store.Tx) error {
		ok, err := s.taggable(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("resource", id)
		}
		return putTags(ctx, tx, c, id, in.Tags)
	})
	if err != nil {
		return nil, err
	}
	return &ws.CreateTagsOutput{}, nil
}

// DeleteTags removes tags by key; keys not present are ignored.
func (s *Service) DeleteTags(ctx context.Context, c *api.Call, in *ws.DeleteTagsInput) (*ws.DeleteTagsOutput, error) {
	id := *in.ResourceId
	for _, k := range in.TagKeys {
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return nil, invalidf("The tag key '%s' uses the reserved prefix 'aws:'.", k)
		}
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ok, err := s.taggable(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("resource", id)
		}
		have, err := getTags(ctx, tx, c, id)
		if err != nil {
			return err
		}
		kept := []ws.Tag{}
		for _, t := range have {
			if !contains(in.TagKeys, *t.Key) {
				kept = append(kept, t)
			}
		}
		if len(kept) == 0 {
			return deleteAllTags(ctx, tx, c, id)
		}
		return tx.Put(ctx, key(c, kindTags, id), tagsRecord{Tags: kept})
	})
	if err != nil {
		return nil, err
	}
	return &ws.DeleteTagsOutput{}, nil
}

// DescribeTags returns a resource's tags in insertion order (always a list).
func (s *Service) DescribeTags(ctx context.Context, c *api.Call, in *ws.DescribeTagsInput) (*ws.DescribeTagsOutput, error) {
	id := *in.ResourceId
	out := &ws.DescribeTagsOutput{TagList: []ws.Tag{}}
	err := s.view(ctx, func(tx store.Tx) error {
		ok, err := s.taggable(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("resource", id)
		}
		tags, err := getTags(ctx, tx, c, id)
		if len(tags) > 0 {
			out.TagList = tags
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
