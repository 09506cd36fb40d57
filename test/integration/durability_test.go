package integration

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"

	"github.com/workspaces-local/workspaces-local/internal/testenv"
)

// State written through the SQLite store survives a restart on the same
// data directory. (The kill -9 variant runs against the binary in
// test/compat/run.sh.)
func TestDurableStoreSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	var id string
	t.Run("first run", func(t *testing.T) {
		env := testenv.Start(t, testenv.WithDataDir(dir))
		id = createGroup(t, env.WorkSpaces(testenv.AccountA, testenv.Region), "durable")
	})
	env := testenv.Start(t, testenv.WithDataDir(dir))
	c := env.WorkSpaces(testenv.AccountA, testenv.Region)
	g := describeGroup(t, c, id)
	if g == nil || aws.ToString(g.GroupName) != "durable" {
		t.Fatalf("after restart: %+v", g)
	}
	// Tokens survive too: the signing key is stored.
	_, err := c.DescribeIpGroups(ctx, &workspaces.DescribeIpGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
}
