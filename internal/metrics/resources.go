package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// resourceKinds maps the store record kinds that hold one resource each to
// the (service, kind) labels of workspaces_local_resources. The record kind
// names are the services' own (internal/service/*/service.go);
// TestMetricsResourcesByKind (test/integration) creates one of each through
// the API, so a renamed kind fails it. Other record kinds (tags, indexes, counters) are not resources.
var resourceKinds = map[string][2]string{
	"workspaces.directory":   {"workspaces", "directory"},
	"workspaces.workspace":   {"workspaces", "workspace"},
	"workspaces.ipgroup":     {"workspaces", "ip_group"},
	"workspaces.image":       {"workspaces", "image"},
	"workspaces.link":        {"workspaces", "account_link"},
	"workspaces.alias":       {"workspaces", "connection_alias"},
	"workspaces.pool":        {"workspaces", "pool"},
	"workspaces.bundle":      {"workspaces", "bundle"},
	"workspaces.addin":       {"workspaces", "connect_client_add_in"},
	"thinclient.environment": {"thinclient", "environment"},
	"thinclient.device":      {"thinclient", "device"},
}

// scrapeTimeout bounds the store read of one scrape.
const scrapeTimeout = 5 * time.Second

// resourceCollector counts resources at scrape time: one Tx.Scopes (one
// index seek per scope) and one Count per resource scope, in one View.
type resourceCollector struct {
	st   store.Store
	desc *prometheus.Desc
}

func newResourceCollector(st store.Store) *resourceCollector {
	return &resourceCollector{st: st, desc: prometheus.NewDesc(Namespace+"_resources",
		"Resources stored, by service and kind, over every account and region (counted at scrape time; includes resources that are terminating or deleting).",
		[]string{"service", "kind"}, nil)}
}

func (c *resourceCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *resourceCollector) Collect(ch chan<- prometheus.Metric) {
	counts, err := c.count()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for _, labels := range resourceKinds {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(counts[labels]), labels[0], labels[1])
	}
}

func (c *resourceCollector) count() (map[[2]string]int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	counts := map[[2]string]int{}
	err := c.st.View(ctx, func(tx store.Tx) error {
		scopes, err := tx.Scopes(ctx)
		if err != nil {
			return err
		}
		for _, s := range scopes {
			labels, ok := resourceKinds[s.Kind]
			if !ok {
				continue
			}
			n, err := tx.Count(ctx, s)
			if err != nil {
				return err
			}
			counts[labels] += n
		}
		return nil
	})
	return counts, err
}
