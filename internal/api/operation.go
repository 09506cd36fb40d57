package api

import (
	"context"
	"strconv"
)

// Input is implemented by every generated operation input.
type Input interface {
	// Validate adds every model-constraint violation of the input to v.
	Validate(v *Violations)
}

// HTTPRequest is what REST bindings read from a request: URI labels, query
// parameters and headers, already percent-decoded.
type HTTPRequest interface {
	Label(name string) (string, bool)
	Query(name string) (string, bool)
	QueryAll(name string) []string
	Header(name string) (string, bool)
}

// HTTPBinder is implemented by generated inputs that have members bound to
// the URI, query string or headers.
type HTTPBinder interface {
	BindHTTP(r HTTPRequest) error
}

// Operation is one entry of a generated operation table.
type Operation struct {
	// Name is the operation name, as in the model.
	Name string
	// Method and URI are the HTTP binding from the model ("POST", "/").
	Method string
	URI    string
	// Status is the modelled success status code.
	Status int
	// InputHasBody is false when every input member is bound to the URI,
	// query string or headers: the REST codec then ignores the body.
	InputHasBody bool
	// OutputHasBody is false when the output shape has no body members: the
	// REST writer then sends an empty body.
	OutputHasBody bool
	// Errors lists the modelled exception shape names.
	Errors []string
	// NewInput returns a new, empty input value.
	NewInput func() Input
	// Invoke calls the operation's method on a service handler.
	Invoke func(ctx context.Context, h any, c *Call, in Input) (any, error)
}

// Paginator describes a model paginator (paginators-1.json).
type Paginator struct {
	InputToken  string
	OutputToken string
	LimitKey    string
	ResultKey   string
}

// ParseInt32 parses a bound (query/header/label) integer member.
func ParseInt32(name, s string) (int32, error) {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, &ValidationError{Reason: "cannotParse", Msg: "Value '" + s + "' at '" + name + "' could not be parsed as an integer."}
	}
	return int32(n), nil
}

// ParseInt64 parses a bound long member.
func ParseInt64(name, s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, &ValidationError{Reason: "cannotParse", Msg: "Value '" + s + "' at '" + name + "' could not be parsed as an integer."}
	}
	return n, nil
}

// ParseBool parses a bound boolean member.
func ParseBool(name, s string) (bool, error) {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, &ValidationError{Reason: "cannotParse", Msg: "Value '" + s + "' at '" + name + "' could not be parsed as a boolean."}
	}
	return b, nil
}

// ModelInfo is a generated package's service metadata.
type ModelInfo struct {
	ServiceID      string
	APIVersion     string
	Protocol       string
	SigningName    string
	EndpointPrefix string
	TargetPrefix   string
}
