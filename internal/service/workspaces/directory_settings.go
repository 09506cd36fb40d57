package workspaces

// Directory-level settings (spec §7.4–§7.9): self-service permissions,
// access, creation, SAML, certificate-based authentication, client and
// streaming properties. Every Modify* operation merges: only the members
// present in the request change (inferred: spec §7.4–§7.8; moto replaces
// whole objects). The settings live on the directory record and so are
// discarded with the registration. Not emulated: the settings affect no
// WorkSpace behaviour (no clients connect), custom security groups, IAM roles,
// OUs, VPC endpoints and certificate authorities are not checked for
// existence, and AccessDeniedException is never raised.

import (
	"context"
	"fmt"
	"strings"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// defaultClientProperties are a registration's client properties until
// ModifyClientProperties changes them (spec §7.7).
func defaultClientProperties() ws.ClientProperties {
	return ws.ClientProperties{ReconnectEnabled: ws.ReconnectEnumEnabled, LogUploadEnabled: ws.LogUploadEnumEnabled}
}

// clientProperties returns the directory's client properties, defaults
// filled in (records written before the field existed have none).
func (d *directoryRecord) clientProperties() ws.ClientProperties {
	p := defaultClientProperties()
	if d.ClientProperties != nil {
		if d.ClientProperties.ReconnectEnabled != "" {
			p.ReconnectEnabled = d.ClientProperties.ReconnectEnabled
		}
		if d.ClientProperties.LogUploadEnabled != "" {
			p.LogUploadEnabled = d.ClientProperties.LogUploadEnabled
		}
	}
	return p
}

func notSupported(reason, format string, args ...any) error {
	return &ws.OperationNotSupportedException{Message: api.String(fmt.Sprintf(format, args...)), Reason: api.String(reason)}
}

// modifyDirectory loads the caller's directory id, requires it REGISTERED,
// lets edit change it and stores the result, in one transaction. None of the
// settings operations models InvalidResourceStateException, so a directory
// that is REGISTERING, DEREGISTERING or in ERROR answers
// OperationNotSupportedException (inferred: spec §7.4).
func (s *Service) modifyDirectory(ctx context.Context, c *api.Call, id string, edit func(d *directoryRecord) error) error {
	return s.update(ctx, func(tx store.Tx) error {
		d, err := s.getDirectory(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if d.State != ws.WorkspaceDirectoryStateRegistered {
			return notSupported("DIRECTORY_NOT_REGISTERED", "Directory %s is in state %s; its settings can be modified only when it is REGISTERED.", id, d.State)
		}
		if err := edit(d); err != nil {
			return err
		}
		return tx.Put(ctx, key(c, kindDirectory, id), d)
	})
}

// copyOf returns a copy of *p, or a new zero T when p is nil.
func copyOf[T any](p *T) *T {
	c := new(T)
	if p != nil {
		*c = *p
	}
	return c
}

// emptyOutput turns a handler's error into its result: the error, or the
// operation's empty output.
func emptyOutput[O any](err error) (*O, error) {
	if err != nil {
		return nil, err
	}
	return new(O), nil
}

func isPools(d *directoryRecord) bool { return d.WorkspaceType == ws.WorkspaceTypePools }

// set replaces *dst with v unless v is the zero value (an absent member).
func set[T comparable](dst *T, v T) {
	var zero T
	if v != zero {
		*dst = v
	}
}

// ModifySelfservicePermissions merges self-service permissions (spec §7.5).
func (s *Service) ModifySelfservicePermissions(ctx context.Context, c *api.Call, in *ws.ModifySelfservicePermissionsInput) (*ws.ModifySelfservicePermissionsOutput, error) {
	return emptyOutput[ws.ModifySelfservicePermissionsOutput](s.modifyDirectory(ctx, c, *in.ResourceId, func(d *directoryRecord) error {
		if isPools(d) {
			return notSupported("POOLS_DIRECTORY", "Self-service permissions do not apply to pools directory %s.", *in.ResourceId)
		}
		p := in.SelfservicePermissions
		cur := copyOf(d.SelfservicePermissions)
		set(&cur.RestartWorkspace, p.RestartWorkspace)
		set(&cur.IncreaseVolumeSize, p.IncreaseVolumeSize)
		set(&cur.ChangeComputeType, p.ChangeComputeType)
		set(&cur.SwitchRunningMode, p.SwitchRunningMode)
		set(&cur.RebuildWorkspace, p.RebuildWorkspace)
		d.SelfservicePermissions = cur
		return nil
	}))
}

// ModifyWorkspaceAccessProperties merges device-type access and replaces the
// access endpoint configuration when one is given (spec §7.6).
func (s *Service) ModifyWorkspaceAccessProperties(ctx context.Context, c *api.Call, in *ws.ModifyWorkspaceAccessPropertiesInput) (*ws.ModifyWorkspaceAccessPropertiesOutput, error) {
	p := in.WorkspaceAccessProperties
	return emptyOutput[ws.ModifyWorkspaceAccessPropertiesOutput](s.modifyDirectory(ctx, c, *in.ResourceId, func(d *directoryRecord) error {
		if err := checkAccessEndpointConfig(p.AccessEndpointConfig); err != nil {
			return err
		}
		cur := copyOf(d.WorkspaceAccessProperties)
		set(&cur.DeviceTypeWindows, p.DeviceTypeWindows)
		set(&cur.DeviceTypeOsx, p.DeviceTypeOsx)
		set(&cur.DeviceTypeWeb, p.DeviceTypeWeb)
		set(&cur.DeviceTypeIos, p.DeviceTypeIos)
		set(&cur.DeviceTypeAndroid, p.DeviceTypeAndroid)
		set(&cur.DeviceTypeChromeOs, p.DeviceTypeChromeOs)
		set(&cur.DeviceTypeZeroClient, p.DeviceTypeZeroClient)
		set(&cur.DeviceTypeLinux, p.DeviceTypeLinux)
		set(&cur.DeviceTypeWorkSpacesThinClient, p.DeviceTypeWorkSpacesThinClient)
		if cfg := p.AccessEndpointConfig; cfg != nil {
			// inferred: an AccessEndpointConfig with no endpoints (and no
			// fallback) removes VPC-endpoint-only access.
			cur.AccessEndpointConfig = nil
			if len(cfg.AccessEndpoints) > 0 {
				cur.AccessEndpointConfig = &ws.AccessEndpointConfig{
					AccessEndpoints:           append([]ws.AccessEndpoint{}, cfg.AccessEndpoints...),
					InternetFallbackProtocols: append([]ws.InternetFallbackProtocol(nil), cfg.InternetFallbackProtocols...),
				}
			}
		}
		// inferred: web access streams over the internet, so it cannot be
		// allowed while access is restricted to VPC endpoints without an
		// internet fallback (spec §7.6).
		if cfg := cur.AccessEndpointConfig; cfg != nil && len(cfg.InternetFallbackProtocols) == 0 && cur.DeviceTypeWeb == ws.AccessPropertyValueAllow {
			return &ws.InvalidParameterCombinationException{Message: api.String("DeviceTypeWeb ALLOW cannot be combined with access restricted to VPC endpoints (AccessEndpointConfig without InternetFallbackProtocols).")}
		}
		d.WorkspaceAccessProperties = cur
		return nil
	}))
}

// checkAccessEndpointConfig applies the request-only rules of an access
// endpoint configuration (inferred: spec §7.6).
func checkAccessEndpointConfig(cfg *ws.AccessEndpointConfig) error {
	if cfg == nil {
		return nil
	}
	if len(cfg.AccessEndpoints) == 0 && len(cfg.InternetFallbackProtocols) > 0 {
		return &ws.InvalidParameterCombinationException{Message: api.String("InternetFallbackProtocols need at least one entry in AccessEndpoints.")}
	}
	seen := map[string]bool{}
	for _, e := range cfg.AccessEndpoints {
		if e.AccessEndpointType == "" {
			return invalidf("Each access endpoint needs an AccessEndpointType.")
		}
		id := api.ToString(e.VpcEndpointId)
		if !strings.HasPrefix(id, "vpce-") {
			return invalidf("The VPC endpoint id '%s' is not valid; it must look like vpce-0123456789abcdef0.", id)
		}
		if seen[id] {
			return invalidf("The VPC endpoint %s appears more than once in AccessEndpoints.", id)
		}
		seen[id] = true
	}
	protocols := map[ws.InternetFallbackProtocol]bool{}
	for _, p := range cfg.InternetFallbackProtocols {
		if protocols[p] {
			return invalidf("The internet fallback protocol %s appears more than once.", p)
		}
		protocols[p] = true
	}
	return nil
}

// ModifyWorkspaceCreationProperties merges the defaults for new WorkSpaces
// (spec §7.4).
func (s *Service) ModifyWorkspaceCreationProperties(ctx context.Context, c *api.Call, in *ws.ModifyWorkspaceCreationPropertiesInput) (*ws.ModifyWorkspaceCreationPropertiesOutput, error) {
	p := in.WorkspaceCreationProperties
	return emptyOutput[ws.ModifyWorkspaceCreationPropertiesOutput](s.modifyDirectory(ctx, c, *in.ResourceId, func(d *directoryRecord) error {
		if isPools(d) {
			// inferred: Terraform refuses these for pools client-side (spec §7.4).
			if p.EnableMaintenanceMode != nil || p.UserEnabledAsLocalAdministrator != nil {
				return notSupported("POOLS_DIRECTORY", "EnableMaintenanceMode and UserEnabledAsLocalAdministrator do not apply to pools directory %s.", *in.ResourceId)
			}
			if api.ToString(p.DefaultOu) != "" && d.ActiveDirectoryConfig == nil {
				return notSupported("POOLS_DIRECTORY", "DefaultOu applies to pools directory %s only when it has an ActiveDirectoryConfig.", *in.ResourceId)
			}
		}
		if ou := api.ToString(p.DefaultOu); ou != "" && !dnShaped(ou) {
			return invalidf("DefaultOu '%s' is not a distinguished name of the form OU=<name>,DC=<domain>,DC=<tld>.", ou)
		}
		cur := copyOf(d.WorkspaceCreationProperties)
		set(&cur.EnableInternetAccess, p.EnableInternetAccess)
		set(&cur.EnableMaintenanceMode, p.EnableMaintenanceMode)
		set(&cur.UserEnabledAsLocalAdministrator, p.UserEnabledAsLocalAdministrator)
		set(&cur.CustomSecurityGroupId, p.CustomSecurityGroupId)
		set(&cur.InstanceIamRoleArn, p.InstanceIamRoleArn)
		if p.DefaultOu != nil {
			cur.DefaultOu = p.DefaultOu
			if *p.DefaultOu == "" {
				cur.DefaultOu = nil // inferred: an empty DefaultOu clears it
			}
		}
		d.WorkspaceCreationProperties = cur
		return nil
	}))
}

// dnShaped reports whether s looks like the LDAP distinguished name of an
// organisational unit: one or more OU= (or CN=) components followed by at
// least two DC= components (inferred: spec §7.4; the OU's existence is not
// checked, as AWS documents).
func dnShaped(s string) bool {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++ // an escaped character, e.g. "\,"
		case ',':
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	parts = append(parts, s[start:])
	ous, dcs := 0, 0
	for _, p := range parts {
		attr, value, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || strings.TrimSpace(value) == "" {
			return false
		}
		switch strings.ToUpper(strings.TrimSpace(attr)) {
		case "OU", "CN":
			if dcs > 0 {
				return false
			}
			ous++
		case "DC":
			dcs++
		default:
			return false
		}
	}
	return ous > 0 && dcs >= 2
}

// ModifySamlProperties merges SAML 2.0 settings; PropertiesToDelete removes
// the user access URL or the relay state parameter name (spec §7.9).
func (s *Service) ModifySamlProperties(ctx context.Context, c *api.Call, in *ws.ModifySamlPropertiesInput) (*ws.ModifySamlPropertiesOutput, error) {
	p := in.SamlProperties
	if p == nil {
		p = &ws.SamlProperties{}
	}
	return emptyOutput[ws.ModifySamlPropertiesOutput](s.modifyDirectory(ctx, c, *in.ResourceId, func(d *directoryRecord) error {
		for _, del := range in.PropertiesToDelete {
			// inferred: setting and deleting the same member is contradictory.
			if (del == ws.DeletableSamlPropertySamlPropertiesUserAccessUrl && p.UserAccessUrl != nil) ||
				(del == ws.DeletableSamlPropertySamlPropertiesRelayStateParameterName && p.RelayStateParameterName != nil) {
				return invalidf("%s is listed in PropertiesToDelete and also given in SamlProperties.", del)
			}
		}
		cur := copyOf(d.SamlProperties)
		if cur.Status == "" {
			cur.Status = ws.SamlStatusEnumDisabled
		}
		for _, del := range in.PropertiesToDelete {
			switch del {
			case ws.DeletableSamlPropertySamlPropertiesUserAccessUrl:
				cur.UserAccessUrl = nil
			case ws.DeletableSamlPropertySamlPropertiesRelayStateParameterName:
				cur.RelayStateParameterName = nil
			}
		}
		set(&cur.Status, p.Status)
		set(&cur.UserAccessUrl, p.UserAccessUrl)
		set(&cur.RelayStateParameterName, p.RelayStateParameterName)
		if cur.Status != ws.SamlStatusEnumDisabled && cur.UserAccessUrl == nil {
			// inferred: the identity provider's sign-in URL is what SAML authentication redirects to.
			return invalidf("SAML Status %s requires a UserAccessUrl for directory %s.", cur.Status, *in.ResourceId)
		}
		d.SamlProperties = cur
		return nil
	}))
}

// ModifyCertificateBasedAuthProperties merges certificate-based
// authentication settings; PropertiesToDelete removes the certificate
// authority ARN (spec §7.9).
func (s *Service) ModifyCertificateBasedAuthProperties(ctx context.Context, c *api.Call, in *ws.ModifyCertificateBasedAuthPropertiesInput) (*ws.ModifyCertificateBasedAuthPropertiesOutput, error) {
	p := in.CertificateBasedAuthProperties
	if p == nil {
		p = &ws.CertificateBasedAuthProperties{}
	}
	deleteArn := false
	for _, del := range in.PropertiesToDelete {
		if del == ws.DeletableCertificateBasedAuthPropertyCertificateBasedAuthPropertiesCertificateAuthorityArn {
			deleteArn = true
		}
	}
	return emptyOutput[ws.ModifyCertificateBasedAuthPropertiesOutput](s.modifyDirectory(ctx, c, *in.ResourceId, func(d *directoryRecord) error {
		if deleteArn && p.CertificateAuthorityArn != nil {
			// inferred: setting and deleting the same member is contradictory.
			return invalidf("%s is listed in PropertiesToDelete and also given in CertificateBasedAuthProperties.", ws.DeletableCertificateBasedAuthPropertyCertificateBasedAuthPropertiesCertificateAuthorityArn)
		}
		cur := copyOf(d.CertificateBasedAuthProperties)
		if cur.Status == "" {
			cur.Status = ws.CertificateBasedAuthStatusEnumDisabled
		}
		if deleteArn {
			cur.CertificateAuthorityArn = nil
		}
		set(&cur.Status, p.Status)
		set(&cur.CertificateAuthorityArn, p.CertificateAuthorityArn)
		if cur.Status == ws.CertificateBasedAuthStatusEnumEnabled && cur.CertificateAuthorityArn == nil {
			// inferred: certificates are issued by the AWS Private CA named here.
			return invalidf("Certificate-based authentication Status ENABLED requires a CertificateAuthorityArn for directory %s.", *in.ResourceId)
		}
		d.CertificateBasedAuthProperties = cur
		return nil
	}))
}

// ModifyClientProperties merges the client properties of a directory
// (spec §7.8).
func (s *Service) ModifyClientProperties(ctx context.Context, c *api.Call, in *ws.ModifyClientPropertiesInput) (*ws.ModifyClientPropertiesOutput, error) {
	return emptyOutput[ws.ModifyClientPropertiesOutput](s.modifyDirectory(ctx, c, *in.ResourceId, func(d *directoryRecord) error {
		if isPools(d) {
			// inferred: spec §7.8.
			return notSupported("POOLS_DIRECTORY", "Client properties do not apply to pools directory %s.", *in.ResourceId)
		}
		cur := d.clientProperties()
		set(&cur.ReconnectEnabled, in.ClientProperties.ReconnectEnabled)
		set(&cur.LogUploadEnabled, in.ClientProperties.LogUploadEnabled)
		d.ClientProperties = &cur
		return nil
	}))
}

// DescribeClientProperties returns the client properties of each directory,
// in request order, once per id. Any id that is not a directory of the caller
// fails the whole call (inferred: spec §7.7).
func (s *Service) DescribeClientProperties(ctx context.Context, c *api.Call, in *ws.DescribeClientPropertiesInput) (*ws.DescribeClientPropertiesOutput, error) {
	out := &ws.DescribeClientPropertiesOutput{ClientPropertiesList: []ws.ClientPropertiesResult{}}
	err := s.view(ctx, func(tx store.Tx) error {
		seen := map[string]bool{}
		for _, id := range in.ResourceIds {
			if seen[id] {
				continue
			}
			seen[id] = true
			d, err := s.getDirectory(ctx, tx, c, id)
			if err != nil {
				return err
			}
			p := d.clientProperties()
			out.ClientPropertiesList = append(out.ClientPropertiesList, ws.ClientPropertiesResult{ResourceId: api.String(id), ClientProperties: &p})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ModifyStreamingProperties merges a directory's streaming properties: the
// preferred protocol and Global Accelerator settings when given, and the
// user-setting and storage-connector lists replaced whole when given.
func (s *Service) ModifyStreamingProperties(ctx context.Context, c *api.Call, in *ws.ModifyStreamingPropertiesInput) (*ws.ModifyStreamingPropertiesOutput, error) {
	p := in.StreamingProperties
	if p == nil {
		p = &ws.StreamingProperties{}
	}
	return emptyOutput[ws.ModifyStreamingPropertiesOutput](s.modifyDirectory(ctx, c, *in.ResourceId, func(d *directoryRecord) error {
		if err := checkStreamingLists(p); err != nil {
			return err
		}
		cur := copyOf(d.StreamingProperties)
		set(&cur.StreamingExperiencePreferredProtocol, p.StreamingExperiencePreferredProtocol)
		if p.GlobalAccelerator != nil {
			ga := *p.GlobalAccelerator
			cur.GlobalAccelerator = &ga
		}
		if p.UserSettings != nil {
			cur.UserSettings = append([]ws.UserSetting{}, p.UserSettings...)
		}
		if p.StorageConnectors != nil {
			cur.StorageConnectors = append([]ws.StorageConnector{}, p.StorageConnectors...)
		}
		d.StreamingProperties = cur
		return nil
	}))
}

// checkStreamingLists refuses a user setting or storage connector listed
// twice (inferred: one entry per action or connector type).
func checkStreamingLists(p *ws.StreamingProperties) error {
	actions := map[ws.UserSettingActionEnum]bool{}
	for _, u := range p.UserSettings {
		if actions[u.Action] {
			return invalidf("The user setting %s appears more than once.", u.Action)
		}
		actions[u.Action] = true
	}
	connectors := map[ws.StorageConnectorTypeEnum]bool{}
	for _, sc := range p.StorageConnectors {
		if connectors[sc.ConnectorType] {
			return invalidf("The storage connector %s appears more than once.", sc.ConnectorType)
		}
		connectors[sc.ConnectorType] = true
	}
	return nil
}
