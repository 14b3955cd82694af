package numeric

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
)

// DefaultTol is the relative error below which a check counts as passed:
// the checks reach about 1e-9 on well-scaled problems, and a wrong
// derivative is typically off by order one.
const DefaultTol = 1e-6

// maxAttempts bounds how many random instances a check draws looking
// for points where every expression is defined.
const maxAttempts = 25

// Report is the outcome of a check.
type Report struct {
	// RelErr is the largest relative error over all comparisons:
	// ‖numeric − symbolic‖ / max(‖numeric‖, ‖symbolic‖, floor), the floor
	// being 1e-5·(1 + ‖f‖) so that a derivative that is zero up to
	// rounding does not count as a large relative error.
	RelErr float64
	// Numeric and Symbolic are the finite-difference and the symbolic
	// values of the worst comparison: directional derivatives (scalars)
	// for gradients, Hessians and scalar functions, the differential's
	// value (same shape as f) otherwise.
	Numeric, Symbolic *linalg.Matrix
	// Point is the instance of the worst comparison: its Values and Dims,
	// and in Diffs the directions (dX, or dX₁ and dX₂).
	Point *Bindings
	// ErrEst is the worst comparison's estimate of the finite
	// difference's own relative error (Ridders' extrapolation): rounding
	// and truncation where f is of high degree or large magnitude.
	ErrEst float64
	// Comparisons is the number of (instance, direction) comparisons.
	Comparisons int
}

// OK reports whether every comparison is within tol (DefaultTol when
// tol ≤ 0) or within estimateFactor times its own error estimate, when
// that is larger: a right answer passes however large its degree, and a
// wrong one — off by far more than the differences' error — fails.
func (r *Report) OK(tol float64) bool {
	if tol <= 0 {
		tol = DefaultTol
	}
	return r.RelErr <= math.Max(tol, estimateFactor*r.ErrEst)
}

// String summarises the report: "max relative error 3.1e-11 over 6
// comparisons".
func (r *Report) String() string {
	return fmt.Sprintf("max relative error %.2g over %d comparisons", r.RelErr, r.Comparisons)
}

// Describe renders the worst comparison's point for a message: the
// dimensions and values of the symbols, one per line, as matcalc input.
func (r *Report) Describe() string {
	if r.Point == nil {
		return ""
	}
	var b strings.Builder
	for _, k := range sortedKeys(r.Point.Dims) {
		fmt.Fprintf(&b, "%s = %d\n", k, r.Point.Dims[k])
	}
	for _, k := range sortedKeys(r.Point.Values) {
		fmt.Fprintf(&b, "%s = %s\n", k, r.Point.Values[k].Text(6))
	}
	return b.String()
}

// CheckGradient checks that grad (an expression of x's shape) is the
// gradient of the scalar f with respect to x, in the convention
// df = ⟨grad, dx⟩ = tr(gradᵀ dx): along random directions V it compares
// the central difference of f at x + tV with ⟨grad, V⟩. Other symbols
// are held at their random values. For a symmetric x the directions are
// symmetric, so grad and its symmetric part sym(grad) both pass.
func CheckGradient(f expr.Node, x *expr.Symbol, grad expr.Node, opts *Options) (*Report, error) {
	if err := needScalar("gradient", f); err != nil {
		return nil, err
	}
	if x == nil || grad == nil {
		return nil, errors.New("gradient check of a nil variable or gradient")
	}
	if grad.Shape() != x.Shape() {
		return nil, fmt.Errorf("gradient %s is %s but %s is %s: %w", grad, grad.Shape(), x.Name(), x.Shape(), linalg.ErrShape)
	}
	return checkFirst(f, []*expr.Symbol{x}, onDirection(grad, x, linalg.Dot), []expr.Node{f, grad}, opts)
}

// CheckDifferential checks that df is the differential of f (any shape)
// with respect to the variables vars: df's leaves dX (expr.D) for each
// variable X stand for the direction X moves in. All variables move at
// once along random directions; the central difference of f is compared
// with df evaluated with dX = V. Symbols not in vars are held constant;
// a dX of a symbol not in vars is an error (ErrUnbound).
func CheckDifferential(f, df expr.Node, vars []*expr.Symbol, opts *Options) (*Report, error) {
	return checkDifferentialOf("differential", checkFirst, f, df, vars, opts)
}

// checker is checkFirst or checkSecond: it compares finite differences
// of f in the variables vars with sym at random points.
type checker func(f expr.Node, vars []*expr.Symbol, sym func(*Bindings) (*linalg.Matrix, error), nodes []expr.Node, opts *Options) (*Report, error)

// checkDifferentialOf validates f and its first or second differential
// d (what names it in errors) and checks d with check.
func checkDifferentialOf(what string, check checker, f, d expr.Node, vars []*expr.Symbol, opts *Options) (*Report, error) {
	if f == nil || d == nil {
		return nil, fmt.Errorf("%s check of a nil expression", what)
	}
	if f.Shape() != d.Shape() {
		return nil, fmt.Errorf("%s %s is %s but %s is %s: %w", what, d, d.Shape(), f, f.Shape(), linalg.ErrShape)
	}
	if len(vars) == 0 {
		return nil, fmt.Errorf("%s check with no variables", what)
	}
	sym := func(b *Bindings) (*linalg.Matrix, error) { return Eval(d, b) }
	return check(f, vars, sym, []expr.Node{f, d}, opts)
}

// CheckJacobian checks that jac (m×n) is the Jacobian of the vector
// function F (m×1) of the vector x (n×1) in numerator layout, dF = jac·dx.
// (For the denominator layout pass the transpose.)
func CheckJacobian(F expr.Node, x *expr.Symbol, jac expr.Node, opts *Options) (*Report, error) {
	if F == nil || x == nil || jac == nil {
		return nil, errors.New("the Jacobian check of a nil expression")
	}
	want := expr.MatrixShape(F.Shape().Rows, x.Shape().Rows)
	if F.Shape().Cols != expr.Int(1) || x.Shape().Cols != expr.Int(1) {
		return nil, fmt.Errorf("the Jacobian of %s (%s) by %s (%s): both must be column vectors: %w", F, F.Shape(), x.Name(), x.Shape(), linalg.ErrShape)
	}
	if jac.Shape() != want {
		return nil, fmt.Errorf("the Jacobian %s is %s, want %s: %w", jac, jac.Shape(), want, linalg.ErrShape)
	}
	return checkFirst(F, []*expr.Symbol{x}, onDirection(jac, x, linalg.Mul), []expr.Node{F, jac}, opts)
}

// onDirection returns the claimed first-order change: d evaluated at the
// random point, combined by op with the random direction of x (⟨grad, V⟩
// with linalg.Dot, J·V with linalg.Mul).
func onDirection(d expr.Node, x *expr.Symbol, op func(a, b *linalg.Matrix) (*linalg.Matrix, error)) func(*Bindings) (*linalg.Matrix, error) {
	return func(b *Bindings) (*linalg.Matrix, error) {
		v, err := Eval(d, b)
		if err != nil {
			return nil, err
		}
		return op(v, b.Diffs[DiffKey{x.Name(), 0}])
	}
}

// CheckHessian checks that hess (n×n) is the Hessian of the scalar f of
// the vector x (n×1): along random directions u, v it compares the mixed
// central second difference of f with uᵀ·hess·v.
func CheckHessian(f expr.Node, x *expr.Symbol, hess expr.Node, opts *Options) (*Report, error) {
	if err := needScalar("Hessian", f); err != nil {
		return nil, err
	}
	if x == nil || hess == nil {
		return nil, errors.New("the Hessian check of a nil variable or Hessian")
	}
	n := x.Shape().Rows
	if x.Shape().Cols != expr.Int(1) || hess.Shape() != expr.MatrixShape(n, n) {
		return nil, fmt.Errorf("the Hessian %s is %s for %s (%s): want %s×%s: %w", hess, hess.Shape(), x.Name(), x.Shape(), n, n, linalg.ErrShape)
	}
	sym := func(b *Bindings) (*linalg.Matrix, error) {
		h, err := Eval(hess, b)
		if err != nil {
			return nil, err
		}
		hv, err := linalg.Mul(h, b.Diffs[DiffKey{x.Name(), 2}])
		if err != nil {
			return nil, err
		}
		return linalg.Dot(b.Diffs[DiffKey{x.Name(), 1}], hv)
	}
	return checkSecond(f, []*expr.Symbol{x}, sym, []expr.Node{f, hess}, opts)
}

// CheckSecondDifferential checks that d2f, a bilinear form in the
// directions dX₁ and dX₂ (expr.DN(X, 1) and expr.DN(X, 2)) of each
// variable X, is the second differential of f: it compares the mixed
// central second difference of f along (V₁, V₂) with d2f evaluated with
// dX₁ = V₁, dX₂ = V₂. f may have any shape.
func CheckSecondDifferential(f, d2f expr.Node, vars []*expr.Symbol, opts *Options) (*Report, error) {
	return checkDifferentialOf("second differential", checkSecond, f, d2f, vars, opts)
}

func needScalar(what string, f expr.Node) error {
	if f == nil {
		return fmt.Errorf("%s check of a nil expression", what)
	}
	if !f.Shape().IsScalar() {
		return fmt.Errorf("%s of %s, which is %s, not a scalar: %w", what, f, f.Shape(), linalg.ErrShape)
	}
	return nil
}

// retryable reports whether err means "this random point is outside the
// domain": another point may do.
func retryable(err error) bool {
	return errors.Is(err, linalg.ErrDomain) || errors.Is(err, linalg.ErrSingular) ||
		errors.Is(err, linalg.ErrNotPositiveDefinite) || errors.Is(err, linalg.ErrNotNumber) ||
		errors.Is(err, errNotFinite) || errors.Is(err, errInconclusive)
}

var errNotFinite = errors.New("value is not finite")

// comparison is one directional comparison at the point b.
type comparison func(b *Bindings) (*estimate, error)

// maxRelEstimate is the largest relative error estimate a comparison may
// have and still decide anything: past it (a kink of abs, a pole next to
// the point, cancellation beyond double precision) the point is set aside
// and another drawn, so that a vague estimate can never pass a wrong
// answer.
const maxRelEstimate = 1e-4

// estimateFactor is how many times its own error estimate a comparison
// may be off and still pass: the estimate is an order of magnitude, not a
// bound.
const estimateFactor = 10

// errInconclusive marks a point where the finite differences cannot
// resolve the derivative (another point may).
var errInconclusive = errors.New("finite differences inconclusive here")

// run draws instances and directions and runs one comparison for each,
// keeping the worst: the one furthest past what it is allowed (the
// tolerance, or its error estimate when that is larger).
func run(nodes []expr.Node, vars []*expr.Symbol, order int, opts *Options, cmp comparison) (*Report, error) {
	s := newSampler(opts)
	rep := &Report{}
	done, attempts := 0, 0
	var lastErr error
	worst := -1.0
	for done < s.opts.Trials {
		if attempts >= maxAttempts {
			return nil, fmt.Errorf("no random point out of %d where the expressions are defined and the differences resolve: %w", attempts, lastErr)
		}
		attempts++
		// The variables are drawn even where f does not hold them: the
		// derivative is then measured as 0 (not refused).
		all := append(append([]expr.Node(nil), nodes...), symbolNodes(vars)...)
		b, err := s.instance(all)
		if err != nil {
			return nil, err
		}
		ok := true
		for d := 0; d < s.opts.Directions && ok; d++ {
			pt := b.Clone()
			for _, v := range vars {
				val, have := pt.Values[v.Name()]
				if !have {
					return nil, fmt.Errorf("variable %s does not occur: %w", v.Name(), ErrUnbound)
				}
				for k := 1; k <= order; k++ {
					idx := k
					if order == 1 {
						idx = 0
					}
					dir, err := s.direction(val, v.Props())
					if err != nil {
						return nil, err
					}
					pt.Diffs[DiffKey{v.Name(), idx}] = dir
				}
			}
			e, err := cmp(pt)
			if err == nil {
				var rel, est float64
				if rel, est, err = relErr(e); err != nil {
					return nil, err
				}
				if est > maxRelEstimate || math.IsNaN(est) {
					err = fmt.Errorf("relative error estimate %.2g: %w", est, errInconclusive)
				} else {
					rep.Comparisons++
					score := rel / math.Max(DefaultTol, estimateFactor*est)
					if rep.Point == nil || score > worst || math.IsNaN(rel) {
						worst = score
						rep.RelErr, rep.ErrEst, rep.Numeric, rep.Symbolic, rep.Point = rel, est, e.num, e.sym, pt
					}
				}
			}
			if err != nil {
				if retryable(err) {
					lastErr = err
					ok = false
					break
				}
				return nil, err
			}
		}
		if ok {
			done++
		}
	}
	return rep, nil
}

func symbolNodes(vars []*expr.Symbol) []expr.Node {
	out := make([]expr.Node, len(vars))
	for i, v := range vars {
		out[i] = v
	}
	return out
}

// relErr returns the relative error of the comparison and the relative
// estimate of the finite difference's own error, both relative to
// max(‖numeric‖, ‖symbolic‖, 1e-5·(1 + ‖f‖)).
func relErr(e *estimate) (rel, est float64, err error) {
	diff, err := linalg.Sub(e.num, e.sym)
	if err != nil {
		return 0, 0, fmt.Errorf("compare the finite difference %s with %s: %w", e.num, e.sym, err)
	}
	d := frob(diff)
	den := math.Max(math.Max(frob(e.num), frob(e.sym)), 1e-5*(1+e.fnorm))
	return d / den, e.err / den, nil
}

func frob(m *linalg.Matrix) float64 {
	n, err := linalg.Norm(m.ToFloat())
	if err != nil {
		return math.NaN()
	}
	return n.Value()
}

// stepFor returns the finite-difference step for the variables of b:
// 1e-3 times the largest entry (at least 1).
func stepFor(b *Bindings, vars []*expr.Symbol) float64 {
	scale := 1.0
	for _, v := range vars {
		for _, x := range b.Values[v.Name()].Floats() {
			scale = math.Max(scale, math.Abs(x))
		}
	}
	return 1e-3 * scale
}

// shifted returns f evaluated at the variables moved by Σₖ tₖ·dirₖ.
func shifted(f expr.Node, b *Bindings, vars []*expr.Symbol, idx []int, t []float64) (*linalg.Matrix, error) {
	pt := &Bindings{Values: make(map[string]*linalg.Matrix, len(b.Values)), Dims: b.Dims, Diffs: b.Diffs}
	for k, v := range b.Values {
		pt.Values[k] = v
	}
	for _, v := range vars {
		x := b.Values[v.Name()]
		for i, k := range idx {
			step, err := linalg.Mul(linalg.Float(t[i]), b.Diffs[DiffKey{v.Name(), k}])
			if err != nil {
				return nil, err
			}
			if x, err = linalg.Add(x, step); err != nil {
				return nil, err
			}
		}
		pt.Values[v.Name()] = x
	}
	val, err := Eval(f, pt)
	if err != nil {
		return nil, err
	}
	for _, x := range val.Floats() {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%s at a shifted point: %w", f, errNotFinite)
		}
	}
	return val, nil
}

// combine returns Σ cᵢ·mᵢ as a float matrix.
func combine(c []float64, m []*linalg.Matrix) (*linalg.Matrix, error) {
	var acc *linalg.Matrix
	for i := range c {
		t, err := linalg.Mul(linalg.Float(c[i]), m[i].ToFloat())
		if err != nil {
			return nil, err
		}
		if acc == nil {
			acc = t
		} else if acc, err = linalg.Add(acc, t); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

// checkFirst compares the extrapolated central difference of f along the
// directions dX (index 0) with sym (see ridders).
func checkFirst(f expr.Node, vars []*expr.Symbol, sym func(*Bindings) (*linalg.Matrix, error), nodes []expr.Node, opts *Options) (*Report, error) {
	return run(nodes, vars, 1, opts, func(b *Bindings) (*estimate, error) {
		f0, err := Eval(f, b)
		if err != nil {
			return nil, err
		}
		diff := func(h float64) (*linalg.Matrix, error) {
			// D(h) = (f(x + hV) − f(x − hV)) / 2h
			var vals []*linalg.Matrix
			for _, t := range []float64{h, -h} {
				v, err := shifted(f, b, vars, []int{0}, []float64{t})
				if err != nil {
					return nil, err
				}
				vals = append(vals, v)
			}
			return combine([]float64{1 / (2 * h), -1 / (2 * h)}, vals)
		}
		return measure(b, f0, diff, 20*stepFor(b, vars), sym)
	})
}

// checkSecond compares the extrapolated mixed central second difference
// of f along dX₁ and dX₂ with sym (see ridders).
func checkSecond(f expr.Node, vars []*expr.Symbol, sym func(*Bindings) (*linalg.Matrix, error), nodes []expr.Node, opts *Options) (*Report, error) {
	return run(nodes, vars, 2, opts, func(b *Bindings) (*estimate, error) {
		f0, err := Eval(f, b)
		if err != nil {
			return nil, err
		}
		diff := func(h float64) (*linalg.Matrix, error) {
			// D(h) = (f(++) − f(+−) − f(−+) + f(−−)) / 4h²
			var vals []*linalg.Matrix
			for _, st := range [][2]float64{{h, h}, {h, -h}, {-h, h}, {-h, -h}} {
				v, err := shifted(f, b, vars, []int{1, 2}, st[:])
				if err != nil {
					return nil, err
				}
				vals = append(vals, v)
			}
			c := 1 / (4 * h * h)
			return combine([]float64{c, -c, -c, c}, vals)
		}
		return measure(b, f0, diff, 50*stepFor(b, vars), sym)
	})
}

// estimate is one comparison: the extrapolated finite difference with the
// estimate of its absolute error, the symbolic value, and the scale of f.
type estimate struct {
	num, sym *linalg.Matrix
	err      float64
	fnorm    float64
}

// measure runs ridders on diff from the step h0 and evaluates sym.
func measure(b *Bindings, f0 *linalg.Matrix, diff func(h float64) (*linalg.Matrix, error), h0 float64, sym func(*Bindings) (*linalg.Matrix, error)) (*estimate, error) {
	// Two tableaux from steps a factor riddersRestart apart: each has its
	// own estimate, and their disagreement is a second one, so that a
	// tableau that stopped early (a polynomial of degree 32 has a long
	// pre-asymptotic range) cannot make a wrong estimate look tight.
	num, errEst, err := ridders(diff, h0)
	if err != nil {
		return nil, err
	}
	num2, errEst2, err := ridders(diff, h0/riddersRestart)
	if err != nil {
		return nil, err
	}
	apart := frobDiff(num, num2)
	if errEst2 < errEst {
		num, errEst = num2, errEst2
	}
	errEst = math.Max(errEst, apart)
	s, err := sym(b)
	if err != nil {
		return nil, err
	}
	return &estimate{num: num, sym: s, err: errEst, fnorm: frob(f0)}, nil
}

// Ridders' extrapolation: the steps shrink by riddersCon, at most
// riddersLevels of them; the tableau stops when its error grows by
// riddersSafe past the best seen.
const (
	riddersCon    = 1.4
	riddersLevels = 10
	riddersSafe   = 2.0
	// riddersRestart is the ratio of the first steps of the two tableaux.
	riddersRestart = 7.0
)

// ridders extrapolates D(h) → D(0) for a finite difference D that is even
// in h (D(h) = D(0) + c₂h² + c₄h⁴ + …), by Ridders' method (Numerical
// Recipes §5.7): a Neville tableau over the steps h0, h0/1.4, h0/1.4², …
// whose entries of successive orders give the error estimate. It returns
// the best extrapolation and the estimate of its absolute error (in the
// Frobenius norm); the estimate reflects truncation and rounding alike,
// so a right answer of high degree or large magnitude is measured against
// what the differences can resolve there. A step where f is undefined
// (outside a domain) is skipped for a smaller one.
func ridders(diff func(h float64) (*linalg.Matrix, error), h0 float64) (*linalg.Matrix, float64, error) {
	const con2 = riddersCon * riddersCon
	var best *linalg.Matrix
	bestErr := math.Inf(1)
	var prev []*linalg.Matrix
	h := h0
	var lastErr error
	for i := 0; i < riddersLevels+6; i++ {
		d, err := diff(h)
		if err != nil {
			if !retryable(err) {
				return nil, 0, err
			}
			// outside the domain at this step: start again smaller
			lastErr = err
			prev, h = nil, h/riddersCon
			continue
		}
		row := []*linalg.Matrix{d.ToFloat()}
		fac := con2
		for j := 1; j <= len(prev); j++ {
			// row[j] = (fac·row[j−1] − prev[j−1]) / (fac − 1)
			r, err := combine([]float64{fac / (fac - 1), -1 / (fac - 1)}, []*linalg.Matrix{row[j-1], prev[j-1]})
			if err != nil {
				return nil, 0, err
			}
			fac *= con2
			e1, e2 := frobDiff(r, row[j-1]), frobDiff(r, prev[j-1])
			if e := math.Max(e1, e2); e <= bestErr {
				best, bestErr = r, e
			}
			row = append(row, r)
		}
		if len(prev) > 0 && frobDiff(row[len(row)-1], prev[len(prev)-1]) >= riddersSafe*bestErr {
			break
		}
		if len(row) >= riddersLevels {
			break
		}
		prev, h = row, h/riddersCon
	}
	if best == nil {
		if lastErr != nil {
			return nil, 0, lastErr
		}
		return nil, 0, fmt.Errorf("finite differences did not converge: %w", errInconclusive)
	}
	return best, bestErr, nil
}

// frobDiff is ‖a − b‖ in the Frobenius norm (NaN on a shape mismatch).
func frobDiff(a, b *linalg.Matrix) float64 {
	d, err := linalg.Sub(a, b)
	if err != nil {
		return math.NaN()
	}
	return frob(d)
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
