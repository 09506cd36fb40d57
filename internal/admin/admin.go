// Package admin serves the emulator's own endpoints under /_local/ on the
// same port: health, the clock (manual mode) and, from the Thin Client
// family on, simulated devices. No AWS route ever starts with /_local/.
package admin

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/clock"
)

// Info is what /_local/health reports.
type Info struct {
	Version  string   `json:"version"`
	Commit   string   `json:"commit,omitempty"`
	Services []string `json:"services"`
	Store    string   `json:"store"`
	DataDir  string   `json:"dataDir,omitempty"`
	Clock    string   `json:"clock"`
}

// Handler serves /_local/.
type Handler struct {
	mux   *http.ServeMux
	info  Info
	clock clock.Clock
	// logger receives failures of the test-control endpoints (SetLogger).
	logger *slog.Logger
	// ping and stats, when set, report on a networked store's database.
	ping  func(context.Context) error
	stats func() any
}

// CheckStore makes /_local/health report whether the store's database
// answers ping (503 and status "unavailable" when it does not) and the
// store's counters.
func (h *Handler) CheckStore(ping func(context.Context) error, stats func() any) {
	h.ping, h.stats = ping, stats
}

// New returns the admin handler.
func New(info Info, clk clock.Clock) *Handler {
	h := &Handler{mux: http.NewServeMux(), info: info, clock: clk}
	h.mux.HandleFunc("GET /{$}", h.landing)
	h.mux.HandleFunc("GET /_local/health", h.health)
	h.mux.HandleFunc("GET /_local/clock", h.getClock)
	h.mux.HandleFunc("POST /_local/clock", h.setClock)
	h.mux.HandleFunc("/_local/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "No such endpoint: " + r.Method + " " + r.URL.Path})
	})
	return h
}

// Handle registers another /_local/ endpoint (pattern as for http.ServeMux).
func (h *Handler) Handle(pattern string, fn http.HandlerFunc) { h.mux.HandleFunc(pattern, fn) }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Has reports whether an endpoint is registered for method and path (other
// than the catch-all 404), without calling it: the dashboard asks which
// optional endpoints this server has.
func (h *Handler) Has(method, path string) bool {
	_, pattern := h.mux.Handler(&http.Request{Method: method, URL: &url.URL{Path: path}, Host: "localhost"})
	return pattern != "" && pattern != "/_local/"
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	resp := struct {
		Status string `json:"status"`
		Info
		Database   string `json:"database,omitempty"`
		StoreStats any    `json:"storeStats,omitempty"`
	}{Status: "ok", Info: h.info}
	code := http.StatusOK
	if h.ping != nil {
		resp.Database = "reachable"
		if err := h.ping(r.Context()); err != nil {
			resp.Status, resp.Database, code = "unavailable", "unreachable: "+err.Error(), http.StatusServiceUnavailable
		}
	}
	if h.stats != nil {
		resp.StoreStats = h.stats()
	}
	writeJSON(w, code, resp)
}

func (h *Handler) getClock(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"now": h.clock.Now().Format(time.RFC3339Nano), "mode": h.info.Clock})
}

// setClock advances a manual clock: {"advance": "90s"} or {"set": "RFC3339"}.
func (h *Handler) setClock(w http.ResponseWriter, r *http.Request) {
	m, ok := h.clock.(clock.Mover)
	if !ok {
		writeJSON(w, http.StatusConflict, map[string]string{"message": "The clock is real; start the server with --manual-clock to control time."})
		return
	}
	var req struct {
		Advance string `json:"advance"`
		Set     string `json:"set"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Body must be {\"advance\": \"<duration>\"} or {\"set\": \"<RFC3339 time>\"}."})
		return
	}
	var d time.Duration
	var t time.Time
	if req.Advance != "" {
		var err error
		d, err = time.ParseDuration(req.Advance)
		if err != nil || d < 0 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "advance must be a positive Go duration such as 90s or 5m."})
			return
		}
	}
	if req.Set != "" {
		var err error
		t, err = time.Parse(time.RFC3339Nano, req.Set)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "set must be an RFC3339 time."})
			return
		}
	}
	now, err := m.Move(r.Context(), d, t)
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "The clock could not be moved: " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": now.Format(time.RFC3339Nano), "mode": h.info.Clock})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
