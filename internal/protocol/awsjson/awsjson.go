// Package awsjson is the AWS JSON 1.1 protocol: POST / with
// X-Amz-Target: <TargetPrefix>.<Operation>, JSON bodies, epoch-second
// timestamps, errors as {"__type", "message"} plus X-Amzn-ErrorType.
package awsjson

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/protocol/wire"
)

// ContentType is the media type of requests and responses.
const ContentType = "application/x-amz-json-1.1"

// IsContentType reports whether a Content-Type header is ContentType (any
// parameters, such as a charset, allowed; case-insensitive). Browsers cannot
// send it without a CORS preflight, unlike text/plain.
func IsContentType(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(mt), ContentType)
}

// Codec serves one AWS JSON 1.1 service.
type Codec struct {
	prefix  string
	ops     map[string]*api.Operation
	handler any
}

// New returns a codec for the operations of a generated package; handler
// must implement that package's Handler interface.
func New(info api.ModelInfo, ops []*api.Operation, handler any) *Codec {
	c := &Codec{prefix: info.TargetPrefix + ".", ops: map[string]*api.Operation{}, handler: handler}
	for _, op := range ops {
		c.ops[op.Name] = op
	}
	return c
}

// Owns reports whether a target header names this service.
func (c *Codec) Owns(target string) bool { return strings.HasPrefix(target, c.prefix) }

// Operation resolves the X-Amz-Target header to an operation name ("" if none).
func (c *Codec) Operation(r *http.Request) string {
	t := r.Header.Get("X-Amz-Target")
	if name, ok := strings.CutPrefix(t, c.prefix); ok {
		if _, known := c.ops[name]; known {
			return name
		}
	}
	return ""
}

// Serve decodes, validates, invokes and encodes one request. call carries the
// identity; body is the already size-limited request body.
func (c *Codec) Serve(ctx context.Context, w http.ResponseWriter, r *http.Request, call *api.Call, body []byte) {
	target := r.Header.Get("X-Amz-Target")
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		c.WriteError(w, call, api.UnknownOperation("AWS JSON operations are called with POST /, not %s %s.", r.Method, api.Echo(r.URL.Path)))
		return
	}
	if ct := r.Header.Get("Content-Type"); !IsContentType(ct) {
		c.WriteError(w, call, api.UnknownOperation("AWS JSON 1.1 requests carry Content-Type: %s; found '%s'.", ContentType, api.Echo(ct)))
		return
	}
	name, ok := strings.CutPrefix(target, c.prefix)
	op := c.ops[name]
	if !ok || op == nil {
		if target == "" {
			c.WriteError(w, call, api.UnknownOperation("The X-Amz-Target header is missing; expected %s<Operation>.", c.prefix))
		} else {
			c.WriteError(w, call, api.UnknownOperation("Unknown operation %s.", target))
		}
		return
	}
	call.Operation = op.Name
	if call.Intercept != nil {
		if err := call.Intercept(ctx, call); err != nil {
			c.WriteError(w, call, err)
			return
		}
	}
	in := op.NewInput()
	if err := wire.DecodeBody(body, in); err != nil {
		c.WriteError(w, call, err)
		return
	}
	if err := wire.Validate(in); err != nil {
		c.WriteError(w, call, err)
		return
	}
	out, err := wire.Invoke(ctx, op, c.handler, call, in)
	if err != nil {
		c.WriteError(w, call, err)
		return
	}
	b, err := json.Marshal(out)
	if err == nil {
		err = wire.CheckAnswer(b)
	}
	if err != nil {
		c.WriteError(w, call, err)
		return
	}
	write(w, op.Status, b)
}

func write(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// WriteError puts any error on the wire: modelled exceptions with their
// members, common errors with __type and message, anything else as
// InternalFailure (logged with the request id).
func (c *Codec) WriteError(w http.ResponseWriter, call *api.Call, err error) {
	WriteError(w, call, err)
}

// WriteError is Codec.WriteError without a codec, for failures that happen
// before a service is chosen.
func WriteError(w http.ResponseWriter, call *api.Call, err error) {
	ae := wire.AsAPIError(call, err)
	var body []byte
	if _, ok := ae.(api.ModeledError); ok {
		b, mErr := json.Marshal(ae)
		if mErr != nil {
			b = []byte("{}")
		}
		body = withType(b, ae.ErrorCode())
	} else {
		body, _ = json.Marshal(struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}{ae.ErrorCode(), ae.ErrorMessage()})
	}
	if call != nil {
		call.ErrorCode = ae.ErrorCode()
	}
	w.Header().Set("X-Amzn-ErrorType", ae.ErrorCode())
	write(w, ae.HTTPStatus(), body)
}

// withType inserts "__type" as the first member of a marshalled object.
func withType(obj []byte, code string) []byte {
	t, _ := json.Marshal(code)
	var b bytes.Buffer
	b.WriteString(`{"__type":`)
	b.Write(t)
	rest := bytes.TrimSpace(obj)
	if len(rest) > 2 {
		b.WriteByte(',')
		b.Write(rest[1:])
	} else {
		b.WriteByte('}')
	}
	return b.Bytes()
}
