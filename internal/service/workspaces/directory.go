package workspaces

// Directory registration (spec §4.2, §7). Not emulated: there is no AWS
// Directory Service, so any well-formed d- id is an existing, Active Simple AD
// directory with plausible attributes (inferred: spec §7);
// WorkspacesDefaultRoleNotFoundException, UnsupportedNetworkConfigurationException
// and subnet/AZ checks are never raised.

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	maxDirectoriesPerRegion = 50 // spec §3 (not adjustable)
	defaultDirectoryPage    = 25 // spec §1.4
)

// directoryRecord is a registration. State is the state as of StateSince;
// resolve derives the current one from the clock (spec Appendix F).
type directoryRecord struct {
	ws.WorkspaceDirectory
	StateSince time.Time `json:"stateSince"`
	CreatedAt  time.Time `json:"createdAt"`
	// ClientProperties are not a WorkspaceDirectory member; nil means the
	// defaults (directory_settings.go).
	ClientProperties *ws.ClientProperties `json:"clientProperties,omitempty"`
	seq              int64
	gone             bool
}

// resolve advances the state to what it is at now: REGISTERING → REGISTERED,
// DEREGISTERING → DEREGISTERED → gone.
func (d *directoryRecord) resolve(now time.Time, delays Delays) {
	for {
		switch d.State {
		case ws.WorkspaceDirectoryStateRegistering:
			due := d.StateSince.Add(delays.DirectoryRegister)
			if now.Before(due) {
				return
			}
			d.State, d.StateSince = ws.WorkspaceDirectoryStateRegistered, due
		case ws.WorkspaceDirectoryStateDeregistering:
			due := d.StateSince.Add(delays.DirectoryDeregister)
			if now.Before(due) {
				return
			}
			d.State, d.StateSince = ws.WorkspaceDirectoryStateDeregistered, due
		case ws.WorkspaceDirectoryStateDeregistered:
			d.gone = !now.Before(d.StateSince.Add(delays.DirectoryCleanup))
			return
		default:
			return
		}
	}
}

// listDirectories returns the caller's registrations that are not gone, in
// registration order, with their current state, and deletes the gone ones
// (inferred: lazy cleanup instead of a sweeper), so the scope holds at most
// maxDirectoriesPerRegion live registrations and those deregistered since.
// tx must be writable.
func (s *Service) listDirectories(ctx context.Context, tx store.Tx, c *api.Call) ([]*directoryRecord, error) {
	all, err := listRecords[directoryRecord](ctx, tx, scope(c, kindDirectory))
	out := all[:0]
	for _, d := range all {
		if d.resolve(c.Now, s.delays); !d.gone {
			out = append(out, d)
		} else if err == nil {
			err = tx.Delete(ctx, key(c, kindDirectory, api.ToString(d.DirectoryId)))
		}
	}
	return out, err
}

// getDirectory returns a registration that exists and is not DEREGISTERED;
// otherwise ResourceNotFoundException.
func (s *Service) getDirectory(ctx context.Context, tx store.Tx, c *api.Call, id string) (*directoryRecord, error) {
	d, err := s.findDirectory(ctx, tx, c, id)
	if err != nil {
		return nil, err
	}
	if d == nil || d.State == ws.WorkspaceDirectoryStateDeregistered {
		return nil, notFound("directory", id)
	}
	return d, nil
}

// DirectoryRegistered reports whether directory id is registered (REGISTERING
// or REGISTERED) in account and region at now, read inside tx: Thin Client's
// strict desktop check (spec thinclient §6.1) asks it.
func (s *Service) DirectoryRegistered(ctx context.Context, tx store.Tx, account, region, id string, now time.Time) (bool, error) {
	c := &api.Call{Account: account, Region: region, Now: now}
	d, err := s.findDirectory(ctx, tx, c, id)
	if d == nil || err != nil {
		return false, err
	}
	return d.State == ws.WorkspaceDirectoryStateRegistering || d.State == ws.WorkspaceDirectoryStateRegistered, nil
}

// findDirectory returns the registration at id with its current state, or
// nil when there is none (or it is gone).
func (s *Service) findDirectory(ctx context.Context, tx store.Tx, c *api.Call, id string) (*directoryRecord, error) {
	d, err := lookup[directoryRecord](ctx, tx, key(c, kindDirectory, id))
	if d == nil || err != nil {
		return nil, err
	}
	if d.resolve(c.Now, s.delays); d.gone {
		return nil, nil
	}
	return d, nil
}

// RegisterWorkspaceDirectory registers a Directory Service directory (d-…) or
// creates a WorkSpaces-native directory (wsd-…); it starts REGISTERING.
func (s *Service) RegisterWorkspaceDirectory(ctx context.Context, c *api.Call, in *ws.RegisterWorkspaceDirectoryInput) (*ws.RegisterWorkspaceDirectoryOutput, error) {
	d, err := s.newDirectory(c, in)
	if err != nil {
		return nil, err
	}
	if err := checkNewTags(nil, in.Tags); err != nil {
		return nil, err
	}
	id := *d.DirectoryId
	err = s.update(ctx, func(tx store.Tx) error {
		existing, err := s.findDirectory(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if existing != nil {
			if existing.State == ws.WorkspaceDirectoryStateDeregistered {
				// inferred: a directory can be registered again once deregistration completed.
				if err := tx.Delete(ctx, key(c, kindDirectory, id)); err != nil {
					return err
				}
			} else {
				return &ws.ResourceAlreadyExistsException{Message: api.String(fmt.Sprintf("Directory %s is already registered (state %s).", id, existing.State))}
			}
		} else if err := deleteIfPresent(ctx, tx, key(c, kindDirectory, id)); err != nil {
			return err // a gone registration not yet cleaned up
		}
		dirs, err := s.listDirectories(ctx, tx, c)
		if err != nil {
			return err
		}
		if len(dirs) >= maxDirectoriesPerRegion {
			return limitf("The account already has %d registered directories in %s; the maximum is %d.", len(dirs), c.Region, maxDirectoriesPerRegion)
		}
		if d.Tenancy == ws.TenancyDedicated {
			byol, err := s.byolEnabled(ctx, tx, c)
			if err != nil {
				return err
			}
			if !byol {
				return invalidf("Tenancy DEDICATED requires an account enabled for BYOL (DescribeAccount DedicatedTenancySupport ENABLED) in %s.", c.Region)
			}
		}
		if err := tx.Create(ctx, key(c, kindDirectory, id), d); err != nil {
			return err
		}
		return putTags(ctx, tx, c, id, in.Tags)
	})
	if err != nil {
		return nil, err
	}
	return &ws.RegisterWorkspaceDirectoryOutput{DirectoryId: d.DirectoryId, State: ws.WorkspaceDirectoryStateRegistering}, nil
}

// newDirectory builds a registration with the defaults of spec §7.
func (s *Service) newDirectory(c *api.Call, in *ws.RegisterWorkspaceDirectoryInput) (*directoryRecord, error) {
	d := &directoryRecord{StateSince: c.Now, CreatedAt: c.Now}
	w := &d.WorkspaceDirectory
	w.State = ws.WorkspaceDirectoryStateRegistering
	w.Tenancy = in.Tenancy
	if w.Tenancy == "" {
		w.Tenancy = ws.TenancyShared
	}
	w.WorkspaceType = in.WorkspaceType
	if w.WorkspaceType == "" {
		w.WorkspaceType = ws.WorkspaceTypePersonal
	}
	w.UserIdentityType = in.UserIdentityType
	id := api.ToString(in.DirectoryId)
	switch {
	case strings.HasPrefix(id, "d-"):
		if in.WorkspaceDirectoryName != nil || in.WorkspaceDirectoryDescription != nil {
			return nil, invalidf("WorkspaceDirectoryName and WorkspaceDirectoryDescription apply only to WorkSpaces-native directories, not to Directory Service directory %s.", id)
		}
		if w.UserIdentityType == "" {
			w.UserIdentityType = ws.UserIdentityTypeAwsDirectoryService
		}
		w.DirectoryId = &id
		w.Alias = &id
		w.DirectoryName = api.String("corp.example.com")
		w.DirectoryType = ws.WorkspaceDirectoryTypeSimpleAd
		w.CustomerUserName = api.String("Administrator")
		w.DnsIpAddresses = []string{"172.16.1.140", "172.16.0.30"}
	case id != "":
		// A wsd- id is generated by the service, never chosen by the caller.
		return nil, notFound("directory", id)
	default:
		if in.WorkspaceDirectoryName == nil || in.WorkspaceDirectoryDescription == nil {
			return nil, invalidf("A WorkSpaces-native directory (no DirectoryId) needs WorkspaceDirectoryName and WorkspaceDirectoryDescription.")
		}
		if w.UserIdentityType == "" {
			return nil, invalidf("A WorkSpaces-native directory (no DirectoryId) needs UserIdentityType.")
		}
		nid := "wsd-" + ids.Random("0123456789abcdefghijklmnopqrstuvwxyz", 9)
		w.DirectoryId = &nid
		w.Alias = &nid
		w.WorkspaceDirectoryName = in.WorkspaceDirectoryName
		w.WorkspaceDirectoryDescription = in.WorkspaceDirectoryDescription
		w.DirectoryType = ws.WorkspaceDirectoryTypeCustomerManaged
		if w.UserIdentityType == ws.UserIdentityTypeAwsIamIdentityCenter {
			w.DirectoryType = ws.WorkspaceDirectoryTypeAwsIamIdentityCenter
		}
		w.ActiveDirectoryConfig = in.ActiveDirectoryConfig
		w.MicrosoftEntraConfig = in.MicrosoftEntraConfig
	}
	w.RegistrationCode = api.String(ids.RegistrationCode(c.Region))
	w.SubnetIds = in.SubnetIds
	if len(w.SubnetIds) == 0 {
		w.SubnetIds = []string{ids.Subnet(), ids.Subnet()}
	}
	w.IamRoleId = api.String(fmt.Sprintf("arn:%s:iam::%s:role/workspaces_DefaultRole", c.Partition, c.Account))
	w.WorkspaceSecurityGroupId = api.String(ids.SecurityGroup())
	w.IpGroupIds = []string{}
	w.WorkspaceCreationProperties = &ws.DefaultWorkspaceCreationProperties{
		EnableInternetAccess:            api.Bool(false),
		UserEnabledAsLocalAdministrator: api.Bool(true),
		EnableMaintenanceMode:           api.Bool(true),
	}
	w.WorkspaceAccessProperties = &ws.WorkspaceAccessProperties{
		DeviceTypeWindows: ws.AccessPropertyValueAllow, DeviceTypeOsx: ws.AccessPropertyValueAllow,
		DeviceTypeWeb: ws.AccessPropertyValueDeny, DeviceTypeIos: ws.AccessPropertyValueAllow,
		DeviceTypeAndroid: ws.AccessPropertyValueAllow, DeviceTypeChromeOs: ws.AccessPropertyValueAllow,
		DeviceTypeZeroClient: ws.AccessPropertyValueAllow, DeviceTypeLinux: ws.AccessPropertyValueDeny,
	}
	perm := ws.ReconnectEnumDisabled
	if api.ToBool(in.EnableSelfService, false) {
		perm = ws.ReconnectEnumEnabled
	}
	w.SelfservicePermissions = &ws.SelfservicePermissions{
		RestartWorkspace: ws.ReconnectEnumEnabled, IncreaseVolumeSize: perm,
		ChangeComputeType: perm, SwitchRunningMode: perm, RebuildWorkspace: perm,
	}
	w.SamlProperties = &ws.SamlProperties{Status: ws.SamlStatusEnumDisabled, RelayStateParameterName: api.String("RelayState")}
	w.CertificateBasedAuthProperties = &ws.CertificateBasedAuthProperties{Status: ws.CertificateBasedAuthStatusEnumDisabled}
	w.EndpointEncryptionMode = ws.EndpointEncryptionModeStandardTls
	return d, nil
}

// DeregisterWorkspaceDirectory starts deregistration: DEREGISTERING →
// DEREGISTERED → gone. IP group associations and tags are dropped at once.
func (s *Service) DeregisterWorkspaceDirectory(ctx context.Context, c *api.Call, in *ws.DeregisterWorkspaceDirectoryInput) (*ws.DeregisterWorkspaceDirectoryOutput, error) {
	id := *in.DirectoryId
	if err := s.ensureIndexes(ctx, c); err != nil {
		return nil, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		d, err := s.getDirectory(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if d.State != ws.WorkspaceDirectoryStateRegistered && d.State != ws.WorkspaceDirectoryStateError {
			// inferred: spec §7.2 (Terraform retries this error).
			return stateErrf("Directory %s is in state %s; it can be deregistered only when REGISTERED.", id, d.State)
		}
		used, err := s.directoryWorkspaces(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if len(used) > 0 {
			return &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf("Directory %s still has %d WorkSpaces (e.g. %s); terminate them first.", id, len(used), *used[0].WorkspaceId)), Reason: api.String("WORKSPACES_EXIST")}
		}
		if pool, err := s.directoryPool(ctx, tx, c, id); err != nil || pool != "" {
			if err != nil {
				return err
			}
			return &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf("Directory %s is used by pool %s; terminate the pool first.", id, pool)), Reason: api.String("POOLS_EXIST")}
		}
		d.State, d.StateSince = ws.WorkspaceDirectoryStateDeregistering, c.Now
		if err := s.putDirectoryGroups(ctx, tx, c, d, []string{}); err != nil {
			return err
		}
		if err := s.dropDirectoryExtras(ctx, tx, c, id); err != nil { // branding.go
			return err
		}
		return deleteAllTags(ctx, tx, c, id)
	})
	if err != nil {
		return nil, err
	}
	return &ws.DeregisterWorkspaceDirectoryOutput{}, nil
}

// DescribeWorkspaceDirectories lists registrations. DirectoryIds,
// WorkspaceDirectoryNames and Filters are ANDed; filter values are ORed and
// may use * and ? wildcards (inferred: spec §7.3). Unknown ids are left out.
func (s *Service) DescribeWorkspaceDirectories(ctx context.Context, c *api.Call, in *ws.DescribeWorkspaceDirectoriesInput) (*ws.DescribeWorkspaceDirectoriesOutput, error) {
	filter := struct {
		A []string
		B []string
		C []ws.DescribeWorkspaceDirectoriesFilter
	}{in.DirectoryIds, in.WorkspaceDirectoryNames, in.Filters}
	var page []*directoryRecord
	var next *string
	err := s.view(ctx, func(tx store.Tx) (err error) {
		if len(in.DirectoryIds) == 0 {
			// One page of the account's registrations (at most
			// maxDirectoriesPerRegion live ones), filtered as they are read.
			page, next, err = scanPage(ctx, s, tx, c, scope(c, kindDirectory), in.NextToken, in.Limit, defaultDirectoryPage, filter, func(d *directoryRecord) bool {
				d.resolve(c.Now, s.delays)
				return !d.gone && matchesDirectory(d, in)
			})
			return err
		}
		dirs, err := byIDs(in.DirectoryIds, func(id string) (*directoryRecord, error) { return s.findDirectory(ctx, tx, c, id) })
		kept := dirs[:0]
		for _, d := range dirs {
			if matchesDirectory(d, in) {
				kept = append(kept, d)
			}
		}
		if err == nil {
			page, next, err = pageOf(s, c, kept, func(d *directoryRecord) int64 { return d.seq }, in.NextToken, in.Limit, defaultDirectoryPage, filter)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &ws.DescribeWorkspaceDirectoriesOutput{Directories: make([]ws.WorkspaceDirectory, 0, len(page)), NextToken: next}
	for _, d := range page {
		out.Directories = append(out.Directories, d.WorkspaceDirectory)
	}
	return out, nil
}

func matchesDirectory(d *directoryRecord, in *ws.DescribeWorkspaceDirectoriesInput) bool {
	if len(in.DirectoryIds) > 0 && !contains(in.DirectoryIds, api.ToString(d.DirectoryId)) {
		return false
	}
	if len(in.WorkspaceDirectoryNames) > 0 && !contains(in.WorkspaceDirectoryNames, api.ToString(d.WorkspaceDirectoryName)) {
		return false
	}
	for _, f := range in.Filters {
		var v string
		switch f.Name {
		case ws.DescribeWorkspaceDirectoriesFilterNameUserIdentityType:
			v = string(d.UserIdentityType)
		case ws.DescribeWorkspaceDirectoriesFilterNameWorkspaceType:
			v = string(d.WorkspaceType)
		}
		ok := false
		for _, pat := range f.Values {
			if m, err := path.Match(pat, v); err == nil && m {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func (d *directoryRecord) setSeq(n int64) { d.seq = n }
