package api

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Violation is one broken model constraint.
type Violation struct {
	// Path names the member as on the wire: dotted wire names, list items by
	// 1-based index, map entries by key (e.g. "UserRules.1.ipRule", "tags.aws:x").
	Path string
	// Value is the offending value as it appears in the message ("null" when absent).
	Value string
	// Constraint is the violated constraint in words.
	Constraint string
}

// Violations collects the violations of one request; generated Validate
// methods add to it.
type Violations struct {
	List []Violation
}

// Join appends a member name to a path.
func Join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// Index appends a 1-based list index to a path.
func Index(path string, i int) string { return path + "." + strconv.Itoa(i+1) }

func (v *Violations) add(path, value, constraint string) {
	v.List = append(v.List, Violation{Path: path, Value: value, Constraint: constraint})
}

// Required records a missing required member.
func (v *Violations) Required(path string) {
	v.add(path, "null", "Member must not be null")
}

// StringLen checks a string's length in characters.
func (v *Violations) StringLen(path, s string, min, max int64) {
	if min <= 0 && max >= 0 && int64(len(s)) <= max {
		return // no more characters than bytes: no need to count them
	}
	n := int64(utf8.RuneCountInString(s))
	if min >= 0 && n < min {
		v.add(path, quote(s), fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
	if max >= 0 && n > max {
		v.add(path, quote(s), fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// BlobLen checks a blob's length in bytes.
func (v *Violations) BlobLen(path string, b []byte, min, max int64) {
	n := int64(len(b))
	if min >= 0 && n < min {
		v.add(path, fmt.Sprintf("'<%d bytes>'", n), fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
	if max >= 0 && n > max {
		v.add(path, fmt.Sprintf("'<%d bytes>'", n), fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// Pattern checks a string against a model pattern with search semantics:
// the pattern is applied exactly as written, anchored only where it anchors
// itself (Go's MatchString finds a match anywhere).
func (v *Violations) Pattern(path, s string, re *regexp.Regexp) {
	if !re.MatchString(s) {
		v.add(path, quote(s), "Member must satisfy regular expression pattern: "+re.String())
	}
}

// NotPrefix enforces a model lookahead such as (?!aws:) that RE2 cannot
// express: the value must not begin with prefix.
func (v *Violations) NotPrefix(path, s, prefix string) {
	if strings.HasPrefix(s, prefix) {
		v.add(path, quote(s), "Member must not begin with '"+prefix+"'")
	}
}

// Enum checks a string against an enum's values.
func (v *Violations) Enum(path, s string, values []string) {
	for _, x := range values {
		if s == x {
			return
		}
	}
	v.add(path, quote(s), "Member must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
}

// Range checks a number against a model range.
func (v *Violations) Range(path string, n float64, min, max *float64) {
	if min != nil && n < *min {
		v.add(path, "'"+formatNum(n)+"'", "Member must have value greater than or equal to "+formatNum(*min))
	}
	if max != nil && n > *max {
		v.add(path, "'"+formatNum(n)+"'", "Member must have value less than or equal to "+formatNum(*max))
	}
}

// Len checks the number of items of a list or map.
func (v *Violations) Len(path string, n int, min, max int64) {
	if min >= 0 && int64(n) < min {
		v.add(path, fmt.Sprintf("'<%d items>'", n), fmt.Sprintf("Member must have length greater than or equal to %d", min))
	}
	if max >= 0 && int64(n) > max {
		v.add(path, fmt.Sprintf("'<%d items>'", n), fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// Err returns nil when nothing was violated, else a *ValidationError.
func (v *Violations) Err() error {
	if len(v.List) == 0 {
		return nil
	}
	return &ValidationError{Reason: "fieldValidationFailed", Violations: v.List}
}

// Float returns a pointer to f; generated code uses it for range bounds.
func Float(f float64) *float64 { return &f }

func formatNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func quote(s string) string {
	const max = 256
	if len(s) > max {
		s = s[:max] + "..."
	}
	return "'" + s + "'"
}

// ValidationError is the ValidationException of a request that breaks the
// model, or that a service rejects as invalid input before any semantic check.
// The AWS JSON writer sends {__type, message}; the REST-JSON writer adds the
// modelled reason and fieldList.
type ValidationError struct {
	// Reason is the REST-JSON ValidationExceptionReason.
	Reason     string
	Violations []Violation
	// Msg overrides the message built from Violations.
	Msg string
}

func (e *ValidationError) Error() string     { return "ValidationException: " + e.ErrorMessage() }
func (e *ValidationError) ErrorCode() string { return "ValidationException" }
func (e *ValidationError) HTTPStatus() int   { return http.StatusBadRequest }

// ErrorMessage follows the usual AWS wording: "1 validation error detected:
// Value 'x' at 'path' failed to satisfy constraint: ...".
func (e *ValidationError) ErrorMessage() string {
	if e.Msg != "" {
		return e.Msg
	}
	var b strings.Builder
	n := len(e.Violations)
	if n == 1 {
		b.WriteString("1 validation error detected: ")
	} else {
		fmt.Fprintf(&b, "%d validation errors detected: ", n)
	}
	for i, x := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		if x.Value == "null" {
			fmt.Fprintf(&b, "Value null at '%s' failed to satisfy constraint: %s", x.Path, x.Constraint)
		} else {
			fmt.Fprintf(&b, "Value %s at '%s' failed to satisfy constraint: %s", x.Value, x.Path, x.Constraint)
		}
	}
	return b.String()
}

// SortedKeys returns a map's keys in order, so violations of map entries are
// reported deterministically.
func SortedKeys[K ~string, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
