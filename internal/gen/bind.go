package gen

import (
	"bytes"
	"fmt"
)

// emitBind writes BindHTTP for every operation input with members bound to
// the URI, the query string or headers (REST protocols).
func (g *generator) emitBind(b *bytes.Buffer) error {
	fmt.Fprintf(b, "package %s\n\nimport \"github.com/workspaces-local/workspaces-local/internal/api\"\n\n", g.cfg.Package)
	for _, name := range g.opNames {
		in := g.m.Operations[name].Input.Shape
		s := g.shape(in)
		var lines []string
		for _, mn := range sortedKeys(s.Members) {
			r := s.Members[mn]
			var get string
			switch r.Location {
			case "":
				continue
			case "uri":
				get = "r.Label"
			case "querystring":
				get = "r.Query"
			case "header":
				get = "r.Header"
			default:
				return fmt.Errorf("%s.%s: unsupported location %q", in, mn, r.Location)
			}
			f := "s." + exported(mn)
			ln := wireName(mn, r)
			ms := g.shape(r.Shape)
			switch {
			case ms.Type == "list" && r.Location == "querystring" && g.shape(ms.Member.Shape).Type == "string":
				conv := "xs"
				if g.isEnum(ms.Member.Shape) {
					lines = append(lines, fmt.Sprintf("if xs := r.QueryAll(%q); xs != nil {\n\t\tfor _, x := range xs {\n\t\t\t%s = append(%s, %s(x))\n\t\t}\n\t}", ln, f, f, g.goType(ms.Member.Shape)))
					continue
				}
				lines = append(lines, fmt.Sprintf("if xs := r.QueryAll(%q); xs != nil {\n\t\t%s = %s\n\t}", ln, f, conv))
			case ms.Type == "string" && g.isEnum(r.Shape):
				lines = append(lines, fmt.Sprintf("if x, ok := %s(%q); ok {\n\t\t%s = %s(x)\n\t}", get, ln, f, g.goType(r.Shape)))
			case ms.Type == "string":
				lines = append(lines, fmt.Sprintf("if x, ok := %s(%q); ok {\n\t\t%s = &x\n\t}", get, ln, f))
			case ms.Type == "integer" || ms.Type == "long" || ms.Type == "boolean":
				parse := map[string]string{"integer": "api.ParseInt32", "long": "api.ParseInt64", "boolean": "api.ParseBool"}[ms.Type]
				lines = append(lines, fmt.Sprintf("if x, ok := %s(%q); ok {\n\t\tn, err := %s(%q, x)\n\t\tif err != nil {\n\t\t\treturn err\n\t\t}\n\t\t%s = &n\n\t}", get, ln, parse, ln, f))
			default:
				return fmt.Errorf("%s.%s: unsupported bound type %s", in, mn, ms.Type)
			}
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(b, "// BindHTTP reads the members of %s bound to the URI, query string and headers.\n", g.goNames[in])
		fmt.Fprintf(b, "func (s *%s) BindHTTP(r api.HTTPRequest) error {\n", g.goNames[in])
		for _, l := range lines {
			fmt.Fprintf(b, "\t%s\n", l)
		}
		fmt.Fprintf(b, "\treturn nil\n}\n\n")
	}
	return nil
}
