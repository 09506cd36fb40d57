package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"

	"github.com/workspaces-local/workspaces-local/wslocal"
)

func ipGroups(t *testing.T, s *wslocal.Server) []string {
	t.Helper()
	c := workspaces.New(workspaces.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.URL),
		Credentials: credentials.NewStaticCredentialsProvider("111111111111", "x", "")})
	out, err := c.DescribeIpGroups(context.Background(), &workspaces.DescribeIpGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range out.Result {
		names = append(names, aws.ToString(g.GroupName))
	}
	return names
}

// TestStateCommands exports a data directory with `state export`, imports
// it into another with `state import`, and loads it with serve --init
// (through its Config.InitFile) into an empty store.
func TestStateCommands(t *testing.T) {
	tmp := t.TempDir()
	src, dst, file := filepath.Join(tmp, "src"), filepath.Join(tmp, "dst"), filepath.Join(tmp, "state.json")
	t.Run("build", func(t *testing.T) {
		s := wslocal.Start(t, wslocal.WithDataDir(src))
		c := workspaces.New(workspaces.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.URL),
			Credentials: credentials.NewStaticCredentialsProvider("111111111111", "x", "")})
		if _, err := c.CreateIpGroup(context.Background(), &workspaces.CreateIpGroupInput{GroupName: aws.String("office")}); err != nil {
			t.Fatal(err)
		}
	})
	if err := stateCmd([]string{"export", "--data-dir", src, file}, nil); err != nil {
		t.Fatalf("state export: %v", err)
	}
	doc, _ := os.ReadFile(file)
	if !strings.Contains(string(doc), `"format":"workspaces-local-state"`) || !strings.Contains(string(doc), `"groupName":"office"`) {
		t.Fatalf("exported document: %s", doc)
	}
	if err := stateCmd([]string{"import", "--data-dir", dst, file}, nil); err != nil {
		t.Fatalf("state import: %v", err)
	}
	t.Run("imported", func(t *testing.T) {
		if got := ipGroups(t, wslocal.Start(t, wslocal.WithDataDir(dst))); len(got) != 1 || got[0] != "office" {
			t.Errorf("after state import: %v", got)
		}
	})
	t.Run("init", func(t *testing.T) {
		if got := ipGroups(t, wslocal.Start(t, wslocal.WithInitFile(file))); len(got) != 1 || got[0] != "office" {
			t.Errorf("after --init: %v", got)
		}
	})
	t.Run("init leaves a store with state alone", func(t *testing.T) {
		empty := filepath.Join(tmp, "empty.json")
		os.WriteFile(empty, []byte(`{"format":"workspaces-local-state","version":1,"records":[]}`), 0o644)
		if got := ipGroups(t, wslocal.Start(t, wslocal.WithDataDir(dst), wslocal.WithInitFile(empty))); len(got) != 1 {
			t.Errorf("--init replaced existing state: %v", got)
		}
	})
	if err := stateCmd([]string{"import", "--data-dir", dst, filepath.Join(tmp, "missing.json")}, nil); err == nil {
		t.Error("state import of a missing file succeeded")
	}
	bad := filepath.Join(tmp, "bad.json")
	os.WriteFile(bad, []byte(`{"format":"workspaces-local-state","version":9,"records":[]}`), 0o644)
	if err := stateCmd([]string{"import", "--data-dir", dst, bad}, nil); err == nil || !strings.Contains(err.Error(), "version 9") {
		t.Errorf("state import of a version 9 document: %v", err)
	}
	if err := stateCmd([]string{"frobnicate"}, nil); err == nil {
		t.Error("state frobnicate succeeded")
	}
	t.Run("data dir from the environment", func(t *testing.T) {
		out := filepath.Join(tmp, "env.json")
		if err := stateCmd([]string{"export", out}, []string{"WORKSPACES_LOCAL_DATA_DIR=" + src}); err != nil {
			t.Fatalf("state export with WORKSPACES_LOCAL_DATA_DIR: %v", err)
		}
		if got, _ := os.ReadFile(out); !strings.Contains(string(got), `"groupName":"office"`) {
			t.Fatalf("exported document: %s", got)
		}
	})
	// Mistakes are refused as serve refuses them, naming the flag or variable.
	for _, tc := range []struct {
		args    []string
		environ []string
		want    string
	}{
		{[]string{"export", "--data-dir", src, "--database-url", "postgres://u@127.0.0.1:1/db"}, nil, "cannot be used together"},
		{[]string{"export"}, []string{"WORKSPACES_LOCAL_DATA_DIR=" + src, "WORKSPACES_LOCAL_DATABASE_URL=postgres://u@127.0.0.1:1/db"}, "cannot be used together"},
		{[]string{"export", "--in-memory"}, nil, "unknown flag --in-memory"},
		{[]string{"export", "--data-dir", src, "a.json", "b.json"}, nil, "at most one FILE"},
		{[]string{"import", "--data-dir"}, nil, "--data-dir needs a value"},
		{[]string{"import", "--data-dir="}, nil, "--data-dir must not be empty"},
	} {
		err := stateCmd(tc.args, tc.environ)
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("state %q with %q: %v, want a usage error containing %q", tc.args, tc.environ, err, tc.want)
		}
	}
}
