package paging_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/paging"
)

var (
	key   = []byte("0123456789abcdef0123456789abcdef")
	now   = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	scope = paging.Scope{Op: "DescribeIpGroups", Account: "111111111111", Region: "us-east-1", Filter: paging.Filter(map[string]any{"GroupIds": []string{"wsipg-12345678"}})}
)

type item struct {
	seq  int64
	name string
}

func seqOf(it item) int64 { return it.seq }

func items(n int) []item {
	out := make([]item, n)
	for i := range out {
		out[i] = item{seq: int64(i + 1), name: "item"}
	}
	return out
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	c := paging.New(key)
	for _, after := range []int64{0, 1, 25, 1 << 40, -1} {
		tok := c.Encode(scope, after, now)
		if tok == "" {
			t.Fatalf("Encode(%d) = empty token", after)
		}
		got, err := c.Decode(tok, scope, now)
		if err != nil || got != after {
			t.Fatalf("Decode(Encode(%d)) = %d, %v", after, got, err)
		}
	}
}

func TestEmptyTokenIsFirstPage(t *testing.T) {
	c := paging.New(key)
	got, err := c.Decode("", scope, now)
	if err != nil || got != 0 {
		t.Fatalf("Decode(\"\") = %d, %v; want 0, nil", got, err)
	}
	page, next, err := paging.Cut(c, scope, now, items(3), seqOf, "", 25)
	if err != nil || len(page) != 3 || next != "" {
		t.Fatalf("Cut first page = %d items, next %q, err %v", len(page), next, err)
	}
}

func TestCutVisitsEachItemOnce(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		size      int
		wantPages []int
	}{
		{"60 in pages of 25", 60, 25, []int{25, 25, 10}},
		{"exactly two full pages", 50, 25, []int{25, 25}},
		{"one short page", 3, 25, []int{3}},
		{"empty", 0, 25, []int{0}},
		{"pages of one", 3, 1, []int{1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := paging.New(key)
			all := items(tt.n)
			seen := map[int64]int{}
			var sizes []int
			tok := ""
			for range 100 {
				page, next, err := paging.Cut(c, scope, now, all, seqOf, tok, tt.size)
				if err != nil {
					t.Fatalf("Cut: %v", err)
				}
				sizes = append(sizes, len(page))
				for _, it := range page {
					seen[it.seq]++
				}
				if next == "" {
					break
				}
				tok = next
			}
			if !slices.Equal(sizes, tt.wantPages) {
				t.Errorf("page sizes = %v, want %v", sizes, tt.wantPages)
			}
			if len(seen) != tt.n {
				t.Errorf("visited %d distinct items, want %d", len(seen), tt.n)
			}
			for s, k := range seen {
				if k != 1 {
					t.Errorf("item %d visited %d times", s, k)
				}
			}
		})
	}
}

func TestCutSparseSequence(t *testing.T) {
	c := paging.New(key)
	all := []item{{seq: 10}, {seq: 20}, {seq: 30}, {seq: 40}, {seq: 50}}
	page, next, err := paging.Cut(c, scope, now, all, seqOf, "", 2)
	if err != nil || len(page) != 2 || page[1].seq != 20 || next == "" {
		t.Fatalf("page 1 = %v next %q err %v", page, next, err)
	}
	page, next, err = paging.Cut(c, scope, now, all, seqOf, next, 2)
	if err != nil || len(page) != 2 || page[0].seq != 30 || page[1].seq != 40 || next == "" {
		t.Fatalf("page 2 = %v next %q err %v", page, next, err)
	}
	page, next, err = paging.Cut(c, scope, now, all, seqOf, next, 2)
	if err != nil || len(page) != 1 || page[0].seq != 50 || next != "" {
		t.Fatalf("page 3 = %v next %q err %v", page, next, err)
	}
}

func TestCutDeletionAndInsertionBetweenPages(t *testing.T) {
	tests := []struct {
		name   string
		change func([]item) []item
		want   []int64 // seqs of page 2
	}{
		{
			name: "last returned item deleted",
			change: func(all []item) []item {
				return slices.DeleteFunc(all, func(it item) bool { return it.seq == 5 })
			},
			want: []int64{6, 7, 8, 9, 10},
		},
		{
			name: "next item deleted",
			change: func(all []item) []item {
				return slices.DeleteFunc(all, func(it item) bool { return it.seq == 6 })
			},
			want: []int64{7, 8, 9, 10, 11},
		},
		{
			name: "earlier items deleted",
			change: func(all []item) []item {
				return slices.DeleteFunc(all, func(it item) bool { return it.seq <= 3 })
			},
			want: []int64{6, 7, 8, 9, 10},
		},
		{
			name: "everything after deleted",
			change: func(all []item) []item {
				return slices.DeleteFunc(all, func(it item) bool { return it.seq > 5 })
			},
			want: []int64{},
		},
		{
			name: "new item appended",
			change: func(all []item) []item {
				return append(slices.DeleteFunc(all, func(it item) bool { return it.seq > 7 }), item{seq: 100})
			},
			want: []int64{6, 7, 100},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := paging.New(key)
			all := items(12)
			page, next, err := paging.Cut(c, scope, now, all, seqOf, "", 5)
			if err != nil || len(page) != 5 || next == "" {
				t.Fatalf("page 1: %d items, next %q, err %v", len(page), next, err)
			}
			page2, _, err := paging.Cut(c, scope, now, tt.change(slices.Clone(all)), seqOf, next, 5)
			if err != nil {
				t.Fatal(err)
			}
			got := []int64{}
			for _, it := range page2 {
				got = append(got, it.seq)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("page 2 = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDeletionDuringFullWalk(t *testing.T) {
	// Delete one not-yet-listed and one already-listed item after every page:
	// every item that survives until its page is listed exactly once.
	c := paging.New(key)
	all := items(60)
	seen := map[int64]int{}
	deleted := map[int64]bool{}
	tok := ""
	for range 100 {
		page, next, err := paging.Cut(c, scope, now, all, seqOf, tok, 25)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page {
			seen[it.seq]++
			if deleted[it.seq] {
				t.Fatalf("deleted item %d listed", it.seq)
			}
		}
		if next == "" {
			break
		}
		tok = next
		last := page[len(page)-1].seq
		for _, d := range []int64{last, last + 3} {
			deleted[d] = true
		}
		all = slices.DeleteFunc(all, func(it item) bool { return deleted[it.seq] })
	}
	for s := int64(1); s <= 60; s++ {
		want := 1
		if deleted[s] && seen[s] == 0 {
			want = 0
		}
		if seen[s] != want {
			t.Errorf("item %d listed %d times (deleted %v)", s, seen[s], deleted[s])
		}
	}
}

func TestTokenRejected(t *testing.T) {
	c := paging.New(key)
	good := c.Encode(scope, 25, now)
	raw, err := base64.RawURLEncoding.DecodeString(good)
	if err != nil {
		t.Fatal(err)
	}
	sig, payload := raw[:16], raw[16:]

	other := func(mod func(*paging.Scope)) paging.Scope {
		s := scope
		mod(&s)
		return s
	}
	resign := func(p []byte) string {
		m := hmac.New(sha256.New, key)
		m.Write(p)
		return base64.RawURLEncoding.EncodeToString(append(m.Sum(nil)[:16], p...))
	}
	flipPayload := func() string {
		var p map[string]any
		if err := json.Unmarshal(payload, &p); err != nil {
			t.Fatal(err)
		}
		p["s"] = 0 // restart from the beginning
		b, _ := json.Marshal(p)
		return base64.RawURLEncoding.EncodeToString(append(slices.Clone(sig), b...))
	}
	flipSig := func() string {
		b := slices.Clone(raw)
		b[3] ^= 0x01
		return base64.RawURLEncoding.EncodeToString(b)
	}
	flipChar := func() string {
		b := []byte(good)
		i := len(b) / 2
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}

	tests := []struct {
		name  string
		token string
		scope paging.Scope
		at    time.Time
	}{
		{"other operation", good, other(func(s *paging.Scope) { s.Op = "DescribeWorkspaces" }), now},
		{"other account", good, other(func(s *paging.Scope) { s.Account = "222222222222" }), now},
		{"other region", good, other(func(s *paging.Scope) { s.Region = "us-west-2" }), now},
		{"other filter", good, other(func(s *paging.Scope) {
			s.Filter = paging.Filter(map[string]any{"GroupIds": []string{"wsipg-87654321"}})
		}), now},
		{"no filter", good, other(func(s *paging.Scope) { s.Filter = "" }), now},
		{"payload changed, old signature", flipPayload(), scope, now},
		{"signature changed", flipSig(), scope, now},
		{"character changed", flipChar(), scope, now},
		{"truncated", good[:len(good)-4], scope, now},
		{"extended", good + "AAAA", scope, now},
		{"other key", paging.New([]byte("another key")).Encode(scope, 25, now), scope, now},
		{"garbage", "not a token", scope, now},
		{"standard base64 alphabet", "ab+/cd==", scope, now},
		{"padded", good + "==", scope, now},
		{"too short", base64.RawURLEncoding.EncodeToString(make([]byte, 16)), scope, now},
		{"base64 of JSON", base64.RawURLEncoding.EncodeToString([]byte(`{"o":"DescribeIpGroups","a":"111111111111","r":"us-east-1","s":25}`)), scope, now},
		{"signed but not JSON", resign([]byte("not json")), scope, now},
		{"signed JSON of the wrong shape", resign([]byte(`[1,2,3]`)), scope, now},
		{"expired", good, scope, now.Add(paging.TTL + time.Second)},
		{"issued in the future", good, scope, now.Add(-2 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Decode(tt.token, tt.scope, tt.at)
			if !errors.Is(err, paging.ErrInvalid) {
				t.Fatalf("Decode = %d, %v; want ErrInvalid", got, err)
			}
			if got != 0 {
				t.Errorf("Decode returned %d with the error", got)
			}
			page, next, err := paging.Cut(c, tt.scope, tt.at, items(60), seqOf, tt.token, 25)
			if !errors.Is(err, paging.ErrInvalid) || page != nil || next != "" {
				t.Fatalf("Cut = %d items, %q, %v; want nil, \"\", ErrInvalid", len(page), next, err)
			}
		})
	}
}

func TestTokenAccepted(t *testing.T) {
	c := paging.New(key)
	good := c.Encode(scope, 25, now)
	tests := []struct {
		name  string
		scope paging.Scope
		at    time.Time
	}{
		{"same scope", scope, now},
		{"one day later", scope, now.Add(paging.TTL)},
		{"clock skew under a minute", scope, now.Add(-30 * time.Second)},
		{"equal filter built again", paging.Scope{Op: scope.Op, Account: scope.Account, Region: scope.Region, Filter: paging.Filter(map[string]any{"GroupIds": []string{"wsipg-12345678"}})}, now},
		{"same key, new codec", scope, now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := paging.New(slices.Clone(key)).Decode(good, tt.scope, tt.at)
			if err != nil || got != 25 {
				t.Fatalf("Decode = %d, %v; want 25", got, err)
			}
		})
	}
}

func TestFilter(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"nil", nil, "null"},
		{"map keys sorted", map[string]any{"b": 1, "a": []string{"x"}}, `{"a":["x"],"b":1}`},
		{"struct", struct {
			Names []string `json:"n,omitempty"`
			Limit int      `json:"l"`
		}{Names: []string{"a"}, Limit: 2}, `{"n":["a"],"l":2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := paging.Filter(tt.v); got != tt.want {
				t.Fatalf("Filter = %s, want %s", got, tt.want)
			}
		})
	}
}
