package workspaces

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
)

// The built-in catalogue loads, has unique ids and only known enum values.
func TestApplicationCatalogueLoads(t *testing.T) {
	apps, err := loadApplications(builtinApplications)
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 10 {
		t.Fatalf("%d applications, want 10 (spec §20.1)", len(apps))
	}
	seen := map[string]bool{}
	for _, a := range apps {
		if seen[a.ID] || !strings.HasPrefix(a.ID, "wsa-") || a.Product == "" {
			t.Errorf("application %+v: duplicate id, bad id or no product", a)
		}
		seen[a.ID] = true
		for _, c := range a.Compute {
			if !contains(enumStrings(ws.Compute("").Values()), string(c)) {
				t.Errorf("%s: unknown compute %s", a.ID, c)
			}
		}
		for _, o := range a.OS {
			if !contains(enumStrings(ws.OperatingSystemName("").Values()), string(o)) {
				t.Errorf("%s: unknown OS %s", a.ID, o)
			}
		}
	}
	if _, err := loadApplications([]byte(`{"applications":[{"id":"wsa-x","compute":"nope","os":"nope"}]}`)); err == nil {
		t.Error("an unknown compute set loads")
	}
}

func enumStrings[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// spec §20.2: a deployment runs half queued, half in progress.
func TestAppAssocResolve(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := Delays{ApplicationDeploy: 2 * time.Second}
	for _, tc := range []struct {
		from  ws.AssociationState
		after time.Duration
		want  ws.AssociationState
		since time.Duration
		gone  bool
	}{
		{ws.AssociationStatePendingInstall, 999 * time.Millisecond, ws.AssociationStatePendingInstall, 0, false},
		{ws.AssociationStatePendingInstall, time.Second, ws.AssociationStateInstalling, time.Second, false},
		{ws.AssociationStatePendingInstall, 2 * time.Second, ws.AssociationStateCompleted, 2 * time.Second, false},
		{ws.AssociationStatePendingUninstall, 1500 * time.Millisecond, ws.AssociationStateUninstalling, time.Second, false},
		{ws.AssociationStatePendingUninstall, time.Hour, ws.AssociationStateRemoved, 2 * time.Second, false},
		{ws.AssociationStatePendingUninstall, 25 * time.Hour, ws.AssociationStateRemoved, 2 * time.Second, true},
		{ws.AssociationStatePendingInstallDeployment, time.Hour, ws.AssociationStatePendingInstallDeployment, 0, false},
		{ws.AssociationStateError, time.Hour, ws.AssociationStateError, 0, false},
	} {
		r := &appAssocRecord{State: tc.from, StateSince: t0}
		r.resolve(t0.Add(tc.after), d)
		if r.State != tc.want || !r.StateSince.Equal(t0.Add(tc.since)) || r.gone != tc.gone {
			t.Errorf("%s after %v = %s since +%v gone %v, want %s since +%v gone %v", tc.from, tc.after, r.State, r.StateSince.Sub(t0), r.gone, tc.want, tc.since, tc.gone)
		}
	}
	// Zero delays: the whole deployment is done at the next read.
	r := &appAssocRecord{State: ws.AssociationStatePendingInstall, StateSince: t0}
	if r.resolve(t0, Delays{}); r.State != ws.AssociationStateCompleted || !r.Installed {
		t.Errorf("zero delay: %s installed %v", r.State, r.Installed)
	}
}

// spec §20.2: one edition per product in the target set.
func TestCheckTargetSet(t *testing.T) {
	s := &Service{}
	var err error
	if s.applications, err = loadApplications(builtinApplications); err != nil {
		t.Fatal(err)
	}
	rec := func(id string, st ws.AssociationState) *appAssocRecord {
		return &appAssocRecord{ApplicationID: id, State: st, Installed: st == ws.AssociationStateCompleted}
	}
	for _, tc := range []struct {
		name   string
		have   []*appAssocRecord
		adding string
		ok     bool
	}{
		{"empty", nil, "wsa-off21pro1", true},
		{"other product", []*appAssocRecord{rec("wsa-vis21pro1", ws.AssociationStateCompleted)}, "wsa-off21pro1", true},
		{"other edition", []*appAssocRecord{rec("wsa-vis21pro1", ws.AssociationStatePendingInstallDeployment)}, "wsa-vis21std1", false},
		{"old Office installed", []*appAssocRecord{rec("wsa-off2016p1", ws.AssociationStateCompleted)}, "wsa-off21std1", false},
		{"old Office leaving", []*appAssocRecord{rec("wsa-off2016p1", ws.AssociationStatePendingUninstallDeployment)}, "wsa-off21std1", true},
		{"removed", []*appAssocRecord{rec("wsa-vs22ent01", ws.AssociationStateRemoved)}, "wsa-vs22pro01", true},
		{"re-check without adding", []*appAssocRecord{rec("wsa-prj21pro1", ws.AssociationStateCompleted), rec("wsa-prj21std1", ws.AssociationStatePendingInstallDeployment)}, "", false},
	} {
		err := s.checkTargetSet(tc.have, tc.adding)
		var ce *api.CommonError
		if tc.ok != (err == nil) || (err != nil && (!errors.As(err, &ce) || ce.Code != "IncompatibleApplicationsException" || ce.Message == "")) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// spec §21.3: the content rules of one platform.
func TestBrandingCheck(t *testing.T) {
	png := append([]byte{}, pngSignature...)
	for _, tc := range []struct {
		name string
		b    brandingImport
		ok   bool
	}{
		{"logo", brandingImport{logos: map[string][]byte{"logo.png": png}}, true},
		{"gif", brandingImport{logos: map[string][]byte{"logo.png": []byte("GIF89a")}}, false},
		{"bad 3x", brandingImport{logos: map[string][]byte{"logo.png": png, "logo@3x.png": []byte("x")}}, false},
		{"email and link", brandingImport{email: api.String("a@b.co"), link: api.String("https://x")}, false},
		{"allowed tags", brandingImport{message: map[string]string{"en_US": "<p>Hi <B>all</B><br/><a href='x'>help</a></p>"}}, true},
		{"script", brandingImport{message: map[string]string{"en_US": "<script>x</script>"}}, false},
		{"img", brandingImport{message: map[string]string{"en_US": "< img src=x>"}}, false},
		{"not a tag", brandingImport{message: map[string]string{"en_US": "1 < 2 and 3 > 2"}}, true},
		{"locale", brandingImport{message: map[string]string{"de_DE": "Hallo"}}, false},
	} {
		if err := tc.b.check(); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// spec §22.1: names and URLs beyond the model.
func TestCheckAddIn(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		ok        bool
	}{
		{"CCP", "https://example.my.connect.aws/ccp-v2", true},
		{"CCP", "http://10.0.0.1:8080/x", true},
		{"  ", "https://example.com", false},
		{"CCP", "https:///path", false},
		{"CCP", "https://exa mple.com/", false},
	} {
		if err := checkAddIn(&tc.name, &tc.url); (err == nil) != tc.ok {
			t.Errorf("%q %q: %v", tc.name, tc.url, err)
		}
	}
	// The scheme is the model's: the generated validator refuses ftp.
	var v api.Violations
	(&ws.CreateConnectClientAddInInput{Name: api.String("CCP"), ResourceId: api.String("d-1234567890"), URL: api.String("ftp://example.com")}).Validate(&v)
	if v.Err() == nil {
		t.Error("the model's AddInUrl pattern takes ftp://example.com")
	}
}

// DescribeApplicationAssociations BUNDLE pages through the public bundles
// of the application, then the caller's custom bundles whose image carries
// it, each once, across pages of one.
func TestApplicationAssociationsCustomBundles(t *testing.T) {
	ctx := context.Background()
	svc, err := New(rerun.Wrap(memory.New()), paging.New([]byte("unit-test-paging-key-0123456789ab")), Delays{}, Quotas{Workspaces: 10, Images: 10})
	if err != nil {
		t.Fatal(err)
	}
	at := seedT0
	call := func(op string) *api.Call {
		at = at.Add(time.Minute)
		return &api.Call{Account: "111111111111", Region: "us-east-1", Partition: "aws", Operation: op, Now: at}
	}
	image := func(name string, apps ...ws.Application) string {
		out, err := svc.ImportWorkspaceImage(ctx, call("ImportWorkspaceImage"), &ws.ImportWorkspaceImageInput{Ec2ImageId: api.String("ami-0123456789abcdef" + name), ImageName: api.String(name),
			ImageDescription: api.String("d"), IngestionProcess: ws.WorkspaceImageIngestionProcessByolRegular, Applications: apps})
		if err != nil {
			t.Fatal(err)
		}
		return *out.ImageId
	}
	// BYOL imports need dedicated tenancy.
	if _, err := svc.ModifyAccount(ctx, call("ModifyAccount"), &ws.ModifyAccountInput{DedicatedTenancySupport: ws.DedicatedTenancySupportEnumEnabled, DedicatedTenancyManagementCidrRange: api.String("10.200.0.0/16")}); err != nil {
		t.Fatal(err)
	}
	office, plain := image("0", ws.ApplicationMicrosoftOffice2016), image("1")
	var want []string
	for i := range svc.bundles {
		if contains(publicBundleApps(&svc.bundles[i]), "wsa-off2016p1") {
			want = append(want, svc.bundles[i].ID)
		}
	}
	for i, im := range []string{office, plain, office} {
		out, err := svc.CreateWorkspaceBundle(ctx, call("CreateWorkspaceBundle"), &ws.CreateWorkspaceBundleInput{BundleName: api.String(fmt.Sprintf("b%d", i)), BundleDescription: api.String("d"),
			ImageId: api.String(im), ComputeType: &ws.ComputeType{Name: ws.ComputeStandard}, UserStorage: &ws.UserStorage{Capacity: api.String("50")}})
		if err != nil {
			t.Fatal(err)
		}
		if im == office {
			want = append(want, *out.WorkspaceBundle.BundleId)
		}
	}
	var got []string
	var token *string
	for pages := 0; ; pages++ {
		if pages > len(want)+1 {
			t.Fatalf("no end after %d pages: %v", pages, got)
		}
		out, err := svc.DescribeApplicationAssociations(ctx, call("DescribeApplicationAssociations"), &ws.DescribeApplicationAssociationsInput{ApplicationId: api.String("wsa-off2016p1"),
			AssociatedResourceTypes: []ws.ApplicationAssociatedResourceType{ws.ApplicationAssociatedResourceTypeBundle}, MaxResults: api.Int32(1), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range out.Associations {
			got = append(got, *a.AssociatedResourceId)
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if !slices.Equal(got, want) || len(want) < 3 {
		t.Errorf("bundles of Office 2016 = %v, want %v (public ones, then the two custom bundles of its image)", got, want)
	}
}

// The application exceptions carry the status the model gives their code.
func TestAppErrorStatusFromModel(t *testing.T) {
	for _, code := range []string{"ApplicationNotSupportedException", "ComputeNotCompatibleException", "IncompatibleApplicationsException", "OperatingSystemNotCompatibleException"} {
		var ce *api.CommonError
		if !errors.As(appError(code, "x"), &ce) || ce.Status != ws.ErrorStatus[code] || ce.Status == 0 {
			t.Errorf("%s: status %v, model says %d", code, ce, ws.ErrorStatus[code])
		}
	}
}
