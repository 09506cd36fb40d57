package gen

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// needsValidation reports whether a shape, or anything inside it, carries a
// model constraint.
func (g *generator) needsValidation(name string) bool {
	if v, ok := g.needs[name]; ok {
		return v
	}
	g.needs[name] = false // breaks cycles: a recursive reference adds nothing new
	s := g.shape(name)
	var v bool
	switch s.Type {
	case "string":
		v = true // every string is bounded (see unmodelledMax) or an enum
	case "integer", "long", "double", "float", "blob":
		v = s.Min != nil || s.Max != nil
	case "list":
		v = s.Min != nil || s.Max != nil || g.needsValidation(s.Member.Shape)
	case "map":
		v = s.Min != nil || s.Max != nil || g.needsValidation(s.Key.Shape) || g.needsValidation(s.Value.Shape)
	case "structure":
		v = len(s.Required) > 0
		for _, mn := range sortedKeys(s.Members) {
			if g.needsValidation(s.Members[mn].Shape) {
				v = true
			}
		}
	}
	g.needs[name] = v
	return v
}

// unmodelledMax bounds, in characters, every string member the model gives
// no maximum (inferred: AWS documents none, but it refuses megabyte strings
// while the emulator would store and answer them). unmodelledMaxOf lists the
// shapes that get the larger bound of an ARN (2,048, the longest ARN IAM
// documents). README "Security" lists both.
const unmodelledMax = 1024

var unmodelledMaxOf = map[string]int64{
	"ARN": 2048, "SecretsManagerArn": 2048, "VolumeEncryptionKey": 2048, // WorkSpaces
	"String": 2048, // Thin Client: resource ARNs and tag keys
}

// stringMax is the maximum of a string shape: the model's, else the inferred one.
func stringMax(name string, s *Shape) string {
	if s.Max != nil {
		return bound(s.Max)
	}
	if len(s.Enum) > 0 {
		return "-1"
	}
	if n, ok := unmodelledMaxOf[name]; ok {
		return strconv.FormatInt(n, 10)
	}
	return strconv.Itoa(unmodelledMax)
}

func bound(f *float64) string {
	if f == nil {
		return "-1"
	}
	return strconv.FormatInt(int64(*f), 10)
}

func floatBound(f *float64) string {
	if f == nil {
		return "nil"
	}
	return "api.Float(" + strconv.FormatFloat(*f, 'f', -1, 64) + ")"
}

// call returns the statement validating value expression x (of the shape's
// goType; for structures an addressable value or a pointer) at path expression p.
func (g *generator) call(shape, x, p string) string {
	if g.shape(shape).Type == "structure" {
		return fmt.Sprintf("%s.validate(v, %s)", x, p)
	}
	return fmt.Sprintf("validate%s(v, %s, %s)", exported(shape), p, x)
}

func (g *generator) emitValidate(b *bytes.Buffer) error {
	fmt.Fprintf(b, "package %s\n\nimport (\n\t\"regexp\"\n\n\t\"github.com/workspaces-local/workspaces-local/internal/api\"\n)\n\n", g.cfg.Package)
	fmt.Fprintf(b, "var _ = regexp.MustCompile\n\n")
	// Operation inputs: the exported entry point.
	for _, name := range g.opNames {
		in := g.m.Operations[name].Input.Shape
		t := g.goNames[in]
		fmt.Fprintf(b, "// Validate checks %s against the model's constraints.\n", t)
		if g.needsValidation(in) {
			fmt.Fprintf(b, "func (s *%s) Validate(v *api.Violations) { s.validate(v, \"\") }\n\n", t)
		} else {
			fmt.Fprintf(b, "func (s *%s) Validate(v *api.Violations) {}\n\n", t)
		}
	}
	// Patterns, compiled once.
	for _, name := range sortedKeys(g.patterns) {
		if !g.needsValidation(name) {
			continue
		}
		fmt.Fprintf(b, "// pattern of %s, applied with search semantics exactly as written.\nvar pat%s = regexp.MustCompile(%s)\n\n", name, exported(name), strconv.Quote(g.patterns[name].re))
	}
	for _, name := range sortedKeys(g.m.Shapes) {
		if !g.needsValidation(name) {
			continue
		}
		s := g.shape(name)
		switch s.Type {
		case "structure":
			g.emitStructValidate(b, name, s)
		case "string":
			fmt.Fprintf(b, "func validate%s(v *api.Violations, path string, x %s) {\n", exported(name), g.goType(name))
			sx := "x"
			if len(s.Enum) > 0 {
				sx = "string(x)"
				fmt.Fprintf(b, "\tv.Enum(path, %s, values%s)\n", sx, g.goNames[name])
			}
			switch {
			case s.Min != nil || s.Max != nil:
				fmt.Fprintf(b, "\tv.StringLen(path, %s, %s, %s)\n", sx, bound(s.Min), stringMax(name, s))
			case len(s.Enum) == 0:
				fmt.Fprintf(b, "\tv.StringLen(path, %s, -1, %s) // inferred bound: the model gives no maximum\n", sx, stringMax(name, s))
			}
			if p, ok := g.patterns[name]; ok {
				if p.notPrefix != "" {
					fmt.Fprintf(b, "\tv.NotPrefix(path, %s, %q)\n", sx, p.notPrefix)
				}
				fmt.Fprintf(b, "\tv.Pattern(path, %s, pat%s)\n", sx, exported(name))
			}
			fmt.Fprintf(b, "}\n\n")
		case "integer", "long", "double", "float":
			fmt.Fprintf(b, "func validate%s(v *api.Violations, path string, x %s) {\n\tv.Range(path, float64(x), %s, %s)\n}\n\n", exported(name), g.goType(name), floatBound(s.Min), floatBound(s.Max))
		case "blob":
			fmt.Fprintf(b, "func validate%s(v *api.Violations, path string, x []byte) {\n\tv.BlobLen(path, x, %s, %s)\n}\n\n", exported(name), bound(s.Min), bound(s.Max))
		case "list":
			fmt.Fprintf(b, "func validate%s(v *api.Violations, path string, x %s) {\n", exported(name), g.goType(name))
			if s.Min != nil || s.Max != nil {
				fmt.Fprintf(b, "\tv.Len(path, len(x), %s, %s)\n", bound(s.Min), bound(s.Max))
			}
			if g.needsValidation(s.Member.Shape) {
				fmt.Fprintf(b, "\tfor i := range x {\n\t\t%s\n\t}\n", g.call(s.Member.Shape, "x[i]", "api.Index(path, i)"))
			}
			fmt.Fprintf(b, "}\n\n")
		case "map":
			fmt.Fprintf(b, "func validate%s(v *api.Violations, path string, x %s) {\n", exported(name), g.goType(name))
			if s.Min != nil || s.Max != nil {
				fmt.Fprintf(b, "\tv.Len(path, len(x), %s, %s)\n", bound(s.Min), bound(s.Max))
			}
			kn, vn := g.needsValidation(s.Key.Shape), g.needsValidation(s.Value.Shape)
			if kn || vn {
				fmt.Fprintf(b, "\tfor _, k := range api.SortedKeys(x) {\n\t\tp := api.Join(path, string(k))\n")
				if kn {
					fmt.Fprintf(b, "\t\t%s\n", g.call(s.Key.Shape, "k", "p"))
				}
				if vn {
					if g.shape(s.Value.Shape).Type == "structure" {
						fmt.Fprintf(b, "\t\te := x[k]\n\t\t%s\n", g.call(s.Value.Shape, "e", "p"))
					} else {
						fmt.Fprintf(b, "\t\t%s\n", g.call(s.Value.Shape, "x[k]", "p"))
					}
				}
				fmt.Fprintf(b, "\t}\n")
			}
			fmt.Fprintf(b, "}\n\n")
		}
	}
	return nil
}

func (g *generator) emitStructValidate(b *bytes.Buffer, name string, s *Shape) {
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	fmt.Fprintf(b, "func (s *%s) validate(v *api.Violations, path string) {\n", g.goNames[name])
	for _, mn := range sortedKeys(s.Members) {
		r := s.Members[mn]
		needs := g.needsValidation(r.Shape)
		if !needs && !required[mn] {
			continue
		}
		f := "s." + exported(mn)
		p := fmt.Sprintf("api.Join(path, %q)", wireName(mn, r))
		ms := g.shape(r.Shape)
		var absent, value string
		switch {
		case ms.Type == "structure":
			absent, value = f+" == nil", f
		case g.isEnum(r.Shape):
			absent, value = f+` == ""`, f
		case g.isPointerField(r.Shape):
			absent, value = f+" == nil", "*"+f
		default: // list, map, blob
			absent, value = f+" == nil", f
		}
		switch {
		case required[mn] && needs:
			fmt.Fprintf(b, "\tif %s {\n\t\tv.Required(%s)\n\t} else {\n\t\t%s\n\t}\n", absent, p, g.call(r.Shape, value, p))
		case required[mn]:
			fmt.Fprintf(b, "\tif %s {\n\t\tv.Required(%s)\n\t}\n", absent, p)
		default:
			present := strings.Replace(strings.Replace(absent, "==", "!=", 1), "!= nil", "!= nil", 1)
			fmt.Fprintf(b, "\tif %s {\n\t\t%s\n\t}\n", present, g.call(r.Shape, value, p))
		}
	}
	fmt.Fprintf(b, "}\n\n")
}
