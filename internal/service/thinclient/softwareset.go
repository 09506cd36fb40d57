package thinclient

// Software sets (spec §8): a built-in catalogue, the same in every account
// and region, loaded from catalogue.json; the validation mark is per account
// and region. Not emulated: new sets are never released over time.

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const defaultSoftwareSetPage = 50 // spec §1.6

//go:embed catalogue.json
var builtinCatalogue []byte

type softwareSet struct {
	ID             string        `json:"id"`
	Version        string        `json:"version"`
	ReleasedAt     time.Time     `json:"releasedAt"`
	SupportedUntil *time.Time    `json:"supportedUntil"`
	Software       []tc.Software `json:"software"`
	order          int64
}

type softwareSetMark struct {
	ValidationStatus tc.SoftwareSetValidationStatus `json:"validationStatus"`
}

// loadCatalogue parses the catalogue and orders it newest first (spec §1.6),
// numbering the order for pagination tokens.
func loadCatalogue(b []byte) ([]softwareSet, error) {
	var sets []softwareSet
	if err := json.Unmarshal(b, &sets); err != nil {
		return nil, fmt.Errorf("software set catalogue: %w", err)
	}
	sort.SliceStable(sets, func(i, j int) bool {
		if !sets[i].ReleasedAt.Equal(sets[j].ReleasedAt) {
			return sets[i].ReleasedAt.After(sets[j].ReleasedAt)
		}
		return sets[i].ID < sets[j].ID
	})
	for i := range sets {
		sets[i].order = int64(i + 1)
	}
	return sets, nil
}

func (s *Service) findSoftwareSet(id string) *softwareSet {
	for i := range s.catalogue {
		if s.catalogue[i].ID == id {
			return &s.catalogue[i]
		}
	}
	return nil
}

// latestSet is the newest set of the catalogue: USE_LATEST's target.
func (s *Service) latestSet() *softwareSet {
	if len(s.catalogue) == 0 {
		return nil
	}
	return &s.catalogue[0]
}

// expired reports whether the set is past its supportedUntil at now.
func (set *softwareSet) expired(now time.Time) bool {
	return set.SupportedUntil != nil && !now.Before(*set.SupportedUntil)
}

// version returns the version of set id, or nil when it is unknown.
func (s *Service) version(id string) *string {
	if set := s.findSoftwareSet(id); set != nil {
		return api.String(set.Version)
	}
	return nil
}

// checkDesiredSet applies the existence (RNF) and expiry (VE) rules to a
// desired software set id.
func (s *Service) checkDesiredSet(id string, now time.Time) error {
	set := s.findSoftwareSet(id)
	if set == nil {
		return notFound("softwareset", id)
	}
	if set.expired(now) {
		return fieldErr("desiredSoftwareSetId", fmt.Sprintf("Software set %s (%s) is no longer supported.", id, set.Version))
	}
	return nil
}

func (s *Service) mark(ctx context.Context, tx store.Tx, c *api.Call, id string) (tc.SoftwareSetValidationStatus, error) {
	var m softwareSetMark
	err := tx.Get(ctx, key(c, kindSoftwareSet, id), &m)
	if errors.Is(err, store.ErrNotFound) {
		return tc.SoftwareSetValidationStatusNotValidated, nil
	}
	return m.ValidationStatus, err
}

func (set *softwareSet) summary(c *api.Call, status tc.SoftwareSetValidationStatus) tc.SoftwareSetSummary {
	out := tc.SoftwareSetSummary{
		Id:               api.String(set.ID),
		Version:          api.String(set.Version),
		ReleasedAt:       api.NewTimestamp(set.ReleasedAt),
		ValidationStatus: status,
		Arn:              api.String(arn(c, "softwareset/"+set.ID)),
	}
	if set.SupportedUntil != nil {
		out.SupportedUntil = api.NewTimestamp(*set.SupportedUntil)
	}
	return out
}

// GetSoftwareSet returns one set with its components and the caller's mark.
func (s *Service) GetSoftwareSet(ctx context.Context, c *api.Call, in *tc.GetSoftwareSetInput) (*tc.GetSoftwareSetOutput, error) {
	set := s.findSoftwareSet(*in.Id)
	if set == nil {
		return nil, notFound("softwareset", *in.Id)
	}
	var status tc.SoftwareSetValidationStatus
	err := s.store.View(ctx, func(tx store.Tx) (err error) {
		status, err = s.mark(ctx, tx, c, set.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	sum := set.summary(c, status)
	return &tc.GetSoftwareSetOutput{SoftwareSet: &tc.SoftwareSet{
		Id: sum.Id, Version: sum.Version, ReleasedAt: sum.ReleasedAt, SupportedUntil: sum.SupportedUntil,
		ValidationStatus: sum.ValidationStatus, Arn: sum.Arn, Software: append([]tc.Software{}, set.Software...),
	}}, nil
}

// ListSoftwareSets lists the catalogue newest first, without components.
func (s *Service) ListSoftwareSets(ctx context.Context, c *api.Call, in *tc.ListSoftwareSetsInput) (*tc.ListSoftwareSetsOutput, error) {
	sc := paging.Scope{Op: c.Operation, Account: c.Account, Region: c.Region}
	page, next, err := paging.Cut(s.pages, sc, c.Now, s.catalogue, func(x softwareSet) int64 { return x.order }, api.ToString(in.NextToken), int(api.ToInt32(in.MaxResults, defaultSoftwareSetPage)))
	if err != nil {
		return nil, badToken()
	}
	out := &tc.ListSoftwareSetsOutput{SoftwareSets: make([]tc.SoftwareSetSummary, 0, len(page))}
	if next != "" {
		out.NextToken = &next
	}
	err = s.store.View(ctx, func(tx store.Tx) error {
		for i := range page {
			status, err := s.mark(ctx, tx, c, page[i].ID)
			if err != nil {
				return err
			}
			out.SoftwareSets = append(out.SoftwareSets, page[i].summary(c, status))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateSoftwareSet sets the caller's validation mark on a set; setting the
// same value again succeeds (inferred: spec §8.4).
func (s *Service) UpdateSoftwareSet(ctx context.Context, c *api.Call, in *tc.UpdateSoftwareSetInput) (*tc.UpdateSoftwareSetOutput, error) {
	set := s.findSoftwareSet(*in.Id)
	if set == nil {
		return nil, notFound("softwareset", *in.Id)
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		return tx.Put(ctx, key(c, kindSoftwareSet, set.ID), softwareSetMark{ValidationStatus: in.ValidationStatus})
	})
	if err != nil {
		return nil, err
	}
	return &tc.UpdateSoftwareSetOutput{}, nil
}
