package calculus

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/matcalc/matcalc/calculus/builtin"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/syntax"
)

// valueOnlyError is the error of a function that has no symbolic form
// (eig, rand, svd …) applied to an argument without a value.
type valueOnlyError struct {
	err *Error
	fn  string
}

// Error returns the message of the positioned error.
func (e *valueOnlyError) Error() string { return e.err.Error() }

// Unwrap returns the positioned error.
func (e *valueOnlyError) Unwrap() error { return e.err }

// eyeSizeError is returned when I is met with nothing to size it; the
// caller retries with a shape hint from the other operand.
type eyeSizeError struct{ err *Error }

// Error returns the message of the positioned error.
func (e *eyeSizeError) Error() string { return e.err.Error() }

// Unwrap returns the positioned error.
func (e *eyeSizeError) Unwrap() error { return e.err }

// maxExponent bounds the exponent of a number literal (1e400 is
// fine; 1e1000000000 would take the rational arithmetic hostage).
const maxExponent = 400

// number converts a literal to an exact rational.
func (c *cell) number(n *syntax.Number) (*big.Rat, error) {
	lit := strings.ToLower(n.Lit)
	if i := strings.IndexByte(lit, 'e'); i >= 0 {
		var exp int
		if _, err := fmt.Sscan(lit[i+1:], &exp); err != nil || exp > maxExponent || exp < -maxExponent {
			return nil, c.errorf(ValueError, n, "the exponent of %s is out of range (at most %d)", n.Lit, maxExponent)
		}
	}
	r, ok := new(big.Rat).SetString(lit)
	if !ok {
		return nil, c.errorf(SyntaxError, n, "malformed number %s", n.Lit)
	}
	return r, nil
}

// isEye reports whether x is the identity I, sized by context.
func (c *cell) isEye(x syntax.Expr) bool {
	id, ok := x.(*syntax.Ident)
	return ok && id.Name == "I" && c.env.syms["I"] == nil && c.env.named["I"] == nil
}

// wrapShape turns a constructor's error into an *Error at the operator,
// naming the operands by their source text.
func (c *cell) wrapShape(err error, at syntax.Pos, left, right syntax.Node) error {
	var se *expr.ShapeError
	if errors.As(err, &se) {
		e := *se
		if left != nil {
			e.Left = c.text(left)
		}
		if right != nil {
			e.Right = c.text(right)
		}
		msg := e.Error()
		if right != nil && c.sameNumbers(e.LeftShape, e.RightShape, e.Op == "multiply") {
			msg += " (they agree as numbers, but a named dimension and a number are kept apart: declare both with the name, or both with the number)"
		}
		return c.errorAt(ShapeError, at, "%s", msg)
	}
	msg := err.Error()
	return c.errorAt(ValueError, at, "%s", msg)
}

// lower converts an expression to its symbolic form, checking shapes.
// hint, when not nil, is the shape an I in x should take.
func (c *cell) lower(x syntax.Expr, hint *expr.Shape) (expr.Node, error) {
	return walk(c, x, hint, lowerer{c})
}

// lowerer is the walker of lower: it builds symbolic forms.
type lowerer struct{ c *cell }

func (l lowerer) number(x *syntax.Number) (expr.Node, error) {
	r, err := l.c.number(x)
	if err != nil {
		return nil, err
	}
	return expr.NewConst(r), nil
}

func (l lowerer) ident(x *syntax.Ident, hint *expr.Shape) (expr.Node, error) {
	return l.c.lowerIdent(x, hint)
}

func (lowerer) neg(a expr.Node) expr.Node { return expr.Neg(a) }

func (l lowerer) postfix(x *syntax.Postfix, a expr.Node) (expr.Node, error) {
	if x.Op == syntax.INV {
		n, err := expr.Inv(a)
		if err != nil {
			return nil, l.c.wrapShape(err, x.OpPos, x.X, nil)
		}
		return n, nil
	}
	return expr.T(a), nil
}

func (l lowerer) binary(x *syntax.Binary, hint *expr.Shape) (expr.Node, error) {
	return l.c.lowerBinary(x, hint)
}

func (l lowerer) matrix(x *syntax.Matrix) (expr.Node, error) { return l.c.lowerMatrix(x) }

func (l lowerer) inner(x *syntax.Inner) (expr.Node, error) {
	a, b, err := l.c.lowerPair(x.X, x.Y, nil, false)
	if err != nil {
		return nil, err
	}
	n, err := expr.Inner(a, b)
	if err != nil {
		return nil, l.c.wrapShape(err, x.Pos(), x.X, x.Y)
	}
	return n, nil
}

func (l lowerer) call(x *syntax.Call, hint *expr.Shape) (expr.Node, error) {
	return l.c.lowerCall(x, hint)
}

func (c *cell) lowerIdent(x *syntax.Ident, hint *expr.Shape) (expr.Node, error) {
	if s, ok := c.env.syms[x.Name]; ok {
		return s.sym, nil
	}
	if n, ok := c.env.named[x.Name]; ok {
		return n.node, nil
	}
	if v, ok := c.env.dims[x.Name]; ok {
		return expr.IntConst(int64(v)), nil
	}
	if c.env.dimNames[x.Name] {
		return nil, c.errorf(NameError, x, "%s is a dimension with no value: give it one (%s = 3) to use it as a number", x.Name, x.Name)
	}
	if d := c.differentialLeaf(x.Name); d != nil {
		return d, nil
	}
	if c.isEye(x) {
		if hint != nil {
			if !hint.IsSquare() {
				return nil, c.errorf(ShapeError, x, "I would have to be %s here, which is not square", hint)
			}
			return expr.Eye(hint.Rows), nil
		}
		return nil, &eyeSizeError{c.errorf(ShapeError, x, "the size of I is not clear here: write eye(n)")}
	}
	return nil, c.unknownName(x)
}

// differentialLeaf reads dX, dX1, dX2 for a declared symbol X (the
// differentials that derivations print), or returns nil.
func (c *cell) differentialLeaf(name string) expr.Node {
	rest, ok := strings.CutPrefix(name, "d")
	if !ok || rest == "" {
		return nil
	}
	index := 0
	if s, ok := c.env.syms[rest]; ok {
		return expr.D(s.sym)
	}
	switch {
	case strings.HasSuffix(rest, "1"):
		index = 1
	case strings.HasSuffix(rest, "2"):
		index = 2
	default:
		return nil
	}
	if s, ok := c.env.syms[rest[:len(rest)-1]]; ok {
		return expr.DN(s.sym, index)
	}
	return nil
}

// unknownName is the error for an undefined name, with a suggestion.
func (c *cell) unknownName(x *syntax.Ident) error {
	if f, ok := c.in.fns[x.Name]; ok {
		return c.errorf(NameError, x, "%s is a function: call it as %s", x.Name, f.Help.Sig)
	}
	var cands []string
	for n := range c.env.syms {
		cands = append(cands, n)
	}
	for n := range c.env.named {
		cands = append(cands, n)
	}
	for n := range c.env.dimNames {
		cands = append(cands, n)
	}
	if s := Closest(x.Name, cands); s != "" {
		return c.errorf(NameError, x, "unknown name %s: did you mean %s?", x.Name, s)
	}
	if len(cands) == 0 {
		return c.errorf(NameError, x, "unknown name %s: declare it first, for example %s : vector(n)", x.Name, x.Name)
	}
	return c.errorf(NameError, x, "unknown name %s", x.Name)
}

// lowerPair lowers two operands; when one of them is an I that needs a
// size, it is lowered after the other with that one's shape (square when
// mul: I takes the inner dimension).
func (c *cell) lowerPair(l, r syntax.Expr, hint *expr.Shape, mul bool) (expr.Node, expr.Node, error) {
	var eye *eyeSizeError
	a, err := c.lower(l, hint)
	if errors.As(err, &eye) {
		b, err := c.lower(r, hint)
		if err != nil {
			return nil, nil, err
		}
		h := b.Shape()
		if mul {
			if h.IsScalar() && hint != nil {
				h = *hint
			} else {
				h = expr.MatrixShape(h.Rows, h.Rows)
			}
		}
		a, err = c.lower(l, &h)
		if err != nil {
			return nil, nil, err
		}
		return a, b, nil
	}
	if err != nil {
		return nil, nil, err
	}
	h := a.Shape()
	switch {
	case mul && h.IsScalar():
		if hint != nil {
			h = *hint
		}
	case mul:
		h = expr.MatrixShape(h.Cols, h.Cols)
	case h.IsScalar() && hint != nil:
		h = *hint
	}
	b, err := c.lower(r, &h)
	if err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

func (c *cell) lowerBinary(x *syntax.Binary, hint *expr.Shape) (expr.Node, error) {
	switch x.Op {
	case syntax.POW, syntax.EPOW:
		return c.lowerPow(x, hint)
	}
	a, b, err := c.lowerPair(x.X, x.Y, hint, x.Op == syntax.MUL)
	if err != nil {
		return nil, err
	}
	var n expr.Node
	switch x.Op {
	case syntax.ADD:
		n, err = expr.Add(a, b)
	case syntax.SUB:
		n, err = expr.Sub(a, b)
	case syntax.MUL:
		n, err = expr.Mul(a, b)
	case syntax.QUO:
		if !b.Shape().IsScalar() {
			return nil, c.errorAt(ShapeError, x.OpPos, "cannot divide by %s (%s): only division by a scalar is defined; use ./ for elementwise division or inv(…)", c.text(x.Y), b.Shape())
		}
		n, err = expr.Div(a, b)
	case syntax.EMUL:
		n, err = expr.Hadamard(a, b)
	case syntax.EQUO:
		n, err = expr.HadamardDiv(a, b)
	default:
		return nil, c.errorAt(SyntaxError, x.OpPos, "unexpected operator %s", x.Op)
	}
	if err != nil {
		return nil, c.wrapShape(err, x.OpPos, x.X, x.Y)
	}
	return n, nil
}

// constExponent evaluates an exponent that must be a number.
func (c *cell) constExponent(y syntax.Expr) (*big.Rat, error) {
	e, err := c.lower(y, nil)
	if err != nil {
		return nil, err
	}
	k, ok := e.(*expr.Const)
	if !ok {
		return nil, c.errorf(ValueError, y, "an exponent must be a number, not %s", c.text(y))
	}
	return k.Value(), nil
}

func (c *cell) lowerPow(x *syntax.Binary, hint *expr.Shape) (expr.Node, error) {
	a, err := c.lower(x.X, hint)
	if err != nil {
		return nil, err
	}
	p, err := c.constExponent(x.Y)
	if err != nil {
		return nil, err
	}
	var n expr.Node
	if x.Op == syntax.EPOW || a.Shape().IsScalar() {
		if p.Num().BitLen() > 32 || p.Denom().BitLen() > 32 {
			return nil, c.errorf(ValueError, x.Y, "the exponent %s is too large", p.RatString())
		}
		n, err = expr.ElemPow(a, p)
	} else {
		if !p.IsInt() {
			return nil, c.errorf(ValueError, x.Y, "a matrix power needs an integer exponent, not %s (use .^ for an elementwise power)", p.RatString())
		}
		if !p.Num().IsInt64() || p.Num().Int64() > expr.MaxPower || p.Num().Int64() < -expr.MaxPower {
			return nil, c.errorf(ValueError, x.Y, "the exponent %s is too large (at most %d)", p.RatString(), expr.MaxPower)
		}
		if !a.Shape().IsSquare() {
			return nil, c.errorAt(ShapeError, x.OpPos, "cannot raise %s (%s) to a power: it is not square (use .^ for an elementwise power)", c.text(x.X), a.Shape())
		}
		n, err = expr.Pow(a, int(p.Num().Int64()))
	}
	if err != nil {
		return nil, c.wrapShape(err, x.OpPos, x.X, nil)
	}
	return n, nil
}

func (c *cell) lowerMatrix(x *syntax.Matrix) (expr.Node, error) {
	if len(x.Rows) == 0 {
		return nil, c.errorf(ValueError, x, "an empty matrix [] has no meaning here")
	}
	rows := make([][]expr.Node, len(x.Rows))
	for i, row := range x.Rows {
		if len(row) != len(x.Rows[0]) {
			return nil, c.errorf(ShapeError, row[0], "row %d has %d entries, but row 1 has %d", i+1, len(row), len(x.Rows[0]))
		}
		for _, e := range row {
			n, err := c.lower(e, nil)
			if err != nil {
				return nil, err
			}
			if !n.Shape().IsScalar() {
				return nil, c.errorf(ShapeError, e, "a symbolic matrix literal needs scalar entries, but %s is %s (block matrices work on values only)", c.text(e), n.Shape())
			}
			rows[i] = append(rows[i], n)
		}
	}
	n, err := expr.Matrix(rows)
	if err != nil {
		return nil, c.wrapShape(err, x.Pos(), x, nil)
	}
	return n, nil
}

// sizeArgs reads the sizes of zeros(m, n), ones(m, n), rand(m, n); one
// argument means square. Integer sizes are checked against the budget.
func (c *cell) sizeArgs(call *syntax.Call) (expr.Shape, error) {
	m, err := c.dimArg(call.Args[0])
	if err != nil {
		return expr.Shape{}, err
	}
	n := m
	if len(call.Args) > 1 {
		if n, err = c.dimArg(call.Args[1]); err != nil {
			return expr.Shape{}, err
		}
	}
	mv, err1 := m.Eval(c.env.lookupDim)
	nv, err2 := n.Eval(c.env.lookupDim)
	if err1 == nil && err2 == nil && (mv > linalg.MaxElements || nv > linalg.MaxElements || mv*nv > linalg.MaxElements) {
		return expr.Shape{}, c.errorf(ValueError, call, "%s would have %d×%d = %d entries; the limit is %d", c.text(call), mv, nv, new(big.Int).Mul(big.NewInt(int64(mv)), big.NewInt(int64(nv))), linalg.MaxElements)
	}
	return expr.MatrixShape(m, n), nil
}

// unknownFunction is the error of a call of a name that is not a
// function: a symbol, or a misspelling with the closest name suggested.
func (c *cell) unknownFunction(x *syntax.Call) error {
	name := x.Fun.Name
	if _, isSym := c.env.syms[name]; isSym {
		return c.errorf(SyntaxError, x, "%s is not a function: write a product as %s*(…)", name, name)
	}
	var names []string
	for n := range c.in.fns {
		names = append(names, n)
	}
	if s := aliases()[name]; s != "" {
		return c.errorf(NameError, x.Fun, "unknown function %s: did you mean %s?", name, s)
	}
	if s := Closest(name, names); s != "" {
		return c.errorf(NameError, x.Fun, "unknown function %s: did you mean %s?", name, s)
	}
	return c.errorf(NameError, x.Fun, "unknown function %s", name)
}

// lowerCall builds the symbolic form of a call of a function, a command
// inside an expression (its result) or a named expression (xs(1)).
func (c *cell) lowerCall(x *syntax.Call, hint *expr.Shape) (expr.Node, error) {
	name := x.Fun.Name
	f, ok := c.in.fns[name]
	if n, isNamed := c.env.named[name]; isNamed && !ok {
		return c.applyNamed(x, n)
	}
	if !ok {
		return nil, c.unknownFunction(x)
	}
	if err := c.checkArity(x, f); err != nil {
		return nil, err
	}
	if isDerivation(name) {
		der, err := c.derive(x, nil)
		if err != nil {
			return nil, err
		}
		return der.Result, nil
	}
	if f.Kind == builtin.Command {
		return nil, c.errorf(SyntaxError, x, "%s is a command: use it alone on a line, or as g = %s", name, f.Help.Sig)
	}
	if f.Kind == builtin.Constructor {
		return c.lowerConstructor(x)
	}
	switch name {
	case "expm":
		return c.lowerExpm(x)
	}
	if f.Kind == builtin.Numeric {
		if name == "rand" {
			if _, err := c.sizeArgs(x); err != nil {
				return nil, err
			}
		}
		return nil, &valueOnlyError{c.errorf(ValueError, x, "%s works on numbers only, and %s has symbols without values", name, c.text(x)), name}
	}
	if len(x.Args) == 2 {
		a, b, err := c.lowerPair(x.Args[0], x.Args[1], nil, false)
		if err != nil {
			return nil, err
		}
		var n expr.Node
		switch name {
		case "kron":
			n, err = expr.Kron(a, b)
		case "dot":
			n, err = expr.Inner(a, b)
		}
		if err != nil {
			return nil, c.wrapShape(err, x.Pos(), x.Args[0], x.Args[1])
		}
		return n, nil
	}
	arg := x.Args[0]
	// log(det(X)) is log det X.
	if inner, ok := arg.(*syntax.Call); ok && name == "log" && inner.Fun.Name == "det" && len(inner.Args) == 1 {
		a, err := c.lower(inner.Args[0], nil)
		if err != nil {
			return nil, err
		}
		n, err := expr.LogDet(a)
		if err != nil {
			return nil, c.wrapShape(err, x.Pos(), inner.Args[0], nil)
		}
		return n, nil
	}
	a, err := c.lower(arg, nil)
	if err != nil {
		return nil, err
	}
	var n expr.Node
	switch name {
	case "tr":
		n, err = expr.Tr(a)
	case "det":
		n, err = expr.Det(a)
	case "logdet":
		n, err = expr.LogDet(a)
	case "softmax":
		n, err = expr.SoftmaxOf(a)
	case "logsumexp":
		n, err = expr.LogSumExpOf(a)
	case "inv":
		n, err = expr.Inv(a)
	case "pinv":
		n, err = expr.Pinv(a)
	case "norm":
		n, err = expr.Norm(a)
	case "sum":
		n, err = expr.SumEntries(a)
	case "diag":
		n, err = expr.Diag(a)
	case "vec":
		n, err = expr.Vec(a)
	default:
		n, err = expr.Apply(name, a)
	}
	if err != nil {
		return nil, c.wrapShape(err, x.Pos(), arg, nil)
	}
	return n, nil
}

// lowerConstructor builds a constant matrix of the sizes given: eye, K,
// zeros, ones.
func (c *cell) lowerConstructor(x *syntax.Call) (expr.Node, error) {
	name := x.Fun.Name
	switch name {
	case "eye":
		d, err := c.dimArg(x.Args[0])
		if err != nil {
			return nil, err
		}
		if v, err := d.Eval(c.env.lookupDim); err == nil && (v > linalg.MaxElements || v*v > linalg.MaxElements) {
			return nil, c.errorf(ValueError, x, "eye(%d) would have %d entries; the limit is %d", v, int64(v)*int64(v), linalg.MaxElements)
		}
		return expr.Eye(d), nil
	case "K":
		s, err := c.sizeArgs(x)
		if err != nil {
			return nil, err
		}
		mv, err1 := s.Rows.Eval(c.env.lookupDim)
		nv, err2 := s.Cols.Eval(c.env.lookupDim)
		if err1 == nil && err2 == nil && float64(mv)*float64(nv)*float64(mv)*float64(nv) > linalg.MaxElements {
			return nil, c.errorf(ValueError, x, "%s would have (%d·%d)² entries; the limit is %d", c.text(x), mv, nv, linalg.MaxElements)
		}
		return expr.Commute(s.Rows, s.Cols), nil
	case "zeros", "ones":
		s, err := c.sizeArgs(x)
		if err != nil {
			return nil, err
		}
		if name == "zeros" {
			return expr.ZerosOf(s), nil
		}
		return expr.OnesOf(s), nil
	}
	return nil, c.errorf(InternalError, x, "%s has no symbolic form", name)
}

// sameNumbers reports whether two shapes that differ symbolically agree
// once the bound dimensions are put in: for a product, the inner
// dimensions; otherwise the whole shapes.
func (c *cell) sameNumbers(a, b expr.Shape, mul bool) bool {
	eq := func(x, y expr.Dim) bool {
		p, err1 := x.Eval(c.env.lookupDim)
		q, err2 := y.Eval(c.env.lookupDim)
		return err1 == nil && err2 == nil && p == q
	}
	if mul {
		return a.Cols != b.Rows && eq(a.Cols, b.Rows)
	}
	return a != b && eq(a.Rows, b.Rows) && eq(a.Cols, b.Cols)
}

// applyNamed reads xs(1) for a named expression in one scalar symbol
// without a value (the time t of an ODE solution): that symbol replaced
// by the argument.
func (c *cell) applyNamed(x *syntax.Call, n *named) (expr.Node, error) {
	var free []*expr.Symbol
	for _, s := range expr.Symbols(n.node) {
		if sym, ok := c.env.syms[s.Name()]; ok && sym.value == nil && s.Shape().IsScalar() {
			free = append(free, s)
		}
	}
	if len(x.Args) != 1 || len(free) != 1 {
		return nil, c.errorf(SyntaxError, x, "%s is an expression, not a function: %s(…) works for an expression in one scalar symbol without a value, such as x(t)", x.Fun.Name, x.Fun.Name)
	}
	a, err := c.lower(x.Args[0], nil)
	if err != nil {
		return nil, err
	}
	if !a.Shape().IsScalar() {
		return nil, c.errorf(ShapeError, x.Args[0], "%s(…) needs a scalar for %s, but %s is %s", x.Fun.Name, free[0].Name(), c.text(x.Args[0]), a.Shape())
	}
	r, err := expr.Substitute(n.node, map[string]expr.Node{free[0].Name(): a})
	if err != nil {
		return nil, c.wrapShape(err, x.Pos(), x, nil)
	}
	return r, nil
}
