package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// proc is a server process under test.
type proc struct {
	name    string
	cmd     *exec.Cmd
	addr    string
	log     string
	started time.Time
	done    chan struct{} // closed when the process has exited
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// start runs name with args, its output in logPath; env entries are added
// to the harness's environment.
func start(name, logPath string, env []string, bin string, args ...string) (*proc, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = append(os.Environ(), env...)
	p := &proc{name: name, cmd: cmd, log: logPath, started: time.Now(), done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() { _ = cmd.Wait(); f.Close(); close(p.done) }()
	return p, nil
}

// stop ends the process (SIGTERM, then SIGKILL after 5 s).
func (p *proc) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// tail returns the last lines of the process's log.
func (p *proc) tail() string {
	b, _ := os.ReadFile(p.log)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return strings.Join(lines, "\n")
}

// waitServing polls addr with req until it answers wantStatus, and returns
// the time since the process started.
func (p *proc) waitServing(req []byte, wantStatus int, timeout time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		if p.exited() {
			return 0, fmt.Errorf("%s exited before serving:\n%s", p.name, p.tail())
		}
		k, err := dial(p.addr)
		if err == nil {
			status, body, derr := k.do(req)
			k.close()
			if derr == nil && status == wantStatus {
				return time.Since(p.started), nil
			}
			last = fmt.Errorf("HTTP %d %v: %.200s", status, derr, body)
		} else {
			last = err
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 0, fmt.Errorf("%s not serving after %v: %v\n%s", p.name, timeout, last, p.tail())
}

// memory is a process's resident set from /proc/<pid>/status.
type memory struct {
	RSS, HWM   int64 // VmRSS and VmHWM, bytes
	Anon, File int64 // RssAnon (heap, stacks) and RssFile (mapped files: the binary, the mmap of the database)
}

func (p *proc) memory() (memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return memory{}, err
	}
	defer f.Close()
	var m memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fields := strings.Fields(val)
		if len(fields) < 1 {
			continue
		}
		kb, _ := strconv.ParseInt(fields[0], 10, 64)
		switch name {
		case "VmRSS":
			m.RSS = kb << 10
		case "VmHWM":
			m.HWM = kb << 10
		case "RssAnon":
			m.Anon = kb << 10
		case "RssFile":
			m.File = kb << 10
		}
	}
	if m.RSS == 0 {
		return m, errors.New("no VmRSS in /proc status")
	}
	return m, sc.Err()
}

// moduleRoot finds the directory of go.mod from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("workspaces-local")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod of workspaces-local not found above the working directory")
		}
		dir = parent
	}
}

// buildServer builds cmd/workspaces-local into dir.
func buildServer(root, dir string) (string, error) {
	bin := filepath.Join(dir, "workspaces-local")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/workspaces-local")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}
