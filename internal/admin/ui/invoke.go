package ui

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/protocol/wire"
)

// service is one emulated service as the dashboard reads it: its generated
// operation table and its handler (the same value the protocol codec calls).
type service struct {
	name    string
	ops     map[string]*api.Operation
	handler any
}

func newService(name string, ops []*api.Operation, handler any) *service {
	s := &service{name: name, ops: map[string]*api.Operation{}, handler: handler}
	for _, op := range ops {
		s.ops[op.Name] = op
	}
	return s
}

// callError is an API error a read answered, as the dashboard shows it.
type callError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Status  int    `json:"status"`
}

func (e *callError) Error() string { return e.Code + ": " + e.Message }

// invoke runs one read operation as account in region exactly as the codec
// would after decoding: the generated input, bound and validated, passed to
// the service handler; the output marshalled as the codec marshals it.
func (u *UI) invoke(ctx context.Context, svc *service, account, region string, c call) (json.RawMessage, error) {
	op := svc.ops[c.Operation]
	if op == nil {
		return nil, fmt.Errorf("ui: %s has no operation %s", svc.name, c.Operation)
	}
	in := op.NewInput()
	if len(c.Body) > 0 {
		b, err := json.Marshal(c.Body)
		if err != nil {
			return nil, err
		}
		if err := wire.DecodeBody(b, in); err != nil {
			return nil, asCallError(nil, err)
		}
	}
	if b, ok := in.(api.HTTPBinder); ok {
		if err := b.BindHTTP(boundRequest{labels: c.Labels, query: c.Query}); err != nil {
			return nil, asCallError(nil, err)
		}
	}
	if err := wire.Validate(in); err != nil {
		return nil, asCallError(nil, err)
	}
	ac := &api.Call{Account: account, Region: region, Partition: api.PartitionOf(region),
		RequestID: uuid.NewString(), Operation: op.Name, Now: u.cfg.Clock.Now(), Log: u.cfg.Log, Service: svc.name}
	out, err := wire.Invoke(ctx, op, svc.handler, ac, in)
	if err != nil {
		return nil, asCallError(ac, err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func asCallError(c *api.Call, err error) error {
	ae := wire.AsAPIError(c, err)
	return &callError{Code: ae.ErrorCode(), Message: ae.ErrorMessage(), Status: ae.HTTPStatus()}
}

// boundRequest is the api.HTTPRequest of a REST call's labels and query.
type boundRequest struct{ labels, query map[string]string }

func (r boundRequest) Label(name string) (string, bool) { v, ok := r.labels[name]; return v, ok }
func (r boundRequest) Query(name string) (string, bool) { v, ok := r.query[name]; return v, ok }
func (r boundRequest) QueryAll(name string) []string {
	if v, ok := r.query[name]; ok {
		return []string{v}
	}
	return nil
}
func (r boundRequest) Header(string) (string, bool) { return "", false }
