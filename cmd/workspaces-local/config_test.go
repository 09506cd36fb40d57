package main

import (
	"errors"
	"github.com/workspaces-local/workspaces-local/internal/identity"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/app"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
)

func noEnv(string) (string, bool) { return "", false }

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// optionCases holds, for every serve flag, values it must accept (with a
// check of the parsed result) and values it must refuse (with a fragment of
// the message after the flag or variable name).
var optionCases = map[string]struct {
	good map[string]func(*serveOptions) bool
	bad  map[string]string
}{
	"addr": {
		good: map[string]func(*serveOptions) bool{
			"127.0.0.1:0":    func(o *serveOptions) bool { return o.Addr == "127.0.0.1:0" },
			"0.0.0.0:4599":   func(o *serveOptions) bool { return o.Addr == "0.0.0.0:4599" },
			"[::1]:20000":    func(o *serveOptions) bool { return o.Addr == "[::1]:20000" },
			"localhost:4599": func(o *serveOptions) bool { return o.Addr == "localhost:4599" },
		},
		bad: map[string]string{"4599": "must be HOST:PORT", "127.0.0.1:http": "must be HOST:PORT", "127.0.0.1:70000": "must be HOST:PORT"},
	},
	"addr-file": {
		good: map[string]func(*serveOptions) bool{"/tmp/wsl.addr": func(o *serveOptions) bool { return o.AddrFile == "/tmp/wsl.addr" }},
	},
	"data-dir": {
		good: map[string]func(*serveOptions) bool{"/tmp/wsl-data": func(o *serveOptions) bool { return o.DataDir == "/tmp/wsl-data" && !o.InMemory }},
	},
	"in-memory": {
		good: map[string]func(*serveOptions) bool{
			"true": isInMemory(true), "1": isInMemory(true), "yes": isInMemory(true), "YES": isInMemory(true), "True": isInMemory(true),
			"false": isInMemory(false), "0": isInMemory(false), "no": isInMemory(false), "No": isInMemory(false),
		},
		bad: map[string]string{"maybe": `must be true or false (or 1/0, yes/no), got "maybe"`, "on": "must be true or false", "2": "must be true or false"},
	},
	"default-account": {
		good: map[string]func(*serveOptions) bool{"123456789012": func(o *serveOptions) bool { return o.DefaultAccount == "123456789012" }},
		bad:  map[string]string{"abc": "must be a 12-digit account id", "12345678901": "must be a 12-digit account id", "1234567890123": "12-digit"},
	},
	"delays": {
		good: map[string]func(*serveOptions) bool{
			"zero":                func(o *serveOptions) bool { return o.Delays.ws == wssvc.Delays{} },
			"workspace.create=5s": func(o *serveOptions) bool { return o.Delays.ws.WorkspaceCreate == 5*time.Second },
		},
		bad: map[string]string{"workspace.launch=1s": "unknown delay", "workspace.create=-1s": "not a non-negative duration", "fast": "name=duration pairs"},
	},
	"workspaces-quota": {
		good: map[string]func(*serveOptions) bool{"1": func(o *serveOptions) bool { return o.WorkspacesQuota == 1 }, "5000": func(o *serveOptions) bool { return o.WorkspacesQuota == 5000 }},
		bad:  map[string]string{"-5": "must be at least 1, got -5", "0": "must be at least 1, got 0", "abc": `must be a whole number, got "abc"`, "1.5": "whole number"},
	},
	"images-quota": {
		good: map[string]func(*serveOptions) bool{"3": func(o *serveOptions) bool { return o.ImagesQuota == 3 }},
		bad:  map[string]string{"0": "must be at least 1, got 0", "many": "whole number"},
	},
	"environments-quota": {
		good: map[string]func(*serveOptions) bool{"2": func(o *serveOptions) bool { return o.EnvironmentsQuota == 2 }},
		bad:  map[string]string{"-1": "must be at least 1, got -1", "x": "whole number"},
	},
	"pools-quota": {
		good: map[string]func(*serveOptions) bool{"7": func(o *serveOptions) bool { return o.PoolsQuota == 7 }},
		bad:  map[string]string{"0": "must be at least 1, got 0"},
	},
	"pool-sessions-quota": {
		good: map[string]func(*serveOptions) bool{"50": func(o *serveOptions) bool { return o.PoolSessionsQuota == 50 }},
		bad:  map[string]string{"-2": "must be at least 1, got -2"},
	},
	"standby-quota": {
		good: map[string]func(*serveOptions) bool{"5": func(o *serveOptions) bool { return o.StandbyQuota == 5 }},
		bad:  map[string]string{"five": "whole number"},
	},
	"pools-closed-to-new-customers": {
		good: map[string]func(*serveOptions) bool{"yes": func(o *serveOptions) bool { return o.PoolsClosed }},
		bad:  map[string]string{"closed": "must be true or false"},
	},
	"strict-pool-running-mode": {
		good: map[string]func(*serveOptions) bool{"1": func(o *serveOptions) bool { return o.StrictPoolRunningMode }},
		bad:  map[string]string{"sure": "must be true or false"},
	},
	"strict-desktops": {
		good: map[string]func(*serveOptions) bool{"yes": func(o *serveOptions) bool { return o.StrictDesktops }, "0": func(o *serveOptions) bool { return !o.StrictDesktops }},
		bad:  map[string]string{"strict": "must be true or false"},
	},
	"manual-clock": {
		good: map[string]func(*serveOptions) bool{"1": func(o *serveOptions) bool { return o.ManualClock }, "false": func(o *serveOptions) bool { return !o.ManualClock }},
		bad:  map[string]string{"frozen": "must be true or false"},
	},
	"database-url": {
		good: map[string]func(*serveOptions) bool{"postgres://u:p@127.0.0.1:5432/db": func(o *serveOptions) bool { return o.DatabaseURL == "postgres://u:p@127.0.0.1:5432/db" }},
	},
	"init": {
		good: map[string]func(*serveOptions) bool{"world.json": func(o *serveOptions) bool { return o.InitFile == "world.json" }},
	},
	"auth": {
		good: map[string]func(*serveOptions) bool{
			"off":    func(o *serveOptions) bool { return o.Auth == identity.ModeOff },
			"Strict": func(o *serveOptions) bool { return o.Auth == identity.ModeStrict },
			"check":  func(o *serveOptions) bool { return o.Auth == identity.ModeCheck },
		},
		bad: map[string]string{"loose": `must be one of off, check, strict, got "loose"`},
	},
	"credentials": {
		good: map[string]func(*serveOptions) bool{"creds.ini": func(o *serveOptions) bool { return o.CredentialsFile == "creds.ini" }},
	},
	"cors-origins": {
		good: map[string]func(*serveOptions) bool{"http://localhost:3000, http://a.test": func(o *serveOptions) bool { return len(o.CORSOrigins) == 2 && o.CORSOrigins[1] == "http://a.test" }},
		bad: map[string]string{"http://a.test,,http://b.test": "empty", "localhost:3000": "as a browser sends them", "http://localhost:3000/": "no path",
			"http://App.test": "lower case", "ftp://a.test": "as a browser sends them"},
	},
	"allowed-hosts": {
		good: map[string]func(*serveOptions) bool{"wsl": func(o *serveOptions) bool { return len(o.AllowedHosts) == 1 && o.AllowedHosts[0] == "wsl" }},
		bad:  map[string]string{"wsl:4599": "without scheme or port", "http://wsl": "without scheme or port"},
	},
	"admin-token": {
		good: map[string]func(*serveOptions) bool{"s3cret": func(o *serveOptions) bool { return o.AdminToken == "s3cret" }},
	},
	"log-level": {
		good: map[string]func(*serveOptions) bool{
			"debug": func(o *serveOptions) bool { return o.LogLevel == slog.LevelDebug },
			"WARN":  func(o *serveOptions) bool { return o.LogLevel == slog.LevelWarn },
			"error": func(o *serveOptions) bool { return o.LogLevel == slog.LevelError },
			"info":  func(o *serveOptions) bool { return o.LogLevel == slog.LevelInfo },
		},
		bad: map[string]string{"loud": `must be one of debug, info, warn, error, got "loud"`, "warning": "must be one of"},
	},
}

func isInMemory(want bool) func(*serveOptions) bool {
	return func(o *serveOptions) bool { return o.InMemory == want }
}

func TestEveryOptionHasCases(t *testing.T) {
	for _, op := range serveFlags(&serveOptions{}) {
		c, ok := optionCases[op.name]
		if !ok || len(c.good) == 0 {
			t.Errorf("--%s has no cases in optionCases: add values it accepts and refuses", op.name)
		}
		if !op.isBool() && op.arg == "" {
			t.Errorf("--%s takes a value but has no arg placeholder for --help", op.name)
		}
	}
}

// TestOptionValues parses every case three ways: --name=value, --name value
// (booleans: only the first) and the environment variable.
func TestOptionValues(t *testing.T) {
	for _, op := range serveFlags(&serveOptions{}) {
		c := optionCases[op.name]
		env := op.envName()
		forms := func(v string) map[string]func() (*serveOptions, error) {
			f := map[string]func() (*serveOptions, error){
				"--" + op.name + "=" + v: func() (*serveOptions, error) { return parseServe([]string{"--" + op.name + "=" + v}, noEnv) },
				env + "=" + v:            func() (*serveOptions, error) { return parseServe(nil, envOf(map[string]string{env: v})) },
			}
			if !op.isBool() {
				f["-"+op.name+" "+v] = func() (*serveOptions, error) { return parseServe([]string{"-" + op.name, v}, noEnv) }
			}
			return f
		}
		for v, check := range c.good {
			for form, parse := range forms(v) {
				o, err := parse()
				if err != nil {
					t.Errorf("%s: %v", form, err)
				} else if !check(o) {
					t.Errorf("%s: parsed to %+v", form, o)
				}
			}
		}
		for v, frag := range c.bad {
			for form, parse := range forms(v) {
				_, err := parse()
				var ue *usageError
				if !errors.As(err, &ue) {
					t.Errorf("%s: error %v, want a usage error", form, err)
					continue
				}
				name := env
				if strings.HasPrefix(form, "-") {
					name = "--" + op.name
				}
				if !strings.HasPrefix(err.Error(), name+" ") || !strings.Contains(err.Error(), frag) {
					t.Errorf("%s: error %q, want it to start with %q and contain %q", form, err, name, frag)
				}
			}
		}
	}
}

func TestDefaults(t *testing.T) {
	o, err := parseServe(nil, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if o.Addr != app.DefaultAddr || o.DataDir != app.DefaultDataDir() || o.InMemory || o.DefaultAccount != "000000000000" ||
		o.LogLevel != slog.LevelInfo || o.WorkspacesQuota != wssvc.DefaultQuotas.Workspaces || o.Delays.ws != wssvc.DefaultDelays || o.ManualClock {
		t.Fatalf("defaults: %+v", o)
	}
}

func TestFlagBeatsEnvironment(t *testing.T) {
	o, err := parseServe([]string{"--workspaces-quota", "7"}, envOf(map[string]string{"WORKSPACES_LOCAL_WORKSPACES_QUOTA": "abc"}))
	if err != nil || o.WorkspacesQuota != 7 {
		t.Fatalf("got %+v, %v; a flag on the command line must win (and its variable not be parsed)", o, err)
	}
	o, err = parseServe(nil, envOf(map[string]string{"WORKSPACES_LOCAL_IN_MEMORY": ""}))
	if err != nil || o.InMemory {
		t.Fatalf("an empty variable counts as unset: %+v, %v", o, err)
	}
}

func TestCommandLineMistakes(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"extra"}, nil, `unexpected argument "extra"`},
		{[]string{"--in-memory", "now"}, nil, `unexpected argument "now"`},
		{[]string{"--", "x"}, nil, `unexpected argument "x"`},
		{[]string{"--loud"}, nil, "unknown flag --loud"},
		{[]string{"--addr"}, nil, "--addr needs a value (HOST:PORT)"},
		{[]string{"--in-memory", "--data-dir", "/tmp/x"}, nil, "--in-memory and --data-dir cannot be used together"},
		{[]string{"--data-dir=/tmp/x", "--in-memory=yes"}, nil, "--in-memory and --data-dir cannot be used together"},
		{nil, map[string]string{"WORKSPACES_LOCAL_IN_MEMORY": "1", "WORKSPACES_LOCAL_DATA_DIR": "/tmp/x"}, "WORKSPACES_LOCAL_IN_MEMORY and WORKSPACES_LOCAL_DATA_DIR cannot be used together"},
		{[]string{"--data-dir="}, nil, "--data-dir must not be empty"},
	} {
		_, err := parseServe(tc.args, envOf(tc.env))
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseServe(%q, %v) = %v, want a usage error containing %q", tc.args, tc.env, err, tc.want)
		}
	}
}

func TestConflictFlagOverridesVariable(t *testing.T) {
	o, err := parseServe([]string{"--in-memory"}, envOf(map[string]string{"WORKSPACES_LOCAL_DATA_DIR": "/tmp/x"}))
	if err != nil || !o.InMemory {
		t.Fatalf("--in-memory over WORKSPACES_LOCAL_DATA_DIR: %+v, %v", o, err)
	}
	o, err = parseServe([]string{"--data-dir", "/tmp/y"}, envOf(map[string]string{"WORKSPACES_LOCAL_IN_MEMORY": "true"}))
	if err != nil || o.InMemory || o.DataDir != "/tmp/y" {
		t.Fatalf("--data-dir over WORKSPACES_LOCAL_IN_MEMORY: %+v, %v", o, err)
	}
	o, err = parseServe([]string{"--in-memory=false", "--data-dir", "/tmp/y"}, noEnv)
	if err != nil || o.InMemory {
		t.Fatalf("--in-memory=false with --data-dir is no conflict: %+v, %v", o, err)
	}
}

func TestHelpFlags(t *testing.T) {
	for _, h := range []string{"-h", "--help", "-help"} {
		if _, err := parseServe([]string{"--in-memory", h}, noEnv); !errors.Is(err, errHelp) {
			t.Errorf("%s: %v, want errHelp", h, err)
		}
	}
	u := serveUsage()
	for _, op := range serveFlags(&serveOptions{}) {
		if !strings.Contains(u, "--"+op.name) || !strings.Contains(u, op.envName()) {
			t.Errorf("serve --help does not list --%s and %s", op.name, op.envName())
		}
	}
}

// TestReadmeListsEveryFlag keeps the README's flag table complete.
func TestReadmeListsEveryFlag(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{} // flag name → cells of its row
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "| `--"); ok {
			name, _, _ := strings.Cut(rest, "`")
			name, _, _ = strings.Cut(name, " ")
			rows[name] = strings.Split(line, " | ")
		}
	}
	for _, op := range serveFlags(&serveOptions{}) {
		row := rows[op.name]
		if len(row) < 4 || row[1] != "`"+op.envName()+"`" {
			t.Errorf("README.md's flag table lacks a row | --%s | %s | default | ...", op.name, op.envName())
			continue
		}
		// The default column says what --help says (data-dir's depends on the environment).
		want := "`" + op.value.String() + "`"
		switch {
		case op.defText != "" || op.name == "data-dir":
			continue
		case op.isBool():
			want = op.value.String()
		case op.value.String() == "":
			want = "none"
		}
		if row[2] != want {
			t.Errorf("README.md gives --%s the default %s, serve uses %s", op.name, row[2], want)
		}
	}
}

// TestValueKindsForNewFlags covers the helpers the next flags will use.
func TestValueKindsForNewFlags(t *testing.T) {
	var mode string
	v := oneOf(&mode, "off", "off", "verify", "strict")
	if mode != "off" || v.Set("STRICT") != nil || mode != "strict" {
		t.Fatalf("oneOf: %q", mode)
	}
	if err := v.Set("loose"); err == nil || err.Error() != `must be one of off, verify, strict, got "loose"` {
		t.Fatalf("oneOf bad value: %v", err)
	}
	var items []string
	l := list(&items, "", nil)
	if items != nil || l.Set(" a.example , b.example") != nil || len(items) != 2 || items[1] != "b.example" {
		t.Fatalf("list: %q", items)
	}
	if err := l.Set("a,,b"); err == nil || !strings.Contains(err.Error(), "without empty items") {
		t.Fatalf("list bad value: %v", err)
	}
}

// TestDockerInstructionsStart: the image listens on a non-loopback
// address, where the server refuses to start without an admin token, so
// every `docker run` the Dockerfile and the README show must pass one.
func TestDockerInstructionsStart(t *testing.T) {
	dockerfile, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, addr, ok := strings.Cut(string(dockerfile), "ENV WORKSPACES_LOCAL_ADDR=")
	addr, _, _ = strings.Cut(addr, " ")
	if !ok {
		t.Fatal("the Dockerfile no longer sets WORKSPACES_LOCAL_ADDR: revisit this test")
	}
	if _, err := app.New(t.Context(), app.Config{Addr: addr, InMemory: true}); err == nil {
		t.Skipf("the server starts on %s without a token: nothing to check", addr)
	}
	runs := 0
	for _, text := range []string{string(dockerfile), string(readme)} {
		for _, line := range strings.Split(text, "\n") {
			if !strings.Contains(line, "docker run ") {
				continue
			}
			runs++
			if !strings.Contains(line, "WORKSPACES_LOCAL_ADMIN_TOKEN=") && !strings.Contains(line, "--admin-token") {
				t.Errorf("this docker run fails (--addr %s needs an admin token): %s", addr, strings.TrimSpace(line))
			}
		}
	}
	if runs == 0 {
		t.Fatal("no docker run line found in the Dockerfile or README.md")
	}
}
