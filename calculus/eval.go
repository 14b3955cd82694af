package calculus

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/matcalc/matcalc/calculus/builtin"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/numeric"
	"github.com/matcalc/matcalc/calculus/syntax"
)

// hasSymbols reports whether x refers to a declared symbol or a named
// expression (values given to new names, dimensions and I do not count).
func (c *cell) hasSymbols(x syntax.Expr) bool {
	found := false
	syntax.Inspect(x, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Call:
			for _, a := range n.Args {
				found = found || c.hasSymbols(a)
			}
			return false
		case *syntax.Ident:
			if s, ok := c.env.syms[n.Name]; ok && !s.implicit {
				found = true
			}
			if _, ok := c.env.named[n.Name]; ok {
				found = true
			}
		}
		return !found
	})
	return found
}

// allValued reports whether every name in x has a value, so that x can be
// evaluated to numbers.
func (c *cell) allValued(x syntax.Expr) bool {
	ok := true
	syntax.Inspect(x, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Call:
			for _, a := range n.Args {
				ok = ok && c.allValued(a)
			}
			return false
		case *syntax.KeyValue:
			ok = ok && c.allValued(n.Value)
			return false
		case *syntax.Ident:
			ok = ok && c.identValued(n.Name)
		}
		return ok
	})
	return ok
}

func (c *cell) identValued(name string) bool {
	if s, ok := c.env.syms[name]; ok {
		return s.value != nil
	}
	if n, ok := c.env.named[name]; ok {
		return c.nodeValued(n.node)
	}
	if _, ok := c.env.dims[name]; ok {
		return true
	}
	return name == "I"
}

// nodeValued reports whether every symbol of a symbolic expression has a
// value and every named dimension of its shapes a number.
func (c *cell) nodeValued(n expr.Node) bool {
	if s, ok := n.(*expr.Symbol); ok {
		sym, found := c.env.syms[s.Name()]
		return found && sym.value != nil
	}
	sh := n.Shape()
	if _, err := sh.Rows.Eval(c.env.lookupDim); err != nil {
		return false
	}
	if _, err := sh.Cols.Eval(c.env.lookupDim); err != nil {
		return false
	}
	for _, k := range n.Children() {
		if !c.nodeValued(k) {
			return false
		}
	}
	return true
}

// numShape is the shape of a value, for messages.
func numShape(v *linalg.Matrix) expr.Shape {
	r, c := v.Dims()
	return expr.MatrixShape(expr.Int(int64(max(r, 1))), expr.Int(int64(max(c, 1))))
}

// shapeErr builds a shape error between values with the same wording as
// the symbolic one.
func (c *cell) shapeErr(op string, at syntax.Pos, l syntax.Node, a *linalg.Matrix, r syntax.Node, b *linalg.Matrix, detail string) error {
	e := &expr.ShapeError{Op: op, Left: c.text(l), LeftShape: numShape(a), Detail: detail}
	if r != nil {
		e.Right, e.RightShape = c.text(r), numShape(b)
	}
	return c.errorAt(ShapeError, at, "%s", e.Error())
}

// valueErr turns an error of package linalg into an *Error at a position.
func (c *cell) valueErr(err error, at syntax.Pos, what string) error {
	var ce *Error
	if errors.As(err, &ce) {
		return err
	}
	return c.errorAt(ValueError, at, "%s: %s", what, err.Error())
}

// value evaluates x to numbers, after preflight has found nothing in x
// too large to compute.
func (c *cell) value(x syntax.Expr) (*linalg.Matrix, error) {
	if err := c.preflight(x); err != nil {
		return nil, err
	}
	return c.eval(x, nil)
}

// eval evaluates x; hint is the (rows, cols) an I in x should take.
func (c *cell) eval(x syntax.Expr, hint []int) (*linalg.Matrix, error) {
	return walk(c, x, hint, valuer{c})
}

// valuer is the walker of eval: it computes values.
type valuer struct{ c *cell }

func (v valuer) number(x *syntax.Number) (*linalg.Matrix, error) {
	r, err := v.c.number(x)
	if err != nil {
		return nil, err
	}
	return linalg.Scalar(r), nil
}

func (v valuer) ident(x *syntax.Ident, hint []int) (*linalg.Matrix, error) {
	return v.c.evalIdent(x, hint)
}

func (valuer) neg(a *linalg.Matrix) *linalg.Matrix { return linalg.Neg(a) }

func (v valuer) postfix(x *syntax.Postfix, a *linalg.Matrix) (*linalg.Matrix, error) {
	if x.Op == syntax.QUOTE {
		return a.T(), nil
	}
	if r, k := a.Dims(); true {
		if err := v.c.budget(x, fmt.Sprintf("inv of a %d×%d matrix", r, k), workFactor("inv")*cube(r)); err != nil {
			return nil, err
		}
	}
	return v.c.inverse(a, x.OpPos, x.X)
}

func (v valuer) binary(x *syntax.Binary, hint []int) (*linalg.Matrix, error) {
	return v.c.evalBinary(x, hint)
}

func (v valuer) matrix(x *syntax.Matrix) (*linalg.Matrix, error) { return v.c.evalMatrix(x) }

func (v valuer) inner(x *syntax.Inner) (*linalg.Matrix, error) {
	c := v.c
	a, b, err := c.evalPair(x.X, x.Y, nil, false)
	if err != nil {
		return nil, err
	}
	if ar, ac := a.Dims(); true {
		if br, bc := b.Dims(); ar != br || ac != bc {
			return nil, c.shapeErr("take the inner product of", x.Pos(), x.X, a, x.Y, b, "")
		}
	}
	d, err := linalg.Dot(a, b)
	if err != nil {
		return nil, c.valueErr(err, x.Pos(), "inner product")
	}
	return d, nil
}

func (v valuer) call(x *syntax.Call, hint []int) (*linalg.Matrix, error) {
	return v.c.evalCall(x, hint)
}

func (c *cell) inverse(v *linalg.Matrix, at syntax.Pos, operand syntax.Node) (*linalg.Matrix, error) {
	if !v.IsSquare() {
		return nil, c.shapeErr("invert", at, operand, v, nil, nil, "only a square matrix has an inverse")
	}
	inv, err := linalg.Inv(v)
	if err != nil {
		if errors.Is(err, linalg.ErrSingular) {
			return nil, c.errorAt(ValueError, at, "%s is singular: it has no inverse", c.text(operand))
		}
		return nil, c.valueErr(err, at, "inverse")
	}
	return inv, nil
}

func (c *cell) evalIdent(x *syntax.Ident, hint []int) (*linalg.Matrix, error) {
	if s, ok := c.env.syms[x.Name]; ok {
		if s.value == nil {
			return nil, c.errorf(ValueError, x, "%s has no value: give it one (%s = …)", x.Name, x.Name)
		}
		return s.value, nil
	}
	if n, ok := c.env.named[x.Name]; ok {
		return c.evalNamed(x, n)
	}
	if v, ok := c.env.dims[x.Name]; ok {
		return linalg.Int(int64(v)), nil
	}
	if c.env.dimNames[x.Name] {
		return nil, c.errorf(NameError, x, "%s is a dimension with no value: give it one (%s = 3) to use it as a number", x.Name, x.Name)
	}
	if c.isEye(x) {
		if hint == nil {
			return nil, &eyeSizeError{c.errorf(ShapeError, x, "the size of I is not clear here: write eye(n)")}
		}
		if hint[0] != hint[1] {
			return nil, c.errorf(ShapeError, x, "I would have to be %d×%d here, which is not square", hint[0], hint[1])
		}
		v, err := linalg.Eye(hint[0])
		if err != nil {
			return nil, c.valueErr(err, x.Pos(), "I")
		}
		return v, nil
	}
	return nil, c.unknownName(x)
}

// evalNamed evaluates a named expression on the current values.
func (c *cell) evalNamed(at *syntax.Ident, n *named) (*linalg.Matrix, error) {
	if err := c.nodeWork(at, n.node); err != nil {
		return nil, err
	}
	v, err := numeric.EvalContext(c.ctx, n.node, c.bindings())
	if err != nil {
		if ctxErr := c.ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("interrupted: %w", ctxErr)
		}
		return nil, c.errorf(ValueError, at, "cannot evaluate %s = %s: %v", at.Name, n.node, err)
	}
	return v, nil
}

// bindings returns the values and dimensions of the environment, for
// package numeric.
func (c *cell) bindings() *numeric.Bindings {
	b := &numeric.Bindings{Values: map[string]*linalg.Matrix{}, Dims: map[string]int{}}
	for name, s := range c.env.syms {
		if s.value != nil {
			b.Values[name] = s.value
		}
	}
	for name, d := range c.env.dims {
		b.Dims[name] = d
	}
	return b
}

// evalPair evaluates two operands, sizing an I in one from the other.
func (c *cell) evalPair(l, r syntax.Expr, hint []int, mul bool) (*linalg.Matrix, *linalg.Matrix, error) {
	var eye *eyeSizeError
	a, err := c.eval(l, hint)
	if errors.As(err, &eye) {
		b, err := c.eval(r, hint)
		if err != nil {
			return nil, nil, err
		}
		br, bc := b.Dims()
		h := []int{br, bc}
		if mul {
			if b.IsScalar() && hint != nil {
				h = hint
			} else {
				h = []int{br, br}
			}
		}
		if a, err = c.eval(l, h); err != nil {
			return nil, nil, err
		}
		return a, b, nil
	}
	if err != nil {
		return nil, nil, err
	}
	ar, ac := a.Dims()
	h := []int{ar, ac}
	switch {
	case mul && a.IsScalar():
		h = hint
	case mul:
		h = []int{ac, ac}
	case a.IsScalar() && hint != nil:
		h = hint
	}
	b, err := c.eval(r, h)
	if err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

func (c *cell) evalBinary(x *syntax.Binary, hint []int) (*linalg.Matrix, error) {
	switch x.Op {
	case syntax.POW, syntax.EPOW:
		return c.evalPow(x, hint)
	}
	a, b, err := c.evalPair(x.X, x.Y, hint, x.Op == syntax.MUL)
	if err != nil {
		return nil, err
	}
	if err := c.interrupted(); err != nil {
		return nil, err
	}
	ar, ac := a.Dims()
	br, bc := b.Dims()
	same := ar == br && ac == bc
	scalar := a.IsScalar() || b.IsScalar()
	var v *linalg.Matrix
	switch x.Op {
	case syntax.ADD, syntax.SUB:
		if !same && !scalar {
			return nil, c.shapeErr("add", x.OpPos, x.X, a, x.Y, b, "")
		}
		if x.Op == syntax.ADD {
			v, err = linalg.Add(a, b)
		} else {
			v, err = linalg.Sub(a, b)
		}
	case syntax.MUL:
		if !scalar && ac != br {
			return nil, c.shapeErr("multiply", x.OpPos, x.X, a, x.Y, b, fmt.Sprintf("inner dimensions %d and %d differ", ac, br))
		}
		if err := c.budget(x, "this product", float64(ar)*float64(ac)*float64(bc)); err != nil {
			return nil, err
		}
		v, err = linalg.Mul(a, b)
	case syntax.QUO:
		if !b.IsScalar() {
			return nil, c.shapeErr("divide by", x.OpPos, x.Y, b, nil, nil, "only a scalar divides (use ./ for elementwise division)")
		}
		if b.IsZero() {
			if _, lit := x.Y.(*syntax.Number); lit {
				return nil, c.errorAt(ValueError, x.OpPos, "division by zero")
			}
			return nil, c.errorAt(ValueError, x.OpPos, "division by zero: %s is 0", c.text(x.Y))
		}
		v, err = linalg.Div(a, b)
	case syntax.EMUL, syntax.EQUO:
		if !same && !scalar {
			return nil, c.shapeErr("combine elementwise", x.OpPos, x.X, a, x.Y, b, "")
		}
		if x.Op == syntax.EMUL {
			v, err = linalg.Hadamard(a, b)
		} else {
			v, err = linalg.HadamardDiv(a, b)
		}
	default:
		return nil, c.errorAt(SyntaxError, x.OpPos, "unexpected operator %s", x.Op)
	}
	if err != nil {
		return nil, c.valueErr(err, x.OpPos, "cannot compute "+c.text(x))
	}
	return v, nil
}

func (c *cell) evalPow(x *syntax.Binary, hint []int) (*linalg.Matrix, error) {
	// norm(v)^2 is <v, v>, exact for exact v (the norm itself may not be).
	if call, ok := x.X.(*syntax.Call); ok && call.Fun.Name == "norm" && len(call.Args) == 1 && x.Op == syntax.POW {
		if n, ok := x.Y.(*syntax.Number); ok && n.Lit == "2" {
			v, err := c.eval(call.Args[0], nil)
			if err != nil {
				return nil, err
			}
			return c.checked(linalg.Dot(v, v))(call)
		}
	}
	a, err := c.eval(x.X, hint)
	if err != nil {
		return nil, err
	}
	p, err := c.eval(x.Y, nil)
	if err != nil {
		return nil, err
	}
	if err := c.interrupted(); err != nil {
		return nil, err
	}
	if !p.IsScalar() {
		return nil, c.errorf(ValueError, x.Y, "an exponent must be a scalar, not %s (%s)", c.text(x.Y), numShape(p))
	}
	if x.Op == syntax.EPOW || a.IsScalar() {
		if q, ok := p.RatValue(); ok && (q.Num().BitLen() > 32 || q.Denom().BitLen() > 32) {
			return nil, c.errorf(ValueError, x.Y, "the exponent %s is too large", q.RatString())
		}
		v, err := linalg.HadamardPow(a, p)
		if err != nil {
			return nil, c.valueErr(err, x.OpPos, "cannot compute "+c.text(x))
		}
		return v, nil
	}
	q, ok := p.RatValue()
	if !ok || !q.IsInt() {
		return nil, c.errorf(ValueError, x.Y, "a matrix power needs an integer exponent, not %s (use .^ for an elementwise power)", p)
	}
	if !q.Num().IsInt64() || q.Num().Int64() > expr.MaxPower || q.Num().Int64() < -expr.MaxPower {
		return nil, c.errorf(ValueError, x.Y, "the exponent %s is too large (at most %d)", q.RatString(), expr.MaxPower)
	}
	if !a.IsSquare() {
		return nil, c.errorAt(ShapeError, x.OpPos, "cannot raise %s (%s) to a power: it is not square (use .^ for an elementwise power)", c.text(x.X), numShape(a))
	}
	k := int(q.Num().Int64())
	r, _ := a.Dims()
	if err := c.budget(x, "this power", powerWork(r, k)); err != nil {
		return nil, err
	}
	if k < 0 {
		// Inverted here, once, for the message about a singular matrix.
		if a, err = c.inverse(a, x.OpPos, x.X); err != nil {
			return nil, err
		}
		k = -k
	}
	v, err := linalg.Pow(a, k)
	if err != nil {
		return nil, c.valueErr(err, x.OpPos, "cannot compute "+c.text(x))
	}
	return v, nil
}

// evalMatrix evaluates a literal; entries may be blocks (matrices) whose
// heights agree along a row and whose widths add up to the same total.
func (c *cell) evalMatrix(x *syntax.Matrix) (*linalg.Matrix, error) {
	if len(x.Rows) == 0 {
		return nil, c.errorf(ValueError, x, "an empty matrix [] has no meaning here")
	}
	type block struct {
		v *linalg.Matrix
		n syntax.Expr
	}
	var rows [][]block
	total, width := 0, -1
	for i, row := range x.Rows {
		var bs []block
		h, w := -1, 0
		for _, e := range row {
			v, err := c.eval(e, nil)
			if err != nil {
				return nil, err
			}
			r, cols := v.Dims()
			if h >= 0 && r != h {
				return nil, c.errorf(ShapeError, e, "%s has %d rows, but the entries before it in row %d have %d", c.text(e), r, i+1, h)
			}
			h = r
			w += cols
			bs = append(bs, block{v, e})
		}
		if width >= 0 && w != width {
			return nil, c.errorf(ShapeError, row[0], "row %d is %d wide, but row 1 is %d wide", i+1, w, width)
		}
		width = w
		total += h
		rows = append(rows, bs)
	}
	if err := c.literalLimit(x, total, width); err != nil {
		return nil, err
	}
	exact := true
	for _, bs := range rows {
		for _, b := range bs {
			exact = exact && b.v.IsExact()
		}
	}
	var rats []*big.Rat
	var floats []float64
	for _, bs := range rows {
		h, _ := bs[0].v.Dims()
		for i := range h {
			for _, b := range bs {
				_, cols := b.v.Dims()
				for j := range cols {
					if exact {
						q, _ := b.v.RatAt(i, j)
						rats = append(rats, q)
					} else {
						floats = append(floats, b.v.At(i, j))
					}
				}
			}
		}
	}
	var v *linalg.Matrix
	var err error
	if exact {
		v, err = linalg.NewRat(total, width, rats)
	} else {
		v, err = linalg.New(total, width, floats)
	}
	if err != nil {
		return nil, c.valueErr(err, x.Pos(), "matrix")
	}
	return v, nil
}

// intArg evaluates a size argument to a positive integer.
func (c *cell) intArg(a syntax.Expr) (int, error) {
	v, err := c.eval(a, nil)
	if err != nil {
		return 0, err
	}
	n, err := v.IntValue()
	if err != nil || n < 1 {
		return 0, c.errorf(ValueError, a, "a size must be a positive integer, not %s", v)
	}
	return n, nil
}

// sizes reads (m, n) of zeros, ones, rand; checked against the budget.
func (c *cell) sizes(call *syntax.Call) (int, int, error) {
	m, err := c.intArg(call.Args[0])
	if err != nil {
		return 0, 0, err
	}
	n := m
	if len(call.Args) > 1 {
		if n, err = c.intArg(call.Args[1]); err != nil {
			return 0, 0, err
		}
	}
	return m, n, c.sizeLimit(call, m, n)
}

func (c *cell) evalCall(x *syntax.Call, hint []int) (*linalg.Matrix, error) {
	name := x.Fun.Name
	f, ok := c.in.fns[name]
	if !ok || f.Kind == builtin.Command {
		return c.evalDerived(x)
	}
	if err := c.checkArity(x, f); err != nil {
		return nil, err
	}
	switch name {
	case "eye":
		n, err := c.intArg(x.Args[0])
		if err != nil {
			return nil, err
		}
		if err := c.eyeLimit(x, n); err != nil {
			return nil, err
		}
		return c.checked(linalg.Eye(n))(x)
	case "K":
		m, n, err := c.sizes(x)
		if err != nil {
			return nil, err
		}
		if err := c.commuteLimit(x, m, n); err != nil {
			return nil, err
		}
		return c.checked(linalg.Commutation(m, n))(x)
	case "zeros", "ones", "rand":
		m, n, err := c.sizes(x)
		if err != nil {
			return nil, err
		}
		switch name {
		case "zeros":
			return c.checked(linalg.Zeros(m, n))(x)
		case "ones":
			return c.checked(linalg.Ones(m, n))(x)
		}
		data := make([]float64, m*n)
		for i := range data {
			data[i] = c.in.rng.Float64()
		}
		return c.checked(linalg.New(m, n, data))(x)
	case "eig", "svd":
		return nil, c.errorf(ValueError, x, "%s shows a decomposition: use it alone on a line", name)
	}
	if len(x.Args) == 2 {
		return c.evalCall2(x, name)
	}
	a, err := c.eval(x.Args[0], nil)
	if err != nil {
		return nil, err
	}
	if err := c.interrupted(); err != nil {
		return nil, err
	}
	ar, ac := a.Dims()
	if f := workFactor(name); f > 0 {
		if err := c.budget(x, name+" of a "+fmt.Sprintf("%d×%d", ar, ac)+" matrix", f*float64(ar)*float64(ac)*float64(min(ar, ac))); err != nil {
			return nil, err
		}
	}
	square := func() error {
		if !a.IsSquare() {
			return c.shapeErr("take "+name+" of", x.Pos(), x.Args[0], a, nil, nil, name+" needs a square matrix")
		}
		return nil
	}
	switch name {
	case "tr", "det", "logdet", "inv", "expm", "chol":
		if err := square(); err != nil {
			return nil, err
		}
	case "softmax", "logsumexp":
		if ar != 1 && ac != 1 {
			return nil, c.shapeErr("take "+name+" of", x.Pos(), x.Args[0], a, nil, nil, name+" needs a vector")
		}
	}
	switch name {
	case "tr":
		return c.checked(linalg.Trace(a))(x)
	case "det":
		return c.checked(linalg.Det(a))(x)
	case "logdet":
		return c.checked(linalg.LogDet(a))(x)
	case "softmax":
		return c.checked(linalg.Softmax(a))(x)
	case "logsumexp":
		return c.checked(linalg.LogSumExp(a))(x)
	case "inv":
		return c.inverse(a, x.Pos(), x.Args[0])
	case "pinv":
		return c.checked(linalg.Pinv(a))(x)
	case "norm":
		return c.checked(linalg.Norm(a))(x)
	case "sum":
		return linalg.Sum(a), nil
	case "diag":
		return c.checked(linalg.Diag(a))(x)
	case "vec":
		return linalg.Vec(a), nil
	case "rank":
		r, err := linalg.Rank(a)
		if err != nil {
			return nil, c.valueErr(err, x.Pos(), name)
		}
		return linalg.Int(int64(r)), nil
	case "expm":
		return c.checked(linalg.Expm(a))(x)
	case "chol":
		return c.checked(linalg.Chol(a))(x)
	}
	return c.checked(linalg.Elementwise(name, a))(x)
}

// evalDerived evaluates a command inside an expression (a derivation
// is its result) on the values.
func (c *cell) evalDerived(x *syntax.Call) (*linalg.Matrix, error) {
	// lowerCall has the messages for what is not a command.
	n, err := c.lowerCall(x, nil)
	if err != nil {
		return nil, err
	}
	if err := c.nodeWork(x, n); err != nil {
		return nil, err
	}
	v, err := numeric.EvalContext(c.ctx, n, c.bindings())
	if err != nil {
		if ctxErr := c.ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("interrupted: %w", ctxErr)
		}
		return nil, c.errorf(ValueError, x, "cannot evaluate %s = %s: %v", c.text(x), n, err)
	}
	return v, nil
}

// evalCall2 evaluates a function of two arguments on values.
func (c *cell) evalCall2(x *syntax.Call, name string) (*linalg.Matrix, error) {
	a, b, err := c.evalPair(x.Args[0], x.Args[1], nil, false)
	if err != nil {
		return nil, err
	}
	if err := c.interrupted(); err != nil {
		return nil, err
	}
	switch name {
	case "kron":
		ar, ac := a.Dims()
		br, bc := b.Dims()
		if err := c.kronLimit(x, ar, ac, br, bc); err != nil {
			return nil, err
		}
		return c.checked(linalg.Kron(a, b))(x)
	case "dot":
		if ar, ac := a.Dims(); true {
			if br, bc := b.Dims(); ar != br || ac != bc {
				return nil, c.shapeErr("take the inner product of", x.Pos(), x.Args[0], a, x.Args[1], b, "")
			}
		}
		return c.checked(linalg.Dot(a, b))(x)
	case "solve":
		if ar, _ := a.Dims(); true {
			if err := c.budget(x, "solve", workFactor("solve")*cube(ar)); err != nil {
				return nil, err
			}
		}
		if !a.IsSquare() {
			return nil, c.shapeErr("solve with", x.Pos(), x.Args[0], a, nil, nil, "it is not square")
		}
		if ar, _ := a.Dims(); true {
			if br, _ := b.Dims(); ar != br {
				return nil, c.errorf(ShapeError, x, "cannot solve %s (%s) x = %s (%s): the right side needs %d rows", c.text(x.Args[0]), numShape(a), c.text(x.Args[1]), numShape(b), ar)
			}
		}
		return c.checked(linalg.Solve(a, b))(x)
	}
	return nil, c.errorf(NameError, x.Fun, "unknown function %s", name)
}

// checked wraps the result of a linalg call as an error at the call.
func (c *cell) checked(v *linalg.Matrix, err error) func(*syntax.Call) (*linalg.Matrix, error) {
	return func(x *syntax.Call) (*linalg.Matrix, error) {
		if err != nil {
			return nil, c.valueErr(err, x.Pos(), "cannot compute "+c.text(x))
		}
		return v, nil
	}
}
