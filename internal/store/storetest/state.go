package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/store"
)

// stateTests cover Export, Import and Tx.DeleteScope: the whole-store
// operations behind reset and state export/import.
func stateTests() []test {
	return []test{
		{"ExportAllInSeqOrder", testExport},
		{"ImportReplacesKeepingSeqs", testImport},
		{"ImportRefusesInvalid", testImportInvalid},
		{"DeleteScope", testDeleteScope},
		{"DeleteScopeRollback", testDeleteScopeRollback},
	}
}

// world stores records in three scopes of two accounts and regions and in
// a global scope, and returns their keys in creation order.
func world(t *testing.T, s store.Store) []store.Key {
	t.Helper()
	scopes := []store.Scope{
		{Kind: "workspace", Account: "111111111111", Region: "us-east-1"},
		{Kind: "tags", Account: "111111111111", Region: "eu-west-1"},
		{Kind: "workspace", Account: "222222222222", Region: "us-east-1"},
		{Kind: "image", Region: "us-east-1"},
		{Kind: "meta"},
	}
	var keys []store.Key
	for i, sc := range scopes {
		for _, id := range []string{"x", "y"} {
			k := keyIn(sc, id)
			create(t, s, k, doc{Name: sc.Kind + "/" + id, N: i})
			keys = append(keys, k)
		}
	}
	return keys
}

// export collects Export's records.
func export(t testing.TB, s store.Store) []store.Record {
	t.Helper()
	var out []store.Record
	if err := s.Export(t.Context(), func(r store.Record) error { out = append(out, r); return nil }); err != nil {
		t.Fatalf("Export: %v", err)
	}
	return out
}

func testExport(t *testing.T, s store.Store) {
	keys := world(t, s)
	update(t, s, func(ctx context.Context, tx store.Tx) error { return tx.Delete(ctx, keys[1]) })
	recs := export(t, s)
	want := append([]store.Key{keys[0]}, keys[2:]...)
	if len(recs) != len(want) {
		t.Fatalf("Export gave %d records, want %d", len(recs), len(want))
	}
	for i, r := range recs {
		if r.Key != want[i] {
			t.Errorf("record %d is %v, want %v", i, r.Key, want[i])
		}
		if i > 0 && r.Seq <= recs[i-1].Seq {
			t.Errorf("record %d has Seq %d after %d", i, r.Seq, recs[i-1].Seq)
		}
		var d doc
		if err := r.Decode(&d); err != nil || d.Name != r.Key.Kind+"/"+r.Key.ID {
			t.Errorf("record %d value %q: %v", i, r.Value, err)
		}
	}
	stop := errors.New("stop")
	n := 0
	err := s.Export(t.Context(), func(store.Record) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Export with a failing fn = %v after %d calls, want stop after 1", err, n)
	}
}

func testImport(t *testing.T, s store.Store) {
	world(t, s)
	other := store.Scope{Kind: "workspace", Account: "333333333333", Region: "ap-south-1"}
	recs := []store.Record{
		{Key: keyIn(other, "b"), Seq: 70, Value: json.RawMessage(`{"name":"b","n":2}`)},
		{Key: keyIn(other, "a"), Seq: 40, Value: json.RawMessage(`{"name":"a","n":1}`)},
		{Key: store.Key{Kind: "meta", ID: "m"}, Seq: 5, Value: json.RawMessage(`{"name":"m"}`)},
	}
	if err := s.Import(t.Context(), recs); err != nil {
		t.Fatalf("Import: %v", err)
	}
	got := export(t, s)
	if len(got) != 3 || got[0].Seq != 5 || got[1].Key.ID != "a" || got[1].Seq != 40 || got[2].Seq != 70 {
		t.Fatalf("after Import, Export = %+v", got)
	}
	if d := mustGet(t, s, keyIn(other, "b")); d != (doc{Name: "b", N: 2}) {
		t.Errorf("Get(b) = %+v", d)
	}
	if n := count(t, s, scope); n != 0 {
		t.Errorf("old scope still counts %d records", n)
	}
	if got := list(t, s, store.Query{Scope: other, AfterSeq: 40}); len(got) != 1 || got[0].Key.ID != "b" {
		t.Errorf("List after Seq 40 = %+v, want b", got)
	}
	create(t, s, keyIn(other, "c"), doc{Name: "c"})
	if seq := seqOf(t, s, keyIn(other, "c")); seq <= 70 {
		t.Errorf("Create after Import got Seq %d, want above 70", seq)
	}
	if err := s.Import(t.Context(), nil); err != nil {
		t.Fatalf("Import(nil): %v", err)
	}
	if got := export(t, s); len(got) != 0 {
		t.Errorf("Import(nil) left %d records", len(got))
	}
}

func testImportInvalid(t *testing.T, s store.Store) {
	world(t, s)
	before := export(t, s)
	v := json.RawMessage(`{}`)
	k := key("a")
	cases := map[string][]store.Record{
		"no kind":       {{Key: store.Key{ID: "a"}, Seq: 1, Value: v}},
		"no id":         {{Key: store.Key{Kind: "k"}, Seq: 1, Value: v}},
		"zero seq":      {{Key: k, Seq: 0, Value: v}},
		"bad JSON":      {{Key: k, Seq: 1, Value: json.RawMessage(`{"a":`)}},
		"empty value":   {{Key: k, Seq: 1}},
		"duplicate key": {{Key: k, Seq: 1, Value: v}, {Key: k, Seq: 2, Value: v}},
		"duplicate seq": {{Key: k, Seq: 1, Value: v}, {Key: key("b"), Seq: 1, Value: v}},
	}
	for name, recs := range cases {
		if err := s.Import(t.Context(), recs); err == nil {
			t.Errorf("Import(%s) succeeded", name)
		}
	}
	after := export(t, s)
	if len(after) != len(before) {
		t.Fatalf("refused imports changed the store: %d records, want %d", len(after), len(before))
	}
	for i := range after {
		if after[i].Key != before[i].Key || after[i].Seq != before[i].Seq || string(after[i].Value) != string(before[i].Value) {
			t.Errorf("record %d is %+v, want %+v", i, after[i], before[i])
		}
	}
}

func testDeleteScope(t *testing.T, s store.Store) {
	cases := []struct {
		account, region string
		want            int // records deleted
	}{
		{"111111111111", "us-east-1", 2},
		{"111111111111", "", 4},
		{"", "us-east-1", 6},
		{"444444444444", "", 0},
		{"", "", 10},
	}
	for _, tc := range cases {
		t.Run(tc.account+"/"+tc.region, func(t *testing.T) {
			update(t, s, func(ctx context.Context, tx store.Tx) error { _, err := tx.DeleteScope(ctx, "", ""); return err })
			keys := world(t, s)
			var n int
			update(t, s, func(ctx context.Context, tx store.Tx) (err error) {
				n, err = tx.DeleteScope(ctx, tc.account, tc.region)
				return err
			})
			if n != tc.want {
				t.Errorf("DeleteScope = %d, want %d", n, tc.want)
			}
			for _, k := range keys {
				match := (tc.account == "" || k.Account == tc.account) && (tc.region == "" || k.Region == tc.region)
				_, err := get(t, s, k)
				if gone := errors.Is(err, store.ErrNotFound); gone != match {
					t.Errorf("%v: gone = %v, want %v", k, gone, match)
				}
				if !match && count(t, s, k.Scope()) != 2 {
					t.Errorf("%v: scope count changed", k)
				}
			}
		})
	}
}

func testDeleteScopeRollback(t *testing.T, s store.Store) {
	keys := world(t, s)
	before := export(t, s)
	boom := errors.New("boom")
	err := s.Update(t.Context(), func(tx store.Tx) error {
		if n, err := tx.DeleteScope(t.Context(), "", ""); err != nil || n != len(keys) {
			return errors.Join(err, errors.New("DeleteScope did not delete everything"))
		}
		if n, _ := tx.Count(t.Context(), keys[0].Scope()); n != 0 {
			return errors.New("a deleted scope still counts records inside the Update")
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	after := export(t, s)
	if len(after) != len(before) {
		t.Fatalf("after rollback %d records, want %d", len(after), len(before))
	}
	for i := range after {
		if after[i].Key != before[i].Key || after[i].Seq != before[i].Seq {
			t.Errorf("record %d is %v/%d, want %v/%d", i, after[i].Key, after[i].Seq, before[i].Key, before[i].Seq)
		}
	}
	if recs := list(t, s, store.Query{Scope: keys[0].Scope()}); len(recs) != 2 {
		t.Errorf("List after rollback = %d records, want 2", len(recs))
	}
}
