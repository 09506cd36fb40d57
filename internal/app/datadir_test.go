package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "data")
	if err := checkDataDir(dir); err != nil {
		t.Fatalf("a directory that can be created: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the write check left %v behind", entries)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := checkDataDir(filepath.Join(file, "data"))
	if err == nil || !strings.Contains(err.Error(), "data dir "+filepath.Join(file, "data")+" cannot be created (not a directory)") ||
		!strings.Contains(err.Error(), "--data-dir") || !strings.Contains(err.Error(), "--in-memory") {
		t.Fatalf("under a file: %v", err)
	}
	if os.Geteuid() == 0 {
		t.Log("root writes to read-only files and directories: the permission cases are not checked")
		return
	}
	ro := t.TempDir()
	if err := os.WriteFile(filepath.Join(ro, "state.db"), nil, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := checkDataDir(ro); err == nil || !strings.Contains(err.Error(), "state file "+filepath.Join(ro, "state.db")+" cannot be opened for writing") {
		t.Fatalf("read-only state.db: %v", err)
	}
	if err := os.Chmod(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(ro, 0o755)
	if err := checkDataDir(ro); err == nil || !strings.Contains(err.Error(), "data dir "+ro+" is not writable") {
		t.Fatalf("read-only dir: %v", err)
	}
}

func TestBannerDurableSaysHowToWipe(t *testing.T) {
	dir := t.TempDir()
	a, err := New(context.Background(), Config{Addr: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Listen(); err != nil {
		t.Fatal(err)
	}
	defer a.ln.Close()
	b := a.Banner()
	db := filepath.Join(dir, "state.db")
	for _, want := range []string{"SQLite, durable: " + db, "state persists across restarts", "rm " + db + "*", "--in-memory", a.URL() + "/_local/reset",
		"AWS_ENDPOINT_URL_WORKSPACES=" + a.URL(), "AWS_ENDPOINT_URL_WORKSPACES_THIN_CLIENT=" + a.URL()} {
		if !strings.Contains(b, want) {
			t.Errorf("banner lacks %q:\n%s", want, b)
		}
	}
}

func TestEndpointURL(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:4599": "http://127.0.0.1:4599",
		"0.0.0.0:4599":   "http://127.0.0.1:4599",
		"[::]:4599":      "http://127.0.0.1:4599",
		"[::1]:4599":     "http://[::1]:4599",
	} {
		if got := endpointURL(addr); got != want {
			t.Errorf("endpointURL(%q) = %q, want %q", addr, got, want)
		}
	}
}
