package ode

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
)

// Solution is the solution of ẋ = Ax (+ b), x(0) = x0.
type Solution struct {
	A, B, X0 *linalg.Matrix
	// Exact reports whether X holds the closed form with exact
	// coefficients; otherwise only Eval works (numeric e^{At}).
	Exact bool
	// X holds the components of x(t) when Exact.
	X []ExpPoly
	// Exp is e^{At} in closed form when one was needed and found.
	Exp *ExpAt
	// SteadyState is x* = −A⁻¹b when b was given and A is invertible.
	SteadyState *linalg.Matrix
	// aug is [A b; 0 0] when b was given and A is singular: then
	// [x(t); 1] = e^{aug·t}[x0; 1].
	aug *linalg.Matrix
	// Steps is the derivation, in the order of the course text.
	Steps []Step
	// ExactCheck reports that ẋ − Ax − b = 0 was verified exactly.
	ExactCheck bool
	// NumericErr is the largest relative difference between x(t) and a
	// numeric integration (classical Runge–Kutta) on [0, 1].
	NumericErr float64
}

// Eval returns x(t) as a float vector.
func (s *Solution) Eval(t float64) (*linalg.Matrix, error) {
	if s.Exact {
		n := len(s.X)
		v := make([]float64, n)
		for i, p := range s.X {
			v[i] = p.Eval(t)
		}
		return linalg.New(n, 1, v)
	}
	if s.aug != nil {
		// [x(t); 1] = e^{[A b; 0 0]t}[x0; 1]
		e, err := NumericExpm(s.aug, t)
		if err != nil {
			return nil, err
		}
		n, _ := s.A.Dims()
		v := make([]float64, n)
		for i := range v {
			for j := 0; j < n; j++ {
				v[i] += e.At(i, j) * s.X0.At(j, 0)
			}
			v[i] += e.At(i, n)
		}
		return linalg.New(n, 1, v)
	}
	// x(t) = x* + e^{At}(x0 − x*)
	e, err := NumericExpm(s.A, t)
	if err != nil {
		return nil, err
	}
	y := s.X0
	if s.SteadyState != nil {
		if y, err = linalg.Sub(s.X0, s.SteadyState); err != nil {
			return nil, err
		}
	}
	x, err := linalg.Mul(e, y)
	if err != nil {
		return nil, err
	}
	if s.SteadyState != nil {
		return linalg.Add(x, s.SteadyState)
	}
	return x, nil
}

// Node returns x(t) as a column literal in the scalar symbol t (nil and
// an error when there is no closed form).
func (s *Solution) Node(t *expr.Symbol) (expr.Node, error) {
	if !s.Exact {
		return nil, fmt.Errorf("the solution has %w", ErrNoClosedForm)
	}
	rows := make([][]ExpPoly, len(s.X))
	for i, p := range s.X {
		rows[i] = []ExpPoly{p}
	}
	return matrixNode(rows, t)
}

// String renders x(t) as a column literal in t.
func (s *Solution) String() string {
	if !s.Exact {
		return "x(t) = expm(A*t)*x0 (numeric)"
	}
	rows := make([][]ExpPoly, len(s.X))
	for i, p := range s.X {
		rows[i] = []ExpPoly{p}
	}
	return MatrixText(rows, false)
}

// componentNames are the names the text uses for small systems.
func componentNames(n int) []string {
	if n <= 3 {
		return []string{"x", "y", "z"}[:n]
	}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("x%d", i+1)
	}
	return out
}

// Solve solves ẋ = Ax + b, x(0) = x0 (b nil for the homogeneous
// equation) the way the course text does, step by step: the steady
// state x* = −A⁻¹b and the deviation form when b is given; the
// characteristic polynomial and its roots; for rational eigenvalues with
// a basis of eigenvectors, the eigenvectors (smallest integers), the
// general solution Σ cᵢe^{λᵢt}uᵢ and the constants from x(0); otherwise
// x(t) = e^{At}x(0) with e^{At} by Putzer's algorithm. The result is
// checked by substitution (exactly) and against a numeric integration.
// A matrix without an exact closed form (float entries, or eigenvalues
// outside one field Q(√d)) gets a numeric solution, labelled so in the
// steps; Exact is then false.
func Solve(a, b, x0 *linalg.Matrix) (*Solution, error) {
	n, c := a.Dims()
	if n != c {
		return nil, fmt.Errorf("the matrix A is %d×%d: %w", n, c, linalg.ErrNotSquare)
	}
	if r, c := x0.Dims(); r != n || c != 1 {
		return nil, fmt.Errorf("x(0) is %d×%d, want %d×1: %w", r, c, n, linalg.ErrShape)
	}
	if b != nil {
		if r, c := b.Dims(); r != n || c != 1 {
			return nil, fmt.Errorf("b is %d×%d, want %d×1: %w", r, c, n, linalg.ErrShape)
		}
	}
	s := &Solution{A: a, B: b, X0: x0}
	names := componentNames(n)
	s.Steps = append(s.Steps, systemStep(a, b, x0, names))

	y0 := x0
	if b != nil {
		ai, err := linalg.Inv(a)
		if err != nil {
			return nil, fmt.Errorf("no unique steady state, A is singular: %w", err)
		}
		xs, err := linalg.Mul(ai, b)
		if err != nil {
			return nil, err
		}
		xs = linalg.Neg(xs)
		s.SteadyState = xs
		if y0, err = linalg.Sub(x0, xs); err != nil {
			return nil, err
		}
		s.Steps = append(s.Steps, Step{
			Title: "steady state",
			Plain: fmt.Sprintf("ẋ* = 0 gives x* = -inv(A)*b = %s; the deviation xh = x - x* solves xh' = A*xh, xh(0) = x(0) - x* = %s", xs, y0),
			LaTeX: fmt.Sprintf(`\dot{x}^{*} = 0 \Rightarrow x^{*} = -A^{-1}b = %s, \quad x_h = x - x^{*}:\ \dot{x}_h = Ax_h,\ x_h(0) = %s`, xs.LaTeX(), y0.LaTeX()),
		})
	}

	sp, err := analyse(a)
	if err == nil && (!x0.IsExact() || (b != nil && !b.IsExact())) {
		err = noClosedForm("x(0) or b has float entries")
	}
	if err != nil {
		if !errors.Is(err, ErrNoClosedForm) {
			return nil, err
		}
		if e, serr := SpectralExp(a); serr == nil && x0.IsExact() && (b == nil || b.IsExact()) {
			return s.finishWithExp(e, y0, names)
		}
		why := err.Error()
		if nc := (*NoClosedFormError)(nil); errors.As(err, &nc) {
			why = nc.Why
		}
		formula, formulaL := "x(t) = expm(A*t)*x(0)", `x(t) = {\rm e}^{At}x(0)`
		if b != nil {
			formula, formulaL = "x(t) = x* + expm(A*t)*(x(0) - x*)", `x(t) = x^{*} + {\rm e}^{At}\,(x(0) - x^{*})`
		}
		s.Steps = append(s.Steps, Step{
			Title: "numeric solution",
			Plain: fmt.Sprintf("no exact closed form (%s): %s is computed numerically (float64, scaling and squaring with Padé)", why, formula),
			LaTeX: formulaL + ` \text{ computed numerically (float64)}`,
		})
		return s.finishNumeric()
	}
	s.Steps = append(s.Steps, polyStep(sp, a), rootsStep(sp))

	var y []ExpPoly
	if y, err = s.eigenMethod(a, y0, sp, names); err != nil {
		return nil, err
	}
	if y == nil {
		p, err := PutzerExp(a)
		if err != nil {
			return nil, err
		}
		s.Exp = p.Exp
		s.Steps = append(s.Steps, putzerSteps(p, sp)...)
		if y, err = p.Exp.Apply(y0); err != nil {
			return nil, err
		}
	}
	return s.finish(y, names)
}

// SolveAffine is Solve, except that when b is given and A is singular
// (no unique steady state, an error of Solve) it solves the homogeneous
// system of z = [x; 1], ż = [A b; 0 0]z, and takes x from z.
func SolveAffine(a, b, x0 *linalg.Matrix) (*Solution, error) {
	s, err := Solve(a, b, x0)
	if b == nil || !errors.Is(err, linalg.ErrSingular) {
		return s, err
	}
	n, _ := a.Dims()
	s = &Solution{A: a, B: b, X0: x0}
	names := componentNames(n)
	s.Steps = append(s.Steps, systemStep(a, b, x0, names))
	return s.solveAugmented(names)
}

// solveAugmented solves ẋ = Ax + b for a singular A (no unique steady
// state) as the homogeneous system of z = [x; 1]: ż = [A b; 0 0]z.
func (s *Solution) solveAugmented(names []string) (*Solution, error) {
	a, b, x0 := s.A, s.B, s.X0
	n, _ := a.Dims()
	aug, err := augment(a, b)
	if err != nil {
		return nil, err
	}
	one, err := augment(x0, nil)
	if err != nil {
		return nil, err
	}
	// [x0; 0] + e_{n+1} = [x0; 1]
	unit := make([]float64, n+1)
	unit[n] = 1
	e, err := linalg.New(n+1, 1, unit)
	if err != nil {
		return nil, err
	}
	if one.IsExact() {
		q := make([]*big.Rat, n+1)
		for i := range q {
			q[i] = new(big.Rat)
		}
		q[n].SetInt64(1)
		if e, err = linalg.NewRat(n+1, 1, q); err != nil {
			return nil, err
		}
	}
	z0, err := linalg.Add(one, e)
	if err != nil {
		return nil, err
	}
	s.aug = aug
	s.Steps = append(s.Steps, Step{
		Title: "steady state",
		Plain: fmt.Sprintf("A is singular, so there is no unique steady state x* (ẋ = 0 has no solution or infinitely many); instead z = [x; 1] solves the homogeneous z' = M*z with M = [A, b; 0, 0] = %s, z(0) = %s (the steps below solve it: their A is M, their x is z)", aug, z0),
		LaTeX: fmt.Sprintf(`\det A = 0:\ \text{no unique steady state; } z = \begin{bmatrix} x \\ 1 \end{bmatrix}:\ \dot{z} = Mz,\ M = \begin{bmatrix} A & b \\ 0 & 0 \end{bmatrix} = %s,\ z(0) = %s`, aug.LaTeX(), z0.LaTeX()),
	})
	sub, err := Solve(aug, nil, z0)
	if err != nil {
		return nil, err
	}
	for _, st := range sub.Steps {
		switch st.Title {
		case "system", "solution", "check", "value":
			continue
		}
		s.Steps = append(s.Steps, st)
	}
	if !sub.Exact {
		s.Steps = append(s.Steps, Step{
			Title: "numeric solution",
			Plain: "x(t) = the first components of expm(M*t)*z(0), computed numerically (float64, scaling and squaring with Padé)",
			LaTeX: `x(t) = \text{the first components of } {\rm e}^{Mt}z(0) \text{, computed numerically (float64)}`,
		})
		return s.finishNumeric()
	}
	return s.finish(sub.X[:n], names)
}

// augment returns [A b; 0 0] for an n×n A and an n×1 b, exact when both
// are; with b nil it returns [A; 0] (a column x0 becomes [x0; 0]).
func augment(a, b *linalg.Matrix) (*linalg.Matrix, error) {
	r, c := a.Dims()
	cols := c
	if b != nil {
		cols++
	}
	exact := a.IsExact() && (b == nil || b.IsExact())
	q := make([]*big.Rat, (r+1)*cols)
	f := make([]float64, (r+1)*cols)
	for i := 0; i < r; i++ {
		for j := 0; j < cols; j++ {
			src, jj := a, j
			if j == c {
				src, jj = b, 0
			}
			f[i*cols+j] = src.At(i, jj)
			if exact {
				q[i*cols+j], _ = src.RatAt(i, jj)
			}
		}
	}
	for j := 0; j < cols; j++ {
		q[r*cols+j] = new(big.Rat)
	}
	if exact {
		return linalg.NewRat(r+1, cols, q)
	}
	return linalg.New(r+1, cols, f)
}

// finishWithExp completes a solution from a closed form of e^{At}:
// x(t) = x* + e^{At}(x(0) − x*).
func (s *Solution) finishWithExp(e *ExpAt, y0 *linalg.Matrix, names []string) (*Solution, error) {
	s.Exp = e
	s.Steps = append(s.Steps, Step{
		Title: "method",
		Plain: "the eigenvalues are in different fields: x(t) = expm(A*t)*x(0), with expm(A*t) by spectral projectors",
		LaTeX: `x(t) = {\rm e}^{At}x(0),\ {\rm e}^{At} \text{ by spectral projectors}`,
	})
	s.Steps = append(s.Steps, e.Steps...)
	y, err := e.Apply(y0)
	if err != nil {
		return nil, err
	}
	return s.finish(y, names)
}

// finish adds the steady state, the result and its checks.
func (s *Solution) finish(y []ExpPoly, names []string) (*Solution, error) {
	b, x0 := s.B, s.X0
	var err error
	if s.SteadyState != nil {
		for i := range y {
			q, _ := s.SteadyState.RatAt(i, 0)
			y[i] = y[i].add(ExpPoly{Terms: []Term{{Coef: RatSurd(q), Rate: RatSurd(new(big.Rat))}}})
		}
	}
	s.X = y
	s.Exact = true
	var res, resL []string
	for i, p := range y {
		res = append(res, fmt.Sprintf("%s = %s", names[i], p))
		resL = append(resL, fmt.Sprintf("%s(t) &= %s", names[i], p.LaTeX()))
	}
	s.Steps = append(s.Steps, Step{
		Title: "solution",
		Plain: strings.Join(res, ", "),
		LaTeX: `\begin{aligned} ` + strings.Join(resL, ` \\ `) + ` \end{aligned}`,
	})
	if s.ExactCheck, err = s.substitute(); err != nil {
		return nil, err
	}
	if s.NumericErr, err = s.integrationError(); err != nil {
		return nil, err
	}
	verdict := "ẋ - A*x - b = 0 exactly"
	verdictL := `\dot{x} - Ax - b = 0 \text{ exactly}`
	if b == nil {
		verdict = "ẋ - A*x = 0 exactly"
		verdictL = `\dot{x} - Ax = 0 \text{ exactly}`
	}
	if !s.ExactCheck {
		verdict = "substitution did NOT give 0 (a bug)"
		verdictL = `\text{did NOT give 0 (a bug)}`
	}
	s.Steps = append(s.Steps, Step{
		Title: "check",
		Plain: fmt.Sprintf("substituting back: %s; x(0) = %s; numeric integration (RK4) on [0, 1] agrees to %.1e", verdict, x0, s.NumericErr),
		LaTeX: fmt.Sprintf(`\text{substituting back: } %s\text{; RK4 on } [0, 1] \text{ agrees to } %s`, verdictL, linalg.FloatLaTeX(s.NumericErr, 2)),
	})
	return s, nil
}

// eigenMethod solves ẏ = Ay, y(0) = y0 by eigenvectors when the
// eigenvalues are rational and A is diagonalisable; it returns nil (and
// a step saying why) otherwise.
func (s *Solution) eigenMethod(a, y0 *linalg.Matrix, sp *spectrum, names []string) ([]ExpPoly, error) {
	if sp.quad != nil {
		s.Steps = append(s.Steps, Step{
			Title: "method",
			Plain: "the eigenvalues are not all rational: x(t) = expm(A*t)*x(0), with expm(A*t) by Putzer's algorithm",
			LaTeX: `\text{eigenvalues not all rational: } x(t) = {\rm e}^{At}x(0),\ {\rm e}^{At} \text{ by Putzer's algorithm}`,
		})
		return nil, nil
	}
	eig, err := linalg.Eig(a)
	if err != nil {
		return nil, err
	}
	var vecs, vecsL []string
	for _, sp := range eig.Spaces {
		_, g := sp.Vectors.Dims()
		for k := 0; k < g; k++ {
			v := column(sp.Vectors, k)
			vecs = append(vecs, fmt.Sprintf("λ = %s: (A - λI)v = 0 gives v = %s", sp.Rat.RatString(), v))
			vecsL = append(vecsL, fmt.Sprintf(`\lambda = %s:\ (A - \lambda I)v = 0 \Rightarrow v = %s`, linalg.RatLaTeX(sp.Rat), v.LaTeX()))
		}
	}
	s.Steps = append(s.Steps, Step{Title: "eigenvectors", Plain: strings.Join(vecs, "; "), LaTeX: `\begin{aligned} ` + strings.Join(vecsL, ` \\ `) + ` \end{aligned}`})
	if !eig.Diagonalizable() {
		s.Steps = append(s.Steps, Step{
			Title: "method",
			Plain: "A has fewer independent eigenvectors than its size (a repeated eigenvalue): x(t) = expm(A*t)*x(0), with expm(A*t) by Putzer's algorithm, which needs no Jordan form",
			LaTeX: `\text{too few eigenvectors: } x(t) = {\rm e}^{At}x(0),\ {\rm e}^{At} \text{ by Putzer's algorithm (no Jordan form needed)}`,
		})
		return nil, nil
	}
	u, lams, err := eigenBasis(eig)
	if err != nil {
		return nil, err
	}
	n := len(lams)
	var gen, genL []string
	for k := 0; k < n; k++ {
		e := ExpPoly{Terms: []Term{{Coef: RatSurd(big.NewRat(1, 1)), Rate: RatSurd(lams[k])}}}
		gen = append(gen, fmt.Sprintf("c%d*%s*%s", k+1, e, column(u, k)))
		genL = append(genL, fmt.Sprintf("c_{%d} %s %s", k+1, e.LaTeX(), column(u, k).LaTeX()))
	}
	lhs, lhsL := "x(t)", "x(t)"
	if s.SteadyState != nil {
		lhs, lhsL = "xh(t)", "x_h(t)"
	}
	s.Steps = append(s.Steps, Step{
		Title: "general solution",
		Plain: lhs + " = " + strings.Join(gen, " + "),
		LaTeX: lhsL + " = " + strings.Join(genL, " + "),
	})
	cs, err := linalg.Solve(u, y0)
	if err != nil {
		return nil, fmt.Errorf("constants: %w", err)
	}
	var cv, cvL []string
	for k := 0; k < n; k++ {
		q, _ := cs.RatAt(k, 0)
		cv = append(cv, fmt.Sprintf("c%d = %s", k+1, q.RatString()))
		cvL = append(cvL, fmt.Sprintf("c_{%d} = %s", k+1, linalg.RatLaTeX(q)))
	}
	what, whatL := "x(0)", "x(0)"
	if s.SteadyState != nil {
		what, whatL = "xh(0)", "x_h(0)"
	}
	s.Steps = append(s.Steps, Step{
		Title: "constants",
		Plain: fmt.Sprintf("at t = 0: U*c = %s with U = %s gives %s", what, u, strings.Join(cv, ", ")),
		LaTeX: fmt.Sprintf(`t = 0:\ %s c = %s \Rightarrow %s`, u.LaTeX(), whatL, strings.Join(cvL, ",\\ ")),
	})
	y := make([]ExpPoly, n)
	for i := 0; i < n; i++ {
		var terms []Term
		for k := 0; k < n; k++ {
			q, _ := cs.RatAt(k, 0)
			x, _ := u.RatAt(i, k)
			terms = append(terms, Term{Coef: RatSurd(q.Mul(q, x)), Rate: RatSurd(lams[k])})
		}
		y[i] = newExpPoly(terms)
	}
	return y, nil
}

func column(m *linalg.Matrix, k int) *linalg.Matrix {
	r, _ := m.Dims()
	col := make([]*big.Rat, r)
	for i := range col {
		col[i], _ = m.RatAt(i, k)
	}
	v, _ := linalg.NewRat(r, 1, col)
	return v
}

// substitute verifies ẋ − Ax − b = 0 and x(0) = x0 exactly.
func (s *Solution) substitute() (bool, error) {
	n := len(s.X)
	for i := 0; i < n; i++ {
		lhs := s.X[i].Deriv()
		for j := 0; j < n; j++ {
			q, _ := s.A.RatAt(i, j)
			lhs = lhs.add(s.X[j].scale(q.Neg(q)))
		}
		if s.B != nil {
			q, _ := s.B.RatAt(i, 0)
			lhs = lhs.add(ExpPoly{Terms: []Term{{Coef: RatSurd(q.Neg(q)), Rate: RatSurd(new(big.Rat))}}})
		}
		if !lhs.IsZero() {
			return false, nil
		}
		// x(0): every term at t = 0 is Coef (K = 0, cos 1, sin 0); sum exactly.
		sum := RatSurd(new(big.Rat))
		for _, t := range s.X[i].Terms {
			if t.K == 0 && t.Osc != Sin {
				sum = sum.add(t.Coef)
			}
		}
		q, _ := s.X0.RatAt(i, 0)
		if !sum.add(RatSurd(q).neg()).IsZero() {
			return false, nil
		}
	}
	return true, nil
}

// integrationError integrates ẋ = Ax + b numerically with RK4 from x0
// over [0, 1] (at least 1000 steps) and returns the largest difference
// from Eval at t = 0.25, 0.5, 0.75, 1, relative to the largest |x| there
// and at 0.
func (s *Solution) integrationError() (float64, error) {
	n, _ := s.A.Dims()
	a := s.A.Floats()
	var bv []float64
	if s.B != nil {
		bv = s.B.Floats()
	}
	f := func(x []float64) []float64 {
		out := make([]float64, n)
		for i := 0; i < n; i++ {
			v := 0.0
			for j := 0; j < n; j++ {
				v += a[i*n+j] * x[j]
			}
			if bv != nil {
				v += bv[i]
			}
			out[i] = v
		}
		return out
	}
	x := s.X0.Floats()
	// Steps: h·ρ(A) ≤ 1/20 with ρ(A) ≤ n·max|aᵢⱼ|, between 1000 and 10⁵
	// (a multiple of 4, so that the checkpoints fall on steps).
	rho := 0.0
	for _, v := range a {
		rho = math.Max(rho, math.Abs(v))
	}
	steps := int(math.Min(math.Max(math.Ceil(20*rho*float64(n)/4)*4, 1000), 100000))
	h := 1.0 / float64(steps)
	axpy := func(x, k []float64, c float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = x[i] + c*k[i]
		}
		return out
	}
	// The differences are relative to the largest |x| on the way (x0 and
	// the checkpoints): x(t) may pass through 0 at a checkpoint.
	worst, scale := 0.0, 0.0
	for _, v := range x {
		scale += v * v
	}
	scale = math.Sqrt(scale)
	for k := 1; k <= steps; k++ {
		k1 := f(x)
		k2 := f(axpy(x, k1, h/2))
		k3 := f(axpy(x, k2, h/2))
		k4 := f(axpy(x, k3, h))
		for i := range x {
			x[i] += h / 6 * (k1[i] + 2*k2[i] + 2*k3[i] + k4[i])
		}
		if k%(steps/4) == 0 {
			exact, err := s.Eval(float64(k) * h)
			if err != nil {
				return 0, err
			}
			ev := exact.Floats()
			num, den := 0.0, 0.0
			for i := range x {
				num += (x[i] - ev[i]) * (x[i] - ev[i])
				den += ev[i] * ev[i]
			}
			worst = math.Max(worst, math.Sqrt(num))
			scale = math.Max(scale, math.Sqrt(den))
		}
	}
	return worst / math.Max(scale, 1e-300), nil
}

// finishNumeric completes a numeric solution: x(1) and the checks.
func (s *Solution) finishNumeric() (*Solution, error) {
	x1, err := s.Eval(1)
	if err != nil {
		return nil, err
	}
	s.Steps = append(s.Steps, Step{Title: "value", Plain: fmt.Sprintf("x(1) = %s", x1), LaTeX: `x(1) = ` + x1.LaTeX()})
	res, err := s.numericResidual()
	if err != nil {
		return nil, err
	}
	if s.NumericErr, err = s.integrationError(); err != nil {
		return nil, err
	}
	bl := map[bool]string{true: "", false: " - b"}[s.B == nil]
	s.Steps = append(s.Steps, Step{
		Title: "check",
		Plain: fmt.Sprintf("substituting back numerically (central differences at t = 1/4, 1/2, 3/4, 1): ẋ - A*x%s = 0 to %.1e relative; x(0) = %s; numeric integration (RK4) on [0, 1] agrees to %.1e",
			bl, res, s.X0, s.NumericErr),
		LaTeX: fmt.Sprintf(`\text{substituting back numerically: } \dot{x} - Ax%s = 0 \text{ to } %s \text{ (relative); RK4 on } [0, 1] \text{ agrees to } %s`,
			bl, linalg.FloatLaTeX(res, 2), linalg.FloatLaTeX(s.NumericErr, 2)),
	})
	return s, nil
}

// numericResidual substitutes a numeric solution back: the largest
// relative size of ẋ − Ax − b at t = 1/4, 1/2, 3/4, 1, with ẋ by central
// differences of x(t).
func (s *Solution) numericResidual() (float64, error) {
	const h = 1e-5
	worst := 0.0
	for _, t := range []float64{0.25, 0.5, 0.75, 1} {
		xp, err := s.Eval(t + h)
		if err != nil {
			return 0, err
		}
		xm, err := s.Eval(t - h)
		if err != nil {
			return 0, err
		}
		x, err := s.Eval(t)
		if err != nil {
			return 0, err
		}
		ax, err := linalg.Mul(s.A, x)
		if err != nil {
			return 0, err
		}
		if s.B != nil {
			if ax, err = linalg.Add(ax, s.B); err != nil {
				return 0, err
			}
		}
		p, m, f := xp.Floats(), xm.Floats(), ax.Floats()
		num, den := 0.0, 0.0
		for i := range f {
			d := (p[i]-m[i])/(2*h) - f[i]
			num += d * d
			den += f[i] * f[i]
		}
		worst = math.Max(worst, math.Sqrt(num)/math.Max(math.Sqrt(den), 1))
	}
	return worst, nil
}
