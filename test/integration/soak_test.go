package integration

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	wstc "github.com/aws/aws-sdk-go/service/workspacesthinclient"
	_ "modernc.org/sqlite"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// recordCounts reads the durable store's record count per kind.
func recordCounts(t *testing.T, db *sql.DB) map[string]int {
	t.Helper()
	rows, err := db.Query(`SELECT kind, count(*) FROM records GROUP BY kind`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	return out
}

// TestStoreFollowsLiveResources creates and deletes resources in cycles, each
// with a new activation code, device serial number and user name, and
// requires the durable store to stay flat: nothing is kept per code, serial
// or user name once its resource is gone, and client tokens only for their
// 24-hour replay window.
func TestStoreFollowsLiveResources(t *testing.T) {
	dir := t.TempDir()
	env := testenv.Start(t, testenv.WithDataDir(dir))
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "state.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tc := env.ThinClient(testenv.AccountA, testenv.Region)
	ws := env.WorkSpaces(testenv.AccountA, testenv.Region)
	wspRegister(t, env, ws, wspDir)
	// One live WorkSpace and environment throughout, as a real account has.
	wspReady(t, env, ws, wspReq("resident", "wsb-bh8rsxt14"))
	thinCreate(t, tc, &wstc.CreateEnvironmentInput{})

	cycle := func(i int) {
		e := thinCreate(t, tc, &wstc.CreateEnvironmentInput{})
		d := thinRegister(t, env, aws.StringValue(e.ActivationCode), map[string]string{"serialNumber": fmt.Sprintf("SN-%06d", i)})
		thinDeregister(t, tc, d.ID, "")
		id := wspCreate(t, ws, wspReq(fmt.Sprintf("user%06d", i), "wsb-bh8rsxt14"))
		env.Advance(3 * time.Second)
		if _, err := tc.DeleteDevice(&wstc.DeleteDeviceInput{Id: aws.String(d.ID)}); err != nil {
			t.Fatalf("DeleteDevice: %v", err)
		}
		if _, err := tc.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: e.Id}); err != nil {
			t.Fatalf("DeleteEnvironment: %v", err)
		}
		wspTerminate(t, ws, id...)
		env.Advance(5 * time.Second) // past terminate and cleanup: the next terminate sweeps it
	}
	const warm, more = 10, 40
	for i := range warm {
		cycle(i)
	}
	before := recordCounts(t, db)
	for i := warm; i < warm+more; i++ {
		cycle(i)
	}
	after := recordCounts(t, db)
	for kind, n := range after {
		if kind == "thinclient.token" || kind == "thinclient.tokenlog" {
			continue // below
		}
		if n > before[kind] {
			t.Errorf("%s grew from %d to %d records over %d create/delete cycles", kind, before[kind], n, more)
		}
	}
	t.Logf("records per kind after %d cycles: %v", warm+more, after)

	// Client tokens (the SDK sends one with every CreateEnvironment and
	// DeleteEnvironment) are kept for their 24-hour replay window, then deleted.
	envCycle := func() {
		e := thinCreate(t, tc, &wstc.CreateEnvironmentInput{})
		if _, err := tc.DeleteEnvironment(&wstc.DeleteEnvironmentInput{Id: e.Id}); err != nil {
			t.Fatalf("DeleteEnvironment: %v", err)
		}
	}
	for range 200 {
		envCycle()
	}
	env.Advance(25 * time.Hour)
	const fresh = 60
	for range fresh {
		envCycle()
	}
	final := recordCounts(t, db)
	// What may remain: this day's tokens and at most two chunks of the log (2×64) not yet expired.
	if n := final["thinclient.token"]; n > 2*fresh+2*64 {
		t.Errorf("thinclient.token: %d records a day after 400 tokens and %d new ones; expired tokens are not deleted", n, 2*fresh)
	}
	if n := final["thinclient.tokenlog"]; n > 2+(2*fresh)/64+2 {
		t.Errorf("thinclient.tokenlog: %d records", n)
	}
	t.Logf("records per kind a day later: %v", final)
}
