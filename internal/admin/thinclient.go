package admin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	tcsvc "github.com/workspaces-local/workspaces-local/internal/service/thinclient"
)

// Devices is the Thin Client simulation the device endpoints drive.
type Devices interface {
	RegisterDevice(ctx context.Context, now time.Time, r tcsvc.Registration) (*tc.Device, error)
	CheckInDevice(ctx context.Context, now time.Time, id string, in tcsvc.CheckIn) (*tc.Device, error)
}

// HandleThinClientDevices serves the simulated device registration
// (POST /_local/thinclient/devices → 201 with the device) and check-in
// (POST /_local/thinclient/devices/{id}/checkin → 200 with the device).
// No signature is needed: the activation code is the credential.
func (h *Handler) HandleThinClientDevices(d Devices) {
	h.mux.HandleFunc("POST /_local/thinclient/devices", func(w http.ResponseWriter, r *http.Request) {
		var req tcsvc.Registration
		if err := decode(w, r, &req, true); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
			return
		}
		dev, err := d.RegisterDevice(r.Context(), h.clock.Now(), req)
		respond(w, http.StatusCreated, dev, err)
	})
	h.mux.HandleFunc("POST /_local/thinclient/devices/{id}/checkin", func(w http.ResponseWriter, r *http.Request) {
		var req tcsvc.CheckIn
		if err := decode(w, r, &req, false); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
			return
		}
		dev, err := d.CheckInDevice(r.Context(), h.clock.Now(), r.PathValue("id"), req)
		respond(w, http.StatusOK, dev, err)
	})
}

// decode reads a JSON object body (an empty body is {} unless required).
func decode(w http.ResponseWriter, r *http.Request, v any, required bool) error {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		return errors.New("The request body could not be read or is larger than 64 KiB.")
	}
	if len(b) == 0 && !required {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errors.New("The body must be a JSON object with members of the documented types: " + err.Error())
	}
	return nil
}

func respond(w http.ResponseWriter, status int, dev *tc.Device, err error) {
	var le *tcsvc.LocalError
	switch {
	case errors.As(err, &le):
		writeJSON(w, le.Status, map[string]string{"message": le.Message})
	case err != nil:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "internal error"})
	default:
		writeJSON(w, status, dev)
	}
}
