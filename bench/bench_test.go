package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary serve as the bare handler process the
// harness starts (it re-executes itself with WSL_BENCH_BARE_ADDR set).
func TestMain(m *testing.M) {
	if subprocess() {
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// A short run of the whole harness, so it cannot rot: workspaces-local and
// the bare handler with 100 WorkSpaces, moto skipped, one scale size of 100,
// no micro-benchmarks; the report must name every call with a number.
func TestHarnessSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs servers")
	}
	work := t.TempDir()
	out := filepath.Join(work, "benchmarks.md")
	if err := os.WriteFile(out, []byte("old\n"+notesBegin+"\nkept by hand\n"+notesEnd+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := parseFlags([]string{"-n", "100", "-groups", "3", "-devices", "3", "-c", "2", "-slice", "100ms", "-warmup", "50ms",
		"-rounds", "2", "-sizes", "100", "-tenants", "6", "-scale-rounds", "1", "-startup-runs", "1", "-moto", "off", "-micro=false", "-idle", "0s",
		"-workdir", filepath.Join(work, "w"), "-out", out})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Log = t.Logf
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	written := string(b)
	if !strings.Contains(written, "kept by hand") || strings.Contains(written, "(Hand-written analysis goes here") {
		t.Errorf("the notes section was not kept:\n%s", written)
	}
	if strings.Contains(rep, "failed") || strings.Contains(rep, "errors)") {
		t.Errorf("a call failed:\n%s", rep)
	}
	for _, sc := range scenarios {
		line := lineWith(rep, "| "+sc.name+" |")
		if line == "" {
			t.Errorf("no row for %s", sc.name)
			continue
		}
		cols := strings.Split(line, "|")
		// | call | local req/s | p50 | p99 | moto ... | bare req/s | ...
		if local, bare := strings.TrimSpace(cols[2]), strings.TrimSpace(cols[8]); local == "n/a" || local == "0" || bare == "n/a" || bare == "0" {
			t.Errorf("%s: local %q, bare %q", sc.name, local, bare)
		}
		if moto := strings.TrimSpace(cols[5]); moto != "n/a" {
			t.Errorf("%s: moto %q, want n/a", sc.name, moto)
		}
	}
	for _, sc := range tenantCalls {
		if line := lineWith(rep, "| "+sc.name+" |"); !strings.Contains(rep, "multi-tenant "+sc.name+": crowded") || line == "" {
			t.Errorf("no multi-tenant row or target for %s", sc.name)
		}
	}
	for _, want := range []string{"N=100 req/s", "start to first served request", "idle RSS ≤ 30 MB", "Machine: ", "## Multi-tenant"} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("report:\n%s", rep)
	}
}

func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

func TestHistQuantiles(t *testing.T) {
	var h hist
	for i := 1; i <= 1000; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Microsecond}, {0.99, 990 * time.Microsecond}, {1, time.Millisecond}} {
		got := h.quantile(c.q)
		if d := float64(got-c.want) / float64(c.want); d > 0.035 || d < -0.035 {
			t.Errorf("quantile(%v) = %v, want %v ±3.5%%", c.q, got, c.want)
		}
	}
	for _, v := range []int64{0, 1, 31, 32, 33, 63, 64, 65, 1000, 1 << 40} {
		if b := bucketOf(v); valueOf(b) > v+v/30+1 || valueOf(b) < v-v/30-1 {
			t.Errorf("bucket of %d has value %d", v, valueOf(b))
		}
	}
}

func TestParseMicro(t *testing.T) {
	out := "goos: linux\npkg: github.com/workspaces-local/workspaces-local/internal/store/sqlite\nBenchmarkSQLite/Get-2   \t   35000\t     16056 ns/op\t    2895 B/op\t      65 allocs/op\nPASS\n"
	got := parseMicro([]byte(out))
	if len(got) != 1 || got[0].Pkg != "internal/store/sqlite" || got[0].Name != "SQLite/Get" || got[0].NsOp != 16056 || got[0].AllocsOp != 65 {
		t.Fatalf("parseMicro = %+v", got)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"-n": "-n", "1000,100000": "1000,100000", "": "''", "a b": "'a b'", "it's": `'it'\''s'`} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
