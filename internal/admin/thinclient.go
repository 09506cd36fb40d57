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
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
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
		if !readBody(w, r, &req, true) {
			return
		}
		dev, err := d.RegisterDevice(r.Context(), h.clock.Now(), req)
		respond(h, w, http.StatusCreated, dev, err)
	})
	h.mux.HandleFunc("POST /_local/thinclient/devices/{id}/checkin", func(w http.ResponseWriter, r *http.Request) {
		var req tcsvc.CheckIn
		if !readBody(w, r, &req, false) {
			return
		}
		dev, err := d.CheckInDevice(r.Context(), h.clock.Now(), r.PathValue("id"), req)
		respond(h, w, http.StatusOK, dev, err)
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

// readBody is decode answering 400 with the reason; false when it did.
func readBody(w http.ResponseWriter, r *http.Request, v any, required bool) bool {
	if err := decode(w, r, v, required); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return false
	}
	return true
}

// respond writes v with status, or the refusal err names: a simulation's
// LocalError (Thin Client or WorkSpaces) with its status, else what
// h.failed answers (503 while the database is unreachable, else a logged 500).
func respond[T any](h *Handler, w http.ResponseWriter, status int, v *T, err error) {
	var tle *tcsvc.LocalError
	var wle *wssvc.LocalError
	switch {
	case errors.As(err, &tle):
		writeJSON(w, tle.Status, map[string]string{"message": tle.Message})
	case errors.As(err, &wle):
		writeJSON(w, wle.Status, map[string]string{"message": wle.Message})
	case err != nil:
		h.failed(w, "simulation call", err)
	default:
		writeJSON(w, status, v)
	}
}
