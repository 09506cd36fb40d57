package integration

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/awserr"
	wstc "github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// Shared helpers of the Thin Client tests (thinclient_*_test.go).

const thinDesk = "arn:aws:workspaces:us-east-1:111111111111:directory/d-9067a1b2c3"

var (
	thinEnvIDRe    = regexp.MustCompile(`^[a-z0-9]{9}$`)
	thinCodeRe     = regexp.MustCompile(`^[a-z]{2}[a-z0-9]{6}$`)
	thinDeviceIDRe = regexp.MustCompile(`^[a-zA-Z0-9]{24}$`)
)

// thinErr fails unless err is an API error with code and HTTP status, and
// returns it for checks of the modelled members.
func thinErr(t *testing.T, err error, code string, status int) awserr.RequestFailure {
	t.Helper()
	wantCode(t, err, code)
	var rf awserr.RequestFailure
	if !errors.As(err, &rf) {
		t.Fatalf("%v is not a RequestFailure", err)
	}
	if rf.StatusCode() != status {
		t.Fatalf("%s: HTTP %d, want %d (%s)", code, rf.StatusCode(), status, rf.Message())
	}
	if rf.Message() == "" {
		t.Fatalf("%s without a message", code)
	}
	return rf
}

// thinVE checks a 400 ValidationException with reason and, when field is
// not empty, a fieldList entry of that name.
func thinVE(t *testing.T, err error, reason, field string) *wstc.ValidationException {
	t.Helper()
	thinErr(t, err, "ValidationException", 400)
	var ve *wstc.ValidationException
	if !errors.As(err, &ve) {
		t.Fatalf("%T is not *ValidationException", err)
	}
	if reason != "" && aws.StringValue(ve.Reason) != reason {
		t.Fatalf("reason = %q, want %q (%s)", aws.StringValue(ve.Reason), reason, ve.Message())
	}
	if field != "" {
		var names []string
		for _, f := range ve.FieldList {
			names = append(names, aws.StringValue(f.Name))
			if aws.StringValue(f.Message) == "" {
				t.Fatalf("fieldList entry %q without message", aws.StringValue(f.Name))
			}
		}
		if !slices.Contains(names, field) {
			t.Fatalf("fieldList %v lacks %q (%s)", names, field, ve.Message())
		}
	}
	return ve
}

// thinRNF checks a 404 ResourceNotFoundException naming id and type.
func thinRNF(t *testing.T, err error, id, typ string) {
	t.Helper()
	thinErr(t, err, "ResourceNotFoundException", 404)
	var nf *wstc.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("%T is not *ResourceNotFoundException", err)
	}
	if aws.StringValue(nf.ResourceId) != id || aws.StringValue(nf.ResourceType) != typ {
		t.Fatalf("RNF resourceId/resourceType = %q/%q, want %q/%q", aws.StringValue(nf.ResourceId), aws.StringValue(nf.ResourceType), id, typ)
	}
}

// thinCE checks a 409 ConflictException naming id and type.
func thinCE(t *testing.T, err error, id, typ string) {
	t.Helper()
	thinErr(t, err, "ConflictException", 409)
	var ce *wstc.ConflictException
	if !errors.As(err, &ce) {
		t.Fatalf("%T is not *ConflictException", err)
	}
	if aws.StringValue(ce.ResourceId) != id || aws.StringValue(ce.ResourceType) != typ {
		t.Fatalf("CE resourceId/resourceType = %q/%q, want %q/%q", aws.StringValue(ce.ResourceId), aws.StringValue(ce.ResourceType), id, typ)
	}
}

func thinCreate(t *testing.T, c *wstc.WorkSpacesThinClient, in *wstc.CreateEnvironmentInput) *wstc.EnvironmentSummary {
	t.Helper()
	if in.DesktopArn == nil {
		in.DesktopArn = aws.String(thinDesk)
	}
	out, err := c.CreateEnvironment(in)
	if err != nil {
		t.Fatalf("CreateEnvironment: %v", err)
	}
	if out.Environment == nil || out.Environment.Id == nil {
		t.Fatalf("CreateEnvironment returned %v", out)
	}
	return out.Environment
}

func thinGetEnv(t *testing.T, c *wstc.WorkSpacesThinClient, id string) *wstc.Environment {
	t.Helper()
	out, err := c.GetEnvironment(&wstc.GetEnvironmentInput{Id: aws.String(id)})
	if err != nil {
		t.Fatalf("GetEnvironment %s: %v", id, err)
	}
	return out.Environment
}

func thinGetDevice(t *testing.T, c *wstc.WorkSpacesThinClient, id string) *wstc.Device {
	t.Helper()
	out, err := c.GetDevice(&wstc.GetDeviceInput{Id: aws.String(id)})
	if err != nil {
		t.Fatalf("GetDevice %s: %v", id, err)
	}
	return out.Device
}

func thinTags(t *testing.T, c *wstc.WorkSpacesThinClient, arn string) map[string]string {
	t.Helper()
	out, err := c.ListTagsForResource(&wstc.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("ListTagsForResource %s: %v", arn, err)
	}
	return aws.StringValueMap(out.Tags)
}

func thinStrMap(m map[string]string) map[string]*string { return aws.StringMap(m) }

// thinDevice is a device as the /_local/ endpoints return it (GetDevice's
// device member, unwrapped).
type thinDevice struct {
	ID                          string   `json:"id"`
	SerialNumber                string   `json:"serialNumber"`
	Name                        *string  `json:"name"`
	Model                       string   `json:"model"`
	EnvironmentID               string   `json:"environmentId"`
	Status                      string   `json:"status"`
	CurrentSoftwareSetID        string   `json:"currentSoftwareSetId"`
	CurrentSoftwareSetVersion   string   `json:"currentSoftwareSetVersion"`
	DesiredSoftwareSetID        *string  `json:"desiredSoftwareSetId"`
	PendingSoftwareSetID        *string  `json:"pendingSoftwareSetId"`
	PendingSoftwareSetVersion   *string  `json:"pendingSoftwareSetVersion"`
	SoftwareSetUpdateSchedule   string   `json:"softwareSetUpdateSchedule"`
	SoftwareSetComplianceStatus string   `json:"softwareSetComplianceStatus"`
	SoftwareSetUpdateStatus     string   `json:"softwareSetUpdateStatus"`
	LastConnectedAt             *float64 `json:"lastConnectedAt"`
	LastPostureAt               *float64 `json:"lastPostureAt"`
	LastUserID                  *string  `json:"lastUserId"`
	CreatedAt                   float64  `json:"createdAt"`
	UpdatedAt                   float64  `json:"updatedAt"`
	Arn                         string   `json:"arn"`
	KmsKeyArn                   *string  `json:"kmsKeyArn"`
	Tags                        any      `json:"tags"`

	raw map[string]any
}

// thinLocal posts body (JSON-encoded unless it is a string) to a /_local/
// path and returns the status, the device on success and the message on error.
func thinLocal(t *testing.T, env *testenv.Env, path string, body any) (int, *thinDevice, string) {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case string:
		b = []byte(v)
	case nil:
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.Post(env.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		var e struct {
			Message string `json:"message"`
		}
		if err := json.Unmarshal(data, &e); err != nil || e.Message == "" {
			t.Fatalf("POST %s: %d error body %q has no message", path, resp.StatusCode, data)
		}
		return resp.StatusCode, nil, e.Message
	}
	var d thinDevice
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("POST %s: %d body %q: %v", path, resp.StatusCode, data, err)
	}
	if err := json.Unmarshal(data, &d.raw); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, &d, ""
}

// thinRegister registers a simulated device and expects 201. fields are
// extra members of the request (serialNumber, model, name, currentSoftwareSetId).
func thinRegister(t *testing.T, env *testenv.Env, code string, fields map[string]string) *thinDevice {
	t.Helper()
	body := map[string]string{"activationCode": code}
	for k, v := range fields {
		body[k] = v
	}
	status, d, msg := thinLocal(t, env, "/_local/thinclient/devices", body)
	if status != http.StatusCreated {
		t.Fatalf("register %v: %d %s", body, status, msg)
	}
	return d
}

// thinCheckIn posts a check-in and expects 200.
func thinCheckIn(t *testing.T, env *testenv.Env, id string, body map[string]any) *thinDevice {
	t.Helper()
	status, d, msg := thinLocal(t, env, "/_local/thinclient/devices/"+id+"/checkin", body)
	if status != http.StatusOK {
		t.Fatalf("check-in %s %v: %d %s", id, body, status, msg)
	}
	return d
}

// thinHTTP sends a hand-signed Thin Client request as
// account and returns the status and the decoded JSON body (nil when empty).
func thinHTTP(t *testing.T, env *testenv.Env, account, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, env.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	testenv.Sign(req, account, testenv.Region, "thinclient", []byte(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if len(data) == 0 {
		return resp.StatusCode, nil
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %q", method, path, data)
	}
	return resp.StatusCode, m
}

// thinNoKeys fails if obj has any of keys.
func thinNoKeys(t *testing.T, what string, obj any, keys ...string) {
	t.Helper()
	m, ok := obj.(map[string]any)
	if !ok {
		t.Fatalf("%s is %T, want an object", what, obj)
	}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			t.Errorf("%s carries %q = %v", what, k, v)
		}
	}
}

func thinEnvIDs(envs []*wstc.EnvironmentSummary) []string {
	var out []string
	for _, e := range envs {
		out = append(out, aws.StringValue(e.Id))
	}
	return out
}

// --- Environments ---

// TestThinClientEnvironmentLifecycle is scenario A.1 of the spec.
func TestThinClientEnvironmentLifecycle(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	b := env.ThinClient(testenv.AccountB, testenv.Region)

	// 1. Create.
	create := &wstc.CreateEnvironmentInput{Name: aws.String("lobby"), DesktopArn: aws.String(thinDesk), Tags: thinStrMap(map[string]string{"team": "it"}), ClientToken: aws.String("t1")}
	out, err := a.CreateEnvironment(create)
	if err != nil {
		t.Fatal(err)
	}
	e := out.Environment
	id := aws.StringValue(e.Id)
	envArn := "arn:aws:thinclient:us-east-1:111111111111:environment/" + id
	switch {
	case !thinEnvIDRe.MatchString(id):
		t.Fatalf("id %q", id)
	case !thinCodeRe.MatchString(aws.StringValue(e.ActivationCode)):
		t.Fatalf("activation code %q", aws.StringValue(e.ActivationCode))
	case aws.StringValue(e.Name) != "lobby", aws.StringValue(e.DesktopArn) != thinDesk, aws.StringValue(e.DesktopType) != "workspaces",
		aws.StringValue(e.SoftwareSetUpdateSchedule) != "USE_MAINTENANCE_WINDOW", aws.StringValue(e.SoftwareSetUpdateMode) != "USE_LATEST",
		e.MaintenanceWindow == nil || aws.StringValue(e.MaintenanceWindow.Type) != "SYSTEM", e.MaintenanceWindow.StartTimeHour != nil,
		aws.StringValue(e.Arn) != envArn, e.PendingSoftwareSetId != nil, e.DesiredSoftwareSetId != nil, e.DesktopEndpoint != nil:
		t.Fatalf("created %+v", e)
	}
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if !e.CreatedAt.Equal(created) || !e.UpdatedAt.Equal(created) {
		t.Fatalf("createdAt/updatedAt = %v/%v, want %v", e.CreatedAt, e.UpdatedAt, created)
	}

	// 2. Same token: identical response, one environment; other params → 409.
	again, err := a.CreateEnvironment(create)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, out) {
		t.Fatalf("replay differs:\n%s\n%s", again, out)
	}
	list, err := a.ListEnvironments(&wstc.ListEnvironmentsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if ids := thinEnvIDs(list.Environments); len(ids) != 1 || ids[0] != id {
		t.Fatalf("after replay listed %v", ids)
	}
	_, err = a.CreateEnvironment(&wstc.CreateEnvironmentInput{Name: aws.String("hall"), DesktopArn: aws.String(thinDesk), Tags: thinStrMap(map[string]string{"team": "it"}), ClientToken: aws.String("t1")})
	thinCE(t, err, id, "environment")

	// 3. Get.
	g := thinGetEnv(t, a, id)
	if aws.Int64Value(g.RegisteredDevicesCount) != 0 || g.RegisteredDevicesCount == nil ||
		aws.StringValue(g.SoftwareSetComplianceStatus) != "NO_REGISTERED_DEVICES" ||
		g.DeviceCreationTags != nil || g.KmsKeyArn != nil || g.Tags != nil || g.PendingSoftwareSetId != nil ||
		aws.StringValue(g.Name) != "lobby" || aws.StringValue(g.ActivationCode) != aws.StringValue(e.ActivationCode) || aws.StringValue(g.Arn) != envArn {
		t.Fatalf("GetEnvironment = %+v", g)
	}

	// 4. Invalid requests.
	_, err = a.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String("arn:aws:s3:::not-a-desktop-bucket")})
	thinVE(t, err, "fieldValidationFailed", "desktopArn")
	_, err = a.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String(thinDesk), MaintenanceWindow: &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: aws.Int64(1)}})
	thinVE(t, err, "", "maintenanceWindow.endTimeHour")
	_, err = a.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String(thinDesk), SoftwareSetUpdateMode: aws.String("USE_DESIRED")})
	thinVE(t, err, "other", "")
	_, err = a.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String(thinDesk), DesiredSoftwareSetId: aws.String("999999999")})
	thinRNF(t, err, "999999999", "softwareset")
	_, err = a.ListEnvironments(&wstc.ListEnvironmentsInput{MaxResults: aws.Int64(51)})
	thinVE(t, err, "fieldValidationFailed", "maxResults")
	_, err = a.GetEnvironment(&wstc.GetEnvironmentInput{Id: aws.String("zzzzzzzzz")})
	thinRNF(t, err, "zzzzzzzzz", "environment")
	_, err = b.GetEnvironment(&wstc.GetEnvironmentInput{Id: aws.String(id)})
	thinRNF(t, err, id, "environment")

	// 5. Update name and window; updatedAt advances, createdAt does not.
	env.Advance(time.Minute)
	window := &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: aws.Int64(1), StartTimeMinute: aws.Int64(0), EndTimeHour: aws.Int64(5), EndTimeMinute: aws.Int64(0), DaysOfTheWeek: aws.StringSlice([]string{"SATURDAY"}), ApplyTimeOf: aws.String("UTC")}
	up, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(id), Name: aws.String("front desk"), MaintenanceWindow: window})
	if err != nil {
		t.Fatal(err)
	}
	u := up.Environment
	if aws.StringValue(u.Name) != "front desk" || !reflect.DeepEqual(u.MaintenanceWindow, window) ||
		!u.UpdatedAt.Equal(created.Add(time.Minute)) || !u.CreatedAt.Equal(created) || aws.StringValue(u.ActivationCode) != aws.StringValue(e.ActivationCode) {
		t.Fatalf("updated %+v", u)
	}
	if g := thinGetEnv(t, a, id); !reflect.DeepEqual(g.MaintenanceWindow, window) || aws.StringValue(g.Name) != "front desk" {
		t.Fatalf("update not stored: %+v", g)
	}

	// 6. Software set mode.
	up, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(id), SoftwareSetUpdateMode: aws.String("USE_DESIRED"), DesiredSoftwareSetId: aws.String("1003")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.StringValue(up.Environment.SoftwareSetUpdateMode) != "USE_DESIRED" || aws.StringValue(up.Environment.DesiredSoftwareSetId) != "1003" {
		t.Fatalf("USE_DESIRED update = %+v", up.Environment)
	}
	_, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(id), DesiredSoftwareSetId: aws.String("")})
	thinVE(t, err, "other", "")
	up, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(id), SoftwareSetUpdateMode: aws.String("USE_LATEST")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.StringValue(up.Environment.SoftwareSetUpdateMode) != "USE_LATEST" || up.Environment.DesiredSoftwareSetId != nil {
		t.Fatalf("USE_LATEST update = %+v", up.Environment)
	}

	// 7. Tags.
	if _, err := a.TagResource(&wstc.TagResourceInput{ResourceArn: aws.String(envArn), Tags: thinStrMap(map[string]string{"env": "prod"})}); err != nil {
		t.Fatal(err)
	}
	if got := thinTags(t, a, envArn); len(got) != 2 || got["team"] != "it" || got["env"] != "prod" {
		t.Fatalf("tags = %v", got)
	}
	if _, err := a.UntagResource(&wstc.UntagResourceInput{ResourceArn: aws.String(envArn), TagKeys: aws.StringSlice([]string{"team"})}); err != nil {
		t.Fatal(err)
	}
	if got := thinTags(t, a, envArn); len(got) != 1 || got["env"] != "prod" {
		t.Fatalf("tags after untag = %v", got)
	}
	missing := "arn:aws:thinclient:us-east-1:111111111111:environment/zzzzzzzzz"
	_, err = a.TagResource(&wstc.TagResourceInput{ResourceArn: aws.String(missing), Tags: thinStrMap(map[string]string{"k": "v"})})
	thinRNF(t, err, missing, "environment")

	// 8. Twelve more environments; pages of 5, 5, 3.
	for i := range 12 {
		thinCreate(t, a, &wstc.CreateEnvironmentInput{Name: aws.String(fmt.Sprintf("env-%02d", i)), ClientToken: aws.String(fmt.Sprintf("more-%d", i))})
	}
	var sizes []int
	var all []string
	var token *string
	for {
		page, err := a.ListEnvironments(&wstc.ListEnvironmentsInput{MaxResults: aws.Int64(5), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(page.Environments))
		all = append(all, thinEnvIDs(page.Environments)...)
		if page.NextToken == nil {
			break
		}
		if *page.NextToken == "" || len(sizes) > 5 {
			t.Fatalf("bad nextToken %q after %v", *page.NextToken, sizes)
		}
		token = page.NextToken
	}
	if !slices.Equal(sizes, []int{5, 5, 3}) || all[0] != id {
		t.Fatalf("pages %v, first %s (want %s first)", sizes, all[0], id)
	}
	_, err = a.ListEnvironments(&wstc.ListEnvironmentsInput{NextToken: aws.String("garbled!token")})
	thinVE(t, err, "fieldValidationFailed", "nextToken")

	// 9. A registered device blocks deletion until deregistration completes.
	d := thinRegister(t, env, aws.StringValue(e.ActivationCode), nil)
	_, err = a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(id)})
	thinCE(t, err, id, "environment")
	if _, err := a.DeregisterDevice(&wstc.DeregisterDeviceInput{Id: aws.String(d.ID)}); err != nil {
		t.Fatal(err)
	}
	_, err = a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(id)})
	thinCE(t, err, id, "environment") // still DEREGISTERING
	env.Advance(2 * time.Second)
	if _, err := a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = a.GetEnvironment(&wstc.GetEnvironmentInput{Id: aws.String(id)})
	thinRNF(t, err, id, "environment")
	if status, _, msg := thinLocal(t, env, "/_local/thinclient/devices", map[string]string{"activationCode": aws.StringValue(e.ActivationCode)}); status != 404 {
		t.Fatalf("register with the deleted environment's code: %d %s", status, msg)
	}
	_, err = a.ListTagsForResource(&wstc.ListTagsForResourceInput{ResourceArn: aws.String(envArn)})
	thinRNF(t, err, envArn, "environment")
	list, _ = a.ListEnvironments(&wstc.ListEnvironmentsInput{})
	if ids := thinEnvIDs(list.Environments); len(ids) != 12 || slices.Contains(ids, id) {
		t.Fatalf("after delete listed %d: %v", len(ids), ids)
	}
	// The deregistered device outlives its environment and keeps environmentId.
	if dev := thinGetDevice(t, a, d.ID); aws.StringValue(dev.Status) != "DEREGISTERED" || aws.StringValue(dev.EnvironmentId) != id {
		t.Fatalf("device after environment delete = %+v", dev)
	}
}

// TestThinClientEnvironmentDefaultsAndShapes checks the stored defaults and
// which members each operation's output carries (on the wire).
func TestThinClientEnvironmentDefaultsAndShapes(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)

	kms := "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{
		KmsKeyArn: aws.String(kms), DeviceCreationTags: thinStrMap(map[string]string{"site": "hq"}), Tags: thinStrMap(map[string]string{"owner": "me"}),
	})
	id := aws.StringValue(e.Id)
	if aws.StringValue(e.SoftwareSetUpdateSchedule) != "USE_MAINTENANCE_WINDOW" || aws.StringValue(e.SoftwareSetUpdateMode) != "USE_LATEST" ||
		!reflect.DeepEqual(e.MaintenanceWindow, &wstc.MaintenanceWindow{Type: aws.String("SYSTEM")}) || e.Name != nil {
		t.Fatalf("defaults = %+v", e)
	}
	g := thinGetEnv(t, a, id)
	if aws.StringValue(g.KmsKeyArn) != kms || aws.StringValueMap(g.DeviceCreationTags)["site"] != "hq" || len(g.DeviceCreationTags) != 1 ||
		aws.StringValue(g.SoftwareSetUpdateSchedule) != "USE_MAINTENANCE_WINDOW" || aws.StringValue(g.MaintenanceWindow.Type) != "SYSTEM" {
		t.Fatalf("GetEnvironment = %+v", g)
	}

	summaryOnly := []string{"registeredDevicesCount", "kmsKeyArn", "deviceCreationTags", "tags", "softwareSetComplianceStatus", "pendingSoftwareSetVersion"}
	// CreateEnvironment on the wire.
	status, body := thinHTTP(t, env, testenv.AccountA, "POST", "/environments", `{"desktopArn":"`+thinDesk+`","kmsKeyArn":"`+kms+`","deviceCreationTags":{"a":"b"},"tags":{"c":"d"},"clientToken":"raw-1"}`)
	if status != 201 || body["environment"] == nil {
		t.Fatalf("raw create: %d %v", status, body)
	}
	thinNoKeys(t, "CreateEnvironment output", body["environment"], summaryOnly...)
	rawID, _ := body["environment"].(map[string]any)["id"].(string)
	if ca, ok := body["environment"].(map[string]any)["createdAt"].(float64); !ok || ca != float64(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Unix()) {
		t.Fatalf("createdAt on the wire = %#v, want epoch seconds", body["environment"].(map[string]any)["createdAt"])
	}
	// UpdateEnvironment on the wire.
	status, body = thinHTTP(t, env, testenv.AccountA, "PATCH", "/environments/"+rawID, `{"name":"n"}`)
	if status != 200 || body["environment"] == nil {
		t.Fatalf("raw update: %d %v", status, body)
	}
	thinNoKeys(t, "UpdateEnvironment output", body["environment"], summaryOnly...)
	// ListEnvironments on the wire.
	status, body = thinHTTP(t, env, testenv.AccountA, "GET", "/environments", "")
	items, _ := body["environments"].([]any)
	if status != 200 || len(items) != 2 {
		t.Fatalf("raw list: %d %v", status, body)
	}
	for _, it := range items {
		thinNoKeys(t, "ListEnvironments item", it, summaryOnly...)
	}
	if _, ok := body["nextToken"]; ok {
		t.Fatalf("single page carries nextToken: %v", body["nextToken"])
	}
	// GetEnvironment carries the full shape, count 0 included, never tags.
	status, body = thinHTTP(t, env, testenv.AccountA, "GET", "/environments/"+rawID, "")
	full, _ := body["environment"].(map[string]any)
	if status != 200 || full == nil {
		t.Fatalf("raw get: %d %v", status, body)
	}
	if n, ok := full["registeredDevicesCount"].(float64); !ok || n != 0 {
		t.Fatalf("registeredDevicesCount = %#v", full["registeredDevicesCount"])
	}
	if full["kmsKeyArn"] != kms || full["softwareSetComplianceStatus"] != "NO_REGISTERED_DEVICES" {
		t.Fatalf("GetEnvironment body = %v", full)
	}
	if dct, _ := full["deviceCreationTags"].(map[string]any); len(dct) != 1 || dct["a"] != "b" {
		t.Fatalf("deviceCreationTags = %#v", full["deviceCreationTags"])
	}
	thinNoKeys(t, "GetEnvironment output", full, "tags", "pendingSoftwareSetId", "pendingSoftwareSetVersion")
	// Without deviceCreationTags and kmsKeyArn, Get omits both.
	plain := thinCreate(t, a, &wstc.CreateEnvironmentInput{})
	_, body = thinHTTP(t, env, testenv.AccountA, "GET", "/environments/"+aws.StringValue(plain.Id), "")
	thinNoKeys(t, "GetEnvironment of a plain environment", body["environment"], "kmsKeyArn", "deviceCreationTags", "tags", "name", "desiredSoftwareSetId", "desktopEndpoint")
	// deviceCreationTags {} on update clears them.
	if _, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(id), DeviceCreationTags: map[string]*string{}}); err != nil {
		t.Fatal(err)
	}
	if g := thinGetEnv(t, a, id); g.DeviceCreationTags != nil || aws.StringValue(g.KmsKeyArn) != kms {
		t.Fatalf("after clearing deviceCreationTags: %+v", g)
	}
	// name "" clears the name.
	if _, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(rawID), Name: aws.String("")}); err != nil {
		t.Fatal(err)
	}
	if g := thinGetEnv(t, a, rawID); g.Name != nil {
		t.Fatalf("name not cleared: %q", aws.StringValue(g.Name))
	}
	// Every successful update stamps updatedAt, even an empty one.
	env.Advance(time.Minute)
	up, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(rawID)})
	if err != nil || !up.Environment.UpdatedAt.Equal(time.Date(2026, 1, 2, 3, 5, 5, 0, time.UTC)) || aws.StringValue(up.Environment.Name) != "" {
		t.Fatalf("empty update: %v %+v", err, up)
	}
	// Name length 64 ok, 65 → VE.
	if _, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(rawID), Name: aws.String(strings.Repeat("n", 64))}); err != nil {
		t.Fatal(err)
	}
	_, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(rawID), Name: aws.String(strings.Repeat("n", 65))})
	thinVE(t, err, "fieldValidationFailed", "name")
	_, err = a.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String(thinDesk), KmsKeyArn: aws.String("arn:aws:s3:::not-a-key-bucket-x")})
	thinVE(t, err, "fieldValidationFailed", "kmsKeyArn")

	// Wire details: replayed 201 is identical, null is absent, unknown members
	// are ignored, an empty label is a VE on id, an unknown route is unknownOperation.
	req := `{"desktopArn":"` + thinDesk + `","name":"wire","clientToken":"wire-1"}`
	s1, b1 := thinHTTP(t, env, testenv.AccountA, "POST", "/environments", req)
	s2, b2 := thinHTTP(t, env, testenv.AccountA, "POST", "/environments", req)
	if s1 != 201 || s2 != 201 || !reflect.DeepEqual(b1, b2) {
		t.Fatalf("raw replay: %d %v / %d %v", s1, b1, s2, b2)
	}
	status, body = thinHTTP(t, env, testenv.AccountA, "POST", "/environments", `{"desktopArn":"`+thinDesk+`","name":null,"unknownMember":{"x":1}}`)
	if status != 201 {
		t.Fatalf("null and unknown members: %d %v", status, body)
	}
	thinNoKeys(t, "create with name null", body["environment"], "name")
	for _, p := range []string{"/environments/", "/devices/"} {
		status, body = thinHTTP(t, env, testenv.AccountA, "GET", p, "")
		if status != 400 || body["reason"] != "fieldValidationFailed" || !strings.Contains(fmt.Sprint(body["fieldList"]), "name:id") {
			t.Fatalf("GET %s: %d %v", p, status, body)
		}
	}
	status, body = thinHTTP(t, env, testenv.AccountA, "POST", "/environments/"+rawID, `{}`)
	if status != 400 || body["reason"] != "unknownOperation" {
		t.Fatalf("POST /environments/{id}: %d %v", status, body)
	}
	status, body = thinHTTP(t, env, testenv.AccountA, "PATCH", "/environments/"+rawID, `{"name":5}`)
	if status != 400 || body["reason"] != "cannotParse" {
		t.Fatalf("numeric name: %d %v", status, body)
	}
}

func TestThinClientDesktopArnRules(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	stack := "arn:aws:appstream:us-east-1:111111111111:stack/kiosk-stack"
	portal := "arn:aws:workspaces-web:us-east-1:111111111111:portal/abcd1234-5678-90ab-cdef-1234567890ab"
	for _, tc := range []struct {
		name, arn, endpoint string
		wantType            string // "" → ValidationException
		wantField           string
	}{
		{"s3 bucket", "arn:aws:s3:::not-a-desktop-bucket", "", "", "desktopArn"},
		{"workspace", "arn:aws:workspaces:us-east-1:111111111111:workspace/ws-0123456789", "", "", "desktopArn"},
		{"other region", "arn:aws:workspaces:eu-west-1:111111111111:directory/d-9067a1b2c3", "", "", "desktopArn"},
		{"other account", "arn:aws:workspaces:us-east-1:222222222222:directory/d-9067a1b2c3", "", "", "desktopArn"},
		{"bad directory id", "arn:aws:workspaces:us-east-1:111111111111:directory/xyz", "", "", "desktopArn"},
		{"appstream fleet", "arn:aws:appstream:us-east-1:111111111111:fleet/kiosk", "", "", "desktopArn"},
		{"workspaces directory", thinDesk, "", "workspaces", ""},
		{"wsd directory", "arn:aws:workspaces:us-east-1:111111111111:directory/wsd-abcdefgh12", "", "workspaces", ""},
		{"appstream stack", stack, "", "appstream", ""},
		{"appstream stack with endpoint", stack, "https://appstream.example.com/saml", "appstream", ""},
		{"secure browser portal", portal, "", "workspaces-web", ""},
		{"secure browser with endpoint", portal, "https://portal.example.com", "workspaces-web", ""},
		{"workspaces with endpoint", thinDesk, "https://desktop.example.com", "", "desktopEndpoint"},
		{"endpoint not https", stack, "http://appstream.example.com", "", "desktopEndpoint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &wstc.CreateEnvironmentInput{DesktopArn: aws.String(tc.arn)}
			if tc.endpoint != "" {
				in.DesktopEndpoint = aws.String(tc.endpoint)
			}
			out, err := a.CreateEnvironment(in)
			if tc.wantType == "" {
				thinVE(t, err, "fieldValidationFailed", tc.wantField)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			e := out.Environment
			if aws.StringValue(e.DesktopType) != tc.wantType || aws.StringValue(e.DesktopArn) != tc.arn || aws.StringValue(e.DesktopEndpoint) != tc.endpoint {
				t.Fatalf("created %+v", e)
			}
		})
	}
	// No failed create left anything behind: 6 successes.
	list, err := a.ListEnvironments(&wstc.ListEnvironmentsInput{})
	if err != nil || len(list.Environments) != 6 {
		t.Fatalf("listed %d environments (%v), want 6", len(list.Environments), err)
	}

	// Update: switching to a WorkSpaces directory drops the endpoint;
	// adding an endpoint to a WorkSpaces environment is refused.
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{DesktopArn: aws.String(stack), DesktopEndpoint: aws.String("https://appstream.example.com")})
	id := e.Id
	_, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: id, DesktopArn: aws.String("arn:aws:s3:::bucket-name-bucket")})
	thinVE(t, err, "fieldValidationFailed", "desktopArn")
	up, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: id, DesktopArn: aws.String(portal)})
	if err != nil || aws.StringValue(up.Environment.DesktopType) != "workspaces-web" || aws.StringValue(up.Environment.DesktopEndpoint) != "https://appstream.example.com" {
		t.Fatalf("update to portal: %v %+v", err, up)
	}
	up, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: id, DesktopArn: aws.String(thinDesk)})
	if err != nil || aws.StringValue(up.Environment.DesktopType) != "workspaces" || up.Environment.DesktopEndpoint != nil {
		t.Fatalf("update to directory: %v %+v", err, up)
	}
	_, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: id, DesktopEndpoint: aws.String("https://desktop.example.com")})
	thinVE(t, err, "fieldValidationFailed", "desktopEndpoint")
	_, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: id, DesktopArn: aws.String(stack), DesktopEndpoint: aws.String("https://appstream.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if g := thinGetEnv(t, a, *id); aws.StringValue(g.DesktopType) != "appstream" || aws.StringValue(g.DesktopEndpoint) != "https://appstream.example.com" {
		t.Fatalf("after update back to stack: %+v", g)
	}
}

func TestThinClientMaintenanceWindowRules(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	i := aws.Int64
	for _, tc := range []struct {
		name  string
		w     *wstc.MaintenanceWindow
		field string // "" with ok=false → any field (reason other)
		ok    bool
	}{
		{"missing type", &wstc.MaintenanceWindow{StartTimeHour: i(1), EndTimeHour: i(2)}, "maintenanceWindow.type", false},
		{"unknown type", &wstc.MaintenanceWindow{Type: aws.String("WEEKLY")}, "maintenanceWindow.type", false},
		{"custom without end", &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(1)}, "maintenanceWindow.endTimeHour", false},
		{"custom without start", &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), EndTimeHour: i(1)}, "maintenanceWindow.startTimeHour", false},
		{"hour 24", &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(24), EndTimeHour: i(1)}, "maintenanceWindow.startTimeHour", false},
		{"minute 60", &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(1), EndTimeHour: i(2), EndTimeMinute: i(60)}, "maintenanceWindow.endTimeMinute", false},
		{"duplicate days", &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(1), EndTimeHour: i(2), DaysOfTheWeek: aws.StringSlice([]string{"MONDAY", "MONDAY"})}, "maintenanceWindow.daysOfTheWeek", false},
		{"unknown day", &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(1), EndTimeHour: i(2), DaysOfTheWeek: aws.StringSlice([]string{"FUNDAY"})}, "", false},
		{"start equals end", &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(3), StartTimeMinute: i(30), EndTimeHour: i(3), EndTimeMinute: i(30)}, "", false},
		{"start equals end by default minutes", &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(3), EndTimeHour: i(3)}, "", false},
		{"same hour other minute", &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(3), EndTimeHour: i(3), EndTimeMinute: i(1)}, "", true},
		{"crossing midnight", &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(22), EndTimeHour: i(4)}, "", true},
		{"system with extras echoed", &wstc.MaintenanceWindow{Type: aws.String("SYSTEM"), StartTimeHour: i(2)}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := a.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String(thinDesk), MaintenanceWindow: tc.w})
			if !tc.ok {
				ve := thinVE(t, err, "", tc.field)
				if r := aws.StringValue(ve.Reason); r != "fieldValidationFailed" && r != "other" {
					t.Fatalf("reason %q", r)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			w := out.Environment.MaintenanceWindow
			if aws.StringValue(w.Type) != aws.StringValue(tc.w.Type) || aws.Int64Value(w.StartTimeHour) != aws.Int64Value(tc.w.StartTimeHour) {
				t.Fatalf("window %v", w)
			}
			if aws.StringValue(tc.w.Type) == "SYSTEM" && (w.EndTimeHour != nil || w.DaysOfTheWeek != nil || w.ApplyTimeOf != nil) {
				t.Fatalf("SYSTEM window gained members: %v", w)
			}
		})
	}

	// CUSTOM defaults: minutes 0, all seven days in order, applyTimeOf UTC; stored and returned by Get.
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{MaintenanceWindow: &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(1), EndTimeHour: i(5)}})
	want := &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(1), StartTimeMinute: i(0), EndTimeHour: i(5), EndTimeMinute: i(0),
		DaysOfTheWeek: aws.StringSlice([]string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"}), ApplyTimeOf: aws.String("UTC")}
	if !reflect.DeepEqual(e.MaintenanceWindow, want) {
		t.Fatalf("CUSTOM defaults:\n%v\nwant\n%v", e.MaintenanceWindow, want)
	}
	if g := thinGetEnv(t, a, *e.Id); !reflect.DeepEqual(g.MaintenanceWindow, want) {
		t.Fatalf("Get window %v", g.MaintenanceWindow)
	}
	// Day order is kept as sent; DEVICE is kept.
	days := aws.StringSlice([]string{"SUNDAY", "MONDAY"})
	up, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: e.Id, MaintenanceWindow: &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(23), EndTimeHour: i(1), DaysOfTheWeek: days, ApplyTimeOf: aws.String("DEVICE")}})
	if err != nil {
		t.Fatal(err)
	}
	if w := up.Environment.MaintenanceWindow; aws.StringValue(w.DaysOfTheWeek[0]) != "SUNDAY" || len(w.DaysOfTheWeek) != 2 || aws.StringValue(w.ApplyTimeOf) != "DEVICE" || aws.Int64Value(w.StartTimeMinute) != 0 {
		t.Fatalf("updated window %v", w)
	}
	// Update replaces the whole window and applies the same rules.
	_, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: e.Id, MaintenanceWindow: &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(2)}})
	thinVE(t, err, "", "maintenanceWindow.endTimeHour")
	_, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: e.Id, MaintenanceWindow: &wstc.MaintenanceWindow{StartTimeHour: i(2)}})
	thinVE(t, err, "fieldValidationFailed", "maintenanceWindow.type")
	up, err = a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: e.Id, MaintenanceWindow: &wstc.MaintenanceWindow{Type: aws.String("SYSTEM")}})
	if err != nil || !reflect.DeepEqual(up.Environment.MaintenanceWindow, &wstc.MaintenanceWindow{Type: aws.String("SYSTEM")}) {
		t.Fatalf("back to SYSTEM: %v %v", err, up)
	}
	// A missing type on the wire (current SDKs refuse it client-side) → VE.
	status, body := thinHTTP(t, env, testenv.AccountA, "POST", "/environments", `{"desktopArn":"`+thinDesk+`","maintenanceWindow":{"startTimeHour":1,"endTimeHour":2}}`)
	if status != 400 || body["reason"] != "fieldValidationFailed" {
		t.Fatalf("raw window without type: %d %v", status, body)
	}
	// A wrong JSON type is cannotParse.
	status, body = thinHTTP(t, env, testenv.AccountA, "POST", "/environments", `{"desktopArn":"`+thinDesk+`","maintenanceWindow":{"type":"CUSTOM","startTimeHour":"1","endTimeHour":2}}`)
	if status != 400 || body["reason"] != "cannotParse" {
		t.Fatalf("raw window with string hour: %d %v", status, body)
	}
}

func TestThinClientSoftwareSetModeRules(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	s := aws.String
	t.Run("create", func(t *testing.T) {
		for _, tc := range []struct {
			name, mode, desired string
			code, field         string // code "" → success
			wantMode            string
		}{
			{"desired alone implies USE_DESIRED", "", "1003", "", "", "USE_DESIRED"},
			{"desired latest", "USE_DESIRED", "1004", "", "", "USE_DESIRED"},
			{"USE_LATEST alone", "USE_LATEST", "", "", "", "USE_LATEST"},
			{"USE_DESIRED without desired", "USE_DESIRED", "", "other", "", ""},
			{"USE_LATEST with desired", "USE_LATEST", "1003", "other", "", ""},
			{"expired set", "USE_DESIRED", "1002", "ValidationException", "desiredSoftwareSetId", ""},
			{"expired set 1001", "", "1001", "ValidationException", "desiredSoftwareSetId", ""},
			{"unknown set", "USE_DESIRED", "999999999", "ResourceNotFoundException", "", ""},
			{"not a set id", "USE_DESIRED", "abc", "ValidationException", "desiredSoftwareSetId", ""},
			{"bad mode", "SOMETIMES", "", "ValidationException", "softwareSetUpdateMode", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := &wstc.CreateEnvironmentInput{DesktopArn: s(thinDesk)}
				if tc.mode != "" {
					in.SoftwareSetUpdateMode = s(tc.mode)
				}
				if tc.desired != "" {
					in.DesiredSoftwareSetId = s(tc.desired)
				}
				out, err := a.CreateEnvironment(in)
				switch tc.code {
				case "":
					if err != nil {
						t.Fatal(err)
					}
					want := tc.desired
					if aws.StringValue(out.Environment.SoftwareSetUpdateMode) != tc.wantMode || aws.StringValue(out.Environment.DesiredSoftwareSetId) != want {
						t.Fatalf("created %+v", out.Environment)
					}
				case "other":
					thinVE(t, err, "other", "")
				case "ValidationException":
					thinVE(t, err, "fieldValidationFailed", tc.field)
				case "ResourceNotFoundException":
					thinRNF(t, err, tc.desired, "softwareset")
				}
			})
		}
	})
	t.Run("schedule enum", func(t *testing.T) {
		_, err := a.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: s(thinDesk), SoftwareSetUpdateSchedule: s("NEVER")})
		thinVE(t, err, "fieldValidationFailed", "softwareSetUpdateSchedule")
		e := thinCreate(t, a, &wstc.CreateEnvironmentInput{SoftwareSetUpdateSchedule: s("APPLY_IMMEDIATELY")})
		if aws.StringValue(e.SoftwareSetUpdateSchedule) != "APPLY_IMMEDIATELY" {
			t.Fatalf("schedule %v", e.SoftwareSetUpdateSchedule)
		}
		up, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: e.Id, SoftwareSetUpdateSchedule: s("USE_MAINTENANCE_WINDOW")})
		if err != nil || aws.StringValue(up.Environment.SoftwareSetUpdateSchedule) != "USE_MAINTENANCE_WINDOW" {
			t.Fatalf("update schedule: %v %v", err, up)
		}
	})
	t.Run("update", func(t *testing.T) {
		e := thinCreate(t, a, &wstc.CreateEnvironmentInput{})
		id := e.Id
		type state struct{ mode, desired string }
		get := func() state {
			g := thinGetEnv(t, a, *id)
			return state{aws.StringValue(g.SoftwareSetUpdateMode), aws.StringValue(g.DesiredSoftwareSetId)}
		}
		for _, step := range []struct {
			name          string
			mode, desired *string
			code          string // "" success, "other", "field", "rnf"
			want          state
		}{
			{"empty desired alone while USE_LATEST", nil, s(""), "", state{"USE_LATEST", ""}},
			{"USE_DESIRED alone without a stored set", s("USE_DESIRED"), nil, "other", state{"USE_LATEST", ""}},
			{"desired alone switches mode", nil, s("1003"), "", state{"USE_DESIRED", "1003"}},
			{"empty desired alone while USE_DESIRED", nil, s(""), "other", state{"USE_DESIRED", "1003"}},
			{"empty desired with USE_DESIRED", s("USE_DESIRED"), s(""), "other", state{"USE_DESIRED", "1003"}},
			{"USE_LATEST with a desired set", s("USE_LATEST"), s("1004"), "other", state{"USE_DESIRED", "1003"}},
			{"expired set", nil, s("1002"), "field", state{"USE_DESIRED", "1003"}},
			{"unknown set", nil, s("999999999"), "rnf", state{"USE_DESIRED", "1003"}},
			{"other desired set", s("USE_DESIRED"), s("1004"), "", state{"USE_DESIRED", "1004"}},
			{"USE_DESIRED alone keeps the stored set", s("USE_DESIRED"), nil, "", state{"USE_DESIRED", "1004"}},
			{"empty desired with USE_LATEST", s("USE_LATEST"), s(""), "", state{"USE_LATEST", ""}},
			{"back to desired", nil, s("1003"), "", state{"USE_DESIRED", "1003"}},
			{"USE_LATEST alone clears the set", s("USE_LATEST"), nil, "", state{"USE_LATEST", ""}},
		} {
			t.Run(step.name, func(t *testing.T) {
				out, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: id, SoftwareSetUpdateMode: step.mode, DesiredSoftwareSetId: step.desired})
				switch step.code {
				case "":
					if err != nil {
						t.Fatal(err)
					}
					if got := (state{aws.StringValue(out.Environment.SoftwareSetUpdateMode), aws.StringValue(out.Environment.DesiredSoftwareSetId)}); got != step.want {
						t.Fatalf("update output %+v, want %+v", got, step.want)
					}
				case "other":
					thinVE(t, err, "other", "")
				case "field":
					thinVE(t, err, "fieldValidationFailed", "desiredSoftwareSetId")
				case "rnf":
					thinRNF(t, err, aws.StringValue(step.desired), "softwareset")
				}
				if got := get(); got != step.want {
					t.Fatalf("stored %+v, want %+v", got, step.want)
				}
			})
		}
	})
}

func TestThinClientEnvironmentIdempotency(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	b := env.ThinClient(testenv.AccountB, testenv.Region)

	in := &wstc.CreateEnvironmentInput{Name: aws.String("idem"), DesktopArn: aws.String(thinDesk), ClientToken: aws.String("tok-1"),
		Tags: thinStrMap(map[string]string{"a": "1", "b": "2"}), DeviceCreationTags: thinStrMap(map[string]string{"x": "y"})}
	first, err := a.CreateEnvironment(in)
	if err != nil {
		t.Fatal(err)
	}
	id := aws.StringValue(first.Environment.Id)
	env.Advance(time.Minute)
	// Replays are byte-for-byte equal and create nothing, even after an update.
	if _, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(id), Name: aws.String("renamed")}); err != nil {
		t.Fatal(err)
	}
	// Map key order does not matter.
	in2 := &wstc.CreateEnvironmentInput{Name: aws.String("idem"), DesktopArn: aws.String(thinDesk), ClientToken: aws.String("tok-1"),
		Tags: thinStrMap(map[string]string{"b": "2", "a": "1"}), DeviceCreationTags: thinStrMap(map[string]string{"x": "y"})}
	second, err := a.CreateEnvironment(in2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(second, first) || aws.StringValue(second.Environment.Name) != "idem" {
		t.Fatalf("replay:\n%s\nwant\n%s", second, first)
	}
	list, _ := a.ListEnvironments(&wstc.ListEnvironmentsInput{})
	if len(list.Environments) != 1 {
		t.Fatalf("%d environments after replay", len(list.Environments))
	}
	// Other parameters with the same token → 409 naming the environment.
	for name, other := range map[string]*wstc.CreateEnvironmentInput{
		"other name":        {Name: aws.String("other"), DesktopArn: aws.String(thinDesk), ClientToken: aws.String("tok-1"), Tags: in.Tags, DeviceCreationTags: in.DeviceCreationTags},
		"omitted name":      {DesktopArn: aws.String(thinDesk), ClientToken: aws.String("tok-1"), Tags: in.Tags, DeviceCreationTags: in.DeviceCreationTags},
		"explicit default":  {Name: aws.String("idem"), DesktopArn: aws.String(thinDesk), ClientToken: aws.String("tok-1"), Tags: in.Tags, DeviceCreationTags: in.DeviceCreationTags, SoftwareSetUpdateMode: aws.String("USE_LATEST")},
		"invalid otherwise": {DesktopArn: aws.String("arn:aws:s3:::not-a-desktop-bucket"), ClientToken: aws.String("tok-1")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := a.CreateEnvironment(other)
			thinCE(t, err, id, "environment")
		})
	}
	// Tokens are per account: B may use the same token for its own environment.
	bOut, err := b.CreateEnvironment(&wstc.CreateEnvironmentInput{Name: aws.String("idem"), DesktopArn: aws.String("arn:aws:workspaces:us-east-1:222222222222:directory/d-9067a1b2c3"), ClientToken: aws.String("tok-1")})
	if err != nil || aws.StringValue(bOut.Environment.Id) == id {
		t.Fatalf("account B with the same token: %v %v", err, bOut)
	}
	// A failed call records nothing: the token still works afterwards.
	_, err = a.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String("arn:aws:s3:::not-a-desktop-bucket"), ClientToken: aws.String("tok-2")})
	thinVE(t, err, "fieldValidationFailed", "desktopArn")
	ok, err := a.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String(thinDesk), ClientToken: aws.String("tok-2")})
	if err != nil || aws.StringValue(ok.Environment.Id) == id {
		t.Fatalf("token after failure: %v %v", err, ok)
	}

	// DeleteEnvironment replay → 204 again; a new token → RNF; same token other id → 409.
	if _, err := a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(id), ClientToken: aws.String("del-1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(id), ClientToken: aws.String("del-1")}); err != nil {
		t.Fatalf("replayed delete: %v", err)
	}
	_, err = a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(id), ClientToken: aws.String("del-2")})
	thinRNF(t, err, id, "environment")
	_, err = a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: ok.Environment.Id, ClientToken: aws.String("del-1")})
	thinErr(t, err, "ConflictException", 409)
	if g := thinGetEnv(t, a, aws.StringValue(ok.Environment.Id)); aws.StringValue(g.Id) != aws.StringValue(ok.Environment.Id) {
		t.Fatalf("conflicting delete removed %v", g)
	}
	// Raw DELETE answers 204 with an empty body, replay included.
	for range 2 {
		status, body := thinHTTP(t, env, testenv.AccountA, "DELETE", "/environments/"+aws.StringValue(ok.Environment.Id)+"?clientToken=raw-del", "")
		if status != 204 || body != nil {
			t.Fatalf("raw delete: %d %v", status, body)
		}
	}
	// The replay of the create still answers the original 201 after the delete.
	third, err := a.CreateEnvironment(in2)
	if err != nil || !reflect.DeepEqual(third, first) {
		t.Fatalf("replay after delete: %v\n%s", err, third)
	}
	if _, err := a.GetEnvironment(&wstc.GetEnvironmentInput{Id: aws.String(id)}); err == nil {
		t.Fatal("replay resurrected the environment")
	}
	// Tokens are per operation: a CreateEnvironment token means nothing to DeleteEnvironment.
	_, err = a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String("zzzzzzzzz"), ClientToken: aws.String("tok-1")})
	thinRNF(t, err, "zzzzzzzzz", "environment")
	// Records expire after 24 hours: the token then creates a new environment.
	env.Advance(25 * time.Hour)
	fresh, err := a.CreateEnvironment(in2)
	if err != nil || aws.StringValue(fresh.Environment.Id) == id {
		t.Fatalf("token after 25h: %v %v", err, fresh)
	}
	if g := thinGetEnv(t, a, aws.StringValue(fresh.Environment.Id)); aws.StringValue(g.Name) != "idem" {
		t.Fatalf("new environment %+v", g)
	}
}

func TestThinClientEnvironmentQuota(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	b := env.ThinClient(testenv.AccountB, testenv.Region)
	var first string
	for i := range 100 {
		e := thinCreate(t, a, &wstc.CreateEnvironmentInput{})
		if i == 0 {
			first = aws.StringValue(e.Id)
		}
	}
	_, err := a.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String(thinDesk)})
	thinErr(t, err, "ServiceQuotaExceededException", 402)
	var sq *wstc.ServiceQuotaExceededException
	if !errors.As(err, &sq) || aws.StringValue(sq.ResourceType) != "environment" || aws.StringValue(sq.ServiceCode) != "thinclient" || aws.StringValue(sq.QuotaCode) == "" {
		t.Fatalf("quota error members: %#v", err)
	}
	// Validation comes before the quota.
	_, err = a.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String("arn:aws:s3:::not-a-desktop-bucket")})
	thinVE(t, err, "fieldValidationFailed", "desktopArn")
	// The quota is per account and region.
	if _, err := b.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String("arn:aws:workspaces:us-east-1:222222222222:directory/d-9067a1b2c3")}); err != nil {
		t.Fatalf("account B: %v", err)
	}
	west := env.ThinClient(testenv.AccountA, "us-west-2")
	if _, err := west.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String("arn:aws:workspaces:us-west-2:111111111111:directory/d-9067a1b2c3")}); err != nil {
		t.Fatalf("us-west-2: %v", err)
	}
	// Deleting one frees a slot.
	if _, err := a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(first)}); err != nil {
		t.Fatal(err)
	}
	thinCreate(t, a, &wstc.CreateEnvironmentInput{})
	_, err = a.CreateEnvironment(&wstc.CreateEnvironmentInput{DesktopArn: aws.String(thinDesk)})
	thinErr(t, err, "ServiceQuotaExceededException", 402)
}

func TestThinClientListEnvironmentsPagination(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	b := env.ThinClient(testenv.AccountB, testenv.Region)
	var want []string
	for i := range 13 {
		want = append(want, aws.StringValue(thinCreate(t, a, &wstc.CreateEnvironmentInput{Name: aws.String(fmt.Sprint(i))}).Id))
		env.Advance(time.Second) // createdAt ascending is then the only order
	}
	var sizes []int
	var got []string
	var lastToken *string
	err := a.ListEnvironmentsPages(&wstc.ListEnvironmentsInput{MaxResults: aws.Int64(5)}, func(out *wstc.ListEnvironmentsOutput, last bool) bool {
		sizes = append(sizes, len(out.Environments))
		got = append(got, thinEnvIDs(out.Environments)...)
		lastToken = out.NextToken
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sizes, []int{5, 5, 3}) || !slices.Equal(got, want) || lastToken != nil {
		t.Fatalf("pages %v, ids %v (want %v in creation order), last token %v", sizes, got, want, lastToken)
	}
	// Exactly one full page: no nextToken.
	full, err := a.ListEnvironments(&wstc.ListEnvironmentsInput{MaxResults: aws.Int64(13)})
	if err != nil || len(full.Environments) != 13 || full.NextToken != nil {
		t.Fatalf("maxResults 13: %v %d %v", err, len(full.Environments), full.NextToken)
	}
	// Default page size is 50: one page.
	def, err := a.ListEnvironments(&wstc.ListEnvironmentsInput{})
	if err != nil || len(def.Environments) != 13 || def.NextToken != nil {
		t.Fatalf("default page: %v %d %v", err, len(def.Environments), def.NextToken)
	}
	// Deleting an item between pages neither skips nor repeats.
	p1, err := a.ListEnvironments(&wstc.ListEnvironmentsInput{MaxResults: aws.Int64(5)})
	if err != nil || p1.NextToken == nil {
		t.Fatal(err)
	}
	if _, err := a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(want[4])}); err != nil {
		t.Fatal(err)
	}
	p2, err := a.ListEnvironments(&wstc.ListEnvironmentsInput{MaxResults: aws.Int64(5), NextToken: p1.NextToken})
	if err != nil || len(p2.Environments) != 5 || aws.StringValue(p2.Environments[0].Id) != want[5] {
		t.Fatalf("page after delete: %v %v", err, thinEnvIDs(p2.Environments))
	}
	// Bad tokens and sizes.
	tampered := []byte(*p1.NextToken)
	tampered[0] ^= 1 // another first character: bad base64 or a bad signature
	for name, tok := range map[string]string{"garbled": "%%%not-base64%%%", "truncated": (*p1.NextToken)[:10], "tampered": string(tampered)} {
		t.Run(name, func(t *testing.T) {
			_, err := a.ListEnvironments(&wstc.ListEnvironmentsInput{NextToken: aws.String(tok)})
			thinVE(t, err, "fieldValidationFailed", "nextToken")
		})
	}
	_, err = b.ListEnvironments(&wstc.ListEnvironmentsInput{NextToken: p1.NextToken})
	thinVE(t, err, "fieldValidationFailed", "nextToken") // foreign account
	_, err = a.ListDevices(&wstc.ListDevicesInput{NextToken: p1.NextToken})
	thinVE(t, err, "fieldValidationFailed", "nextToken") // foreign operation
	_, err = a.ListEnvironments(&wstc.ListEnvironmentsInput{MaxResults: aws.Int64(51)})
	thinVE(t, err, "fieldValidationFailed", "maxResults")
	status, body := thinHTTP(t, env, testenv.AccountA, "GET", "/environments?maxResults=0", "")
	if status != 400 || body["reason"] != "fieldValidationFailed" {
		t.Fatalf("maxResults=0: %d %v", status, body)
	}
	// An empty token is the first page.
	first, err := a.ListEnvironments(&wstc.ListEnvironmentsInput{MaxResults: aws.Int64(2), NextToken: aws.String("")})
	if err != nil || len(first.Environments) != 2 || aws.StringValue(first.Environments[0].Id) != want[0] {
		t.Fatalf("empty token: %v %v", err, first)
	}
	// Tokens expire after a day.
	env.Advance(25 * time.Hour)
	_, err = a.ListEnvironments(&wstc.ListEnvironmentsInput{MaxResults: aws.Int64(5), NextToken: p1.NextToken})
	thinVE(t, err, "fieldValidationFailed", "nextToken")
	// inferred: items with equal createdAt keep creation order (the store's
	// sequence), which is stable across pages; spec §1.6's "then id" is not used.
	t.Run("same createdAt in creation order", func(t *testing.T) {
		c := env.ThinClient(testenv.AccountA, "eu-central-1")
		var ids []string
		for range 6 {
			e := thinCreate(t, c, &wstc.CreateEnvironmentInput{DesktopArn: aws.String("arn:aws:workspaces:eu-central-1:111111111111:directory/d-9067a1b2c3")})
			ids = append(ids, aws.StringValue(e.Id))
		}
		l, err := c.ListEnvironments(&wstc.ListEnvironmentsInput{})
		if err != nil {
			t.Fatal(err)
		}
		if got := thinEnvIDs(l.Environments); !slices.Equal(got, ids) {
			t.Fatalf("listed %v, want %v", got, ids)
		}
	})
	// B has none.
	bl, err := b.ListEnvironments(&wstc.ListEnvironmentsInput{})
	if err != nil || bl.Environments == nil || len(bl.Environments) != 0 {
		t.Fatalf("account B lists %v %v", err, bl)
	}
	status, body = thinHTTP(t, env, testenv.AccountB, "GET", "/environments", "")
	if envs, ok := body["environments"].([]any); status != 200 || !ok || len(envs) != 0 {
		t.Fatalf("raw empty list: %d %v", status, body)
	}
}

func TestThinClientEnvironmentIsolation(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	b := env.ThinClient(testenv.AccountB, testenv.Region)
	west := env.ThinClient(testenv.AccountA, "us-west-2")
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{Name: aws.String("mine")})
	id := aws.StringValue(e.Id)
	for _, c := range []*wstc.WorkSpacesThinClient{b, west} {
		_, err := c.GetEnvironment(&wstc.GetEnvironmentInput{Id: aws.String(id)})
		thinRNF(t, err, id, "environment")
		_, err = c.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(id), Name: aws.String("theirs")})
		thinRNF(t, err, id, "environment")
		_, err = c.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(id)})
		thinRNF(t, err, id, "environment")
		_, err = c.ListTagsForResource(&wstc.ListTagsForResourceInput{ResourceArn: e.Arn})
		thinRNF(t, err, aws.StringValue(e.Arn), "environment")
		l, err := c.ListEnvironments(&wstc.ListEnvironmentsInput{})
		if err != nil || len(l.Environments) != 0 {
			t.Fatalf("foreign list: %v %v", err, l)
		}
	}
	if g := thinGetEnv(t, a, id); aws.StringValue(g.Name) != "mine" {
		t.Fatalf("foreign update changed the name to %q", aws.StringValue(g.Name))
	}
	// Unknown and malformed ids.
	_, err := a.GetEnvironment(&wstc.GetEnvironmentInput{Id: aws.String("ABC")})
	thinVE(t, err, "fieldValidationFailed", "id")
	for _, c := range []struct {
		name string
		err  func(string) error
	}{
		{"update", func(x string) error {
			_, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(x), Name: aws.String("n")})
			return err
		}},
		{"delete", func(x string) error {
			_, err := a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(x)})
			return err
		}},
	} {
		thinRNF(t, c.err("zzzzzzzzz"), "zzzzzzzzz", "environment")
		thinVE(t, c.err("ABC"), "fieldValidationFailed", "id")
	}
}
