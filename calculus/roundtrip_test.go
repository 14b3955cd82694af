package calculus

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/numeric"
)

// notebookCells returns the matcalc cells of a notebook source (the
// ```matcalc blocks of notebooks/src/*.md), in order.
func notebookCells(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	var cur []string
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case !in && strings.HasPrefix(line, "```matcalc"):
			in, cur = true, nil
		case in && strings.HasPrefix(line, "```"):
			in = false
			cells = append(cells, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	return cells
}

// sameValueAt reports whether a and b agree to 1e-9 relative at two random
// points; ok is false when no point could be drawn or evaluated.
func sameValueAt(a, b expr.Node) (same, ok bool) {
	for seed := uint64(1); seed <= 2; seed++ {
		bind, err := numeric.Sample([]expr.Node{a, b}, &numeric.Options{Seed: seed})
		if err != nil {
			return false, false
		}
		va, err1 := numeric.Eval(a, bind)
		vb, err2 := numeric.Eval(b, bind)
		if err1 != nil || err2 != nil {
			return false, false
		}
		d, err := linalg.Sub(va, vb)
		if err != nil {
			return false, true
		}
		na, _ := linalg.Norm(va.ToFloat())
		nd, _ := linalg.Norm(d.ToFloat())
		if nd.Value() > 1e-9*math.Max(na.Value(), 1e-300) {
			return false, true
		}
	}
	return true, true
}

// TestNotebookOutputsRoundTrip runs every cell of every notebook source
// and reads each symbolic answer it shows back as input, in the session
// as it is then: the text must mean the same expression (the same normal
// form, or failing that the same value at random points).
func TestNotebookOutputsRoundTrip(t *testing.T) {
	paths, err := filepath.Glob("../notebooks/src/*.md")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebook sources: %v", err)
	}
	total, trees := 0, 0
	for _, path := range paths {
		in := New()
		for _, cell := range notebookCells(t, path) {
			var lines []string
			for _, l := range strings.Split(cell, "\n") {
				if strings.HasPrefix(l, "%reset") {
					in.Reset()
					continue
				}
				lines = append(lines, l)
			}
			outs, _ := in.Exec(context.Background(), strings.Join(lines, "\n"))
			for _, o := range outs {
				if o.Expr == nil || expr.ContainsDifferential(o.Expr) {
					continue
				}
				total++
				back, err := in.Symbolic(o.Plain)
				if err != nil {
					t.Errorf("%s: %s does not read back: %v", filepath.Base(path), o.Plain, err)
					continue
				}
				if expr.Equal(back, o.Expr) {
					trees++
					continue
				}
				if back.Shape() != o.Expr.Shape() {
					t.Errorf("%s: %s reads back as %s (%s, not %s)", filepath.Base(path), o.Plain, back, back.Shape(), o.Expr.Shape())
					continue
				}
				if same, ok := sameValueAt(o.Expr, back); ok && !same {
					t.Errorf("%s: %s reads back as %s, another value", filepath.Base(path), o.Plain, back)
				}
			}
		}
	}
	t.Logf("%d symbolic answers in the notebooks read back, %d to the same tree", total, trees)
	if total < 40 {
		t.Errorf("only %d answers found in the notebooks", total)
	}
}

// TestTAsAName: T may name a symbol (issue 12); X^T stays the transpose,
// also of T itself, and I stays reserved.
func TestTAsAName(t *testing.T) {
	in := New()
	outs, err := in.Exec(context.Background(), "n = 2\nT : matrix(n, n)\nx : vector(n)\nT^T*T\nT = [1 2; 3 4]\nT^T\nT'*T")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range outs {
		got = append(got, o.Plain)
	}
	want := []string{"T'*T", "[1, 3; 2, 4]", "[10, 14; 14, 20]"}
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := in.Exec(context.Background(), "I : matrix(n, n)"); err == nil {
		t.Error("I declared as a symbol")
	}
}
