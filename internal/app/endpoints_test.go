package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestReadmeListsEveryLocalEndpoint keeps the README's /_local/ tables
// complete: every pattern the admin handler, the dashboard and the app
// register ("METHOD /_local/...", read from the source) is in README.md.
func TestReadmeListsEveryLocalEndpoint(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	// Parts of a documented endpoint rather than endpoints of their own.
	internal := map[string]bool{"GET /_local/ui/{$}": true, "GET /_local/ui/assets/": true}
	var found int
	for _, dir := range []string{".", "../admin", "../admin/ui"} {
		for _, pattern := range registeredPatterns(t, dir) {
			if !strings.Contains(pattern, " /_local/") || internal[pattern] {
				continue
			}
			found++
			if !strings.Contains(string(readme), "`"+pattern) {
				t.Errorf("README.md's endpoint tables lack %s (registered in %s)", pattern, dir)
			}
		}
	}
	if found < 20 {
		t.Fatalf("found only %d /_local/ patterns in the source: the scan is broken", found)
	}
}

// registeredPatterns returns the first string literal given to every
// HandleFunc, Handle or handle call in the non-test Go files of dir (for
// "POST /x/"+verb, the literal part "POST /x/").
func registeredPatterns(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			case *ast.Ident:
				name = fn.Name
			}
			if name != "HandleFunc" && name != "Handle" && name != "handle" {
				return true
			}
			arg := call.Args[0]
			for {
				b, ok := arg.(*ast.BinaryExpr)
				if !ok {
					break
				}
				arg = b.X
			}
			if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					out = append(out, s)
				}
			}
			return true
		})
	}
	return out
}
