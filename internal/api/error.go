package api

import (
	"fmt"
	"net/http"
)

// Error is implemented by every error that can be put on the wire: the
// generated modelled exceptions and the hand-written common errors below.
// Handlers never write a status themselves; they return an Error.
type Error interface {
	error
	// ErrorCode is the wire code: the exception shape name.
	ErrorCode() string
	// ErrorMessage is the human-readable message.
	ErrorMessage() string
	// HTTPStatus is the status the protocol writer sends.
	HTTPStatus() int
}

// ModeledError is implemented by generated exception types: their body is the
// JSON of the struct itself (message plus modelled members).
type ModeledError interface {
	Error
	// Modeled marks generated exception types.
	Modeled()
}

// HeaderWriter is implemented by generated shapes that bind members to HTTP
// headers (REST protocols): exceptions with Retry-After, outputs with headers.
type HeaderWriter interface {
	WriteHTTPHeaders(h http.Header)
}

// CommonError is an error that every AWS service can answer with but that
// the models do not describe (UnknownOperationException, SerializationException,
// InternalFailure, ...).
type CommonError struct {
	Code    string
	Message string
	Status  int
	// Reason is the REST-JSON ValidationException reason this error maps to
	// when a REST service has no such code (e.g. "cannotParse").
	Reason string
}

func (e *CommonError) Error() string        { return e.Code + ": " + e.Message }
func (e *CommonError) ErrorCode() string    { return e.Code }
func (e *CommonError) ErrorMessage() string { return e.Message }
func (e *CommonError) HTTPStatus() int      { return e.Status }

// SerializationError reports a body that is not the JSON the operation takes.
func SerializationError(format string, args ...any) *CommonError {
	return &CommonError{Code: "SerializationException", Message: fmt.Sprintf(format, args...), Status: http.StatusBadRequest, Reason: "cannotParse"}
}

// UnknownOperation reports a target or route that names no operation.
func UnknownOperation(format string, args ...any) *CommonError {
	return &CommonError{Code: "UnknownOperationException", Message: fmt.Sprintf(format, args...), Status: http.StatusBadRequest, Reason: "unknownOperation"}
}

// MissingAuthenticationToken reports a request without SigV4 credentials.
func MissingAuthenticationToken(msg string) *CommonError {
	return &CommonError{Code: "MissingAuthenticationTokenException", Message: msg, Status: http.StatusForbidden}
}

// IncompleteSignature reports a malformed SigV4 Authorization header.
func IncompleteSignature(msg string) *CommonError {
	return &CommonError{Code: "IncompleteSignatureException", Message: msg, Status: http.StatusBadRequest}
}

// InvalidSignature reports a SigV4 signature that does not check out: wrong
// scope, expired date, or (strict mode) a signature that does not match.
func InvalidSignature(msg string) *CommonError {
	return &CommonError{Code: "InvalidSignatureException", Message: msg, Status: http.StatusForbidden}
}

// UnrecognizedClient reports an access key or session token the server does
// not know (strict mode).
func UnrecognizedClient() *CommonError {
	return &CommonError{Code: "UnrecognizedClientException", Message: "The security token included in the request is invalid.", Status: http.StatusForbidden}
}

// RequestTooLarge reports a body above the server's limit.
func RequestTooLarge(limit int64) *CommonError {
	return &CommonError{Code: "SerializationException", Message: fmt.Sprintf("Request body exceeds the maximum size of %d bytes.", limit), Status: http.StatusRequestEntityTooLarge, Reason: "cannotParse"}
}

// NotImplemented is the explicit answer of an operation the emulator does not
// implement yet. It is never a fake success.
func NotImplemented(op string) *CommonError {
	return &CommonError{Code: "NotImplementedException", Message: "workspaces-local does not implement " + op + " yet.", Status: http.StatusNotImplemented}
}

// InternalFailure is sent for anything that is not an Error (a bug): the
// details are logged with the request id, never sent.
func InternalFailure(requestID string) *CommonError {
	return &CommonError{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error, exception or failure (request id " + requestID + ").", Status: http.StatusInternalServerError}
}

// ServiceUnavailable is sent while the store cannot reach its database (a
// replica of a shared PostgreSQL store while the server restarts): nothing
// was done, and the SDKs retry it. REST-JSON services, which model no such
// code, send it as InternalServerException.
func ServiceUnavailable() *CommonError {
	return &CommonError{Code: "ServiceUnavailable", Message: "The service is unavailable: its database cannot be reached. Retry the request shortly.", Status: http.StatusServiceUnavailable}
}
