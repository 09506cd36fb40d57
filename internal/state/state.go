package state

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/ids"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// The state document's identification. Version changes when a document
// written by this version could not be read by the next one as it is.
const (
	Format  = "workspaces-local-state"
	Version = 1
)

// Server metadata (kinds "server.*", such as server.meta's key signing
// pagination tokens) is not state: reset keeps it and the document neither
// carries nor replaces it, so a server's NextTokens and the tokens it hands
// out stay its own.
//
// isMeta reports whether a kind is server metadata rather than state.
func isMeta(kind string) bool { return strings.HasPrefix(kind, "server.") }

// Document is the state of a whole server: GET /_local/state writes it,
// PUT /_local/state and `workspaces-local state import` read it.
type Document struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// Clock is the server clock when the document was written; importing
	// into a server with a manual clock moves that clock there (never back).
	Clock   time.Time `json:"clock"`
	Records []Record  `json:"records"`
}

// Record is one stored record, exactly as the store holds it.
type Record struct {
	Kind    string          `json:"kind"`
	Account string          `json:"account"`
	Region  string          `json:"region"`
	ID      string          `json:"id"`
	Seq     int64           `json:"seq"`
	Value   json.RawMessage `json:"value"`
}

// InvalidError is a document that cannot be imported; its message says why
// (the HTTP endpoint answers 400 with it).
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

func invalidf(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...)}
}

var accountPattern = regexp.MustCompile(`^[0-9]{12}$`)

// CheckScope refuses, with an *InvalidError naming the field, an account
// that is not a 12-digit id or a region no credential scope may name
// (ids.KnownRegion, the table identity signs requests against, so a typo
// such as us-east-9 is refused rather than matching nothing); "" (any)
// passes. Reset and fault rules name their scope with these.
func CheckScope(account, region string) error {
	switch {
	case account != "" && !accountPattern.MatchString(account):
		return invalidf("account must be a 12-digit AWS account id.")
	case region != "" && !ids.KnownRegion(region):
		return invalidf("region %q is not an AWS region this server knows (such as us-east-1).", region)
	}
	return nil
}

// Manager resets, exports and imports the state of one store.
type Manager struct {
	Store store.Store
	// Parts are the services, asked about the records they own.
	Parts []Part
	// Clock is written into exported documents and, when manual, moved by imports.
	Clock clock.Clock
	// Replaced, when set, is called after a Reset or Import changed the
	// store's content: on a store many replicas share, it has every other
	// replica Forget too (their parts cache what they learnt of the store).
	Replaced func(ctx context.Context) error
}

// Reset deletes every record of account and region ("" matches any; both
// empty: the whole server), in one store transaction. Server metadata stays.
func (m *Manager) Reset(ctx context.Context, account, region string) error {
	if err := CheckScope(account, region); err != nil {
		return err
	}
	defer m.replaced(ctx)
	return m.Store.Update(ctx, func(tx store.Tx) error {
		if account == "" && region == "" {
			meta, err := listMeta(ctx, tx)
			if err != nil {
				return err
			}
			if _, err := tx.DeleteScope(ctx, "", ""); err != nil {
				return err
			}
			for _, r := range meta {
				if err := tx.Put(ctx, r.Key, r.Value); err != nil {
					return err
				}
			}
			return nil
		}
		var regions []string
		if account != "" && region == "" {
			var err error
			if regions, err = storeRegions(ctx, tx); err != nil {
				return err
			}
		}
		for _, p := range m.Parts {
			if err := p.ResetScope(ctx, tx, account, region, regions); err != nil {
				return err
			}
		}
		_, err := tx.DeleteScope(ctx, account, region)
		return err
	})
}

// listMeta returns every server metadata record (every kind isMeta
// accepts, in any scope), found through the store's scopes.
func listMeta(ctx context.Context, tx store.Tx) ([]store.Record, error) {
	scopes, err := tx.Scopes(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.Record
	for _, sc := range scopes {
		if !isMeta(sc.Kind) {
			continue
		}
		recs, err := tx.List(ctx, store.Query{Scope: sc})
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	return out, nil
}

// replaced forgets what the parts cached, here and, through Replaced, on
// every other replica.
func (m *Manager) replaced(ctx context.Context) {
	m.Forget()
	if m.Replaced != nil {
		_ = m.Replaced(context.WithoutCancel(ctx)) // bounded; a replica it misses is logged by it
	}
}

// Forget tells the parts that cache what they learnt of the store that its
// content changed under them.
func (m *Manager) Forget() {
	for _, p := range m.Parts {
		if f, ok := p.(Forgetter); ok {
			f.Forget()
		}
	}
}

// storeRegions lists every region the store holds records of, from the
// store's scopes (O(scopes), in the reset's own transaction). A reset of
// one account in all regions needs them for the region-wide scopes.
func storeRegions(ctx context.Context, tx store.Tx) ([]string, error) {
	scopes, err := tx.Scopes(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, sc := range scopes {
		if sc.Region != "" && !slices.Contains(out, sc.Region) {
			out = append(out, sc.Region)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Export writes the state document to w, one record per line, streaming
// from one store snapshot.
func (m *Manager) Export(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriter(w)
	now, err := json.Marshal(m.Clock.Now())
	if err != nil {
		return fmt.Errorf("state: the server clock cannot be written: %w", err)
	}
	fmt.Fprintf(bw, "{\"format\":%q,\"version\":%d,\"clock\":%s,\"records\":[", Format, Version, now)
	first := true
	err = m.Store.Export(ctx, func(r store.Record) error {
		if isMeta(r.Key.Kind) {
			return nil
		}
		b, err := json.Marshal(Record{Kind: r.Key.Kind, Account: r.Key.Account, Region: r.Key.Region, ID: r.Key.ID, Seq: r.Seq, Value: r.Value})
		if err != nil {
			return err
		}
		if !first {
			bw.WriteByte(',')
		}
		first = false
		bw.WriteString("\n")
		_, err = bw.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

// Decode reads a state document, refusing (with an *InvalidError) anything
// that is not exactly one document of this format and version.
func Decode(r io.Reader) (*Document, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var doc Document
	if err := dec.Decode(&doc); err != nil {
		return nil, invalidf("The state document is not valid JSON of the documented shape: %v.", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, invalidf("The state document must be one JSON object with nothing after it.")
	}
	switch {
	case doc.Format != Format:
		return nil, invalidf("format is %q; a state document has \"format\": %q.", doc.Format, Format)
	case doc.Version != Version:
		return nil, invalidf("version %d is not supported: this server reads state documents of version %d.", doc.Version, Version)
	case doc.Records == nil:
		return nil, invalidf("records is missing; an empty state has \"records\": [].")
	}
	return &doc, nil
}

// Import replaces the whole state with doc in one store operation, after
// checking every record: a refused document (an *InvalidError) changes
// nothing. Server metadata is kept.
func (m *Manager) Import(ctx context.Context, doc *Document) error {
	recs, err := m.check(doc)
	if err != nil {
		return err
	}
	var top int64
	for _, r := range recs {
		top = max(top, r.Seq)
	}
	err = m.Store.Export(ctx, func(r store.Record) error {
		if isMeta(r.Key.Kind) {
			top++
			r.Seq = top // above every imported Seq, so the two never collide
			recs = append(recs, r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer m.replaced(ctx)
	if err := m.Store.Import(ctx, recs); err != nil {
		return err
	}
	if mc, ok := m.Clock.(clock.Mover); ok && !doc.Clock.IsZero() {
		if _, err := mc.Move(ctx, 0, doc.Clock); err != nil {
			return err
		}
	}
	return nil
}

// check turns doc's records into store records, refusing any a service
// could not read.
func (m *Manager) check(doc *Document) ([]store.Record, error) {
	recs := make([]store.Record, 0, len(doc.Records))
	for i, r := range doc.Records {
		at := fmt.Sprintf("records[%d] (kind %q, id %q)", i, r.Kind, r.ID)
		var v bytes.Buffer
		if err := json.Compact(&v, r.Value); err != nil || v.Len() == 0 || v.Bytes()[0] != '{' {
			return nil, invalidf("%s: value must be a JSON object.", at)
		}
		sr := store.Record{Key: store.Key{Kind: r.Kind, Account: r.Account, Region: r.Region, ID: r.ID}, Seq: r.Seq, Value: v.Bytes()}
		switch {
		case r.Kind == "" || r.ID == "":
			return nil, invalidf("%s: kind and id must not be empty.", at)
		case r.Seq <= 0:
			return nil, invalidf("%s: seq must be a positive integer.", at)
		case isMeta(r.Kind):
			return nil, invalidf("%s: server metadata is not part of the state.", at)
		}
		if err := m.owned(sr); err != nil {
			return nil, invalidf("%s: %v.", at, err)
		}
		recs = append(recs, sr)
	}
	if err := store.CheckImport(recs); err != nil {
		return nil, invalidf("%s.", strings.TrimPrefix(err.Error(), "store: import "))
	}
	return recs, nil
}

// owned returns why no Part accepts r, or nil.
func (m *Manager) owned(r store.Record) error {
	for _, p := range m.Parts {
		if ok, err := p.CheckRecord(r); ok {
			return err
		}
	}
	return errors.New("no service of this server stores records of this kind")
}

// Load decodes a document from r and imports it.
func (m *Manager) Load(ctx context.Context, r io.Reader) error {
	doc, err := Decode(r)
	if err != nil {
		return err
	}
	return m.Import(ctx, doc)
}

// Empty reports whether the store holds no state (server metadata aside),
// from the store's scopes: O(scopes), not a copy of every record.
func (m *Manager) Empty(ctx context.Context) (bool, error) {
	empty := true
	err := m.Store.View(ctx, func(tx store.Tx) error {
		scopes, err := tx.Scopes(ctx)
		if err != nil {
			return err
		}
		empty = !slices.ContainsFunc(scopes, func(sc store.Scope) bool { return !isMeta(sc.Kind) })
		return nil
	})
	return err == nil && empty, err
}
