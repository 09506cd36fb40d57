// Package restjson is the REST-JSON protocol: the method and URI template
// select the operation; members bind to URI labels, the query string,
// headers and a JSON body; the modelled status code answers success; errors
// carry X-Amzn-ErrorType and the exception's modelled members.
package restjson

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/protocol/wire"
)

// Codec serves one REST-JSON service.
type Codec struct {
	routes  []route
	handler any
}

// New returns a codec for the operations of a generated package; handler
// must implement that package's Handler interface.
func New(ops []*api.Operation, handler any) *Codec {
	c := &Codec{handler: handler}
	for _, op := range ops {
		c.routes = append(c.routes, compile(op))
	}
	// Literal segments win over labels at the same position.
	sort.SliceStable(c.routes, func(i, j int) bool { return literalCount(c.routes[i]) > literalCount(c.routes[j]) })
	return c
}

func literalCount(r route) int {
	n := 0
	for _, s := range r.segs {
		if s.label == "" {
			n++
		}
	}
	return n
}

// Owns reports whether the request path belongs to one of the service's
// routes (any method), for dispatch when no credential names the service.
func (c *Codec) Owns(r *http.Request) bool {
	segs := splitPath(r.URL.EscapedPath())
	for _, rt := range c.routes {
		if _, ok, _ := rt.match(segs); ok {
			return true
		}
	}
	return false
}

// Serve routes, binds, validates, invokes and encodes one request.
func (c *Codec) Serve(ctx context.Context, w http.ResponseWriter, r *http.Request, call *api.Call, body []byte) {
	segs := splitPath(r.URL.EscapedPath())
	var (
		op     *api.Operation
		labels map[string]string
	)
	for _, rt := range c.routes {
		l, ok, err := rt.match(segs)
		if err != nil {
			c.WriteError(w, call, &api.ValidationError{Reason: "cannotParse", Msg: "The request path is not correctly percent-encoded."})
			return
		}
		if ok && rt.method == r.Method {
			op, labels = rt.op, l
			break
		}
	}
	if op == nil {
		c.WriteError(w, call, api.UnknownOperation("No operation matches %s %s.", r.Method, r.URL.EscapedPath()))
		return
	}
	call.Operation = op.Name
	if call.Intercept != nil {
		if err := call.Intercept(ctx, call); err != nil {
			c.WriteError(w, call, err)
			return
		}
	}
	for name, v := range labels {
		if v == "" {
			c.WriteError(w, call, &api.ValidationError{Reason: "fieldValidationFailed", Violations: []api.Violation{{Path: name, Value: "''", Constraint: "Member must not be empty"}}})
			return
		}
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		c.WriteError(w, call, &api.ValidationError{Reason: "cannotParse", Msg: "The query string is not correctly percent-encoded."})
		return
	}
	if !validUTF8(labels, query) {
		c.WriteError(w, call, api.SerializationError("The request path or query string is not valid UTF-8 once percent-decoded."))
		return
	}
	in := op.NewInput()
	if op.InputHasBody {
		if err := wire.DecodeBody(body, in); err != nil {
			c.WriteError(w, call, err)
			return
		}
	}
	if b, ok := in.(api.HTTPBinder); ok {
		if err := b.BindHTTP(request{labels: labels, query: query, header: r.Header}); err != nil {
			c.WriteError(w, call, err)
			return
		}
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
	if hw, ok := out.(api.HeaderWriter); ok {
		hw.WriteHTTPHeaders(w.Header())
	}
	if !op.OutputHasBody || op.Status == http.StatusNoContent {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(op.Status)
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
	writeJSON(w, op.Status, b)
}

// validUTF8 reports whether every label and query value is valid UTF-8.
func validUTF8(labels map[string]string, query url.Values) bool {
	for _, v := range labels {
		if !utf8.ValidString(v) {
			return false
		}
	}
	for k, vs := range query {
		if !utf8.ValidString(k) {
			return false
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return false
			}
		}
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

type request struct {
	labels map[string]string
	query  url.Values
	header http.Header
}

func (r request) Label(name string) (string, bool) { v, ok := r.labels[name]; return v, ok }
func (r request) Query(name string) (string, bool) {
	if vs, ok := r.query[name]; ok && len(vs) > 0 {
		return vs[0], true
	}
	return "", false
}
func (r request) QueryAll(name string) []string { return r.query[name] }
func (r request) Header(name string) (string, bool) {
	if vs := r.header.Values(name); len(vs) > 0 {
		return vs[0], true
	}
	return "", false
}

// WriteError puts any error on the wire. Protocol-level failures that REST
// services model as ValidationException (unknown route, unparseable body)
// are sent as ValidationException with the matching reason.
func (c *Codec) WriteError(w http.ResponseWriter, call *api.Call, err error) {
	WriteError(w, call, err)
}

// WriteError is Codec.WriteError without a codec.
func WriteError(w http.ResponseWriter, call *api.Call, err error) {
	ae := wire.AsAPIError(call, err)
	code, status := ae.ErrorCode(), ae.HTTPStatus()
	var body any
	switch e := ae.(type) {
	case api.ModeledError:
		body = e
		if hw, ok := e.(api.HeaderWriter); ok {
			hw.WriteHTTPHeaders(w.Header())
		}
	case *api.ValidationError:
		body = validationBody(e.Reason, e.ErrorMessage(), e.Violations)
	case *api.CommonError:
		switch {
		case e.Reason != "" && e.Status < 500:
			code = "ValidationException" // status kept: 400, or 413 for an oversized body
			body = validationBody(e.Reason, e.Message, nil)
		case e.Code == "InternalFailure":
			code = "InternalServerException"
			body = map[string]string{"message": e.Message}
		case e.Code == "ServiceUnavailable":
			// The modelled retryable server error, with its Retry-After
			// (retryAfterSeconds) header; status 500 as the model binds it.
			code, status = "InternalServerException", http.StatusInternalServerError
			w.Header().Set("Retry-After", "1")
			body = map[string]string{"message": e.Message}
		default:
			body = map[string]string{"message": e.Message}
		}
	default:
		body = map[string]string{"message": ae.ErrorMessage()}
	}
	b, mErr := json.Marshal(body)
	if mErr != nil {
		b = []byte(`{"message":"error"}`)
	}
	if call != nil {
		call.ErrorCode = code
	}
	w.Header().Set("X-Amzn-ErrorType", code)
	writeJSON(w, status, b)
}

type field struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

func validationBody(reason, msg string, vs []api.Violation) any {
	out := struct {
		Message   string  `json:"message"`
		Reason    string  `json:"reason,omitempty"`
		FieldList []field `json:"fieldList,omitempty"`
	}{Message: msg, Reason: reason}
	for _, v := range vs {
		out.FieldList = append(out.FieldList, field{Name: v.Path, Message: v.Constraint})
	}
	return out
}
