package server

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestRequestLogLine(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	o := RequestLog(log)
	o.Observe(Exchange{Method: "POST", Path: "/", Service: ServiceWorkSpaces, Operation: "CreateIpGroup",
		Account: "111111111111", Region: "us-east-1", Status: 400, ErrorCode: "ResourceAlreadyExistsException", Duration: 1234567 * time.Nanosecond})
	o.Observe(Exchange{Method: "GET", Path: "/environments", Service: ServiceThinClient, Operation: "ListEnvironments",
		Account: "111111111111", Region: "eu-west-1", Status: 200, Duration: time.Millisecond})
	o.Observe(Exchange{Method: "GET", Path: "/nowhere", Status: 404})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %q", buf.String())
	}
	for i, want := range []string{
		"level=INFO msg=api method=POST operation=CreateIpGroup account=111111111111 region=us-east-1 status=400 error_code=ResourceAlreadyExistsException duration=1.235ms",
		"level=INFO msg=api method=GET operation=ListEnvironments account=111111111111 region=eu-west-1 status=200 duration=1ms",
		`level=INFO msg=api method=GET path=/nowhere account="" region="" status=404 duration=0s`,
	} {
		if _, rest, _ := strings.Cut(lines[i], " "); rest != want { // drop time=
			t.Errorf("line %d = %q, want %q", i, rest, want)
		}
	}
}

func TestRequestLogQuietAtWarn(t *testing.T) {
	var buf bytes.Buffer
	RequestLog(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))).
		Observe(Exchange{Method: "POST", Operation: "CreateIpGroup", Status: 200})
	RequestLog(nil).Observe(Exchange{})
	if buf.Len() != 0 {
		t.Fatalf("--log-level warn must drop the line: %q", buf.String())
	}
}

func TestIsLanding(t *testing.T) {
	for _, tc := range []struct {
		method, target string
		header         map[string]string
		want           bool
	}{
		{"GET", "/", nil, true},
		{"HEAD", "/", nil, true},
		{"GET", "/?x=1", nil, true},
		{"POST", "/", nil, false},
		{"GET", "/index.html", nil, false},
		{"GET", "/environments", nil, false},
		{"GET", "/", map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=x"}, false},
		{"GET", "/", map[string]string{"X-Amz-Target": "WorkspacesService.DescribeIpGroups"}, false},
		{"GET", "/?X-Amz-Signature=ab&X-Amz-Credential=x", nil, false},
	} {
		r := httptestRequest(tc.method, tc.target, tc.header)
		if got := isLanding(r); got != tc.want {
			t.Errorf("isLanding(%s %s %v) = %v, want %v", tc.method, tc.target, tc.header, got, tc.want)
		}
	}
}
