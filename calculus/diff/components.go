package diff

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
)

// MaxComponents bounds the size n of components(f, x, n).
const MaxComponents = 6

// grid is a matrix of scalar expressions.
type grid [][]expr.Node

func (g grid) rows() int { return len(g) }
func (g grid) cols() int {
	if len(g) == 0 {
		return 0
	}
	return len(g[0])
}

// expander writes expressions entry by entry, every named dimension n.
type expander struct {
	n int
}

func (e *expander) dim(d expr.Dim) (int, error) {
	v, err := d.Eval(func(string) (int, bool) { return e.n, true })
	if err != nil {
		return 0, err
	}
	if v > MaxComponents*MaxComponents {
		return 0, fmt.Errorf("%s = %d is too large to write out", d, v)
	}
	return v, nil
}

func (e *expander) shape(s expr.Shape) (int, int, error) {
	r, err := e.dim(s.Rows)
	if err != nil {
		return 0, 0, err
	}
	c, err := e.dim(s.Cols)
	return r, c, err
}

// entrySymbol names entry (i, j) of the symbol s: x2 for a vector, A12 for
// a matrix (a symmetric matrix uses A12 for A21 too).
func entrySymbol(s *expr.Symbol, i, j, r, c int) expr.Node {
	switch {
	case r == 1 && c == 1:
		return s
	case c == 1:
		return expr.ScalarSymbol(s.Name() + strconv.Itoa(i+1))
	case r == 1:
		return expr.ScalarSymbol(s.Name() + strconv.Itoa(j+1))
	}
	if s.Props().Has(expr.Diagonal) && i != j {
		return expr.IntConst(0)
	}
	if s.Props().Has(expr.Symmetric) && i > j {
		i, j = j, i
	}
	return expr.ScalarSymbol(s.Name() + strconv.Itoa(i+1) + strconv.Itoa(j+1))
}

func newGrid(r, c int, f func(i, j int) (expr.Node, error)) (grid, error) {
	g := make(grid, r)
	for i := range g {
		g[i] = make([]expr.Node, c)
		for j := range g[i] {
			v, err := f(i, j)
			if err != nil {
				return nil, err
			}
			g[i][j] = v
		}
	}
	return g, nil
}

func (e *expander) matmul(a, b grid) (grid, error) {
	if a.cols() != b.rows() {
		return nil, fmt.Errorf("%d×%d times %d×%d", a.rows(), a.cols(), b.rows(), b.cols())
	}
	return newGrid(a.rows(), b.cols(), func(i, j int) (expr.Node, error) {
		terms := make([]expr.Node, a.cols())
		for k := range terms {
			p, err := expr.Mul(a[i][k], b[k][j])
			if err != nil {
				return nil, err
			}
			terms[k] = p
		}
		return expr.Add(terms...)
	})
}

func (e *expander) scale(s expr.Node, a grid) (grid, error) {
	return newGrid(a.rows(), a.cols(), func(i, j int) (expr.Node, error) { return expr.Mul(s, a[i][j]) })
}

func (e *expander) det(a grid) (expr.Node, error) {
	n := a.rows()
	if n == 1 {
		return a[0][0], nil
	}
	if n > 4 {
		return nil, fmt.Errorf("a %d×%d determinant is too large to write out", n, n)
	}
	var terms []expr.Term
	for j := 0; j < n; j++ {
		minor := make(grid, n-1)
		for i := 1; i < n; i++ {
			for k := 0; k < n; k++ {
				if k != j {
					minor[i-1] = append(minor[i-1], a[i][k])
				}
			}
		}
		m, err := e.det(minor)
		if err != nil {
			return nil, err
		}
		p, err := expr.Mul(a[0][j], m)
		if err != nil {
			return nil, err
		}
		sign := big.NewRat(1, 1)
		if j%2 == 1 {
			sign.Neg(sign)
		}
		terms = append(terms, expr.Term{Coef: sign, X: p})
	}
	return expr.Combine(terms...)
}

// grid writes n out entry by entry.
func (e *expander) grid(n expr.Node) (grid, error) {
	r, c, err := e.shape(n.Shape())
	if err != nil {
		return nil, err
	}
	unary := func(f func(expr.Node) (expr.Node, error)) (grid, error) {
		a, err := e.grid(n.Children()[0])
		if err != nil {
			return nil, err
		}
		return newGrid(a.rows(), a.cols(), func(i, j int) (expr.Node, error) { return f(a[i][j]) })
	}
	switch n := n.(type) {
	case *expr.Symbol:
		return newGrid(r, c, func(i, j int) (expr.Node, error) { return entrySymbol(n, i, j, r, c), nil })
	case *expr.Const:
		return grid{{n}}, nil
	case *expr.Identity:
		return newGrid(r, c, func(i, j int) (expr.Node, error) {
			if i == j {
				return expr.IntConst(1), nil
			}
			return expr.IntConst(0), nil
		})
	case *expr.Zeros:
		return newGrid(r, c, func(i, j int) (expr.Node, error) { return expr.IntConst(0), nil })
	case *expr.Ones:
		return newGrid(r, c, func(i, j int) (expr.Node, error) { return expr.IntConst(1), nil })
	case *expr.Sum:
		return e.gridSum(n, r, c)
	case *expr.Product:
		return e.gridProduct(n)
	case *expr.Transpose:
		a, err := e.grid(n.X())
		if err != nil {
			return nil, err
		}
		return newGrid(a.cols(), a.rows(), func(i, j int) (expr.Node, error) { return a[j][i], nil })
	case *expr.Trace, *expr.EntrySum, *expr.Determinant, *expr.LogDeterminant:
		return e.gridScalar(n)
	case *expr.Softmax, *expr.LogSumExp:
		return e.gridSoftmax(n)
	case *expr.Inverse:
		return e.gridInverse(n)
	case *expr.Func:
		return unary(func(x expr.Node) (expr.Node, error) { return expr.Apply(n.Name(), x) })
	case *expr.Power:
		return unary(func(x expr.Node) (expr.Node, error) { return expr.ElemPow(x, n.Exp()) })
	case *expr.HadamardProduct:
		return e.gridHadamard(n)
	case *expr.MatPow:
		return e.gridMatPow(n)
	case *expr.DiagMatrix:
		a, err := e.grid(n.X())
		if err != nil {
			return nil, err
		}
		return newGrid(r, c, func(i, j int) (expr.Node, error) {
			if i == j {
				return a[i][0], nil
			}
			return expr.IntConst(0), nil
		})
	case *expr.DiagPart:
		a, err := e.grid(n.X())
		if err != nil {
			return nil, err
		}
		return newGrid(r, 1, func(i, _ int) (expr.Node, error) { return a[i][i], nil })
	case *expr.Vectorize:
		a, err := e.grid(n.X())
		if err != nil {
			return nil, err
		}
		return newGrid(r, 1, func(i, _ int) (expr.Node, error) { return a[i%a.rows()][i/a.rows()], nil })
	case *expr.KronProduct:
		a, err := e.grid(n.A())
		if err != nil {
			return nil, err
		}
		b, err := e.grid(n.B())
		if err != nil {
			return nil, err
		}
		return newGrid(r, c, func(i, j int) (expr.Node, error) {
			return expr.Mul(a[i/b.rows()][j/b.cols()], b[i%b.rows()][j%b.cols()])
		})
	case *expr.Literal:
		return n.Rows(), nil
	case *expr.Commutation:
		return commutationGrid(e, n)
	}
	return nil, fmt.Errorf("cannot write %s out entry by entry", n)
}

// gridSum writes out a sum entry by entry; a 1×1 term adds to every entry.
func (e *expander) gridSum(n *expr.Sum, r, c int) (grid, error) {
	out, err := newGrid(r, c, func(i, j int) (expr.Node, error) { return expr.IntConst(0), nil })
	if err != nil {
		return nil, err
	}
	for _, t := range n.Terms() {
		g, err := e.grid(t.X)
		if err != nil {
			return nil, err
		}
		for i := range out {
			for j := range out[i] {
				gi, gj := i, j
				if g.rows() == 1 && g.cols() == 1 {
					gi, gj = 0, 0
				}
				if out[i][j], err = expr.Combine(expr.Unit(out[i][j]), expr.Term{Coef: t.Coef, X: g[gi][gj]}); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// gridProduct writes out a product: its scalars multiplied, its chain of
// matrices multiplied out.
func (e *expander) gridProduct(n *expr.Product) (grid, error) {
	var acc grid
	s := expr.Node(expr.IntConst(1))
	for _, f := range n.Scalars() {
		g, err := e.grid(f)
		if err != nil {
			return nil, err
		}
		if s, err = expr.Mul(s, g[0][0]); err != nil {
			return nil, err
		}
	}
	for _, f := range n.Chain() {
		g, err := e.grid(f)
		if err != nil {
			return nil, err
		}
		if acc == nil {
			acc = g
		} else if acc, err = e.matmul(acc, g); err != nil {
			return nil, err
		}
	}
	if acc == nil {
		return grid{{s}}, nil
	}
	return e.scale(s, acc)
}

// gridScalar writes out a scalar reduction of a matrix: its trace, the
// sum of its entries, its determinant or log-determinant.
func (e *expander) gridScalar(n expr.Node) (grid, error) {
	a, err := e.grid(n.Children()[0])
	if err != nil {
		return nil, err
	}
	var s expr.Node
	switch n.(type) {
	case *expr.Trace:
		d := make([]expr.Node, a.rows())
		for i := range d {
			d[i] = a[i][i]
		}
		s, err = expr.Add(d...)
	case *expr.EntrySum:
		var all []expr.Node
		for _, row := range a {
			all = append(all, row...)
		}
		s, err = expr.Add(all...)
	case *expr.Determinant:
		s, err = e.det(a)
	case *expr.LogDeterminant:
		if s, err = e.det(a); err == nil {
			s, err = expr.Apply("log", s)
		}
	}
	if err != nil {
		return nil, err
	}
	return grid{{s}}, nil
}

// gridInverse writes out the inverse of a matrix of at most 3×3 by its
// adjugate: (A⁻¹)ᵢⱼ = (−1)^{i+j} Mⱼᵢ / det A.
func (e *expander) gridInverse(n *expr.Inverse) (grid, error) {
	a, err := e.grid(n.X())
	if err != nil {
		return nil, err
	}
	if a.rows() > 3 {
		return nil, fmt.Errorf("an inverse larger than 3×3 is too large to write out")
	}
	d, err := e.det(a)
	if err != nil {
		return nil, err
	}
	return newGrid(a.rows(), a.cols(), func(i, j int) (expr.Node, error) {
		// (A⁻¹)ᵢⱼ = (−1)^{i+j} Mⱼᵢ / det A
		minor := grid{}
		for k := 0; k < a.rows(); k++ {
			if k == j {
				continue
			}
			var row []expr.Node
			for l := 0; l < a.cols(); l++ {
				if l != i {
					row = append(row, a[k][l])
				}
			}
			minor = append(minor, row)
		}
		m := expr.Node(expr.IntConst(1))
		if len(minor) > 0 {
			if m, err = e.det(minor); err != nil {
				return nil, err
			}
		}
		if (i+j)%2 == 1 {
			m = expr.Neg(m)
		}
		return expr.Div(m, d)
	})
}

// gridHadamard writes out an elementwise product.
func (e *expander) gridHadamard(n *expr.HadamardProduct) (grid, error) {
	var acc grid
	for _, f := range n.Factors() {
		g, err := e.grid(f)
		if err != nil {
			return nil, err
		}
		if acc == nil {
			acc = g
			continue
		}
		if acc, err = newGrid(acc.rows(), acc.cols(), func(i, j int) (expr.Node, error) { return expr.Mul(acc[i][j], g[i][j]) }); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

// gridMatPow writes out a matrix power by repeated products.
func (e *expander) gridMatPow(n *expr.MatPow) (grid, error) {
	a, err := e.grid(n.X())
	if err != nil {
		return nil, err
	}
	acc := a
	for k := 1; k < n.K(); k++ {
		if acc, err = e.matmul(acc, a); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

// expanded distributes a scalar entry into a polynomial-like sum.
func expanded(n expr.Node) expr.Node {
	if x, err := expr.Expand(n, 5000); err == nil {
		return x
	}
	return n
}

// Components writes the scalar f and its gradient by x out coordinate by
// coordinate, every named dimension being n (1 ≤ n ≤ MaxComponents): x =
// [x1; …; xn], A = [A11, …], f as a sum over the entries, each ∂f/∂xᵢ, and
// the gradient assembled from them — compared entry by entry with the
// matrix result of Grad. The Derivation's Result is the assembled
// gradient, a literal matrix over the entry symbols.
func Components(f expr.Node, x *expr.Symbol, n int) (*Derivation, error) {
	if f == nil || x == nil {
		return nil, fmt.Errorf("components of nothing")
	}
	if n < 1 || n > MaxComponents {
		return nil, fmt.Errorf("components are written out for n from 1 to %d, not %d", MaxComponents, n)
	}
	if !f.Shape().IsScalar() {
		return componentsJacobian(f, x, n)
	}
	e := &expander{n: n}
	fg, err := e.grid(f)
	if err != nil {
		return nil, err
	}
	fx := expanded(fg[0][0])
	r, c, err := e.shape(x.Shape())
	if err != nil {
		return nil, err
	}
	xg, err := e.grid(x)
	if err != nil {
		return nil, err
	}
	steps := []Step{{Rule: RuleStart, LHS: "f", LHSLaTeX: "f", Plain: fx.String(), LaTeX: fx.LaTeX(), Expr: fx}}
	partial, err := newGrid(r, c, func(i, j int) (expr.Node, error) {
		xi, ok := xg[i][j].(*expr.Symbol)
		if !ok {
			return expr.IntConst(0), nil
		}
		d, err := Grad(fx, xi, Options{})
		if err != nil {
			return nil, err
		}
		p := expanded(d.Result)
		steps = append(steps, Step{Rule: RulePartial, LHS: "df/d" + xi.Name(),
			LHSLaTeX: `\frac{\partial f}{\partial ` + xi.LaTeX() + `}`, Plain: p.String(), LaTeX: p.LaTeX(), Expr: p})
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	res, err := expr.Matrix(partial)
	if err != nil {
		return nil, err
	}
	der := &Derivation{What: "components", F: f, Vars: []*expr.Symbol{x}, Result: res}
	if names := dimNames(f, x); len(names) > 0 {
		der.note(new(prose).text(strings.Join(names, " = ") + fmt.Sprintf(" = %d", n)))
	}
	// Compare with the matrix result.
	if g, err := Grad(f, x, Options{}); err == nil {
		gg, err := e.grid(g.Result)
		same := err == nil
		for i := 0; same && i < r; i++ {
			for j := 0; j < c; j++ {
				d, err := expr.Sub(expanded(gg[i][j]), partial[i][j])
				if err != nil || !expr.IsZero(expanded(d)) {
					same = false
					break
				}
			}
		}
		verdict := "the same as the matrix formula " + g.Result.String()
		if !same {
			verdict = "compare with the matrix formula " + g.Result.String()
		}
		steps = append(steps, Step{Rule: RuleEntrywise, Note: verdict, LHS: "grad(f, " + x.Name() + ")",
			LHSLaTeX: `\nabla_{` + x.LaTeX() + `} f`, Plain: res.String(), LaTeX: res.LaTeX(), Expr: res})
		der.Differential = g.Differential
	}
	der.steps = steps
	return der, nil
}

// dimNames lists the named dimensions of the symbols of f and x, sorted.
func dimNames(f, x expr.Node) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(expr.Symbols(f), expr.Symbols(x)...) {
		sh := s.Shape()
		for _, d := range []expr.Dim{sh.Rows, sh.Cols} {
			for _, name := range d.Names() {
				if !seen[name] {
					seen[name] = true
					out = append(out, name)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// gridSoftmax writes out softmax(z), entry i exp(zᵢ)/Σⱼ exp(zⱼ), or
// logsumexp(z) = log Σⱼ exp(zⱼ), of a column z.
func (e *expander) gridSoftmax(n expr.Node) (grid, error) {
	z, err := e.grid(n.Children()[0])
	if err != nil {
		return nil, err
	}
	exps := make([]expr.Node, z.rows())
	for i := range exps {
		if exps[i], err = expr.Apply("exp", z[i][0]); err != nil {
			return nil, err
		}
	}
	total, err := expr.Add(exps...)
	if err != nil {
		return nil, err
	}
	if _, ok := n.(*expr.LogSumExp); ok {
		s, err := expr.Apply("log", total)
		return grid{{s}}, err
	}
	inv, err := expr.ElemPow(total, big.NewRat(-1, 1))
	if err != nil {
		return nil, err
	}
	return newGrid(z.rows(), 1, func(i, _ int) (expr.Node, error) { return expr.Mul(exps[i], inv) })
}
