package integration

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	wstc "github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// thinT0 is the manual clock's start (a Friday).
var thinT0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func thinDeregister(t *testing.T, c *wstc.WorkSpacesThinClient, id, target string) {
	t.Helper()
	in := &wstc.DeregisterDeviceInput{Id: aws.String(id)}
	if target != "" {
		in.TargetDeviceStatus = aws.String(target)
	}
	if _, err := c.DeregisterDevice(in); err != nil {
		t.Fatalf("DeregisterDevice %s → %s: %v", id, target, err)
	}
}

func thinStatus(t *testing.T, c *wstc.WorkSpacesThinClient, id string) string {
	t.Helper()
	return aws.StringValue(thinGetDevice(t, c, id).Status)
}

// TestThinClientDeviceLifecycle is scenario A.2 of the spec.
func TestThinClientDeviceLifecycle(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	b := env.ThinClient(testenv.AccountB, testenv.Region)

	// 1.
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{
		SoftwareSetUpdateSchedule: aws.String("APPLY_IMMEDIATELY"), SoftwareSetUpdateMode: aws.String("USE_DESIRED"), DesiredSoftwareSetId: aws.String("1003"),
		DeviceCreationTags: thinStrMap(map[string]string{"site": "hq"}),
	})
	envID, code := aws.StringValue(e.Id), aws.StringValue(e.ActivationCode)

	// 2. Registration.
	d := thinRegister(t, env, code, map[string]string{"serialNumber": "SN-0001", "model": "TC-1", "currentSoftwareSetId": "1002"})
	devArn := "arn:aws:thinclient:us-east-1:111111111111:device/" + d.ID
	switch {
	case !thinDeviceIDRe.MatchString(d.ID), d.SerialNumber != "SN-0001", d.Model != "TC-1", d.EnvironmentID != envID, d.Status != "REGISTERED",
		d.CurrentSoftwareSetID != "1002", d.CurrentSoftwareSetVersion != "2024.07.1", aws.StringValue(d.DesiredSoftwareSetID) != "1003",
		aws.StringValue(d.PendingSoftwareSetID) != "1003", aws.StringValue(d.PendingSoftwareSetVersion) != "2025.01.1",
		d.SoftwareSetUpdateSchedule != "APPLY_IMMEDIATELY", d.SoftwareSetComplianceStatus != "NOT_COMPLIANT", d.SoftwareSetUpdateStatus != "AVAILABLE",
		d.LastPostureAt == nil || *d.LastPostureAt != float64(thinT0.Unix()), d.CreatedAt != float64(thinT0.Unix()), d.UpdatedAt != d.CreatedAt,
		d.Arn != devArn, d.Name != nil, d.LastConnectedAt != nil, d.LastUserID != nil, d.KmsKeyArn != nil, d.Tags != nil:
		t.Fatalf("registered %+v", d)
	}
	if status, _, msg := thinLocal(t, env, "/_local/thinclient/devices", map[string]string{"activationCode": "zz000000"}); status != http.StatusNotFound {
		t.Fatalf("unknown code: %d %s", status, msg)
	}
	if status, _, msg := thinLocal(t, env, "/_local/thinclient/devices", map[string]string{"activationCode": code, "serialNumber": "SN-0001"}); status != http.StatusConflict {
		t.Fatalf("same serial: %d %s", status, msg)
	}
	// GetDevice shows the same device.
	g := thinGetDevice(t, a, d.ID)
	if aws.StringValue(g.Id) != d.ID || aws.StringValue(g.Arn) != devArn || aws.StringValue(g.PendingSoftwareSetVersion) != "2025.01.1" ||
		aws.StringValue(g.CurrentSoftwareSetVersion) != "2024.07.1" || aws.StringValue(g.SoftwareSetComplianceStatus) != "NOT_COMPLIANT" ||
		aws.StringValue(g.SoftwareSetUpdateStatus) != "AVAILABLE" || !g.CreatedAt.Equal(thinT0) || g.Tags != nil {
		t.Fatalf("GetDevice = %+v", g)
	}

	// 3. Environment, lists, tags.
	ge := thinGetEnv(t, a, envID)
	if aws.Int64Value(ge.RegisteredDevicesCount) != 1 || aws.StringValue(ge.PendingSoftwareSetId) != "1003" || aws.StringValue(ge.PendingSoftwareSetVersion) != "2025.01.1" ||
		aws.StringValue(ge.SoftwareSetComplianceStatus) != "NOT_COMPLIANT" || !ge.UpdatedAt.Equal(thinT0) {
		t.Fatalf("environment with one device = %+v", ge)
	}
	ld, err := a.ListDevices(&wstc.ListDevicesInput{})
	if err != nil || len(ld.Devices) != 1 || aws.StringValue(ld.Devices[0].Id) != d.ID || aws.StringValue(ld.Devices[0].PendingSoftwareSetId) != "1003" {
		t.Fatalf("ListDevices: %v %v", err, ld)
	}
	status, body := thinHTTP(t, env, testenv.AccountB, "GET", "/devices", "")
	if devs, ok := body["devices"].([]any); status != 200 || !ok || len(devs) != 0 {
		t.Fatalf("B's ListDevices = %d %v", status, body)
	}
	if tags := thinTags(t, a, devArn); len(tags) != 1 || tags["site"] != "hq" {
		t.Fatalf("device tags = %v", tags)
	}
	_, err = b.GetDevice(&wstc.GetDeviceInput{Id: aws.String(d.ID)})
	thinRNF(t, err, d.ID, "device")

	// 4. Check-in with a session installs (APPLY_IMMEDIATELY).
	env.Advance(time.Minute)
	now := float64(thinT0.Add(time.Minute).Unix())
	c := thinCheckIn(t, env, d.ID, map[string]any{"userId": "alice"})
	if c.CurrentSoftwareSetID != "1003" || c.CurrentSoftwareSetVersion != "2025.01.1" || c.PendingSoftwareSetID != nil || c.PendingSoftwareSetVersion != nil ||
		c.SoftwareSetUpdateStatus != "UP_TO_DATE" || c.SoftwareSetComplianceStatus != "COMPLIANT" ||
		c.LastConnectedAt == nil || *c.LastConnectedAt != now || aws.StringValue(c.LastUserID) != "alice" || *c.LastPostureAt != now || c.UpdatedAt != now {
		t.Fatalf("after check-in %+v", c)
	}
	ge = thinGetEnv(t, a, envID)
	if aws.StringValue(ge.SoftwareSetComplianceStatus) != "COMPLIANT" || ge.PendingSoftwareSetId != nil || ge.PendingSoftwareSetVersion != nil || !ge.UpdatedAt.Equal(thinT0) {
		t.Fatalf("environment after check-in = %+v", ge)
	}
	if g := thinGetDevice(t, a, d.ID); !g.LastConnectedAt.Equal(thinT0.Add(time.Minute)) || aws.StringValue(g.CurrentSoftwareSetId) != "1003" {
		t.Fatalf("GetDevice after check-in = %+v", g)
	}

	// 5. Rename.
	up, err := a.UpdateDevice(&wstc.UpdateDeviceInput{Id: aws.String(d.ID), Name: aws.String("kiosk-1")})
	if err != nil || aws.StringValue(up.Device.Name) != "kiosk-1" || aws.StringValue(up.Device.Id) != d.ID || aws.StringValue(up.Device.Status) != "REGISTERED" {
		t.Fatalf("UpdateDevice: %v %+v", err, up)
	}

	// 6. Delete while REGISTERED.
	_, err = a.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(d.ID)})
	thinCE(t, err, d.ID, "device")

	// 7. Deregister to ARCHIVED: 202 with an empty body.
	status, body = thinHTTP(t, env, testenv.AccountA, "POST", "/deregister-device/"+d.ID, `{"targetDeviceStatus":"ARCHIVED","clientToken":"dr"}`)
	if status != http.StatusAccepted || body != nil {
		t.Fatalf("DeregisterDevice: %d %v", status, body)
	}
	g = thinGetDevice(t, a, d.ID)
	if aws.StringValue(g.Status) != "DEREGISTERING" || g.PendingSoftwareSetId != nil || g.SoftwareSetUpdateStatus != nil || aws.StringValue(g.Name) != "kiosk-1" || aws.StringValue(g.EnvironmentId) != envID {
		t.Fatalf("after deregister %+v", g)
	}
	ge = thinGetEnv(t, a, envID)
	if aws.Int64Value(ge.RegisteredDevicesCount) != 0 || ge.RegisteredDevicesCount == nil || aws.StringValue(ge.SoftwareSetComplianceStatus) != "NO_REGISTERED_DEVICES" {
		t.Fatalf("environment after deregister = %+v", ge)
	}
	env.Advance(2 * time.Second)
	if s := thinStatus(t, a, d.ID); s != "ARCHIVED" {
		t.Fatalf("after 2s status %s, want ARCHIVED", s)
	}
	_, err = a.DeregisterDevice(&wstc.DeregisterDeviceInput{Id: aws.String(d.ID)})
	thinCE(t, err, d.ID, "device")
	if status, _, msg := thinLocal(t, env, "/_local/thinclient/devices/"+d.ID+"/checkin", map[string]any{}); status != http.StatusConflict {
		t.Fatalf("check-in of an ARCHIVED device: %d %s", status, msg)
	}

	// 8. Delete with a token; replay; new token → 404.
	if _, err := a.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(d.ID), ClientToken: aws.String("d1")}); err != nil {
		t.Fatal(err)
	}
	_, err = a.GetDevice(&wstc.GetDeviceInput{Id: aws.String(d.ID)})
	thinRNF(t, err, d.ID, "device")
	if _, err := a.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(d.ID), ClientToken: aws.String("d1")}); err != nil {
		t.Fatalf("replayed DeleteDevice: %v", err)
	}
	_, err = a.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(d.ID), ClientToken: aws.String("d2")})
	thinRNF(t, err, d.ID, "device")
	_, err = a.ListTagsForResource(&wstc.ListTagsForResourceInput{ResourceArn: aws.String(devArn)})
	thinRNF(t, err, devArn, "device")
	if status, _, _ := thinLocal(t, env, "/_local/thinclient/devices/"+d.ID+"/checkin", map[string]any{}); status != http.StatusNotFound {
		t.Fatalf("check-in of a deleted device: %d", status)
	}
	if ld, _ := a.ListDevices(&wstc.ListDevicesInput{}); len(ld.Devices) != 0 {
		t.Fatalf("deleted device still listed: %v", ld)
	}
	// The serial is free again.
	d2 := thinRegister(t, env, code, map[string]string{"serialNumber": "SN-0001"})
	if d2.ID == d.ID || d2.CurrentSoftwareSetID != "1003" {
		t.Fatalf("re-registration %+v", d2)
	}
}

func TestThinClientDeviceRegistration(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	b := env.ThinClient(testenv.AccountB, testenv.Region)
	kms := "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{KmsKeyArn: aws.String(kms), DeviceCreationTags: thinStrMap(map[string]string{"site": "hq", "floor": "3"})})
	code := aws.StringValue(e.ActivationCode)

	// Defaults: generated id and serial, WSTC-SIM, the environment's target set (latest), tags from deviceCreationTags.
	d := thinRegister(t, env, code, nil)
	if !thinDeviceIDRe.MatchString(d.ID) || !regexp.MustCompile(`^[A-Z0-9]{16}$`).MatchString(d.SerialNumber) || d.Model != "WSTC-SIM" || d.Status != "REGISTERED" ||
		d.CurrentSoftwareSetID != "1004" || d.CurrentSoftwareSetVersion != "2025.06.1" || d.PendingSoftwareSetID != nil || d.DesiredSoftwareSetID != nil ||
		d.SoftwareSetUpdateStatus != "UP_TO_DATE" || d.SoftwareSetComplianceStatus != "COMPLIANT" || d.SoftwareSetUpdateSchedule != "USE_MAINTENANCE_WINDOW" ||
		aws.StringValue(d.KmsKeyArn) != kms || d.Name != nil {
		t.Fatalf("default registration %+v", d)
	}
	if _, ok := d.raw["lastUserId"]; ok {
		t.Fatalf("lastUserId before any session: %v", d.raw)
	}
	if tags := thinTags(t, a, d.Arn); len(tags) != 2 || tags["site"] != "hq" || tags["floor"] != "3" {
		t.Fatalf("device tags %v", tags)
	}
	// Tags are copied: changing the device's tags leaves the environment's deviceCreationTags alone and vice versa.
	if _, err := a.UntagResource(&wstc.UntagResourceInput{ResourceArn: aws.String(d.Arn), TagKeys: aws.StringSlice([]string{"floor"})}); err != nil {
		t.Fatal(err)
	}
	if g := thinGetEnv(t, a, *e.Id); len(g.DeviceCreationTags) != 2 {
		t.Fatalf("deviceCreationTags changed with the device's tags: %v", aws.StringValueMap(g.DeviceCreationTags))
	}
	if _, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: e.Id, DeviceCreationTags: thinStrMap(map[string]string{"site": "branch"})}); err != nil {
		t.Fatal(err)
	}
	if tags := thinTags(t, a, d.Arn); len(tags) != 1 || tags["site"] != "hq" {
		t.Fatalf("existing device tags changed: %v", tags)
	}
	named := thinRegister(t, env, strings.ToUpper(code), map[string]string{"name": "front", "serialNumber": "SN-A"}) // code matched case-insensitively
	if aws.StringValue(named.Name) != "front" || named.SerialNumber != "SN-A" {
		t.Fatalf("named device %+v", named)
	}
	if tags := thinTags(t, a, named.Arn); len(tags) != 1 || tags["site"] != "branch" {
		t.Fatalf("later device tags %v", tags)
	}
	// No deviceCreationTags → no tags.
	plain := thinCreate(t, a, &wstc.CreateEnvironmentInput{})
	pd := thinRegister(t, env, aws.StringValue(plain.ActivationCode), map[string]string{"serialNumber": "SN-P"})
	if tags := thinTags(t, a, pd.Arn); len(tags) != 0 || pd.KmsKeyArn != nil {
		t.Fatalf("plain device tags %v kms %v", tags, pd.KmsKeyArn)
	}

	// The code is the credential: the device lands in the environment's account.
	if !strings.Contains(d.Arn, ":111111111111:device/") || d.EnvironmentID != aws.StringValue(e.Id) {
		t.Fatalf("device ARN %s", d.Arn)
	}
	if g := thinGetDevice(t, a, d.ID); aws.StringValue(g.EnvironmentId) != aws.StringValue(e.Id) || aws.StringValue(g.KmsKeyArn) != kms {
		t.Fatalf("A's GetDevice %+v", g)
	}
	_, err := b.GetDevice(&wstc.GetDeviceInput{Id: aws.String(d.ID)})
	thinRNF(t, err, d.ID, "device")
	if l, err := b.ListDevices(&wstc.ListDevicesInput{}); err != nil || len(l.Devices) != 0 {
		t.Fatalf("B lists %v %v", err, l)
	}
	// Serial numbers are per account: B's environment may take SN-A; A's other environment may not.
	be := thinCreate(t, b, &wstc.CreateEnvironmentInput{DesktopArn: aws.String("arn:aws:workspaces:us-east-1:222222222222:directory/d-9067a1b2c3")})
	bd := thinRegister(t, env, aws.StringValue(be.ActivationCode), map[string]string{"serialNumber": "SN-A"})
	if !strings.Contains(bd.Arn, ":222222222222:device/") {
		t.Fatalf("B's device ARN %s", bd.Arn)
	}
	if status, _, _ := thinLocal(t, env, "/_local/thinclient/devices", map[string]string{"activationCode": aws.StringValue(plain.ActivationCode), "serialNumber": "SN-A"}); status != http.StatusConflict {
		t.Fatalf("same serial in another environment of A: %d", status)
	}
	// DEREGISTERING still blocks the serial; DEREGISTERED frees it.
	thinDeregister(t, a, named.ID, "")
	if status, _, _ := thinLocal(t, env, "/_local/thinclient/devices", map[string]string{"activationCode": code, "serialNumber": "SN-A"}); status != http.StatusConflict {
		t.Fatalf("serial of a DEREGISTERING device: %d", status)
	}
	env.Advance(2 * time.Second)
	again := thinRegister(t, env, code, map[string]string{"serialNumber": "SN-A"})
	if again.ID == named.ID || thinStatus(t, a, named.ID) != "DEREGISTERED" {
		t.Fatalf("re-registration %+v", again)
	}

	// Bad requests.
	for _, tc := range []struct {
		name   string
		body   any
		status int
	}{
		{"not JSON", "{", 400},
		{"array", "[]", 400},
		{"empty body", "", 400},
		{"missing code", map[string]string{"serialNumber": "x"}, 400},
		{"empty code", map[string]string{"activationCode": ""}, 400},
		{"wrong type", map[string]any{"activationCode": 5}, 400},
		{"long name", map[string]string{"activationCode": code, "name": strings.Repeat("n", 65)}, 400},
		{"unknown software set", map[string]string{"activationCode": code, "currentSoftwareSetId": "999999999"}, 400},
		{"unknown code", map[string]string{"activationCode": "zz000000"}, 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if status, _, msg := thinLocal(t, env, "/_local/thinclient/devices", tc.body); status != tc.status {
				t.Fatalf("got %d %s, want %d", status, msg, tc.status)
			}
		})
	}
	// A deleted environment's code is retired.
	if _, err := a.DeregisterDevice(&wstc.DeregisterDeviceInput{Id: aws.String(pd.ID)}); err != nil {
		t.Fatal(err)
	}
	env.Advance(2 * time.Second)
	if _, err := a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: plain.Id}); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := thinLocal(t, env, "/_local/thinclient/devices", map[string]string{"activationCode": aws.StringValue(plain.ActivationCode)}); status != http.StatusNotFound {
		t.Fatalf("deleted environment's code: %d", status)
	}
	// Its devices remain and keep environmentId.
	if g := thinGetDevice(t, a, pd.ID); aws.StringValue(g.EnvironmentId) != aws.StringValue(plain.Id) || aws.StringValue(g.Status) != "DEREGISTERED" {
		t.Fatalf("orphan device %+v", g)
	}
}

func TestThinClientDeviceCheckIn(t *testing.T) {
	env := testenv.Start(t) // 2026-01-02T03:04:05Z, a Friday
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	i := aws.Int64
	mk := func(schedule string, w *wstc.MaintenanceWindow) string {
		in := &wstc.CreateEnvironmentInput{MaintenanceWindow: w, SoftwareSetUpdateMode: aws.String("USE_LATEST")}
		if schedule != "" {
			in.SoftwareSetUpdateSchedule = aws.String(schedule)
		}
		return aws.StringValue(thinCreate(t, a, in).ActivationCode)
	}
	custom := func(sh, eh int64, days ...string) *wstc.MaintenanceWindow {
		return &wstc.MaintenanceWindow{Type: aws.String("CUSTOM"), StartTimeHour: i(sh), EndTimeHour: i(eh), DaysOfTheWeek: aws.StringSlice(days)}
	}
	for _, tc := range []struct {
		name     string
		schedule string
		window   *wstc.MaintenanceWindow
		current  string
		install  string // "" → omitted (auto)
		want     string // current set after the check-in
	}{
		{"apply immediately, auto", "APPLY_IMMEDIATELY", nil, "1003", "auto", "1004"},
		{"apply immediately, default install", "APPLY_IMMEDIATELY", nil, "1003", "", "1004"},
		{"apply immediately, none", "APPLY_IMMEDIATELY", nil, "1003", "none", "1003"},
		{"system window, auto", "", nil, "1003", "auto", "1003"},
		{"system window, none", "", nil, "1003", "none", "1003"},
		{"system window, now", "", nil, "1003", "now", "1004"},
		{"expired set is forced, auto", "", nil, "1002", "auto", "1004"},
		{"expired set, none", "", nil, "1002", "none", "1002"},
		{"custom window open", "USE_MAINTENANCE_WINDOW", custom(3, 4, "FRIDAY"), "1003", "auto", "1004"},
		{"custom window other day", "USE_MAINTENANCE_WINDOW", custom(3, 4, "SATURDAY"), "1003", "auto", "1003"},
		{"custom window later today", "USE_MAINTENANCE_WINDOW", custom(5, 6, "FRIDAY"), "1003", "auto", "1003"},
		{"custom window across midnight from Thursday", "USE_MAINTENANCE_WINDOW", custom(22, 4, "THURSDAY"), "1003", "auto", "1004"},
		{"custom window across midnight from Friday", "USE_MAINTENANCE_WINDOW", custom(22, 4, "FRIDAY"), "1003", "auto", "1003"},
		{"custom window open, none", "USE_MAINTENANCE_WINDOW", custom(3, 4, "FRIDAY"), "1003", "none", "1003"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := mk(tc.schedule, tc.window)
			d := thinRegister(t, env, code, map[string]string{"currentSoftwareSetId": tc.current})
			if aws.StringValue(d.PendingSoftwareSetID) != "1004" || d.SoftwareSetUpdateStatus != "AVAILABLE" {
				t.Fatalf("registered %+v", d)
			}
			body := map[string]any{}
			if tc.install != "" {
				body["install"] = tc.install
			}
			c := thinCheckIn(t, env, d.ID, body)
			if c.CurrentSoftwareSetID != tc.want {
				t.Fatalf("current %s, want %s", c.CurrentSoftwareSetID, tc.want)
			}
			if tc.want == "1004" {
				if c.PendingSoftwareSetID != nil || c.SoftwareSetUpdateStatus != "UP_TO_DATE" || c.SoftwareSetComplianceStatus != "COMPLIANT" || c.CurrentSoftwareSetVersion != "2025.06.1" {
					t.Fatalf("installed device %+v", c)
				}
			} else if aws.StringValue(c.PendingSoftwareSetID) != "1004" || c.SoftwareSetUpdateStatus != "AVAILABLE" {
				t.Fatalf("not-installed device %+v", c)
			}
			// A session-less check-in touches neither lastConnectedAt nor lastUserId.
			if c.LastConnectedAt != nil || c.LastUserID != nil {
				t.Fatalf("session fields set: %+v", c)
			}
			if g := thinGetDevice(t, a, d.ID); aws.StringValue(g.CurrentSoftwareSetId) != tc.want {
				t.Fatalf("GetDevice current %s", aws.StringValue(g.CurrentSoftwareSetId))
			}
		})
	}

	code := mk("", nil)
	d := thinRegister(t, env, code, nil)
	env.Advance(time.Hour)
	c := thinCheckIn(t, env, d.ID, map[string]any{"connected": true})
	if c.LastConnectedAt == nil || *c.LastConnectedAt != float64(thinT0.Add(time.Hour).Unix()) || c.LastUserID != nil || *c.LastPostureAt != *c.LastConnectedAt || c.CreatedAt != float64(thinT0.Unix()) {
		t.Fatalf("connected check-in %+v", c)
	}
	env.Advance(time.Hour)
	c = thinCheckIn(t, env, d.ID, nil) // empty body
	if *c.LastPostureAt != float64(thinT0.Add(2*time.Hour).Unix()) || *c.LastConnectedAt != float64(thinT0.Add(time.Hour).Unix()) || c.UpdatedAt != *c.LastPostureAt {
		t.Fatalf("posture-only check-in %+v", c)
	}
	c = thinCheckIn(t, env, d.ID, map[string]any{"userId": "bob"})
	if aws.StringValue(c.LastUserID) != "bob" || *c.LastConnectedAt != float64(thinT0.Add(2*time.Hour).Unix()) {
		t.Fatalf("session check-in %+v", c)
	}
	// Errors.
	for _, tc := range []struct {
		name, id string
		body     any
		status   int
	}{
		{"unknown device", "AAAAAAAAAAAAAAAAAAAAAAAA", map[string]any{}, 404},
		{"bad install", d.ID, map[string]any{"install": "later"}, 400},
		{"malformed body", d.ID, "{", 400},
		{"wrong type", d.ID, map[string]any{"connected": "yes"}, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if status, _, msg := thinLocal(t, env, "/_local/thinclient/devices/"+tc.id+"/checkin", tc.body); status != tc.status {
				t.Fatalf("got %d %s, want %d", status, msg, tc.status)
			}
		})
	}
	thinDeregister(t, a, d.ID, "")
	for _, wait := range []time.Duration{0, 2 * time.Second} {
		env.Advance(wait)
		if status, _, _ := thinLocal(t, env, "/_local/thinclient/devices/"+d.ID+"/checkin", map[string]any{"install": "now"}); status != http.StatusConflict {
			t.Fatalf("check-in of a %s device: %d", thinStatus(t, a, d.ID), status)
		}
	}
}

// TestThinClientEnvironmentComputedFields follows registeredDevicesCount,
// the pending set and the compliance status through registrations,
// check-ins and deregistrations.
func TestThinClientEnvironmentComputedFields(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{DesiredSoftwareSetId: aws.String("1003")})
	id, code := aws.StringValue(e.Id), aws.StringValue(e.ActivationCode)
	type view struct {
		count                    int64
		pending, version, status string
	}
	updated := thinT0 // device registrations and check-ins never change the environment's updatedAt
	check := func(step string, want view) {
		t.Helper()
		g := thinGetEnv(t, a, id)
		got := view{aws.Int64Value(g.RegisteredDevicesCount), aws.StringValue(g.PendingSoftwareSetId), aws.StringValue(g.PendingSoftwareSetVersion), aws.StringValue(g.SoftwareSetComplianceStatus)}
		if got != want || g.RegisteredDevicesCount == nil || !g.UpdatedAt.Equal(updated) {
			t.Fatalf("%s: %+v (updatedAt %v), want %+v", step, got, g.UpdatedAt, want)
		}
		// Summaries carry the pending id too.
		l, err := a.ListEnvironments(&wstc.ListEnvironmentsInput{})
		if err != nil || len(l.Environments) != 1 || aws.StringValue(l.Environments[0].PendingSoftwareSetId) != want.pending {
			t.Fatalf("%s: ListEnvironments %v %v", step, err, l)
		}
	}
	check("no devices", view{0, "", "", "NO_REGISTERED_DEVICES"})
	d1 := thinRegister(t, env, code, nil)
	if d1.CurrentSoftwareSetID != "1003" {
		t.Fatalf("default current set %s, want the desired 1003", d1.CurrentSoftwareSetID)
	}
	check("one up-to-date device", view{1, "", "", "COMPLIANT"})
	d2 := thinRegister(t, env, code, map[string]string{"currentSoftwareSetId": "1002"})
	check("plus an expired device", view{2, "1003", "2025.01.1", "NOT_COMPLIANT"})
	thinCheckIn(t, env, d2.ID, map[string]any{"install": "none"})
	check("after a report-only check-in", view{2, "1003", "2025.01.1", "NOT_COMPLIANT"})
	if c := thinCheckIn(t, env, d2.ID, map[string]any{}); c.CurrentSoftwareSetID != "1003" {
		t.Fatalf("forced update did not install: %+v", c)
	}
	check("after the forced update", view{2, "", "", "COMPLIANT"})
	d3 := thinRegister(t, env, code, map[string]string{"currentSoftwareSetId": "1004"})
	check("plus a newer, supported device", view{3, "1003", "2025.01.1", "COMPLIANT"})
	d4 := thinRegister(t, env, code, map[string]string{"currentSoftwareSetId": "1001"})
	check("plus an expired 1001 device", view{4, "1003", "2025.01.1", "NOT_COMPLIANT"})
	thinDeregister(t, a, d4.ID, "")
	check("expired device deregistering", view{3, "1003", "2025.01.1", "COMPLIANT"})
	thinDeregister(t, a, d3.ID, "ARCHIVED")
	check("newer device deregistering", view{2, "", "", "COMPLIANT"})
	env.Advance(2 * time.Second)
	check("deregistrations complete", view{2, "", "", "COMPLIANT"})
	// Switching the environment to USE_LATEST makes both devices pending.
	up, err := a.UpdateEnvironment(&wstc.UpdateEnvironmentInput{Id: aws.String(id), SoftwareSetUpdateMode: aws.String("USE_LATEST")})
	if err != nil {
		t.Fatal(err)
	}
	updated = *up.Environment.UpdatedAt
	if !updated.Equal(thinT0.Add(2 * time.Second)) {
		t.Fatalf("updatedAt after UpdateEnvironment %v", updated)
	}
	g := thinGetEnv(t, a, id)
	if aws.StringValue(g.PendingSoftwareSetId) != "1004" || aws.StringValue(g.PendingSoftwareSetVersion) != "2025.06.1" || aws.Int64Value(g.RegisteredDevicesCount) != 2 {
		t.Fatalf("after USE_LATEST %+v", g)
	}
	dv := thinGetDevice(t, a, d1.ID)
	if aws.StringValue(dv.PendingSoftwareSetId) != "1004" || dv.DesiredSoftwareSetId != nil || aws.StringValue(dv.SoftwareSetUpdateStatus) != "AVAILABLE" {
		t.Fatalf("device after USE_LATEST %+v", dv)
	}
	for _, d := range []*thinDevice{d1, d2} {
		thinCheckIn(t, env, d.ID, map[string]any{"install": "now"})
	}
	g = thinGetEnv(t, a, id)
	if g.PendingSoftwareSetId != nil || aws.StringValue(g.SoftwareSetComplianceStatus) != "COMPLIANT" {
		t.Fatalf("after installing 1004 %+v", g)
	}
	for _, d := range []*thinDevice{d1, d2} {
		thinDeregister(t, a, d.ID, "")
	}
	check("all deregistering", view{0, "", "", "NO_REGISTERED_DEVICES"})
}

func TestThinClientDeregisterAndDelete(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	b := env.ThinClient(testenv.AccountB, testenv.Region)
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{})
	code := aws.StringValue(e.ActivationCode)
	reg := func() string { return thinRegister(t, env, code, nil).ID }
	deregErr := func(id, target string) error {
		in := &wstc.DeregisterDeviceInput{Id: aws.String(id)}
		if target != "" {
			in.TargetDeviceStatus = aws.String(target)
		}
		_, err := a.DeregisterDevice(in)
		return err
	}
	del := func(id string) error {
		_, err := a.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(id)})
		return err
	}

	// REGISTERED → DEREGISTERING → DEREGISTERED after exactly the delay.
	d := reg()
	env.Advance(time.Minute)
	thinDeregister(t, a, d, "")
	if g := thinGetDevice(t, a, d); aws.StringValue(g.Status) != "DEREGISTERING" || !g.UpdatedAt.Equal(thinT0.Add(time.Minute)) || !g.CreatedAt.Equal(thinT0) {
		t.Fatalf("after DeregisterDevice %+v", g)
	}
	for _, target := range []string{"", "DEREGISTERED", "ARCHIVED"} {
		thinCE(t, deregErr(d, target), d, "device")
	}
	thinCE(t, del(d), d, "device")
	env.Advance(1999 * time.Millisecond)
	if s := thinStatus(t, a, d); s != "DEREGISTERING" {
		t.Fatalf("before the delay: %s", s)
	}
	env.Advance(time.Millisecond)
	if s := thinStatus(t, a, d); s != "DEREGISTERED" {
		t.Fatalf("after the delay: %s", s)
	}
	// ListDevices resolves the transition too.
	if l, _ := a.ListDevices(&wstc.ListDevicesInput{}); len(l.Devices) != 1 || aws.StringValue(l.Devices[0].Status) != "DEREGISTERED" {
		t.Fatalf("listed %v", l)
	}
	thinCE(t, deregErr(d, ""), d, "device")
	thinCE(t, deregErr(d, "DEREGISTERED"), d, "device")
	// DEREGISTERED → ARCHIVED at once.
	if err := deregErr(d, "ARCHIVED"); err != nil {
		t.Fatal(err)
	}
	if s := thinStatus(t, a, d); s != "ARCHIVED" {
		t.Fatalf("DEREGISTERED → ARCHIVED gave %s", s)
	}
	for _, target := range []string{"", "DEREGISTERED", "ARCHIVED"} {
		thinCE(t, deregErr(d, target), d, "device")
	}
	// UpdateDevice never conflicts.
	if up, err := a.UpdateDevice(&wstc.UpdateDeviceInput{Id: aws.String(d), Name: aws.String("retired")}); err != nil || aws.StringValue(up.Device.Name) != "retired" || aws.StringValue(up.Device.Status) != "ARCHIVED" {
		t.Fatalf("UpdateDevice on ARCHIVED: %v %v", err, up)
	}
	if err := del(d); err != nil {
		t.Fatalf("delete ARCHIVED: %v", err)
	}
	thinRNF(t, del(d), d, "device")
	thinRNF(t, deregErr(d, ""), d, "device")

	// DEREGISTERED devices may be deleted: 204 on the wire.
	d = reg()
	thinDeregister(t, a, d, "DEREGISTERED")
	env.Advance(2 * time.Second)
	status, body := thinHTTP(t, env, testenv.AccountA, "DELETE", "/devices/"+d+"?clientToken=raw", "")
	if status != http.StatusNoContent || body != nil {
		t.Fatalf("raw DeleteDevice: %d %v", status, body)
	}

	// ARCHIVED via the delay.
	d = reg()
	thinDeregister(t, a, d, "ARCHIVED")
	env.Advance(2 * time.Second)
	if s := thinStatus(t, a, d); s != "ARCHIVED" {
		t.Fatalf("ARCHIVED target gave %s", s)
	}

	// Compliance of a device that is no longer REGISTERED.
	t.Run("compliance NONE when not REGISTERED", func(t *testing.T) {
		if g := thinGetDevice(t, a, d); aws.StringValue(g.SoftwareSetComplianceStatus) != "NONE" {
			t.Fatalf("compliance %v, want NONE", g.SoftwareSetComplianceStatus)
		}
	})

	// Idempotent DeregisterDevice.
	d = reg()
	if _, err := a.DeregisterDevice(&wstc.DeregisterDeviceInput{Id: aws.String(d), ClientToken: aws.String("dr-1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DeregisterDevice(&wstc.DeregisterDeviceInput{Id: aws.String(d), ClientToken: aws.String("dr-1")}); err != nil {
		t.Fatalf("replay while DEREGISTERING: %v", err)
	}
	_, err := a.DeregisterDevice(&wstc.DeregisterDeviceInput{Id: aws.String(d), ClientToken: aws.String("dr-1"), TargetDeviceStatus: aws.String("ARCHIVED")})
	thinCE(t, err, d, "device") // same token, other parameters
	_, err = a.DeregisterDevice(&wstc.DeregisterDeviceInput{Id: aws.String(d), ClientToken: aws.String("dr-2")})
	thinCE(t, err, d, "device") // new token: a real second call
	env.Advance(2 * time.Second)
	if _, err := a.DeregisterDevice(&wstc.DeregisterDeviceInput{Id: aws.String(d), ClientToken: aws.String("dr-1")}); err != nil {
		t.Fatalf("replay after completion: %v", err)
	}
	if s := thinStatus(t, a, d); s != "DEREGISTERED" {
		t.Fatalf("replay changed the status to %s", s)
	}
	status, body = thinHTTP(t, env, testenv.AccountA, "POST", "/deregister-device/"+d, `{"clientToken":"dr-1"}`)
	if status != http.StatusAccepted || body != nil {
		t.Fatalf("raw replay: %d %v", status, body)
	}

	// Idempotent DeleteDevice; same token for another device → 409.
	if _, err := a.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(d), ClientToken: aws.String("del-1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(d), ClientToken: aws.String("del-1")}); err != nil {
		t.Fatalf("replayed delete: %v", err)
	}
	other := reg()
	thinDeregister(t, a, other, "")
	env.Advance(2 * time.Second)
	_, err = a.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(other), ClientToken: aws.String("del-1")})
	thinErr(t, err, "ConflictException", 409)
	if s := thinStatus(t, a, other); s != "DEREGISTERED" {
		t.Fatalf("conflicting delete touched the device: %s", s)
	}

	// Unknown, malformed and foreign ids.
	unknown := "AAAAAAAAAAAAAAAAAAAAAAAA"
	thinRNF(t, deregErr(unknown, ""), unknown, "device")
	thinRNF(t, del(unknown), unknown, "device")
	_, err = a.GetDevice(&wstc.GetDeviceInput{Id: aws.String(unknown)})
	thinRNF(t, err, unknown, "device")
	_, err = a.GetDevice(&wstc.GetDeviceInput{Id: aws.String("short")})
	thinVE(t, err, "fieldValidationFailed", "id")
	thinVE(t, deregErr("short", ""), "fieldValidationFailed", "id")
	thinVE(t, deregErr(other, "GONE"), "fieldValidationFailed", "targetDeviceStatus")
	_, err = b.DeregisterDevice(&wstc.DeregisterDeviceInput{Id: aws.String(other), TargetDeviceStatus: aws.String("ARCHIVED")})
	thinRNF(t, err, other, "device")
	_, err = b.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(other)})
	thinRNF(t, err, other, "device")
	_, err = b.UpdateDevice(&wstc.UpdateDeviceInput{Id: aws.String(other), Name: aws.String("x")})
	thinRNF(t, err, other, "device")
	if s := thinStatus(t, a, other); s != "DEREGISTERED" {
		t.Fatalf("B changed A's device: %s", s)
	}
}

func TestThinClientDeleteEnvironmentWithDevices(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{})
	id := aws.StringValue(e.Id)
	d1 := thinRegister(t, env, aws.StringValue(e.ActivationCode), nil)
	d2 := thinRegister(t, env, aws.StringValue(e.ActivationCode), nil)
	_, err := a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(id), ClientToken: aws.String("x")})
	thinCE(t, err, id, "environment")
	// A failed delete records nothing: the same token works once the devices are gone.
	thinDeregister(t, a, d1.ID, "")
	_, err = a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(id), ClientToken: aws.String("x")})
	thinCE(t, err, id, "environment") // d2 REGISTERED, d1 DEREGISTERING
	thinDeregister(t, a, d2.ID, "ARCHIVED")
	_, err = a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(id), ClientToken: aws.String("x")})
	thinCE(t, err, id, "environment") // both DEREGISTERING
	env.Advance(2 * time.Second)
	if _, err := a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(id), ClientToken: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	l, err := a.ListDevices(&wstc.ListDevicesInput{})
	if err != nil || len(l.Devices) != 2 {
		t.Fatalf("devices after environment delete: %v %v", err, l)
	}
	for _, d := range l.Devices {
		if aws.StringValue(d.EnvironmentId) != id {
			t.Fatalf("device lost its environmentId: %+v", d)
		}
	}
	// Orphans can still be renamed, tagged, archived and deleted.
	if _, err := a.UpdateDevice(&wstc.UpdateDeviceInput{Id: aws.String(d1.ID), Name: aws.String("orphan")}); err != nil {
		t.Fatal(err)
	}
	thinDeregister(t, a, d1.ID, "ARCHIVED")
	if _, err := a.TagResource(&wstc.TagResourceInput{ResourceArn: aws.String(d1.Arn), Tags: thinStrMap(map[string]string{"k": "v"})}); err != nil {
		t.Fatal(err)
	}
	if g := thinGetDevice(t, a, d1.ID); aws.StringValue(g.Status) != "ARCHIVED" || aws.StringValue(g.Name) != "orphan" {
		t.Fatalf("orphan %+v", g)
	}
	for _, d := range []*thinDevice{d1, d2} {
		if _, err := a.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(d.ID)}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestThinClientUpdateDevice(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	e := thinCreate(t, a, &wstc.CreateEnvironmentInput{DesiredSoftwareSetId: aws.String("1003")})
	d := thinRegister(t, env, aws.StringValue(e.ActivationCode), map[string]string{"name": "desk"})
	if aws.StringValue(d.Name) != "desk" || aws.StringValue(d.DesiredSoftwareSetID) != "1003" || d.SoftwareSetUpdateStatus != "UP_TO_DATE" {
		t.Fatalf("registered %+v", d)
	}
	env.Advance(time.Minute)

	// Override the desired set: it wins over the environment's target.
	up, err := a.UpdateDevice(&wstc.UpdateDeviceInput{Id: aws.String(d.ID), DesiredSoftwareSetId: aws.String("1004")})
	if err != nil {
		t.Fatal(err)
	}
	s := up.Device
	if aws.StringValue(s.DesiredSoftwareSetId) != "1004" || aws.StringValue(s.PendingSoftwareSetId) != "1004" || aws.StringValue(s.Name) != "desk" ||
		aws.StringValue(s.SoftwareSetUpdateSchedule) != "USE_MAINTENANCE_WINDOW" || !s.UpdatedAt.Equal(thinT0.Add(time.Minute)) || !s.CreatedAt.Equal(thinT0) {
		t.Fatalf("UpdateDevice output %+v", s)
	}
	g := thinGetDevice(t, a, d.ID)
	if aws.StringValue(g.PendingSoftwareSetVersion) != "2025.06.1" || aws.StringValue(g.SoftwareSetUpdateStatus) != "AVAILABLE" || aws.StringValue(g.CurrentSoftwareSetId) != "1003" {
		t.Fatalf("GetDevice after override %+v", g)
	}
	// Environment-level changes never clear the override.
	for _, in := range []*wstc.UpdateEnvironmentInput{
		{Id: e.Id, SoftwareSetUpdateMode: aws.String("USE_LATEST")},
		{Id: e.Id, DesiredSoftwareSetId: aws.String("1003")},
	} {
		if _, err := a.UpdateEnvironment(in); err != nil {
			t.Fatal(err)
		}
		if g := thinGetDevice(t, a, d.ID); aws.StringValue(g.DesiredSoftwareSetId) != "1004" || aws.StringValue(g.PendingSoftwareSetId) != "1004" {
			t.Fatalf("override lost after %v: %+v", in, g)
		}
	}
	// SYSTEM window: auto does not install.
	if c := thinCheckIn(t, env, d.ID, map[string]any{"install": "auto"}); c.CurrentSoftwareSetID != "1003" {
		t.Fatalf("installed under a SYSTEM window: %+v", c)
	}
	// Schedule override: APPLY_IMMEDIATELY installs the override at the next check-in.
	up, err = a.UpdateDevice(&wstc.UpdateDeviceInput{Id: aws.String(d.ID), SoftwareSetUpdateSchedule: aws.String("APPLY_IMMEDIATELY")})
	if err != nil || aws.StringValue(up.Device.SoftwareSetUpdateSchedule) != "APPLY_IMMEDIATELY" || aws.StringValue(up.Device.DesiredSoftwareSetId) != "1004" {
		t.Fatalf("schedule override: %v %+v", err, up)
	}
	if g := thinGetEnv(t, a, *e.Id); aws.StringValue(g.SoftwareSetUpdateSchedule) != "USE_MAINTENANCE_WINDOW" {
		t.Fatalf("device override changed the environment: %+v", g)
	}
	c := thinCheckIn(t, env, d.ID, map[string]any{})
	if c.CurrentSoftwareSetID != "1004" || c.PendingSoftwareSetID != nil || c.SoftwareSetUpdateStatus != "UP_TO_DATE" {
		t.Fatalf("after check-in with overrides %+v", c)
	}
	// The environment targets 1003, so it reports its target as pending for this device.
	if g := thinGetEnv(t, a, *e.Id); aws.StringValue(g.PendingSoftwareSetId) != "1003" || aws.StringValue(g.SoftwareSetComplianceStatus) != "COMPLIANT" {
		t.Fatalf("environment with an overriding device %+v", g)
	}
	// A device registered later has no override.
	d2 := thinRegister(t, env, aws.StringValue(e.ActivationCode), nil)
	if aws.StringValue(d2.DesiredSoftwareSetID) != "1003" || d2.SoftwareSetUpdateSchedule != "USE_MAINTENANCE_WINDOW" || d2.CurrentSoftwareSetID != "1003" {
		t.Fatalf("later device %+v", d2)
	}

	// Name: clear with "", max 64.
	up, err = a.UpdateDevice(&wstc.UpdateDeviceInput{Id: aws.String(d.ID), Name: aws.String("")})
	if err != nil || up.Device.Name != nil {
		t.Fatalf("clear name: %v %+v", err, up)
	}
	if _, err := a.UpdateDevice(&wstc.UpdateDeviceInput{Id: aws.String(d.ID), Name: aws.String(strings.Repeat("n", 64))}); err != nil {
		t.Fatal(err)
	}
	// An empty update succeeds and stamps updatedAt.
	env.Advance(time.Minute)
	up, err = a.UpdateDevice(&wstc.UpdateDeviceInput{Id: aws.String(d.ID)})
	if err != nil || !up.Device.UpdatedAt.Equal(thinT0.Add(2*time.Minute)) || len(aws.StringValue(up.Device.Name)) != 64 {
		t.Fatalf("empty update: %v %+v", err, up)
	}

	// Errors; none of them changes the device.
	for _, tc := range []struct {
		name  string
		in    *wstc.UpdateDeviceInput
		check func(error)
	}{
		{"long name", &wstc.UpdateDeviceInput{Name: aws.String(strings.Repeat("n", 65))}, func(err error) { thinVE(t, err, "fieldValidationFailed", "name") }},
		{"expired set", &wstc.UpdateDeviceInput{DesiredSoftwareSetId: aws.String("1002")}, func(err error) { thinVE(t, err, "fieldValidationFailed", "desiredSoftwareSetId") }},
		{"unknown set", &wstc.UpdateDeviceInput{DesiredSoftwareSetId: aws.String("999999999")}, func(err error) { thinRNF(t, err, "999999999", "softwareset") }},
		{"empty set", &wstc.UpdateDeviceInput{DesiredSoftwareSetId: aws.String("")}, func(err error) { thinVE(t, err, "fieldValidationFailed", "desiredSoftwareSetId") }},
		{"bad schedule", &wstc.UpdateDeviceInput{SoftwareSetUpdateSchedule: aws.String("WHENEVER")}, func(err error) {
			thinVE(t, err, "fieldValidationFailed", "softwareSetUpdateSchedule")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Id = aws.String(d.ID)
			_, err := a.UpdateDevice(tc.in)
			tc.check(err)
		})
	}
	g = thinGetDevice(t, a, d.ID)
	if aws.StringValue(g.DesiredSoftwareSetId) != "1004" || aws.StringValue(g.SoftwareSetUpdateSchedule) != "APPLY_IMMEDIATELY" || len(aws.StringValue(g.Name)) != 64 {
		t.Fatalf("failed updates changed the device: %+v", g)
	}
	_, err = a.UpdateDevice(&wstc.UpdateDeviceInput{Id: aws.String("AAAAAAAAAAAAAAAAAAAAAAAA"), Name: aws.String("x")})
	thinRNF(t, err, "AAAAAAAAAAAAAAAAAAAAAAAA", "device")
	_, err = a.UpdateDevice(&wstc.UpdateDeviceInput{Id: aws.String("short"), Name: aws.String("x")})
	thinVE(t, err, "fieldValidationFailed", "id")
	// Old clients' kmsKeyArn is ignored.
	status, body := thinHTTP(t, env, testenv.AccountA, "PATCH", "/devices/"+d.ID, `{"kmsKeyArn":"arn:aws:kms:us-east-1:111111111111:key/abc","name":"k"}`)
	if dev, _ := body["device"].(map[string]any); status != 200 || dev["name"] != "k" {
		t.Fatalf("UpdateDevice with kmsKeyArn: %d %v", status, body)
	}
}

func TestThinClientListDevices(t *testing.T) {
	env := testenv.Start(t)
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	b := env.ThinClient(testenv.AccountB, testenv.Region)
	e1 := thinCreate(t, a, &wstc.CreateEnvironmentInput{})
	e2 := thinCreate(t, a, &wstc.CreateEnvironmentInput{})
	var want []string
	for i := range 5 {
		code := e1.ActivationCode
		if i%2 == 1 {
			code = e2.ActivationCode
		}
		want = append(want, thinRegister(t, env, aws.StringValue(code), nil).ID)
		env.Advance(time.Second) // createdAt ascending is then the only order
	}
	thinDeregister(t, a, want[1], "")
	thinDeregister(t, a, want[3], "ARCHIVED")
	thinDeregister(t, a, want[4], "")
	env.Advance(2 * time.Second)
	thinDeregister(t, a, want[2], "") // DEREGISTERING at list time

	var sizes []int
	var got, statuses []string
	err := a.ListDevicesPages(&wstc.ListDevicesInput{MaxResults: aws.Int64(2)}, func(out *wstc.ListDevicesOutput, last bool) bool {
		sizes = append(sizes, len(out.Devices))
		for _, d := range out.Devices {
			got = append(got, aws.StringValue(d.Id))
			statuses = append(statuses, aws.StringValue(d.Status))
		}
		if last != (out.NextToken == nil) {
			t.Errorf("last=%v with nextToken %v", last, out.NextToken)
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sizes, []int{2, 2, 1}) || !slices.Equal(got, want) ||
		!slices.Equal(statuses, []string{"REGISTERED", "DEREGISTERED", "DEREGISTERING", "ARCHIVED", "DEREGISTERED"}) {
		t.Fatalf("pages %v ids %v (want %v) statuses %v", sizes, got, want, statuses)
	}
	// DeviceSummary on the wire has no Get-only members.
	status, body := thinHTTP(t, env, testenv.AccountA, "GET", "/devices?maxResults=1", "")
	items, _ := body["devices"].([]any)
	if status != 200 || len(items) != 1 || body["nextToken"] == nil {
		t.Fatalf("raw ListDevices %d %v", status, body)
	}
	thinNoKeys(t, "DeviceSummary", items[0], "currentSoftwareSetVersion", "pendingSoftwareSetVersion", "softwareSetComplianceStatus", "softwareSetUpdateStatus", "kmsKeyArn", "tags")
	status, body = thinHTTP(t, env, testenv.AccountA, "PATCH", "/devices/"+want[0], `{}`)
	if status != 200 || body["device"] == nil {
		t.Fatalf("raw UpdateDevice %d %v", status, body)
	}
	thinNoKeys(t, "UpdateDevice output", body["device"], "currentSoftwareSetVersion", "pendingSoftwareSetVersion", "softwareSetComplianceStatus", "softwareSetUpdateStatus", "kmsKeyArn", "tags")
	status, body = thinHTTP(t, env, testenv.AccountA, "GET", "/devices/"+want[0], "")
	dev, _ := body["device"].(map[string]any)
	if status != 200 || dev["currentSoftwareSetVersion"] != "2025.06.1" || dev["softwareSetUpdateStatus"] != "UP_TO_DATE" || dev["softwareSetComplianceStatus"] != "COMPLIANT" {
		t.Fatalf("raw GetDevice %d %v", status, body)
	}
	thinNoKeys(t, "GetDevice output", dev, "tags")

	// Errors.
	_, err = a.ListDevices(&wstc.ListDevicesInput{MaxResults: aws.Int64(51)})
	thinVE(t, err, "fieldValidationFailed", "maxResults")
	_, err = a.ListDevices(&wstc.ListDevicesInput{NextToken: aws.String("garbled-token")})
	thinVE(t, err, "fieldValidationFailed", "nextToken")
	first, err := a.ListDevices(&wstc.ListDevicesInput{MaxResults: aws.Int64(1)})
	if err != nil || first.NextToken == nil {
		t.Fatal(err)
	}
	_, err = b.ListDevices(&wstc.ListDevicesInput{NextToken: first.NextToken})
	thinVE(t, err, "fieldValidationFailed", "nextToken")
	_, err = a.ListEnvironments(&wstc.ListEnvironmentsInput{NextToken: first.NextToken})
	thinVE(t, err, "fieldValidationFailed", "nextToken")
	// B sees none of A's devices.
	bl, err := b.ListDevices(&wstc.ListDevicesInput{})
	if err != nil || bl.Devices == nil || len(bl.Devices) != 0 || bl.NextToken != nil {
		t.Fatalf("B's ListDevices %v %v", err, bl)
	}
	west := env.ThinClient(testenv.AccountA, "us-west-2")
	if wl, err := west.ListDevices(&wstc.ListDevicesInput{}); err != nil || len(wl.Devices) != 0 {
		t.Fatalf("us-west-2 ListDevices %v %v", err, wl)
	}
}
