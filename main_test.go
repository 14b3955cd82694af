package main

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.mc")
	bad := filepath.Join(dir, "bad.mc")
	os.WriteFile(good, []byte("%echo one\n%%\n%echo two\n"), 0o644)
	os.WriteFile(bad, []byte("%echo one\n%%\n%nope\n%%\n%echo three\n"), 0o644)
	single := filepath.Join(dir, "single.mc")
	os.WriteFile(single, []byte("%echo only\n"), 0o644)
	prefix := filepath.Join(dir, "prefix")
	tests := []struct {
		args     []string
		status   int
		out, err string // substrings
	}{
		{[]string{"version"}, 0, "matcalc dev", ""},
		{[]string{"help"}, 0, "matcalc kernel -f", ""},
		{[]string{"bogus"}, 2, "", "unknown command"},
		{[]string{"kernel"}, 2, "", "-f CONNECTION_FILE is required"},
		{[]string{"kernel", "-f", filepath.Join(dir, "missing.json")}, 1, "", "connection file"},
		{[]string{"run", good}, 0, "one\n── cell 2, line 3 ─", ""},
		{[]string{"run", bad}, 1, "── cell 3, line 5 ─", "MagicError at line 3, column 1"},
		{[]string{"run", bad}, 1, "three\n", "1 cell(s) failed"},
		{[]string{"run", single}, 0, "only\n", ""},
		{[]string{"run"}, 2, "", "usage"},
		{[]string{"install", "--prefix", prefix, "--name", "mc-test"}, 0, "installed kernelspec mc-test", ""},
		{[]string{"install", "--prefix", prefix, "--name", "mc-test"}, 0, "a copy of this binary: it keeps working if the build or checkout is moved or deleted", ""},
		{[]string{"install", "--prefix", prefix, "--name", "mc-in-place", "--in-place"}, 0, "in place (--in-place)", ""},
		{[]string{"install", "--sys-prefix", "--python", filepath.Join(dir, "no-such-python")}, 1, "", "--python"},
		{[]string{"install", "--user", "--sys"}, 2, "", "at most one"},
		{[]string{"install", "--jupyter", "j", "--python", "p"}, 2, "", "at most one of --jupyter, --python"},
		{[]string{"uninstall", "--prefix", prefix, "--name", "mc-test"}, 0, "removed kernelspec mc-test", ""},
		{[]string{"uninstall", "--prefix", prefix, "--name", "mc-test"}, 1, "", "no kernelspec"},
	}
	for _, tc := range tests {
		var out, errw bytes.Buffer
		status := run(tc.args, os.Stdin, &out, &errw)
		if len(tc.args) == 2 && tc.args[1] == single && out.String() != "only\n" {
			t.Errorf("matcalc run of one cell: %q, want no separator", out.String())
		}
		if status != tc.status || !strings.Contains(out.String(), tc.out) || !strings.Contains(errw.String(), tc.err) {
			t.Errorf("matcalc %s: status %d, stdout %q, stderr %q; want %d, %q, %q",
				strings.Join(tc.args, " "), status, out.String(), errw.String(), tc.status, tc.out, tc.err)
		}
	}
}

// TestInstallDisplayName checks that a kernelspec installed under another
// name says so in the launcher, and that a name Jupyter would not list is
// refused.
func TestInstallDisplayName(t *testing.T) {
	prefix := t.TempDir()
	tests := []struct{ name, display string }{
		{"matcalc", "matcalc"},
		{"matcalc-dev", "matcalc (matcalc-dev)"},
	}
	for _, tc := range tests {
		var out, errw bytes.Buffer
		if st := run([]string{"install", "--prefix", prefix, "--name", tc.name}, os.Stdin, &out, &errw); st != 0 {
			t.Fatalf("install %s: status %d, %s", tc.name, st, errw.String())
		}
		b, err := os.ReadFile(filepath.Join(prefix, "share", "jupyter", "kernels", tc.name, "kernel.json"))
		if err != nil {
			t.Fatal(err)
		}
		var spec struct {
			DisplayName string `json:"display_name"`
		}
		if err := json.Unmarshal(b, &spec); err != nil || spec.DisplayName != tc.display {
			t.Errorf("install --name %s: display_name %q (%v), want %q", tc.name, spec.DisplayName, err, tc.display)
		}
	}
	var out, errw bytes.Buffer
	if st := run([]string{"install", "--prefix", prefix, "--name", "mat calc"}, os.Stdin, &out, &errw); st != 1 || !strings.Contains(errw.String(), "invalid kernel name") {
		t.Errorf("install --name 'mat calc': status %d, %q", st, errw.String())
	}
}

// Size limits of the style guide: no non-test Go file over maxFileLines
// lines, no function over maxFuncLines lines unless its doc comment says
// why in a line that begins "Long:" (a type switch over every node kind
// is a fair reason).
const (
	maxFileLines = 800
	maxFuncLines = 120
)

// TestSizeLimits walks the module's Go files and reports every file and
// function over the limits.
func TestSizeLimits(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		if n := fset.Position(f.FileEnd).Line; n > maxFileLines {
			t.Errorf("%s: %d lines (at most %d)", path, n, maxFileLines)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
			if n > maxFuncLines && !saysWhy(fn.Doc) {
				t.Errorf("%s: func %s: %d lines (at most %d, or a doc comment line \"Long: why\")", fset.Position(fn.Pos()), funcName(fn), n, maxFuncLines)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func saysWhy(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	for _, l := range strings.Split(doc.Text(), "\n") {
		if strings.HasPrefix(l, "Long: ") {
			return true
		}
	}
	return false
}

func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return "(" + id.Name + ")." + fn.Name.Name
	}
	return fn.Name.Name
}
