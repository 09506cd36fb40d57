package integration

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp/syntax"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tcapi "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	wsapi "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/gen"
	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// Every operation of the committed models is implemented: each is driven
// with a request the generated validators accept (built from the model:
// required members only, values that satisfy enums, lengths, ranges and
// patterns), and none may answer 501 NotImplementedException (or any 5xx).
// Error answers are fine: nothing exists, so most operations say not found.

// no501Overrides replaces generated member values where a generic value
// cannot satisfy the model (none are needed today; keyed "Operation.Member").
var no501Overrides = map[string]any{}

// no501Model is a botocore model as the generator reads it, plus the
// union trait the generator does not need.
type no501Model struct {
	gen.Model
	unions map[string]bool
}

func no501LoadModel(t *testing.T, path string) *no501Model {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read model: %v", err)
	}
	m := &no501Model{unions: map[string]bool{}}
	var traits struct {
		Shapes map[string]struct {
			Union bool `json:"union"`
		} `json:"shapes"`
	}
	if err := json.Unmarshal(b, &m.Model); err != nil {
		t.Fatalf("parse model %s: %v", path, err)
	}
	if err := json.Unmarshal(b, &traits); err != nil {
		t.Fatalf("parse model %s: %v", path, err)
	}
	for name, s := range traits.Shapes {
		m.unions[name] = s.Union
	}
	return m
}

// no501Value builds a value of shape name that satisfies its constraints.
func (m *no501Model) value(t *testing.T, name string, depth int) any {
	s := m.Shapes[name]
	if depth > 8 {
		t.Fatalf("shape %s nests too deep", name)
	}
	switch s.Type {
	case "structure":
		out := map[string]any{}
		req := s.Required
		if m.unions[name] && len(req) == 0 {
			keys := make([]string, 0, len(s.Members))
			for k := range s.Members {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			req = keys[:1]
		}
		for _, r := range req {
			out[r] = m.value(t, s.Members[r].Shape, depth+1)
		}
		return out
	case "list":
		n := 1
		if s.Min != nil && int(*s.Min) > n {
			n = int(*s.Min)
		}
		out := make([]any, n)
		for i := range out {
			out[i] = m.value(t, s.Member.Shape, depth+1)
		}
		return out
	case "map":
		k, _ := m.value(t, s.Key.Shape, depth+1).(string)
		return map[string]any{k: m.value(t, s.Value.Shape, depth+1)}
	case "integer", "long", "float", "double":
		n := 1.0
		if s.Min != nil && *s.Min > n {
			n = *s.Min
		}
		return n
	case "boolean":
		return true
	case "timestamp":
		return 1767322445
	case "blob":
		n := 1
		if s.Min != nil && int(*s.Min) > n {
			n = int(*s.Min)
		}
		return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{'a'}, n))
	case "string":
		return no501String(t, name, s)
	}
	t.Fatalf("shape %s has unknown type %s", name, s.Type)
	return nil
}

func no501String(t *testing.T, name string, s *gen.Shape) string {
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	lo, hi := 1, 64
	if s.Min != nil {
		lo = int(*s.Min)
	}
	if s.Max != nil {
		hi = int(*s.Max)
	}
	if s.Pattern == "" {
		return strings.Repeat("a", max(lo, 1))
	}
	re, err := syntax.Parse(s.Pattern, syntax.Perl)
	if err != nil {
		t.Fatalf("shape %s: pattern %q: %v", name, s.Pattern, err)
	}
	re = re.Simplify()
	for _, rep := range []int{1, 0, 2, 3, 5, 8, 12, 20, 32, 64, 100, 200} {
		v := no501Match(re, rep)
		if n := utf8.RuneCountInString(v); n >= lo && n <= hi {
			return v
		}
	}
	t.Fatalf("shape %s: no value of length %d–%d matches %q", name, lo, hi, s.Pattern)
	return ""
}

// no501Match writes a string the regular expression matches, repeating
// starred parts rep times.
func no501Match(re *syntax.Regexp, rep int) string {
	var b strings.Builder
	var walk func(r *syntax.Regexp)
	pick := func(ranges []rune) rune {
		for _, want := range []rune{'a', '0', 'A'} {
			for i := 0; i+1 < len(ranges); i += 2 {
				if ranges[i] <= want && want <= ranges[i+1] {
					return want
				}
			}
		}
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] > ' ' {
				return ranges[i]
			}
			if ranges[i+1] > ' ' {
				return '!'
			}
		}
		return ranges[0]
	}
	walk = func(r *syntax.Regexp) {
		switch r.Op {
		case syntax.OpLiteral:
			b.WriteString(string(r.Rune))
		case syntax.OpCharClass:
			b.WriteRune(pick(r.Rune))
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			b.WriteRune('a')
		case syntax.OpCapture:
			walk(r.Sub[0])
		case syntax.OpConcat:
			for _, s := range r.Sub {
				walk(s)
			}
		case syntax.OpAlternate:
			walk(r.Sub[0])
		case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
			n := rep
			lo, hi := 0, -1
			switch r.Op {
			case syntax.OpPlus:
				lo = 1
			case syntax.OpQuest:
				hi = 1
			case syntax.OpRepeat:
				lo, hi = r.Min, r.Max
			}
			n = max(n, lo)
			if hi >= 0 {
				n = min(n, hi)
			}
			for range n {
				walk(r.Sub[0])
			}
		}
	}
	walk(re)
	return b.String()
}

// no501Binder serves BindHTTP from a request built here.
type no501Binder struct {
	labels  map[string]string
	query   url.Values
	headers http.Header
}

func (b no501Binder) Label(n string) (string, bool) { v, ok := b.labels[n]; return v, ok }
func (b no501Binder) Query(n string) (string, bool) {
	v, ok := b.query[n]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}
func (b no501Binder) QueryAll(n string) []string { return b.query[n] }
func (b no501Binder) Header(n string) (string, bool) {
	v := b.headers.Get(n)
	return v, v != ""
}

func no501Scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return fmt.Sprint(int64(x))
	case int:
		return fmt.Sprint(x)
	case bool:
		return fmt.Sprint(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// no501Request is one operation's generated request.
type no501Request struct {
	method, path string
	query        url.Values
	headers      http.Header
	body         []byte
	labels       map[string]string
}

// build lays out the input of op: a JSON body for awsjson; URI labels,
// query string, headers and a body for REST-JSON.
func (m *no501Model) build(t *testing.T, op string) no501Request {
	o := m.Operations[op]
	r := no501Request{method: o.HTTP.Method, path: o.HTTP.RequestURI, query: url.Values{}, headers: http.Header{}, labels: map[string]string{}}
	body := map[string]any{}
	if o.Input != nil {
		in := m.value(t, o.Input.Shape, 0).(map[string]any)
		shape := m.Shapes[o.Input.Shape]
		for name, v := range in {
			if ov, ok := no501Overrides[op+"."+name]; ok {
				v = ov
			}
			mem := shape.Members[name]
			wire := name
			if mem.LocationName != "" {
				wire = mem.LocationName
			}
			switch mem.Location {
			case "uri":
				r.labels[wire] = no501Scalar(v)
			case "querystring":
				if list, ok := v.([]any); ok {
					for _, x := range list {
						r.query.Add(wire, no501Scalar(x))
					}
				} else {
					r.query.Set(wire, no501Scalar(v))
				}
			case "header":
				r.headers.Set(wire, no501Scalar(v))
			default:
				body[wire] = v
			}
		}
	}
	path, q, _ := strings.Cut(r.path, "?")
	for k, v := range r.labels {
		path = strings.ReplaceAll(path, "{"+k+"+}", v)
		path = strings.ReplaceAll(path, "{"+k+"}", url.PathEscape(v))
	}
	if q != "" {
		lit, _ := url.ParseQuery(q)
		for k, v := range lit {
			r.query[k] = append(r.query[k], v...)
		}
	}
	r.path = path
	r.body, _ = json.Marshal(body)
	return r
}

// validate decodes the request as the server will and runs the generated
// validators: a request they refuse would hide a 501.
func no501Validate(t *testing.T, op *api.Operation, r no501Request) {
	t.Helper()
	in := op.NewInput()
	if err := json.Unmarshal(r.body, in); err != nil {
		t.Fatalf("%s: generated body %s does not decode: %v", op.Name, r.body, err)
	}
	if b, ok := in.(api.HTTPBinder); ok {
		if err := b.BindHTTP(no501Binder{r.labels, r.query, r.headers}); err != nil {
			t.Fatalf("%s: generated bindings do not bind: %v", op.Name, err)
		}
	}
	var v api.Violations
	in.Validate(&v)
	if len(v.List) > 0 {
		t.Fatalf("%s: the generated request %s breaks the model: %+v (add an entry to no501Overrides)", op.Name, r.body, v.List)
	}
}

func no501Send(t *testing.T, env *testenv.Env, m *no501Model, r no501Request, op string) (int, string) {
	t.Helper()
	u := env.URL + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	req, err := http.NewRequest(r.method, u, bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range r.headers {
		req.Header[k] = v
	}
	service := m.Metadata.SigningName
	if m.Metadata.Protocol == "json" {
		req.Header.Set("X-Amz-Target", m.Metadata.TargetPrefix+"."+op)
		req.Header.Set("Content-Type", "application/x-amz-json-"+m.Metadata.JSONVersion)
		service = "workspaces"
	} else {
		req.Header.Set("Content-Type", "application/json")
	}
	sum := sha256.Sum256(r.body)
	creds := aws.Credentials{AccessKeyID: testenv.AccountA, SecretAccessKey: "secret"}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), service, testenv.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	code := resp.Header.Get("X-Amzn-ErrorType")
	if code == "" && resp.StatusCode >= 300 {
		code = string(b)
	}
	return resp.StatusCode, code
}

func TestNoOperationAnswers501(t *testing.T) {
	env := testenv.Start(t)
	for _, svc := range []struct {
		model string
		ops   []*api.Operation
	}{
		{"../../models/workspaces/2015-04-08/service-2.json", wsapi.Operations},
		{"../../models/workspaces-thin-client/2023-08-22/service-2.json", tcapi.Operations},
	} {
		m := no501LoadModel(t, svc.model)
		if len(svc.ops) != len(m.Operations) {
			t.Fatalf("%s has %d operations, the generated table %d", svc.model, len(m.Operations), len(svc.ops))
		}
		for _, op := range svc.ops {
			t.Run(op.Name, func(t *testing.T) {
				r := m.build(t, op.Name)
				no501Validate(t, op, r)
				status, code := no501Send(t, env, m, r, op.Name)
				if status == http.StatusNotImplemented || strings.Contains(code, "NotImplemented") {
					t.Fatalf("%s answers %d %s", op.Name, status, code)
				}
				if status >= 500 {
					t.Fatalf("%s answers %d %s to a valid request", op.Name, status, code)
				}
				// Answers sent before the operation runs would hide a 501.
				for _, pre := range []string{"UnknownOperationException", "SerializationException", "MissingAuthenticationToken", "IncompleteSignature", "InvalidSignature", "SignatureDoesNotMatch", "UnrecognizedClient"} {
					if strings.HasPrefix(code, pre) {
						t.Fatalf("%s answers %d %s before reaching the operation", op.Name, status, code)
					}
				}
				t.Logf("%d %s", status, code)
			})
		}
	}
	// Whatever these calls stored, every record kind is one the state
	// document carries: the export imports back whole.
	status, doc := stLocal(t, env.URL, "GET", "/_local/state", "")
	if status != 200 {
		t.Fatalf("GET /_local/state: %d %s", status, doc)
	}
	if status, body := stLocal(t, env.URL, "PUT", "/_local/state", string(doc)); status != 200 {
		t.Fatalf("PUT /_local/state of the export after every operation: %d %s", status, body)
	}
}
