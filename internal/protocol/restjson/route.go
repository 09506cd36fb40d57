package restjson

import (
	"net/url"
	"strings"

	"github.com/workspaces-local/workspaces-local/internal/api"
)

// route is one operation's method and URI template, split into segments.
type route struct {
	op     *api.Operation
	method string
	segs   []segment
}

type segment struct {
	literal string
	label   string // set for {label}
	greedy  bool   // {label+}
}

func compile(op *api.Operation) route {
	path := op.URI
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	rt := route{op: op, method: op.Method}
	for _, s := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			name := s[1 : len(s)-1]
			greedy := strings.HasSuffix(name, "+")
			rt.segs = append(rt.segs, segment{label: strings.TrimSuffix(name, "+"), greedy: greedy})
		} else {
			rt.segs = append(rt.segs, segment{literal: s})
		}
	}
	return rt
}

// match matches the escaped path segments against the template. Labels are
// unescaped one segment at a time, so an ARN sent as
// arn%3Aaws%3A...%2Fid stays one label.
func (rt route) match(segs []string) (map[string]string, bool, error) {
	labels := map[string]string{}
	for i, s := range rt.segs {
		if s.greedy {
			if i >= len(segs) {
				return nil, false, nil
			}
			v, err := url.PathUnescape(strings.Join(segs[i:], "/"))
			if err != nil {
				return nil, true, err
			}
			labels[s.label] = v
			return labels, true, nil
		}
		if i >= len(segs) {
			return nil, false, nil
		}
		if s.label == "" {
			if segs[i] != s.literal {
				return nil, false, nil
			}
			continue
		}
		v, err := url.PathUnescape(segs[i])
		if err != nil {
			return nil, true, err
		}
		labels[s.label] = v
	}
	if len(segs) != len(rt.segs) {
		return nil, false, nil
	}
	return labels, true, nil
}

// splitPath splits an escaped path into segments without its leading slash.
func splitPath(escaped string) []string {
	return strings.Split(strings.TrimPrefix(escaped, "/"), "/")
}
