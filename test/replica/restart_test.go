package replica

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go/aws/awserr"
	"github.com/aws/aws-sdk-go/service/workspacesthinclient"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/workspaces-local/workspaces-local/internal/store/postgres/pgtest"
)

// cluster is a private PostgreSQL server that a test may stop and start
// without disturbing the tests that share the CI one.
type cluster struct {
	bin, dir string
	port     int
	runAs    string // "" unless we are root
}

// pgBin finds the directory of pg_ctl and initdb.
func pgBin() string {
	if p := os.Getenv("WORKSPACES_LOCAL_TEST_PGCTL"); p != "" {
		return filepath.Dir(p)
	}
	if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl"); len(m) > 0 {
		return filepath.Dir(m[len(m)-1])
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p)
	}
	return ""
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	pgtest.URL(t) // the same gate as every PostgreSQL test
	c := &cluster{bin: pgBin()}
	if c.bin == "" {
		t.Skip("pg_ctl not found: install postgresql")
	}
	dir, err := os.MkdirTemp("", "wsl-pg-restart")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	c.dir = dir
	if os.Geteuid() == 0 { // PostgreSQL refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root and no postgres user to run PostgreSQL as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		if err := os.Chown(dir, uid, -1); err != nil {
			t.Fatal(err)
		}
		c.runAs = "postgres"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	c.run(t, "initdb", "-D", c.data(), "-U", "postgres", "--auth=trust", "--no-sync")
	c.pgctl(t, "start")
	t.Cleanup(func() { c.run(t, "pg_ctl", "-D", c.data(), "-m", "immediate", "stop") })
	return c
}

func (c *cluster) data() string { return filepath.Join(c.dir, "data") }

func (c *cluster) url() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

func (c *cluster) run(t *testing.T, prog string, args ...string) {
	t.Helper()
	if err := c.try(prog, args...); err != nil {
		t.Fatal(err)
	}
}

// try runs a PostgreSQL program (as the postgres user when we are root).
func (c *cluster) try(prog string, args ...string) error {
	name, argv := filepath.Join(c.bin, prog), args
	if c.runAs != "" {
		name, argv = "runuser", append([]string{"-u", c.runAs, "--", filepath.Join(c.bin, prog)}, args...)
	}
	if out, err := exec.Command(name, argv...).CombinedOutput(); err != nil {
		return fmt.Errorf("%s %v: %v\n%s", prog, args, err, out)
	}
	return nil
}

func (c *cluster) pgctl(t *testing.T, action string) {
	t.Helper()
	if err := c.tryPgctl(action); err != nil {
		t.Fatal(err)
	}
}

func (c *cluster) tryPgctl(action string) error {
	args := []string{"-D", c.data(), "-w", "-t", "30", "-l", filepath.Join(c.dir, "log")}
	switch action {
	case "start":
		args = append(args, "-o", fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s", c.port, c.dir), "start")
	case "stop":
		args = append(args, "-m", "fast", "stop")
	}
	return c.try("pg_ctl", args...)
}

// A replica survives its database going away: ServiceUnavailable (503) on
// JSON 1.1, InternalServerException on REST-JSON and an unreachable health
// while it is down, serving again within seconds of its return, with the
// writes made before.
func TestDatabaseRestart(t *testing.T) {
	c := newCluster(t)
	rs := []*replica{start(t, c.url()), start(t, c.url())}
	before, err := rs[0].ws(acct).CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String("before")})
	if err != nil {
		t.Fatal(err)
	}

	c.pgctl(t, "stop")
	_, err = rs[1].ws(acct).CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String("during")})
	var ae smithy.APIError
	var re *smithyhttp.ResponseError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ServiceUnavailable" || !errors.As(err, &re) || re.HTTPStatusCode() != 503 {
		t.Errorf("CreateIpGroup while the database is down = %v, want ServiceUnavailable (503)", err)
	}
	_, err = rs[0].tc(acct).ListEnvironments(&workspacesthinclient.ListEnvironmentsInput{})
	var aerr awserr.Error
	if !errors.As(err, &aerr) || aerr.Code() != "InternalServerException" {
		t.Errorf("ListEnvironments while the database is down = %v, want InternalServerException", err)
	}
	var health struct {
		Status, Store, Database string
	}
	if code := rs[0].admin(t, "GET", "/_local/health", "", &health); code != 503 || health.Store != "postgres" || health.Status != "unavailable" {
		t.Errorf("health while down = %d %+v", code, health)
	}

	c.pgctl(t, "start")
	restarted := time.Now()
	for i, r := range rs {
		for {
			_, err := r.ws(acct).CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String(fmt.Sprintf("after-%d", i))})
			if err == nil {
				break
			}
			if time.Since(restarted) > 10*time.Second {
				t.Fatalf("replica %d still failing 10s after the database came back: %v", i, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if !r.alive() {
			t.Fatalf("replica %d exited: %s", i, r.stderr())
		}
	}
	t.Logf("serving again %v after the database started", time.Since(restarted).Round(time.Millisecond))
	groups := describeAll(t, rs[1].ws(acct), 25)
	names := map[string]bool{}
	for _, g := range groups {
		names[aws.ToString(g.GroupName)] = true
	}
	if len(groups) != 3 || !names["before"] || !names["after-0"] || !names["after-1"] || names["during"] {
		t.Errorf("after the restart: %v (before was %s)", names, *before.GroupId)
	}
	if code := rs[1].admin(t, "GET", "/_local/health", "", &health); code != 200 || health.Database != "reachable" {
		t.Errorf("health after = %d %+v", code, health)
	}
	// The listeners of the shared fault rules reconnected: a rule added on
	// one replica acts on the other (at once, or once its listener is back
	// and has reloaded the rules).
	if code := rs[0].admin(t, "POST", "/_local/faults", fmt.Sprintf(injected, ""), nil); code != 201 {
		t.Fatalf("POST /_local/faults after the restart = %d", code)
	}
	for describeCode(t, rs[1]) != "InjectedException" {
		if time.Since(restarted) > 15*time.Second {
			t.Fatalf("a fault added on one replica after the restart does not act on the other: %s", rs[1].stderr())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A replica started before its database waits for it instead of exiting.
func TestReplicaWaitsForTheDatabase(t *testing.T) {
	c := newCluster(t)
	c.pgctl(t, "stop")
	started := make(chan error, 1)
	go func() {
		time.Sleep(2 * time.Second)
		started <- c.tryPgctl("start")
	}()
	r := start(t, c.url())
	if err := <-started; err != nil {
		t.Fatal(err)
	}
	if _, err := r.ws(acct).CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String("late")}); err != nil {
		t.Fatal(err)
	}
}
