// Package wire holds what both protocol codecs share: JSON body decoding with
// client-facing error messages, and the invoke step that turns a handler
// panic into an error instead of a dead connection.
package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/workspaces-local/workspaces-local/internal/api"
)

// DecodeBody unmarshals a JSON object body into in. An empty body or JSON
// null is an empty object. Member names match exactly; unknown members,
// including case variants of a member's name, are ignored (see exact.go). A
// body that is not a JSON object, a member of the wrong JSON type, or a
// string that is not valid UTF-8 is a SerializationException.
func DecodeBody(body []byte, in any) error {
	if len(body) == 0 {
		return nil
	}
	body, bad := exact(body, in)
	if bad >= 0 {
		return api.SerializationError("The request body is not valid UTF-8: invalid byte sequence or unpaired surrogate escape at byte %d.", bad)
	}
	err := json.Unmarshal(body, in)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return api.SerializationError("The request body is not valid JSON: %s (at byte %d).", se.Error(), se.Offset)
	case errors.As(err, &te):
		if te.Field == "" {
			return api.SerializationError("The request body must be a JSON object, not a JSON %s.", te.Value)
		}
		return api.SerializationError("Member '%s' has the wrong type: expected %s, found a JSON %s.", te.Field, kind(te.Type.String()), te.Value)
	default:
		return api.SerializationError("The request body could not be read: %s.", err.Error())
	}
}

func kind(goType string) string {
	switch goType {
	case "string", "*string":
		return "a string"
	case "int32", "*int32", "int64", "*int64":
		return "an integer"
	case "float64", "*float64":
		return "a number"
	case "bool", "*bool":
		return "a boolean"
	}
	if len(goType) > 1 && goType[0] == '[' {
		return "a list"
	}
	if len(goType) > 3 && goType[:3] == "map" {
		return "a map"
	}
	return "a structure or value of another type"
}

// MaxAnswerBytes bounds the body of one answer. Model bounds and page sizes
// keep real answers far below it; it is the last guard against an answer
// that would pin memory while a slow client reads it.
const MaxAnswerBytes = 16 << 20

// CheckAnswer refuses an answer body above MaxAnswerBytes.
func CheckAnswer(body []byte) error {
	if len(body) <= MaxAnswerBytes {
		return nil
	}
	return &api.CommonError{Code: "LimitExceededException", Status: 400, Reason: "other",
		Message: fmt.Sprintf("The answer would be %d bytes, above the server's limit of %d: ask for fewer items (a smaller Limit / MaxResults / maxResults).", len(body), MaxAnswerBytes)}
}

// PanicError is what Invoke returns when a handler panics.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("handler panic: %v", e.Value) }

// Validate runs the generated validator of in.
func Validate(in api.Input) error {
	var v api.Violations
	in.Validate(&v)
	return v.Err()
}

// Invoke calls the operation, converting a panic into a *PanicError.
func Invoke(ctx context.Context, op *api.Operation, h any, c *api.Call, in api.Input) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return op.Invoke(ctx, h, c, in)
}

// AsAPIError returns err as an api.Error; a store that lost its database
// (an error with an Unavailable method, store.ErrUnavailable) becomes
// ServiceUnavailable; anything else (a bug, a panic) is logged at ERROR
// with the request id and becomes InternalFailure, so no internal detail
// reaches the client.
func AsAPIError(c *api.Call, err error) api.Error {
	var ae api.Error
	if errors.As(err, &ae) {
		return ae
	}
	var u interface{ Unavailable() bool }
	if errors.As(err, &u) && u.Unavailable() {
		if c != nil && c.Log != nil {
			c.Log.Warn("database unavailable", "request_id", c.RequestID, "operation", c.Operation, "err", err.Error())
		}
		return api.ServiceUnavailable()
	}
	if c != nil && c.Log != nil {
		var pe *PanicError
		who := []any{"request_id", c.RequestID, "account", c.Account, "region", c.Region, "operation", c.Operation}
		if errors.As(err, &pe) {
			c.Log.Error("handler panic", append(who, "panic", fmt.Sprint(pe.Value), "stack", string(pe.Stack))...)
		} else {
			c.Log.Error("internal error", append(who, "err", err.Error())...)
		}
	}
	id := ""
	if c != nil {
		id = c.RequestID
	}
	return api.InternalFailure(id)
}
