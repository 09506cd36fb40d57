package server

import (
	"net/http"
	"net/netip"
	"strings"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/protocol/awsjson"
	"github.com/workspaces-local/workspaces-local/internal/protocol/restjson"
)

// Guard keeps web pages away from the emulator: a page a developer opens
// could otherwise send "simple" cross-site requests (text/plain POSTs with
// credentials in the query) that write to the store, or, through DNS
// rebinding, read answers. Every request, /_local/ included, passes it first.
type Guard struct {
	// CORSOrigins are the browser origins allowed to call the server
	// (--cors-origins); "*" allows any. Their preflights are answered.
	CORSOrigins []string
	// AllowedHosts are Host header names accepted besides IP literals,
	// localhost (and *.localhost), *.amazonaws.com(.cn) and the listen
	// address's name (--allowed-hosts); "*" accepts any.
	AllowedHosts []string
}

// corsExposed are the response headers browser SDKs read.
const corsExposed = "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, x-amz-request-id, x-amz-id-2, Date"

// denied is the guard's refusal: AccessDeniedException, 403.
func denied(msg string) *api.CommonError {
	return &api.CommonError{Code: "AccessDeniedException", Status: http.StatusForbidden, Message: msg}
}

// refuse answers the request itself when it must not reach the server (and
// answers CORS preflights); it returns true when it did.
func (g *Guard) refuse(w http.ResponseWriter, r *http.Request, call *api.Call) bool {
	if !g.hostAllowed(r.Host) {
		g.write(w, r, call, denied("Host '"+api.Echo(r.Host)+"' is not a name of this server (a DNS rebinding attempt?): use localhost or an IP address, or start the server with --allowed-hosts "+api.Echo(hostOnly(r.Host))+"."))
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		switch r.Header.Get("Sec-Fetch-Site") {
		case "cross-site", "same-site":
			g.write(w, r, call, denied("Cross-site requests from web pages are refused (Sec-Fetch-Site: "+r.Header.Get("Sec-Fetch-Site")+"); start the server with --cors-origins ORIGIN to allow a page's origin."))
			return true
		}
		return false
	}
	if origin == "http://"+r.Host || origin == "https://"+r.Host {
		return false // same origin: the server's own pages
	}
	if !g.originAllowed(origin) {
		g.write(w, r, call, denied("Cross-site request from origin '"+api.Echo(origin)+"' refused: start the server with --cors-origins "+api.Echo(origin)+" to allow that page."))
		return true
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", corsExposed)
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
		if rh := r.Header.Get("Access-Control-Request-Headers"); rh != "" {
			h.Set("Access-Control-Allow-Headers", rh)
		}
		h.Set("Access-Control-Max-Age", "600")
		h.Set("Content-Length", "0")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

func (g *Guard) write(w http.ResponseWriter, r *http.Request, call *api.Call, err error) {
	if r.Header.Get("X-Amz-Target") != "" {
		awsjson.WriteError(w, call, err)
	} else {
		restjson.WriteError(w, call, err)
	}
}

func (g *Guard) originAllowed(origin string) bool {
	for _, o := range g.CORSOrigins {
		if o == "*" || o == origin {
			return true
		}
	}
	return false
}

// hostOnly is the host of a Host header without its port.
func hostOnly(hostport string) string {
	if strings.HasPrefix(hostport, "[") {
		if i := strings.IndexByte(hostport, ']'); i > 0 {
			return hostport[1:i]
		}
		return hostport
	}
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && strings.Count(hostport, ":") == 1 {
		return hostport[:i]
	}
	return hostport
}

func (g *Guard) hostAllowed(hostport string) bool {
	h := strings.TrimSuffix(hostOnly(hostport), ".")
	if h == "" {
		return true // HTTP/1.0 without Host: no browser sends that
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return true // a page can only reach an IP literal cross-origin, which the Origin check refuses
	}
	lower := strings.ToLower(h)
	if lower == "localhost" || strings.HasSuffix(lower, ".localhost") ||
		strings.HasSuffix(lower, ".amazonaws.com") || strings.HasSuffix(lower, ".amazonaws.com.cn") {
		return true
	}
	for _, a := range g.AllowedHosts {
		if a == "*" || strings.EqualFold(a, h) || strings.EqualFold("api."+a, h) {
			return true
		}
	}
	return false
}
