package ode

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
)

func im(t testing.TB, n int, data ...int64) *linalg.Matrix {
	t.Helper()
	m, err := linalg.NewInts(n, len(data)/n, data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func ratMat(t testing.TB, r, c int, entries ...string) *linalg.Matrix {
	t.Helper()
	q := make([]*big.Rat, len(entries))
	for i, e := range entries {
		var ok bool
		if q[i], ok = new(big.Rat).SetString(e); !ok {
			t.Fatalf("bad rational %q", e)
		}
	}
	m, err := linalg.NewRat(r, c, q)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTextExample reproduces Document 5's worked example exactly:
// ẋ = 3x − 4y, ẏ = 4x − 7y, x(0) = y(0) = 1.
func TestTextExample(t *testing.T) {
	a := im(t, 2, 3, -4, 4, -7)
	x0 := im(t, 2, 1, 1)
	s, err := Solve(a, nil, x0)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Exact || !s.ExactCheck {
		t.Fatalf("exact %v, exact check %v", s.Exact, s.ExactCheck)
	}
	want := []string{"2/3*exp(t) + 1/3*exp(-5*t)", "1/3*exp(t) + 2/3*exp(-5*t)"}
	for i, p := range s.X {
		if p.String() != want[i] {
			t.Errorf("component %d = %s, want %s", i, p, want[i])
		}
	}
	if s.NumericErr > 1e-9 {
		t.Errorf("RK4 disagrees by %g", s.NumericErr)
	}
	steps := map[string]string{}
	for _, st := range s.Steps {
		steps[st.Title] = st.Plain
	}
	for title, frag := range map[string]string{
		"system":                    "x' = 3*x - 4*y, y' = 4*x - 7*y",
		"characteristic polynomial": "λ^2 + 4*λ - 5 = 0",
		"eigenvalues":               "(λ - 1)*(λ + 5) = 0 ⇒ λ = 1, -5",
		"eigenvectors":              "v = [2; 1]; λ = -5: (A - λI)v = 0 gives v = [1; 2]",
		"constants":                 "c1 = 1/3, c2 = 1/3",
		"check":                     "= 0 exactly",
	} {
		if !strings.Contains(steps[title], frag) {
			t.Errorf("step %q = %q, want it to contain %q", title, steps[title], frag)
		}
	}
	// e^{At} of the text, by diagonalisation and by Putzer.
	wantExp := "[4/3*exp(t) - 1/3*exp(-5*t), -2/3*exp(t) + 2/3*exp(-5*t); 2/3*exp(t) - 2/3*exp(-5*t), -1/3*exp(t) + 4/3*exp(-5*t)]"
	d, err := Diagonalize(a)
	if err != nil {
		t.Fatal(err)
	}
	p, err := PutzerExp(a)
	if err != nil {
		t.Fatal(err)
	}
	if d.String() != wantExp || p.Exp.String() != wantExp {
		t.Errorf("e^{At}:\n diagonalisation %s\n Putzer          %s\n want            %s", d, p.Exp, wantExp)
	}
	if !d.Equal(p.Exp) {
		t.Errorf("diagonalisation and Putzer differ")
	}
	if got := p.Steps[1].P + " " + p.Steps[1].R; got != "[2, -4; 4, -8] 1/6*exp(t) - 1/6*exp(-5*t)" {
		t.Errorf("Putzer P1, r2 = %s", got)
	}
	if !strings.Contains(d.LaTeX(), `\frac{4}{3} {\rm e}^{t} - \frac{1}{3} {\rm e}^{-5t}`) {
		t.Errorf("LaTeX %s", d.LaTeX())
	}
	// The closed form as an expression in t is valid input of the same value.
	ts := expr.ScalarSymbol("t")
	n, err := d.Node(ts)
	if err != nil {
		t.Fatal(err)
	}
	if n.Shape() != expr.MatrixShape(expr.Int(2), expr.Int(2)) {
		t.Errorf("node shape %s", n.Shape())
	}
}

// TestExpm compares the closed forms with the numeric matrix exponential
// and pins the expected text of each case.
func TestExpm(t *testing.T) {
	tests := []struct {
		name   string
		a      *linalg.Matrix
		method Method
		want   string // "" to skip the text comparison
	}{
		{"text example", im(t, 2, 3, -4, 4, -7), Diagonalisation, ""},
		{"repeated, defective", im(t, 2, 2, 1, 0, 2), PutzerMethod, "[exp(2*t), t*exp(2*t); 0, exp(2*t)]"},
		{"repeated, diagonal", im(t, 2, 3, 0, 0, 3), Diagonalisation, "[exp(3*t), 0; 0, exp(3*t)]"},
		{"complex", im(t, 2, -1, -2, 2, -1), PutzerMethod, "[exp(-t)*cos(2*t), -exp(-t)*sin(2*t); exp(-t)*sin(2*t), exp(-t)*cos(2*t)]"},
		{"complex, irrational frequency", im(t, 2, 0, 1, -2, 0), PutzerMethod, "[cos(sqrt(2)*t), 1/2*sqrt(2)*sin(sqrt(2)*t); -sqrt(2)*sin(sqrt(2)*t), cos(sqrt(2)*t)]"},
		{"real irrational", im(t, 2, 1, 1, 1, 0), PutzerMethod, ""},
		{"nilpotent", im(t, 2, 0, 1, 0, 0), PutzerMethod, "[1, t; 0, 1]"},
		{"3x3 triangular", im(t, 3, 2, 0, 0, 1, 3, 0, 0, 0, -1), Diagonalisation, ""},
		{"3x3 Jordan block", im(t, 3, 1, 1, 0, 0, 1, 1, 0, 0, 1), PutzerMethod, "[exp(t), t*exp(t), 1/2*t^2*exp(t); 0, exp(t), t*exp(t); 0, 0, exp(t)]"},
		{"3x3 rotation and growth", im(t, 3, 0, -1, 0, 1, 0, 0, 0, 0, 2), PutzerMethod, "[cos(t), -sin(t), 0; sin(t), cos(t), 0; 0, 0, exp(2*t)]"},
		{"4x4 repeated complex", im(t, 4, 0, -1, 1, 0, 1, 0, 0, 1, 0, 0, 0, -1, 0, 0, 1, 0), PutzerMethod, ""},
		{"two complex pairs", im(t, 4, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 0, -2, 0, 0, 1, 0), SpectralMethod, "[cos(t), -sin(t), 0, 0; sin(t), cos(t), 0, 0; 0, 0, cos(sqrt(2)*t), -sqrt(2)*sin(sqrt(2)*t); 0, 0, 1/2*sqrt(2)*sin(sqrt(2)*t), cos(sqrt(2)*t)]"},
		{"coupled oscillators", im(t, 4, 0, 1, 0, 0, -2, 0, 1, 0, 0, 0, 0, 1, 1, 0, -2, 0), SpectralMethod, ""},
		{"real and complex pairs", im(t, 4, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0), SpectralMethod, ""},
		{"pairs and a rational root", im(t, 5, 0, -1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, -2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3), SpectralMethod, ""},
		{"pairs and a repeated root", im(t, 6, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, -3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, -1, 1, 0, 0, 0, 0, 0, -1), SpectralMethod, ""},
		{"rational entries", ratMat(t, 2, 2, "1/2", "0", "1", "-1/3"), Diagonalisation, "[exp(1/2*t), 0; 6/5*exp(1/2*t) - 6/5*exp(-1/3*t), exp(-1/3*t)]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Expm(tt.a)
			if err != nil {
				t.Fatal(err)
			}
			if e.Method != tt.method {
				t.Errorf("method %s, want %s", e.Method, tt.method)
			}
			if tt.want != "" && e.String() != tt.want {
				t.Errorf("e^{At} = %s\nwant     %s", e, tt.want)
			}
			if tt.method != SpectralMethod {
				p, err := PutzerExp(tt.a)
				if err != nil {
					t.Fatal(err)
				}
				if !p.Exp.Equal(e) {
					t.Errorf("Putzer %s differs from %s", p.Exp, e)
				}
			} else if _, err := PutzerExp(tt.a); !errors.Is(err, ErrNoClosedForm) {
				t.Errorf("Putzer in one field: %v, want ErrNoClosedForm", err)
			}
			// The projector method agrees wherever it applies.
			if sp, err := SpectralExp(tt.a); err == nil && !sp.Equal(e) {
				t.Errorf("spectral projectors %s differ from %s", sp, e)
			}
			for _, at := range []float64{0, 0.3, 1.1, -0.7} {
				num, err := NumericExpm(tt.a, at)
				if err != nil {
					t.Fatal(err)
				}
				got, err := e.Eval(at)
				if err != nil {
					t.Fatal(err)
				}
				if !linalg.EqualApprox(got, num, 1e-11) {
					t.Errorf("t = %g: closed form %s, numeric %s", at, got, num)
				}
			}
			// d/dt e^{At} = A e^{At} exactly.
			n, _ := tt.a.Dims()
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					lhs := e.Entries[i][j].Deriv()
					for k := 0; k < n; k++ {
						q, _ := tt.a.RatAt(i, k)
						lhs = lhs.add(e.Entries[k][j].scale(q.Neg(q)))
					}
					if !lhs.IsZero() {
						t.Errorf("entry (%d, %d): d/dt e^{At} − A e^{At} = %s", i, j, lhs)
					}
				}
			}
		})
	}
}

func TestNoClosedForm(t *testing.T) {
	tests := []struct {
		name string
		a    *linalg.Matrix
	}{
		{"irreducible cubic", im(t, 3, 0, 0, 2, 1, 0, 0, 0, 1, 0)},
		{"irreducible quartic", im(t, 4, 0, 0, 0, 2, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0)},
		{"float", func() *linalg.Matrix { m, _ := linalg.New(2, 2, []float64{0.5, 1, 0, 0.25}); return m }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Expm(tt.a); !errors.Is(err, ErrNoClosedForm) {
				t.Errorf("Expm: %v, want ErrNoClosedForm", err)
			}
			n, _ := tt.a.Dims()
			x0, _ := linalg.Ones(n, 1)
			s, err := Solve(tt.a, nil, x0)
			if err != nil {
				t.Fatal(err)
			}
			if s.Exact {
				t.Errorf("Solve claims an exact solution")
			}
			if s.NumericErr > 1e-9 {
				t.Errorf("numeric solution disagrees with RK4 by %g", s.NumericErr)
			}
			if !strings.Contains(s.Steps[len(s.Steps)-1].Plain, "numerically") {
				t.Errorf("last step does not say numeric: %q", s.Steps[len(s.Steps)-1].Plain)
			}
		})
	}
}

func TestSolveCases(t *testing.T) {
	tests := []struct {
		name     string
		a, b, x0 *linalg.Matrix
		want     []string
	}{
		{"repeated", im(t, 2, 2, 1, 0, 2), nil, im(t, 2, 1, 1), []string{"exp(2*t) + t*exp(2*t)", "exp(2*t)"}},
		{"complex", im(t, 2, -1, -2, 2, -1), nil, im(t, 2, 1, 0), []string{"exp(-t)*cos(2*t)", "exp(-t)*sin(2*t)"}},
		{"steady state", im(t, 2, -2, 1, 1, -2), im(t, 2, 1, 0), im(t, 2, 0, 0), []string{"2/3 - 1/2*exp(-t) - 1/6*exp(-3*t)", "1/3 - 1/2*exp(-t) + 1/6*exp(-3*t)"}},
		{"3x3", im(t, 3, 2, 0, 0, 1, 3, 0, 0, 0, -1), nil, im(t, 3, 1, 0, 1), []string{"exp(2*t)", "exp(3*t) - exp(2*t)", "exp(-t)"}},
		{"two oscillators", im(t, 4, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 0, -2, 0, 0, 1, 0), nil, im(t, 4, 1, 0, 0, 1), []string{"cos(t)", "sin(t)", "-sqrt(2)*sin(sqrt(2)*t)", "cos(sqrt(2)*t)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Solve(tt.a, tt.b, tt.x0)
			if err != nil {
				t.Fatal(err)
			}
			if !s.Exact || !s.ExactCheck || s.NumericErr > 1e-9 {
				t.Fatalf("exact %v, check %v, numeric error %g", s.Exact, s.ExactCheck, s.NumericErr)
			}
			for i, p := range s.X {
				if p.String() != tt.want[i] {
					t.Errorf("component %d = %s, want %s", i, p, tt.want[i])
				}
			}
		})
	}
}

func TestSolveErrors(t *testing.T) {
	a := im(t, 2, 1, 0, 0, 1)
	tests := []struct {
		name     string
		a, b, x0 *linalg.Matrix
		want     error
	}{
		{"non-square", im(t, 1, 1, 2), nil, im(t, 1, 1), linalg.ErrNotSquare},
		{"x0 shape", a, nil, im(t, 1, 1, 1), linalg.ErrShape},
		{"b shape", a, im(t, 1, 1), im(t, 2, 1, 1), linalg.ErrShape},
		{"singular with b", im(t, 2, 1, 1, 1, 1), im(t, 2, 1, 0), im(t, 2, 0, 0), linalg.ErrSingular},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Solve(tt.a, tt.b, tt.x0); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestStability(t *testing.T) {
	tests := []struct {
		name    string
		a, b    *linalg.Matrix
		verdict Verdict
		kind    string
		exact   bool
	}{
		{"text example", im(t, 2, 3, -4, 4, -7), nil, Unstable, "saddle", true},
		{"stable node", im(t, 2, -1, 0, 0, -2), nil, Stable, "stable node", true},
		{"just inside", ratMat(t, 2, 2, "-1", "0", "0", "-1/1000"), nil, Stable, "stable node", true},
		{"on the boundary", ratMat(t, 2, 2, "-1", "0", "0", "0"), nil, Marginal, "degenerate (a zero eigenvalue)", true},
		{"just outside", ratMat(t, 2, 2, "-1", "0", "0", "1/1000"), nil, Unstable, "saddle", true},
		{"center", im(t, 2, 0, 1, -1, 0), nil, Marginal, "center", true},
		{"defective zero", im(t, 2, 0, 1, 0, 0), nil, Unstable, "degenerate (a zero eigenvalue)", true},
		{"stable spiral", im(t, 2, -1, 2, -2, -1), nil, Stable, "stable spiral", true},
		{"unstable spiral", im(t, 2, 1, 2, -2, 1), nil, Unstable, "unstable spiral", true},
		{"with b", im(t, 2, -2, 1, 1, -2), im(t, 2, 1, 0), Stable, "stable node", true},
		{"float", func() *linalg.Matrix { m, _ := linalg.New(2, 2, []float64{-0.5, 1, -1, -0.5}); return m }(), nil, Stable, "stable spiral", false},
		{"two oscillators", im(t, 4, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 0, -2, 0, 0, 1, 0), nil, Marginal, "", true},
		{"irrational saddle", im(t, 2, 0, 2, 1, 0), nil, Unstable, "saddle", true},
		{"golden", im(t, 2, 1, 1, 1, 0), nil, Unstable, "saddle", true},
		{"irrational stable node", im(t, 2, -3, 1, 1, -1), nil, Stable, "stable node", true},
		{"irrational unstable node", im(t, 2, 3, 1, 1, 1), nil, Unstable, "unstable node", true},
		{"4x4 repeated center", im(t, 4, 0, -1, 1, 0, 1, 0, 0, 1, 0, 0, 0, -1, 0, 0, 1, 0), nil, Unstable, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := CheckStability(tt.a, tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if st.Verdict != tt.verdict || st.Kind != tt.kind || st.Exact != tt.exact {
				t.Errorf("verdict %s, kind %q, exact %v; want %s, %q, %v", st.Verdict, st.Kind, st.Exact, tt.verdict, tt.kind, tt.exact)
			}
			if tt.b != nil && (st.SteadyState == nil || st.SteadyState.String() != "[2/3; 1/3]") {
				t.Errorf("steady state %v", st.SteadyState)
			}
			last := st.Steps[len(st.Steps)-1].Plain
			if !strings.Contains(last, tt.verdict.String()) {
				t.Errorf("verdict step %q", last)
			}
		})
	}
}

func BenchmarkSolveTextExample(b *testing.B) {
	a := im(b, 2, 3, -4, 4, -7)
	x0 := im(b, 2, 1, 1)
	for b.Loop() {
		if _, err := Solve(a, nil, x0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPutzer3x3(b *testing.B) {
	a := im(b, 3, 0, -1, 0, 1, 0, 0, 0, 0, 2)
	for b.Loop() {
		if _, err := PutzerExp(a); err != nil {
			b.Fatal(err)
		}
	}
}

func TestExpmSteps(t *testing.T) {
	tests := []struct {
		a      *linalg.Matrix
		titles []string
		frag   string
	}{
		{im(t, 2, 3, -4, 4, -7), []string{"characteristic polynomial", "eigenvalues", "diagonalisation", "matrix exponential", "check"}, "U = [2, 1; 1, 2], Λ = diag([1; -5])"},
		{im(t, 2, 2, 1, 0, 2), []string{"characteristic polynomial", "eigenvalues", "Putzer's algorithm", "matrix exponential", "check"}, "P1 = [0, 1; 0, 0], r2(t) = t*exp(2*t)"},
	}
	for _, tt := range tests {
		e, err := Expm(tt.a)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, s := range e.Steps {
			titles = append(titles, s.Title)
		}
		if strings.Join(titles, "|") != strings.Join(tt.titles, "|") {
			t.Errorf("steps %v, want %v", titles, tt.titles)
		}
		plain, latex := Render(e.Steps)
		if !strings.Contains(plain, tt.frag) {
			t.Errorf("derivation lacks %q:\n%s", tt.frag, plain)
		}
		if strings.ContainsAny(latex, "\t\n\r\f\v\b\a") {
			t.Errorf("control character in LaTeX %q", latex)
		}
		if !strings.HasPrefix(latex, `\begin{array}{l`) || strings.Count(latex, `\text{`) < len(tt.titles) {
			t.Errorf("LaTeX %s", latex)
		}
	}
}

func TestSpectralSteps(t *testing.T) {
	e, err := SpectralExp(im(t, 4, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 0, -2, 0, 0, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	plain, latex := Render(e.Steps)
	for _, frag := range []string{"coprime factors: (λ^2 + 1)*(λ^2 + 2)", "λ = ±i: P = [1, 0, 0, 0; 0, 1, 0, 0; 0, 0, 0, 0; 0, 0, 0, 0]", "λ = ±sqrt(2)*i: P", "verified exactly"} {
		if !strings.Contains(plain, frag) {
			t.Errorf("derivation lacks %q:\n%s", frag, plain)
		}
	}
	for _, frag := range []string{`\pm i`, `\pm \sqrt{2}\,i`} {
		if !strings.Contains(latex, frag) {
			t.Errorf("LaTeX lacks %q:\n%s", frag, latex)
		}
	}
	if strings.ContainsAny(latex, "\t\n\r\f\v\b\a") {
		t.Errorf("control character in LaTeX %q", latex)
	}
}
