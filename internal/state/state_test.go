package state_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/state"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
)

type rec struct {
	ID string `json:"id"`
}

func (r *rec) CheckState(k store.Key) error { return state.SameID("id", &r.ID, k) }

// part owns the kinds "t.thing" and "t.list/<anything>" and has nothing
// region-wide to reset.
type part struct{}

var kinds = state.Kinds{"t.thing": func() any { return new(rec) }, "t.list/": func() any { return new(struct{}) }}

func (part) CheckRecord(r store.Record) (bool, error) { return kinds.Check(r) }
func (part) ResetScope(context.Context, store.Tx, string, string, []string) error {
	return nil
}

func setup(t *testing.T) (*state.Manager, *clock.Manual) {
	t.Helper()
	st := rerun.Wrap(memory.New())
	t.Cleanup(func() { st.Close() })
	clk := clock.NewManual(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	ctx := t.Context()
	err := st.Update(ctx, func(tx store.Tx) error {
		for _, k := range []store.Key{
			{Kind: "server.meta", ID: "paging-key"},
			{Kind: "t.thing", Account: "111111111111", Region: "us-east-1", ID: "a"},
			{Kind: "t.thing", Account: "222222222222", Region: "us-east-1", ID: "b"},
			{Kind: "t.list/x", Account: "111111111111", Region: "eu-west-1", ID: "c"},
		} {
			if err := tx.Create(ctx, k, rec{ID: k.ID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return &state.Manager{Store: st, Parts: []state.Part{part{}}, Clock: clk}, clk
}

func keys(t *testing.T, m *state.Manager) []string {
	t.Helper()
	var out []string
	if err := m.Store.Export(t.Context(), func(r store.Record) error {
		out = append(out, r.Key.Kind+":"+r.Key.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestResetKeepsServerMetadata(t *testing.T) {
	m, _ := setup(t)
	if empty, err := m.Empty(t.Context()); empty || err != nil {
		t.Errorf("Empty before any reset = %v, %v", empty, err)
	}
	if err := m.Reset(t.Context(), "111111111111", ""); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(keys(t, m), " "); got != "server.meta:paging-key t.thing:b" {
		t.Errorf("after resetting account 1: %s", got)
	}
	// Metadata of another server.* kind, in a region's scope, stays too.
	if err := m.Store.Update(t.Context(), func(tx store.Tx) error {
		return tx.Put(t.Context(), store.Key{Kind: "server.cache", Region: "us-east-1", ID: "z"}, rec{ID: "z"})
	}); err != nil {
		t.Fatal(err)
	}
	if err := m.Reset(t.Context(), "", ""); err != nil {
		t.Fatal(err)
	}
	got := keys(t, m)
	slices.Sort(got)
	if strings.Join(got, " ") != "server.cache:z server.meta:paging-key" {
		t.Errorf("after a whole reset: %s", got)
	}
	if empty, err := m.Empty(t.Context()); !empty || err != nil {
		t.Errorf("Empty = %v, %v", empty, err)
	}
}

func TestExportImport(t *testing.T) {
	m, clk := setup(t)
	var doc bytes.Buffer
	if err := m.Export(t.Context(), &doc); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(doc.String(), "server.meta") {
		t.Errorf("the document carries server metadata: %s", doc.String())
	}
	var d state.Document
	if err := json.Unmarshal(doc.Bytes(), &d); err != nil || len(d.Records) != 3 {
		t.Fatalf("document %s: %v", doc.String(), err)
	}
	if err := m.Reset(t.Context(), "", ""); err != nil {
		t.Fatal(err)
	}
	// Move the document's clock on: the import moves the manual clock there.
	later := clk.Now().Add(time.Hour)
	d.Clock = later
	if err := m.Import(t.Context(), &d); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(keys(t, m), " "); got != "t.thing:a t.thing:b t.list/x:c server.meta:paging-key" {
		t.Errorf("after import: %s", got)
	}
	if !clk.Now().Equal(later) {
		t.Errorf("clock %v, want %v", clk.Now(), later)
	}
}

func TestImportRefusals(t *testing.T) {
	m, _ := setup(t)
	before := strings.Join(keys(t, m), " ")
	for name, doc := range map[string]string{
		"unknown kind":   `{"format":"workspaces-local-state","version":1,"records":[{"kind":"t.other","id":"a","seq":1,"value":{}}]}`,
		"bare prefix":    `{"format":"workspaces-local-state","version":1,"records":[{"kind":"t.list","id":"a","seq":1,"value":{}}]}`,
		"id mismatch":    `{"format":"workspaces-local-state","version":1,"records":[{"kind":"t.thing","id":"a","seq":1,"value":{"id":"b"}}]}`,
		"wrong type":     `{"format":"workspaces-local-state","version":1,"records":[{"kind":"t.thing","id":"a","seq":1,"value":{"id":5}}]}`,
		"duplicate key":  `{"format":"workspaces-local-state","version":1,"records":[{"kind":"t.thing","id":"a","seq":1,"value":{"id":"a"}},{"kind":"t.thing","id":"a","seq":2,"value":{"id":"a"}}]}`,
		"negative seq":   `{"format":"workspaces-local-state","version":1,"records":[{"kind":"t.thing","id":"a","seq":-1,"value":{"id":"a"}}]}`,
		"missing value":  `{"format":"workspaces-local-state","version":1,"records":[{"kind":"t.thing","id":"a","seq":1}]}`,
		"version 0":      `{"format":"workspaces-local-state","records":[]}`,
		"two documents":  `{"format":"workspaces-local-state","version":1,"records":[]}{}`,
		"unknown member": `{"format":"workspaces-local-state","version":1,"records":[{"kind":"t.thing","id":"a","seq":1,"value":{"id":"a"},"x":1}]}`,
	} {
		err := m.Load(t.Context(), strings.NewReader(doc))
		var inv *state.InvalidError
		if !errors.As(err, &inv) || inv.Msg == "" {
			t.Errorf("%s: %v, want an InvalidError", name, err)
		}
	}
	if after := strings.Join(keys(t, m), " "); after != before {
		t.Errorf("refused imports changed the store: %s, want %s", after, before)
	}
	ok := `{"format":"workspaces-local-state","version":1,"records":[{"kind":"t.list/y","id":"z","seq":9,"value":{ }}]}`
	if err := m.Load(t.Context(), strings.NewReader(ok)); err != nil {
		t.Errorf("valid document: %v", err)
	}
}

func TestMatches(t *testing.T) {
	for _, tc := range []struct {
		account, region, recAccount, recRegion string
		want                                   bool
	}{
		{"1", "r", "1", "r", true},
		{"1", "r", "1", "s", false},
		{"1", "", "1", "s", true},
		{"", "r", "2", "r", true},
		{"1", "", "2", "r", false},
	} {
		if got := state.Matches(tc.account, tc.region, tc.recAccount, tc.recRegion); got != tc.want {
			t.Errorf("Matches%v = %v", tc, got)
		}
	}
}

// TestResetRefusesABadScope: a scope that names no account or region
// could be is refused before anything is deleted.
func TestResetRefusesABadScope(t *testing.T) {
	m, _ := setup(t)
	before := keys(t, m)
	for _, sc := range [][2]string{{"1111", ""}, {"", "US-EAST-1"}, {"111111111111", "east"}, {"", "us-east-9"}} {
		var inv *state.InvalidError
		if err := m.Reset(t.Context(), sc[0], sc[1]); !errors.As(err, &inv) {
			t.Errorf("Reset(%q, %q) = %v, want an InvalidError", sc[0], sc[1], err)
		}
	}
	if after := keys(t, m); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("a refused reset deleted records: %v → %v", before, after)
	}
}
