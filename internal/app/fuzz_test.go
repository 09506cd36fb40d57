package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	tcapi "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	wsapi "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/app"
	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/identity"
	tcsvc "github.com/workspaces-local/workspaces-local/internal/service/thinclient"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
)

// The service-level fuzzers send arbitrary bodies to every operation of the
// real services (in memory, manual clock, zero delays, state kept across
// inputs so that later inputs meet resources earlier ones made) and require
// what the brief requires of bad input: never a 5xx (every operation is
// built, so not even 501), an error always named in X-Amzn-ErrorType, and
// always a JSON body (or none).

func fuzzApp(t testing.TB) http.Handler {
	t.Helper()
	a, err := app.New(context.Background(), app.Config{
		Addr: "127.0.0.1:0", InMemory: true,
		Clock:            clock.NewManual(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
		WorkSpacesDelays: wssvc.Delays{}, ThinClientDelays: tcsvc.Delays{},
		Auth:         identity.ModeOff, // about the services: the signature checks have their own tests
		RerunUpdates: true,             // every Update fn runs twice (store/rerun)
	})
	if err != nil {
		t.Fatal(err)
	}
	return a.Handler()
}

func auth(service string) string {
	return "AWS4-HMAC-SHA256 Credential=111111111111/20260102/us-east-1/" + service + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
}

func checkAnswer(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("%s: HTTP %d %s", what, w.Code, w.Body)
	}
	if w.Code >= 400 && w.Header().Get("X-Amzn-ErrorType") == "" {
		t.Fatalf("%s: HTTP %d without X-Amzn-ErrorType: %s", what, w.Code, w.Body)
	}
	if w.Body.Len() > 0 && !json.Valid(w.Body.Bytes()) {
		t.Fatalf("%s: HTTP %d, body is not JSON: %q", what, w.Code, w.Body)
	}
}

func FuzzWorkSpacesOperations(f *testing.F) {
	const dir = `"d-0123456789"`
	for _, s := range []struct{ op, body string }{
		{"RegisterWorkspaceDirectory", `{"DirectoryId":` + dir + `,"Tags":[{"Key":"k","Value":"v"}]}`},
		{"ModifySelfservicePermissions", `{"ResourceId":` + dir + `,"SelfservicePermissions":{"RestartWorkspace":"DISABLED"}}`},
		{"ModifyWorkspaceAccessProperties", `{"ResourceId":` + dir + `,"WorkspaceAccessProperties":{"AccessEndpointConfig":{"AccessEndpoints":[],"InternetFallbackProtocols":["PCOIP"]}}}`},
		{"ModifyWorkspaceCreationProperties", `{"ResourceId":` + dir + `,"WorkspaceCreationProperties":{"DefaultOu":"OU=a,DC=b,DC=c"}}`},
		{"ModifySamlProperties", `{"ResourceId":` + dir + `,"SamlProperties":{"Status":"ENABLED"},"PropertiesToDelete":["SAML_PROPERTIES_USER_ACCESS_URL"]}`},
		{"ModifyCertificateBasedAuthProperties", `{"ResourceId":` + dir + `,"PropertiesToDelete":["CERTIFICATE_BASED_AUTH_PROPERTIES_CERTIFICATE_AUTHORITY_ARN"]}`},
		{"ModifyClientProperties", `{"ResourceId":` + dir + `,"ClientProperties":{"ReconnectEnabled":"DISABLED"}}`},
		{"DescribeClientProperties", `{"ResourceIds":[` + dir + `,"d-9999999999"]}`},
		{"ModifyStreamingProperties", `{"ResourceId":` + dir + `,"StreamingProperties":{"UserSettings":[{"Action":"CLIPBOARD_COPY_FROM_LOCAL_DEVICE","Permission":"ENABLED"}]}}`},
		{"CreateConnectionAlias", `{"ConnectionString":"www.example.com"}`},
		{"DescribeConnectionAliases", `{"Limit":1}`},
		{"AssociateConnectionAlias", `{"AliasId":"wsca-0123456789","ResourceId":` + dir + `}`},
		{"UpdateConnectionAliasPermission", `{"AliasId":"wsca-0123456789","ConnectionAliasPermission":{"SharedAccountId":"222222222222","AllowAssociation":true}}`},
		{"CreateIpGroup", `{"GroupName":"g","UserRules":[{"ipRule":"10.0.0.0/8"}]}`},
		{"CreateWorkspaces", `{"Workspaces":[{"DirectoryId":` + dir + `,"UserName":"u","BundleId":"wsb-bh8rsxt14","WorkspaceProperties":{"RunningMode":"AUTO_STOP","RunningModeAutoStopTimeoutInMinutes":60}}]}`},
		{"DescribeWorkspaces", `{"DirectoryId":` + dir + `,"Limit":1}`},
		{"ModifyWorkspaceProperties", `{"WorkspaceId":"ws-012345678","WorkspaceProperties":{"ComputeTypeName":"STANDARD"}}`},
		{"TerminateWorkspaces", `{"TerminateWorkspaceRequests":[{"WorkspaceId":"ws-012345678"}]}`},
		{"ModifyAccount", `{"DedicatedTenancySupport":"ENABLED","DedicatedTenancyManagementCidrRange":"10.0.0.0/16"}`},
		{"ImportWorkspaceImage", `{"Ec2ImageId":"ami-0123456789abcdef0","IngestionProcess":"BYOL_REGULAR","ImageName":"i","ImageDescription":"d"}`},
		{"CreateAccountLinkInvitation", `{"TargetAccountId":"222222222222"}`},
		{"DeregisterWorkspaceDirectory", `{"DirectoryId":` + dir + `}`},
		{"CreateTags", `{"ResourceId":` + dir + `,"Tags":[{"Key":"a"}]}`},
		{"DescribeWorkspaceImages", `{"ImageType":"SHARED","MaxResults":1}`},
		// Case-variant member names (ignored, as AWS does) and invalid UTF-8 (SerializationException).
		{"CreateIpGroup", `{"groupname":"g","GROUPDESC":"d","UserRules":[{"IPRULE":"10.0.0.0/8"}]}`},
		{"TerminateWorkspaces", `{"terminateworkspacerequests":[{"workspaceid":"ws-012345678"}]}`},
		{"CreateIpGroup", "{\"GroupName\":\"g\xff\"}"},
		{"CreateIpGroup", `{"GroupName":"\ud800"}`},
	} {
		for i, op := range wsapi.Operations {
			if op.Name == s.op {
				f.Add(uint16(i), []byte(s.body))
			}
		}
	}
	h := fuzzApp(f)
	f.Fuzz(func(t *testing.T, n uint16, body []byte) {
		op := wsapi.Operations[int(n)%len(wsapi.Operations)]
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Host = "localhost" // httptest's example.com is refused (DNS rebinding guard)
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		r.Header.Set("X-Amz-Target", wsapi.Model.TargetPrefix+"."+op.Name)
		r.Header.Set("Authorization", auth("workspaces"))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		checkAnswer(t, op.Name, w)
	})
}

func FuzzThinClientOperations(f *testing.F) {
	for _, s := range []struct{ op, label, query, body string }{
		{"CreateEnvironment", "", "", `{"desktopArn":"arn:aws:workspaces:us-east-1:111111111111:directory/d-0123456789","maintenanceWindow":{"type":"CUSTOM","startTimeHour":1,"endTimeHour":1,"daysOfTheWeek":["MONDAY","MONDAY"]}}`},
		{"ListEnvironments", "", "maxResults=1&nextToken=x", ``},
		{"GetEnvironment", "abcdefghi", "", ``},
		{"UpdateEnvironment", "abcdefghi", "", `{"softwareSetUpdateMode":"USE_DESIRED","desiredSoftwareSetId":"9999"}`},
		{"ListDevices", "", "maxResults=0", ``},
		{"TagResource", "arn:aws:thinclient:us-east-1:111111111111:environment/abcdefghi", "", `{"tags":{"aws:x":"y"}}`},
		{"UntagResource", "arn:aws:thinclient:us-east-1:111111111111:environment/abcdefghi", "tagKeys=a&tagKeys=b", ``},
		{"ListSoftwareSets", "", "", ``},
		{"UpdateSoftwareSet", "1001", "", `{"validationStatus":"VALIDATED"}`},
		{"CreateEnvironment", "", "", `{"DesktopArn":"arn:aws:workspaces:us-east-1:111111111111:directory/d-0123456789","NAME":"x"}`},
		{"CreateEnvironment", "", "", "{\"desktopArn\":\"arn:aws:workspaces:us-east-1:111111111111:directory/d-0123456789\",\"name\":\"\xc3\"}"},
		{"GetEnvironment", "\xff", "", ``},
		{"ListEnvironments", "", "nextToken=%ff", ``},
	} {
		for i, op := range tcapi.Operations {
			if op.Name == s.op {
				f.Add(uint16(i), s.label, s.query, []byte(s.body))
			}
		}
	}
	h := fuzzApp(f)
	f.Fuzz(func(t *testing.T, n uint16, label, query string, body []byte) {
		op := tcapi.Operations[int(n)%len(tcapi.Operations)]
		path, _, _ := strings.Cut(op.URI, "?")
		for {
			i := strings.IndexByte(path, '{')
			j := strings.IndexByte(path, '}')
			if i < 0 || j < i {
				break
			}
			path = path[:i] + url.PathEscape(label) + path[j+1:]
		}
		target := path
		if query != "" {
			target += "?" + query
		}
		u, err := url.ParseRequestURI(target)
		if err != nil {
			t.Skip()
		}
		r := httptest.NewRequest(op.Method, "/", bytes.NewReader(body))
		r.Host = "localhost" // httptest's example.com is refused (DNS rebinding guard)
		r.URL, r.RequestURI = u, target
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", auth("thinclient"))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		checkAnswer(t, op.Name+" "+target, w)
	})
}
