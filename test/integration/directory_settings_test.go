package integration

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// dsetJSON renders v for exact comparisons (pointers compared by value).
func dsetJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dsetWant fails unless got and want render the same.
func dsetWant(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := dsetJSON(t, got), dsetJSON(t, want); g != w {
		t.Fatalf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// dsetRegister registers a d- directory and waits until it is REGISTERED.
func dsetRegister(t *testing.T, env *testenv.Env, c *workspaces.Client, id string) {
	t.Helper()
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(id)}))
	env.Advance(time.Second)
	if d := describeDir(t, c, id); d == nil || d.State != types.WorkspaceDirectoryStateRegistered {
		t.Fatalf("directory %s not registered: %+v", id, d)
	}
}

func dsetClientProps(t *testing.T, c *workspaces.Client, ids ...string) []types.ClientPropertiesResult {
	t.Helper()
	return must[*workspaces.DescribeClientPropertiesOutput](t)(c.DescribeClientProperties(ctx, &workspaces.DescribeClientPropertiesInput{ResourceIds: ids})).ClientPropertiesList
}

// dsetOps calls every settings operation with a valid request on directory id.
var dsetOps = []struct {
	name string
	call func(c *workspaces.Client, id string) error
}{
	{"ModifySelfservicePermissions", func(c *workspaces.Client, id string) error {
		_, err := c.ModifySelfservicePermissions(ctx, &workspaces.ModifySelfservicePermissionsInput{ResourceId: &id, SelfservicePermissions: &types.SelfservicePermissions{RebuildWorkspace: types.ReconnectEnumEnabled}})
		return err
	}},
	{"ModifyWorkspaceAccessProperties", func(c *workspaces.Client, id string) error {
		_, err := c.ModifyWorkspaceAccessProperties(ctx, &workspaces.ModifyWorkspaceAccessPropertiesInput{ResourceId: &id, WorkspaceAccessProperties: &types.WorkspaceAccessProperties{DeviceTypeLinux: types.AccessPropertyValueAllow}})
		return err
	}},
	{"ModifyWorkspaceCreationProperties", func(c *workspaces.Client, id string) error {
		_, err := c.ModifyWorkspaceCreationProperties(ctx, &workspaces.ModifyWorkspaceCreationPropertiesInput{ResourceId: &id, WorkspaceCreationProperties: &types.WorkspaceCreationProperties{EnableInternetAccess: aws.Bool(true)}})
		return err
	}},
	{"ModifySamlProperties", func(c *workspaces.Client, id string) error {
		_, err := c.ModifySamlProperties(ctx, &workspaces.ModifySamlPropertiesInput{ResourceId: &id, SamlProperties: &types.SamlProperties{Status: types.SamlStatusEnumEnabled, UserAccessUrl: aws.String("https://idp.example.com/sso")}})
		return err
	}},
	{"ModifyCertificateBasedAuthProperties", func(c *workspaces.Client, id string) error {
		_, err := c.ModifyCertificateBasedAuthProperties(ctx, &workspaces.ModifyCertificateBasedAuthPropertiesInput{ResourceId: &id, CertificateBasedAuthProperties: &types.CertificateBasedAuthProperties{CertificateAuthorityArn: aws.String(dsetCA)}})
		return err
	}},
	{"ModifyClientProperties", func(c *workspaces.Client, id string) error {
		_, err := c.ModifyClientProperties(ctx, &workspaces.ModifyClientPropertiesInput{ResourceId: &id, ClientProperties: &types.ClientProperties{ReconnectEnabled: types.ReconnectEnumDisabled}})
		return err
	}},
	{"ModifyStreamingProperties", func(c *workspaces.Client, id string) error {
		_, err := c.ModifyStreamingProperties(ctx, &workspaces.ModifyStreamingPropertiesInput{ResourceId: &id, StreamingProperties: &types.StreamingProperties{StreamingExperiencePreferredProtocol: types.StreamingExperiencePreferredProtocolEnumUdp}})
		return err
	}},
}

const dsetCA = "arn:aws:acm-pca:us-east-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555"

// The Terraform aws_workspaces_directory create sequence: every setting it
// sends reads back exactly, in order, with no invented members.
func TestDirectorySettingsTerraformCreate(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	const dir = "d-90670b8f3e"
	dsetRegister(t, env, c, dir)
	must[*workspaces.ModifySamlPropertiesOutput](t)(c.ModifySamlProperties(ctx, &workspaces.ModifySamlPropertiesInput{ResourceId: aws.String(dir), SamlProperties: &types.SamlProperties{
		RelayStateParameterName: aws.String("RelayState"), Status: types.SamlStatusEnumEnabledWithDirectoryLoginFallback, UserAccessUrl: aws.String("https://sso.example.com/"),
	}}))
	must[*workspaces.ModifyCertificateBasedAuthPropertiesOutput](t)(c.ModifyCertificateBasedAuthProperties(ctx, &workspaces.ModifyCertificateBasedAuthPropertiesInput{ResourceId: aws.String(dir), CertificateBasedAuthProperties: &types.CertificateBasedAuthProperties{
		CertificateAuthorityArn: aws.String(dsetCA), Status: types.CertificateBasedAuthStatusEnumEnabled,
	}}))
	must[*workspaces.ModifySelfservicePermissionsOutput](t)(c.ModifySelfservicePermissions(ctx, &workspaces.ModifySelfservicePermissionsInput{ResourceId: aws.String(dir), SelfservicePermissions: &types.SelfservicePermissions{
		ChangeComputeType: types.ReconnectEnumEnabled, IncreaseVolumeSize: types.ReconnectEnumEnabled, RebuildWorkspace: types.ReconnectEnumEnabled,
		RestartWorkspace: types.ReconnectEnumDisabled, SwitchRunningMode: types.ReconnectEnumEnabled,
	}}))
	must[*workspaces.ModifyWorkspaceAccessPropertiesOutput](t)(c.ModifyWorkspaceAccessProperties(ctx, &workspaces.ModifyWorkspaceAccessPropertiesInput{ResourceId: aws.String(dir), WorkspaceAccessProperties: &types.WorkspaceAccessProperties{
		DeviceTypeAndroid: types.AccessPropertyValueAllow, DeviceTypeChromeOs: types.AccessPropertyValueAllow, DeviceTypeIos: types.AccessPropertyValueAllow,
		DeviceTypeLinux: types.AccessPropertyValueDeny, DeviceTypeOsx: types.AccessPropertyValueAllow, DeviceTypeWeb: types.AccessPropertyValueDeny,
		DeviceTypeWindows: types.AccessPropertyValueDeny, DeviceTypeZeroClient: types.AccessPropertyValueDeny,
	}}))
	must[*workspaces.ModifyWorkspaceCreationPropertiesOutput](t)(c.ModifyWorkspaceCreationProperties(ctx, &workspaces.ModifyWorkspaceCreationPropertiesInput{ResourceId: aws.String(dir), WorkspaceCreationProperties: &types.WorkspaceCreationProperties{
		EnableInternetAccess: aws.Bool(true), CustomSecurityGroupId: aws.String("sg-0123456789abcdef0"), DefaultOu: aws.String("OU=AWS,DC=Workgroup,DC=Example,DC=com"),
		EnableMaintenanceMode: aws.Bool(false), UserEnabledAsLocalAdministrator: aws.Bool(false),
	}}))

	d := describeDir(t, c, dir)
	dsetWant(t, "SamlProperties", d.SamlProperties, &types.SamlProperties{RelayStateParameterName: aws.String("RelayState"), Status: types.SamlStatusEnumEnabledWithDirectoryLoginFallback, UserAccessUrl: aws.String("https://sso.example.com/")})
	dsetWant(t, "CertificateBasedAuthProperties", d.CertificateBasedAuthProperties, &types.CertificateBasedAuthProperties{CertificateAuthorityArn: aws.String(dsetCA), Status: types.CertificateBasedAuthStatusEnumEnabled})
	dsetWant(t, "SelfservicePermissions", d.SelfservicePermissions, &types.SelfservicePermissions{
		ChangeComputeType: types.ReconnectEnumEnabled, IncreaseVolumeSize: types.ReconnectEnumEnabled, RebuildWorkspace: types.ReconnectEnumEnabled,
		RestartWorkspace: types.ReconnectEnumDisabled, SwitchRunningMode: types.ReconnectEnumEnabled,
	})
	dsetWant(t, "WorkspaceAccessProperties", d.WorkspaceAccessProperties, &types.WorkspaceAccessProperties{
		DeviceTypeAndroid: types.AccessPropertyValueAllow, DeviceTypeChromeOs: types.AccessPropertyValueAllow, DeviceTypeIos: types.AccessPropertyValueAllow,
		DeviceTypeLinux: types.AccessPropertyValueDeny, DeviceTypeOsx: types.AccessPropertyValueAllow, DeviceTypeWeb: types.AccessPropertyValueDeny,
		DeviceTypeWindows: types.AccessPropertyValueDeny, DeviceTypeZeroClient: types.AccessPropertyValueDeny,
	})
	dsetWant(t, "WorkspaceCreationProperties", d.WorkspaceCreationProperties, &types.DefaultWorkspaceCreationProperties{
		CustomSecurityGroupId: aws.String("sg-0123456789abcdef0"), DefaultOu: aws.String("OU=AWS,DC=Workgroup,DC=Example,DC=com"),
		EnableInternetAccess: aws.Bool(true), EnableMaintenanceMode: aws.Bool(false), UserEnabledAsLocalAdministrator: aws.Bool(false),
	})
	if d.StreamingProperties != nil {
		t.Fatalf("StreamingProperties invented: %s", dsetJSON(t, d.StreamingProperties))
	}

	// Terraform update: relay_state_parameter_name and user_access_url set
	// to "" are sent as PropertiesToDelete together with Status DISABLED.
	must[*workspaces.ModifySamlPropertiesOutput](t)(c.ModifySamlProperties(ctx, &workspaces.ModifySamlPropertiesInput{ResourceId: aws.String(dir),
		SamlProperties:     &types.SamlProperties{Status: types.SamlStatusEnumDisabled},
		PropertiesToDelete: []types.DeletableSamlProperty{types.DeletableSamlPropertySamlPropertiesRelayStateParameterName, types.DeletableSamlPropertySamlPropertiesUserAccessUrl},
	}))
	dsetWant(t, "SamlProperties after delete", describeDir(t, c, dir).SamlProperties, &types.SamlProperties{Status: types.SamlStatusEnumDisabled})
}

func TestDirectorySettingsMerge(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	const dir = "d-1234567890"
	dsetRegister(t, env, c, dir)

	// Self-service: two partial modifies; the defaults and the first survive.
	must[*workspaces.ModifySelfservicePermissionsOutput](t)(c.ModifySelfservicePermissions(ctx, &workspaces.ModifySelfservicePermissionsInput{ResourceId: aws.String(dir), SelfservicePermissions: &types.SelfservicePermissions{IncreaseVolumeSize: types.ReconnectEnumEnabled}}))
	must[*workspaces.ModifySelfservicePermissionsOutput](t)(c.ModifySelfservicePermissions(ctx, &workspaces.ModifySelfservicePermissionsInput{ResourceId: aws.String(dir), SelfservicePermissions: &types.SelfservicePermissions{ChangeComputeType: types.ReconnectEnumEnabled}}))
	dsetWant(t, "SelfservicePermissions", describeDir(t, c, dir).SelfservicePermissions, &types.SelfservicePermissions{
		ChangeComputeType: types.ReconnectEnumEnabled, IncreaseVolumeSize: types.ReconnectEnumEnabled, RebuildWorkspace: types.ReconnectEnumDisabled,
		RestartWorkspace: types.ReconnectEnumEnabled, SwitchRunningMode: types.ReconnectEnumDisabled,
	})

	// Access: device types merge; the thin-client type and endpoint config appear once set.
	must[*workspaces.ModifyWorkspaceAccessPropertiesOutput](t)(c.ModifyWorkspaceAccessProperties(ctx, &workspaces.ModifyWorkspaceAccessPropertiesInput{ResourceId: aws.String(dir), WorkspaceAccessProperties: &types.WorkspaceAccessProperties{
		DeviceTypeWorkSpacesThinClient: types.AccessPropertyValueAllow, DeviceTypeLinux: types.AccessPropertyValueAllow,
	}}))
	vpce := types.AccessEndpointConfig{
		AccessEndpoints:           []types.AccessEndpoint{{AccessEndpointType: types.AccessEndpointTypeStreamingWsp, VpcEndpointId: aws.String("vpce-0123456789abcdef0")}},
		InternetFallbackProtocols: []types.InternetFallbackProtocol{types.InternetFallbackProtocolPcoip},
	}
	must[*workspaces.ModifyWorkspaceAccessPropertiesOutput](t)(c.ModifyWorkspaceAccessProperties(ctx, &workspaces.ModifyWorkspaceAccessPropertiesInput{ResourceId: aws.String(dir), WorkspaceAccessProperties: &types.WorkspaceAccessProperties{
		AccessEndpointConfig: &vpce, DeviceTypeWeb: types.AccessPropertyValueAllow,
	}}))
	want := &types.WorkspaceAccessProperties{
		AccessEndpointConfig: &vpce,
		DeviceTypeAndroid:    types.AccessPropertyValueAllow, DeviceTypeChromeOs: types.AccessPropertyValueAllow, DeviceTypeIos: types.AccessPropertyValueAllow,
		DeviceTypeLinux: types.AccessPropertyValueAllow, DeviceTypeOsx: types.AccessPropertyValueAllow, DeviceTypeWeb: types.AccessPropertyValueAllow,
		DeviceTypeWindows: types.AccessPropertyValueAllow, DeviceTypeWorkSpacesThinClient: types.AccessPropertyValueAllow, DeviceTypeZeroClient: types.AccessPropertyValueAllow,
	}
	dsetWant(t, "WorkspaceAccessProperties", describeDir(t, c, dir).WorkspaceAccessProperties, want)
	// A modify without AccessEndpointConfig keeps it.
	must[*workspaces.ModifyWorkspaceAccessPropertiesOutput](t)(c.ModifyWorkspaceAccessProperties(ctx, &workspaces.ModifyWorkspaceAccessPropertiesInput{ResourceId: aws.String(dir), WorkspaceAccessProperties: &types.WorkspaceAccessProperties{DeviceTypeIos: types.AccessPropertyValueDeny}}))
	want.DeviceTypeIos = types.AccessPropertyValueDeny
	dsetWant(t, "WorkspaceAccessProperties after partial", describeDir(t, c, dir).WorkspaceAccessProperties, want)
	// VPC-endpoint-only access cannot be combined with web access.
	_, err := c.ModifyWorkspaceAccessProperties(ctx, &workspaces.ModifyWorkspaceAccessPropertiesInput{ResourceId: aws.String(dir), WorkspaceAccessProperties: &types.WorkspaceAccessProperties{
		AccessEndpointConfig: &types.AccessEndpointConfig{AccessEndpoints: vpce.AccessEndpoints},
	}})
	wantCode(t, err, "InvalidParameterCombinationException")
	_, err = c.ModifyWorkspaceAccessProperties(ctx, &workspaces.ModifyWorkspaceAccessPropertiesInput{ResourceId: aws.String(dir), WorkspaceAccessProperties: &types.WorkspaceAccessProperties{
		AccessEndpointConfig: &types.AccessEndpointConfig{AccessEndpoints: []types.AccessEndpoint{}, InternetFallbackProtocols: vpce.InternetFallbackProtocols},
	}})
	wantCode(t, err, "InvalidParameterCombinationException")
	_, err = c.ModifyWorkspaceAccessProperties(ctx, &workspaces.ModifyWorkspaceAccessPropertiesInput{ResourceId: aws.String(dir), WorkspaceAccessProperties: &types.WorkspaceAccessProperties{
		AccessEndpointConfig: &types.AccessEndpointConfig{AccessEndpoints: []types.AccessEndpoint{{AccessEndpointType: types.AccessEndpointTypeStreamingWsp, VpcEndpointId: aws.String("endpoint-1")}}},
	}})
	wantCode(t, err, "InvalidParameterValuesException")
	dsetWant(t, "WorkspaceAccessProperties after refusals", describeDir(t, c, dir).WorkspaceAccessProperties, want)
	// An empty endpoint list removes the configuration.
	must[*workspaces.ModifyWorkspaceAccessPropertiesOutput](t)(c.ModifyWorkspaceAccessProperties(ctx, &workspaces.ModifyWorkspaceAccessPropertiesInput{ResourceId: aws.String(dir), WorkspaceAccessProperties: &types.WorkspaceAccessProperties{
		AccessEndpointConfig: &types.AccessEndpointConfig{AccessEndpoints: []types.AccessEndpoint{}},
	}}))
	want.AccessEndpointConfig = nil
	dsetWant(t, "WorkspaceAccessProperties after clearing endpoints", describeDir(t, c, dir).WorkspaceAccessProperties, want)

	// Creation: DefaultOu and friends survive a later partial modify.
	must[*workspaces.ModifyWorkspaceCreationPropertiesOutput](t)(c.ModifyWorkspaceCreationProperties(ctx, &workspaces.ModifyWorkspaceCreationPropertiesInput{ResourceId: aws.String(dir), WorkspaceCreationProperties: &types.WorkspaceCreationProperties{
		DefaultOu: aws.String("OU=WorkSpaces,DC=corp,DC=example,DC=com"), CustomSecurityGroupId: aws.String("sg-0abc1234"),
		InstanceIamRoleArn: aws.String("arn:aws:iam::111111111111:role/WorkSpacesInstance"),
	}}))
	must[*workspaces.ModifyWorkspaceCreationPropertiesOutput](t)(c.ModifyWorkspaceCreationProperties(ctx, &workspaces.ModifyWorkspaceCreationPropertiesInput{ResourceId: aws.String(dir), WorkspaceCreationProperties: &types.WorkspaceCreationProperties{
		EnableInternetAccess: aws.Bool(true),
	}}))
	wantCreation := &types.DefaultWorkspaceCreationProperties{
		CustomSecurityGroupId: aws.String("sg-0abc1234"), DefaultOu: aws.String("OU=WorkSpaces,DC=corp,DC=example,DC=com"),
		EnableInternetAccess: aws.Bool(true), EnableMaintenanceMode: aws.Bool(true),
		InstanceIamRoleArn:              aws.String("arn:aws:iam::111111111111:role/WorkSpacesInstance"),
		UserEnabledAsLocalAdministrator: aws.Bool(true),
	}
	dsetWant(t, "WorkspaceCreationProperties", describeDir(t, c, dir).WorkspaceCreationProperties, wantCreation)
	for _, ou := range []string{"WorkSpaces", "OU=WorkSpaces", "OU=WorkSpaces,DC=com", "DC=corp,DC=com", "OU=a,DC=corp,OU=b,DC=com", "XX=a,DC=corp,DC=com", "OU=,DC=corp,DC=com"} {
		_, err = c.ModifyWorkspaceCreationProperties(ctx, &workspaces.ModifyWorkspaceCreationPropertiesInput{ResourceId: aws.String(dir), WorkspaceCreationProperties: &types.WorkspaceCreationProperties{DefaultOu: aws.String(ou)}})
		wantCode(t, err, "InvalidParameterValuesException")
	}
	dsetWant(t, "WorkspaceCreationProperties after refusals", describeDir(t, c, dir).WorkspaceCreationProperties, wantCreation)

	// Streaming: the protocol survives a later Global Accelerator change.
	must[*workspaces.ModifyStreamingPropertiesOutput](t)(c.ModifyStreamingProperties(ctx, &workspaces.ModifyStreamingPropertiesInput{ResourceId: aws.String(dir), StreamingProperties: &types.StreamingProperties{StreamingExperiencePreferredProtocol: types.StreamingExperiencePreferredProtocolEnumUdp}}))
	must[*workspaces.ModifyStreamingPropertiesOutput](t)(c.ModifyStreamingProperties(ctx, &workspaces.ModifyStreamingPropertiesInput{ResourceId: aws.String(dir), StreamingProperties: &types.StreamingProperties{GlobalAccelerator: &types.GlobalAcceleratorForDirectory{Mode: types.AGAModeForDirectoryEnumEnabledAuto}}}))
	dsetWant(t, "StreamingProperties", describeDir(t, c, dir).StreamingProperties, &types.StreamingProperties{
		GlobalAccelerator: &types.GlobalAcceleratorForDirectory{Mode: types.AGAModeForDirectoryEnumEnabledAuto}, StreamingExperiencePreferredProtocol: types.StreamingExperiencePreferredProtocolEnumUdp,
	})
}

func TestDirectorySettingsSamlAndCertificates(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	const dir = "d-1234567890"
	dsetRegister(t, env, c, dir)
	saml := func(p *types.SamlProperties, del ...types.DeletableSamlProperty) error {
		_, err := c.ModifySamlProperties(ctx, &workspaces.ModifySamlPropertiesInput{ResourceId: aws.String(dir), SamlProperties: p, PropertiesToDelete: del})
		return err
	}
	cba := func(p *types.CertificateBasedAuthProperties, del ...types.DeletableCertificateBasedAuthProperty) error {
		_, err := c.ModifyCertificateBasedAuthProperties(ctx, &workspaces.ModifyCertificateBasedAuthPropertiesInput{ResourceId: aws.String(dir), CertificateBasedAuthProperties: p, PropertiesToDelete: del})
		return err
	}
	const url = "https://idp.example.com/sso"
	delURL, delRelay := types.DeletableSamlPropertySamlPropertiesUserAccessUrl, types.DeletableSamlPropertySamlPropertiesRelayStateParameterName
	dsetWant(t, "default SamlProperties", describeDir(t, c, dir).SamlProperties, &types.SamlProperties{RelayStateParameterName: aws.String("RelayState"), Status: types.SamlStatusEnumDisabled})

	// Enabling needs a user access URL, stored or given.
	wantCode(t, saml(&types.SamlProperties{Status: types.SamlStatusEnumEnabled}), "InvalidParameterValuesException")
	wantCode(t, saml(&types.SamlProperties{Status: types.SamlStatusEnumEnabledWithDirectoryLoginFallback}), "InvalidParameterValuesException")
	if err := saml(&types.SamlProperties{UserAccessUrl: aws.String(url)}); err != nil {
		t.Fatal(err)
	}
	if err := saml(&types.SamlProperties{Status: types.SamlStatusEnumEnabled}); err != nil {
		t.Fatal(err)
	}
	dsetWant(t, "SamlProperties", describeDir(t, c, dir).SamlProperties, &types.SamlProperties{RelayStateParameterName: aws.String("RelayState"), Status: types.SamlStatusEnumEnabled, UserAccessUrl: aws.String(url)})
	// Deleting the URL while enabled, or setting and deleting one member, is refused.
	wantCode(t, saml(nil, delURL), "InvalidParameterValuesException")
	wantCode(t, saml(&types.SamlProperties{RelayStateParameterName: aws.String("state")}, delRelay), "InvalidParameterValuesException")
	if err := saml(&types.SamlProperties{RelayStateParameterName: aws.String("target")}); err != nil {
		t.Fatal(err)
	}
	if err := saml(nil, delRelay); err != nil {
		t.Fatal(err)
	}
	dsetWant(t, "SamlProperties without relay state", describeDir(t, c, dir).SamlProperties, &types.SamlProperties{Status: types.SamlStatusEnumEnabled, UserAccessUrl: aws.String(url)})
	if err := saml(&types.SamlProperties{Status: types.SamlStatusEnumDisabled}, delURL); err != nil {
		t.Fatal(err)
	}
	dsetWant(t, "SamlProperties disabled", describeDir(t, c, dir).SamlProperties, &types.SamlProperties{Status: types.SamlStatusEnumDisabled})

	// Certificate-based authentication: ENABLED needs a CA ARN, stored or given.
	dsetWant(t, "default CertificateBasedAuthProperties", describeDir(t, c, dir).CertificateBasedAuthProperties, &types.CertificateBasedAuthProperties{Status: types.CertificateBasedAuthStatusEnumDisabled})
	wantCode(t, cba(&types.CertificateBasedAuthProperties{Status: types.CertificateBasedAuthStatusEnumEnabled}), "InvalidParameterValuesException")
	if err := cba(&types.CertificateBasedAuthProperties{CertificateAuthorityArn: aws.String(dsetCA)}); err != nil {
		t.Fatal(err)
	}
	dsetWant(t, "CertificateBasedAuthProperties with CA", describeDir(t, c, dir).CertificateBasedAuthProperties, &types.CertificateBasedAuthProperties{CertificateAuthorityArn: aws.String(dsetCA), Status: types.CertificateBasedAuthStatusEnumDisabled})
	if err := cba(&types.CertificateBasedAuthProperties{Status: types.CertificateBasedAuthStatusEnumEnabled}); err != nil {
		t.Fatal(err)
	}
	dsetWant(t, "CertificateBasedAuthProperties enabled", describeDir(t, c, dir).CertificateBasedAuthProperties, &types.CertificateBasedAuthProperties{CertificateAuthorityArn: aws.String(dsetCA), Status: types.CertificateBasedAuthStatusEnumEnabled})
	delCA := types.DeletableCertificateBasedAuthPropertyCertificateBasedAuthPropertiesCertificateAuthorityArn
	wantCode(t, cba(nil, delCA), "InvalidParameterValuesException")
	wantCode(t, cba(&types.CertificateBasedAuthProperties{Status: types.CertificateBasedAuthStatusEnumDisabled, CertificateAuthorityArn: aws.String(dsetCA)}, delCA), "InvalidParameterValuesException")
	if err := cba(&types.CertificateBasedAuthProperties{Status: types.CertificateBasedAuthStatusEnumDisabled}, delCA); err != nil {
		t.Fatal(err)
	}
	dsetWant(t, "CertificateBasedAuthProperties after delete", describeDir(t, c, dir).CertificateBasedAuthProperties, &types.CertificateBasedAuthProperties{Status: types.CertificateBasedAuthStatusEnumDisabled})
}

func TestDirectorySettingsClientProperties(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	const dir, other = "d-1234567890", "d-2234567890"
	dsetRegister(t, env, c, dir)
	dsetRegister(t, env, c, other)
	defaults := &types.ClientProperties{LogUploadEnabled: types.LogUploadEnumEnabled, ReconnectEnabled: types.ReconnectEnumEnabled}

	must[*workspaces.ModifyClientPropertiesOutput](t)(c.ModifyClientProperties(ctx, &workspaces.ModifyClientPropertiesInput{ResourceId: aws.String(dir), ClientProperties: &types.ClientProperties{ReconnectEnabled: types.ReconnectEnumDisabled}}))
	must[*workspaces.ModifyClientPropertiesOutput](t)(c.ModifyClientProperties(ctx, &workspaces.ModifyClientPropertiesInput{ResourceId: aws.String(dir), ClientProperties: &types.ClientProperties{LogUploadEnabled: types.LogUploadEnumDisabled}}))
	got := dsetClientProps(t, c, other, dir, other)
	dsetWant(t, "ClientPropertiesList", got, []types.ClientPropertiesResult{
		{ResourceId: aws.String(other), ClientProperties: defaults},
		{ResourceId: aws.String(dir), ClientProperties: &types.ClientProperties{LogUploadEnabled: types.LogUploadEnumDisabled, ReconnectEnabled: types.ReconnectEnumDisabled}},
	})
	_, err := c.DescribeClientProperties(ctx, &workspaces.DescribeClientPropertiesInput{ResourceIds: []string{dir, "d-9999999999"}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DescribeClientProperties(ctx, &workspaces.DescribeClientPropertiesInput{ResourceIds: []string{}})
	wantCode(t, err, "ValidationException")

	// Deregistration discards every setting: registering again gives defaults.
	must[*workspaces.ModifySelfservicePermissionsOutput](t)(c.ModifySelfservicePermissions(ctx, &workspaces.ModifySelfservicePermissionsInput{ResourceId: aws.String(dir), SelfservicePermissions: &types.SelfservicePermissions{RestartWorkspace: types.ReconnectEnumDisabled}}))
	must[*workspaces.DeregisterWorkspaceDirectoryOutput](t)(c.DeregisterWorkspaceDirectory(ctx, &workspaces.DeregisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)}))
	for _, op := range dsetOps {
		wantCode(t, op.call(c, dir), "OperationNotSupportedException") // DEREGISTERING
	}
	env.Advance(time.Second)
	_, err = c.DescribeClientProperties(ctx, &workspaces.DescribeClientPropertiesInput{ResourceIds: []string{dir}})
	wantCode(t, err, "ResourceNotFoundException") // DEREGISTERED
	env.Advance(time.Second)
	dsetRegister(t, env, c, dir)
	dsetWant(t, "ClientProperties after re-registration", dsetClientProps(t, c, dir)[0].ClientProperties, defaults)
	if p := describeDir(t, c, dir).SelfservicePermissions; p.RestartWorkspace != types.ReconnectEnumEnabled {
		t.Fatalf("self-service permissions survived deregistration: %s", dsetJSON(t, p))
	}
}

func TestDirectorySettingsErrors(t *testing.T) {
	env := testenv.Start(t)
	a := env.WorkSpaces(testenv.AccountA, testenv.Region)
	b := env.WorkSpaces(testenv.AccountB, testenv.Region)
	const dir = "d-1234567890"

	// Unknown, then REGISTERING.
	for _, op := range dsetOps {
		wantCode(t, op.call(a, dir), "ResourceNotFoundException")
	}
	_, err := a.DescribeClientProperties(ctx, &workspaces.DescribeClientPropertiesInput{ResourceIds: []string{dir}})
	wantCode(t, err, "ResourceNotFoundException")
	// Existence is checked before the request's semantics (spec §1.3).
	_, err = a.ModifyWorkspaceCreationProperties(ctx, &workspaces.ModifyWorkspaceCreationPropertiesInput{ResourceId: aws.String(dir), WorkspaceCreationProperties: &types.WorkspaceCreationProperties{DefaultOu: aws.String("not a DN")}})
	wantCode(t, err, "ResourceNotFoundException")
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(a.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)}))
	before := describeDir(t, a, dir)
	for _, op := range dsetOps {
		t.Run("registering/"+op.name, func(t *testing.T) { wantCode(t, op.call(a, dir), "OperationNotSupportedException") })
	}
	env.Advance(time.Second)
	before.State = types.WorkspaceDirectoryStateRegistered
	dsetWant(t, "directory after refused modifications", describeDir(t, a, dir), before)

	// Another account sees nothing and changes nothing.
	for _, op := range dsetOps {
		t.Run("other account/"+op.name, func(t *testing.T) { wantCode(t, op.call(b, dir), "ResourceNotFoundException") })
	}
	_, err = b.DescribeClientProperties(ctx, &workspaces.DescribeClientPropertiesInput{ResourceIds: []string{dir}})
	wantCode(t, err, "ResourceNotFoundException")
	dsetWant(t, "directory after another account's attempts", describeDir(t, a, dir), before)
	// The same id registered by B is B's own, with its own settings.
	dsetRegister(t, env, b, dir)
	for _, op := range dsetOps {
		if err := op.call(a, dir); err != nil {
			t.Fatalf("%s: %v", op.name, err)
		}
	}
	if p := dsetClientProps(t, b, dir)[0].ClientProperties; p.ReconnectEnabled != types.ReconnectEnumEnabled {
		t.Fatalf("B sees A's client properties: %s", dsetJSON(t, p))
	}
	if d := describeDir(t, b, dir); d.SelfservicePermissions.RebuildWorkspace != types.ReconnectEnumDisabled || d.SamlProperties.Status != types.SamlStatusEnumDisabled {
		t.Fatalf("B sees A's settings: %s", dsetJSON(t, d))
	}
	if d := describeDir(t, a, dir); d.SelfservicePermissions.RebuildWorkspace != types.ReconnectEnumEnabled || d.SamlProperties.Status != types.SamlStatusEnumEnabled {
		t.Fatalf("A's settings were not applied: %s", dsetJSON(t, d))
	}

	// Streaming lists hold one entry per action or connector type.
	_, err = a.ModifyStreamingProperties(ctx, &workspaces.ModifyStreamingPropertiesInput{ResourceId: aws.String(dir), StreamingProperties: &types.StreamingProperties{UserSettings: []types.UserSetting{
		{Action: types.UserSettingActionEnumClipboardCopyFromLocalDevice, Permission: types.UserSettingPermissionEnumEnabled},
		{Action: types.UserSettingActionEnumClipboardCopyFromLocalDevice, Permission: types.UserSettingPermissionEnumDisabled},
	}}})
	wantCode(t, err, "InvalidParameterValuesException")

	// Model validation runs first.
	_, err = a.ModifySamlProperties(ctx, &workspaces.ModifySamlPropertiesInput{ResourceId: aws.String(dir), SamlProperties: &types.SamlProperties{UserAccessUrl: aws.String("ftp://idp")}})
	wantCode(t, err, "ValidationException")
	_, err = a.ModifyWorkspaceCreationProperties(ctx, &workspaces.ModifyWorkspaceCreationPropertiesInput{ResourceId: aws.String(dir), WorkspaceCreationProperties: &types.WorkspaceCreationProperties{CustomSecurityGroupId: aws.String("group-1")}})
	wantCode(t, err, "ValidationException")
}

func TestDirectorySettingsPools(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	out := must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{
		WorkspaceDirectoryName: aws.String("pool-dir"), WorkspaceDirectoryDescription: aws.String("pools"),
		UserIdentityType: types.UserIdentityTypeCustomerManaged, WorkspaceType: types.WorkspaceTypePools,
	}))
	id := aws.ToString(out.DirectoryId)
	env.Advance(time.Second)

	_, err := c.ModifySelfservicePermissions(ctx, &workspaces.ModifySelfservicePermissionsInput{ResourceId: &id, SelfservicePermissions: &types.SelfservicePermissions{RestartWorkspace: types.ReconnectEnumEnabled}})
	wantCode(t, err, "OperationNotSupportedException")
	_, err = c.ModifyClientProperties(ctx, &workspaces.ModifyClientPropertiesInput{ResourceId: &id, ClientProperties: &types.ClientProperties{ReconnectEnabled: types.ReconnectEnumDisabled}})
	wantCode(t, err, "OperationNotSupportedException")
	for _, p := range []types.WorkspaceCreationProperties{
		{EnableMaintenanceMode: aws.Bool(true)},
		{UserEnabledAsLocalAdministrator: aws.Bool(false)},
		{DefaultOu: aws.String("OU=Pools,DC=corp,DC=example,DC=com")}, // no ActiveDirectoryConfig
	} {
		_, err = c.ModifyWorkspaceCreationProperties(ctx, &workspaces.ModifyWorkspaceCreationPropertiesInput{ResourceId: &id, WorkspaceCreationProperties: &p})
		wantCode(t, err, "OperationNotSupportedException")
	}
	// What Terraform sends for pools works.
	must[*workspaces.ModifyWorkspaceCreationPropertiesOutput](t)(c.ModifyWorkspaceCreationProperties(ctx, &workspaces.ModifyWorkspaceCreationPropertiesInput{ResourceId: &id, WorkspaceCreationProperties: &types.WorkspaceCreationProperties{
		EnableInternetAccess: aws.Bool(true), CustomSecurityGroupId: aws.String("sg-0123456789abcdef0"),
	}}))
	must[*workspaces.ModifySamlPropertiesOutput](t)(c.ModifySamlProperties(ctx, &workspaces.ModifySamlPropertiesInput{ResourceId: &id, SamlProperties: &types.SamlProperties{Status: types.SamlStatusEnumEnabled, UserAccessUrl: aws.String("https://idp.example.com/")}}))
	must[*workspaces.ModifyWorkspaceAccessPropertiesOutput](t)(c.ModifyWorkspaceAccessProperties(ctx, &workspaces.ModifyWorkspaceAccessPropertiesInput{ResourceId: &id, WorkspaceAccessProperties: &types.WorkspaceAccessProperties{DeviceTypeWeb: types.AccessPropertyValueAllow}}))
	d := describeDir(t, c, id)
	if !aws.ToBool(d.WorkspaceCreationProperties.EnableInternetAccess) || aws.ToString(d.WorkspaceCreationProperties.CustomSecurityGroupId) != "sg-0123456789abcdef0" ||
		d.SamlProperties.Status != types.SamlStatusEnumEnabled || d.WorkspaceAccessProperties.DeviceTypeWeb != types.AccessPropertyValueAllow {
		t.Fatalf("pools settings = %s", dsetJSON(t, d))
	}
}

// On the wire every Modify* answers 200 with {}; the not-REGISTERED error
// carries its Reason.
func TestDirectorySettingsWire(t *testing.T) {
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	const dir = "d-1234567890"
	must[*workspaces.RegisterWorkspaceDirectoryOutput](t)(c.RegisterWorkspaceDirectory(ctx, &workspaces.RegisterWorkspaceDirectoryInput{DirectoryId: aws.String(dir)}))
	hdr := func(op string) map[string]string {
		return map[string]string{signAs: "workspaces", "X-Amz-Target": "WorkspacesService." + op, "Content-Type": "application/x-amz-json-1.1"}
	}
	status, code, body := raw(t, "POST", env.URL, hdr("ModifyClientProperties"), `{"ResourceId":"`+dir+`","ClientProperties":{"ReconnectEnabled":"DISABLED"}}`)
	if status != 400 || code != "OperationNotSupportedException" || body["reason"] != "DIRECTORY_NOT_REGISTERED" {
		t.Fatalf("while REGISTERING: %d %s %v", status, code, body)
	}
	env.Advance(time.Second)
	for op, req := range map[string]string{
		"ModifyClientProperties":               `{"ResourceId":"` + dir + `","ClientProperties":{"ReconnectEnabled":"DISABLED"}}`,
		"ModifySelfservicePermissions":         `{"ResourceId":"` + dir + `","SelfservicePermissions":{"RebuildWorkspace":"ENABLED"}}`,
		"ModifyWorkspaceAccessProperties":      `{"ResourceId":"` + dir + `","WorkspaceAccessProperties":{"DeviceTypeWeb":"ALLOW"}}`,
		"ModifyWorkspaceCreationProperties":    `{"ResourceId":"` + dir + `","WorkspaceCreationProperties":{"EnableInternetAccess":true}}`,
		"ModifySamlProperties":                 `{"ResourceId":"` + dir + `","PropertiesToDelete":["SAML_PROPERTIES_RELAY_STATE_PARAMETER_NAME"]}`,
		"ModifyCertificateBasedAuthProperties": `{"ResourceId":"` + dir + `","PropertiesToDelete":["CERTIFICATE_BASED_AUTH_PROPERTIES_CERTIFICATE_AUTHORITY_ARN"]}`,
		"ModifyStreamingProperties":            `{"ResourceId":"` + dir + `"}`,
	} {
		status, code, body := raw(t, "POST", env.URL, hdr(op), req)
		if status != 200 || code != "" || body == nil || len(body) != 0 {
			t.Fatalf("%s: %d %s %v, want 200 {}", op, status, code, body)
		}
	}
	status, _, body = raw(t, "POST", env.URL, hdr("DescribeClientProperties"), `{"ResourceIds":["`+dir+`"]}`)
	want := `{"ClientPropertiesList":[{"ClientProperties":{"LogUploadEnabled":"ENABLED","ReconnectEnabled":"DISABLED"},"ResourceId":"` + dir + `"}]}`
	if got := dsetJSON(t, body); status != 200 || got != want {
		t.Fatalf("DescribeClientProperties: %d %s, want %s", status, got, want)
	}
}
