package calculus

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/syntax"
)

// A dimension expression is what a declaration (a : vector(n*n),
// M : matrix(m*n, n)) and a size argument (eye(n*n), zeros(m*n, 1))
// take: a name or a positive integer, a product of them, a power with a
// positive integer exponent (n^2 is n*n), in parentheses or not. The
// result is an expr.Dim, so that vector(n*n), eye(n^2), vec(X) of an
// n×n X and kron(A, B) of n×n A and B all have the same n*n rows.

// maxDimPower is the largest exponent of a dimension: 2^23 is already
// linalg.MaxElements.
const maxDimPower = 23

// dimLeaf converts the operand of a dimension expression that is not a
// product or power.
type dimLeaf func(syntax.Expr) (expr.Dim, error)

// dimExpr converts a dimension expression, leaving its operands to leaf.
// strict (declarations) refuses any other operator; otherwise the whole
// expression goes to leaf (eye(2+1) is eye(3) when its value is known).
func (c *cell) dimExpr(a syntax.Expr, leaf dimLeaf, strict bool) (expr.Dim, error) {
	switch b := a.(type) {
	case *syntax.Paren:
		return c.dimExpr(b.X, leaf, strict)
	case *syntax.Binary:
		switch b.Op {
		case syntax.MUL:
			x, err := c.dimExpr(b.X, leaf, strict)
			if err != nil {
				return expr.Dim{}, err
			}
			y, err := c.dimExpr(b.Y, leaf, strict)
			if err != nil {
				return expr.Dim{}, err
			}
			return c.dimMul(b, x, y)
		case syntax.POW:
			k, ok := dimExponent(b.Y)
			if !ok {
				if !strict {
					return leaf(a)
				}
				return expr.Dim{}, c.errorf(SyntaxError, b.Y, "expected a positive integer exponent no larger than %d in a dimension (n^2 is n*n), found %s", maxDimPower, c.text(b.Y))
			}
			x, err := c.dimExpr(b.X, leaf, strict)
			if err != nil {
				return expr.Dim{}, err
			}
			d := x
			for range k - 1 {
				if d, err = c.dimMul(b, d, x); err != nil {
					return expr.Dim{}, err
				}
			}
			return d, nil
		}
		if strict {
			return expr.Dim{}, c.errorAt(SyntaxError, b.OpPos, "expected a dimension: a name such as n, a positive integer, or a product such as m*n or n^2; %s is not one (only * and ^ combine dimensions)", c.text(b))
		}
	}
	return leaf(a)
}

// dimExponent reads the exponent of n^k: a positive integer literal.
func dimExponent(y syntax.Expr) (int, bool) {
	if p, ok := y.(*syntax.Paren); ok {
		return dimExponent(p.X)
	}
	num, ok := y.(*syntax.Number)
	if !ok {
		return 0, false
	}
	k, err := strconv.Atoi(num.Lit)
	return k, err == nil && k >= 1 && k <= maxDimPower
}

// dimMul multiplies two dimensions, refusing an integer factor beyond
// linalg.MaxElements (which also keeps the product from overflowing).
func (c *cell) dimMul(at *syntax.Binary, x, y expr.Dim) (expr.Dim, error) {
	kx, _ := x.Value()
	ky, _ := y.Value()
	if kx*ky > linalg.MaxElements {
		return expr.Dim{}, c.errorf(ValueError, at, "%s is too large a dimension: the largest is %d", c.text(at), linalg.MaxElements)
	}
	return x.Mul(y), nil
}

// declDim converts a dimension of a declaration (vector(n), matrix(m*n, n)).
func (c *cell) declDim(a syntax.Expr) (expr.Dim, error) {
	return c.dimExpr(a, c.dim, true)
}

// dim converts a factor of a declared dimension: a name or a positive
// integer.
func (c *cell) dim(a syntax.Expr) (expr.Dim, error) {
	switch a := a.(type) {
	case *syntax.Ident:
		if s, ok := c.env.syms[a.Name]; ok {
			// k = 2 + 1 made k a number; using it as a dimension makes it one.
			if s.implicit && s.value != nil {
				if n, err := s.value.IntValue(); err == nil && n >= 1 && n <= linalg.MaxElements {
					c.env.forget(a.Name)
					c.env.dims[a.Name] = n
					c.env.dimNames[a.Name] = true
					return expr.Named(a.Name), nil
				}
			}
			return expr.Dim{}, c.errorf(NameError, a, "%s is a symbol, not a dimension", a.Name)
		}
		if _, ok := c.env.named[a.Name]; ok {
			return expr.Dim{}, c.errorf(NameError, a, "%s is a named expression, not a dimension", a.Name)
		}
		return expr.Named(a.Name), nil
	case *syntax.Number:
		r, err := c.number(a)
		if err != nil {
			return expr.Dim{}, err
		}
		if !r.IsInt() || r.Sign() <= 0 || !r.Num().IsInt64() || r.Num().Int64() > linalg.MaxElements {
			return expr.Dim{}, c.errorf(ValueError, a, "a dimension must be a positive integer no larger than %d, not %s", linalg.MaxElements, a.Lit)
		}
		return expr.Int(r.Num().Int64()), nil
	}
	return expr.Dim{}, c.errorf(SyntaxError, a, "expected a dimension: a name such as n, a positive integer, or a product such as m*n or n^2")
}

// dimArg evaluates an argument of eye, zeros, ones, K: a positive
// integer, a dimension name, or a product or power of them (m*n, the size
// of vec of an m×n matrix; n^2).
func (c *cell) dimArg(a syntax.Expr) (expr.Dim, error) {
	return c.dimExpr(a, c.dimArgLeaf, false)
}

// dimArgLeaf converts an operand of a size argument: a dimension name
// stays a name; anything else must have a positive integer value.
func (c *cell) dimArgLeaf(a syntax.Expr) (expr.Dim, error) {
	if id, ok := a.(*syntax.Ident); ok {
		// A dimension stays a name, so that zeros(m, n) has the shape
		// m×n of the symbols declared with m and n.
		_, bound := c.env.dims[id.Name]
		if bound || c.env.dimNames[id.Name] {
			return expr.Named(id.Name), nil
		}
	}
	n, err := c.lower(a, nil)
	if err != nil {
		return expr.Dim{}, err
	}
	k, ok := n.(*expr.Const)
	if !ok || !k.Value().IsInt() || k.Value().Sign() <= 0 || !k.Value().Num().IsInt64() {
		return expr.Dim{}, c.errorf(ValueError, a, "a size must be a positive integer or a dimension, not %s", c.text(a))
	}
	if k.Value().Num().Int64() > linalg.MaxElements {
		return expr.Dim{}, c.errorf(ValueError, a, "%s is too large a size: the largest is %d", c.text(a), linalg.MaxElements)
	}
	return expr.Int(k.Value().Num().Int64()), nil
}

// staticDim is the dimension a declaration's argument names, as far as
// the static check can tell without running anything.
func staticDim(a syntax.Expr) (expr.Dim, bool) {
	switch a := a.(type) {
	case *syntax.Ident:
		return expr.Named(a.Name), true
	case *syntax.Paren:
		return staticDim(a.X)
	case *syntax.Binary:
		x, ok := staticDim(a.X)
		if !ok {
			return expr.Dim{}, false
		}
		switch a.Op {
		case syntax.MUL:
			y, ok := staticDim(a.Y)
			if !ok {
				return expr.Dim{}, false
			}
			kx, _ := x.Value()
			ky, _ := y.Value()
			return x.Mul(y), kx*ky <= linalg.MaxElements
		case syntax.POW:
			k, ok := dimExponent(a.Y)
			if !ok {
				return expr.Dim{}, false
			}
			d := x
			for range k - 1 {
				if kd, _ := d.Value(); kd > linalg.MaxElements {
					return expr.Dim{}, false
				}
				d = d.Mul(x)
			}
			kd, _ := d.Value()
			return d, kd <= linalg.MaxElements
		}
	}
	// Integers are left to the statement, which checks them.
	return expr.Dim{}, false
}

// dimNamesOf returns the names a dimension expression uses.
func dimNamesOf(a syntax.Expr) []string {
	switch a := a.(type) {
	case *syntax.Ident:
		return []string{a.Name}
	case *syntax.Paren:
		return dimNamesOf(a.X)
	case *syntax.Binary:
		if a.Op == syntax.POW {
			return dimNamesOf(a.X)
		}
		return append(dimNamesOf(a.X), dimNamesOf(a.Y)...)
	}
	return nil
}

// fitShape reports whether a value of r×cols fits the declared shape,
// binding in bind the unbound names it determines: a vector(n*n) given 9
// entries binds n = 3, a matrix(m*n, n) given 6×2 binds n = 2, then m = 3.
// When the value does not fit, why is empty, or says that the names
// cannot be determined ("; give m or n a value first").
func (c *cell) fitShape(shape expr.Shape, r, cols int, bind map[string]int) (ok bool, why string) {
	pending := []struct {
		d expr.Dim
		n int
	}{{shape.Rows, r}, {shape.Cols, cols}}
	for len(pending) > 0 {
		var later []struct {
			d expr.Dim
			n int
		}
		why = ""
		for _, p := range pending {
			switch fit, w := c.fitDim(p.d, p.n, bind); {
			case fit:
			case strings.HasPrefix(w, ";"):
				later, why = append(later, p), w
			default:
				return false, w
			}
		}
		if len(later) == len(pending) {
			return false, why
		}
		pending = later
	}
	return true, ""
}

// fitDim reports whether the declared dimension d can be n, binding its
// one unbound name in bind when the others are known. With two unbound
// names it decides nothing and says so in why ("; give …"); a why in
// parentheses says why n cannot be d.
func (c *cell) fitDim(d expr.Dim, n int, bind map[string]int) (fit bool, why string) {
	k, _ := d.Value()
	known := int(k)
	var free string
	power := 0
	for _, name := range d.Names() {
		v, bound := c.env.dims[name]
		if !bound {
			v, bound = bind[name]
		}
		switch {
		case bound:
			if known > linalg.MaxElements/v {
				return false, ""
			}
			known *= v
		case free == "" || free == name:
			free = name
			power++
		default:
			return false, fmt.Sprintf("; give %s or %s a value first", free, name)
		}
	}
	if free == "" {
		return known == n, ""
	}
	root, exact := intRoot(n/known, power)
	if n%known != 0 || !exact {
		return false, fmt.Sprintf(" (%d is not %s for any whole %s)", n, d, free)
	}
	bind[free] = root
	return true, ""
}

// intRoot returns the integer p-th root of q and whether it is exact.
func intRoot(q, p int) (int, bool) {
	if p == 1 {
		return q, true
	}
	for r := 1; ; r++ {
		v := 1
		for range p {
			v *= r
			if v > q {
				return r, false
			}
		}
		if v == q {
			return r, true
		}
	}
}
