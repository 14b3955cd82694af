// Package numeric evaluates symbolic matrix expressions (package expr) on
// bound values (package linalg), draws random instances of declared
// symbols that honour their properties, and checks symbolic derivatives
// against central finite differences.
//
// Evaluation is exact where the inputs are exact: an expression over
// rational values gives a rational result unless an operation leaves the
// rationals (sqrt(2), exp(1)), where it continues in float64.
//
// The checks (CheckGradient, CheckDifferential, CheckJacobian,
// CheckHessian, CheckSecondDifferential) are what the derivation engine
// uses to prove every result: each draws seeded, reproducible random
// instances, perturbs the variables along random directions that respect
// their structure (a symmetric variable along symmetric directions, an
// orthogonal one along tangent directions), and compares a Richardson-
// extrapolated central difference with the symbolic answer. They return a
// Report whose RelErr is the largest relative error seen; Report.OK
// compares it with a tolerance (DefaultTol unless told).
package numeric

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
)

// ErrUnbound is returned (wrapped) when an expression refers to a symbol,
// differential or dimension that has no value.
var ErrUnbound = errors.New("no value")

// DiffKey names the value of a differential leaf: dX has Index 0, the two
// directions dX₁ and dX₂ of a second differential have Index 1 and 2.
type DiffKey struct {
	Name  string
	Index int
}

// Bindings are the values an expression is evaluated on. The maps are
// read, never modified, by this package.
type Bindings struct {
	// Values maps a symbol's name to its value.
	Values map[string]*linalg.Matrix
	// Dims maps a named dimension (n, m) to its size.
	Dims map[string]int
	// Diffs maps a differential leaf to its value (a direction).
	Diffs map[DiffKey]*linalg.Matrix
}

// Clone returns a copy of b whose maps can be changed without affecting
// b (the values themselves are immutable and shared).
func (b *Bindings) Clone() *Bindings {
	c := &Bindings{
		Values: make(map[string]*linalg.Matrix, len(b.Values)),
		Dims:   make(map[string]int, len(b.Dims)),
		Diffs:  make(map[DiffKey]*linalg.Matrix, len(b.Diffs)),
	}
	for k, v := range b.Values {
		c.Values[k] = v
	}
	for k, v := range b.Dims {
		c.Dims[k] = v
	}
	for k, v := range b.Diffs {
		c.Diffs[k] = v
	}
	return c
}

// Shape returns the numeric dimensions of s under b.
func (b *Bindings) Shape(s expr.Shape) (rows, cols int, err error) {
	lookup := func(name string) (int, bool) {
		v, ok := b.Dims[name]
		return v, ok
	}
	if rows, err = s.Rows.Eval(lookup); err != nil {
		return 0, 0, fmt.Errorf("%w: %w", err, ErrUnbound)
	}
	if cols, err = s.Cols.Eval(lookup); err != nil {
		return 0, 0, fmt.Errorf("%w: %w", err, ErrUnbound)
	}
	return rows, cols, nil
}

// Eval evaluates n on b. See EvalContext.
func Eval(n expr.Node, b *Bindings) (*linalg.Matrix, error) {
	return EvalContext(context.Background(), n, b)
}

// EvalContext evaluates n on the values, differentials and dimensions of
// b and returns its value, exact where the inputs allow. A value whose
// shape does not match its symbol's declared shape (under b's
// dimensions) is an error, as is any error of linalg (a singular
// inverse, the log of a negative entry), wrapped with the subexpression
// that failed. Shared subexpressions are evaluated once. When ctx is
// cancelled the evaluation stops with ctx.Err(), wrapped.
func EvalContext(ctx context.Context, n expr.Node, b *Bindings) (*linalg.Matrix, error) {
	if n == nil {
		return nil, errors.New("evaluate a nil expression")
	}
	if b == nil {
		b = &Bindings{}
	}
	e := evaluator{ctx: ctx, b: b, memo: map[string]*linalg.Matrix{}}
	return e.eval(n)
}

type evaluator struct {
	ctx   context.Context
	b     *Bindings
	memo  map[string]*linalg.Matrix
	steps int
}

func (e *evaluator) eval(n expr.Node) (*linalg.Matrix, error) {
	key := n.Key()
	if v, ok := e.memo[key]; ok {
		return v, nil
	}
	e.steps++
	if e.steps%64 == 0 {
		if err := e.ctx.Err(); err != nil {
			return nil, fmt.Errorf("evaluation interrupted: %w", err)
		}
	}
	v, err := e.node(n)
	if err != nil {
		return nil, err
	}
	r, c, err := e.b.Shape(n.Shape())
	if err != nil {
		return nil, fmt.Errorf("shape of %s: %w", n, err)
	}
	if vr, vc := v.Dims(); vr != r || vc != c {
		return nil, fmt.Errorf("%s is %s = %d×%d but its value is %d×%d: %w", n, n.Shape(), r, c, vr, vc, linalg.ErrShape)
	}
	e.memo[key] = v
	return v, nil
}

// wrap adds the failing subexpression to a linalg error.
func wrap(n expr.Node, err error) error {
	return fmt.Errorf("evaluating %s: %w", n, err)
}

// node evaluates one node whose children are evaluated through e.eval.
//
// Long: a type switch over every node kind, each case a few lines.
func (e *evaluator) node(n expr.Node) (*linalg.Matrix, error) {
	switch n := n.(type) {
	case *expr.Symbol:
		v, ok := e.b.Values[n.Name()]
		if !ok {
			return nil, fmt.Errorf("symbol %s has %w", n.Name(), ErrUnbound)
		}
		return v, nil
	case *expr.Const:
		return linalg.Scalar(n.Value()), nil
	case *expr.Differential:
		k := DiffKey{n.Of().Name(), n.Index()}
		v, ok := e.b.Diffs[k]
		if !ok {
			return nil, fmt.Errorf("differential %s has %w", n, ErrUnbound)
		}
		return v, nil
	case *expr.Sum:
		var acc *linalg.Matrix
		for _, t := range n.Terms() {
			x, err := e.eval(t.X)
			if err != nil {
				return nil, err
			}
			if t.Coef.Cmp(big.NewRat(1, 1)) != 0 {
				if x, err = linalg.Mul(linalg.Scalar(t.Coef), x); err != nil {
					return nil, wrap(n, err)
				}
			}
			if acc == nil {
				acc = x
			} else if acc, err = linalg.Add(acc, x); err != nil {
				return nil, wrap(n, err)
			}
		}
		if acc == nil {
			return e.zeros(n)
		}
		return acc, nil
	case *expr.Product:
		acc, err := e.fold(n, n.Factors(), linalg.Mul)
		if err == nil && acc == nil {
			return linalg.Int(1), nil
		}
		return acc, err
	case *expr.Transpose:
		x, err := e.eval(n.X())
		if err != nil {
			return nil, err
		}
		return x.T(), nil
	case *expr.Inverse:
		return e.unary(n, n.X(), linalg.Inv)
	case *expr.PseudoInverse:
		return e.unary(n, n.X(), linalg.Pinv)
	case *expr.Trace:
		return e.unary(n, n.X(), linalg.Trace)
	case *expr.Determinant:
		return e.unary(n, n.X(), linalg.Det)
	case *expr.LogDeterminant:
		return e.unary(n, n.X(), linalg.LogDet)
	case *expr.Softmax:
		return e.unary(n, n.X(), linalg.Softmax)
	case *expr.LogSumExp:
		return e.unary(n, n.X(), linalg.LogSumExp)
	case *expr.Func:
		name := n.Name()
		return e.unary(n, n.X(), func(m *linalg.Matrix) (*linalg.Matrix, error) { return linalg.Elementwise(name, m) })
	case *expr.HadamardProduct:
		return e.fold(n, n.Factors(), linalg.Hadamard)
	case *expr.Power:
		p := linalg.Scalar(n.Exp())
		return e.unary(n, n.X(), func(m *linalg.Matrix) (*linalg.Matrix, error) { return linalg.HadamardPow(m, p) })
	case *expr.MatPow:
		k := n.K()
		return e.unary(n, n.X(), func(m *linalg.Matrix) (*linalg.Matrix, error) { return linalg.Pow(m, k) })
	case *expr.EntrySum:
		return e.unary(n, n.X(), func(m *linalg.Matrix) (*linalg.Matrix, error) { return linalg.Sum(m), nil })
	case *expr.DiagMatrix:
		return e.unary(n, n.X(), linalg.Diag)
	case *expr.DiagPart:
		return e.unary(n, n.X(), linalg.Diag)
	case *expr.Vectorize:
		return e.unary(n, n.X(), func(m *linalg.Matrix) (*linalg.Matrix, error) { return linalg.Vec(m), nil })
	case *expr.KronProduct:
		a, err := e.eval(n.A())
		if err != nil {
			return nil, err
		}
		b, err := e.eval(n.B())
		if err != nil {
			return nil, err
		}
		v, err := linalg.Kron(a, b)
		if err != nil {
			return nil, wrap(n, err)
		}
		return v, nil
	case *expr.Commutation:
		r, c, err := e.b.Shape(expr.MatrixShape(n.M(), n.N()))
		if err != nil {
			return nil, wrap(n, err)
		}
		v, err := linalg.Commutation(r, c)
		if err != nil {
			return nil, wrap(n, err)
		}
		return v, nil
	case *expr.Identity:
		r, _, err := e.b.Shape(n.Shape())
		if err != nil {
			return nil, wrap(n, err)
		}
		v, err := linalg.Eye(r)
		if err != nil {
			return nil, wrap(n, err)
		}
		return v, nil
	case *expr.Zeros:
		return e.zeros(n)
	case *expr.Ones:
		r, c, err := e.b.Shape(n.Shape())
		if err != nil {
			return nil, wrap(n, err)
		}
		v, err := linalg.Ones(r, c)
		if err != nil {
			return nil, wrap(n, err)
		}
		return v, nil
	case *expr.Literal:
		return e.literal(n)
	}
	return nil, fmt.Errorf("cannot evaluate a %s node (%s)", n.Kind(), n)
}

func (e *evaluator) unary(n, x expr.Node, f func(*linalg.Matrix) (*linalg.Matrix, error)) (*linalg.Matrix, error) {
	v, err := e.eval(x)
	if err != nil {
		return nil, err
	}
	out, err := f(v)
	if err != nil {
		return nil, wrap(n, err)
	}
	return out, nil
}

// fold evaluates the factors of n and combines them left to right with
// op (a product); it returns nil for no factors.
func (e *evaluator) fold(n expr.Node, factors []expr.Node, op func(a, b *linalg.Matrix) (*linalg.Matrix, error)) (*linalg.Matrix, error) {
	var acc *linalg.Matrix
	for _, f := range factors {
		x, err := e.eval(f)
		if err != nil {
			return nil, err
		}
		if acc == nil {
			acc = x
		} else if acc, err = op(acc, x); err != nil {
			return nil, wrap(n, err)
		}
	}
	return acc, nil
}

func (e *evaluator) zeros(n expr.Node) (*linalg.Matrix, error) {
	r, c, err := e.b.Shape(n.Shape())
	if err != nil {
		return nil, wrap(n, err)
	}
	v, err := linalg.Zeros(r, c)
	if err != nil {
		return nil, wrap(n, err)
	}
	return v, nil
}

func (e *evaluator) literal(n *expr.Literal) (*linalg.Matrix, error) {
	rows := n.Rows()
	r := len(rows)
	if r == 0 {
		return nil, fmt.Errorf("empty literal %s: %w", n, linalg.ErrShape)
	}
	c := len(rows[0])
	vals := make([]*linalg.Matrix, 0, r*c)
	exact := true
	for _, row := range rows {
		if len(row) != c {
			return nil, fmt.Errorf("ragged literal %s: %w", n, linalg.ErrShape)
		}
		for _, x := range row {
			v, err := e.eval(x)
			if err != nil {
				return nil, err
			}
			if !v.IsScalar() {
				return nil, fmt.Errorf("literal %s has a %d×%d entry %s: %w", n, rowsOf(v), colsOf(v), x, linalg.ErrShape)
			}
			exact = exact && v.IsExact()
			vals = append(vals, v)
		}
	}
	if exact {
		q := make([]*big.Rat, len(vals))
		for i, v := range vals {
			q[i], _ = v.RatValue()
		}
		m, err := linalg.NewRat(r, c, q)
		if err != nil {
			return nil, wrap(n, err)
		}
		return m, nil
	}
	f := make([]float64, len(vals))
	for i, v := range vals {
		f[i] = v.Value()
	}
	m, err := linalg.New(r, c, f)
	if err != nil {
		return nil, wrap(n, err)
	}
	return m, nil
}

func rowsOf(m *linalg.Matrix) int { r, _ := m.Dims(); return r }
func colsOf(m *linalg.Matrix) int { _, c := m.Dims(); return c }
