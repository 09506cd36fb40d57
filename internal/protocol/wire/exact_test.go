package wire_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	ws "github.com/workspaces-local/workspaces-local/internal/api/workspaces"
	"github.com/workspaces-local/workspaces-local/internal/protocol/wire"
)

func TestMemberNamesMatchExactly(t *testing.T) {
	var in ws.CreateIpGroupInput
	if err := wire.DecodeBody([]byte(`{"groupname":"x","GROUPNAME":"y","GroupDesc":"d","userRules":[{"ipRule":"1.2.3.4/32"}]}`), &in); err != nil {
		t.Fatal(err)
	}
	if in.GroupName != nil || in.UserRules != nil || in.GroupDesc == nil || *in.GroupDesc != "d" {
		t.Fatalf("case variants matched: %+v", in)
	}
	// Nested, escaped and Unicode-folded (Kelvin sign K) variants are ignored too.
	var term ws.TerminateWorkspacesInput
	if err := wire.DecodeBody([]byte(`{"terminateworkspacerequests":[{"WorkspaceId":"ws-1"}],"\u0054erminateWorkspaceRequests":[{"workspaceid":"ws-2"}]}`), &term); err != nil {
		t.Fatal(err)
	}
	if len(term.TerminateWorkspaceRequests) != 1 || term.TerminateWorkspaceRequests[0].WorkspaceId != nil {
		t.Fatalf("got %+v", term)
	}
	var cw ws.CreateWorkspacesInput
	if err := wire.DecodeBody([]byte("{\"Workspaces\":[{\"UserName\":\"u\",\"Tags\":[{\"\u212aey\":\"k\",\"Key\":\"real\"}]}]}"), &cw); err != nil {
		t.Fatal(err)
	}
	if len(cw.Workspaces) != 1 || *cw.Workspaces[0].UserName != "u" || *cw.Workspaces[0].Tags[0].Key != "real" {
		t.Fatalf("got %+v", cw)
	}
	// Map keys are data, not member names.
	var tr tc.TagResourceInput
	if err := wire.DecodeBody([]byte(`{"tags":{"Team":"a","team":"b"},"Tags":{"x":"y"}}`), &tr); err != nil {
		t.Fatal(err)
	}
	if len(tr.Tags) != 2 || tr.Tags["Team"] != "a" || tr.Tags["team"] != "b" {
		t.Fatalf("tags = %v", tr.Tags)
	}
}

func TestInvalidUTF8IsASerializationError(t *testing.T) {
	for _, body := range []string{
		"{\"GroupName\":\"a\xffb\"}",
		"{\"GroupName\":\"\xc3\"}",
		`{"GroupName":"\ud800"}`,
		`{"GroupName":"\udc00x"}`,
		`{"GroupName":"\ud800\u0041"}`,
		"{\"G\xffroupName\":\"a\"}",
	} {
		var in ws.CreateIpGroupInput
		err := wire.DecodeBody([]byte(body), &in)
		var ce *api.CommonError
		if !errors.As(err, &ce) || ce.Code != "SerializationException" {
			t.Errorf("%q: err = %v, want SerializationException", body, err)
		}
	}
	var in ws.CreateIpGroupInput
	if err := wire.DecodeBody([]byte(`{"GroupName":"\ud83d\ude00 é"}`), &in); err != nil || *in.GroupName != "😀 é" {
		t.Fatalf("valid surrogate pair: %v %v", err, in.GroupName)
	}
}

func FuzzDecodeBody(f *testing.F) {
	for _, s := range []string{
		`{"GroupName":"g","UserRules":[{"ipRule":"10.0.0.0/8","ruleDesc":"x"}]}`,
		`{"groupname":"g","USERRULES":[{"IPRULE":"1"}]}`,
		"{\"GroupName\":\"\xff\"}",
		`{"GroupName":"\ud800"}`,
		`{"\u0047roupName":"esc"}`,
		`{"GroupName":"a","groupname":"b","GROUPNAME":"c"}`,
		`{"groupName":"x","GroupName":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in ws.CreateIpGroupInput
		if err := wire.DecodeBody(body, &in); err != nil {
			return
		}
		// Top-level members match exactly: GroupName is what the last
		// exactly spelled "GroupName" key says, whatever case variants follow.
		var top map[string]json.RawMessage
		if json.Unmarshal(body, &top) == nil {
			var want *string
			if raw, ok := top["GroupName"]; ok {
				_ = json.Unmarshal(raw, &want)
			}
			if (want == nil) != (in.GroupName == nil) || (want != nil && *want != *in.GroupName) {
				t.Fatalf("GroupName = %v, want %v (exact-name match) for %q", in.GroupName, want, body)
			}
		}
		// Nothing was rewritten to U+FFFD silently.
		if bytes.Contains(body, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(body), []byte(`\ufffd`)) {
			return
		}
		for _, s := range []*string{in.GroupName, in.GroupDesc} {
			if s != nil && !utf8Valid(*s) {
				t.Fatalf("accepted invalid UTF-8 %q", *s)
			}
		}
	})
}

func utf8Valid(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' {
			return false
		}
	}
	return true
}

func TestCheckAnswer(t *testing.T) {
	if err := wire.CheckAnswer(make([]byte, wire.MaxAnswerBytes)); err != nil {
		t.Fatal(err)
	}
	var ce *api.CommonError
	if err := wire.CheckAnswer(make([]byte, wire.MaxAnswerBytes+1)); !errors.As(err, &ce) || ce.Status != 400 || ce.Code != "LimitExceededException" {
		t.Fatalf("err = %v", err)
	}
}
