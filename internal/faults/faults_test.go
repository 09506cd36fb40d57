package faults

import (
	"context"
	"errors"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/api/thinclient"
)

func testSet() *Set {
	return New(map[string][]*api.Operation{
		"workspaces": {{Name: "DescribeWorkspaces"}},
		"thinclient": {{Name: "ListDevices"}},
	})
}

func TestDefaultStatus(t *testing.T) {
	for _, tc := range []struct {
		service, code string
		want          int
	}{
		{"workspaces", "ThrottlingException", 400},
		{"thinclient", "ThrottlingException", 429},
		{"workspaces", "InternalServerException", 500},
		{"workspaces", "ServiceUnavailable", 503},
		{"workspaces", "ResourceNotFoundException", 400},
		{"thinclient", "ResourceNotFoundException", 404},
		{"thinclient", "AccessDeniedException", 403},
		{"thinclient", "ConflictException", 409},
		{"thinclient", "SomethingElse", 400},
	} {
		if got := DefaultStatus(tc.service, tc.code); got != tc.want {
			t.Errorf("DefaultStatus(%s, %s) = %d, want %d", tc.service, tc.code, got, tc.want)
		}
	}
}

func TestCountAndOrder(t *testing.T) {
	s := testSet()
	first, err := s.Add(Spec{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "A", Count: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(Spec{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "B"}); err != nil {
		t.Fatal(err)
	}
	c := &api.Call{Service: "workspaces", Operation: "DescribeWorkspaces"}
	var codes []string
	for range 3 {
		var ae api.Error
		if err := s.Intercept(context.Background(), c); errors.As(err, &ae) {
			codes = append(codes, ae.ErrorCode())
		}
	}
	if len(codes) != 3 || codes[0] != "A" || codes[1] != "A" || codes[2] != "B" {
		t.Errorf("codes = %v, want A A B", codes)
	}
	if s.Delete(first.ID) {
		t.Errorf("rule %s still live after its count", first.ID)
	}
	if err := s.Intercept(context.Background(), &api.Call{Service: "thinclient", Operation: "DescribeWorkspaces"}); err != nil {
		t.Errorf("a workspaces rule acted on thinclient: %v", err)
	}
}

func TestAddRefusals(t *testing.T) {
	s := testSet()
	half, two := 0.5, 2.0
	for _, sp := range []Spec{
		{Service: "s3", Operation: "DescribeWorkspaces", Error: "X"},
		{Service: "workspaces", Operation: "ListDevices", Error: "X"},
		{Service: "workspaces", Operation: "DescribeWorkspaces"},
		{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "X", Probability: &two},
		{Service: "workspaces", Operation: "DescribeWorkspaces", Latency: "0s"},
		{Service: "workspaces", Operation: "DescribeWorkspaces", Latency: "1s", Status: 500},
		{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "X", Account: "1234"},
		{Service: "workspaces", Operation: "DescribeWorkspaces", Error: "X", Region: "US_EAST_1"},
	} {
		var inv *InvalidError
		if _, err := s.Add(sp); !errors.As(err, &inv) || inv.Msg == "" {
			t.Errorf("Add(%+v) = %v, want an InvalidError", sp, err)
		}
	}
	if _, err := s.Add(Spec{Service: "thinclient", Operation: "ListDevices", Latency: "1ms", Probability: &half}); err != nil {
		t.Errorf("valid rule refused: %v", err)
	}
}

// TestDefaultStatusFollowsThinClientModel: an injected Thin Client error
// without a status gets the one its modelled exception carries, for every
// exception any operation of the model names.
func TestDefaultStatusFollowsThinClientModel(t *testing.T) {
	modelled := map[string]api.ModeledError{}
	for _, e := range []api.ModeledError{
		&thinclient.AccessDeniedException{}, &thinclient.ConflictException{},
		&thinclient.InternalServerException{}, &thinclient.ResourceNotFoundException{},
		&thinclient.ServiceQuotaExceededException{}, &thinclient.ThrottlingException{},
		&thinclient.ValidationException{},
	} {
		modelled[e.ErrorCode()] = e
	}
	for _, op := range thinclient.Operations {
		for _, code := range op.Errors {
			e, ok := modelled[code]
			if !ok {
				t.Fatalf("%s names %s, which this test does not list: add it", op.Name, code)
			}
			if got := DefaultStatus("thinclient", code); got != e.HTTPStatus() {
				t.Errorf("DefaultStatus(thinclient, %s) = %d, the model says %d", code, got, e.HTTPStatus())
			}
		}
	}
}
