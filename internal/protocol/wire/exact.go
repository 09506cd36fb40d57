package wire

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// Go's encoding/json matches object keys to struct fields case-insensitively
// ({"groupname": "x"} would set GroupName); AWS matches member names exactly
// and ignores every other key. Before a body is unmarshalled, scan walks it
// alongside the Go type of the input and finds the keys that are not a
// member's exact name but that encoding/json would still fold onto one. Such
// keys (rare: only hostile or broken clients send them) are overwritten in a
// copy of the body with '~' characters, which match no member, so they end
// up ignored like any unknown key. The same walk refuses strings with
// unpaired UTF-16 surrogate escapes, which encoding/json would silently turn
// into U+FFFD (raw invalid UTF-8 is refused before the walk).

// shape is the view of a Go type the walk needs.
type shape struct {
	fields map[string]*shape // struct: exact JSON member name -> member's shape
	names  []string          // struct: the member names, for the fold check
	elem   *shape            // slice or map: the element's shape
	isObj  bool              // a struct (members matter)
}

// shapes caches the shape of each input type: derived, read-only data, as
// encoding/json caches its own field lists.
var shapes sync.Map // reflect.Type -> *shape

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

func shapeOf(t reflect.Type) *shape {
	if s, ok := shapes.Load(t); ok {
		return s.(*shape)
	}
	s := build(t, map[reflect.Type]*shape{})
	shapes.Store(t, s)
	return s
}

func build(t reflect.Type, seen map[reflect.Type]*shape) *shape {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s, ok := seen[t]; ok {
		return s
	}
	if reflect.PointerTo(t).Implements(unmarshaler) {
		return nil // decodes itself (timestamps)
	}
	switch t.Kind() {
	case reflect.Struct:
		s := &shape{fields: map[string]*shape{}, isObj: true}
		seen[t] = s
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			s.fields[name] = build(f.Type, seen)
			s.names = append(s.names, name)
		}
		return s
	case reflect.Slice, reflect.Array, reflect.Map:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return nil // blob: a base64 string
		}
		s := &shape{}
		seen[t] = s
		s.elem = build(t.Elem(), seen)
		if s.elem == nil {
			return nil
		}
		return s
	}
	return nil
}

// folds reports whether encoding/json would match key to a member that is
// not spelled exactly key.
func (s *shape) folds(key string) bool {
	for _, n := range s.names {
		if strings.EqualFold(n, key) {
			return true
		}
	}
	return false
}

// scanner walks one JSON value. It stops quietly at anything that is not
// valid JSON: json.Unmarshal then reports the syntax error.
type scanner struct {
	b       []byte
	i       int
	blank   [][2]int // key spans (inside the quotes) to overwrite
	badUTF8 int      // offset of an unpaired surrogate escape, or -1
	broken  bool
}

func (sc *scanner) ws() {
	for sc.i < len(sc.b) {
		switch sc.b[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

// str skips a string starting at its opening quote and returns the span of
// its contents and whether it holds escapes.
func (sc *scanner) str() (start, end int, escaped bool) {
	sc.i++ // opening quote
	start = sc.i
	for {
		j := bytes.IndexByte(sc.b[sc.i:], '"')
		if j < 0 {
			sc.broken = true
			return start, len(sc.b), escaped
		}
		k := bytes.IndexByte(sc.b[sc.i:sc.i+j], '\\')
		if k < 0 {
			end = sc.i + j
			sc.i = end + 1
			return start, end, escaped
		}
		sc.i += k // an escape before the quote
		escaped = true
		if sc.i+1 < len(sc.b) && sc.b[sc.i+1] == 'u' {
			sc.surrogate()
		} else {
			sc.i += 2
		}
		if sc.i > len(sc.b) {
			sc.broken = true
			return start, len(sc.b), escaped
		}
	}
}

// surrogate checks the \uXXXX escape at sc.i (and its pair) and moves past it.
func (sc *scanner) surrogate() {
	at := sc.i
	r, ok := sc.hex4(sc.i + 2)
	sc.i += 6
	if !ok {
		return // not valid JSON: json.Unmarshal reports it
	}
	switch {
	case r >= 0xDC00 && r <= 0xDFFF: // low surrogate without its high half
	case r >= 0xD800 && r <= 0xDBFF:
		if sc.i+1 < len(sc.b) && sc.b[sc.i] == '\\' && sc.b[sc.i+1] == 'u' {
			if lo, ok := sc.hex4(sc.i + 2); ok && lo >= 0xDC00 && lo <= 0xDFFF {
				sc.i += 6
				return
			}
		}
	default:
		return
	}
	if sc.badUTF8 < 0 {
		sc.badUTF8 = at
	}
}

func (sc *scanner) hex4(i int) (rune, bool) {
	if i+4 > len(sc.b) {
		return 0, false
	}
	var r rune
	for _, c := range sc.b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// next moves past the ',' after an element, or stops before the closing
// bracket end.
func (sc *scanner) next(end byte) {
	sc.ws()
	if sc.i < len(sc.b) && sc.b[sc.i] == ',' {
		sc.i++
	} else if sc.i >= len(sc.b) || sc.b[sc.i] != end {
		sc.broken = true
	}
}

// value walks one value whose Go type has shape s (nil: any).
func (sc *scanner) value(s *shape, depth int) {
	sc.ws()
	if sc.i >= len(sc.b) || depth > 10000 {
		sc.broken = true
		return
	}
	switch sc.b[sc.i] {
	case '{':
		sc.object(s, depth)
	case '[':
		sc.i++
		var elem *shape
		if s != nil && !s.isObj {
			elem = s.elem
		}
		for !sc.broken {
			sc.ws()
			if sc.i < len(sc.b) && sc.b[sc.i] == ']' {
				sc.i++
				return
			}
			sc.value(elem, depth+1)
			sc.next(']')
		}
	case '"':
		sc.str()
	default: // number, true, false, null
		for sc.i < len(sc.b) {
			switch sc.b[sc.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			sc.i++
		}
	}
}

func (sc *scanner) object(s *shape, depth int) {
	sc.i++
	for !sc.broken {
		sc.ws()
		if sc.i >= len(sc.b) {
			sc.broken = true
			return
		}
		if sc.b[sc.i] == '}' {
			sc.i++
			return
		}
		if sc.b[sc.i] != '"' {
			sc.broken = true
			return
		}
		start, end, escaped := sc.str()
		var child *shape
		switch {
		case s == nil:
		case !s.isObj: // a map: every key is data
			child = s.elem
		case !escaped:
			if f, ok := s.fields[string(sc.b[start:end])]; ok { // no allocation for the lookup
				child = f
			} else if s.folds(string(sc.b[start:end])) {
				sc.blank = append(sc.blank, [2]int{start, end})
			}
		default:
			var key string
			if err := json.Unmarshal(sc.b[start-1:end+1], &key); err != nil {
				sc.broken = true
				return
			}
			if f, ok := s.fields[key]; ok {
				child = f
			} else if s.folds(key) {
				sc.blank = append(sc.blank, [2]int{start, end})
			}
		}
		sc.ws()
		if sc.i >= len(sc.b) || sc.b[sc.i] != ':' {
			sc.broken = true
			return
		}
		sc.i++
		sc.value(child, depth+1)
		sc.next('}')
	}
}

// exact returns body with the case-variant member keys of in's type
// blanked out (body itself when there are none, the common case), or the
// offset of the first invalid UTF-8 sequence or unpaired surrogate escape.
func exact(body []byte, in any) ([]byte, int) {
	if !utf8.Valid(body) {
		for i := 0; i < len(body); {
			r, n := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && n <= 1 {
				return nil, i
			}
			i += n
		}
	}
	sc := scanner{b: body, badUTF8: -1}
	sc.value(shapeOf(reflect.TypeOf(in)), 0)
	if sc.badUTF8 >= 0 {
		return nil, sc.badUTF8
	}
	if len(sc.blank) == 0 {
		return body, -1
	}
	out := append([]byte(nil), body...)
	for _, sp := range sc.blank {
		for i := sp[0]; i < sp[1]; i++ {
			out[i] = '~'
		}
	}
	return out, -1
}
