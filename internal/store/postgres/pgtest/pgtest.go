// Package pgtest gives tests a fresh PostgreSQL database or schema on the
// server named by WORKSPACES_LOCAL_TEST_DATABASE_URL (test/postgres/start.sh
// starts one and prints the variable). Tests skip, with a message, when it
// is unset or the server does not answer.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable holding the test server's URL.
const EnvURL = "WORKSPACES_LOCAL_TEST_DATABASE_URL"

var counter atomic.Int64

// URL returns the test server's URL, skipping the test when there is none
// or it does not answer.
func URL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		tb.Skipf("%s is unset: no PostgreSQL to test against (eval \"$(bash test/postgres/start.sh)\" starts one)", EnvURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, u)
	if err != nil {
		tb.Skipf("%s: PostgreSQL unreachable: %v", EnvURL, err)
	}
	c.Close(ctx)
	return u
}

// name returns a unique lower-case identifier for tb.
func name(prefix string) string {
	return fmt.Sprintf("%s_%d_%d_%d", prefix, os.Getpid(), time.Now().UnixNano()%1e9, counter.Add(1))
}

// exec runs sql on the server at u.
func exec(tb testing.TB, u, sql string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, u)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, sql); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
}

// Database creates a fresh, empty database, dropped when the test ends, and
// returns its URL.
func Database(tb testing.TB) string {
	tb.Helper()
	base := URL(tb)
	db := name("wst")
	exec(tb, base, "CREATE DATABASE "+db)
	tb.Cleanup(func() { exec(tb, base, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)") })
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + db
	return u.String()
}

// Schema creates a fresh schema in the test database, dropped when the test
// ends, and returns a URL whose connections use it (search_path). Cheaper
// than Database; the store carries the schema in its lock ids and notice
// channels, so tests on two schemas of one database do not wait for or
// hear each other.
func Schema(tb testing.TB) string {
	tb.Helper()
	base := URL(tb)
	s := name("wss")
	exec(tb, base, "CREATE SCHEMA "+s)
	tb.Cleanup(func() { exec(tb, base, "DROP SCHEMA IF EXISTS "+s+" CASCADE") })
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + s
}
