package integration

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
	awsv1 "github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/awserr"
	credv1 "github.com/aws/aws-sdk-go/aws/credentials"
	sessv1 "github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/workspacesthinclient"
	"github.com/aws/smithy-go"

	"github.com/workspaces-local/workspaces-local/internal/app"
	"github.com/workspaces-local/workspaces-local/internal/identity"
	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// strictEnv runs a server with --auth strict and a credentials file.
func strictEnv(t *testing.T) *testenv.Env {
	t.Helper()
	file := filepath.Join(t.TempDir(), "credentials")
	err := os.WriteFile(file, []byte(`[dev]
aws_access_key_id = AKIADEVELOPER
aws_secret_access_key = dev-secret
aws_account_id = 333333333333

[ci]
aws_access_key_id = ASIACIROLE
aws_secret_access_key = ci-secret
aws_session_token = FwoGZXIvYXdzEXAMPLE
aws_account_id = 444444444444

[plain]
aws_access_key_id = 555555555555
aws_secret_access_key = secret
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	return testenv.Start(t, func(c *app.Config) { c.Auth, c.CredentialsFile = identity.ModeStrict, file })
}

func strictWS(env *testenv.Env, key, secret, token string) *workspaces.Client {
	return workspaces.New(workspaces.Options{
		Region: testenv.Region, BaseEndpoint: aws.String(env.URL), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, token),
	})
}

func strictTC(env *testenv.Env, key, secret, token string) *workspacesthinclient.WorkSpacesThinClient {
	return workspacesthinclient.New(sessv1.Must(sessv1.NewSession(&awsv1.Config{
		Region: awsv1.String(testenv.Region), Endpoint: awsv1.String(env.URL), MaxRetries: awsv1.Int(0),
		Credentials: credv1.NewStaticCredentials(key, secret, token), DisableEndpointHostPrefix: awsv1.Bool(true),
	})))
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	var v1 awserr.Error
	if errors.As(err, &v1) {
		return v1.Code()
	}
	return ""
}

func TestStrictAuth(t *testing.T) {
	env := strictEnv(t)
	// The right key acts in the account the file names.
	g, err := strictWS(env, "AKIADEVELOPER", "dev-secret", "").CreateIpGroup(ctx, &workspaces.CreateIpGroupInput{GroupName: aws.String("strict")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := strictWS(env, "AKIADEVELOPER", "dev-secret", "").DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{GroupIds: []string{*g.GroupId}})
	if err != nil || len(out.Result) != 1 {
		t.Fatalf("describe: %v %v", out, err)
	}
	if other, err := strictWS(env, "555555555555", testenv.Secret, "").DescribeIpGroups(ctx, nil); err != nil || len(other.Result) != 0 {
		t.Fatalf("another account sees %v, %v", other, err)
	}
	// Session tokens and the Thin Client (aws-sdk-go v1, REST-JSON) verify the same way.
	if _, err := strictWS(env, "ASIACIROLE", "ci-secret", "FwoGZXIvYXdzEXAMPLE").DescribeIpGroups(ctx, nil); err != nil {
		t.Fatalf("session token: %v", err)
	}
	if _, err := strictTC(env, "AKIADEVELOPER", "dev-secret", "").ListEnvironments(nil); err != nil {
		t.Fatalf("thin client: %v", err)
	}
	if _, err := strictTC(env, "ASIACIROLE", "ci-secret", "FwoGZXIvYXdzEXAMPLE").ListSoftwareSets(nil); err != nil {
		t.Fatalf("thin client with session token: %v", err)
	}
	for _, c := range []struct {
		name string
		err  error
		code string
	}{
		{"wrong secret", func() error {
			_, err := strictWS(env, "AKIADEVELOPER", "guess", "").DescribeIpGroups(ctx, nil)
			return err
		}(), "InvalidSignatureException"},
		{"unknown key", func() error {
			_, err := strictWS(env, "AKIAUNKNOWN", "dev-secret", "").DescribeIpGroups(ctx, nil)
			return err
		}(), "UnrecognizedClientException"},
		{"missing session token", func() error {
			_, err := strictWS(env, "ASIACIROLE", "ci-secret", "").DescribeIpGroups(ctx, nil)
			return err
		}(), "UnrecognizedClientException"},
		{"bogus session token", func() error {
			_, err := strictWS(env, "ASIACIROLE", "ci-secret", "bogus").DescribeIpGroups(ctx, nil)
			return err
		}(), "UnrecognizedClientException"},
		{"thin client wrong secret", func() error { _, err := strictTC(env, "AKIADEVELOPER", "guess", "").ListEnvironments(nil); return err }(), "InvalidSignatureException"},
		{"thin client unknown key", func() error { _, err := strictTC(env, "AKIAUNKNOWN", "x", "").ListEnvironments(nil); return err }(), "UnrecognizedClientException"},
	} {
		if got := apiCode(c.err); got != c.code {
			t.Errorf("%s: err = %v, want %s", c.name, c.err, c.code)
		}
	}
	// A body or a header changed after signing ([plain] has testenv.Sign's secret).
	signed := func(edit func(*http.Request)) func(string) *http.Request {
		return func(url string) *http.Request {
			body := `{"GroupName":"a"}`
			r, _ := http.NewRequest("POST", url+"/", strings.NewReader(body))
			r.Header.Set("X-Amz-Target", "WorkspacesService.CreateIpGroup")
			r.Header.Set("Content-Type", wsJSON)
			testenv.Sign(r, "555555555555", testenv.Region, "workspaces", []byte(body))
			edit(r)
			return r
		}
	}
	runHostile(t, env.URL, []hostile{
		{"signed raw request", signed(func(*http.Request) {}), 200, ""},
		{"body changed after signing", signed(func(r *http.Request) {
			b := `{"GroupName":"b"}`
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader(b)), int64(len(b))
		}), 403, "InvalidSignatureException"},
		{"target changed after signing", signed(func(r *http.Request) { r.Header.Set("X-Amz-Target", "WorkspacesService.DescribeIpGroups") }), 403, "InvalidSignatureException"},
	})
}
