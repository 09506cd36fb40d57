package server

import (
	"net/http"
	"net/http/httptest"
)

func httptestRequest(method, target string, header map[string]string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	return r
}
