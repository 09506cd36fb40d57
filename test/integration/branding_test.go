package integration

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go-v2/service/workspaces/types"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// Client branding (workspaces-more §21): scenarios 1–9 of §21.7.

const brandDir = "d-1234567890"

// brandPNG is the 68-byte PNG of the admin guide's sample.
var brandPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAC0lEQVR42mNgQAcAABIAAeRVjecAAAAASUVORK5CYII=")

// brandBigPNG is a PNG-signed blob of n bytes.
func brandBigPNG(n int) []byte {
	b := bytes.Repeat([]byte{0}, n)
	copy(b, brandPNG)
	return b
}

func brandStart(t *testing.T) (*testenv.Env, *workspaces.Client) {
	t.Helper()
	env := testenv.Start(t)
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	wspRegister(t, env, c, brandDir)
	return env, c
}

func brandDescribe(t *testing.T, c *workspaces.Client, dir string) *workspaces.DescribeClientBrandingOutput {
	t.Helper()
	return must[*workspaces.DescribeClientBrandingOutput](t)(c.DescribeClientBranding(ctx, &workspaces.DescribeClientBrandingInput{ResourceId: aws.String(dir)}))
}

// brandPlatforms names the platforms a describe output shows, in model order.
func brandPlatforms(o *workspaces.DescribeClientBrandingOutput) string {
	var out []string
	for _, p := range []struct {
		name string
		set  bool
	}{
		{"Windows", o.DeviceTypeWindows != nil}, {"Osx", o.DeviceTypeOsx != nil}, {"Android", o.DeviceTypeAndroid != nil},
		{"Ios", o.DeviceTypeIos != nil}, {"Linux", o.DeviceTypeLinux != nil}, {"Web", o.DeviceTypeWeb != nil},
	} {
		if p.set {
			out = append(out, p.name)
		}
	}
	return strings.Join(out, ",")
}

func brandImport(c *workspaces.Client, in *workspaces.ImportClientBrandingInput) (*workspaces.ImportClientBrandingOutput, error) {
	if in.ResourceId == nil {
		in.ResourceId = aws.String(brandDir)
	}
	return c.ImportClientBranding(ctx, in)
}

func TestBrandingScenario(t *testing.T) {
	env, c := brandStart(t)
	if got := brandPlatforms(brandDescribe(t, c, brandDir)); got != "" {
		t.Fatalf("fresh directory shows %s", got)
	}
	osx := &types.DefaultImportClientBrandingAttributes{
		Logo: brandPNG, SupportLink: aws.String("https://example.com/help"), ForgotPasswordLink: aws.String("https://example.com/reset"),
		LoginMessage: map[string]string{"en_US": "Hello <b>team</b>"},
	}
	out := must[*workspaces.ImportClientBrandingOutput](t)(brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeOsx: osx}))
	if out.DeviceTypeWindows != nil || out.DeviceTypeIos != nil || out.DeviceTypeOsx == nil {
		t.Fatalf("import output = %+v", out)
	}
	o := out.DeviceTypeOsx
	url := aws.ToString(o.LogoUrl)
	if !strings.HasPrefix(url, "https://") || len(url) > 200 || aws.ToString(o.SupportLink) != "https://example.com/help" ||
		aws.ToString(o.ForgotPasswordLink) != "https://example.com/reset" || o.LoginMessage["en_US"] != "Hello <b>team</b>" || o.SupportEmail != nil {
		t.Fatalf("DeviceTypeOsx = %+v", o)
	}
	d := brandDescribe(t, c, brandDir)
	if brandPlatforms(d) != "Osx" || aws.ToString(d.DeviceTypeOsx.LogoUrl) != url || aws.ToString(d.DeviceTypeOsx.SupportLink) != "https://example.com/help" {
		t.Fatalf("describe = %+v", d.DeviceTypeOsx)
	}

	// Content rules.
	_, err := brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeWindows: &types.DefaultImportClientBrandingAttributes{SupportEmail: aws.String("help@example.com"), SupportLink: aws.String("https://example.com")}})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeWindows: &types.DefaultImportClientBrandingAttributes{LoginMessage: map[string]string{"fr_FR": "Bonjour"}}})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeWindows: &types.DefaultImportClientBrandingAttributes{LoginMessage: map[string]string{"en_US": "<script>x</script>"}}})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeWindows: &types.DefaultImportClientBrandingAttributes{Logo: []byte("GIF89a not a png")}})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeIos: &types.IosImportClientBrandingAttributes{Logo: brandPNG, Logo3x: []byte("GIF89a")}})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = brandImport(c, &workspaces.ImportClientBrandingInput{})
	wantCode(t, err, "InvalidParameterValuesException")
	_, err = brandImport(c, &workspaces.ImportClientBrandingInput{ResourceId: aws.String("d-0000000000"), DeviceTypeWeb: &types.DefaultImportClientBrandingAttributes{SupportEmail: aws.String("help@example.com")}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeWeb: &types.DefaultImportClientBrandingAttributes{SupportEmail: aws.String("not-an-email")}})
	wantCode(t, err, "ValidationException")
	_, err = brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeWeb: &types.DefaultImportClientBrandingAttributes{Logo: brandBigPNG(1_500_001)}})
	wantCode(t, err, "ValidationException")
	if brandPlatforms(brandDescribe(t, c, brandDir)) != "Osx" {
		t.Fatal("a refused import changed the branding")
	}

	// A new import replaces the platform: only SupportEmail is left.
	must[*workspaces.ImportClientBrandingOutput](t)(brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeOsx: &types.DefaultImportClientBrandingAttributes{SupportEmail: aws.String("help@example.com")}}))
	d = brandDescribe(t, c, brandDir)
	if o := d.DeviceTypeOsx; o == nil || aws.ToString(o.SupportEmail) != "help@example.com" || o.LogoUrl != nil || o.SupportLink != nil || o.ForgotPasswordLink != nil || o.LoginMessage != nil {
		t.Fatalf("after re-import DeviceTypeOsx = %+v", o)
	}

	// iOS has three logos; a new logo gets a new URL.
	ios := must[*workspaces.ImportClientBrandingOutput](t)(brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeIos: &types.IosImportClientBrandingAttributes{Logo: brandPNG, Logo2x: brandPNG, Logo3x: brandPNG}})).DeviceTypeIos
	if ios == nil || ios.LogoUrl == nil || ios.Logo2xUrl == nil || ios.Logo3xUrl == nil || *ios.LogoUrl == *ios.Logo2xUrl {
		t.Fatalf("DeviceTypeIos = %+v", ios)
	}
	ios2 := must[*workspaces.ImportClientBrandingOutput](t)(brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeIos: &types.IosImportClientBrandingAttributes{Logo: brandPNG}})).DeviceTypeIos
	if ios2.LogoUrl == nil || *ios2.LogoUrl == *ios.LogoUrl || ios2.Logo2xUrl != nil {
		t.Fatalf("re-imported DeviceTypeIos = %+v (was %+v)", ios2, ios)
	}
	must[*workspaces.ImportClientBrandingOutput](t)(brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeIos: &types.IosImportClientBrandingAttributes{Logo: brandPNG, Logo2x: brandPNG, Logo3x: brandPNG}}))

	// 6 MB per request: five 1.3 MB logos are refused; each alone is fine.
	big := &types.DefaultImportClientBrandingAttributes{Logo: brandBigPNG(1_300_000)}
	_, err = brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeWindows: big, DeviceTypeOsx: big, DeviceTypeAndroid: big, DeviceTypeLinux: big, DeviceTypeWeb: big})
	wantCode(t, err, "ResourceLimitExceededException")
	must[*workspaces.ImportClientBrandingOutput](t)(brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeLinux: big}))
	if got := brandPlatforms(brandDescribe(t, c, brandDir)); got != "Osx,Ios,Linux" {
		t.Fatalf("platforms = %s", got)
	}

	// Delete: named platforms revert; duplicates and unbranded ones are fine.
	must[*workspaces.DeleteClientBrandingOutput](t)(c.DeleteClientBranding(ctx, &workspaces.DeleteClientBrandingInput{ResourceId: aws.String(brandDir),
		Platforms: []types.ClientDeviceType{types.ClientDeviceTypeDeviceTypeOsx, types.ClientDeviceTypeDeviceTypeLinux, types.ClientDeviceTypeDeviceTypeLinux, types.ClientDeviceTypeDeviceTypeWeb}}))
	if got := brandPlatforms(brandDescribe(t, c, brandDir)); got != "Ios" {
		t.Fatalf("after delete platforms = %s", got)
	}
	_, err = c.DeleteClientBranding(ctx, &workspaces.DeleteClientBrandingInput{ResourceId: aws.String("d-0000000000"), Platforms: []types.ClientDeviceType{types.ClientDeviceTypeDeviceTypeOsx}})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = c.DeleteClientBranding(ctx, &workspaces.DeleteClientBrandingInput{ResourceId: aws.String(brandDir), Platforms: []types.ClientDeviceType{"DeviceTypeChromeOs"}})
	wantCode(t, err, "ValidationException")
	_, err = c.DescribeClientBranding(ctx, &workspaces.DescribeClientBrandingInput{ResourceId: aws.String("d-0000000000")})
	wantCode(t, err, "ResourceNotFoundException")

	// Other accounts and regions see nothing.
	for _, other := range []*workspaces.Client{env.WorkSpaces(testenv.AccountB, testenv.Region), env.WorkSpaces(testenv.AccountA, "eu-west-1")} {
		_, err = other.DescribeClientBranding(ctx, &workspaces.DescribeClientBrandingInput{ResourceId: aws.String(brandDir)})
		wantCode(t, err, "ResourceNotFoundException")
	}

	// Deregistration discards the branding.
	must[*workspaces.DeregisterWorkspaceDirectoryOutput](t)(c.DeregisterWorkspaceDirectory(ctx, &workspaces.DeregisterWorkspaceDirectoryInput{DirectoryId: aws.String(brandDir)}))
	// DEREGISTERING still takes branding (no state error is modelled); it
	// does not outlive the registration.
	must[*workspaces.ImportClientBrandingOutput](t)(brandImport(c, &workspaces.ImportClientBrandingInput{DeviceTypeWeb: &types.DefaultImportClientBrandingAttributes{SupportEmail: aws.String("late@example.com")}}))
	env.Advance(2 * time.Second)
	_, err = c.DescribeClientBranding(ctx, &workspaces.DescribeClientBrandingInput{ResourceId: aws.String(brandDir)})
	wantCode(t, err, "ResourceNotFoundException")
	env.Advance(time.Second)
	wspRegister(t, env, c, brandDir)
	if got := brandPlatforms(brandDescribe(t, c, brandDir)); got != "" {
		t.Fatalf("re-registered directory shows %s", got)
	}
}

// TestBrandingLargestRequest sends every logo at its model maximum (about
// 15 MB of JSON): the documented 6 MB rule answers, not the body cap.
func TestBrandingLargestRequest(t *testing.T) {
	_, c := brandStart(t)
	d := &types.DefaultImportClientBrandingAttributes{Logo: brandBigPNG(1_500_000)}
	_, err := brandImport(c, &workspaces.ImportClientBrandingInput{
		DeviceTypeWindows: d, DeviceTypeOsx: d, DeviceTypeAndroid: d, DeviceTypeLinux: d, DeviceTypeWeb: d,
		DeviceTypeIos: &types.IosImportClientBrandingAttributes{Logo: brandBigPNG(447_000), Logo2x: brandBigPNG(1_770_000), Logo3x: brandBigPNG(1_770_000)},
	})
	wantCode(t, err, "ResourceLimitExceededException")
}
