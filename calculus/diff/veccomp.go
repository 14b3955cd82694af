package diff

import (
	"fmt"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
)

// MaxJacobianComponents bounds the partial derivatives components writes
// out for a vector or matrix function: (entries of F)·(entries of X).
const MaxJacobianComponents = 400

// commutationGrid writes K(m, n) out: the entry in row j + i·n, column
// i + j·m is 1 (vec(Aᵀ) = K vec(A)).
func commutationGrid(e *expander, k *expr.Commutation) (grid, error) {
	m, err := e.dim(k.M())
	if err != nil {
		return nil, err
	}
	n, err := e.dim(k.N())
	if err != nil {
		return nil, err
	}
	return newGrid(m*n, m*n, func(r, c int) (expr.Node, error) {
		i, j := c%m, c/m
		if r == j+i*n {
			return expr.IntConst(1), nil
		}
		return expr.IntConst(0), nil
	})
}

// vecEntries lists the entries of a grid in vec order: column by column.
func vecEntries(g grid) []expr.Node {
	var out []expr.Node
	for j := 0; j < g.cols(); j++ {
		for i := 0; i < g.rows(); i++ {
			out = append(out, g[i][j])
		}
	}
	return out
}

// componentsJacobian is Components for a vector or matrix F: vec(F)
// written out entry by entry, every ∂(vec F)ᵢ/∂(vec X)ₖ, and the
// Jacobian assembled from them (row i, column k, the layout of
// jacobian) — compared entry by entry with the matrix formula.
func componentsJacobian(f expr.Node, x *expr.Symbol, n int) (*Derivation, error) {
	e := &expander{n: n}
	fg, err := e.grid(f)
	if err != nil {
		return nil, err
	}
	xg, err := e.grid(x)
	if err != nil {
		return nil, err
	}
	fs, xs := vecEntries(fg), vecEntries(xg)
	if len(fs)*len(xs) > MaxJacobianComponents {
		return nil, fmt.Errorf("components would write out %d×%d = %d partial derivatives; the limit is %d (take a smaller n)", len(fs), len(xs), len(fs)*len(xs), MaxJacobianComponents)
	}
	for i := range fs {
		fs[i] = expanded(fs[i])
	}
	col := make([][]expr.Node, len(fs))
	for i, v := range fs {
		col[i] = []expr.Node{v}
	}
	vf, err := expr.Matrix(col)
	if err != nil {
		return nil, err
	}
	lhs, lhsL := "vec(F)", `\operatorname{vec}F`
	if f.Shape().Cols.IsOne() {
		lhs, lhsL = "F", "F"
	}
	steps := []Step{{Rule: RuleStart, LHS: lhs, LHSLaTeX: lhsL, Plain: vf.String(), LaTeX: vf.LaTeX(), Expr: vf}}
	partial, err := newGrid(len(fs), len(xs), func(i, k int) (expr.Node, error) {
		xk, ok := xs[k].(*expr.Symbol)
		if !ok {
			return expr.IntConst(0), nil
		}
		d, err := Grad(fs[i], xk, Options{})
		if err != nil {
			return nil, err
		}
		return expanded(d.Result), nil
	})
	if err != nil {
		return nil, err
	}
	res, err := expr.Matrix(partial)
	if err != nil {
		return nil, err
	}
	steps = append(steps, Step{Rule: RulePartial, Note: "a row for each entry of the function, a column for each entry of the variable, both in vec order",
		LHS: "J", LHSLaTeX: `{\frak J}`, Plain: res.String(), LaTeX: res.LaTeX(), Expr: res})
	der := &Derivation{What: "components", F: f, Vars: []*expr.Symbol{x}, Result: res}
	if names := dimNames(f, x); len(names) > 0 {
		eq := strings.Join(names, " = ") + fmt.Sprintf(" = %d", n)
		der.note(new(prose).math(eq, eq))
	}
	der.note(new(prose).math("J_ik = d vec(F)_i / d vec(X)_k", `{\frak J}_{ik} = \partial(\operatorname{vec}F)_{i} / \partial(\operatorname{vec}X)_{k}`).
		text(", vec stacking the columns, as jacobian writes it in either layout"))
	if j, err := Jacobian(f, x, Options{}); err == nil {
		gg, err := e.grid(j.Result)
		same := err == nil && gg.rows() == len(fs) && gg.cols() == len(xs)
		for i := 0; same && i < len(fs); i++ {
			for k := 0; k < len(xs); k++ {
				d, err := expr.Sub(expanded(gg[i][k]), partial[i][k])
				if err != nil || !expr.IsZero(expanded(d)) {
					same = false
					break
				}
			}
		}
		verdict := "the same as the matrix formula "
		if !same {
			verdict = "compare with the matrix formula "
		}
		steps = append(steps, Step{Rule: RuleEntrywise, Note: verdict + j.Result.String(), NoteLaTeX: `\text{` + verdict + `}` + j.Result.LaTeX(), LHS: "jacobian(F, " + x.Name() + ")",
			LHSLaTeX: `{\frak J}`, Plain: res.String(), LaTeX: res.LaTeX(), Expr: res})
		der.Differential = j.Differential
	}
	der.steps = steps
	return der, nil
}
