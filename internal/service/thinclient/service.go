// Package thinclient is the behaviour of Amazon WorkSpaces Thin Client:
// softwareset.go so far; environments, devices and tags come next
// (their operations answer NotImplementedException until then).
package thinclient

import (
	"fmt"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// Service implements tc.Handler.
type Service struct {
	tc.Unimplemented
	store     store.Store
	pages     *paging.Codec
	catalogue []softwareSet
}

var _ tc.Handler = (*Service)(nil)

// New returns the Thin Client service over st with the built-in software
// set catalogue.
func New(st store.Store, pages *paging.Codec) (*Service, error) {
	cat, err := loadCatalogue(builtinCatalogue)
	if err != nil {
		return nil, err
	}
	return &Service{store: st, pages: pages, catalogue: cat}, nil
}

// Record kinds of this service.
const (
	kindSoftwareSet = "thinclient.softwareset"
)

func key(c *api.Call, kind, id string) store.Key {
	return store.Key{Kind: kind, Account: c.Account, Region: c.Region, ID: id}
}

func arn(c *api.Call, resource string) string {
	return ids.ARN(c.Partition, "thinclient", c.Region, c.Account, resource)
}

func notFound(kind, id string) error {
	return &tc.ResourceNotFoundException{
		Message:      api.String(fmt.Sprintf("The %s %s could not be found.", kind, id)),
		ResourceId:   api.String(id),
		ResourceType: api.String(kind),
	}
}

// badToken is the ValidationException for a garbled, expired or foreign
// nextToken (inferred: spec §1.6).
func badToken() error {
	return &api.ValidationError{Reason: "fieldValidationFailed", Violations: []api.Violation{{
		Path: "nextToken", Value: "'<token>'", Constraint: "Member must be a nextToken returned by this operation for this account and region within the last 24 hours",
	}}}
}
