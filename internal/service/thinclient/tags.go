package thinclient

// Tags (spec §9) on environments, devices and software sets, addressed by
// ARN. Limits come from the CloudFormation schema: 50 tags, keys 1–128,
// values 0–256, no aws: prefix. ConflictException is never raised.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	maxTags        = 50  // spec §4
	maxTagKeyLen   = 128 // spec §4
	maxTagValueLen = 256 // spec §4
)

type tagsRecord struct {
	Tags map[string]string `json:"tags"`
}

// checkTags validates tags being added to a resource that has have (field
// names the map in errors: "tags" or "deviceCreationTags").
func checkTags(field string, have, add map[string]string) error {
	n := len(have)
	for _, k := range api.SortedKeys(add) {
		v := add[k]
		p := field + "." + k
		switch {
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			return fieldErr(p, fmt.Sprintf("Tag key '%s' uses the reserved prefix 'aws:'.", k))
		case k == "" || utf8.RuneCountInString(k) > maxTagKeyLen:
			return fieldErr(p, fmt.Sprintf("Tag keys must have 1 to %d characters.", maxTagKeyLen))
		case utf8.RuneCountInString(v) > maxTagValueLen:
			return fieldErr(p, fmt.Sprintf("Tag values must have at most %d characters.", maxTagValueLen))
		}
		if _, ok := have[k]; !ok {
			n++
		}
	}
	if n > maxTags {
		return fieldErr(field, fmt.Sprintf("A resource can have at most %d tags; this request would leave %d.", maxTags, n))
	}
	return nil
}

func getTags(ctx context.Context, tx store.Tx, c *api.Call, res string) (map[string]string, error) {
	var r tagsRecord
	err := tx.Get(ctx, key(c, kindTags, res), &r)
	if errors.Is(err, store.ErrNotFound) {
		return map[string]string{}, nil
	}
	if r.Tags == nil {
		r.Tags = map[string]string{}
	}
	return r.Tags, err
}

func putTags(ctx context.Context, tx store.Tx, c *api.Call, res string, add map[string]string) error {
	if len(add) == 0 {
		return nil
	}
	have, err := getTags(ctx, tx, c, res)
	if err != nil {
		return err
	}
	if err := checkTags("tags", have, add); err != nil {
		return err
	}
	for k, v := range add {
		have[k] = v
	}
	return tx.Put(ctx, key(c, kindTags, res), tagsRecord{Tags: have})
}

func deleteTags(ctx context.Context, tx store.Tx, c *api.Call, res string) error {
	err := tx.Delete(ctx, key(c, kindTags, res))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// resolveARN maps a tagging ARN to the caller's resource ("environment/<id>",
// ...). Malformed ARNs are a ValidationException; foreign or missing
// resources are ResourceNotFoundException with the ARN as resourceId.
func (s *Service) resolveARN(ctx context.Context, tx store.Tx, c *api.Call, a string) (string, error) {
	bad := fieldErr("resourceArn", fmt.Sprintf("resourceArn '%s' is not a WorkSpaces Thin Client environment, device or software set ARN.", a))
	parts := strings.SplitN(a, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "thinclient" {
		return "", bad
	}
	kind, id, ok := strings.Cut(parts[5], "/")
	if !ok || id == "" {
		return "", bad
	}
	missing := &tc.ResourceNotFoundException{Message: api.String(fmt.Sprintf("The resource %s could not be found.", api.Echo(a))), ResourceId: api.String(api.Echo(a)), ResourceType: api.String(kind)}
	if parts[3] != c.Region || parts[4] != c.Account {
		switch kind {
		case "environment", "device", "softwareset":
			return "", missing
		}
		return "", bad
	}
	var err error
	switch kind {
	case "environment":
		_, err = s.getEnv(ctx, tx, c, id)
	case "device":
		_, err = s.getDevice(ctx, tx, c, id)
	case "softwareset":
		if s.findSoftwareSet(id) == nil {
			return "", missing
		}
	default:
		return "", bad
	}
	var nf *tc.ResourceNotFoundException
	if errors.As(err, &nf) {
		return "", missing
	}
	return kind + "/" + id, err
}

// TagResource adds or overwrites tags.
func (s *Service) TagResource(ctx context.Context, c *api.Call, in *tc.TagResourceInput) (*tc.TagResourceOutput, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		res, err := s.resolveARN(ctx, tx, c, *in.ResourceArn)
		if err != nil {
			return err
		}
		return putTags(ctx, tx, c, res, in.Tags)
	})
	if err != nil {
		return nil, err
	}
	return &tc.TagResourceOutput{}, nil
}

// UntagResource removes tags by key; absent keys are ignored.
func (s *Service) UntagResource(ctx context.Context, c *api.Call, in *tc.UntagResourceInput) (*tc.UntagResourceOutput, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		res, err := s.resolveARN(ctx, tx, c, *in.ResourceArn)
		if err != nil {
			return err
		}
		have, err := getTags(ctx, tx, c, res)
		if err != nil {
			return err
		}
		for _, k := range in.TagKeys {
			delete(have, k)
		}
		if len(have) == 0 {
			return deleteTags(ctx, tx, c, res)
		}
		return tx.Put(ctx, key(c, kindTags, res), tagsRecord{Tags: have})
	})
	if err != nil {
		return nil, err
	}
	return &tc.UntagResourceOutput{}, nil
}

// ListTagsForResource returns the tags ({} when none).
func (s *Service) ListTagsForResource(ctx context.Context, c *api.Call, in *tc.ListTagsForResourceInput) (*tc.ListTagsForResourceOutput, error) {
	out := &tc.ListTagsForResourceOutput{}
	err := s.store.View(ctx, func(tx store.Tx) error {
		res, err := s.resolveARN(ctx, tx, c, *in.ResourceArn)
		if err != nil {
			return err
		}
		out.Tags, err = getTags(ctx, tx, c, res)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
