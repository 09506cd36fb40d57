package admin

import (
	"context"
	"net/http"
	"time"

	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
)

// WorkSpaces is the WorkSpaces simulation the /_local/workspaces endpoints drive.
type WorkSpaces interface {
	StartPoolSession(ctx context.Context, now time.Time, poolID string, in wssvc.SessionStart) (*ws.WorkspacesPoolSession, error)
	SetPoolSessionConnected(ctx context.Context, now time.Time, sessionID string, connected bool) (*ws.WorkspacesPoolSession, error)
	SetImageUpdate(ctx context.Context, now time.Time, imageID string, in wssvc.ImageUpdate) (*ws.WorkspaceImage, error)
}

// HandleWorkSpaces serves the WorkSpaces simulations (no signature):
//   - POST /_local/workspaces/pools/{id}/sessions {"userId":"alice"} → 201 with the session
//   - POST /_local/workspaces/pools/sessions/{id}/disconnect and …/connect → 200 with the session
//   - POST /_local/workspaces/images/{id}/updates {"updateAvailable":true} → 200 with the image
func (h *Handler) HandleWorkSpaces(s WorkSpaces) {
	h.mux.HandleFunc("POST /_local/workspaces/pools/{id}/sessions", func(w http.ResponseWriter, r *http.Request) {
		var req wssvc.SessionStart
		if !readBody(w, r, &req, true) {
			return
		}
		out, err := s.StartPoolSession(r.Context(), h.clock.Now(), r.PathValue("id"), req)
		respond(h, w, http.StatusCreated, out, err)
	})
	for verb, connected := range map[string]bool{"connect": true, "disconnect": false} {
		h.mux.HandleFunc("POST /_local/workspaces/pools/sessions/{id}/"+verb, func(w http.ResponseWriter, r *http.Request) {
			out, err := s.SetPoolSessionConnected(r.Context(), h.clock.Now(), r.PathValue("id"), connected)
			respond(h, w, http.StatusOK, out, err)
		})
	}
	h.mux.HandleFunc("POST /_local/workspaces/images/{id}/updates", func(w http.ResponseWriter, r *http.Request) {
		var req wssvc.ImageUpdate
		if !readBody(w, r, &req, true) {
			return
		}
		out, err := s.SetImageUpdate(r.Context(), h.clock.Now(), r.PathValue("id"), req)
		respond(h, w, http.StatusOK, out, err)
	})
}
