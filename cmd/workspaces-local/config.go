package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/workspaces-local/workspaces-local/internal/app"
	"github.com/workspaces-local/workspaces-local/internal/identity"
	tcsvc "github.com/workspaces-local/workspaces-local/internal/service/thinclient"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
)

// serveOptions is the parsed configuration of `workspaces-local serve`.
type serveOptions struct {
	Addr                  string
	AddrFile              string
	DataDir               string
	InMemory              bool
	DatabaseURL           string
	DefaultAccount        string
	Delays                delays
	WorkspacesQuota       int
	ImagesQuota           int
	EnvironmentsQuota     int
	PoolsQuota            int
	PoolSessionsQuota     int
	StandbyQuota          int
	PoolsClosed           bool
	StrictPoolRunningMode bool
	StrictDesktops        bool
	ManualClock           bool
	InitFile              string
	Auth                  identity.Mode
	CredentialsFile       string
	CORSOrigins           []string
	AllowedHosts          []string
	AdminToken            string
	LogLevel              slog.Level
}

// serveFlags is the one list of serve's flags. Adding a flag is one line
// here (plus its field above and its use in appConfig); its environment
// variable (WORKSPACES_LOCAL_ + the name in upper case, dashes as
// underscores), parsing, error messages and --help follow from the line.
// The value helpers (str, boolean, atLeast, oneOf, list, hostPort, ...)
// set the default into the field; a pair that cannot go together goes in
// conflicts.
func serveFlags(o *serveOptions) []*option {
	return []*option{
		{name: "addr", arg: "HOST:PORT", value: hostPort(&o.Addr, app.DefaultAddr),
			usage: "where to listen; port 0 picks a free port"},
		{name: "addr-file", arg: "PATH", value: str(&o.AddrFile, ""),
			usage: "once listening, write the endpoint URL (http://HOST:PORT) to PATH; for test harnesses using port 0"},
		{name: "data-dir", arg: "DIR", value: str(&o.DataDir, app.DefaultDataDir()),
			usage: "directory of the durable store (state.db); state persists across restarts: delete its state.db* or use --in-memory to start empty"},
		{name: "in-memory", value: boolean(&o.InMemory, false),
			usage: "keep all state in memory; nothing touches disk and every start is empty (not with --data-dir)"},
		{name: "database-url", arg: "URL", value: str(&o.DatabaseURL, ""),
			usage: "postgres://user:pass@host:port/db: keep state in that PostgreSQL database, which many replicas may share (README: Many replicas); not with --in-memory or --data-dir"},
		{name: "default-account", arg: "ID", value: accountID(&o.DefaultAccount, "000000000000"),
			usage: "account of access keys that are not 12-digit ids"},
		{name: "delays", arg: "LIST", value: delayList(&o.Delays), defText: "the README's table",
			usage: "asynchronous delays, e.g. directory.register=0s,workspace.create=5s (README lists every name; an unknown name is refused with the list); 'zero' sets all to 0"},
		{name: "workspaces-quota", arg: "N", value: atLeast(&o.WorkspacesQuota, wssvc.DefaultQuotas.Workspaces, 1),
			usage: "WorkSpaces per account and region (AWS's default for new accounts is 1)"},
		{name: "images-quota", arg: "N", value: atLeast(&o.ImagesQuota, wssvc.DefaultQuotas.Images, 1),
			usage: "images owned per account and region"},
		{name: "environments-quota", arg: "N", value: atLeast(&o.EnvironmentsQuota, tcsvc.DefaultQuotas.Environments, 1),
			usage: "Thin Client environments per account and region"},
		{name: "pools-quota", arg: "N", value: atLeast(&o.PoolsQuota, wssvc.DefaultQuotas.Pools, 1),
			usage: "WorkSpaces Pools per account and region"},
		{name: "pool-sessions-quota", arg: "N", value: atLeast(&o.PoolSessionsQuota, wssvc.DefaultQuotas.PoolSessions, 1),
			usage: "desired pool user sessions per account and region, summed over its pools"},
		{name: "standby-quota", arg: "N", value: atLeast(&o.StandbyQuota, wssvc.DefaultQuotas.Standby, 1),
			usage: "standby WorkSpaces per account and region (AWS's default is 5)"},
		{name: "pools-closed-to-new-customers", value: boolean(&o.PoolsClosed, false),
			usage: "WorkSpaces Pools: CreateWorkspacesPool answers AccessDenied to accounts that own no pool, as AWS does since 2026-07-30"},
		{name: "strict-pool-running-mode", value: boolean(&o.StrictPoolRunningMode, false),
			usage: "WorkSpaces Pools: Start/StopWorkspacesPool refuse ALWAYS_ON pools, as the API documentation says"},
		{name: "strict-desktops", value: boolean(&o.StrictDesktops, false),
			usage: "Thin Client: refuse a WorkSpaces desktopArn whose directory is not registered here"},
		{name: "manual-clock", value: boolean(&o.ManualClock, false),
			usage: "freeze the clock; advance it with POST /_local/clock {\"advance\":\"5s\"}"},
		{name: "init", arg: "FILE", value: str(&o.InitFile, ""),
			usage: "a state document (GET /_local/state, state export) to load at start when the store holds no state yet"},
		{name: "auth", arg: "MODE", value: authMode(&o.Auth),
			usage: "SigV4 checks: check (scope, region, date, shape; no secret needed), strict (also verify signatures with --credentials) or off"},
		{name: "credentials", arg: "FILE", value: str(&o.CredentialsFile, ""),
			usage: "AWS shared-credentials file of the keys --auth strict accepts (aws_access_key_id, aws_secret_access_key, optional aws_session_token, aws_account_id)"},
		{name: "cors-origins", arg: "LIST", value: list(&o.CORSOrigins, "", checkOrigin),
			usage: "comma-separated browser origins allowed to call the server, e.g. http://localhost:3000 ('*': any); other cross-site requests are refused"},
		{name: "allowed-hosts", arg: "LIST", value: list(&o.AllowedHosts, "", checkHostName),
			usage: "comma-separated Host names accepted besides IP addresses, localhost and the --addr name, e.g. a Docker service name ('*': any)"},
		{name: "admin-token", arg: "TOKEN", value: str(&o.AdminToken, ""),
			usage: "token that every /_local/ endpoint but health and the dashboard's page and assets requires as 'Authorization: Bearer TOKEN'; required when --addr is not a loopback address"},
		{name: "log-level", arg: "LEVEL", value: logLevel(&o.LogLevel, slog.LevelInfo),
			usage: "debug, info, warn or error; info logs one line per API call, warn and error quiet it, debug adds a detailed line per request"},
	}
}

// conflicts lists pairs of flags that cannot both be set (when true, for booleans).
var conflicts = [][2]string{{"in-memory", "data-dir"}, {"database-url", "in-memory"}, {"database-url", "data-dir"}}

// option is one flag and its environment variable.
type option struct {
	name  string // without dashes
	env   string // "" means WORKSPACES_LOCAL_<NAME>
	arg   string // placeholder in --help; "" for booleans
	value value
	usage string
	// defText describes the default in --help when the value's text does not.
	defText string
	from    string // after parsing: "--name" or the variable it came from, "" for the default
}

// value parses one option's text. Its errors are phrased to follow the
// flag or variable name: "must be at least 1, got -5".
type value interface {
	Set(s string) error
	String() string // the default, for --help
}

// envName is the option's environment variable.
func (o *option) envName() string {
	if o.env != "" {
		return o.env
	}
	return "WORKSPACES_LOCAL_" + strings.ToUpper(strings.ReplaceAll(o.name, "-", "_"))
}

func (o *option) isBool() bool { _, ok := o.value.(*boolValue); return ok }

// errHelp is returned for -h / --help.
var errHelp = errors.New("help requested")

// usageError is a mistake in the command line or the environment.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// parseServe reads serve's flags from args, then every flag not on the
// command line from its environment variable (lookupEnv is os.LookupEnv;
// an empty variable counts as unset). Both are parsed by the same code, so
// a variable is held to the same rules as its flag.
func parseServe(args []string, lookupEnv func(string) (string, bool)) (*serveOptions, error) {
	o := &serveOptions{}
	if _, err := parseOptions("serve", serveFlags(o), args, lookupEnv, ""); err != nil {
		return nil, err
	}
	return o, nil
}

// parseOptions parses args and then the environment into opts (see
// parseServe) for the command cmd. It returns the arguments that are not
// flags: at most one, named argName in messages, or none when argName is "".
func parseOptions(cmd string, opts []*option, args []string, lookupEnv func(string) (string, bool), argName string) ([]string, error) {
	byName := make(map[string]*option, len(opts))
	for _, op := range opts {
		byName[op.name] = op
	}
	var rest []string
	positional := func(a string) error {
		if argName == "" {
			return usageErrorf("unexpected argument %q: %s takes flags only (see workspaces-local %s --help)", a, cmd, cmd)
		}
		if len(rest) == 1 {
			return usageErrorf("unexpected argument %q: %s takes at most one %s", a, cmd, argName)
		}
		rest = append(rest, a)
		return nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			for _, r := range args[i+1:] {
				if err := positional(r); err != nil {
					return nil, err
				}
			}
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" || strings.HasPrefix(a, "---") {
			if err := positional(a); err != nil {
				return nil, err
			}
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "h" || name == "help" {
			return nil, errHelp
		}
		op := byName[name]
		if op == nil {
			return nil, usageErrorf("unknown flag --%s (see workspaces-local %s --help)", name, cmd)
		}
		if !hasVal {
			if op.isBool() {
				val = "true"
			} else if i+1 < len(args) {
				i++
				val = args[i]
			} else {
				return nil, usageErrorf("--%s needs a value (%s)", name, op.arg)
			}
		}
		if err := op.value.Set(val); err != nil {
			return nil, usageErrorf("--%s %v", name, err)
		}
		op.from = "--" + name
	}
	for _, op := range opts {
		if op.from != "" {
			continue
		}
		env := op.envName()
		v, ok := lookupEnv(env)
		if !ok || v == "" {
			continue
		}
		if err := op.value.Set(v); err != nil {
			return nil, usageErrorf("%s %v", env, err)
		}
		op.from = env
	}
	if err := checkConflicts(byName); err != nil {
		return nil, err
	}
	return rest, nil
}

// checkConflicts refuses two conflicting options given at the same level
// (both flags or both variables); a flag beats a variable.
func checkConflicts(byName map[string]*option) error {
	for _, c := range conflicts {
		a, b := byName[c[0]], byName[c[1]]
		if a == nil || b == nil || !a.given() || !b.given() {
			continue
		}
		aFlag, bFlag := strings.HasPrefix(a.from, "--"), strings.HasPrefix(b.from, "--")
		switch {
		case aFlag == bFlag:
			return usageErrorf("%s and %s cannot be used together: choose one", a.from, b.from)
		case aFlag:
			b.reset()
		default:
			a.reset()
		}
	}
	return nil
}

// given reports whether the option was set, and to true for a boolean.
func (o *option) given() bool {
	if b, ok := o.value.(*boolValue); ok {
		return o.from != "" && *b.p
	}
	return o.from != ""
}

// reset puts a conflicting option overridden by a flag back to its default.
func (o *option) reset() {
	_ = o.value.Set(o.value.String())
	o.from = ""
}

// otherVariables are WORKSPACES_LOCAL_* variables read by tools around the
// server (the Terraform scenario, test harnesses), not by serve; so are
// every WORKSPACES_LOCAL_TEST_* (test/postgres/start.sh exports three,
// internal/testenv reads WORKSPACES_LOCAL_TEST_ON_POSTGRES).
var otherVariables = map[string]bool{
	"WORKSPACES_LOCAL_TERRAFORM":  true,
	"WORKSPACES_LOCAL_TF_PLUGINS": true,
	"WORKSPACES_LOCAL_BIN":        true,
}

// unknownVariables lists the WORKSPACES_LOCAL_* variables in environ
// ("NAME=value" entries) that no flag reads: most likely misspelt.
func unknownVariables(environ []string) []string {
	known := map[string]bool{}
	for _, op := range serveFlags(&serveOptions{}) {
		known[op.envName()] = true
	}
	var unknown []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "WORKSPACES_LOCAL_") && !strings.HasPrefix(name, "WORKSPACES_LOCAL_TEST_") &&
			!known[name] && !otherVariables[name] {
			unknown = append(unknown, name)
		}
	}
	return unknown
}

// serveUsage is the text of `serve --help`, built from serveFlags.
func serveUsage() string {
	var b strings.Builder
	b.WriteString(`Usage: workspaces-local serve [flags]

Starts Amazon WorkSpaces and WorkSpaces Thin Client on one port. Each flag can
also be set by the environment variable shown; a flag on the command line wins.
Booleans accept true/false, 1/0, yes/no.

`)
	for _, op := range serveFlags(&serveOptions{}) {
		head := "  --" + op.name
		if op.arg != "" {
			head += " " + op.arg
		}
		def := op.value.String()
		if op.defText != "" {
			def = op.defText
		} else if def == "" {
			def = `""`
		}
		fmt.Fprintf(&b, "%s\n      %s\n      env %s, default %s\n", head, op.usage, op.envName(), def)
	}
	return b.String()
}

// --- value kinds ---

type stringValue struct {
	p   *string
	def string
}

func str(p *string, def string) *stringValue { *p = def; return &stringValue{p, def} }
func (v *stringValue) String() string        { return v.def }
func (v *stringValue) Set(s string) error {
	if s == "" && v.def != "" {
		return errors.New("must not be empty")
	}
	*v.p = s
	return nil
}

type boolValue struct {
	p   *bool
	def bool
}

func boolean(p *bool, def bool) *boolValue { *p = def; return &boolValue{p, def} }
func (v *boolValue) String() string        { return strconv.FormatBool(v.def) }
func (v *boolValue) Set(s string) error {
	switch strings.ToLower(s) {
	case "true", "1", "yes":
		*v.p = true
	case "false", "0", "no":
		*v.p = false
	default:
		return fmt.Errorf("must be true or false (or 1/0, yes/no), got %q", s)
	}
	return nil
}

type intValue struct {
	p        *int
	def, min int
}

func atLeast(p *int, def, min int) *intValue { *p = def; return &intValue{p, def, min} }
func (v *intValue) String() string           { return strconv.Itoa(v.def) }
func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("must be a whole number, got %q", s)
	}
	if n < v.min {
		return fmt.Errorf("must be at least %d, got %d", v.min, n)
	}
	*v.p = n
	return nil
}

// funcValue is a value parsed by a function of its own.
type funcValue struct {
	def string
	set func(string) error
}

func (v *funcValue) String() string     { return v.def }
func (v *funcValue) Set(s string) error { return v.set(s) }

func newFunc(def string, set func(string) error) *funcValue {
	if err := set(def); err != nil {
		panic("default " + def + ": " + err.Error()) // a programming error in serveFlags
	}
	return &funcValue{def, set}
}

func hostPort(p *string, def string) *funcValue {
	return newFunc(def, func(s string) error {
		_, port, err := net.SplitHostPort(s)
		if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
			return fmt.Errorf("must be HOST:PORT such as 127.0.0.1:4599 (port 0 picks a free one), got %q", s)
		}
		*p = s
		return nil
	})
}

func accountID(p *string, def string) *funcValue {
	return newFunc(def, func(s string) error {
		if len(s) != 12 || strings.Trim(s, "0123456789") != "" {
			return fmt.Errorf("must be a 12-digit account id, got %q", s)
		}
		*p = s
		return nil
	})
}

var logLevels = []string{"debug", "info", "warn", "error"}

func logLevel(p *slog.Level, def slog.Level) *funcValue {
	return newFunc(strings.ToLower(def.String()), func(s string) error {
		for _, name := range logLevels {
			if strings.EqualFold(s, name) {
				return p.UnmarshalText([]byte(name))
			}
		}
		return fmt.Errorf("must be one of %s, got %q", strings.Join(logLevels, ", "), s)
	})
}

func delayList(p *delays) *funcValue {
	return newFunc("", func(s string) error {
		d, err := parseDelays(s)
		if err != nil {
			return err
		}
		*p = d
		return nil
	})
}

// oneOf is a string that must be one of choices (compared without case;
// stored as the choice is spelt). For flags such as an --auth mode.
func oneOf(p *string, def string, choices ...string) *funcValue {
	return newFunc(def, func(s string) error {
		for _, c := range choices {
			if strings.EqualFold(s, c) {
				*p = c
				return nil
			}
		}
		return fmt.Errorf("must be one of %s, got %q", strings.Join(choices, ", "), s)
	})
}

// list is a comma-separated list; blanks around items are dropped and an
// empty item is refused, as is one check (when not nil) refuses. For flags
// such as --cors-origins or --allowed-hosts.
func list(p *[]string, def string, check func(item string) error) *funcValue {
	return newFunc(def, func(s string) error {
		if s == "" {
			*p = nil
			return nil
		}
		var items []string
		for _, it := range strings.Split(s, ",") {
			it = strings.TrimSpace(it)
			if it == "" {
				return fmt.Errorf("must be a comma-separated list without empty items, got %q", s)
			}
			if check != nil {
				if err := check(it); err != nil {
					return err
				}
			}
			items = append(items, it)
		}
		*p = items
		return nil
	})
}

// authMode is --auth: off, check or strict (identity.ParseMode).
func authMode(p *identity.Mode) *funcValue {
	return newFunc("check", func(s string) error {
		m, err := identity.ParseMode(strings.ToLower(s))
		if err != nil {
			return fmt.Errorf("must be one of off, check, strict, got %q", s)
		}
		*p = m
		return nil
	})
}

// checkOrigin accepts what a browser sends as Origin (scheme://host[:port],
// lower case, no path) or "*": any other item could never match one.
func checkOrigin(it string) error {
	if it == "*" {
		return nil
	}
	u, err := url.Parse(it)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || it != strings.ToLower(it) {
		return fmt.Errorf("must list origins as a browser sends them (http://localhost:3000: scheme and host in lower case, no path) or '*', got %q", it)
	}
	return nil
}

// checkHostName accepts a Host name without port or scheme, or "*": the
// guard compares names only, so "wsl:4599" or "http://wsl" could never match.
func checkHostName(it string) error {
	if strings.ContainsAny(it, ":/ ") {
		return fmt.Errorf("must list host names without scheme or port (e.g. wsl; IP addresses are always accepted) or '*', got %q", it)
	}
	return nil
}
