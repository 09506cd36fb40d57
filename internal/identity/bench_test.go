package identity

import (
	"net/http"
	"testing"
	"time"
)

// Resolve runs on every request.
//
//	go test -run '^$' -bench . -benchmem ./internal/identity/
func BenchmarkResolve(b *testing.B) {
	r, err := http.NewRequest("POST", "/", nil)
	if err != nil {
		b.Fatal(err)
	}
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=111111111111/20260102/us-east-1/workspaces/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	res := Resolver{DefaultAccount: DefaultAccount}
	b.ReportAllocs()
	for b.Loop() {
		id, err := res.Resolve(r)
		if err != nil || id.Account != "111111111111" || id.Service != "workspaces" {
			b.Fatal(id, err)
		}
	}
}

// Verify (the default no-secret checks) also runs on every request.
func BenchmarkVerify(b *testing.B) {
	now := time.Now().UTC()
	r, err := http.NewRequest("POST", "/", nil)
	if err != nil {
		b.Fatal(err)
	}
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=111111111111/"+now.Format("20060102")+"/us-east-1/workspaces/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	r.Header.Set("X-Amz-Date", now.Format("20060102T150405Z"))
	res := Resolver{DefaultAccount: DefaultAccount}
	b.ReportAllocs()
	for b.Loop() {
		id, err := res.Resolve(r)
		if err == nil {
			err = res.Verify(r, &id, "workspaces", nil)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
