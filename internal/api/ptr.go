package api

// String returns a pointer to s.
func String(s string) *string { return &s }

// Int32 returns a pointer to n.
func Int32(n int32) *int32 { return &n }

// Bool returns a pointer to b.
func Bool(b bool) *bool { return &b }

// ToString returns *p, or "" when p is nil.
func ToString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// ToInt32 returns *p, or def when p is nil.
func ToInt32(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

// ToBool returns *p, or def when p is nil.
func ToBool(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

// echoMax bounds an id echoed in an error message or member.
const echoMax = 128

// Echo returns s as an error message may quote it: at most 128 characters,
// cut on a character boundary with "..." marking the cut, so a client that
// names a megabyte id does not get it back.
func Echo(s string) string {
	n := 0
	for i := range s {
		if n == echoMax {
			return s[:i] + "..."
		}
		n++
	}
	return s
}
