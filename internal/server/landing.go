package server

import "net/http"

// isLanding reports whether r is a person (a browser, curl) looking at the
// server: GET or HEAD of exactly "/" with no AWS signature (header or
// presigned query) and no X-Amz-Target. The admin handler answers it with
// the landing page; a signed request or an SDK call is never one.
func isLanding(r *http.Request) bool {
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || r.URL.Path != "/" {
		return false
	}
	if r.Header.Get("Authorization") != "" || r.Header.Get("X-Amz-Target") != "" {
		return false
	}
	q := r.URL.Query()
	return !q.Has("X-Amz-Signature") && !q.Has("X-Amz-Credential")
}
