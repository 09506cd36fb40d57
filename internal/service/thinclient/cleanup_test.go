package thinclient

// Records that stop mattering leave the store: expired client tokens
// (tokenlog.go), the serial index of a deleted device (simulate.go).

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/workspaces-local/workspaces-local/internal/api"
	tc "github.com/workspaces-local/workspaces-local/internal/api/thinclient"
	"github.com/workspaces-local/workspaces-local/internal/paging"
	"github.com/workspaces-local/workspaces-local/internal/store"
	"github.com/workspaces-local/workspaces-local/internal/store/memory"
	"github.com/workspaces-local/workspaces-local/internal/store/rerun"
)

// TestTokenLogDeletesExpiredTokens: client tokens answer replays within
// tokenTTL; once a whole chunk of the log is past it, the next token
// deletes that chunk's token records, so the store keeps the tokens of the
// last tokenTTL, not every token ever used.
func TestTokenLogDeletesExpiredTokens(t *testing.T) {
	ctx := context.Background()
	st := rerun.Wrap(memory.New())
	s, err := New(st, paging.New([]byte("0123456789abcdef0123456789abcdef")), Delays{}, Quotas{Environments: 1000})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	create := func(i int) string {
		t.Helper()
		c := localCall("111111111111", "us-east-1", now)
		c.Operation = "CreateEnvironment"
		out, err := s.CreateEnvironment(ctx, c, &tc.CreateEnvironmentInput{ClientToken: api.String(fmt.Sprintf("token-%04d", i)),
			DesktopArn: api.String(fmt.Sprintf("arn:aws:workspaces:us-east-1:111111111111:directory/d-9067%06d", i%100))})
		if err != nil {
			t.Fatal(err)
		}
		return *out.Environment.Id
	}
	tokens := func() int {
		t.Helper()
		var n int
		if err := st.View(ctx, func(tx store.Tx) (err error) {
			n, err = tx.Count(ctx, store.Scope{Kind: kindToken, Account: "111111111111", Region: "us-east-1"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const old = 3 * tokenChunk
	first := create(0)
	for i := 1; i < old; i++ {
		create(i)
	}
	if got := create(0); got != first {
		t.Fatalf("replay within the TTL created %s, want %s", got, first)
	}
	if n := tokens(); n != old {
		t.Fatalf("%d token records, want %d", n, old)
	}
	now = now.Add(tokenTTL + time.Minute)
	for i := old; i < old+3*tokenChunk; i++ {
		create(i)
	}
	if n := tokens(); n != 3*tokenChunk {
		t.Errorf("%d token records after the old ones expired, want the %d recent ones", n, 3*tokenChunk)
	}
	if got := create(0); got == first {
		t.Error("an expired token replayed its old answer")
	}
	if got, again := create(old+2), create(old+2); got != again {
		t.Errorf("replay of a recent token created %s, want %s", again, got)
	}
}

// TestDeleteDeviceDropsItsSerial: deleting a device deletes the index of its
// serial number, unless a newer device has taken the serial since.
func TestDeleteDeviceDropsItsSerial(t *testing.T) {
	ctx := context.Background()
	st := rerun.Wrap(memory.New())
	s, err := New(st, paging.New([]byte("0123456789abcdef0123456789abcdef")), Delays{}, DefaultQuotas)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	call := func(op string) *api.Call {
		c := localCall("111111111111", "us-east-1", now)
		c.Operation = op
		return c
	}
	e, err := s.CreateEnvironment(ctx, call("CreateEnvironment"), &tc.CreateEnvironmentInput{DesktopArn: api.String("arn:aws:workspaces:us-east-1:111111111111:directory/d-9067000001")})
	if err != nil {
		t.Fatal(err)
	}
	register := func(serial string) string {
		t.Helper()
		d, err := s.RegisterDevice(ctx, now, Registration{ActivationCode: *e.Environment.ActivationCode, SerialNumber: api.String(serial)})
		if err != nil {
			t.Fatal(err)
		}
		return *d.Id
	}
	deregister := func(id string) {
		t.Helper()
		if _, err := s.DeregisterDevice(ctx, call("DeregisterDevice"), &tc.DeregisterDeviceInput{Id: &id}); err != nil {
			t.Fatal(err)
		}
	}
	del := func(id string) {
		t.Helper()
		if _, err := s.DeleteDevice(ctx, call("DeleteDevice"), &tc.DeleteDeviceInput{Id: &id}); err != nil {
			t.Fatal(err)
		}
	}
	serialOf := func(serial string) string {
		t.Helper()
		var si serialIndex
		err := st.View(ctx, func(tx store.Tx) error { return tx.Get(ctx, key(call(""), kindSerial, serial), &si) })
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return si.DeviceID
	}
	a := register("SERIAL-A")
	if id := serialOf("SERIAL-A"); id != a {
		t.Fatalf("serial index names %q, want %s", id, a)
	}
	deregister(a)
	del(a)
	if id := serialOf("SERIAL-A"); id != "" {
		t.Errorf("serial index of a deleted device still names %s", id)
	}
	b1 := register("SERIAL-B")
	deregister(b1)
	b2 := register("SERIAL-B") // the serial moves to the new device
	del(b1)
	if id := serialOf("SERIAL-B"); id != b2 {
		t.Errorf("serial index names %q after the older device was deleted, want the newer %s", id, b2)
	}
}
