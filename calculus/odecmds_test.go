package calculus

import (
	"context"
	"strings"
	"testing"
)

// TestODEStudentCells runs ODE cells the way a student types them
// and pins texts of the command wiring: the Putzer table, the verdict
// with the kind of portrait, the plots' text/plain descriptions, and the
// closed forms that paste back as input.
func TestODEStudentCells(t *testing.T) {
	setup := "A = [3, -4; 4, -7]\nx0 = [1; 1]\nt : scalar"
	tests := []struct {
		name string
		src  string
		want []string // parts of the plain texts of the outputs, in order
	}{
		{"the text's e^{At}, typed as printed",
			"E = expm(A*t)\ncheck(E == [4*exp(t)/3 - exp(-5*t)/3, 2*exp(-5*t)/3 - 2*exp(t)/3; 2*exp(t)/3 - 2*exp(-5*t)/3, 4*exp(-5*t)/3 - exp(t)/3])",
			[]string{"✓"}},
		{"the text's x(t), typed as printed",
			"xs = ode(A, x0)\ncheck(xs == [exp(-5*t)/3 + 2*exp(t)/3; exp(t)/3 + 2*exp(-5*t)/3])",
			[]string{"c1 = 1/3, c2 = 1/3", "✓"}},
		{"a singular A with b: the double integrator",
			"xs = ode([0, 1; 0, 0], [0; 0], [0; 1])\ncheck(xs == [t^2/2; t])",
			[]string{"no unique steady state", "x = 1/2*t^2, y = t", "ẋ - A*x - b = 0 exactly", "✓"}},
		{"Putzer's table",
			"putzer(A)",
			[]string{"P0 = [1, 0; 0, 1]    r1(t) = exp(t)    (λ1 = 1)", "P1 = [2, -4; 4, -8]    r2(t) = 1/6*exp(t) - 1/6*exp(-5*t)    (λ2 = -5)"}},
		{"Putzer equals diagonalisation",
			"P = putzer(A)\nD = expm(A*t)\ncheck(P == D)",
			[]string{"✓"}},
		{"verdict, center",
			"stability([0, 1; -1, 0])",
			[]string{"tr A = 0 (not < 0)", "stable but not asymptotically (marginal; center)"}},
		{"verdict, saddle",
			"stability(A)",
			[]string{"det A > 0 fails", "unstable (saddle)"}},
		{"verdict with b",
			"stability([-2, 1; 1, -2], [1; 1])",
			[]string{"x* = -inv(A)*b = [1; 1]", "tends to x* = [1; 1]", "asymptotically stable (stable node)"}},
		{"phase portrait description",
			"phase(A, x0)",
			[]string{"phase portrait of x' = [3, -4; 4, -7]*x: a saddle (unstable)", "eigenvector lines for λ = 1, λ = -5",
				"direction field on a 22×15 grid", "trajectory from x0 = [1; 1] for t from 0 to", "(it leaves the window)"}},
		{"phase portrait description, spiral to a steady state",
			"phase([-1, 2; -2, -1], [1; 0], [1; 1])",
			[]string{"a stable spiral (asymptotically stable)", "steady state x* = [3/5; -1/5]", "(it has reached the steady state)"}},
		{"phase portrait description, center",
			"phase([0, 1; -1, 0], [1; 0])",
			[]string{"a center", "(a closed orbit: it is back at x0)"}},
		{"plot description",
			"xs = ode(A, x0)\nplot(xs(t), t = 0..2)",
			[]string{"plot of xs(t) for t from 0 to 2: 2 curve(s)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := New()
			ctx := context.Background()
			if _, err := in.Exec(ctx, setup); err != nil {
				t.Fatal(err)
			}
			outs, err := in.Exec(ctx, tc.src)
			if err != nil {
				t.Fatalf("%s: %v", tc.src, err)
			}
			var all []string
			for _, o := range outs {
				all = append(all, o.Plain)
			}
			text := strings.Join(all, "\n")
			at := 0
			for _, w := range tc.want {
				i := strings.Index(text[at:], w)
				if i < 0 {
					t.Errorf("%s: no %q (in order) in\n%s", tc.src, w, text)
					break
				}
				at += i + len(w)
			}
		})
	}
}

// TestClosedFormsPasteBack shows E and x(t), pastes the printed literal
// back as input and checks that it is the same matrix.
func TestClosedFormsPasteBack(t *testing.T) {
	tests := []struct {
		name, a, bind string
	}{
		{"text example", "[3, -4; 4, -7]", "E = expm(A*t)"},
		{"repeated", "[2, 1; 0, 2]", "E = expm(A*t)"},
		{"complex", "[-1, 2; -2, -1]", "E = expm(A*t)"},
		{"irrational", "[1, 1; 1, 0]", "E = expm(A*t)"},
		{"3×3", "[1, 0, 0; 0, 2, 0; 1, 0, 3]", "E = expm(A*t)"},
		{"solution", "[3, -4; 4, -7]", "E = ode(A, [1; 1])"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := New()
			ctx := context.Background()
			outs, err := in.Exec(ctx, "t : scalar\nA = "+tc.a+"\n"+tc.bind+"\nE")
			if err != nil || len(outs) == 0 {
				t.Fatalf("%v, %v", outs, err)
			}
			shown := outs[len(outs)-1].Plain
			outs, err = in.Exec(ctx, "F = "+shown+"\ncheck(E == F)")
			if err != nil || len(outs) == 0 {
				t.Fatalf("pasting %s back: %v, %v", shown, outs, err)
			}
			if got := outs[len(outs)-1].Plain; !strings.Contains(got, "✓") {
				t.Errorf("%s pasted back is not E: %s", shown, got)
			}
		})
	}
}

// TestODECommandErrors pins the messages a student gets when there is no
// closed form or the shapes do not fit.
func TestODECommandErrors(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"t : scalar\nexpm([0, 1, 0; 0, 0, 1; 2, 0, 0]*t)", []string{"no exact closed form", "expm(A*0.5)"}},
		{"putzer([0, 1, 0; 0, 0, 1; 2, 0, 0])", []string{"no exact closed form"}},
		{"xs = ode([0, 1, 0; 0, 0, 1; 2, 0, 0], [1; 0; 0])", []string{"no exact closed form to bind"}},
		{"ode([1, 2; 3, 4], [1; 2; 3])", []string{"x0 and b must be 2×1 vectors, not 3×1"}},
		{"phase([1, 0, 0; 0, 1, 0; 0, 0, 1])", []string{"phase draws 2-D systems"}},
	}
	for _, tc := range tests {
		_, err := New().Exec(context.Background(), tc.src)
		if err == nil {
			t.Errorf("%s: no error", tc.src)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tc.src, err, w)
			}
		}
	}
}
