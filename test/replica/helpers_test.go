// Package replica runs several workspaces-local processes on one PostgreSQL
// database, as a team behind a load balancer would, and checks that they
// behave as one server. It needs WORKSPACES_LOCAL_TEST_DATABASE_URL
// (test/postgres/start.sh) and skips without it.
package replica

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/aws/aws-sdk-go/service/workspacesthinclient"

	"github.com/workspaces-local/workspaces-local/internal/store/postgres/pgtest"
	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds workspaces-local once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wsl-replica-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "workspaces-local")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/workspaces-local/workspaces-local/cmd/workspaces-local").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// replica is one running server process.
type replica struct {
	URL  string
	cmd  *exec.Cmd
	done chan struct{}
	log  *strings.Builder
	mu   *sync.Mutex
}

var listening = regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)

// start runs one replica on dbURL with port 0 and the given extra flags,
// killed when the test ends.
func start(t *testing.T, dbURL string, flags ...string) *replica {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--database-url", dbURL, "--log-level", "warn"}, flags...)
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "WORKSPACES_LOCAL_DATA_DIR="+t.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{cmd: cmd, done: make(chan struct{}), log: &strings.Builder{}, mu: &sync.Mutex{}}
	cmd.Stderr = writerFunc(func(b []byte) (int, error) { r.mu.Lock(); defer r.mu.Unlock(); return r.log.Write(b) })
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(r.done) }() //nolint:errcheck // the exit is checked through done
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck
		select {
		case <-r.done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill() //nolint:errcheck
			<-r.done
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		io.Copy(io.Discard, stdout) //nolint:errcheck
	}()
	select {
	case a := <-addr:
		r.URL = "http://" + a
	case <-r.done:
		t.Fatalf("replica exited at start: %s", r.stderr())
	case <-time.After(60 * time.Second):
		t.Fatalf("replica did not start: %s", r.stderr())
	}
	return r
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

func (r *replica) stderr() string { r.mu.Lock(); defer r.mu.Unlock(); return r.log.String() }

// alive reports whether the process still runs.
func (r *replica) alive() bool {
	select {
	case <-r.done:
		return false
	default:
		return true
	}
}

// startN starts n replicas on one fresh database and returns them with its URL.
func startN(t *testing.T, n int, flags ...string) ([]*replica, string) {
	t.Helper()
	db := pgtest.Database(t)
	rs := make([]*replica, n)
	var wg sync.WaitGroup
	for i := range rs { // at once: the schema migration must cope
		wg.Go(func() { rs[i] = start(t, db, flags...) })
	}
	wg.Wait()
	return rs, db
}

func (r *replica) ws(account string) *workspaces.Client {
	return testenv.WorkSpacesAt(r.URL, account, testenv.Region)
}

func (r *replica) tc(account string) *workspacesthinclient.WorkSpacesThinClient {
	return testenv.ThinClientAt(r.URL, account, testenv.Region)
}

// admin calls a /_local/ endpoint and decodes its JSON answer into out.
func (r *replica) admin(t *testing.T, method, path, body string, out any) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, r.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// adminGet is a GET of the admin surface that must answer 200: an error
// body decodes into an empty list and would pass a check for none.
func (r *replica) adminGet(t *testing.T, path string, out any) {
	t.Helper()
	if code := r.admin(t, "GET", path, "", out); code != 200 {
		t.Fatalf("GET %s on %s = %d", path, r.URL, code)
	}
}

var ctx = context.Background()
