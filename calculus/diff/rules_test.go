package diff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRulesTable checks that the table a teacher reviews is complete:
// every rule has its ID in place, a name, and both formulas.
func TestRulesTable(t *testing.T) {
	seen := map[string]bool{}
	for i, r := range Rules() {
		if int(r.ID) != i {
			t.Errorf("rule %d has ID %d", i, r.ID)
		}
		if r.Name == "" || r.LaTeX == "" || r.Plain == "" {
			t.Errorf("rule %d (%q) lacks a name or a formula", i, r.Name)
		}
		if seen[r.Name] {
			t.Errorf("two rules are called %q", r.Name)
		}
		seen[r.Name] = true
		if strings.ContainsAny(r.Tag(), "ᵀ∇") {
			t.Errorf("rule %q: its LaTeX tag has unicode math: %s", r.Name, r.Tag())
		}
	}
	if got := RuleID(-1).String(); got != "?" {
		t.Errorf("an unknown rule is called %q", got)
	}
}

// TestLocalRewrites checks that each differentiation step records the
// part it rewrote, before and after.
func TestLocalRewrites(t *testing.T) {
	w, k := newWorld(), &builder{}
	f := k.f("log", k.mul(T(w.x), w.A, w.x))
	if k.err != nil {
		t.Fatal(k.err)
	}
	d, err := Grad(f, w.x, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range d.Steps() {
		for _, r := range s.Local {
			got = append(got, r.Before+" → "+r.After+" ("+s.Rule.String()+")")
		}
	}
	want := []string{
		"d(log(x'*A*x)) → d(x'*A*x)/(x'*A*x) (chain rule)",
		"d(x'*A*x) → dx'*A*x + x'*A*dx (product rule)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("local rewrites:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestGoldenLaTeXBalanced checks every golden derivation for balanced
// braces and \left/\right pairs, the commonest way TeX fails to render.
func TestGoldenLaTeXBalanced(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.tex")
	if err != nil || len(files) < 100 {
		t.Fatalf("golden files: %d, %v", len(files), err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "%") {
				continue
			}
			s := strings.NewReplacer(`\{`, "", `\}`, "", `\\`, "").Replace(line)
			depth := 0
			for _, r := range s {
				switch r {
				case '{':
					depth++
				case '}':
					depth--
				}
				if depth < 0 {
					break
				}
			}
			if depth != 0 {
				t.Errorf("%s: unbalanced braces in %s", f, line)
			}
			if l, r := strings.Count(line, `\left`), strings.Count(line, `\right`); l != r {
				t.Errorf("%s: %d \\left but %d \\right in %s", f, l, r, line)
			}
		}
	}
}
