package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/workspaces-local/workspaces-local/internal/state"
)

// maxStateBytes bounds a PUT /_local/state document.
const maxStateBytes = 1 << 30

// HandleState serves reset and the state document:
//
//	POST /_local/reset                      everything (server metadata stays)
//	POST /_local/reset {"account","region"} one account and/or region
//	GET  /_local/state                      the state document
//	PUT  /_local/state                      replace everything with a document
func (h *Handler) HandleState(m *state.Manager) {
	h.mux.HandleFunc("POST /_local/reset", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Account string `json:"account"`
			Region  string `json:"region"`
		}
		if err := decodeStrict(w, r, &req, false); err != nil {
			writeMessage(w, http.StatusBadRequest, err.Error())
			return
		}
		if err := state.CheckScope(req.Account, req.Region); err != nil {
			writeMessage(w, http.StatusBadRequest, err.Error())
			return
		}
		if err := m.Reset(r.Context(), req.Account, req.Region); err != nil {
			h.failed(w, "reset", err)
			return
		}
		scope := map[string]string{"reset": "all"}
		if req.Account != "" || req.Region != "" {
			scope = map[string]string{"reset": "scope", "account": req.Account, "region": req.Region}
		}
		writeJSON(w, http.StatusOK, scope)
	})
	h.mux.HandleFunc("GET /_local/state", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Disposition", `attachment; filename="workspaces-local-state.json"`)
		if err := m.Export(r.Context(), w); err != nil {
			h.log().Error("state export failed mid-stream", "error", err)
		}
	})
	h.mux.HandleFunc("PUT /_local/state", func(w http.ResponseWriter, r *http.Request) {
		doc, err := state.Decode(http.MaxBytesReader(w, r.Body, maxStateBytes))
		if err == nil {
			err = m.Import(r.Context(), doc)
		}
		var inv *state.InvalidError
		switch {
		case errors.As(err, &inv):
			writeMessage(w, http.StatusBadRequest, inv.Msg)
		case err != nil:
			h.failed(w, "state import", err)
		default:
			writeJSON(w, http.StatusOK, map[string]int{"records": len(doc.Records)})
		}
	})
}

// decodeStrict reads a JSON object body into v, refusing unknown members
// and trailing data. An empty body leaves v as it is unless required.
func decodeStrict(w http.ResponseWriter, r *http.Request, v any, required bool) error {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		return errors.New("The request body could not be read or is larger than 64 KiB.")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		if required {
			return errors.New("The request needs a JSON object body.")
		}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errors.New("The body must be a JSON object with the documented members: " + err.Error() + ".")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("The body must be one JSON object with nothing after it.")
	}
	return nil
}

// SetLogger sets where the test-control endpoints log their failures.
func (h *Handler) SetLogger(l *slog.Logger) { h.logger = l }

func (h *Handler) log() *slog.Logger {
	if h.logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.logger
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg})
}

// internal answers 500 for a failure that is not the caller's, logging it.
func (h *Handler) internal(w http.ResponseWriter, what string, err error) {
	h.log().Error(what+" failed", "error", err)
	writeMessage(w, http.StatusInternalServerError, "The "+what+" failed inside the server; the server log has the details.")
}
