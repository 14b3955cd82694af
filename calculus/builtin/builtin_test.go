package builtin

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestRules pins the derivative rows help shows, written from each
// elementwise entry's Deriv.
func TestRules(t *testing.T) {
	want := map[string]string{
		"exp":      "d exp(u) = exp(u) .* du",
		"log":      "d log(u) = du ./ u",
		"sin":      "d sin(u) = cos(u) .* du",
		"cos":      "d cos(u) = -sin(u) .* du",
		"tanh":     "d tanh(u) = (1 - tanh(u).^2) .* du",
		"cosh":     "d cosh(u) = sinh(u) .* du",
		"sinh":     "d sinh(u) = cosh(u) .* du",
		"sigmoid":  "d sigmoid(u) = sigmoid(u) .* (1 - sigmoid(u)) .* du",
		"softplus": "d softplus(u) = sigmoid(u) .* du",
		"sqrt":     "d sqrt(u) = 1/2*u.^(-1/2) .* du",
		"abs":      "d abs(u) = sign(u) .* du",
		"sign":     "d sign(u) = 0",
	}
	for _, f := range All() {
		if f.Kind != Elementwise {
			continue
		}
		w, ok := want[f.Name]
		if !ok {
			t.Errorf("%s: no rule pinned here: add it", f.Name)
			continue
		}
		if f.Help.Rule != w {
			t.Errorf("%s: rule %q, want %q", f.Name, f.Help.Rule, w)
		}
	}
}

// TestLookupCopies checks that a caller cannot change the table.
func TestLookupCopies(t *testing.T) {
	f, _ := Lookup("layout")
	f.Args[0] = "changed"
	g, _ := Lookup("layout")
	if g.Args[0] != "numerator" {
		t.Errorf("the table changed: %v", g.Args)
	}
}

func TestFill(t *testing.T) {
	for _, c := range []struct{ tmpl, want string }{
		{"np.tanh({})", "np.tanh(a)"},
		{"np.kron({}, {})", "np.kron(a, b)"},
		{"np.sum", "np.sum"},
	} {
		if got := Fill(c.tmpl, "a", "b"); got != c.want {
			t.Errorf("Fill(%q) = %q, want %q", c.tmpl, got, c.want)
		}
	}
}

// TestStandardLibraryOnly keeps the package the lowest layer: every other
// package of the language imports it, so it imports none of them.
func TestStandardLibraryOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		pf, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range pf.Imports {
			if first, _, _ := strings.Cut(strings.Trim(im.Path.Value, `"`), "/"); strings.Contains(first, ".") {
				t.Errorf("%s imports %s: package builtin imports the standard library only", f, im.Path.Value)
			}
		}
	}
}
