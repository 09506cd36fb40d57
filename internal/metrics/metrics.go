// Package metrics is the Prometheus view of one server: API calls counted and
// timed by service, operation and HTTP status (a server.Observer), store
// transactions timed (a store.Store decorator), resources counted by kind at
// scrape time, and the Go runtime and process collectors. Everything lives in
// the Metrics value's own registry; nothing is registered globally.
package metrics

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/workspaces-local/workspaces-local/internal/server"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// Namespace prefixes every metric of the server.
const Namespace = "workspaces_local"

// latencyBuckets suit an emulator whose calls take tens of microseconds to a
// few milliseconds (the default buckets start at 5 ms), up to an injected
// delay of seconds.
var latencyBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Metrics holds the collectors of one server.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	tx       *prometheus.HistogramVec

	ops sync.Map // opKey -> *opMetrics, so a request does not hash label values
}

type opKey struct{ service, operation string }

// opMetrics are the children of one (service, operation).
type opMetrics struct {
	duration prometheus.Observer
	codes    sync.Map // int status -> prometheus.Counter
}

// New returns the metrics of a server whose resources live in st (read at
// scrape time for the resources gauge; pass the undecorated store so scrapes
// are not counted as transactions).
func New(st store.Store) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "requests_total",
			Help: "API calls answered, by service, operation and HTTP status code of the response.",
		}, []string{"service", "operation", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "request_duration_seconds",
			Help:    "Time from a request's arrival to its response being written, by service and operation.",
			Buckets: latencyBuckets,
		}, []string{"service", "operation"}),
		tx: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "store_transaction_duration_seconds",
			Help:    "Duration of store transactions (type view or update, result ok or error), including the work done inside them.",
			Buckets: latencyBuckets,
		}, []string{"type", "result"}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.tx,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newResourceCollector(st))
	return m
}

// Registry is the registry every collector of m is registered in.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// ServeHTTP writes the Prometheus text exposition (GET /_local/metrics).
func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}).ServeHTTP(w, r)
}

// Observe implements server.Observer: one count and one duration per call.
// A call with no detected service or operation is labelled "unknown".
func (m *Metrics) Observe(e server.Exchange) {
	k := opKey{service: orUnknown(e.Service), operation: orUnknown(e.Operation)}
	om := m.op(k)
	om.duration.Observe(e.Duration.Seconds())
	c, ok := om.codes.Load(e.Status)
	if !ok {
		c, _ = om.codes.LoadOrStore(e.Status, m.requests.WithLabelValues(k.service, k.operation, strconv.Itoa(e.Status)))
	}
	c.(prometheus.Counter).Inc()
}

func (m *Metrics) op(k opKey) *opMetrics {
	if v, ok := m.ops.Load(k); ok {
		return v.(*opMetrics)
	}
	v, _ := m.ops.LoadOrStore(k, &opMetrics{duration: m.duration.WithLabelValues(k.service, k.operation)})
	return v.(*opMetrics)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

var _ server.Observer = (*Metrics)(nil)
