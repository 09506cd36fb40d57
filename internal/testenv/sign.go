package testenv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Secret is the secret access key of the SDK clients Env hands out.
const Secret = "secret"

// Sign signs a hand-made request as account in region for service
// ("workspaces" or "thinclient") with the AWS SDK's v4 signer and the current
// wall-clock time, as a real client would; body is the request body.
func Sign(req *http.Request, account, region, service string, body []byte) {
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: account, SecretAccessKey: Secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, region, time.Now()); err != nil {
		panic(err) // only fails for invalid arguments
	}
}

// SignedHeader returns the headers of a request signed by Sign for a
// hand-made call of service to url: X-Amz-Date and Authorization (plus the
// given headers, which are signed too).
func SignedHeader(method, url, service string, header map[string]string, body string) map[string]string {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	Sign(req, AccountA, Region, service, []byte(body))
	out := map[string]string{}
	for k := range req.Header {
		out[k] = req.Header.Get(k)
	}
	return out
}
