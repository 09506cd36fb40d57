// Package api is the hand-written runtime shared by the generated service
// packages (internal/api/workspaces, internal/api/thinclient), the protocol
// codecs and the operation handlers: the per-request Call, the Error
// interface and common errors, the operation table entry, validation
// helpers and the wire timestamp type.
package api

import (
	"context"
	"log/slog"
	"time"
)

// Call carries what one request knows about itself. It is passed explicitly
// to every handler (not through context values).
type Call struct {
	// Account is the 12-digit account the SigV4 access key maps to.
	Account string
	// Region is the region of the SigV4 credential scope.
	Region string
	// Partition is the ARN partition of Region ("aws", "aws-cn", "aws-us-gov").
	Partition string
	// AccessKeyID is the access key id of the credential.
	AccessKeyID string
	// RequestID is the x-amzn-RequestId of the response.
	RequestID string
	// Operation is the name of the operation being called.
	Operation string
	// Now is read once from the server clock when the request arrives, so
	// every timestamp of one operation agrees.
	Now time.Time
	// Log is the request logger (request id, account, region, operation).
	Log *slog.Logger
	// Service is the emulated service ("workspaces", "thinclient"), set by
	// the server before the codec runs.
	Service string
	// ErrorCode is the AWS error code the response carried ("" on success),
	// set by the protocol's error writer; observers read it.
	ErrorCode string
	// Intercept, when set, runs once the operation is known and before the
	// request body is decoded: a non-nil error is written as the response
	// instead of invoking the operation (fault injection), so it has no side
	// effect. It may also sleep (injected latency).
	Intercept func(ctx context.Context, c *Call) error
}

// PartitionOf returns the ARN partition of a region.
func PartitionOf(region string) string {
	switch {
	case len(region) >= 3 && region[:3] == "cn-":
		return "aws-cn"
	case len(region) >= 7 && region[:7] == "us-gov-":
		return "aws-us-gov"
	case len(region) >= 7 && region[:7] == "us-iso-":
		return "aws-iso"
	case len(region) >= 8 && region[:8] == "us-isob-":
		return "aws-iso-b"
	}
	return "aws"
}
