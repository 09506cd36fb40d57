package api_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
)

func TestTimestampMarshal(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
		// bug, when set, names a known defect of non-test code: the case is
		// skipped (not failed) while the defect is present.
		bug string
	}{
		{"milliseconds", time.UnixMilli(1662526214744), "1662526214.744", ""},
		{"whole seconds have no fraction", time.Unix(1662526214, 0), "1662526214", ""},
		{"trailing zeros trimmed", time.UnixMilli(1662526214500), "1662526214.5", ""},
		{"leading zeros of fraction kept", time.UnixMilli(1662526214005), "1662526214.005", ""},
		{"sub-millisecond truncated", time.Unix(1662526214, 999_999), "1662526214", ""},
		{"epoch", time.Unix(0, 0), "0", ""},
		{"non-UTC zone is the same instant", time.UnixMilli(1662526214744).In(time.FixedZone("x", 5*3600)), "1662526214.744", ""},
		{"pre-1970 whole seconds", time.Unix(-86400, 0), "-86400", ""},
		{"pre-1970 fraction", time.UnixMilli(-1500), "-1.5", ""},
		{"pre-1970 sub-second", time.UnixMilli(-500), "-0.5", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(api.Timestamp(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Fatalf("Marshal = %s, want %s", b, tt.want)
			}
		})
	}
}

func TestTimestampInStruct(t *testing.T) {
	type out struct {
		CreatedAt *api.Timestamp `json:"createdAt,omitzero"`
		UpdatedAt api.Timestamp  `json:"updatedAt,omitzero"`
	}
	tests := []struct {
		name string
		in   out
		want string
	}{
		{"absent pointer and zero value omitted", out{}, `{}`},
		{"both set", out{CreatedAt: api.NewTimestamp(time.UnixMilli(1662526214744)), UpdatedAt: api.Timestamp(time.Unix(1662526215, 0))}, `{"createdAt":1662526214.744,"updatedAt":1662526215}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Fatalf("Marshal = %s, want %s", b, tt.want)
			}
		})
	}
}

func TestTimestampUnmarshal(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr bool
		bug     string
	}{
		{"integer", `1662526214`, time.Unix(1662526214, 0), false, ""},
		{"milliseconds", `1662526214.744`, time.UnixMilli(1662526214744), false, ""},
		{"exponent", `1.662526214e9`, time.Unix(1662526214, 0), false, ""},
		{"pre-1970", `-86400`, time.Unix(-86400, 0), false, ""},
		{"pre-1970 fraction", `-1.5`, time.UnixMilli(-1500), false, ""},
		{"one millisecond", `1662526214.001`, time.UnixMilli(1662526214001), false, ""},
		{"binary-exact fraction", `1662526214.25`, time.UnixMilli(1662526214250), false, ""},
		{"string rejected", `"2022-09-07T05:03:34Z"`, time.Time{}, true, ""},
		{"numeric string rejected", `"1662526214"`, time.Time{}, true, ""},
		{"bool rejected", `true`, time.Time{}, true, ""},
		{"object rejected", `{}`, time.Time{}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ts api.Timestamp
			err := json.Unmarshal([]byte(tt.in), &ts)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Unmarshal(%s) = %v, want error", tt.in, ts.Time())
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.in, err)
			}
			// Millisecond precision is what the wire carries.
			got := ts.Time().Truncate(0)
			if got.UnixMilli() != tt.want.UnixMilli() {
				t.Fatalf("Unmarshal(%s) = %d ms, want %d ms", tt.in, got.UnixMilli(), tt.want.UnixMilli())
			}
			if ts.Time().Location() != time.UTC {
				t.Errorf("location = %v, want UTC", ts.Time().Location())
			}
		})
	}
}

func TestTimestampUnmarshalErrorMessage(t *testing.T) {
	var ts api.Timestamp
	err := ts.UnmarshalJSON([]byte(`"x"`))
	if err == nil || err.Error() != "timestamp must be a JSON number of epoch seconds" {
		t.Fatalf("err = %v", err)
	}
}

func TestTimestampNullLeavesValue(t *testing.T) {
	orig := time.UnixMilli(1662526214744).UTC()
	ts := api.Timestamp(orig)
	if err := json.Unmarshal([]byte(`null`), &ts); err != nil {
		t.Fatal(err)
	}
	if !ts.Time().Equal(orig) {
		t.Fatalf("null changed the value to %v", ts.Time())
	}
	var s struct {
		At *api.Timestamp `json:"at"`
	}
	if err := json.Unmarshal([]byte(`{"at":null}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.At != nil {
		t.Fatalf("null member decoded to %v, want nil pointer", s.At.Time())
	}
}

func TestTimestampRoundTrip(t *testing.T) {
	// Every millisecond of one second, after 1970, survives marshal and
	// unmarshal; the emulator stores what the client sent.
	base := int64(1662526214) * 1000
	var lost []int64
	for ms := base; ms < base+1000; ms++ {
		b, err := json.Marshal(api.Timestamp(time.UnixMilli(ms)))
		if err != nil {
			t.Fatal(err)
		}
		var back api.Timestamp
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("Unmarshal(%s): %v", b, err)
		}
		if back.Time().UnixMilli() != ms {
			lost = append(lost, ms)
		}
	}
	if len(lost) > 0 {
		t.Fatalf("%d of 1000 milliseconds do not round-trip (first %d)", len(lost), lost[0])
	}
}

func TestTimestampRoundTripBinaryExact(t *testing.T) {
	// Fractions that float64 represents exactly round-trip even with the
	// truncation bug; TestTimestampRoundTrip covers every millisecond.
	tests := []time.Time{
		time.Unix(1662526214, 0),
		time.UnixMilli(1662526214500),
		time.UnixMilli(1662526214250),
		time.UnixMilli(1662526214125),
		time.Unix(0, 0),
		time.Unix(4102444800, 0), // 2100-01-01
	}
	for _, in := range tests {
		t.Run(in.UTC().Format(time.RFC3339Nano), func(t *testing.T) {
			b, err := json.Marshal(api.NewTimestamp(in))
			if err != nil {
				t.Fatal(err)
			}
			var back api.Timestamp
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back.Time().UnixMilli() != in.UnixMilli() {
				t.Fatalf("%s round-tripped to %d ms, want %d", b, back.Time().UnixMilli(), in.UnixMilli())
			}
		})
	}
}

func TestTimestampIsZero(t *testing.T) {
	if !(api.Timestamp{}).IsZero() {
		t.Error("zero Timestamp is not IsZero")
	}
	if api.Timestamp(time.Unix(0, 0)).IsZero() {
		t.Error("epoch is IsZero; it is a real instant")
	}
}
