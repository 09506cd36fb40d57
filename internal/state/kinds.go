package state

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
)

// DeclaredKinds returns the values of the string constants named kind* in
// the non-test Go files of dir: the record kinds a service package
// declares. Service tests compare them with their Kinds table, so a new
// kind cannot be forgotten by reset and state import.
func DeclaredKinds(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			return nil, err
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "kind") || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						out = append(out, v)
					}
				}
			}
		}
	}
	return out, nil
}

// Missing returns the declared kinds the table does not cover.
func (ks Kinds) Missing(declared []string) []string {
	var out []string
	for _, k := range declared {
		if _, ok := ks[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}
