package store_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	"github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// recordLike has the field kinds the service records add around the
// generated shapes: an embedded shape, time.Time, omitempty and omitzero
// members, maps of structures and unexported fields.
type recordLike struct {
	workspaces.Workspace
	StateSince time.Time                           `json:"stateSince"`
	Next       workspaces.WorkspaceState           `json:"next,omitempty"`
	Since      time.Time                           `json:"since,omitzero"`
	Rules      map[string][]workspaces.IpRuleItem  `json:"rules"`
	Devices    map[string]thinclient.DeviceSummary `json:"devices,omitempty"`
	Count      int                                 `json:"count"`
	Big        int64                               `json:"big"`
	Ratio      float64                             `json:"ratio"`
	Raw        json.RawMessage                     `json:"raw,omitempty"`
	seq        int64
}

// shapeTypes is every generated input and output type of both services,
// read from their Handler interfaces, plus recordLike.
func shapeTypes() []reflect.Type {
	var out []reflect.Type
	for _, h := range []reflect.Type{reflect.TypeFor[workspaces.Handler](), reflect.TypeFor[thinclient.Handler]()} {
		for i := range h.NumMethod() {
			m := h.Method(i).Type
			out = append(out, m.In(2).Elem(), m.Out(0).Elem())
		}
	}
	return append(out, reflect.TypeFor[recordLike]())
}

// TestDecodeMatchesEncodingJSON writes random values of every shape type
// with encoding/json (as the stores do) and requires store.Unmarshal to read
// back exactly what encoding/json reads back.
func TestDecodeMatchesEncodingJSON(t *testing.T) {
	types := shapeTypes()
	n := 40
	if testing.Short() {
		n = 8
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, typ := range types {
		for i := range n {
			v := reflect.New(typ)
			fill(r, v.Elem(), 0)
			b, err := json.Marshal(v.Interface())
			if err != nil {
				t.Fatalf("%v #%d: Marshal: %v", typ, i, err)
			}
			checkSameDecode(t, typ, b)
		}
	}
}

// FuzzDecodeMatchesEncodingJSON turns arbitrary bytes into values with
// encoding/json and writes them back with it, as the stores write records,
// then requires both decoders to read that record the same: escapes,
// numbers, nulls, empty and nil lists and maps, raw members.
func FuzzDecodeMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, `null`, `{"WorkspaceId":"ws-1","State":"AVAILABLE","ModificationStates":[],"stateSince":"2026-01-02T03:04:05.123456789Z"}`,
		`{"WorkspaceId":"\u003cb\u003e \ud83d\ude00 \u2028","rules":{"a":[{"ipRule":"10.0.0.0/8"}]},"raw":{"x":[1,2]}}`,
		`{"count":-1,"big":9007199254740993,"ratio":1e-7,"since":"0001-01-01T00:00:00Z","devices":{"d":{"lastConnectedAt":1662526214.744}}}`,
		`{"workspaceid":"case","WorkspaceId":"dup","WorkspaceId":"dup2","unknown":{"deep":[null,true]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, typ := range []reflect.Type{reflect.TypeFor[recordLike](), reflect.TypeFor[workspaces.CreateWorkspacesInput](), reflect.TypeFor[thinclient.UpdateEnvironmentInput]()} {
			v := reflect.New(typ)
			if json.Unmarshal(b, v.Interface()) != nil {
				continue
			}
			stored, err := json.Marshal(v.Interface())
			if err != nil {
				continue // e.g. a raw member holding a bare number encoding/json reformats
			}
			checkSameDecode(t, typ, stored)
		}
	})
}

func checkSameDecode(t *testing.T, typ reflect.Type, b []byte) {
	t.Helper()
	want := reflect.New(typ)
	wantErr := json.Unmarshal(b, want.Interface())
	if wantErr != nil {
		t.Fatalf("%v: encoding/json cannot read its own output %s: %v", typ, b, wantErr)
	}
	got := reflect.New(typ)
	if err := store.Unmarshal(b, got.Interface()); err != nil {
		t.Fatalf("%v: store.Unmarshal(%s) = %v; encoding/json accepts it", typ, b, err)
	}
	if !reflect.DeepEqual(got.Interface(), want.Interface()) {
		gb, _ := json.Marshal(got.Interface())
		wb, _ := json.Marshal(want.Interface())
		t.Fatalf("%v: decoders differ on %s\nstore.Unmarshal: %s\nencoding/json:   %s", typ, b, gb, wb)
	}
}

var tsType = reflect.TypeFor[api.Timestamp]()
var timeType = reflect.TypeFor[time.Time]()
var rawType = reflect.TypeFor[json.RawMessage]()

// fill sets v to a random value: nil or set pointers, nil, empty or short
// slices and maps, strings with HTML, control, non-ASCII and invalid UTF-8
// bytes, extreme numbers and millisecond timestamps.
func fill(r *rand.Rand, v reflect.Value, depth int) {
	switch {
	case v.Type() == tsType:
		ms := r.Int64N(4102444800000) - 1000000000000
		v.Set(reflect.ValueOf(api.Timestamp(time.UnixMilli(ms).UTC())))
		return
	case v.Type() == rawType:
		v.SetBytes([]byte([]string{``, `null`, `{"a":[1,"\u003c",{"b":null}]}`, `"x"`, `-0.5e3`}[r.IntN(5)]))
		return
	case v.Type() == timeType:
		if r.IntN(4) == 0 {
			return // zero time
		}
		v.Set(reflect.ValueOf(time.Unix(r.Int64N(4102444800), r.Int64N(1e9)).UTC()))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if depth > 6 || r.IntN(3) == 0 {
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(r, p.Elem(), depth+1)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && r.IntN(4) != 0 {
				fill(r, v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 { // []byte: base64
			if r.IntN(3) != 0 {
				b := make([]byte, r.IntN(20))
				for i := range b {
					b[i] = byte(r.IntN(256))
				}
				v.SetBytes(b)
			}
			return
		}
		switch r.IntN(4) {
		case 0: // nil
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			if depth > 6 {
				return
			}
			s := reflect.MakeSlice(v.Type(), 1+r.IntN(3), 3)
			for i := range s.Len() {
				fill(r, s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		switch r.IntN(4) {
		case 0:
		case 1:
			v.Set(reflect.MakeMap(v.Type()))
		default:
			if depth > 6 {
				return
			}
			m := reflect.MakeMap(v.Type())
			for range 1 + r.IntN(3) {
				k := reflect.New(v.Type().Key()).Elem()
				fill(r, k, depth+1)
				e := reflect.New(v.Type().Elem()).Elem()
				fill(r, e, depth+1)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.String:
		v.SetString(randString(r))
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int32, reflect.Int64:
		bits := v.Type().Bits()
		switch r.IntN(4) {
		case 0:
			v.SetInt(0)
		case 1:
			v.SetInt(-1 << (bits - 1))
		case 2:
			v.SetInt(1<<(bits-1) - 1)
		default:
			v.SetInt(r.Int64N(2000) - 1000)
		}
	case reflect.Float64:
		v.SetFloat([]float64{0, -0.5, 1e-7, 1e21, 123456.789, math.MaxFloat64, math.SmallestNonzeroFloat64, r.NormFloat64() * 1e6}[r.IntN(8)])
	case reflect.Interface:
		// json.RawMessage and any members: leave nil.
	default:
		panic("fill: unhandled kind " + v.Kind().String() + " of " + v.Type().String())
	}
}

var pieces = []string{"ws-0123abcd", "<b>&amp;</b>", "\u2028\u2029", "\"quoted\\", "é日本😀", "\x00\x1f\t\n", "\xff\xfe", "\xed\xa0\x80", "AVAILABLE", "", " "}

func randString(r *rand.Rand) string {
	var sb strings.Builder
	for range r.IntN(4) {
		sb.WriteString(pieces[r.IntN(len(pieces))])
	}
	return sb.String()
}

// BenchmarkDecodeRecord compares the decoders on a stored WorkSpace-like
// record (the by-id read decodes one per call).
func BenchmarkDecodeRecord(b *testing.B) {
	s := func(v string) *string { return &v }
	rec := recordLike{
		Workspace: workspaces.Workspace{
			BundleId: s("wsb-0123456789"), DirectoryId: s("d-0123456789"), WorkspaceId: s("ws-0123456789"),
			UserName: s("user0042"), State: workspaces.WorkspaceStateAvailable, ModificationStates: []workspaces.ModificationState{},
			RootVolumeEncryptionEnabled: new(bool), UserVolumeEncryptionEnabled: new(bool),
			WorkspaceProperties: &workspaces.WorkspaceProperties{
				ComputeTypeName: workspaces.ComputeStandard, RunningMode: workspaces.RunningModeAutoStop,
				RootVolumeSizeGib: new(int32), UserVolumeSizeGib: new(int32), RunningModeAutoStopTimeoutInMinutes: new(int32),
			},
		},
		StateSince: time.Now().UTC(), Next: "", Since: time.Now().UTC(),
	}
	data, err := json.Marshal(rec)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		dec  func([]byte, any) error
	}{{"encoding-json", json.Unmarshal}, {"store", store.Unmarshal}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var r recordLike
				if err := c.dec(data, &r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
