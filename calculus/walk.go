package calculus

import (
	"fmt"

	"github.com/matcalc/matcalc/calculus/syntax"
)

// walker is what one reading of an expression does at each kind of node:
// valuer computes numbers (eval.go), lowerer builds the symbolic form
// (lower.go). T is the result and H the hint for the size of an I. walk
// does the rest, the same for both, so that they cannot drift apart.
type walker[T, H any] interface {
	number(x *syntax.Number) (T, error)
	ident(x *syntax.Ident, hint H) (T, error)
	neg(a T) T
	postfix(x *syntax.Postfix, a T) (T, error)
	binary(x *syntax.Binary, hint H) (T, error)
	matrix(x *syntax.Matrix) (T, error)
	inner(x *syntax.Inner) (T, error)
	call(x *syntax.Call, hint H) (T, error)
}

// interrupted returns an error when the cell's context is done. walk
// checks it at every node, and a costly operation checks it again once
// its operands are computed, so that an interrupt waits for one operation
// at the most (see maxWork), never for two back to back.
func (c *cell) interrupted() error {
	if err := c.ctx.Err(); err != nil {
		return fmt.Errorf("interrupted: %w", err)
	}
	return nil
}

// walk reads x with w, checking for an interrupt at every node.
func walk[T, H any, W walker[T, H]](c *cell, x syntax.Expr, hint H, w W) (T, error) {
	var zero T
	if err := c.interrupted(); err != nil {
		return zero, err
	}
	switch x := x.(type) {
	case *syntax.Number:
		return w.number(x)
	case *syntax.Ident:
		return w.ident(x, hint)
	case *syntax.Paren:
		return walk(c, x.X, hint, w)
	case *syntax.Unary:
		a, err := walk(c, x.X, hint, w)
		if err != nil {
			return zero, err
		}
		if x.Op == syntax.SUB {
			return w.neg(a), nil
		}
		return a, nil
	case *syntax.Postfix:
		a, err := walk(c, x.X, hint, w)
		if err != nil {
			return zero, err
		}
		return w.postfix(x, a)
	case *syntax.Binary:
		switch x.Op {
		case syntax.EQL, syntax.NEQ, syntax.LSS, syntax.GTR, syntax.LEQ, syntax.GEQ:
			return zero, c.errorAt(SyntaxError, x.OpPos, "a comparison %s is only allowed inside check(…)", x.Op.Op())
		}
		return w.binary(x, hint)
	case *syntax.Matrix:
		return w.matrix(x)
	case *syntax.Inner:
		return w.inner(x)
	case *syntax.Call:
		return w.call(x, hint)
	case *syntax.KeyValue:
		return zero, c.errorf(SyntaxError, x, "a named argument such as %s = … is only allowed in plot", x.Key.Name)
	case *syntax.Range:
		return zero, c.errorf(SyntaxError, x, "a range lo..hi is only allowed in plot")
	}
	return zero, c.errorf(SyntaxError, x, "cannot evaluate this")
}
