// Package integration drives a running workspaces-local with the official
// Go SDKs: aws-sdk-go-v2 for WorkSpaces, aws-sdk-go v1 for Thin Client.
package integration

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go/aws/awserr"
	"github.com/aws/smithy-go"
)

var ctx = context.Background()

// wantCode fails unless err is an API error with the given code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got success, want %s", code)
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		if ae.ErrorCode() != code {
			t.Fatalf("got %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
		}
		return
	}
	var v1 awserr.Error
	if errors.As(err, &v1) {
		if v1.Code() != code {
			t.Fatalf("got %s (%s), want %s", v1.Code(), v1.Message(), code)
		}
		return
	}
	t.Fatalf("got non-API error %v, want %s", err, code)
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}
