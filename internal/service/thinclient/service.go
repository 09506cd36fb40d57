// Package thinclient is the behaviour of Amazon WorkSpaces Thin Client, one
// file per family: environment.go, device.go, softwareset.go, tags.go, the
// clientToken rules in idempotency.go and the simulated device registration
// and check-in of the /_local/ extension in simulate.go.
package thinclient

import (
	"context"
	"fmt"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// Delays are the durations of asynchronous transitions (spec §1.9); zero
// completes a transition at the first read after the call.
type Delays struct {
	// DeviceDeregister is DEREGISTERING → DEREGISTERED or ARCHIVED.
	DeviceDeregister time.Duration
	// SoftwareInstall is how long a check-in's install shows IN_PROGRESS.
	SoftwareInstall time.Duration
}

// DefaultDelays are the emulator defaults of spec §1.9.
var DefaultDelays = Delays{DeviceDeregister: 2 * time.Second}

// Quotas are the per-account, per-region limits of spec §4.
type Quotas struct {
	Environments int
}

// DefaultQuotas: AWS publishes none; inferred defaults of spec §4.
var DefaultQuotas = Quotas{Environments: 100}

// Service implements tc.Handler.
type Service struct {
	tc.Unimplemented
	store     store.Store
	pages     *paging.Codec
	catalogue []softwareSet
	delays    Delays
	quotas    Quotas
	desktops  Desktops // nil: desktops are not checked for existence
}

// Desktops is what the strict desktop check asks of the emulated WorkSpaces
// service, inside the caller's transaction.
type Desktops interface {
	DirectoryRegistered(ctx context.Context, tx store.Tx, account, region, id string, now time.Time) (bool, error)
}

// CheckDesktops turns on the strict desktop check (spec §6.1, off by
// default): an environment's WorkSpaces desktopArn must name a directory
// registered in the same account and region, else ResourceNotFoundException
// with the ARN as resourceId (inferred: spec §6.1, §13.5). AppStream stacks
// and Secure Browser portals are not emulated and so are never checked.
func (s *Service) CheckDesktops(d Desktops) { s.desktops = d }

var _ tc.Handler = (*Service)(nil)

// New returns the Thin Client service over st with the built-in software
// set catalogue.
func New(st store.Store, pages *paging.Codec, delays Delays, quotas Quotas) (*Service, error) {
	cat, err := loadCatalogue(builtinCatalogue)
	if err != nil {
		return nil, err
	}
	return &Service{store: st, pages: pages, catalogue: cat, delays: delays, quotas: quotas}, nil
}

// Record kinds of this service.
const (
	kindSoftwareSet = "thinclient.softwareset"
	kindEnvironment = "thinclient.environment"
	kindDevice      = "thinclient.device"
	kindTags        = "thinclient.tags"
	kindToken       = "thinclient.token"
	// kindActivation indexes activation codes globally (account and region empty).
	kindActivation = "thinclient.activation"
	// kindDeviceIndex maps a device id to its account and region (global).
	kindDeviceIndex = "thinclient.deviceindex"
	// kindSerial indexes the newest device of a serial number per account and region.
	kindSerial = "thinclient.serial"
	// kindEnvDevicesPrefix + environment id is the scope listing an environment's devices.
	kindEnvDevicesPrefix = "thinclient.envdevices/"
)

func key(c *api.Call, kind, id string) store.Key {
	return store.Key{Kind: kind, Account: c.Account, Region: c.Region, ID: id}
}

func arn(c *api.Call, resource string) string {
	return ids.ARN(c.Partition, "thinclient", c.Region, c.Account, resource)
}

// fieldErr is a ValidationException blaming one field.
func fieldErr(field, msg string) error {
	return &api.ValidationError{Reason: "fieldValidationFailed", Msg: msg, Violations: []api.Violation{{Path: field, Constraint: msg}}}
}

// otherErr is a ValidationException blaming a combination of fields.
func otherErr(msg string) error {
	return &api.ValidationError{Reason: "other", Msg: msg}
}

func conflict(kind, id, msg string) error {
	return &tc.ConflictException{Message: api.String(msg), ResourceId: api.String(id), ResourceType: api.String(kind)}
}

func ts(t time.Time) *api.Timestamp { return api.NewTimestamp(t) }

func notFound(kind, id string) error {
	return &tc.ResourceNotFoundException{
		Message:      api.String(fmt.Sprintf("The %s %s could not be found.", kind, api.Echo(id))),
		ResourceId:   api.String(api.Echo(id)),
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
