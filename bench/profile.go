package main

// With -cpuprofile FILE the side-by-side workspaces-local target is not the
// built binary but this program re-executed as the same server (internal/app,
// the same configuration), writing a CPU profile of the whole run to FILE:
//
//	go run ./bench -sizes '' -micro=false -out '' -only 'by id' -cpuprofile /tmp/local.pprof
//	go tool pprof -top /tmp/local.pprof

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"syscall"

	"github.com/workspaces-local/workspaces-local/internal/app"
	tcsvc "github.com/workspaces-local/workspaces-local/internal/service/thinclient"
	wssvc "github.com/workspaces-local/workspaces-local/internal/service/workspaces"
)

// Environment of the profiled server process.
const (
	envProfAddr  = "WSL_BENCH_PROFILE_ADDR"
	envProfData  = "WSL_BENCH_PROFILE_DATA"
	envProfOut   = "WSL_BENCH_PROFILE_OUT"
	envProfQuota = "WSL_BENCH_PROFILE_QUOTA"
)

// serveProfiled runs workspaces-local as `serve --delays zero` does, with a
// CPU profile from start to SIGINT/SIGTERM.
func serveProfiled() error {
	f, err := os.Create(os.Getenv(envProfOut))
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	defer func() {
		pprof.StopCPUProfile()
		f.Close()
	}()
	quota, _ := strconv.Atoi(os.Getenv(envProfQuota))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, app.Config{
		Addr: os.Getenv(envProfAddr), DataDir: os.Getenv(envProfData),
		WorkSpacesDelays: wssvc.Delays{}, ThinClientDelays: tcsvc.Delays{},
		WorkSpacesQuotas: wssvc.Quotas{Workspaces: quota},
		Log:              slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		return err
	}
	if err := a.Listen(); err != nil {
		return err
	}
	if err := a.Serve(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// subprocess runs the harness binary's other roles; it reports whether the
// process was one of them.
func subprocess() bool {
	var err error
	switch {
	case os.Getenv("WSL_BENCH_BARE_ADDR") != "":
		err = serveBare()
	case os.Getenv(envProfAddr) != "":
		err = serveProfiled()
	default:
		return false
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench subprocess:", err)
		os.Exit(1)
	}
	return true
}
