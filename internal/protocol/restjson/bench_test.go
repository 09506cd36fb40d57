package restjson_test

// Routing + binding + validate + invoke + encode of Thin Client
// GetEnvironment through Codec.Serve with a handler that answers at once:
//
//	go test -run '^$' -bench . -benchmem ./internal/protocol/restjson/

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/protocol/restjson"
)

type benchHandler struct {
	tc.Unimplemented
	env tc.Environment
}

func (h *benchHandler) GetEnvironment(_ context.Context, _ *api.Call, in *tc.GetEnvironmentInput) (*tc.GetEnvironmentOutput, error) {
	e := h.env
	e.Id = in.Id
	return &tc.GetEnvironmentOutput{Environment: &e}, nil
}

type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

func BenchmarkServeGetEnvironment(b *testing.B) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	h := &benchHandler{env: tc.Environment{
		ActivationCode: api.String("ab12cd34"), Arn: api.String("arn:aws:thinclient:us-east-1:111111111111:environment/abcdefghij"),
		CreatedAt: api.NewTimestamp(t0), UpdatedAt: api.NewTimestamp(t0), DesktopArn: api.String("arn:aws:workspaces:us-east-1:111111111111:directory/d-9067012345"),
		DesktopType: tc.DesktopTypeWorkspaces, Name: api.String("bench"), RegisteredDevicesCount: api.Int32(20),
		SoftwareSetComplianceStatus: tc.EnvironmentSoftwareSetComplianceStatusCompliant, SoftwareSetUpdateMode: tc.SoftwareSetUpdateModeUseLatest,
		SoftwareSetUpdateSchedule: tc.SoftwareSetUpdateScheduleUseMaintenanceWindow,
		MaintenanceWindow:         &tc.MaintenanceWindow{Type: tc.MaintenanceWindowTypeSystem},
	}}
	c := restjson.New(tc.Operations, h)
	r, err := http.NewRequest("GET", "/environments/abcdefghij", nil)
	if err != nil {
		b.Fatal(err)
	}
	w := &discard{h: http.Header{}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		c.Serve(ctx, w, r, &api.Call{Account: "111111111111", Region: "us-east-1", RequestID: "r"}, nil)
		if w.h.Get("X-Amzn-ErrorType") != "" {
			b.Fatalf("GetEnvironment failed: %v", w.h)
		}
	}
}
