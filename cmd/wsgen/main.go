// Command wsgen generates a service package under internal/api from a
// botocore model. Usage (see internal/api/generate.go):
//
//	wsgen -model models/workspaces/2015-04-08/service-2.json \
//	      -paginators models/workspaces/2015-04-08/paginators-1.json \
//	      -pkg workspaces -out internal/api/workspaces
//
// It writes the files listed in the package's generated.json manifest and
// deletes files a previous run listed that this run no longer writes.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/workspaces-local/workspaces-local/internal/gen"
)

func main() {
	var cfg gen.Config
	var out, root string
	flag.StringVar(&cfg.ModelPath, "model", "", "service-2.json to read")
	flag.StringVar(&cfg.PaginatorsPath, "paginators", "", "paginators-1.json to read (optional)")
	flag.StringVar(&cfg.Package, "pkg", "", "Go package name")
	flag.StringVar(&out, "out", "", "output directory")
	flag.StringVar(&root, "root", ".", "repository root; -model, -paginators and -out are relative to it")
	flag.Parse()
	if cfg.ModelPath == "" || cfg.Package == "" || out == "" {
		flag.Usage()
		os.Exit(2)
	}
	cfg.Source = filepath.ToSlash(cfg.ModelPath)
	cfg.ModelPath = filepath.Join(root, cfg.ModelPath)
	if cfg.PaginatorsPath != "" {
		cfg.PaginatorsPath = filepath.Join(root, cfg.PaginatorsPath)
	}
	if err := run(cfg, filepath.Join(root, out)); err != nil {
		fmt.Fprintln(os.Stderr, "wsgen:", err)
		os.Exit(1)
	}
}

func run(cfg gen.Config, out string) error {
	files, err := gen.Generate(cfg)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	// Delete files the previous manifest listed that are no longer generated.
	var old struct{ Files []string }
	if b, err := os.ReadFile(filepath.Join(out, "generated.json")); err == nil {
		_ = json.Unmarshal(b, &old)
	}
	keep := map[string]bool{}
	for _, f := range files {
		keep[f.Name] = true
	}
	for _, name := range old.Files {
		if !keep[name] && filepath.Base(name) == name {
			_ = os.Remove(filepath.Join(out, name))
		}
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(out, f.Name), f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
