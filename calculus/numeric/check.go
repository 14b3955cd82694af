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
	// Comparisons is the number of (instance, direction) comparisons.
	Comparisons int
}

// OK reports whether RelErr is at most tol (DefaultTol when tol ≤ 0).
func (r *Report) OK(tol float64) bool {
	if tol <= 0 {
		tol = DefaultTol
	}
	return r.RelErr <= tol
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
		return nil, errors.New("numeric: gradient check of a nil variable or gradient")
	}
	if grad.Shape() != x.Shape() {
		return nil, fmt.Errorf("numeric: gradient %s is %s but %s is %s: %w", grad, grad.Shape(), x.Name(), x.Shape(), linalg.ErrShape)
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
		return nil, fmt.Errorf("numeric: %s check of a nil expression", what)
	}
	if f.Shape() != d.Shape() {
		return nil, fmt.Errorf("numeric: %s %s is %s but %s is %s: %w", what, d, d.Shape(), f, f.Shape(), linalg.ErrShape)
	}
	if len(vars) == 0 {
		return nil, fmt.Errorf("numeric: %s check with no variables", what)
	}
	sym := func(b *Bindings) (*linalg.Matrix, error) { return Eval(d, b) }
	return check(f, vars, sym, []expr.Node{f, d}, opts)
}

// CheckJacobian checks that jac (m×n) is the Jacobian of the vector
// function F (m×1) of the vector x (n×1) in numerator layout, dF = jac·dx.
// (For the denominator layout pass the transpose.)
func CheckJacobian(F expr.Node, x *expr.Symbol, jac expr.Node, opts *Options) (*Report, error) {
	if F == nil || x == nil || jac == nil {
		return nil, errors.New("numeric: Jacobian check of a nil expression")
	}
	want := expr.MatrixShape(F.Shape().Rows, x.Shape().Rows)
	if F.Shape().Cols != expr.Int(1) || x.Shape().Cols != expr.Int(1) {
		return nil, fmt.Errorf("numeric: Jacobian of %s (%s) by %s (%s): both must be column vectors: %w", F, F.Shape(), x.Name(), x.Shape(), linalg.ErrShape)
	}
	if jac.Shape() != want {
		return nil, fmt.Errorf("numeric: Jacobian %s is %s, want %s: %w", jac, jac.Shape(), want, linalg.ErrShape)
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
		return nil, errors.New("numeric: Hessian check of a nil variable or Hessian")
	}
	n := x.Shape().Rows
	if x.Shape().Cols != expr.Int(1) || hess.Shape() != expr.MatrixShape(n, n) {
		return nil, fmt.Errorf("numeric: Hessian %s is %s for %s (%s): want %s×%s: %w", hess, hess.Shape(), x.Name(), x.Shape(), n, n, linalg.ErrShape)
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
		return fmt.Errorf("numeric: %s check of a nil expression", what)
	}
	if !f.Shape().IsScalar() {
		return fmt.Errorf("numeric: %s of %s, which is %s, not a scalar: %w", what, f, f.Shape(), linalg.ErrShape)
	}
	return nil
}

// retryable reports whether err means "this random point is outside the
// domain": another point may do.
func retryable(err error) bool {
	return errors.Is(err, linalg.ErrDomain) || errors.Is(err, linalg.ErrSingular) ||
		errors.Is(err, linalg.ErrNotPositiveDefinite) || errors.Is(err, linalg.ErrNotNumber) ||
		errors.Is(err, errNotFinite)
}

var errNotFinite = errors.New("value is not finite")

// comparison is one directional comparison: the symbolic value, the
// finite difference and the scale of f there.
type comparison func(b *Bindings) (num, sym *linalg.Matrix, fnorm float64, err error)

// run draws instances and directions and runs one comparison for each,
// keeping the worst.
func run(nodes []expr.Node, vars []*expr.Symbol, order int, opts *Options, cmp comparison) (*Report, error) {
	s := newSampler(opts)
	rep := &Report{}
	done, attempts := 0, 0
	var lastErr error
	for done < s.opts.Trials {
		if attempts >= maxAttempts {
			return nil, fmt.Errorf("numeric: no random point out of %d where the expressions are defined: %w", attempts, lastErr)
		}
		attempts++
		b, err := s.instance(nodes)
		if err != nil {
			return nil, err
		}
		ok := true
		for d := 0; d < s.opts.Directions && ok; d++ {
			pt := b.Clone()
			for _, v := range vars {
				val, have := pt.Values[v.Name()]
				if !have {
					return nil, fmt.Errorf("numeric: variable %s does not occur: %w", v.Name(), ErrUnbound)
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
			num, sym, fnorm, err := cmp(pt)
			if err != nil {
				if retryable(err) {
					lastErr = err
					ok = false
					break
				}
				return nil, err
			}
			rel, err := relErr(num, sym, fnorm)
			if err != nil {
				return nil, err
			}
			rep.Comparisons++
			if rep.Point == nil || rel > rep.RelErr || math.IsNaN(rel) {
				rep.RelErr, rep.Numeric, rep.Symbolic, rep.Point = rel, num, sym, pt
			}
		}
		if ok {
			done++
		}
	}
	return rep, nil
}

func relErr(num, sym *linalg.Matrix, fnorm float64) (float64, error) {
	diff, err := linalg.Sub(num, sym)
	if err != nil {
		return 0, fmt.Errorf("numeric: compare the finite difference %s with %s: %w", num, sym, err)
	}
	d := frob(diff)
	den := math.Max(math.Max(frob(num), frob(sym)), 1e-5*(1+fnorm))
	return d / den, nil
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
			return nil, fmt.Errorf("numeric: %s at a shifted point: %w", f, errNotFinite)
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

// checkFirst compares a Richardson-extrapolated central difference of f
// along the directions dX (index 0) with sym.
func checkFirst(f expr.Node, vars []*expr.Symbol, sym func(*Bindings) (*linalg.Matrix, error), nodes []expr.Node, opts *Options) (*Report, error) {
	return run(nodes, vars, 1, opts, func(b *Bindings) (*linalg.Matrix, *linalg.Matrix, float64, error) {
		f0, err := Eval(f, b)
		if err != nil {
			return nil, nil, 0, err
		}
		h := stepFor(b, vars)
		var vals []*linalg.Matrix
		for _, t := range []float64{h, -h, h / 2, -h / 2} {
			v, err := shifted(f, b, vars, []int{0}, []float64{t})
			if err != nil {
				return nil, nil, 0, err
			}
			vals = append(vals, v)
		}
		// D(h) = (f(h) − f(−h))/2h; Richardson: (4·D(h/2) − D(h))/3.
		num, err := combine([]float64{-1 / (6 * h), 1 / (6 * h), 4 / (3 * h), -4 / (3 * h)}, vals)
		if err != nil {
			return nil, nil, 0, err
		}
		s, err := sym(b)
		if err != nil {
			return nil, nil, 0, err
		}
		return num, s, frob(f0), nil
	})
}

// checkSecond compares a Richardson-extrapolated mixed central second
// difference of f along dX₁ and dX₂ with sym.
func checkSecond(f expr.Node, vars []*expr.Symbol, sym func(*Bindings) (*linalg.Matrix, error), nodes []expr.Node, opts *Options) (*Report, error) {
	return run(nodes, vars, 2, opts, func(b *Bindings) (*linalg.Matrix, *linalg.Matrix, float64, error) {
		f0, err := Eval(f, b)
		if err != nil {
			return nil, nil, 0, err
		}
		h := 10 * stepFor(b, vars)
		mixed := func(h float64) (*linalg.Matrix, error) {
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
		d1, err := mixed(h)
		if err != nil {
			return nil, nil, 0, err
		}
		d2, err := mixed(h / 2)
		if err != nil {
			return nil, nil, 0, err
		}
		num, err := combine([]float64{4.0 / 3, -1.0 / 3}, []*linalg.Matrix{d2, d1})
		if err != nil {
			return nil, nil, 0, err
		}
		s, err := sym(b)
		if err != nil {
			return nil, nil, 0, err
		}
		return num, s, frob(f0), nil
	})
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
