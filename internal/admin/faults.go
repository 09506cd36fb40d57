package admin

import (
	"errors"
	"net/http"

	"github.com/workspaces-local/workspaces-local/internal/faults"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// failed answers a failure of a shared backend: 503 while the database
// cannot be reached (retry later), else 500.
func (h *Handler) failed(w http.ResponseWriter, what string, err error) {
	if errors.Is(err, store.ErrUnavailable) {
		h.log().Warn(what+" failed: the database is unreachable", "error", err)
		writeMessage(w, http.StatusServiceUnavailable, "The "+what+" failed: the database cannot be reached; retry once it is back.")
		return
	}
	h.internal(w, what, err)
}

// HandleFaults serves fault injection:
//
//	POST   /_local/faults       add a rule → 201 {"id": ...}
//	GET    /_local/faults       the live rules with their hit counts
//	DELETE /_local/faults       remove every rule
//	DELETE /_local/faults/{id}  remove one rule (404 if it is not live)
func (h *Handler) HandleFaults(s *faults.Set) {
	h.mux.HandleFunc("POST /_local/faults", func(w http.ResponseWriter, r *http.Request) {
		var sp faults.Spec
		if err := decodeStrict(w, r, &sp, true); err != nil {
			writeMessage(w, http.StatusBadRequest, err.Error())
			return
		}
		rule, err := s.Add(r.Context(), sp)
		var inv *faults.InvalidError
		switch {
		case errors.As(err, &inv):
			writeMessage(w, http.StatusBadRequest, inv.Msg)
		case err != nil:
			h.failed(w, "fault rule change", err)
		default:
			writeJSON(w, http.StatusCreated, rule)
		}
	})
	h.mux.HandleFunc("GET /_local/faults", func(w http.ResponseWriter, r *http.Request) {
		rules, err := s.List(r.Context())
		if err != nil {
			h.failed(w, "fault rule listing", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"faults": rules})
	})
	h.mux.HandleFunc("DELETE /_local/faults", func(w http.ResponseWriter, r *http.Request) {
		n, err := s.Clear(r.Context())
		if err != nil {
			h.failed(w, "fault rule change", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"deleted": n})
	})
	h.mux.HandleFunc("DELETE /_local/faults/{id}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		ok, err := s.Delete(r.Context(), id)
		if err != nil {
			h.failed(w, "fault rule change", err)
			return
		}
		if !ok {
			writeMessage(w, http.StatusNotFound, "No live fault rule has the id "+id+".")
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"deleted": 1})
	})
}
