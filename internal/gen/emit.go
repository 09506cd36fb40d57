package gen

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

func (g *generator) structNames() []string {
	var out []string
	for _, name := range sortedKeys(g.m.Shapes) {
		if g.shape(name).Type == "structure" {
			out = append(out, name)
		}
	}
	sort.Slice(out, func(i, j int) bool { return g.goNames[out[i]] < g.goNames[out[j]] })
	return out
}

func (g *generator) emitShapes(b *bytes.Buffer) error {
	fmt.Fprintf(b, "// Package %s holds the shapes, enums, exceptions, operation table and\n", g.cfg.Package)
	fmt.Fprintf(b, "// validators of %s (API version %s), generated from its model.\n", g.m.Metadata.ServiceID, g.m.Metadata.APIVersion)
	fmt.Fprintf(b, "package %s\n\nimport \"github.com/workspaces-local/workspaces-local/internal/api\"\n\n", g.cfg.Package)
	fmt.Fprintf(b, "var _ api.Timestamp\n\n")
	for _, name := range g.structNames() {
		s := g.shape(name)
		goName := g.goNames[name]
		if goName != name {
			fmt.Fprintf(b, "// %s is the model shape %s.\n", goName, name)
		} else {
			fmt.Fprintf(b, "// %s is a model structure.\n", goName)
		}
		fmt.Fprintf(b, "type %s struct {\n", goName)
		for _, mn := range sortedKeys(s.Members) {
			r := s.Members[mn]
			tag := wireName(mn, r) + ",omitzero"
			if r.Location != "" {
				tag = "-"
			}
			fmt.Fprintf(b, "\t%s %s `json:%q`\n", exported(mn), g.fieldType(r.Shape), tag)
		}
		fmt.Fprintf(b, "}\n\n")
	}
	return nil
}

func (g *generator) emitEnums(b *bytes.Buffer) error {
	fmt.Fprintf(b, "package %s\n\n", g.cfg.Package)
	for _, name := range sortedKeys(g.m.Shapes) {
		if !g.isEnum(name) {
			continue
		}
		s := g.shape(name)
		t := g.goNames[name]
		fmt.Fprintf(b, "// %s is a model enum.\ntype %s string\n\n", t, t)
		fmt.Fprintf(b, "// Values of %s.\nconst (\n", t)
		used := map[string]int{}
		for _, v := range s.Enum {
			c := enumConst(t, v)
			used[c]++
			if used[c] > 1 {
				c = fmt.Sprintf("%s%d", c, used[c])
			}
			fmt.Fprintf(b, "\t%s %s = %q\n", c, t, v)
		}
		fmt.Fprintf(b, ")\n\n")
		fmt.Fprintf(b, "// Values returns every value of %s in model order.\n", t)
		fmt.Fprintf(b, "func (%s) Values() []%s {\n\treturn []%s{", t, t, t)
		for i, v := range s.Enum {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "%q", v)
		}
		fmt.Fprintf(b, "}\n}\n\n")
		fmt.Fprintf(b, "var values%s = []string{", t)
		for i, v := range s.Enum {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "%q", v)
		}
		fmt.Fprintf(b, "}\n\n")
	}
	return nil
}

func (g *generator) exceptionStatus(s *Shape) int {
	if s.Error != nil && s.Error.HTTPStatusCode != 0 {
		return s.Error.HTTPStatusCode
	}
	if s.Fault {
		return 500
	}
	return 400
}

func (g *generator) emitErrors(b *bytes.Buffer) error {
	fmt.Fprintf(b, "package %s\n\n", g.cfg.Package)
	imports := []string{`"github.com/workspaces-local/workspaces-local/internal/api"`}
	if g.rest {
		imports = append(imports, `"net/http"`, `"strconv"`)
	}
	fmt.Fprintf(b, "import (\n\t%s\n)\n\n", strings.Join(imports, "\n\t"))
	for _, name := range g.structNames() {
		s := g.shape(name)
		if !s.Exception {
			continue
		}
		t := g.goNames[name]
		msg := ""
		for _, mn := range sortedKeys(s.Members) {
			if strings.EqualFold(mn, "message") {
				msg = exported(mn)
			}
		}
		fmt.Fprintf(b, "var _ api.ModeledError = (*%s)(nil)\n\n", t)
		fmt.Fprintf(b, "// ErrorCode returns %q.\nfunc (e *%s) ErrorCode() string { return %q }\n\n", name, t, name)
		fmt.Fprintf(b, "// HTTPStatus returns the modelled status, %d.\nfunc (e *%s) HTTPStatus() int { return %d }\n\n", g.exceptionStatus(s), t, g.exceptionStatus(s))
		fmt.Fprintf(b, "// Modeled marks %s as a modelled exception.\nfunc (e *%s) Modeled() {}\n\n", t, t)
		if msg != "" {
			fmt.Fprintf(b, "// ErrorMessage returns the message member.\nfunc (e *%s) ErrorMessage() string { return api.ToString(e.%s) }\n\n", t, msg)
		} else {
			fmt.Fprintf(b, "// ErrorMessage returns \"\": the shape has no message member.\nfunc (e *%s) ErrorMessage() string { return \"\" }\n\n", t)
		}
		fmt.Fprintf(b, "func (e *%s) Error() string { return %q + \": \" + e.ErrorMessage() }\n\n", t, name)
		if g.rest {
			g.emitHeaderWriter(b, name)
		}
	}
	fmt.Fprintf(b, "// ErrorStatus is the modelled HTTP status of every exception, by error code.\nvar ErrorStatus = map[string]int{\n")
	for _, name := range g.structNames() {
		if s := g.shape(name); s.Exception {
			fmt.Fprintf(b, "\t%q: %d,\n", name, g.exceptionStatus(s))
		}
	}
	fmt.Fprintf(b, "}\n")
	return nil
}

// emitHeaderWriter writes WriteHTTPHeaders for a shape with header members.
func (g *generator) emitHeaderWriter(b *bytes.Buffer, name string) {
	s := g.shape(name)
	var lines []string
	for _, mn := range sortedKeys(s.Members) {
		r := s.Members[mn]
		if r.Location != "header" {
			continue
		}
		f := "e." + exported(mn)
		switch g.shape(r.Shape).Type {
		case "string":
			if g.isEnum(r.Shape) {
				lines = append(lines, fmt.Sprintf("if %s != \"\" { h.Set(%q, string(%s)) }", f, r.LocationName, f))
			} else {
				lines = append(lines, fmt.Sprintf("if %s != nil { h.Set(%q, *%s) }", f, r.LocationName, f))
			}
		case "integer", "long":
			lines = append(lines, fmt.Sprintf("if %s != nil { h.Set(%q, strconv.FormatInt(int64(*%s), 10)) }", f, r.LocationName, f))
		case "boolean":
			lines = append(lines, fmt.Sprintf("if %s != nil { h.Set(%q, strconv.FormatBool(*%s)) }", f, r.LocationName, f))
		}
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(b, "// WriteHTTPHeaders sets the members bound to HTTP headers.\nfunc (e *%s) WriteHTTPHeaders(h http.Header) {\n", g.goNames[name])
	for _, l := range lines {
		fmt.Fprintf(b, "\t%s\n", l)
	}
	fmt.Fprintf(b, "}\n\n")
}

func (g *generator) opIO(op *Operation) (in, out string) {
	in, out = "struct{}", "struct{}"
	if op.Input != nil {
		in = g.goNames[op.Input.Shape]
	}
	if op.Output != nil {
		out = g.goNames[op.Output.Shape]
	}
	return in, out
}

func (g *generator) hasBody(shape string) bool {
	for _, r := range g.shape(shape).Members {
		if r.Location == "" {
			return true
		}
	}
	return false
}

func (g *generator) emitOperations(b *bytes.Buffer) error {
	md := g.m.Metadata
	for _, name := range g.opNames {
		op := g.m.Operations[name]
		if op.Input == nil || op.Output == nil {
			return fmt.Errorf("operation %s has no input or output shape", name)
		}
	}
	fmt.Fprintf(b, "package %s\n\nimport (\n\t\"context\"\n\n\t\"github.com/workspaces-local/workspaces-local/internal/api\"\n)\n\n", g.cfg.Package)
	signing := md.SigningName
	if signing == "" {
		signing = md.EndpointPrefix
	}
	fmt.Fprintf(b, "// Model is the service metadata from the model.\nvar Model = api.ModelInfo{\n")
	fmt.Fprintf(b, "\tServiceID: %q,\n\tAPIVersion: %q,\n\tProtocol: %q,\n\tSigningName: %q,\n\tEndpointPrefix: %q,\n\tTargetPrefix: %q,\n", md.ServiceID, md.APIVersion, md.Protocol, signing, md.EndpointPrefix, md.TargetPrefix)
	fmt.Fprintf(b, "}\n\n")
	fmt.Fprintf(b, "// Handler has one method per operation of %s. Embed Unimplemented to\n// answer the operations a service does not implement with an explicit error.\ntype Handler interface {\n", md.ServiceID)
	for _, name := range g.opNames {
		in, out := g.opIO(g.m.Operations[name])
		fmt.Fprintf(b, "\t%s(ctx context.Context, c *api.Call, in *%s) (*%s, error)\n", name, in, out)
	}
	fmt.Fprintf(b, "}\n\n")
	fmt.Fprintf(b, "// Unimplemented answers every operation with api.NotImplemented.\ntype Unimplemented struct{}\n\n")
	for _, name := range g.opNames {
		in, out := g.opIO(g.m.Operations[name])
		fmt.Fprintf(b, "// %s is not implemented.\nfunc (Unimplemented) %s(context.Context, *api.Call, *%s) (*%s, error) {\n\treturn nil, api.NotImplemented(%q)\n}\n\n", name, name, in, out, name)
	}
	fmt.Fprintf(b, "// Operations is the operation table, sorted by name.\nvar Operations = []*api.Operation{\n")
	for _, name := range g.opNames {
		op := g.m.Operations[name]
		in, out := g.opIO(op)
		status := op.HTTP.ResponseCode
		if status == 0 {
			status = 200
		}
		var errs []string
		for _, e := range op.Errors {
			errs = append(errs, strconv.Quote(e.Shape))
		}
		fmt.Fprintf(b, "\t{\n\t\tName: %q,\n\t\tMethod: %q,\n\t\tURI: %q,\n\t\tStatus: %d,\n\t\tInputHasBody: %v,\n\t\tOutputHasBody: %v,\n\t\tErrors: []string{%s},\n",
			name, op.HTTP.Method, op.HTTP.RequestURI, status, g.hasBody(op.Input.Shape), g.hasBody(op.Output.Shape), strings.Join(errs, ", "))
		fmt.Fprintf(b, "\t\tNewInput: func() api.Input { return new(%s) },\n", in)
		fmt.Fprintf(b, "\t\tInvoke: func(ctx context.Context, h any, c *api.Call, in api.Input) (any, error) {\n")
		fmt.Fprintf(b, "\t\t\tout, err := h.(Handler).%s(ctx, c, in.(*%s))\n\t\t\tif err != nil {\n\t\t\t\treturn nil, err\n\t\t\t}\n", name, in)
		fmt.Fprintf(b, "\t\t\tif out == nil {\n\t\t\t\tout = new(%s)\n\t\t\t}\n\t\t\treturn out, nil\n\t\t},\n\t},\n", out)
	}
	fmt.Fprintf(b, "}\n")
	return nil
}

func (g *generator) emitPaginators(b *bytes.Buffer) error {
	fmt.Fprintf(b, "package %s\n\nimport \"github.com/workspaces-local/workspaces-local/internal/api\"\n\n", g.cfg.Package)
	fmt.Fprintf(b, "// Paginators are the model's paginators by operation name.\nvar Paginators = map[string]api.Paginator{\n")
	str := func(v any) string {
		switch x := v.(type) {
		case string:
			return x
		case []any:
			var parts []string
			for _, p := range x {
				parts = append(parts, fmt.Sprint(p))
			}
			return strings.Join(parts, ",")
		}
		return ""
	}
	for _, name := range sortedKeys(g.pag.Pagination) {
		p := g.pag.Pagination[name]
		fmt.Fprintf(b, "\t%q: {InputToken: %q, OutputToken: %q, LimitKey: %q, ResultKey: %q},\n", name, str(p.InputToken), str(p.OutputToken), p.LimitKey, str(p.ResultKey))
	}
	fmt.Fprintf(b, "}\n")
	return nil
}
