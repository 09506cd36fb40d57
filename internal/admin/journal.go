package admin

import (
	"net/http"
	"strconv"

	"github.com/workspaces-local/workspaces-local/internal/journal"
)

// journalParams are the query parameters of GET /_local/requests.
var journalParams = map[string]bool{"limit": true, "operation": true, "account": true, "status": true}

// HandleJournal serves the request journal:
//
//	GET    /_local/requests?limit=N&operation=&account=&status=  newest first
//	DELETE /_local/requests                                      forget every call
func (h *Handler) HandleJournal(j *journal.Ring) {
	h.mux.HandleFunc("GET /_local/requests", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		for name := range q {
			if !journalParams[name] {
				writeMessage(w, http.StatusBadRequest, "Unknown query parameter "+strconv.Quote(name)+": the journal filters on limit, operation, account and status.")
				return
			}
		}
		f := journal.Filter{Operation: q.Get("operation"), Account: q.Get("account")}
		for name, dst := range map[string]*int{"limit": &f.Limit, "status": &f.Status} {
			v := q.Get(name)
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				writeMessage(w, http.StatusBadRequest, name+" must be a non-negative integer.")
				return
			}
			*dst = n
		}
		es, err := j.Entries(r.Context(), f)
		if err != nil {
			h.failed(w, "journal listing", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"requests": es})
	})
	h.mux.HandleFunc("DELETE /_local/requests", func(w http.ResponseWriter, r *http.Request) {
		if err := j.Clear(r.Context()); err != nil {
			h.failed(w, "journal clearing", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"cleared": true})
	})
}
