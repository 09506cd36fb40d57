package admin

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
)

// docsURL is where the project's documentation lives.
const docsURL = "https://github.com/workspaces-local/workspaces-local#readme"

// landingPage is what GET / shows a person: what this is, the version and
// where to go next.
type landingPage struct {
	Name      string            `json:"name"`
	About     string            `json:"about"`
	Version   string            `json:"version"`
	Commit    string            `json:"commit,omitempty"`
	Services  []string          `json:"services"`
	Store     string            `json:"store"`
	DataDir   string            `json:"dataDir,omitempty"`
	Links     map[string]string `json:"links"`
	Endpoints map[string]string `json:"endpointVariables"`
}

var landingHTML = template.Must(template.New("landing").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>workspaces-local {{.Version}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .2rem}</style></head>
<body>
<h1>workspaces-local</h1>
<p>{{.About}}</p>
<p>Version <code>{{.Version}}</code>{{if .Commit}} (commit <code>{{.Commit}}</code>){{end}}; store <code>{{.Store}}</code>{{if .DataDir}} in <code>{{.DataDir}}</code>{{end}}.</p>
<ul>
<li><a href="{{index .Links "health"}}">health</a> — version, services and store as JSON</li>
<li><a href="{{index .Links "dashboard"}}">dashboard</a> — what each account and region holds</li>
<li><a href="{{index .Links "docs"}}">documentation</a> — running it, pointing clients at it, using it from a test suite</li>
</ul>
<p>Point clients at this server (the AWS CLI, boto3, the SDKs and Terraform read these):</p>
<pre>export AWS_ENDPOINT_URL_WORKSPACES={{index .Endpoints "AWS_ENDPOINT_URL_WORKSPACES"}}
export AWS_ENDPOINT_URL_WORKSPACES_THIN_CLIENT={{index .Endpoints "AWS_ENDPOINT_URL_WORKSPACES_THIN_CLIENT"}}
export AWS_DISABLE_HOST_PREFIX_INJECTION=true</pre>
</body></html>
`))

// landing answers GET / with HTML, or JSON when the client prefers it.
func (h *Handler) landing(w http.ResponseWriter, r *http.Request) {
	base := "http://" + r.Host
	p := landingPage{
		Name:     "workspaces-local",
		About:    "A local emulator of Amazon WorkSpaces (AWS JSON 1.1) and Amazon WorkSpaces Thin Client (REST-JSON) for offline development and tests. API calls must be signed (SigV4) like calls to AWS; this page is for people.",
		Version:  h.info.Version,
		Commit:   h.info.Commit,
		Services: h.info.Services,
		Store:    h.info.Store,
		DataDir:  h.info.DataDir,
		Links: map[string]string{
			"health":    "/_local/health",
			"dashboard": "/_local/ui",
			"docs":      docsURL,
		},
		Endpoints: map[string]string{
			"AWS_ENDPOINT_URL_WORKSPACES":             base,
			"AWS_ENDPOINT_URL_WORKSPACES_THIN_CLIENT": base,
		},
	}
	w.Header().Set("Vary", "Accept")
	if prefersJSON(r.Header.Get("Accept")) {
		writeJSON(w, http.StatusOK, p)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = landingHTML.Execute(w, p)
}

// prefersJSON reports whether an Accept header ranks application/json (or
// */json) above text/html. No header, or a tie, means HTML.
func prefersJSON(accept string) bool {
	jsonQ, htmlQ := -1.0, -1.0
	for _, part := range strings.Split(accept, ",") {
		typ, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		typ = strings.ToLower(strings.TrimSpace(typ))
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		switch typ {
		case "application/json":
			jsonQ = max(jsonQ, q)
		case "text/html":
			htmlQ = max(htmlQ, q)
		}
	}
	return jsonQ > 0 && jsonQ > htmlQ
}
