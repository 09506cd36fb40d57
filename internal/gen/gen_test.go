package gen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the generator's output")

// TestGolden generates a tiny model that uses every feature (REST bindings,
// lookahead and \p{IsAlphabetic} translation, long repeats, enums with
// awkward values, header-bound exception members) and compares the output
// with testdata/golden; run with -update after an intended change.
func TestGolden(t *testing.T) {
	files, err := Generate(Config{ModelPath: "testdata/tiny.json", Package: "tiny", Source: "testdata/tiny.json"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		path := filepath.Join("testdata", "golden", f.Name+".golden")
		if *update {
			if err := os.WriteFile(path, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v (run go test ./internal/gen -update)", f.Name, err)
		}
		if !bytes.Equal(f.Data, want) {
			t.Errorf("%s differs from %s; run go test ./internal/gen -update if intended", f.Name, path)
		}
	}
}

// TestCommittedOutputIsCurrent regenerates both services from models/ and
// requires byte-identical committed output in internal/api/<service>.
func TestCommittedOutputIsCurrent(t *testing.T) {
	for _, svc := range []struct{ pkg, dir string }{
		{"workspaces", "workspaces/2015-04-08"},
		{"thinclient", "workspaces-thin-client/2023-08-22"},
	} {
		t.Run(svc.pkg, func(t *testing.T) {
			model := "models/" + svc.dir + "/service-2.json"
			files, err := Generate(Config{
				ModelPath:      filepath.Join("..", "..", model),
				PaginatorsPath: filepath.Join("..", "..", "models", svc.dir, "paginators-1.json"),
				Package:        svc.pkg,
				Source:         model,
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				got, err := os.ReadFile(filepath.Join("..", "api", svc.pkg, f.Name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, f.Data) {
					t.Errorf("internal/api/%s/%s is stale: run go generate ./internal/api", svc.pkg, f.Name)
				}
			}
		})
	}
}

func TestTranslatePattern(t *testing.T) {
	for _, tc := range []struct{ in, re, notPrefix string }{
		{`wsipg-[0-9a-z]{8,63}$`, `wsipg-[0-9a-z]{8,63}$`, ""},
		{`(?!aws:)[A-Za-z0-9 _=@:.+-/]+`, `[A-Za-z0-9 _=@:.+-/]+`, "aws:"},
		{`$|^[0-9\p{IsAlphabetic}+:,.@'" -]*`, `$|^[0-9\p{L}\p{Nl}+:,.@'" -]*`, ""},
		{`^[A-Z][a-z\\-]{0,1023}$`, `^[A-Z][a-z\\-]{0,1000}[a-z\\-]{0,23}$`, ""},
	} {
		p, err := translatePattern(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if p.re != tc.re || p.notPrefix != tc.notPrefix {
			t.Errorf("translatePattern(%q) = %q, %q; want %q, %q", tc.in, p.re, p.notPrefix, tc.re, tc.notPrefix)
		}
	}
	if _, err := translatePattern(`a(?<=b)`); err == nil {
		t.Error("an RE2-incompatible pattern must be an error, not a silent skip")
	}
}
