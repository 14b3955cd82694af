package diff_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus"
	"github.com/matcalc/matcalc/calculus/diff"
	"github.com/matcalc/matcalc/calculus/expr"
)

func decl(s *expr.Symbol) string {
	sh := s.Shape()
	switch {
	case sh.IsScalar():
		return s.Name() + " : scalar"
	case sh.Cols.IsOne():
		return fmt.Sprintf("%s : vector(%s)", s.Name(), sh.Rows)
	}
	d := fmt.Sprintf("%s : matrix(%s, %s)", s.Name(), sh.Rows, sh.Cols)
	if p := s.Props(); p != 0 {
		d += " " + p.String()
	}
	return d
}

// TestResultsAreInput feeds the plain text of every result back to the
// interpreter: it must parse, and mean the same expression.
func TestResultsAreInput(t *testing.T) {
	names, fs, results := diff.AllResults()
	vn, vf, vr := diff.VecResults()
	names, fs, results = append(names, vn...), append(fs, vf...), append(results, vr...)
	checked := 0
	for i, r := range results {
		if expr.ContainsDifferential(r) {
			continue
		}
		var decls []string
		for _, s := range expr.Symbols(r) {
			decls = append(decls, decl(s))
		}
		for _, s := range expr.Symbols(fs[i]) {
			decls = append(decls, decl(s))
		}
		in := calculus.New()
		src := strings.Join(decls, "\n") + "\n" + r.String()
		out, err := in.Exec(context.Background(), src)
		if err != nil {
			t.Errorf("%s: %s does not read back: %v", names[i], r, err)
			continue
		}
		if len(out) == 0 {
			t.Errorf("%s: %s shows nothing", names[i], r)
			continue
		}
		if got := out[len(out)-1].Plain; got != r.String() {
			t.Errorf("%s: %s reads back as %s", names[i], r, got)
		}
		// The tree, not only the text: the reading must be r itself, or
		// at least have r's value at random points.
		back, err := in.Symbolic(r.String())
		if err != nil {
			t.Errorf("%s: %s: %v", names[i], r, err)
			continue
		}
		if !expr.Equal(back, r) {
			if same, _, err := sameValue(r, back); err == nil && !same {
				t.Errorf("%s: %s reads back as %s, another value", names[i], r, back)
			}
		}
		checked++
	}
	if checked < 50 {
		t.Errorf("only %d results checked", checked)
	}
}
