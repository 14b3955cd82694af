package ode

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoPlottingDependency checks that the solver builds without a
// plotting library: no package it imports, directly or through this
// module's packages, is gonum.org/v1/plot (package plots draws).
func TestNoPlottingDependency(t *testing.T) {
	const module = "github.com/matcalc/matcalc/"
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var visit func(dir string)
	visit = func(dir string) {
		if seen[dir] {
			return
		}
		seen[dir] = true
		files, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("package %s: no Go files (%v)", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range af.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if strings.HasPrefix(path, "gonum.org/v1/plot") {
					t.Errorf("%s imports %s", f, path)
				}
				if strings.HasPrefix(path, module) {
					visit(strings.TrimPrefix(path, module))
				}
			}
		}
	}
	visit("calculus/ode")
}
