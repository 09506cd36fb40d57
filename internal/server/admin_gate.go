package server

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"path"
	"strings"
)

// adminHealth is open without the admin token.
const adminHealth = "/_local/health"

// openWithoutToken reports whether a /_local/ request needs no admin token:
// health, and the dashboard's page and static assets, which hold no data
// (a browser loads them itself and cannot add the header; the page then
// sends the token on every /_local/ui/api/ call).
func openWithoutToken(method, p string) bool {
	if p == adminHealth {
		return true
	}
	if method != http.MethodGet && method != http.MethodHead {
		return false
	}
	return p == "/_local/ui" || p == "/_local/ui/" || strings.HasPrefix(p, "/_local/ui/assets/")
}

// isAdmin reports whether a request is for the /_local/ namespace: its path
// as sent (not percent-decoded: /%5flocal/ is not it) starts with /_local/.
func isAdmin(r *http.Request) bool {
	p := r.URL.EscapedPath()
	return strings.HasPrefix(p, "/_local/") || p == "/_local"
}

// serveAdmin passes a /_local/ request to the admin handler when its path is
// clean (the admin mux would answer an unclean one with an HTML redirect) and,
// with an admin token configured, it carries "Authorization: Bearer TOKEN".
// Every refusal is JSON.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	p := r.URL.EscapedPath()
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if clean != p || p != r.URL.Path {
		adminError(w, http.StatusBadRequest, "The /_local/ path must be clean: no '.', '..', '//' or percent-encoded characters.")
		return
	}
	if p == "/_local" { // the mux would redirect it to /_local/
		adminError(w, http.StatusNotFound, "No such endpoint: "+r.Method+" /_local (the endpoints are under /_local/, e.g. GET /_local/health).")
		return
	}
	if s.cfg.AdminToken != "" && !openWithoutToken(r.Method, p) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.AdminToken)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="workspaces-local /_local/"`)
			adminError(w, http.StatusUnauthorized, "The /_local/ endpoints need 'Authorization: Bearer <token>' with the token the server was started with (--admin-token).")
			return
		}
	}
	s.cfg.Admin.ServeHTTP(w, r)
}

func adminError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(map[string]string{"message": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
