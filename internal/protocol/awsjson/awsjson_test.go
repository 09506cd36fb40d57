package awsjson_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/protocol/awsjson"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	prefix      = "WorkspacesService."
	requestID   = "11111111-2222-3333-4444-555555555555"
	panicText   = "secret-panic-detail-do-not-leak"
	missingID   = "wsipg-missing00"
	panickingID = "wsipg-panic000"
)

// fakeHandler implements three IP group operations; every other operation
// answers NotImplemented through the embedded Unimplemented.
type fakeHandler struct {
	workspaces.Unimplemented

	mu         sync.Mutex
	lastCreate *workspaces.CreateIpGroupInput
	lastCall   api.Call
}

func (h *fakeHandler) DescribeIpGroups(_ context.Context, c *api.Call, in *workspaces.DescribeIpGroupsInput) (*workspaces.DescribeIpGroupsOutput, error) {
	h.record(c)
	return &workspaces.DescribeIpGroupsOutput{Result: []workspaces.WorkspacesIpGroup{
		{GroupId: api.String("wsipg-12345678"), GroupName: api.String("office")},
		{GroupId: api.String("wsipg-87654321"), GroupName: api.String("home"), GroupDesc: api.String("d"), UserRules: []workspaces.IpRuleItem{{IpRule: api.String("10.0.0.0/8")}}},
	}}, nil
}

func (h *fakeHandler) CreateIpGroup(_ context.Context, c *api.Call, in *workspaces.CreateIpGroupInput) (*workspaces.CreateIpGroupOutput, error) {
	h.record(c)
	h.mu.Lock()
	h.lastCreate = in
	h.mu.Unlock()
	return &workspaces.CreateIpGroupOutput{GroupId: api.String("wsipg-abcdefgh")}, nil
}

func (h *fakeHandler) DeleteIpGroup(_ context.Context, c *api.Call, in *workspaces.DeleteIpGroupInput) (*workspaces.DeleteIpGroupOutput, error) {
	h.record(c)
	switch *in.GroupId {
	case missingID:
		return nil, &workspaces.ResourceNotFoundException{
			Message:    api.String("The IP group " + missingID + " could not be found."),
			ResourceId: api.String(missingID),
		}
	case panickingID:
		panic(panicText)
	}
	return nil, nil
}

func (h *fakeHandler) record(c *api.Call) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lastCall = *c
}

var implemented = map[string]bool{"DescribeIpGroups": true, "CreateIpGroup": true, "DeleteIpGroup": true}

func newCodec() (*awsjson.Codec, *fakeHandler) {
	h := &fakeHandler{}
	return awsjson.New(workspaces.Model, workspaces.Operations, h), h
}

func newCall(log *slog.Logger) *api.Call {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &api.Call{
		Account:     "111111111111",
		Region:      "us-east-1",
		Partition:   "aws",
		AccessKeyID: "111111111111",
		RequestID:   requestID,
		Now:         time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Log:         log,
	}
}

func serve(c *awsjson.Codec, call *api.Call, method, target string, setTarget bool, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/", strings.NewReader(body))
	if setTarget {
		r.Header.Set("X-Amz-Target", target)
	}
	r.Header.Set("Content-Type", awsjson.ContentType)
	w := httptest.NewRecorder()
	c.Serve(context.Background(), w, r, call, []byte(body))
	return w
}

func internalFailure() string {
	return `{"__type":"InternalFailure","message":"The request processing has failed because of an unknown error, exception or failure (request id ` + requestID + `)."}`
}

func TestServe(t *testing.T) {
	tests := []struct {
		name      string
		method    string
		target    string
		noTarget  bool
		body      string
		status    int
		errorType string // X-Amzn-ErrorType; "" for success
		wantBody  string
		wantOp    string
	}{
		{
			name:     "success with absent members omitted",
			target:   prefix + "DescribeIpGroups",
			body:     `{"MaxResults":10}`,
			status:   200,
			wantBody: `{"Result":[{"groupId":"wsipg-12345678","groupName":"office"},{"groupDesc":"d","groupId":"wsipg-87654321","groupName":"home","userRules":[{"ipRule":"10.0.0.0/8"}]}]}`,
			wantOp:   "DescribeIpGroups",
		},
		{
			name:     "empty body is an empty object",
			target:   prefix + "DescribeIpGroups",
			body:     ``,
			status:   200,
			wantBody: `{"Result":[{"groupId":"wsipg-12345678","groupName":"office"},{"groupDesc":"d","groupId":"wsipg-87654321","groupName":"home","userRules":[{"ipRule":"10.0.0.0/8"}]}]}`,
			wantOp:   "DescribeIpGroups",
		},
		{
			name:      "empty body is validated as an empty object",
			target:    prefix + "CreateIpGroup",
			body:      ``,
			status:    400,
			errorType: "ValidationException",
			wantBody:  `{"__type":"ValidationException","message":"1 validation error detected: Value null at 'GroupName' failed to satisfy constraint: Member must not be null"}`,
			wantOp:    "CreateIpGroup",
		},
		{
			name:     "JSON null body is an empty object",
			target:   prefix + "DeleteIpGroup",
			body:     `null`,
			status:   400,
			wantBody: `{"__type":"ValidationException","message":"1 validation error detected: Value null at 'GroupId' failed to satisfy constraint: Member must not be null"}`,
			wantOp:   "DeleteIpGroup",
			// errorType checked below
			errorType: "ValidationException",
		},
		{
			name:     "output without members is an empty object",
			target:   prefix + "DeleteIpGroup",
			body:     `{"GroupId":"wsipg-12345678"}`,
			status:   200,
			wantBody: `{}`,
			wantOp:   "DeleteIpGroup",
		},
		{
			name:     "unknown members ignored",
			target:   prefix + "CreateIpGroup",
			body:     `{"GroupName":"g","Bogus":{"x":[1,2,3]},"groupname":"ignored?"}`,
			status:   200,
			wantBody: `{"GroupId":"wsipg-abcdefgh"}`,
			wantOp:   "CreateIpGroup",
		},
		{
			name:      "malformed JSON",
			target:    prefix + "CreateIpGroup",
			body:      `{"GroupName":`,
			status:    400,
			errorType: "SerializationException",
			wantOp:    "CreateIpGroup",
		},
		{
			name:      "trailing garbage",
			target:    prefix + "CreateIpGroup",
			body:      `{"GroupName":"g"} x`,
			status:    400,
			errorType: "SerializationException",
			wantOp:    "CreateIpGroup",
		},
		{
			name:      "top-level array",
			target:    prefix + "CreateIpGroup",
			body:      `[{"GroupName":"g"}]`,
			status:    400,
			errorType: "SerializationException",
			wantBody:  `{"__type":"SerializationException","message":"The request body must be a JSON object, not a JSON array."}`,
			wantOp:    "CreateIpGroup",
		},
		{
			name:      "top-level string",
			target:    prefix + "CreateIpGroup",
			body:      `"GroupName"`,
			status:    400,
			errorType: "SerializationException",
			wantBody:  `{"__type":"SerializationException","message":"The request body must be a JSON object, not a JSON string."}`,
			wantOp:    "CreateIpGroup",
		},
		{
			name:      "wrong member type",
			target:    prefix + "CreateIpGroup",
			body:      `{"GroupName":5}`,
			status:    400,
			errorType: "SerializationException",
			wantBody:  `{"__type":"SerializationException","message":"Member 'GroupName' has the wrong type: expected a string, found a JSON number."}`,
			wantOp:    "CreateIpGroup",
		},
		{
			name:      "wrong list type",
			target:    prefix + "CreateIpGroup",
			body:      `{"GroupName":"g","Tags":{"Key":"k"}}`,
			status:    400,
			errorType: "SerializationException",
			wantBody:  `{"__type":"SerializationException","message":"Member 'Tags' has the wrong type: expected a list, found a JSON object."}`,
			wantOp:    "CreateIpGroup",
		},
		{
			name:      "wrong integer type",
			target:    prefix + "DescribeIpGroups",
			body:      `{"MaxResults":"10"}`,
			status:    400,
			errorType: "SerializationException",
			wantBody:  `{"__type":"SerializationException","message":"Member 'MaxResults' has the wrong type: expected an integer, found a JSON string."}`,
			wantOp:    "DescribeIpGroups",
		},
		{
			name:      "integer overflow",
			target:    prefix + "DescribeIpGroups",
			body:      `{"MaxResults":99999999999}`,
			status:    400,
			errorType: "SerializationException",
			wantOp:    "DescribeIpGroups",
		},
		{
			name:      "unknown target",
			target:    prefix + "DescribeNothing",
			body:      `{}`,
			status:    400,
			errorType: "UnknownOperationException",
			wantBody:  `{"__type":"UnknownOperationException","message":"Unknown operation WorkspacesService.DescribeNothing."}`,
		},
		{
			name:      "other service's prefix",
			target:    "AmazonEC2.DescribeIpGroups",
			body:      `{}`,
			status:    400,
			errorType: "UnknownOperationException",
			wantBody:  `{"__type":"UnknownOperationException","message":"Unknown operation AmazonEC2.DescribeIpGroups."}`,
		},
		{
			name:      "prefix only",
			target:    prefix,
			body:      `{}`,
			status:    400,
			errorType: "UnknownOperationException",
			wantBody:  `{"__type":"UnknownOperationException","message":"Unknown operation WorkspacesService.."}`,
		},
		{
			name:      "missing target",
			noTarget:  true,
			body:      `{}`,
			status:    400,
			errorType: "UnknownOperationException",
			wantBody:  `{"__type":"UnknownOperationException","message":"The X-Amz-Target header is missing; expected WorkspacesService.\u003cOperation\u003e."}`, // encoding/json escapes < and >
		},
		{
			name:      "GET instead of POST",
			method:    http.MethodGet,
			target:    prefix + "DescribeIpGroups",
			status:    400,
			errorType: "UnknownOperationException",
			wantBody:  `{"__type":"UnknownOperationException","message":"AWS JSON operations are called with POST /, not GET /."}`,
		},
		{
			name:      "model violation names the member",
			target:    prefix + "DeleteIpGroup",
			body:      `{"GroupId":"wsipg-1234"}`,
			status:    400,
			errorType: "ValidationException",
			wantBody:  `{"__type":"ValidationException","message":"1 validation error detected: Value 'wsipg-1234' at 'GroupId' failed to satisfy constraint: Member must satisfy regular expression pattern: wsipg-[0-9a-z]{8,63}$"}`,
			wantOp:    "DeleteIpGroup",
		},
		{
			name:      "nested model violation",
			target:    prefix + "CreateIpGroup",
			body:      `{"GroupName":"g","Tags":[{"Key":"a"},{"Value":"v"}]}`,
			status:    400,
			errorType: "ValidationException",
			wantBody:  `{"__type":"ValidationException","message":"1 validation error detected: Value null at 'Tags.2.Key' failed to satisfy constraint: Member must not be null"}`,
			wantOp:    "CreateIpGroup",
		},
		{
			name:      "range violation",
			target:    prefix + "DescribeIpGroups",
			body:      `{"MaxResults":26}`,
			status:    400,
			errorType: "ValidationException",
			wantBody:  `{"__type":"ValidationException","message":"1 validation error detected: Value '26' at 'MaxResults' failed to satisfy constraint: Member must have value less than or equal to 25"}`,
			wantOp:    "DescribeIpGroups",
		},
		{
			name:      "modelled error with members",
			target:    prefix + "DeleteIpGroup",
			body:      `{"GroupId":"` + missingID + `"}`,
			status:    400,
			errorType: "ResourceNotFoundException",
			wantBody:  `{"__type":"ResourceNotFoundException","ResourceId":"` + missingID + `","message":"The IP group ` + missingID + ` could not be found."}`,
			wantOp:    "DeleteIpGroup",
		},
		{
			name:      "handler panic",
			target:    prefix + "DeleteIpGroup",
			body:      `{"GroupId":"` + panickingID + `"}`,
			status:    500,
			errorType: "InternalFailure",
			wantBody:  internalFailure(),
			wantOp:    "DeleteIpGroup",
		},
		{
			name:      "unimplemented operation",
			target:    prefix + "DescribeTags",
			body:      `{"ResourceId":"wsipg-12345678"}`,
			status:    501,
			errorType: "NotImplementedException",
			wantBody:  `{"__type":"NotImplementedException","message":"workspaces-local does not implement DescribeTags yet."}`,
			wantOp:    "DescribeTags",
		},
		{
			name:      "unimplemented operation still validates first",
			target:    prefix + "DescribeTags",
			body:      `{}`,
			status:    400,
			errorType: "ValidationException",
			wantBody:  `{"__type":"ValidationException","message":"1 validation error detected: Value null at 'ResourceId' failed to satisfy constraint: Member must not be null"}`,
			wantOp:    "DescribeTags",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newCodec()
			call := newCall(nil)
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			w := serve(c, call, method, tt.target, !tt.noTarget, tt.body)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.status, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/x-amz-json-1.1" {
				t.Errorf("Content-Type = %q", ct)
			}
			if cl := w.Header().Get("Content-Length"); cl != strconv.Itoa(w.Body.Len()) {
				t.Errorf("Content-Length = %q, body has %d bytes", cl, w.Body.Len())
			}
			if got := w.Header().Get("X-Amzn-ErrorType"); got != tt.errorType {
				t.Errorf("X-Amzn-ErrorType = %q, want %q", got, tt.errorType)
			}
			if !json.Valid(w.Body.Bytes()) {
				t.Fatalf("body is not JSON: %s", w.Body)
			}
			if tt.wantBody != "" && w.Body.String() != tt.wantBody {
				t.Errorf("body =\n  %s\nwant\n  %s", w.Body, tt.wantBody)
			}
			if tt.errorType != "" {
				var e struct {
					Type    string `json:"__type"`
					Message string `json:"message"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
					t.Fatal(err)
				}
				if e.Type != tt.errorType || e.Message == "" {
					t.Errorf("__type = %q, message = %q", e.Type, e.Message)
				}
			}
			if strings.Contains(w.Body.String(), panicText) {
				t.Errorf("panic text leaked: %s", w.Body)
			}
			if call.Operation != tt.wantOp {
				t.Errorf("call.Operation = %q, want %q", call.Operation, tt.wantOp)
			}
		})
	}
}

func TestSerializationErrorNamesPosition(t *testing.T) {
	c, _ := newCodec()
	w := serve(c, newCall(nil), http.MethodPost, prefix+"CreateIpGroup", true, `{"GroupName":}`)
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatal(err)
	}
	if e.Type != "SerializationException" || !strings.HasPrefix(e.Message, "The request body is not valid JSON: ") || !strings.Contains(e.Message, "(at byte 14)") {
		t.Fatalf("got %+v", e)
	}
}

func TestDecodedInputReachesHandler(t *testing.T) {
	c, h := newCodec()
	call := newCall(nil)
	w := serve(c, call, http.MethodPost, prefix+"CreateIpGroup", true,
		`{"GroupName":"g","GroupDesc":"d","UserRules":[{"ipRule":"10.0.0.0/8","ruleDesc":"lan"}],"Tags":[{"Key":"k","Value":"v"}],"Unknown":1}`)
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	want := workspaces.CreateIpGroupInput{
		GroupName: api.String("g"),
		GroupDesc: api.String("d"),
		UserRules: []workspaces.IpRuleItem{{IpRule: api.String("10.0.0.0/8"), RuleDesc: api.String("lan")}},
		Tags:      []workspaces.Tag{{Key: api.String("k"), Value: api.String("v")}},
	}
	got, _ := json.Marshal(h.lastCreate)
	exp, _ := json.Marshal(want)
	if !bytes.Equal(got, exp) {
		t.Fatalf("handler got %s, want %s", got, exp)
	}
	if h.lastCall.RequestID != requestID || h.lastCall.Account != "111111111111" || h.lastCall.Operation != "CreateIpGroup" {
		t.Fatalf("handler call = %+v", h.lastCall)
	}
}

func TestPanicIsLoggedWithRequestID(t *testing.T) {
	var logs bytes.Buffer
	c, _ := newCodec()
	w := serve(c, newCall(slog.New(slog.NewJSONHandler(&logs, nil))), http.MethodPost, prefix+"DeleteIpGroup", true, `{"GroupId":"`+panickingID+`"}`)
	if w.Code != 500 || w.Body.String() != internalFailure() {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	var rec map[string]any
	if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
		t.Fatalf("log is not one JSON record: %v\n%s", err, logs.String())
	}
	if rec["level"] != "ERROR" || rec["msg"] != "handler panic" || rec["request_id"] != requestID || rec["panic"] != panicText {
		t.Fatalf("log record = %v", rec)
	}
	if s, _ := rec["stack"].(string); !strings.Contains(s, "DeleteIpGroup") {
		t.Errorf("stack does not name the handler: %q", s)
	}
}

func TestOperationAndOwns(t *testing.T) {
	c, _ := newCodec()
	tests := []struct {
		target string
		op     string
		owns   bool
	}{
		{prefix + "DescribeIpGroups", "DescribeIpGroups", true},
		{prefix + "Nope", "", true},
		{"AmazonEC2.DescribeIpGroups", "", false},
		{"DescribeIpGroups", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			r.Header.Set("X-Amz-Target", tt.target)
			if got := c.Operation(r); got != tt.op {
				t.Errorf("Operation = %q, want %q", got, tt.op)
			}
			if got := c.Owns(tt.target); got != tt.owns {
				t.Errorf("Owns = %v, want %v", got, tt.owns)
			}
		})
	}
}

func TestWriteErrorWithoutCall(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		body   string
	}{
		{"common error", api.MissingAuthenticationToken("no token"), 403, `{"__type":"MissingAuthenticationTokenException","message":"no token"}`},
		{"plain error", io.ErrUnexpectedEOF, 500, `{"__type":"InternalFailure","message":"The request processing has failed because of an unknown error, exception or failure (request id )."}`},
		{"modelled error without members", &workspaces.InvalidParameterValuesException{}, 400, `{"__type":"InvalidParameterValuesException"}`},
		{"database unavailable", fmt.Errorf("get: %w: connection refused", store.ErrUnavailable), 503, `{"__type":"ServiceUnavailable","message":"The service is unavailable: its database cannot be reached. Retry the request shortly."}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			awsjson.WriteError(w, nil, tt.err)
			if w.Code != tt.status || w.Body.String() != tt.body {
				t.Fatalf("got %d %s, want %d %s", w.Code, w.Body, tt.status, tt.body)
			}
		})
	}
}

func FuzzServe(f *testing.F) {
	seeds := []struct {
		method, target, body string
	}{
		{"POST", prefix + "DescribeIpGroups", `{"MaxResults":10}`},
		{"POST", prefix + "DescribeIpGroups", ``},
		{"POST", prefix + "CreateIpGroup", `{"GroupName":"g","Tags":[{"Key":"k"}]}`},
		{"POST", prefix + "CreateIpGroup", `{"GroupName":5}`},
		{"POST", prefix + "CreateIpGroup", `[1,2]`},
		{"POST", prefix + "CreateIpGroup", `{"GroupName":`},
		{"POST", prefix + "DeleteIpGroup", `{"GroupId":"` + missingID + `"}`},
		{"POST", prefix + "DeleteIpGroup", `{"GroupId":"` + panickingID + `"}`},
		{"POST", prefix + "DescribeTags", `{"ResourceId":"x"}`},
		{"POST", prefix + "DescribeWorkspaceDirectories", `{"DirectoryIds":["d-1234abcd"],"Limit":26}`},
		{"POST", prefix + "ModifyWorkspaceCreationProperties", `{"ResourceId":"d-1234abcd","WorkspaceCreationProperties":{"EnableInternetAccess":"yes"}}`},
		{"POST", "", `{}`},
		{"POST", "Nope.Nope", `{}`},
		{"GET", prefix + "DescribeIpGroups", ``},
		{"POST", prefix + "DescribeWorkspaceSnapshots", `{"WorkspaceId":"ws-12345678"}`},
		{"POST", prefix + "DescribeAccountModifications", `{"NextToken":"\u0000"}`},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, []byte(s.body))
	}
	c, _ := newCodec()
	f.Fuzz(func(t *testing.T, method, target string, body []byte) {
		if method != http.MethodGet {
			method = http.MethodPost
		}
		r, err := http.NewRequest(method, "http://localhost/", bytes.NewReader(body))
		if err != nil {
			t.Skip()
		}
		r.Header["X-Amz-Target"] = []string{target}
		w := httptest.NewRecorder()
		call := newCall(nil)
		c.Serve(context.Background(), w, r, call, body)

		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("body is not JSON: %q", w.Body)
		}
		if ct := w.Header().Get("Content-Type"); ct != awsjson.ContentType {
			t.Fatalf("Content-Type = %q", ct)
		}
		code := w.Header().Get("X-Amzn-ErrorType")
		if w.Code != 200 {
			var e struct {
				Type string `json:"__type"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Type != code || code == "" {
				t.Fatalf("status %d: __type %q, X-Amzn-ErrorType %q, body %s", w.Code, e.Type, code, w.Body)
			}
		}
		op, _ := strings.CutPrefix(target, prefix)
		switch {
		case w.Code < 500:
		case w.Code == 500 && code == "InternalFailure" && method == http.MethodPost && target == prefix+"DeleteIpGroup":
			// The deliberately panicking input.
		case w.Code == 501 && code == "NotImplementedException" && !implemented[op] && call.Operation == op:
			// An operation the fake handler does not implement.
		default:
			t.Fatalf("status %d (%s) for %s %q body %q: %s", w.Code, code, method, target, body, w.Body)
		}
		if strings.Contains(w.Body.String(), panicText) {
			t.Fatalf("panic text leaked: %s", w.Body)
		}
	})
}
