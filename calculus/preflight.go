package calculus

import (
	"fmt"

	"github.com/matcalc/matcalc/calculus/builtin"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/syntax"
)

// size is the numeric shape of an operand as preflight knows it before
// anything is computed; ok is false when it is not known (an I sized by
// context, a value only evaluation would reveal), and then no operation
// above it is judged.
type size struct {
	r, c int
	ok   bool
}

func (s size) scalar() bool { return s.ok && s.r == 1 && s.c == 1 }

// preflight refuses, before any of x is computed, the first operation of
// x that evaluation would refuse for its size or its work, with the
// message evaluation gives.
func (c *cell) preflight(x syntax.Expr) error {
	_, err := c.plan(x)
	return err
}

// plan returns the size of x, judging every operation in it in the
// order evaluation performs them.
//
// Long: a type switch over the syntax nodes, each case a few lines.
func (c *cell) plan(x syntax.Expr) (size, error) {
	switch x := x.(type) {
	case *syntax.Number, *syntax.Inner:
		if in, ok := x.(*syntax.Inner); ok {
			if _, err := c.planAll(in.X, in.Y); err != nil {
				return size{}, err
			}
		}
		return size{1, 1, true}, nil
	case *syntax.Ident:
		if s, ok := c.env.syms[x.Name]; ok && s.value != nil {
			r, k := s.value.Dims()
			return size{r, k, true}, nil
		}
		if _, ok := c.env.dims[x.Name]; ok {
			return size{1, 1, true}, nil
		}
		if n, ok := c.env.named[x.Name]; ok {
			r, err1 := n.node.Shape().Rows.Eval(c.env.lookupDim)
			k, err2 := n.node.Shape().Cols.Eval(c.env.lookupDim)
			return size{r, k, err1 == nil && err2 == nil}, nil
		}
		return size{}, nil
	case *syntax.Paren:
		return c.plan(x.X)
	case *syntax.Unary:
		return c.plan(x.X)
	case *syntax.Postfix:
		a, err := c.plan(x.X)
		if err != nil || !a.ok {
			return size{}, err
		}
		if x.Op == syntax.QUOTE {
			return size{a.c, a.r, true}, nil
		}
		if err := c.budget(x, fmt.Sprintf("inv of a %d×%d matrix", a.r, a.c), workFactor("inv")*cube(a.r)); err != nil {
			return size{}, err
		}
		return a, nil
	case *syntax.Binary:
		return c.planBinary(x)
	case *syntax.Matrix:
		return c.planMatrix(x)
	case *syntax.Call:
		return c.planCall(x)
	}
	return size{}, nil
}

// planAll plans operands in order and returns their sizes.
func (c *cell) planAll(xs ...syntax.Expr) ([]size, error) {
	out := make([]size, len(xs))
	for i, x := range xs {
		s, err := c.plan(x)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

func (c *cell) planBinary(x *syntax.Binary) (size, error) {
	ss, err := c.planAll(x.X, x.Y)
	if err != nil {
		return size{}, err
	}
	a, b := ss[0], ss[1]
	if !a.ok || !b.ok {
		// A + I: a sum has the shape of its operand that is a matrix.
		known := a
		if b.ok {
			known = b
		}
		if elementwiseOp(x.Op) && known.ok && !known.scalar() {
			return known, nil
		}
		return size{}, nil
	}
	switch x.Op {
	case syntax.ADD, syntax.SUB, syntax.EMUL, syntax.EQUO:
		switch {
		case a.scalar():
			return b, nil
		case b.scalar() || a == b:
			return a, nil
		}
	case syntax.QUO:
		return a, nil
	case syntax.MUL:
		switch {
		case a.scalar():
			return b, nil
		case b.scalar():
			return a, nil
		case a.c == b.r:
			if err := c.budget(x, "this product", float64(a.r)*float64(a.c)*float64(b.c)); err != nil {
				return size{}, err
			}
			return size{a.r, b.c, true}, nil
		}
	case syntax.EPOW:
		return a, nil
	case syntax.POW:
		k, lit := intLiteral(x.Y)
		switch {
		case a.scalar():
			return a, nil
		case lit && a.r == a.c:
			if err := c.budget(x, "this power", powerWork(a.r, k)); err != nil {
				return size{}, err
			}
			return a, nil
		}
	}
	return size{}, nil
}

// elementwiseOp reports whether op combines operands entry by entry
// (a scalar operand stands for a matrix of it).
func elementwiseOp(op syntax.Kind) bool {
	switch op {
	case syntax.ADD, syntax.SUB, syntax.EMUL, syntax.EQUO:
		return true
	}
	return false
}

// intLiteral reads an exponent written as an integer: 3, -1, (2).
func intLiteral(x syntax.Expr) (int, bool) {
	switch x := x.(type) {
	case *syntax.Paren:
		return intLiteral(x.X)
	case *syntax.Unary:
		k, ok := intLiteral(x.X)
		if x.Op == syntax.SUB {
			k = -k
		}
		return k, ok
	case *syntax.Number:
		var k int
		if _, err := fmt.Sscanf(x.Lit, "%d", &k); err != nil || fmt.Sprint(k) != x.Lit {
			return 0, false
		}
		return k, true
	}
	return 0, false
}

func (c *cell) planMatrix(x *syntax.Matrix) (size, error) {
	total, width := 0, -1
	known := true
	for _, row := range x.Rows {
		h, w := -1, 0
		for _, e := range row {
			s, err := c.plan(e)
			if err != nil {
				return size{}, err
			}
			known = known && s.ok && (h < 0 || s.r == h)
			h = s.r
			w += s.c
		}
		known = known && (width < 0 || w == width)
		width = w
		total += max(h, 0)
	}
	if !known || len(x.Rows) == 0 {
		return size{}, nil
	}
	if err := c.literalLimit(x, total, width); err != nil {
		return size{}, err
	}
	return size{total, width, true}, nil
}

// planCall judges a call of a function of the language on values; a
// command (grad, …) computes symbolically and is left alone.
func (c *cell) planCall(x *syntax.Call) (size, error) {
	name := x.Fun.Name
	f, ok := c.in.fns[name]
	if !ok || f.Kind == builtin.Command || len(x.Args) < f.Min || (f.Max >= 0 && len(x.Args) > f.Max) {
		return size{}, nil
	}
	switch name {
	case "rand", "zeros", "ones", "eye", "K":
		return c.planConstructor(x)
	case "eig", "svd":
		return size{}, nil
	}
	ss, err := c.planAll(x.Args...)
	if err != nil || len(ss) == 0 || !ss[0].ok {
		return size{}, err
	}
	a := ss[0]
	if len(ss) == 2 {
		b := ss[1]
		if !b.ok {
			return size{}, nil
		}
		switch name {
		case "kron":
			if err := c.kronLimit(x, a.r, a.c, b.r, b.c); err != nil {
				return size{}, err
			}
			return size{a.r * b.r, a.c * b.c, true}, nil
		case "solve":
			if err := c.budget(x, "solve", workFactor("solve")*cube(a.r)); err != nil {
				return size{}, err
			}
			return size{a.c, b.c, a.r == a.c && a.r == b.r}, nil
		}
		return size{1, 1, name == "dot"}, nil
	}
	if w := workFactor(name); w > 0 {
		if err := c.budget(x, name+" of a "+fmt.Sprintf("%d×%d", a.r, a.c)+" matrix", w*float64(a.r)*float64(a.c)*float64(min(a.r, a.c))); err != nil {
			return size{}, err
		}
	}
	switch {
	case name == "vec":
		return size{a.r * a.c, 1, true}, nil
	case name == "pinv":
		return size{a.c, a.r, true}, nil
	case f.Shape == builtin.ShapeScalar:
		return size{1, 1, true}, nil
	case f.Shape == builtin.ShapeSame:
		return a, nil
	}
	return size{}, nil
}

// planConstructor reads the sizes of rand, zeros, ones, eye and K when
// they are written as numbers or bound names.
func (c *cell) planConstructor(x *syntax.Call) (size, error) {
	m, ok := c.staticInt(x.Args[0])
	n := m
	if len(x.Args) > 1 {
		var ok2 bool
		n, ok2 = c.staticInt(x.Args[1])
		ok = ok && ok2
	}
	if !ok || m < 1 || n < 1 {
		return size{}, nil
	}
	switch x.Fun.Name {
	case "eye":
		return size{m, m, true}, c.eyeLimit(x, m)
	case "K":
		if err := c.sizeLimit(x, m, n); err != nil {
			return size{}, err
		}
		return size{m * n, m * n, true}, c.commuteLimit(x, m, n)
	}
	return size{m, n, true}, c.sizeLimit(x, m, n)
}

// staticInt is the value of a size argument that needs no evaluation: a
// number, a bound dimension, a symbol holding an integer, or a product.
func (c *cell) staticInt(a syntax.Expr) (int, bool) {
	switch a := a.(type) {
	case *syntax.Paren:
		return c.staticInt(a.X)
	case *syntax.Number:
		k, ok := intLiteral(a)
		return k, ok
	case *syntax.Ident:
		if v, ok := c.env.dims[a.Name]; ok {
			return v, true
		}
		if s, ok := c.env.syms[a.Name]; ok && s.value != nil {
			if k, err := s.value.IntValue(); err == nil {
				return k, true
			}
		}
	case *syntax.Binary:
		if a.Op == syntax.MUL {
			x, ok1 := c.staticInt(a.X)
			y, ok2 := c.staticInt(a.Y)
			if ok1 && ok2 && float64(x)*float64(y) <= linalg.MaxElements {
				return x * y, true
			}
		}
	}
	return 0, false
}
