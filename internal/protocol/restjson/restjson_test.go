package restjson_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/protocol/restjson"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

const (
	requestID   = "rid-0001"
	panicText   = "secret-panic-detail-do-not-leak"
	envArn      = "arn:aws:thinclient:us-east-1:111111111111:environment/abc123def"
	envArnLabel = "arn%3Aaws%3Athinclient%3Aus-east-1%3A111111111111%3Aenvironment%2Fabc123def"
	deviceID    = "abcdefghijklmnopqrstuvwx"
)

// fakeHandler implements five operations; the others answer NotImplemented.
type fakeHandler struct {
	thinclient.Unimplemented
	// panicID is the software set id whose GetSoftwareSet panics ("" never).
	panicID string

	mu        sync.Mutex
	lastList  *thinclient.ListSoftwareSetsInput
	lastUntag *thinclient.UntagResourceInput
	lastDel   *thinclient.DeleteDeviceInput
}

func (h *fakeHandler) GetSoftwareSet(_ context.Context, _ *api.Call, in *thinclient.GetSoftwareSetInput) (*thinclient.GetSoftwareSetOutput, error) {
	switch id := *in.Id; {
	case id == "404":
		return nil, &thinclient.ResourceNotFoundException{Message: api.String("Software set 404 not found."), ResourceId: api.String(id), ResourceType: api.String("softwareSet")}
	case id == "429":
		return nil, &thinclient.ThrottlingException{Message: api.String("Slow down."), RetryAfterSeconds: api.Int32(7), ServiceCode: api.String("thinclient")}
	case h.panicID != "" && id == h.panicID:
		panic(panicText)
	}
	return &thinclient.GetSoftwareSetOutput{SoftwareSet: &thinclient.SoftwareSet{
		Id:         in.Id,
		Version:    api.String("1.0"),
		ReleasedAt: api.NewTimestamp(time.UnixMilli(1662526214744)),
	}}, nil
}

func (h *fakeHandler) ListSoftwareSets(_ context.Context, _ *api.Call, in *thinclient.ListSoftwareSetsInput) (*thinclient.ListSoftwareSetsOutput, error) {
	h.mu.Lock()
	h.lastList = in
	h.mu.Unlock()
	return &thinclient.ListSoftwareSetsOutput{SoftwareSets: []thinclient.SoftwareSetSummary{{Id: api.String("1")}}}, nil
}

func (h *fakeHandler) ListTagsForResource(_ context.Context, _ *api.Call, in *thinclient.ListTagsForResourceInput) (*thinclient.ListTagsForResourceOutput, error) {
	return &thinclient.ListTagsForResourceOutput{Tags: map[string]string{"arn": *in.ResourceArn}}, nil
}

func (h *fakeHandler) UntagResource(_ context.Context, _ *api.Call, in *thinclient.UntagResourceInput) (*thinclient.UntagResourceOutput, error) {
	h.mu.Lock()
	h.lastUntag = in
	h.mu.Unlock()
	return &thinclient.UntagResourceOutput{}, nil
}

func (h *fakeHandler) DeleteDevice(_ context.Context, _ *api.Call, in *thinclient.DeleteDeviceInput) (*thinclient.DeleteDeviceOutput, error) {
	h.mu.Lock()
	h.lastDel = in
	h.mu.Unlock()
	return nil, nil
}

var implemented = map[string]bool{"GetSoftwareSet": true, "ListSoftwareSets": true, "ListTagsForResource": true, "UntagResource": true, "DeleteDevice": true}

func newCall() *api.Call {
	return &api.Call{
		Account:   "111111111111",
		Region:    "us-east-1",
		Partition: "aws",
		RequestID: requestID,
		Now:       time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Log:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func serve(c *restjson.Codec, call *api.Call, method, target, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	w := httptest.NewRecorder()
	c.Serve(context.Background(), w, r, call, []byte(body))
	return w
}

func ve(reason, msg string, fields ...string) string {
	b := `{"message":` + jsonString(msg) + `,"reason":"` + reason + `"`
	if len(fields) > 0 {
		b += `,"fieldList":[`
		for i := 0; i < len(fields); i += 2 {
			if i > 0 {
				b += ","
			}
			b += `{"name":` + jsonString(fields[i]) + `,"message":` + jsonString(fields[i+1]) + `}`
		}
		b += `]`
	}
	return b + `}`
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestServe(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		target     string
		body       string
		status     int
		errorType  string
		wantBody   string // exact; "" means empty
		anyBody    bool   // skip exact body check (checked elsewhere)
		header     map[string]string
		wantOp     string
		reasonOnly string // for anyBody error cases: required reason
	}{
		{
			name:     "label binding",
			method:   "GET",
			target:   "/softwaresets/1004",
			status:   200,
			wantBody: `{"softwareSet":{"id":"1004","releasedAt":1662526214.744,"version":"1.0"}}`,
			header:   map[string]string{"Content-Type": "application/json"},
			wantOp:   "GetSoftwareSet",
		},
		{
			name:     "percent-encoded ARN label is one label",
			method:   "GET",
			target:   "/tags/" + envArnLabel,
			status:   200,
			wantBody: `{"tags":{"arn":"` + envArn + `"}}`,
			wantOp:   "ListTagsForResource",
		},
		{
			name:     "lower-case percent encoding",
			method:   "GET",
			target:   "/tags/" + strings.ToLower(envArnLabel[:3]) + strings.ReplaceAll(strings.ReplaceAll(envArnLabel[3:], "%3A", "%3a"), "%2F", "%2f"),
			status:   200,
			wantBody: `{"tags":{"arn":"` + envArn + `"}}`,
			wantOp:   "ListTagsForResource",
		},
		{
			name:     "delete with no output body is 204 and empty",
			method:   "DELETE",
			target:   "/devices/" + deviceID + "?clientToken=tok",
			status:   204,
			wantBody: "",
			header:   map[string]string{"Content-Length": "0", "Content-Type": ""},
			wantOp:   "DeleteDevice",
		},
		{
			name:     "untag with no output body is modelled 200 and empty",
			method:   "DELETE",
			target:   "/tags/" + envArnLabel + "?tagKeys=a&tagKeys=b%20c",
			status:   200,
			wantBody: "",
			header:   map[string]string{"Content-Length": "0"},
			wantOp:   "UntagResource",
		},
		{
			name:      "untag without tagKeys",
			method:    "DELETE",
			target:    "/tags/" + envArnLabel,
			status:    400,
			errorType: "ValidationException",
			wantBody:  ve("fieldValidationFailed", "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null", "tagKeys", "Member must not be null"),
			wantOp:    "UntagResource",
		},
		{
			name:     "list with query members",
			method:   "GET",
			target:   "/softwaresets?maxResults=50&nextToken=tok",
			status:   200,
			wantBody: `{"softwareSets":[{"id":"1"}]}`,
			wantOp:   "ListSoftwareSets",
		},
		{
			name:      "maxResults not an integer",
			method:    "GET",
			target:    "/softwaresets?maxResults=abc",
			status:    400,
			errorType: "ValidationException",
			wantBody:  ve("cannotParse", "Value 'abc' at 'maxResults' could not be parsed as an integer."),
			wantOp:    "ListSoftwareSets",
		},
		{
			name:      "maxResults out of range",
			method:    "GET",
			target:    "/softwaresets?maxResults=51",
			status:    400,
			errorType: "ValidationException",
			wantBody:  ve("fieldValidationFailed", "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50", "maxResults", "Member must have value less than or equal to 50"),
			wantOp:    "ListSoftwareSets",
		},
		{
			name:      "query not percent-encoded correctly",
			method:    "GET",
			target:    "/softwaresets?maxResults=%zz",
			status:    400,
			errorType: "ValidationException",
			wantBody:  ve("cannotParse", "The query string is not correctly percent-encoded."),
			wantOp:    "ListSoftwareSets",
		},
		{
			name:      "unknown path",
			method:    "GET",
			target:    "/nothing/here",
			status:    400,
			errorType: "ValidationException",
			wantBody:  ve("unknownOperation", "No operation matches GET /nothing/here."),
		},
		{
			name:      "wrong method",
			method:    "PUT",
			target:    "/softwaresets/1004",
			status:    400,
			errorType: "ValidationException",
			wantBody:  ve("unknownOperation", "No operation matches PUT /softwaresets/1004."),
		},
		{
			name:      "trailing slash",
			method:    "GET",
			target:    "/softwaresets/1004/",
			status:    400,
			errorType: "ValidationException",
			wantBody:  ve("unknownOperation", "No operation matches GET /softwaresets/1004/."),
		},
		{
			name:      "empty label names the label and is not a List",
			method:    "GET",
			target:    "/softwaresets/",
			status:    400,
			errorType: "ValidationException",
			wantBody:  ve("fieldValidationFailed", "1 validation error detected: Value '' at 'id' failed to satisfy constraint: Member must not be empty", "id", "Member must not be empty"),
			wantOp:    "GetSoftwareSet",
		},
		{
			name:      "label failing its pattern",
			method:    "GET",
			target:    "/softwaresets/abc",
			status:    400,
			errorType: "ValidationException",
			wantBody:  ve("fieldValidationFailed", "1 validation error detected: Value 'abc' at 'id' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]{1,9}", "id", "Member must satisfy regular expression pattern: [0-9]{1,9}"),
			wantOp:    "GetSoftwareSet",
		},
		{
			name:       "malformed body on PATCH",
			method:     "PATCH",
			target:     "/softwaresets/1004",
			body:       `{"validationStatus":`,
			status:     400,
			errorType:  "ValidationException",
			anyBody:    true,
			reasonOnly: "cannotParse",
			wantOp:     "UpdateSoftwareSet",
		},
		{
			name:     "body of an operation without body members is ignored",
			method:   "GET",
			target:   "/softwaresets/1004",
			body:     `{"id":`,
			status:   200,
			wantBody: `{"softwareSet":{"id":"1004","releasedAt":1662526214.744,"version":"1.0"}}`,
			wantOp:   "GetSoftwareSet",
		},
		{
			name:     "body cannot override a label",
			method:   "DELETE",
			target:   "/devices/" + deviceID,
			body:     `{"id":"zzzzzzzzzzzzzzzzzzzzzzzz","clientToken":""}`,
			status:   204,
			wantBody: "",
			wantOp:   "DeleteDevice",
		},
		{
			name:      "wrong member type on PATCH",
			method:    "PATCH",
			target:    "/softwaresets/1004",
			body:      `{"validationStatus":1}`,
			status:    400,
			errorType: "ValidationException",
			wantBody:  ve("cannotParse", "Member 'validationStatus' has the wrong type: expected a structure or value of another type, found a JSON number."),
			wantOp:    "UpdateSoftwareSet",
		},
		{
			name:      "body array on PATCH",
			method:    "PATCH",
			target:    "/softwaresets/1004",
			body:      `[]`,
			status:    400,
			errorType: "ValidationException",
			wantBody:  ve("cannotParse", "The request body must be a JSON object, not a JSON array."),
			wantOp:    "UpdateSoftwareSet",
		},
		{
			name:      "modelled error with members",
			method:    "GET",
			target:    "/softwaresets/404",
			status:    404,
			errorType: "ResourceNotFoundException",
			wantBody:  `{"message":"Software set 404 not found.","resourceId":"404","resourceType":"softwareSet"}`,
			header:    map[string]string{"Content-Type": "application/json"},
			wantOp:    "GetSoftwareSet",
		},
		{
			name:      "throttling sets Retry-After",
			method:    "GET",
			target:    "/softwaresets/429",
			status:    429,
			errorType: "ThrottlingException",
			wantBody:  `{"message":"Slow down.","serviceCode":"thinclient"}`,
			header:    map[string]string{"Retry-After": "7"},
			wantOp:    "GetSoftwareSet",
		},
		{
			name:      "handler panic",
			method:    "GET",
			target:    "/softwaresets/666",
			status:    500,
			errorType: "InternalServerException",
			wantBody:  `{"message":"The request processing has failed because of an unknown error, exception or failure (request id ` + requestID + `)."}`,
			wantOp:    "GetSoftwareSet",
		},
		{
			name:      "unimplemented operation",
			method:    "GET",
			target:    "/environments",
			status:    501,
			errorType: "NotImplementedException",
			wantBody:  `{"message":"workspaces-local does not implement ListEnvironments yet."}`,
			wantOp:    "ListEnvironments",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &fakeHandler{panicID: "666"}
			c := restjson.New(thinclient.Operations, h)
			call := newCall()
			w := serve(c, call, tt.method, tt.target, tt.body)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.status, w.Body)
			}
			if got := w.Header().Get("X-Amzn-ErrorType"); got != tt.errorType {
				t.Errorf("X-Amzn-ErrorType = %q, want %q", got, tt.errorType)
			}
			if !tt.anyBody && w.Body.String() != tt.wantBody {
				t.Errorf("body =\n  %s\nwant\n  %s", w.Body, tt.wantBody)
			}
			if w.Body.Len() > 0 && !json.Valid(w.Body.Bytes()) {
				t.Errorf("body is not JSON: %s", w.Body)
			}
			if tt.reasonOnly != "" {
				var e struct {
					Message string `json:"message"`
					Reason  string `json:"reason"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Reason != tt.reasonOnly || e.Message == "" {
					t.Errorf("body %s: want reason %q and a message", w.Body, tt.reasonOnly)
				}
			}
			for k, v := range tt.header {
				if got := w.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
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

func TestBindingReachesHandler(t *testing.T) {
	h := &fakeHandler{}
	c := restjson.New(thinclient.Operations, h)

	t.Run("repeated query keys with escapes", func(t *testing.T) {
		w := serve(c, newCall(), "DELETE", "/tags/"+envArnLabel+"?tagKeys=a&tagKeys=b%20c&tagKeys=d%26e", "")
		if w.Code != 200 {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		if got := api.ToString(h.lastUntag.ResourceArn); got != envArn {
			t.Errorf("resourceArn = %q, want %q", got, envArn)
		}
		if want := []string{"a", "b c", "d&e"}; !reflect.DeepEqual(h.lastUntag.TagKeys, want) {
			t.Errorf("tagKeys = %q, want %q", h.lastUntag.TagKeys, want)
		}
	})
	t.Run("query members", func(t *testing.T) {
		w := serve(c, newCall(), "GET", "/softwaresets?maxResults=7&nextToken=a%2Bb", "")
		if w.Code != 200 {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		if got := api.ToInt32(h.lastList.MaxResults, -1); got != 7 {
			t.Errorf("maxResults = %d, want 7", got)
		}
		if got := api.ToString(h.lastList.NextToken); got != "a+b" {
			t.Errorf("nextToken = %q, want a+b", got)
		}
	})
	t.Run("absent query members stay nil", func(t *testing.T) {
		w := serve(c, newCall(), "GET", "/softwaresets", "")
		if w.Code != 200 {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		if h.lastList.MaxResults != nil || h.lastList.NextToken != nil {
			t.Errorf("got maxResults %v nextToken %v, want nil", h.lastList.MaxResults, h.lastList.NextToken)
		}
	})
	t.Run("label and query on DELETE", func(t *testing.T) {
		w := serve(c, newCall(), "DELETE", "/devices/"+deviceID+"?clientToken=tok-1", "")
		if w.Code != 204 || w.Body.Len() != 0 {
			t.Fatalf("got %d %q", w.Code, w.Body)
		}
		if api.ToString(h.lastDel.Id) != deviceID || api.ToString(h.lastDel.ClientToken) != "tok-1" {
			t.Errorf("got id %q clientToken %q", api.ToString(h.lastDel.Id), api.ToString(h.lastDel.ClientToken))
		}
	})
}

func TestOwns(t *testing.T) {
	c := restjson.New(thinclient.Operations, &fakeHandler{})
	tests := []struct {
		method, target string
		want           bool
	}{
		{"GET", "/softwaresets/1004", true},
		{"PUT", "/softwaresets/1004", true},
		{"GET", "/softwaresets", true},
		{"GET", "/tags/" + envArnLabel, true},
		{"GET", "/environments/abc/def", false},
		{"POST", "/", false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			if got := c.Owns(httptest.NewRequest(tt.method, tt.target, nil)); got != tt.want {
				t.Fatalf("Owns = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWriteErrorWithoutCall(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		code   string
		body   string
	}{
		{"forbidden common error keeps its code", api.MissingAuthenticationToken("no token"), 403, "MissingAuthenticationTokenException", `{"message":"no token"}`},
		{"incomplete signature", api.IncompleteSignature("bad"), 400, "IncompleteSignatureException", `{"message":"bad"}`},
		// A common error with a Reason and a 4xx status becomes a REST
		// ValidationException (CommonError.Reason), the 413 included.
		{"too large is a 413 ValidationException cannotParse", api.RequestTooLarge(5), 413, "ValidationException", `{"message":"Request body exceeds the maximum size of 5 bytes.","reason":"cannotParse"}`},
		{"unknown operation maps to ValidationException", api.UnknownOperation("x"), 400, "ValidationException", `{"message":"x","reason":"unknownOperation"}`},
		{"not implemented keeps its code", api.NotImplemented("Op"), 501, "NotImplementedException", `{"message":"workspaces-local does not implement Op yet."}`},
		{"plain error", io.ErrUnexpectedEOF, 500, "InternalServerException", `{"message":"The request processing has failed because of an unknown error, exception or failure (request id )."}`},
		{"modelled validation exception", &thinclient.ValidationException{Message: api.String("m"), Reason: "other"}, 400, "ValidationException", `{"message":"m","reason":"other"}`},
		{"internal server exception with Retry-After", &thinclient.InternalServerException{Message: api.String("m"), RetryAfterSeconds: api.Int32(3)}, 500, "InternalServerException", `{"message":"m"}`},
		{"database unavailable is the retryable InternalServerException", fmt.Errorf("%w: reset", store.ErrUnavailable), 500, "InternalServerException", `{"message":"The service is unavailable: its database cannot be reached. Retry the request shortly."}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			restjson.WriteError(w, nil, tt.err)
			if w.Code != tt.status || w.Body.String() != tt.body || w.Header().Get("X-Amzn-ErrorType") != tt.code {
				t.Fatalf("got %d %s %s, want %d %s %s", w.Code, w.Header().Get("X-Amzn-ErrorType"), w.Body, tt.status, tt.code, tt.body)
			}
		})
	}
}

func FuzzServe(f *testing.F) {
	seeds := []struct{ method, target, body string }{
		{"GET", "/softwaresets/1004", ""},
		{"GET", "/softwaresets/", ""},
		{"GET", "/softwaresets?maxResults=abc", ""},
		{"GET", "/softwaresets?maxResults=51&nextToken=%20", ""},
		{"GET", "/tags/" + envArnLabel, ""},
		{"DELETE", "/tags/" + envArnLabel + "?tagKeys=a&tagKeys=b%20c", ""},
		{"DELETE", "/devices/" + deviceID, ""},
		{"PATCH", "/softwaresets/1", `{"validationStatus":"VALIDATED"}`},
		{"PATCH", "/softwaresets/1", `{"validationStatus":`},
		{"POST", "/environments", `{"desktopArn":"` + envArn + `","deviceCreationTags":{"aws:x":"v"}}`},
		{"POST", "/tags/x", `{"tags":{"a":"b"}}`},
		{"GET", "/softwaresets/404", ""},
		{"GET", "/softwaresets/429", ""},
		{"GET", "//", ""},
		{"PUT", "/a/b/c?;", ""},
		{"GET", "/devices/%2F%2F?x=%", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, []byte(s.body))
	}
	h := &fakeHandler{} // never panics
	c := restjson.New(thinclient.Operations, h)
	f.Fuzz(func(t *testing.T, method, target string, body []byte) {
		r, err := http.NewRequest(method, "http://localhost"+target, bytes.NewReader(body))
		if err != nil || r.URL.Host != "localhost" {
			t.Skip()
		}
		w := httptest.NewRecorder()
		call := newCall()
		c.Serve(context.Background(), w, r, call, body)

		code := w.Header().Get("X-Amzn-ErrorType")
		switch {
		case w.Code < 500:
		case w.Code == 501 && code == "NotImplementedException" && !implemented[call.Operation]:
		default:
			t.Fatalf("status %d (%s) for %s %q body %q: %s", w.Code, code, method, target, body, w.Body)
		}
		if w.Code >= 300 && code == "" {
			t.Fatalf("status %d without X-Amzn-ErrorType", w.Code)
		}
		if w.Body.Len() > 0 && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("body is not JSON: %q", w.Body)
		}
		if w.Code == 400 {
			var e struct {
				Message string `json:"message"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Message == "" {
				t.Fatalf("400 without a message: %s", w.Body)
			}
		}
	})
}
