package ode

import (
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/linalg"
)

// TestSolveText pins what a student reads: fragments of the plain text
// and of the LaTeX (MathJax 2.7: {\rm e}^{…}, \cos, bmatrix) of the
// steps of Solve, and LaTeX that never writes a bare e^{ or a plain-text
// matrix.
func TestSolveText(t *testing.T) {
	tests := []struct {
		name        string
		a, b, x0    *linalg.Matrix
		plain, tex  []string
		notInPlain  []string
		checkMethod string // "exactly" or "numerically"
	}{
		{
			name: "text example", a: im(t, 2, 3, -4, 4, -7), x0: im(t, 2, 1, 1),
			plain: []string{
				"det(A - λI) = det([3 - λ, -4; 4, -7 - λ]) = (3 - λ)*(-7 - λ) - (-4)*4 = λ^2 + 4*λ - 5 = 0",
				"(λ - 1)*(λ + 5) = 0 ⇒ λ = 1, -5",
				"λ = 1: (A - λI)v = 0 gives v = [2; 1]; λ = -5: (A - λI)v = 0 gives v = [1; 2]",
				"x(t) = c1*exp(t)*[2; 1] + c2*exp(-5*t)*[1; 2]",
				"c1 = 1/3, c2 = 1/3",
				"x = 2/3*exp(t) + 1/3*exp(-5*t), y = 1/3*exp(t) + 2/3*exp(-5*t)",
				"numeric integration (RK4)",
			},
			tex: []string{
				`\det\begin{bmatrix} 3 - \lambda & -4 \\ 4 & -7 - \lambda \end{bmatrix} = (3 - \lambda)(-7 - \lambda) - (-4)(4) = \lambda^{2} + 4\lambda - 5 = 0`,
				`c_{1} {\rm e}^{t} \begin{bmatrix} 2 \\ 1 \end{bmatrix} + c_{2} {\rm e}^{-5t} \begin{bmatrix} 1 \\ 2 \end{bmatrix}`,
				`x(t) &= \frac{2}{3} {\rm e}^{t} + \frac{1}{3} {\rm e}^{-5t}`,
				`y(t) &= \frac{1}{3} {\rm e}^{t} + \frac{2}{3} {\rm e}^{-5t}`,
				`c_{1} = \frac{1}{3},\ c_{2} = \frac{1}{3}`,
			},
			checkMethod: "exactly",
		},
		{
			name: "repeated eigenvalue", a: im(t, 2, 2, 1, 0, 2), x0: im(t, 2, 1, 1),
			plain: []string{"λ = 2 (multiplicity 2)", "Putzer", "r2(t) = t*exp(2*t)", "x = exp(2*t) + t*exp(2*t), y = exp(2*t)"},
			tex:   []string{`r_{2}(t) &= t {\rm e}^{2t}`, `x(t) &= {\rm e}^{2t} + t {\rm e}^{2t}`},
		},
		{
			name: "complex eigenvalues", a: im(t, 2, -1, 2, -2, -1), x0: im(t, 2, 1, 0),
			plain:      []string{"det([-1 - λ, 2; -2, -1 - λ]) = (-1 - λ)*(-1 - λ) - 2*(-2) = λ^2 + 2*λ + 5 = 0", "eigenvalues: λ^2 + 2*λ + 5 = 0 ⇒ λ = -1 + 2*i, -1 - 2*i", "with λ = -1 + 2*i, -1 - 2*i: P0 = I", "x = exp(-t)*cos(2*t), y = -exp(-t)*sin(2*t)"},
			tex:        []string{`x(t) &= {\rm e}^{-t} \cos(2t)`, `y(t) &= -{\rm e}^{-t} \sin(2t)`, `\lambda^{2} + 2\lambda + 5 = 0 \Rightarrow`},
			notInPlain: []string{"(λ^2 + 2*λ + 5) = 0"},
		},
		{
			name: "3×3", a: im(t, 3, 1, 0, 0, 0, 2, 0, 1, 0, 3), x0: im(t, 3, 1, 1, 1),
			plain: []string{"(λ - 3)*(λ - 2)*(λ - 1) = 0 ⇒ λ = 3, 2, 1", "c1 = 3/2, c2 = 1, c3 = 1/2", "z = 3/2*exp(3*t) - 1/2*exp(t)"},
			tex:   []string{`z(t) &= \frac{3}{2} {\rm e}^{3t} - \frac{1}{2} {\rm e}^{t}`},
		},
		{
			name: "irrational eigenvalues", a: im(t, 2, 1, 1, 1, 0), x0: im(t, 2, 1, 0),
			plain: []string{
				"λ = 1/2 + 1/2*sqrt(5), 1/2 - 1/2*sqrt(5)\n",
				"with λ = 1/2 + 1/2*sqrt(5), 1/2 - 1/2*sqrt(5): P0 = I",
				"r2(t) = 1/5*sqrt(5)*exp((1/2 + 1/2*sqrt(5))*t) - 1/5*sqrt(5)*exp((1/2 - 1/2*sqrt(5))*t)",
			},
			tex:         []string{`\sqrt{5}`},
			notInPlain:  []string{"+ -", "sqrt(5,"},
			checkMethod: "exactly",
		},
		{
			name: "spectral projectors (two complex pairs and a repeated root)",
			a:    im(t, 6, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, -3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, -1, 1, 0, 0, 0, 0, 0, -1),
			x0:   im(t, 6, 1, 0, 1, 0, 1, 1),
			plain: []string{
				"coprime factors: (λ + 1)^2*(λ^2 + 1)*(λ^2 + 3)",
				"x1 = cos(t), x2 = sin(t), x3 = cos(sqrt(3)*t), x4 = 1/3*sqrt(3)*sin(sqrt(3)*t), x5 = exp(-t) + t*exp(-t), x6 = exp(-t)",
			},
			tex:         []string{`(\lambda + 1)^{2}\left(\lambda^{2} + 1\right)`, `\cos(\sqrt{3} t)`},
			checkMethod: "exactly",
		},
		{
			name: "numeric fallback (an irreducible cubic)", a: im(t, 3, 0, 1, 0, 0, 0, 1, 2, 0, 0), x0: im(t, 3, 1, 0, 0),
			plain: []string{
				"no exact closed form (the characteristic polynomial",
				"x(t) = expm(A*t)*x(0) is computed numerically (float64",
				"x(1) = [1.33891096", // SciPy: expm(A) @ [1, 0, 0] = [1.33891097, 1.03353215, 2.16825838]
				"substituting back numerically",
			},
			tex:         []string{`x(t) = {\rm e}^{At}x(0) \text{ computed numerically (float64)}`, `x(1) = \begin{bmatrix}`},
			notInPlain:  []string{"no exact closed form: no exact closed form", "(ode: "},
			checkMethod: "numerically",
		},
		{
			name: "with b, A singular: no steady state", a: im(t, 2, 0, 0, 0, -1), b: im(t, 2, 1, 0), x0: im(t, 2, 1, 1),
			plain:       []string{"no unique steady state", "M = [A, b; 0, 0] = [0, 0, 1; 0, -1, 0; 0, 0, 0], z(0) = [1; 1; 1]", "x = 1 + t, y = exp(-t)", "ẋ - A*x - b = 0 exactly"},
			tex:         []string{`M = \begin{bmatrix} A & b \\ 0 & 0 \end{bmatrix}`, `x(t) &= 1 + t`},
			checkMethod: "exactly",
		},
		{
			name: "with b, A singular: a double integrator", a: im(t, 2, 0, 1, 0, 0), b: im(t, 2, 0, 1), x0: im(t, 2, 0, 0),
			plain:       []string{"x = 1/2*t^2, y = t"},
			checkMethod: "exactly",
		},
		{
			name: "with b, A singular, float: numeric", b: im(t, 2, 1, 0), x0: im(t, 2, 1, 1),
			a: func() *linalg.Matrix {
				m, err := linalg.New(2, 2, []float64{0, 0, 0, -1})
				if err != nil {
					t.Fatal(err)
				}
				return m
			}(),
			plain:       []string{"no unique steady state", "first components of expm(M*t)*z(0)", "x(1) = [2; 0.3678794412]"},
			checkMethod: "numerically",
		},
		{
			name: "with b: deviation form", a: im(t, 2, -2, 1, 1, -2), b: im(t, 2, 1, 1), x0: im(t, 2, 0, 0),
			plain: []string{"x* = -inv(A)*b = [1; 1]", "xh' = A*xh, xh(0) = x(0) - x* = [-1; -1]", "x = 1 - exp(-t), y = 1 - exp(-t)", "ẋ - A*x - b = 0 exactly"},
			tex:   []string{`x^{*} = -A^{-1}b = \begin{bmatrix} 1 \\ 1 \end{bmatrix}`, `x(t) &= 1 - {\rm e}^{-t}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := SolveAffine(tt.a, tt.b, tt.x0)
			if err != nil {
				t.Fatal(err)
			}
			plain, tex := Render(s.Steps)
			wantIn(t, "plain text", plain, tt.plain)
			for _, f := range tt.notInPlain {
				if strings.Contains(plain, f) {
					t.Errorf("plain text has %q:\n%s", f, plain)
				}
			}
			wantIn(t, "LaTeX", tex, tt.tex)
			checkTeX(t, tex)
			if !strings.Contains(plain, "substituting back") || !strings.Contains(plain, "numeric integration") {
				t.Errorf("the check step does not state both checks:\n%s", plain)
			}
			switch tt.checkMethod {
			case "exactly":
				if !strings.Contains(plain, "= 0 exactly") {
					t.Errorf("the check is not stated as exact:\n%s", plain)
				}
			case "numerically":
				if !strings.Contains(plain, "substituting back numerically") || strings.Contains(plain, "exactly") {
					t.Errorf("the check is not stated as numeric:\n%s", plain)
				}
			}
		})
	}
}

// wantIn reports each fragment that text (named what) lacks.
func wantIn(t *testing.T, what, text string, frags []string) {
	t.Helper()
	for _, f := range frags {
		if !strings.Contains(text, f) {
			t.Errorf("%s lacks %q:\n%s", what, f, text)
		}
	}
}

// checkTeX rejects LaTeX a student would see broken or inconsistent: a
// bare e^{ (not {\rm e}^{), a plain-text matrix literal, a plain
// exp(, a string macro of MathJax 2.7 or unbalanced braces.
func checkTeX(t *testing.T, tex string) {
	t.Helper()
	if i := strings.Index(strings.ReplaceAll(tex, `{\rm e}^{`, ""), "e^{"); i >= 0 {
		t.Errorf("bare e^{ in LaTeX: %s", tex)
	}
	for _, bad := range []string{"exp(", "[1; ", "sqrt(", "x{*}"} {
		if strings.Contains(tex, bad) {
			t.Errorf("plain-text %q in LaTeX: %s", bad, tex)
		}
	}
	// String macros of MathJax 2.7 paste the rest of the formula behind
	// them and fail past 5 KB: {\rm e}, not \mathrm{e}.
	for _, bad := range []string{`\mathrm{`, `\mathbf{`, `\mathit{`, `\mathfrak{`, `\iff`} {
		if strings.Contains(tex, bad) {
			t.Errorf("MathJax 2.7 string macro %s in LaTeX: %s", bad, tex)
		}
	}
	depth := 0
	for i, r := range tex {
		switch {
		case r == '{' && (i == 0 || tex[i-1] != '\\'):
			depth++
		case r == '}' && (i == 0 || tex[i-1] != '\\'):
			depth--
		}
		if depth < 0 {
			t.Fatalf("unbalanced braces in LaTeX: %s", tex)
		}
	}
	if depth != 0 {
		t.Errorf("unbalanced braces in LaTeX: %s", tex)
	}
}

// TestStabilityText pins the trace/determinant explanation on both sides
// of the boundary and the verdict with a steady state.
func TestStabilityText(t *testing.T) {
	tests := []struct {
		name       string
		a, b       *linalg.Matrix
		plain, tex []string
	}{
		{"stable node", im(t, 2, -1, 0, 0, -2), nil,
			[]string{"eigenvalues: λ = -1, λ = -2; the largest real part is -1", "tr A = -3 < 0, det A = 2 > 0: both conditions hold", "stable node", "asymptotically stable"},
			[]string{`\operatorname{tr}A = -3 < 0,\ \det A = 2 > 0`, `\text{both conditions hold}`}},
		{"center, on the boundary", im(t, 2, 0, 1, -1, 0), nil,
			[]string{"λ = i, -i (the roots of λ^2 + 1 = 0), real part 0", "tr A = 0 (not < 0), det A = 1 > 0: tr A < 0 fails", "center", "stable but not asymptotically"},
			[]string{`\operatorname{tr}A = 0 \ (\text{not } < 0)`, `\operatorname{tr}A < 0 \text{ fails}`}},
		{"just outside", ratMat(t, 2, 2, "-1", "0", "0", "1/1000"), nil,
			[]string{"det A = -1/1000 < 0: det A > 0 fails", "saddle", "unstable"},
			[]string{`\det A > 0 \text{ fails}`}},
		{"zero determinant", ratMat(t, 2, 2, "-1", "0", "0", "0"), nil,
			[]string{"det A = 0 (not > 0): det A > 0 fails; the phase portrait is degenerate (a zero eigenvalue)"},
			[]string{`\det A = 0 \ (\text{not } > 0)`}},
		{"unstable node", im(t, 2, 1, 0, 0, 2), nil,
			[]string{"tr A = 3 > 0, det A = 2 > 0: tr A < 0 fails; the phase portrait is an unstable node"}, nil},
		{"both fail", im(t, 2, 1, 0, 0, -2), nil, nil, nil},
		{"stable spiral", im(t, 2, -1, 2, -2, -1), nil,
			[]string{"λ = -1 + 2*i, -1 - 2*i (the roots of λ^2 + 2*λ + 5 = 0), real part -1", "stable spiral"},
			[]string{`\lambda = -1 + 2i,\ -1 - 2i`}},
		{"irrational frequency, repeated", im(t, 4, 0, 1, 1, 0, -2, 0, 0, 1, 0, 0, 0, 1, 0, 0, -2, 0), nil,
			[]string{"λ = sqrt(2)*i, -sqrt(2)*i (the roots of λ^2 + 2 = 0 (×2)), real part 0", "unstable"}, nil},
		{"defective zero", im(t, 2, 0, 1, 0, 0), nil,
			[]string{"λ = 0 (×2)", "unstable"}, nil},
		{"singular A, b outside its range", im(t, 2, 0, 0, 0, -1), im(t, 2, 1, 0),
			[]string{"b is not in its range: no steady state", "drift without bound", "stable but not asymptotically"},
			[]string{`\operatorname{rank}[A\ b] > \operatorname{rank}A`}},
		{"singular A, b in its range", im(t, 2, 0, 0, 0, -1), im(t, 2, 0, 1),
			[]string{"infinitely many steady states"}, nil},
		{"with b", im(t, 2, -2, 1, 1, -2), im(t, 2, 1, 1),
			[]string{"x* = -inv(A)*b = [1; 1]", "every solution tends to x* = [1; 1]"},
			[]string{`\text{the system is asymptotically stable: every solution tends to}\ x^{*} = \begin{bmatrix} 1 \\ 1 \end{bmatrix}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := CheckStability(tt.a, tt.b)
			if err != nil {
				t.Fatal(err)
			}
			plain, tex := Render(st.Steps)
			wantIn(t, "plain text", plain, tt.plain)
			wantIn(t, "LaTeX", tex, tt.tex)
			checkTeX(t, tex)
		})
	}
}

// TestExpAtTeX checks the LaTeX of e^{At} by each method.
func TestExpAtTeX(t *testing.T) {
	tests := []struct {
		name string
		a    *linalg.Matrix
		want string
	}{
		{"text example", im(t, 2, 3, -4, 4, -7), `\begin{bmatrix} \frac{4}{3} {\rm e}^{t} - \frac{1}{3} {\rm e}^{-5t} & -\frac{2}{3} {\rm e}^{t} + \frac{2}{3} {\rm e}^{-5t} \\ \frac{2}{3} {\rm e}^{t} - \frac{2}{3} {\rm e}^{-5t} & -\frac{1}{3} {\rm e}^{t} + \frac{4}{3} {\rm e}^{-5t} \end{bmatrix}`},
		{"complex", im(t, 2, -1, -2, 2, -1), `{\rm e}^{-t} \cos(2t)`},
		{"irrational frequency", im(t, 2, 0, 1, -2, 0), `\cos(\sqrt{2} t)`},
		{"two pairs (spectral)", im(t, 4, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 0, -2, 0, 0, 1, 0), `\cos(\sqrt{2} t)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Expm(tt.a)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(e.LaTeX(), tt.want) {
				t.Errorf("LaTeX %s\nlacks %s", e.LaTeX(), tt.want)
			}
			_, tex := Render(e.Steps)
			checkTeX(t, tex)
		})
	}
}
