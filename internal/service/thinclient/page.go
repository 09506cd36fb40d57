package thinclient

import (
	"context"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// listPage reads one page of scope sc in creation order straight from the
// store: the n records after the token's Seq and one more that shows a next
// page follows, so a page costs what it holds, whatever the scope holds
// (docs/architecture.md). It returns the page and the next token ("" on the
// last page).
func (s *Service) listPage(ctx context.Context, tx store.Tx, c *api.Call, sc store.Scope, token *string, n int) ([]store.Record, string, error) {
	ps := paging.Scope{Op: c.Operation, Account: c.Account, Region: c.Region}
	after, err := s.pages.Decode(api.ToString(token), ps, c.Now)
	if err != nil {
		return nil, "", badToken()
	}
	n = max(n, 1)
	recs, err := tx.List(ctx, store.Query{Scope: sc, AfterSeq: after, Limit: n + 1})
	if err != nil || len(recs) <= n {
		return recs, "", err
	}
	return recs[:n], s.pages.Encode(ps, recs[n-1].Seq, c.Now), nil
}
