package calculus

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"strings"

	"github.com/matcalc/matcalc/calculus/builtin"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/syntax"
)

// cell is the state of one Exec: the interpreter, the cell's source (for
// error positions) and its context.
type cell struct {
	in  *Interpreter
	env *env
	src string
	ctx context.Context
}

// errorf returns an *Error of the given kind at the start of node n.
func (c *cell) errorf(kind Kind, n syntax.Node, format string, args ...any) *Error {
	return c.errorAt(kind, n.Pos(), format, args...)
}

func (c *cell) errorAt(kind Kind, p syntax.Pos, format string, args ...any) *Error {
	return &Error{Kind: kind, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, args...), Source: syntax.Line(c.src, p.Line)}
}

// failed returns an *Error of the given kind at node n: n's text, then
// what cause says went wrong. The cause stays reachable (errors.Unwrap).
func (c *cell) failed(kind Kind, n syntax.Node, cause error) *Error {
	e := c.errorf(kind, n, "%s: %s", c.text(n), cause)
	e.err = cause
	return e
}

// text returns the source text of n, shortened when long, for messages.
func (c *cell) text(n syntax.Node) string {
	t := c.source(n)
	if r := []rune(t); len(r) > 40 {
		t = string(r[:37]) + "…"
	}
	return t
}

// source is the whole text of n as the student typed it, blanks collapsed: a verdict
// quotes both sides in full.
func (c *cell) source(n syntax.Node) string {
	p, e := n.Pos().Offset, n.End().Offset
	if p < 0 || e > len(c.src) || p > e {
		return "?"
	}
	return strings.Join(strings.Fields(c.src[p:e]), " ")
}

// runStmt runs one statement. A panic in any package below is turned into
// an InternalError at the statement, so that no input can crash the kernel.
func (c *cell) runStmt(st syntax.Stmt) (outs []Output, err error) {
	defer func() {
		if r := recover(); r != nil {
			outs = nil
			err = c.errorf(InternalError, st, "internal error (please report it): %v\n%s", r, firstFrames(debug.Stack()))
		}
	}()
	switch st := st.(type) {
	case *syntax.DeclStmt:
		return nil, c.declare(st)
	case *syntax.AssignStmt:
		return c.assign(st)
	case *syntax.CommandStmt:
		return nil, c.command(st)
	case *syntax.ExprStmt:
		return c.show(st.X)
	}
	return nil, c.errorf(SyntaxError, st, "cannot run this statement")
}

// firstFrames keeps a few lines of a stack trace for an internal error.
func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	if len(lines) > 12 {
		lines = lines[:12]
	}
	return strings.Join(lines, "\n")
}

// declare runs x, b : vector(n) and A : matrix(m, n) symmetric.
func (c *cell) declare(d *syntax.DeclStmt) error {
	var props expr.Props
	for _, p := range d.Props {
		switch p.Name {
		case "symmetric":
			props |= expr.Symmetric
		case "spd":
			props |= expr.SPD
		case "invertible":
			props |= expr.Invertible
		case "diagonal":
			props |= expr.Diagonal
		case "orthogonal":
			props |= expr.Orthogonal
		default:
			hint := ""
			if s := Closest(p.Name, []string{"symmetric", "spd", "invertible", "diagonal", "orthogonal"}); s != "" {
				hint = fmt.Sprintf(" (did you mean %s?)", s)
			}
			return c.errorf(SyntaxError, p, "unknown property %s%s: expected symmetric, spd, invertible, diagonal or orthogonal", p.Name, hint)
		}
	}
	var dims []expr.Dim
	var dimText []string
	for _, a := range d.Args {
		dim, err := c.declDim(a)
		if err != nil {
			return err
		}
		dims = append(dims, dim)
		dimText = append(dimText, dim.String())
	}
	var shape expr.Shape
	kind := d.Type.Name
	switch kind {
	case "scalar":
		if len(dims) != 0 {
			return c.errorf(SyntaxError, d.Args[0], "a scalar has no dimensions: write c : scalar")
		}
		shape = expr.ScalarShape()
	case "vector":
		if len(dims) != 1 {
			return c.errorf(SyntaxError, d.Type, "expected one dimension: vector(n)")
		}
		shape = expr.VectorShape(dims[0])
	case "matrix":
		switch len(dims) {
		case 1:
			shape = expr.MatrixShape(dims[0], dims[0])
			dimText = append(dimText, dimText[0])
		case 2:
			shape = expr.MatrixShape(dims[0], dims[1])
		default:
			return c.errorf(SyntaxError, d.Type, "expected two dimensions: matrix(m, n)")
		}
	default:
		hint := ""
		if s := Closest(kind, []string{"scalar", "vector", "matrix"}); s != "" {
			hint = fmt.Sprintf(" (did you mean %s?)", s)
		}
		return c.errorf(SyntaxError, d.Type, "unknown type %s%s: expected scalar, vector(n) or matrix(m, n)", kind, hint)
	}
	if props != 0 && !shape.IsSquare() {
		return c.errorf(ShapeError, d.Props[0], "%s needs a square matrix, but %s is %s", props, d.Names[0].Name, shape)
	}
	for _, id := range d.Names {
		if err := c.checkNewName(id); err != nil {
			return err
		}
	}
	for _, a := range d.Args {
		for _, name := range dimNamesOf(a) {
			c.env.dimNames[name] = true
		}
	}
	for _, id := range d.Names {
		c.env.forget(id.Name)
		c.env.syms[id.Name] = &symbol{sym: expr.NewSymbol(id.Name, shape, props), kind: kind, dims: dimText}
		c.env.define(id.Name)
	}
	return nil
}

// checkNewName refuses to declare a name the language reserves.
func (c *cell) checkNewName(id *syntax.Ident) error {
	if _, ok := c.in.fns[id.Name]; ok {
		return c.errorf(NameError, id, "%s is a function of the language and cannot be declared", id.Name)
	}
	if _, ok := c.in.commands[id.Name]; ok {
		return c.errorf(NameError, id, "%s is a command of the language and cannot be declared", id.Name)
	}
	if id.Name == "I" {
		// T may be a name (a matrix called T is common); X^T stays the
		// transpose of X whatever T is.
		return c.errorf(NameError, id, "%s is reserved: I is the identity", id.Name)
	}
	if c.env.dimNames[id.Name] {
		return c.errorf(NameError, id, "%s is a dimension and cannot also be a symbol", id.Name)
	}
	return nil
}

// command runs layout numerator, verify off.
func (c *cell) command(st *syntax.CommandStmt) error {
	name := st.Name.Name
	cmd, ok := c.in.commands[name]
	if !ok {
		if _, isSym := c.env.syms[name]; isSym || c.env.named[name] != nil {
			return c.errorf(SyntaxError, st.Args[0], "expected an operator between %s and %s", name, c.text(st.Args[0]))
		}
		var names []string
		for n := range c.in.commands {
			names = append(names, n)
		}
		hint := ""
		if s := Closest(name, names); s != "" {
			hint = fmt.Sprintf(" (did you mean %s?)", s)
		}
		return c.errorf(NameError, st.Name, "unknown command %s%s: the commands are layout and verify", name, hint)
	}
	if len(st.Args) != 1 {
		return c.errorf(SyntaxError, st.Name, "expected %s %s", name, strings.Join(cmd.Args, " or "))
	}
	arg := c.text(st.Args[0])
	valid := false
	for _, a := range cmd.Args {
		valid = valid || a == arg
	}
	if !valid {
		return c.errorf(ValueError, st.Args[0], "expected %s %s, not %s", name, strings.Join(cmd.Args, " or "), arg)
	}
	switch name {
	case "layout":
		c.env.layout = arg
	case "verify":
		c.env.verify = arg == "on"
	}
	return nil
}

// assign runs name = expr. A declared symbol gets a value; a dimension
// gets a number; any other name becomes a value (when the right side has
// no symbols) or a named expression.
func (c *cell) assign(st *syntax.AssignStmt) ([]Output, error) {
	name := st.Name.Name
	if err := c.checkAssignable(st.Name); err != nil {
		return nil, err
	}
	if s, ok := c.env.syms[name]; ok && !s.implicit {
		v, err := c.value(st.Value)
		if err != nil {
			return nil, err
		}
		return nil, c.setValue(st, s, v)
	}
	if c.env.dimNames[name] {
		v, err := c.value(st.Value)
		if err != nil {
			return nil, err
		}
		return nil, c.bindDim(st, v)
	}
	if call, ok := st.Value.(*syntax.Call); ok {
		if f, ok := c.in.fns[call.Fun.Name]; ok && f.Kind == builtin.Command {
			return c.runCommand(call, st.Name)
		}
		if call.Fun.Name == "expm" {
			if outs, ok, err := c.expmClosed(call, st.Name); ok {
				return outs, err
			}
		}
	}
	if !c.hasSymbols(st.Value) {
		v, err := c.value(st.Value)
		if err != nil {
			return nil, err
		}
		if _, isNamed := c.env.named[name]; !isNamed && c.env.syms[name] == nil && v.IsScalar() {
			if n, err := v.IntValue(); err == nil && n >= 1 && isNumberLit(st.Value) {
				// n = 3: a new name bound to a positive integer literal is
				// a dimension (it can still be used as a number).
				c.env.dimNames[name] = true
				return nil, c.bindDim(st, v)
			}
		}
		c.storeValue(name, v)
		return nil, nil
	}
	node, err := c.lower(st.Value, nil)
	if err != nil {
		var vo *valueOnlyError
		if errors.As(err, &vo) && c.allValued(st.Value) {
			// L = chol(S): a function of numbers only gives a value.
			v, err := c.value(st.Value)
			if err != nil {
				return nil, err
			}
			c.storeValue(name, v)
			return nil, nil
		}
		return nil, err
	}
	c.env.forget(name)
	c.env.named[name] = &named{node: node}
	c.env.define(name)
	return nil, nil
}

// storeValue makes name a symbol of the value's shape holding v (an
// implicit declaration: M = [1 2; 3 4]).
func (c *cell) storeValue(name string, v *linalg.Matrix) {
	r, cols := v.Dims()
	s := &symbol{sym: expr.MatrixSymbol(name, expr.Int(int64(r)), expr.Int(int64(cols)), 0), implicit: true, value: v}
	switch {
	case r == 1 && cols == 1:
		s.kind = "scalar"
		s.sym = expr.ScalarSymbol(name)
	case cols == 1:
		s.kind, s.dims = "vector", []string{fmt.Sprint(r)}
		s.sym = expr.VectorSymbol(name, expr.Int(int64(r)))
	default:
		s.kind, s.dims = "matrix", []string{fmt.Sprint(r), fmt.Sprint(cols)}
	}
	c.env.forget(name)
	c.env.syms[name] = s
	c.env.define(name)
}

func isNumberLit(x syntax.Expr) bool {
	_, ok := x.(*syntax.Number)
	return ok
}

// checkAssignable refuses assignments to the language's own names.
func (c *cell) checkAssignable(id *syntax.Ident) error {
	if _, ok := c.in.fns[id.Name]; ok {
		return c.errorf(NameError, id, "%s is a function of the language and cannot be assigned", id.Name)
	}
	if id.Name == "I" {
		// T may be a name (a matrix called T is common); X^T stays the
		// transpose of X whatever T is.
		return c.errorf(NameError, id, "%s is reserved: I is the identity", id.Name)
	}
	return nil
}

// setValue gives the declared symbol s the value v, binding its unbound
// dimensions and checking the bound ones and its properties.
func (c *cell) setValue(st *syntax.AssignStmt, s *symbol, v *linalg.Matrix) error {
	shape := s.sym.Shape()
	r, cols := v.Dims()
	bind := map[string]int{}
	if ok, why := c.fitShape(shape, r, cols, bind); !ok {
		return c.errorf(ShapeError, st.Value, "%s is declared %s, which is %s, but the value is %d×%d%s", st.Name.Name, s.decl(), c.env.shapeText(shape), r, cols, why)
	}
	if err := c.checkProps(st, s, v); err != nil {
		return err
	}
	for n, k := range bind {
		c.env.dims[n] = k
	}
	s.value = v
	return nil
}

// checkProps refuses a value that contradicts a declared property.
func (c *cell) checkProps(st *syntax.AssignStmt, s *symbol, v *linalg.Matrix) error {
	p := s.sym.Props()
	if p == 0 {
		return nil
	}
	if p.Has(expr.Symmetric) && !linalg.IsSymmetric(v) {
		return c.errorf(ValueError, st.Value, "%s is declared %s but the value is not symmetric", st.Name.Name, p)
	}
	if p.Has(expr.SPD) {
		if _, err := linalg.Chol(v); err != nil {
			return c.errorf(ValueError, st.Value, "%s is declared spd but the value is not positive definite", st.Name.Name)
		}
	}
	if p.Has(expr.Invertible) && !p.Has(expr.SPD) {
		if _, err := linalg.Inv(v); err != nil {
			return c.errorf(ValueError, st.Value, "%s is declared invertible but the value is singular", st.Name.Name)
		}
	}
	if p.Has(expr.Diagonal) {
		r, _ := v.Dims()
		for i := range r {
			for j := range r {
				if i != j && v.At(i, j) != 0 {
					return c.errorf(ValueError, st.Value, "%s is declared diagonal but entry (%d, %d) of the value is not 0", st.Name.Name, i+1, j+1)
				}
			}
		}
	}
	if p.Has(expr.Orthogonal) {
		q, err := linalg.Mul(v.T(), v)
		r, _ := v.Dims()
		id, err2 := linalg.Eye(r)
		if err != nil || err2 != nil || !linalg.EqualApprox(q, id, 1e-9) {
			return c.errorf(ValueError, st.Value, "%s is declared orthogonal but the value does not satisfy Xᵀ X = I", st.Name.Name)
		}
	}
	return nil
}

// bindDim binds a dimension to a positive integer value.
func (c *cell) bindDim(st *syntax.AssignStmt, v *linalg.Matrix) error {
	name := st.Name.Name
	n, err := v.IntValue()
	if err != nil || n < 1 {
		return c.errorf(ValueError, st.Value, "%s is a dimension: its value must be a positive integer, not %s", name, v)
	}
	if n > linalg.MaxElements {
		return c.errorf(ValueError, st.Value, "%s = %d is too large: the largest dimension is %d", name, n, linalg.MaxElements)
	}
	if old, ok := c.env.dims[name]; ok && old != n {
		for _, sn := range c.env.order {
			s := c.env.syms[sn]
			if s == nil || s.value == nil {
				continue
			}
			sh := s.sym.Shape()
			for _, d := range []expr.Dim{sh.Rows, sh.Cols} {
				for _, dn := range d.Names() {
					if dn == name {
						return c.errorf(ValueError, st, "%s is %d and the value of %s depends on it; give %s a new value after changing %s, or %%reset", name, old, sn, sn, name)
					}
				}
			}
		}
	}
	c.env.dims[name] = n
	return nil
}

// show runs a bare expression: its value when every symbol in it has one,
// else the symbolic expression.
func (c *cell) show(x syntax.Expr) ([]Output, error) {
	if call, ok := x.(*syntax.Call); ok {
		if f, ok := c.in.fns[call.Fun.Name]; ok && f.Kind == builtin.Command {
			return c.runCommand(call, nil)
		}
		switch call.Fun.Name {
		case "eig", "svd":
			if c.allValued(x) {
				return c.decomposition(call)
			}
		case "expm":
			if outs, ok, err := c.expmClosed(call, nil); ok {
				return outs, err
			}
		}
	}
	if c.allValued(x) {
		v, err := c.value(x)
		if err != nil {
			return nil, err
		}
		return []Output{valueOutput(v)}, nil
	}
	node, err := c.lower(x, nil)
	if err != nil {
		return nil, err
	}
	return []Output{{Kind: Value, Plain: node.String(), LaTeX: node.LaTeX(), Expr: node}}, nil
}

// maxShown is the largest number of entries a value shows in full.
const maxShown = 10000

// valueOutput renders a value; a float value says so in a comment, so
// that the plain text stays valid input. A value too large to show is
// described instead.
func valueOutput(v *linalg.Matrix) Output {
	if r, c := v.Dims(); r*c > maxShown {
		plain := valuePlain(v)
		return Output{Kind: Value, Plain: plain, LaTeX: `\text{` + expr.TeXText(strings.TrimPrefix(plain, "# ")) + `}`}
	}
	o := Output{Kind: Value, Plain: valuePlain(v), LaTeX: v.LaTeX()}
	switch {
	case !finite(v):
		o.LaTeX += `\quad\text{(floating point: overflow, or a result that is not a number)}`
	case !v.IsExact():
		o.LaTeX += `\quad\text{(floating point)}`
	}
	return o
}

// finite reports whether every entry of v is a finite number; an exact
// value always is.
func finite(v *linalg.Matrix) bool {
	if v.IsExact() {
		return true
	}
	for _, f := range v.Floats() {
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return false
		}
	}
	return true
}

func valuePlain(v *linalg.Matrix) string {
	kind := "exact"
	if !v.IsExact() {
		kind = "floating point"
	}
	if r, c := v.Dims(); r*c > maxShown {
		return fmt.Sprintf("# a %d×%d matrix (%s), too large to show: look at a part of it, such as sum(…) or norm(…)", r, c, kind)
	}
	switch {
	case v.IsExact():
		return v.String()
	case !finite(v):
		return v.String() + "  # floating point: overflow (beyond ±1.8e308), or not a number"
	}
	return v.String() + "  # floating point"
}

func (c *cell) checkArity(call *syntax.Call, f builtin.Func) error {
	n := len(call.Args)
	if n < f.Min || (f.Max >= 0 && n > f.Max) {
		return c.errorf(TypeError, call.Fun, "wrong number of arguments to %s: expected %s, got %d", call.Fun.Name, f.Help.Sig, n)
	}
	return nil
}
