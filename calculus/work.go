package calculus

import (
	"fmt"
	"math/big"
	"math/bits"

	"github.com/matcalc/matcalc/calculus/diff"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/syntax"
)

// Work on values is bounded twice. Each operation checks its budget
// (maxWork operations, linalg.MaxElements entries) just before it runs;
// and before any of an expression is computed, preflight reads the sizes
// of its operands from what is already known (the values of symbols, the
// arguments of rand, zeros, ones, eye and K) and refuses the first
// operation that the evaluation would refuse, with the same message, so
// that rand(2000, 2000)*rand(2000, 2000) is refused at once instead of
// after drawing both operands. A named expression evaluated on values
// (f = A*A*A, then A = rand(2000, 2000), then f) is checked the same way
// on its tree (nodeWork).

// maxWork bounds the floating-point operations of one matrix operation on
// values (about a second of work), so that a cell cannot occupy the
// kernel for minutes between two checks of its context.
const maxWork = 1 << 31

// budget refuses an operation estimated to need more than maxWork
// operations.
func (c *cell) budget(n syntax.Node, what string, work float64) error {
	if work > maxWork {
		return c.errorf(ValueError, n, "%s would take about %.1e operations; the limit is %.1e", what, work, float64(maxWork))
	}
	return nil
}

// cube is n³ as a float, for work estimates.
func cube(n int) float64 { f := float64(n); return f * f * f }

// powerWork is the cost of X^k for an n×n X as linalg.Pow computes it,
// by repeated squaring: one product per bit of |k| after the first and
// one per set bit, and an inverse (2n³) when k is negative.
func powerWork(n, k int) float64 {
	u := uint64(k)
	if k < 0 {
		u = uint64(-k)
	}
	products := max(0, bits.Len64(u)-1+bits.OnesCount64(u))
	work := float64(products) * cube(n)
	if k < 0 {
		work += 2 * cube(n)
	}
	return work
}

// workFactor is the rough cost of an n×n operation in units of n³, or 0
// for an operation that is cheap.
func workFactor(name string) float64 {
	switch name {
	case "det", "logdet", "chol", "solve":
		return 1
	case "inv":
		return 2
	case "rank":
		return 4 // singular values without the vectors
	case "pinv", "svd":
		return 10
	case "eig":
		return 15
	case "expm":
		return 20
	}
	return 0
}

// sizeLimit refuses an m×n matrix over linalg.MaxElements entries.
func (c *cell) sizeLimit(call *syntax.Call, m, n int) error {
	if m > linalg.MaxElements || n > linalg.MaxElements || m*n > linalg.MaxElements {
		return c.errorf(ValueError, call, "%s would have %d×%d = %d entries; the limit is %d", c.text(call), m, n, new(big.Int).Mul(big.NewInt(int64(m)), big.NewInt(int64(n))), linalg.MaxElements)
	}
	return nil
}

// eyeLimit refuses eye(n) over linalg.MaxElements entries.
func (c *cell) eyeLimit(x *syntax.Call, n int) error {
	if n > linalg.MaxElements || n*n > linalg.MaxElements {
		return c.errorf(ValueError, x, "eye(%d) would have %d entries; the limit is %d", n, new(big.Int).Mul(big.NewInt(int64(n)), big.NewInt(int64(n))), linalg.MaxElements)
	}
	return nil
}

// commuteLimit refuses K(m, n) over linalg.MaxElements entries.
func (c *cell) commuteLimit(x *syntax.Call, m, n int) error {
	if float64(m)*float64(n)*float64(m)*float64(n) > linalg.MaxElements {
		return c.errorf(ValueError, x, "%s would have (%d·%d)² entries; the limit is %d", c.text(x), m, n, linalg.MaxElements)
	}
	return nil
}

// kronLimit refuses a Kronecker product over linalg.MaxElements entries.
func (c *cell) kronLimit(x *syntax.Call, ar, ac, br, bc int) error {
	if float64(ar)*float64(ac)*float64(br)*float64(bc) > linalg.MaxElements {
		return c.errorf(ValueError, x, "%s would have %d×%d entries; the limit is %d", c.text(x), ar*br, ac*bc, linalg.MaxElements)
	}
	return nil
}

// literalLimit refuses a matrix literal over linalg.MaxElements entries.
func (c *cell) literalLimit(x *syntax.Matrix, rows, cols int) error {
	if float64(rows)*float64(cols) > linalg.MaxElements {
		return c.errorf(ValueError, x, "the matrix would have %d entries; the limit is %d", rows*cols, linalg.MaxElements)
	}
	return nil
}

// nodeWork refuses to evaluate the expression n on the values when one
// of its operations would exceed the budget; at is where it is shown
// (the name of a named expression).
func (c *cell) nodeWork(at syntax.Node, n expr.Node) error {
	work, what := c.overBudget(n)
	return c.budget(at, what, work)
}

// overBudget returns the first operation of n, in the order package
// numeric evaluates them, whose work exceeds maxWork, or 0. Shared
// subexpressions count once, as numeric evaluates them once.
func (c *cell) overBudget(n expr.Node) (work float64, what string) {
	seen := map[string]bool{}
	var visit func(n expr.Node) (float64, string)
	visit = func(n expr.Node) (float64, string) {
		if seen[n.Key()] {
			return 0, ""
		}
		seen[n.Key()] = true
		for _, ch := range n.Children() {
			if w, what := visit(ch); w > maxWork {
				return w, what
			}
		}
		return opWork(n, c.env.lookupDim)
	}
	return visit(n)
}

// checkEvals is about how many times a numeric check evaluates f: six
// comparisons, each two Ridders tableaux of some eight levels, each level
// both sides of a central difference (package numeric); the answer is
// evaluated once per comparison.
const checkEvals = 6 * 2 * 8 * 2

// drawnDim is the largest dimension a numeric check draws (the default
// numeric.Options.MaxDim).
const drawnDim = 5

// maxCheckWork bounds the work of a numeric check: several seconds.
const maxCheckWork = 8 * maxWork

// checkWork estimates the operations of the numeric check of der at the
// sizes it will be checked at: the dimensions bound small enough to keep
// (sampleDims), the sizes of values it keeps, drawnDim for a dimension it
// draws.
func (c *cell) checkWork(der *diff.Derivation) float64 {
	dims := c.sampleDims()
	lookup := func(name string) (int, bool) {
		if v, ok := dims[name]; ok {
			return v, true
		}
		return drawnDim, true
	}
	total := func(n expr.Node) float64 {
		var sum float64
		seen := map[string]bool{}
		expr.Inspect(n, func(k expr.Node) bool {
			if seen[k.Key()] {
				return false
			}
			seen[k.Key()] = true
			w, _ := opWork(k, lookup)
			sum += w
			return true
		})
		return sum
	}
	return checkEvals*total(der.F) + 6*total(der.Result)
}

// opWork estimates the operations package numeric spends on the node n
// itself, its operands computed, with the dimensions lookup gives: the
// largest product of a chain multiplied from the left, an inverse, a
// matrix power, a determinant, a pseudo-inverse. A node whose sizes are
// not all known costs 0.
func opWork(n expr.Node, lookup func(string) (int, bool)) (float64, string) {
	dims := func(s expr.Shape) (int, int, bool) {
		r, err1 := s.Rows.Eval(lookup)
		k, err2 := s.Cols.Eval(lookup)
		return r, k, err1 == nil && err2 == nil
	}
	what := fmt.Sprintf("evaluating %s", shorten(n.String()))
	switch n.Kind() {
	case expr.KindProduct:
		var work float64
		ar, ac := 0, 0
		for i, f := range n.(*expr.Product).Factors() {
			fr, fc, ok := dims(f.Shape())
			if !ok {
				return 0, ""
			}
			switch {
			case i == 0:
				ar, ac = fr, fc
			case ar == 1 && ac == 1:
				ar, ac = fr, fc
			case fr == 1 && fc == 1:
			default:
				work = max(work, float64(ar)*float64(ac)*float64(fc))
				ac = fc
			}
		}
		return work, what
	case expr.KindMatPow:
		m := n.(*expr.MatPow)
		r, _, ok := dims(m.X().Shape())
		if !ok {
			return 0, ""
		}
		return powerWork(r, m.K()), what
	case expr.KindInverse, expr.KindDet, expr.KindLogDet, expr.KindPinv:
		r, k, ok := dims(n.Children()[0].Shape())
		if !ok {
			return 0, ""
		}
		f := map[expr.Kind]float64{expr.KindInverse: workFactor("inv"), expr.KindDet: workFactor("det"), expr.KindLogDet: workFactor("logdet"), expr.KindPinv: workFactor("pinv")}[n.Kind()]
		return f * float64(r) * float64(k) * float64(min(r, k)), what
	}
	return 0, ""
}

// shorten keeps a long expression's text readable in a message.
func shorten(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:37]) + "…"
	}
	return s
}
