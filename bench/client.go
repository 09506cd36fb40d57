package main

// A minimal HTTP/1.1 keep-alive client for the load generator: one TCP
// connection per worker, requests written from prebuilt bytes, responses
// parsed just enough (status, Content-Length or chunked, Connection: close).
// net/http's client costs several times more CPU per request, which on a
// small machine would be taken from the server under test.

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// conn is one keep-alive connection to a target.
type conn struct {
	addr string
	c    net.Conn
	br   *bufio.Reader
	body []byte // the last response body (reused)
}

func dial(addr string) (*conn, error) {
	k := &conn{addr: addr}
	return k, k.redial()
}

func (k *conn) redial() error {
	if k.c != nil {
		k.c.Close()
	}
	c, err := net.DialTimeout("tcp", k.addr, 5*time.Second)
	if err != nil {
		return err
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	k.c, k.br = c, bufio.NewReaderSize(c, 64<<10)
	return nil
}

func (k *conn) close() {
	if k.c != nil {
		k.c.Close()
	}
}

// do sends req (a complete HTTP/1.1 request) and reads the response. The
// body stays valid until the next call. A connection the server closed
// before answering is redialled once.
func (k *conn) do(req []byte) (int, []byte, error) {
	for attempt := 0; ; attempt++ {
		status, body, closeAfter, err := k.roundTrip(req)
		if err != nil && attempt == 0 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || isReset(err)) {
			if rerr := k.redial(); rerr != nil {
				return 0, nil, rerr
			}
			continue
		}
		if err == nil && closeAfter {
			err = k.redial()
		}
		return status, body, err
	}
}

func isReset(err error) bool {
	var ne *net.OpError
	return errors.As(err, &ne)
}

func (k *conn) roundTrip(req []byte) (status int, body []byte, closeAfter bool, err error) {
	_ = k.c.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err = k.c.Write(req); err != nil {
		return
	}
	line, err := k.br.ReadSlice('\n')
	if err != nil {
		return
	}
	// HTTP/1.1 200 OK
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, nil, false, fmt.Errorf("bad status line %q", line)
	}
	if status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return
	}
	if line[7] == '0' {
		closeAfter = true // HTTP/1.0 unless keep-alive is announced
	}
	length, chunked := -1, false
	for {
		h, rerr := k.br.ReadSlice('\n')
		if rerr != nil {
			return 0, nil, false, rerr
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		name, val, _ := bytes.Cut(h, []byte(":"))
		val = bytes.TrimSpace(val)
		switch {
		case asciiEqualFold(name, "content-length"):
			length, err = strconv.Atoi(string(val))
			if err != nil {
				return
			}
		case asciiEqualFold(name, "transfer-encoding"):
			chunked = bytes.Contains(bytes.ToLower(val), []byte("chunked"))
		case asciiEqualFold(name, "connection"):
			v := bytes.ToLower(val)
			if bytes.Contains(v, []byte("close")) {
				closeAfter = true
			} else if bytes.Contains(v, []byte("keep-alive")) {
				closeAfter = false
			}
		}
	}
	k.body = k.body[:0]
	switch {
	case chunked:
		for {
			l, rerr := k.br.ReadSlice('\n')
			if rerr != nil {
				return 0, nil, false, rerr
			}
			l = bytes.TrimRight(l, "\r\n")
			if i := bytes.IndexByte(l, ';'); i >= 0 {
				l = l[:i]
			}
			n, perr := strconv.ParseInt(string(l), 16, 64)
			if perr != nil {
				return 0, nil, false, perr
			}
			if n == 0 {
				for { // trailers
					t, rerr := k.br.ReadSlice('\n')
					if rerr != nil {
						return 0, nil, false, rerr
					}
					if len(bytes.TrimRight(t, "\r\n")) == 0 {
						break
					}
				}
				break
			}
			if err = k.read(int(n)); err != nil {
				return
			}
			if _, err = k.br.Discard(2); err != nil {
				return
			}
		}
	case length >= 0:
		if err = k.read(length); err != nil {
			return
		}
	default: // until the server closes
		b, rerr := io.ReadAll(k.br)
		if rerr != nil {
			return 0, nil, false, rerr
		}
		k.body = append(k.body, b...)
		closeAfter = true
	}
	return status, k.body, closeAfter, nil
}

// read appends n body bytes to k.body.
func (k *conn) read(n int) error {
	start := len(k.body)
	if cap(k.body)-start < n {
		nb := make([]byte, start, start+n)
		copy(nb, k.body)
		k.body = nb
	}
	k.body = k.body[:start+n]
	_, err := io.ReadFull(k.br, k.body[start:])
	return err
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// signer makes a SigV4 Authorization header. The servers under test check
// the credential scope and the date (within 15 minutes of the wall clock) but
// verify no signature, so one signature, computed once per target and
// operation over the first request with the time the request template is
// built, is reused for every request (as the task allows).
type signer struct {
	AccessKey, Secret, Region string
}

// authorization signs a request with the canonical headers host and x-amz-date.
func (s signer) authorization(service, method, path, host, amzDate string, body []byte) string {
	payload := sha256.Sum256(body)
	canonical := method + "\n" + path + "\n\n" + "host:" + host + "\nx-amz-date:" + amzDate + "\n\nhost;x-amz-date\n" + hex.EncodeToString(payload[:])
	scope := amzDate[:8] + "/" + s.Region + "/" + service + "/aws4_request"
	h := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(h[:])
	mac := func(key []byte, data string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(data))
		return m.Sum(nil)
	}
	k := mac([]byte("AWS4"+s.Secret), amzDate[:8])
	k = mac(k, s.Region)
	k = mac(k, service)
	k = mac(k, "aws4_request")
	sig := hex.EncodeToString(mac(k, toSign))
	return "AWS4-HMAC-SHA256 Credential=" + s.AccessKey + "/" + scope + ", SignedHeaders=host;x-amz-date, Signature=" + sig
}

// request is a request template; append writes it with a body.
type request struct {
	head []byte // request line and headers up to Content-Length:
}

// newRequest prebuilds the fixed part of a request. target is the
// X-Amz-Target (AWS JSON) or "" (REST-JSON).
func newRequest(sg signer, service, host, method, path, target string, firstBody []byte) request {
	var b bytes.Buffer
	amzDate := time.Now().UTC().Format("20060102T150405Z")
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: wsl-bench\r\nX-Amz-Date: %s\r\n", method, path, host, amzDate)
	fmt.Fprintf(&b, "Authorization: %s\r\n", sg.authorization(service, method, path, host, amzDate, firstBody))
	if target != "" {
		fmt.Fprintf(&b, "X-Amz-Target: %s\r\nContent-Type: application/x-amz-json-1.1\r\n", target)
	} else if len(firstBody) > 0 {
		b.WriteString("Content-Type: application/json\r\n")
	}
	b.WriteString("Content-Length: ")
	return request{head: b.Bytes()}
}

// append appends the complete request with body to dst.
func (r request) append(dst, body []byte) []byte {
	dst = append(dst, r.head...)
	dst = strconv.AppendInt(dst, int64(len(body)), 10)
	dst = append(dst, "\r\n\r\n"...)
	return append(dst, body...)
}
