package integration

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	wstc "github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/app"
	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// thinEnvCounts are an environment's computed members.
type thinEnvCounts struct {
	count            int64
	pending, version string
	compliance       string
}

// thinRecount computes an environment's computed members from its devices
// as ListDevices and GetDevice show them, the definition the stored device
// tally must agree with.
func thinRecount(t *testing.T, c *wstc.WorkSpacesThinClient, e *wstc.Environment) thinEnvCounts {
	t.Helper()
	target := "1004" // the newest set of the catalogue: USE_LATEST's target
	if aws.StringValue(e.SoftwareSetUpdateMode) == "USE_DESIRED" {
		target = aws.StringValue(e.DesiredSoftwareSetId)
	}
	var got thinEnvCounts
	pending, compliant := false, true
	err := c.ListDevicesPages(&wstc.ListDevicesInput{}, func(out *wstc.ListDevicesOutput, last bool) bool {
		for _, s := range out.Devices {
			if aws.StringValue(s.EnvironmentId) != aws.StringValue(e.Id) {
				continue
			}
			d := thinGetDevice(t, c, aws.StringValue(s.Id))
			if aws.StringValue(d.Status) != "REGISTERED" {
				continue
			}
			got.count++
			if aws.StringValue(d.CurrentSoftwareSetId) != target {
				pending = true
			}
			if aws.StringValue(d.SoftwareSetComplianceStatus) != "COMPLIANT" {
				compliant = false
			}
		}
		return true
	})
	if err != nil {
		t.Fatalf("ListDevices: %v", err)
	}
	switch {
	case got.count == 0:
		got.compliance = "NO_REGISTERED_DEVICES"
	case compliant:
		got.compliance = "COMPLIANT"
	default:
		got.compliance = "NOT_COMPLIANT"
	}
	if pending {
		got.pending = target
		set, err := c.GetSoftwareSet(&wstc.GetSoftwareSetInput{Id: aws.String(target)})
		if err != nil {
			t.Fatalf("GetSoftwareSet %s: %v", target, err)
		}
		got.version = aws.StringValue(set.SoftwareSet.Version)
	}
	return got
}

// TestThinClientEnvironmentTallyProperty runs random sequences of device
// registrations, check-ins with installs, device and environment updates,
// deregistrations, deletions and clock moves, and after every step compares
// GetEnvironment's and ListEnvironments' computed members with a recount
// from the devices. A device write that forgot to update the environment's
// stored tally shows up as a mismatch.
func TestThinClientEnvironmentTallyProperty(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			thinTallyRun(t, seed, 120)
		})
	}
}

func thinTallyRun(t *testing.T, seed uint64, steps int) {
	// Installs take 3 s, so check-ins leave them IN_PROGRESS across steps.
	env := testenv.Start(t, func(cfg *app.Config) { cfg.ThinClientDelays.SoftwareInstall = 3 * time.Second })
	a := env.ThinClient(testenv.AccountA, testenv.Region)
	r := rand.New(rand.NewPCG(seed, 99))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }

	type thinEnv struct{ id, code string }
	var envs []thinEnv
	newEnv := func() {
		in := &wstc.CreateEnvironmentInput{}
		if r.IntN(2) == 0 {
			in.DesiredSoftwareSetId = aws.String(pick([]string{"1003", "1004"}))
		}
		e := thinCreate(t, a, in)
		envs = append(envs, thinEnv{aws.StringValue(e.Id), aws.StringValue(e.ActivationCode)})
	}
	newEnv()
	newEnv()
	newEnv()
	var devices []string
	check := func(step string) {
		t.Helper()
		want := map[string]thinEnvCounts{}
		for _, e := range envs {
			g := thinGetEnv(t, a, e.id)
			got := thinEnvCounts{aws.Int64Value(g.RegisteredDevicesCount), aws.StringValue(g.PendingSoftwareSetId), aws.StringValue(g.PendingSoftwareSetVersion), aws.StringValue(g.SoftwareSetComplianceStatus)}
			want[e.id] = thinRecount(t, a, g)
			if got != want[e.id] || g.RegisteredDevicesCount == nil {
				t.Fatalf("seed %d, %s: GetEnvironment %s = %+v, recount from its devices %+v", seed, step, e.id, got, want[e.id])
			}
		}
		err := a.ListEnvironmentsPages(&wstc.ListEnvironmentsInput{}, func(out *wstc.ListEnvironmentsOutput, last bool) bool {
			for _, s := range out.Environments {
				if w := want[aws.StringValue(s.Id)]; aws.StringValue(s.PendingSoftwareSetId) != w.pending {
					t.Fatalf("seed %d, %s: ListEnvironments %s pending %q, want %q", seed, step, aws.StringValue(s.Id), aws.StringValue(s.PendingSoftwareSetId), w.pending)
				}
			}
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// conflictOK fails on any error but a ConflictException (a move the
	// device's or environment's status does not allow).
	conflictOK := func(err error) {
		t.Helper()
		if err != nil {
			thinErr(t, err, "ConflictException", http.StatusConflict)
		}
	}

	check("start")
	for i := range steps {
		var step string
		// Weights keep few registered devices per environment, so that one
		// device's set decides the pending set and the compliance status.
		switch op := r.IntN(14); {
		case op < 2 || len(devices) == 0:
			e := envs[r.IntN(len(envs))]
			fields := map[string]string{}
			if cur := pick([]string{"", "", "1001", "1002", "1003", "1004"}); cur != "" {
				fields["currentSoftwareSetId"] = cur
			}
			d := thinRegister(t, env, e.code, fields)
			devices = append(devices, d.ID)
			step = fmt.Sprintf("register %s in %s with %v", d.ID, e.id, fields)
		case op < 6:
			id, install := pick(devices), pick([]string{"now", "auto", "none"})
			status, _, msg := thinLocal(t, env, "/_local/thinclient/devices/"+id+"/checkin", map[string]any{"install": install})
			if status != http.StatusOK && status != http.StatusConflict && status != http.StatusNotFound {
				t.Fatalf("check-in %s: %d %s", id, status, msg)
			}
			step = fmt.Sprintf("check-in %s install %s: %d", id, install, status)
		case op < 7:
			id, set := pick(devices), pick([]string{"1003", "1004"})
			_, err := a.UpdateDevice(&wstc.UpdateDeviceInput{Id: aws.String(id), DesiredSoftwareSetId: aws.String(set)})
			if err != nil {
				thinErr(t, err, "ResourceNotFoundException", http.StatusNotFound)
			}
			step = fmt.Sprintf("update device %s desired %s", id, set)
		case op < 8:
			e := envs[r.IntN(len(envs))]
			in := &wstc.UpdateEnvironmentInput{Id: aws.String(e.id), SoftwareSetUpdateMode: aws.String("USE_LATEST")}
			if r.IntN(2) == 0 {
				in.SoftwareSetUpdateMode, in.DesiredSoftwareSetId = aws.String("USE_DESIRED"), aws.String(pick([]string{"1003", "1004"}))
			}
			if _, err := a.UpdateEnvironment(in); err != nil {
				t.Fatalf("UpdateEnvironment %v: %v", in, err)
			}
			step = fmt.Sprintf("update environment %s to %s %s", e.id, aws.StringValue(in.SoftwareSetUpdateMode), aws.StringValue(in.DesiredSoftwareSetId))
		case op < 10:
			id, target := pick(devices), pick([]string{"DEREGISTERED", "ARCHIVED"})
			_, err := a.DeregisterDevice(&wstc.DeregisterDeviceInput{Id: aws.String(id), TargetDeviceStatus: aws.String(target)})
			if err != nil && !thinIsNotFound(err) {
				conflictOK(err)
			}
			step = fmt.Sprintf("deregister %s to %s: %v", id, target, err)
		case op < 11:
			id := pick(devices)
			_, err := a.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(id)})
			if err != nil && !thinIsNotFound(err) {
				conflictOK(err)
			}
			step = fmt.Sprintf("delete %s: %v", id, err)
		default:
			if r.IntN(4) == 0 {
				k := r.IntN(len(envs))
				_, err := a.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: aws.String(envs[k].id)})
				conflictOK(err)
				step = fmt.Sprintf("delete environment %s: %v", envs[k].id, err)
				if err == nil {
					envs = append(envs[:k], envs[k+1:]...)
					newEnv()
				}
				break
			}
			d := time.Duration(r.IntN(5)) * time.Second
			env.Advance(d)
			step = fmt.Sprintf("advance %v", d)
		}
		check(fmt.Sprintf("step %d (%s)", i, step))
	}
	// Expiry is evaluated when the environment is read: past 1003's
	// supportedUntil, its devices make the environment NOT_COMPLIANT.
	env.Advance(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Sub(env.Clock.Now()))
	check("in 2100")
}

func thinIsNotFound(err error) bool {
	rf, ok := err.(interface{ Code() string })
	return ok && rf.Code() == "ResourceNotFoundException"
}
