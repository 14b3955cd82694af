package calculus

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// tour is a session a student might have: every kind of statement, value
// and error, in plain text and LaTeX. Its transcript is pinned in
// testdata/golden/tour.txt; run go test -run TestGolden -update to
// rewrite it after an intended change, and review the diff.
var tour = []string{
	"n = 3\nA : matrix(m, n)\nx : vector(n)\nb : vector(m)\nc : scalar\nS : matrix(n, n) symmetric",
	"f = norm(A*x - b)^2\ng = x'*S*x + c*sum(exp(x))\nf\ng",
	"A*b",
	"A*x + x",
	"xx + 1",
	"f(x",
	"A = [1 2 3; 4 5 6]\nx = [1; 2; 3]\nb = [1; 1]\nc = 2",
	"A*x\nf\nm",
	"M = [3 -4; 4 -7]\ndet(M)\ninv(M)\neig(M)",
	"sqrt(2)\n[1 -2] + [1 - 2]",
	"zeros(100000, 100000)",
	"S = [2 1 0; 1 2 0; 0 0 1]\nS^-1",
	"%who",
	"grad(A*x, x)",
}

func TestGolden(t *testing.T) {
	in := New()
	ctx := context.Background()
	var b strings.Builder
	for _, cell := range tour {
		fmt.Fprintf(&b, ">>> %s\n", strings.ReplaceAll(cell, "\n", "\n... "))
		if cell == "%who" {
			o := in.Who()
			fmt.Fprintf(&b, "%s\n  latex: %s\n", o.Plain, o.LaTeX)
			continue
		}
		outs, err := in.Exec(ctx, cell)
		for _, o := range outs {
			kind := "display"
			if o.Kind == Value {
				kind = "value"
			}
			fmt.Fprintf(&b, "[%s] %s\n", kind, o.Plain)
			if o.LaTeX != "" {
				fmt.Fprintf(&b, "  latex: %s\n", o.LaTeX)
			}
		}
		var ce *Error
		if errors.As(err, &ce) {
			fmt.Fprintf(&b, "%s at %d:%d: %s\n    %s\n", ce.Kind, ce.Line, ce.Col, ce.Msg, ce.Source)
		} else if err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
		}
	}
	got := b.String()
	path := filepath.Join("testdata", "golden", "tour.txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("tour transcript differs from %s at line %d:\n got %q\nwant %q\n(run go test -run TestGolden -update after an intended change)", path, i+1, g, w)
			}
		}
	}
}
