// Package ui is the dashboard at /_local/ui: an embedded page (no build
// step, nothing fetched from elsewhere) and the small JSON API it reads,
// under /_local/ui/api/. The API lists and describes resources by calling the
// services' own read operations (the generated input, the service handler,
// the codec's JSON marshalling), never a second implementation of them.
package ui

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tcapi "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	wsapi "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/identity"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/state"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

//go:embed assets
var assets embed.FS

// maxRows caps the rows listed per kind (the page says when more exist).
const maxRows = 200

// readTimeout bounds one API call of the page.
const readTimeout = 10 * time.Second

// Config is what the dashboard reads.
type Config struct {
	// Store is read for the scopes (accounts and regions) holding records.
	Store store.Store
	// WorkSpaces and ThinClient are the service handlers the codecs call.
	WorkSpaces wsapi.Handler
	ThinClient tcapi.Handler
	Clock      clock.Clock
	Log        *slog.Logger
	// Admin tells which optional /_local/ endpoints (journal, faults, reset)
	// exist, so the page never requests one that is absent.
	Admin interface {
		Has(method, path string) bool
	}
}

// UI serves the dashboard.
type UI struct {
	cfg      Config
	services map[string]*service
	static   http.Handler
}

// New returns the dashboard.
func New(cfg Config) *UI {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded directory exists at build time
	}
	return &UI{cfg: cfg,
		services: map[string]*service{
			serviceWorkSpaces: newService(serviceWorkSpaces, wsapi.Operations, cfg.WorkSpaces),
			serviceThinClient: newService(serviceThinClient, tcapi.Operations, cfg.ThinClient),
		},
		static: http.StripPrefix("/_local/ui/assets/", http.FileServerFS(sub))}
}

// Register adds the dashboard's routes to the /_local/ mux.
func (u *UI) Register(handle func(pattern string, fn http.HandlerFunc)) {
	handle("GET /_local/ui", u.page)
	handle("GET /_local/ui/{$}", u.page)
	handle("GET /_local/ui/assets/", u.asset)
	handle("GET /_local/ui/api/features", u.features)
	handle("GET /_local/ui/api/scopes", u.scopes)
	handle("GET /_local/ui/api/resources", u.resources)
	handle("GET /_local/ui/api/resource", u.resource)
}

// csp allows the page only its own origin: nothing is fetched elsewhere.
const csp = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

func (u *UI) page(w http.ResponseWriter, r *http.Request) {
	b, err := assets.ReadFile("assets/index.html")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}

func (u *UI) asset(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-cache")
	u.static.ServeHTTP(w, r)
}

// features reports which optional /_local/ endpoints this server has (the
// admin mux is asked which route would serve them; none is called).
func (u *UI) features(w http.ResponseWriter, _ *http.Request) {
	has := func(method, path string) bool { return u.cfg.Admin != nil && u.cfg.Admin.Has(method, path) }
	writeJSON(w, http.StatusOK, map[string]bool{
		"journal": has("GET", "/_local/requests"),
		"faults":  has("GET", "/_local/faults"),
		"reset":   has("POST", "/_local/reset"),
		"clock":   has("GET", "/_local/clock"),
	})
}

// Scope is one account and region holding records.
type Scope struct {
	Account string `json:"account"`
	Region  string `json:"region"`
}

// scopes answers every (account, region) holding at least one record, from
// one Tx.Scopes. Records kept per region without an account (images, account
// links) list under the accounts that see them.
func (u *UI) scopes(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readTimeout)
	defer cancel()
	var all []store.Scope
	err := u.cfg.Store.View(ctx, func(tx store.Tx) (err error) {
		all, err = tx.Scopes(ctx)
		return err
	})
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Reading the store failed: " + err.Error()})
		return
	}
	seen := map[Scope]bool{}
	out := []Scope{}
	for _, s := range all {
		sc := Scope{Account: s.Account, Region: s.Region}
		if sc.Account == "" || sc.Region == "" || seen[sc] || wssvc.IndexKind(s.Kind) {
			continue
		}
		seen[sc] = true
		out = append(out, sc)
	}
	sortScopes(out)
	writeJSON(w, http.StatusOK, map[string]any{"scopes": out, "now": u.cfg.Clock.Now().UTC().Format(time.RFC3339Nano)})
}

// scopeParams reads and checks ?account=&region=, answering 400 itself.
func scopeParams(w http.ResponseWriter, r *http.Request) (account, region string, ok bool) {
	q := r.URL.Query()
	account, region = q.Get("account"), q.Get("region")
	switch {
	case account == "" || state.CheckScope(account, "") != nil: // the account check of reset and fault rules
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Query parameter account must be a 12-digit account id."})
	case !identity.KnownRegion(region):
		// The regions a request can be signed for: any other holds nothing.
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Query parameter region must be an AWS region name such as us-east-1."})
	default:
		return account, region, true
	}
	return "", "", false
}

// Row is one resource as the page's tables show it.
type Row struct {
	ID    string   `json:"id"`
	Name  string   `json:"name,omitempty"`
	State string   `json:"state,omitempty"`
	Info  []string `json:"info,omitempty"`
}

// KindRows are the rows of one kind in one account and region.
type KindRows struct {
	Key       string     `json:"key"`
	Label     string     `json:"label"`
	Service   string     `json:"service"`
	Operation string     `json:"operation"`
	Rows      []Row      `json:"rows"`
	Truncated bool       `json:"truncated,omitempty"`
	Error     *callError `json:"error,omitempty"`
}

// resources lists every kind of both services in one account and region.
func (u *UI) resources(w http.ResponseWriter, r *http.Request) {
	account, region, ok := scopeParams(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readTimeout)
	defer cancel()
	out := make([]KindRows, 0, len(kinds))
	for _, k := range kinds {
		kr := KindRows{Key: k.Key, Label: k.Label, Service: k.Service, Operation: k.List.Operation, Rows: []Row{}}
		items, more, err := u.list(ctx, k, account, region)
		if err != nil {
			if !asCall(err, &kr.Error) {
				u.cfg.Log.Error("dashboard list failed", "kind", k.Key, "err", err)
				kr.Error = &callError{Code: "InternalError", Message: err.Error(), Status: 500}
			}
		}
		for _, it := range items {
			kr.Rows = append(kr.Rows, rowOf(k, account, it))
		}
		kr.Truncated = more
		out = append(out, kr)
	}
	writeJSON(w, http.StatusOK, map[string]any{"account": account, "region": region,
		"now": u.cfg.Clock.Now().UTC().Format(time.RFC3339Nano), "kinds": out})
}

func asCall(err error, dst **callError) bool { return errors.As(err, dst) }

func rowOf(k *kind, account string, it map[string]any) Row {
	row := Row{ID: member(it, k.ID), Name: member(it, k.Name), State: member(it, k.State)}
	if k.ID == "" {
		row.ID = account
	}
	for _, m := range k.Info {
		label, path, ok := strings.Cut(m, "=")
		if !ok {
			label, path = "", m
		}
		if v := member(it, path); v != "" {
			row.Info = append(row.Info, label+v)
		}
	}
	return row
}

// list pages through k's list operation, up to maxRows items; more reports
// that the list went on.
func (u *UI) list(ctx context.Context, k *kind, account, region string) (items []map[string]any, more bool, err error) {
	svc := u.services[k.Service]
	token := ""
	for {
		c := k.List
		if token != "" {
			c = withToken(c, k, token)
		}
		raw, err := u.invoke(ctx, svc, account, region, c)
		if err != nil {
			return items, false, err
		}
		var page map[string]json.RawMessage
		if err := json.Unmarshal(raw, &page); err != nil {
			return items, false, err
		}
		if k.Items == "" {
			var one map[string]any
			err := json.Unmarshal(raw, &one)
			return []map[string]any{one}, false, err
		}
		var got []map[string]any
		if b, ok := page[k.Items]; ok {
			if err := json.Unmarshal(b, &got); err != nil {
				return items, false, err
			}
		}
		items = append(items, got...)
		token = ""
		if b, ok := page[k.Next]; ok && k.Next != "" {
			_ = json.Unmarshal(b, &token)
		}
		if token == "" {
			return items, false, nil
		}
		if len(items) >= maxRows {
			return items[:maxRows], true, nil
		}
	}
}

// withToken returns c asking for the page after token.
func withToken(c call, k *kind, token string) call {
	if k.Service == serviceThinClient {
		q := map[string]string{k.Next: token}
		for n, v := range c.Query {
			q[n] = v
		}
		c.Query = q
		return c
	}
	b := map[string]any{k.Next: token}
	for n, v := range c.Body {
		b[n] = v
	}
	c.Body = b
	return c
}

// Read is one call of a resource's description: its input and the output
// (or error) the API answers.
type Read struct {
	Operation string          `json:"operation"`
	Input     any             `json:"input"`
	Output    json.RawMessage `json:"output,omitempty"`
	Error     *callError      `json:"error,omitempty"`
}

// resource describes one resource: the kind's Describe/Get call and related
// reads, as the API answers them, plus its tags.
func (u *UI) resource(w http.ResponseWriter, r *http.Request) {
	account, region, ok := scopeParams(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	k := kindByKey(q.Get("kind"))
	if k == nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Query parameter kind must name a resource kind (" + kindKeys() + ")."})
		return
	}
	id := q.Get("id")
	if id == "" && k.ID != "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Query parameter id is required for kind " + k.Key + "."})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readTimeout)
	defer cancel()
	svc := u.services[k.Service]
	out := struct {
		Found   bool              `json:"found"`
		Kind    string            `json:"kind"`
		Service string            `json:"service"`
		ID      string            `json:"id"`
		Reads   []Read            `json:"reads"`
		Tags    *Read             `json:"tags,omitempty"`
		TagMap  map[string]string `json:"tagMap,omitempty"`
	}{Found: true, Kind: k.Key, Service: k.Service, ID: id}
	var item map[string]any
	for i, c := range k.Detail(id, nil) {
		rd := u.read(ctx, svc, account, region, c)
		if i == 0 {
			item = firstItem(rd.Output)
			if gone(k, rd, item) {
				// 200, not 404: the page polls an open description, and a
				// resource that has gone (terminated, deleted) is an answer.
				writeJSON(w, http.StatusOK, map[string]any{"kind": k.Key, "id": id, "found": false,
					"message": "No " + k.Label + " " + id + " in " + account + " " + region + " (any more).", "reads": []Read{rd}})
				return
			}
		}
		out.Reads = append(out.Reads, rd)
	}
	if k.Tags != nil {
		if c, ok := k.Tags(id, item); ok {
			rd := u.read(ctx, svc, account, region, c)
			out.Tags = &rd
			out.TagMap = tagMap(rd.Output)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// gone tells that the first read of a description found no resource: a
// not-found error (Thin Client answers it 404; WorkSpaces, an AWS JSON
// service, answers ResourceNotFoundException with 400, as GetAccountLink
// does), or a Describe call naming the id that lists nothing.
func gone(k *kind, rd Read, item map[string]any) bool {
	if rd.Error != nil {
		return rd.Error.Status == http.StatusNotFound || rd.Error.Code == "ResourceNotFoundException"
	}
	return item == nil && k.Items != ""
}

func (u *UI) read(ctx context.Context, svc *service, account, region string, c call) Read {
	rd := Read{Operation: c.Operation, Input: inputOf(c)}
	raw, err := u.invoke(ctx, svc, account, region, c)
	if err != nil {
		if !asCall(err, &rd.Error) {
			rd.Error = &callError{Code: "InternalError", Message: err.Error(), Status: 500}
		}
		return rd
	}
	rd.Output = raw
	return rd
}

// inputOf shows a call's input as a client would send it.
func inputOf(c call) any {
	if len(c.Labels) == 0 && len(c.Query) == 0 {
		if c.Body == nil {
			return map[string]any{}
		}
		return c.Body
	}
	in := map[string]any{}
	for n, v := range c.Labels {
		in[n] = v
	}
	for n, v := range c.Query {
		in[n] = v
	}
	return in
}

// firstItem is the described resource inside an output: the only element of
// its one list member (Describe*), the object of its one member (Get*), or
// the output itself (DescribeAccount).
func firstItem(raw json.RawMessage) map[string]any {
	var top map[string]any
	if json.Unmarshal(raw, &top) != nil {
		return nil
	}
	for _, v := range top {
		switch x := v.(type) {
		case []any:
			if len(x) == 0 {
				return nil
			}
			m, _ := x[0].(map[string]any)
			return m
		case map[string]any:
			if len(top) == 1 {
				return x
			}
		}
	}
	return top
}

// tagMap reads DescribeTags or ListTagsForResource output, decoded into
// the generated output shapes, as a map.
func tagMap(raw json.RawMessage) map[string]string {
	var out struct {
		wsapi.DescribeTagsOutput
		tcapi.ListTagsForResourceOutput
	}
	if json.Unmarshal(raw, &out) != nil {
		return nil
	}
	m := map[string]string{}
	for _, t := range out.TagList {
		m[api.ToString(t.Key)] = api.ToString(t.Value)
	}
	for k, v := range out.Tags {
		m[k] = v
	}
	return m
}

func kindKeys() string {
	s := ""
	for i, k := range kinds {
		if i > 0 {
			s += ", "
		}
		s += k.Key
	}
	return s
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
