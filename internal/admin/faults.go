package admin

import (
	"errors"
	"net/http"

	"github.com/workspaces-local/workspaces-local/internal/faults"
)

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
		rule, err := s.Add(sp)
		var inv *faults.InvalidError
		if errors.As(err, &inv) {
			writeMessage(w, http.StatusBadRequest, inv.Msg)
			return
		}
		writeJSON(w, http.StatusCreated, rule)
	})
	h.mux.HandleFunc("GET /_local/faults", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"faults": s.List()})
	})
	h.mux.HandleFunc("DELETE /_local/faults", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]int{"deleted": s.Clear()})
	})
	h.mux.HandleFunc("DELETE /_local/faults/{id}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if !s.Delete(id) {
			writeMessage(w, http.StatusNotFound, "No live fault rule has the id "+id+".")
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"deleted": 1})
	})
}
