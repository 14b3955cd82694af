package calculus

import (
	"errors"
	"fmt"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/numeric"
	"github.com/matcalc/matcalc/calculus/ode"
	"github.com/matcalc/matcalc/calculus/plots"
	"github.com/matcalc/matcalc/calculus/syntax"
)

// The ODE commands, answered by package ode.

// odeCommand runs ode, putzer, stability, phase and plot; bind, when not
// nil, names the result (xs = ode(A, x0)).
func (c *cell) odeCommand(call *syntax.Call, bind *syntax.Ident) ([]Output, error) {
	switch call.Fun.Name {
	case "ode":
		return c.odeSolve(call, bind)
	case "putzer":
		return c.putzer(call, bind)
	case "stability":
		return c.stability(call)
	case "phase":
		return c.phase(call)
	case "plot":
		return c.plot(call)
	}
	return nil, c.errorf(NameError, call.Fun, "unknown command %s", call.Fun.Name)
}

// odeError turns an error of package ode into an *Error at the call.
func (c *cell) odeError(call *syntax.Call, err error) error {
	msg := err.Error()
	if errors.Is(err, ode.ErrNoClosedForm) {
		msg += " (a float matrix, or eigenvalues outside one field Q(√d), has no exact closed form; with a number for t, such as expm(A*0.5), e^{At} is computed numerically)"
	}
	return c.errorf(ValueError, call, "%s: %s", c.text(call), msg)
}

// squareValue evaluates a matrix argument that must be a square value.
func (c *cell) squareValue(call *syntax.Call, a syntax.Expr) (*linalg.Matrix, error) {
	v, err := c.value(a)
	if err != nil {
		return nil, err
	}
	if !v.IsSquare() {
		return nil, c.errorf(ShapeError, a, "%s needs a square matrix, but %s is %s", call.Fun.Name, c.text(a), numShape(v))
	}
	return v, nil
}

// timeSymbol returns the scalar symbol t of the closed forms, declaring
// it when it is not declared yet.
func (c *cell) timeSymbol(at syntax.Node, name string) (*expr.Symbol, error) {
	if s, ok := c.env.syms[name]; ok {
		if !s.sym.Shape().IsScalar() {
			return nil, c.errorf(ShapeError, at, "%s must be a scalar to be the time variable, but it is %s", name, s.sym.Shape())
		}
		return s.sym, nil
	}
	if _, ok := c.env.named[name]; ok || c.env.dimNames[name] {
		return nil, c.errorf(NameError, at, "%s is already used: the time variable must be a scalar symbol", name)
	}
	s := &symbol{sym: expr.ScalarSymbol(name), kind: "scalar"}
	c.env.syms[name] = s
	c.env.define(name)
	return s.sym, nil
}

// bindNode names a result, refusing declared symbols.
func (c *cell) bindNode(bind *syntax.Ident, n expr.Node) error {
	if err := c.checkAssignable(bind); err != nil {
		return err
	}
	if s, ok := c.env.syms[bind.Name]; ok && !s.implicit {
		return c.errorf(NameError, bind, "%s is a declared symbol: bind the result to a new name", bind.Name)
	}
	c.env.forget(bind.Name)
	c.env.named[bind.Name] = &named{node: n}
	c.env.define(bind.Name)
	return nil
}

func (c *cell) odeSolve(call *syntax.Call, bind *syntax.Ident) ([]Output, error) {
	a, err := c.squareValue(call, call.Args[0])
	if err != nil {
		return nil, err
	}
	x0, err := c.value(call.Args[1])
	if err != nil {
		return nil, err
	}
	var b *linalg.Matrix
	if len(call.Args) > 2 {
		if b, err = c.value(call.Args[2]); err != nil {
			return nil, err
		}
	}
	n, _ := a.Dims()
	for _, v := range []*linalg.Matrix{x0, b} {
		if v == nil {
			continue
		}
		if r, cols := v.Dims(); r != n || cols != 1 {
			return nil, c.errorf(ShapeError, call, "%s: A is %d×%d, so x0 and b must be %d×1 vectors, not %d×%d", c.text(call), n, n, n, r, cols)
		}
	}
	sol, err := ode.SolveAffine(a, b, x0)
	if err != nil {
		return nil, c.odeError(call, err)
	}
	plain, latex := ode.Render(sol.Steps)
	outs := []Output{{Kind: Display, Plain: plain, LaTeX: latex}}
	if !sol.Exact {
		if bind != nil {
			return outs, c.errorf(ValueError, call, "%s has no exact closed form to bind; the steps above give it numerically", c.text(call))
		}
		return outs, nil
	}
	return c.closedForm(call, call, "t", bind, outs, sol.Node)
}

func (c *cell) putzer(call *syntax.Call, bind *syntax.Ident) ([]Output, error) {
	a, err := c.squareValue(call, call.Args[0])
	if err != nil {
		return nil, err
	}
	p, err := ode.PutzerExp(a)
	if err != nil {
		return nil, c.odeError(call, err)
	}
	var pl, lx strings.Builder
	fmt.Fprintf(&pl, "eigenvalues in the order used: %s\n", strings.Join(p.Eigenvalues, ", "))
	lx.WriteString(`\begin{aligned}`)
	for j, s := range p.Steps {
		fmt.Fprintf(&pl, "P%d = %s    r%d(t) = %s    (λ%d = %s)\n", j, s.P, j+1, s.R, j+1, s.Lambda)
		fmt.Fprintf(&lx, `P_{%d} &= %s, & r_{%d}(t) &= %s, & \lambda_{%d} &= %s \\`, j, s.PLaTeX, j+1, s.RLaTeX, j+1, s.LambdaLaTeX)
	}
	lx.WriteString(`\end{aligned}`)
	plain, latex := ode.Render(p.Exp.Steps)
	outs := []Output{{Kind: Display, Plain: strings.TrimRight(pl.String(), "\n"), LaTeX: lx.String()}, {Kind: Display, Plain: plain, LaTeX: latex}}
	return c.closedForm(call, call, "t", bind, outs, p.Exp.Node)
}

// closedForm binds (bind not nil) or shows after outs a closed form in the
// scalar time variable tname, declared at `at` when it is not yet; node
// builds the closed form from the symbol.
func (c *cell) closedForm(call *syntax.Call, at syntax.Node, tname string, bind *syntax.Ident, outs []Output, node func(*expr.Symbol) (expr.Node, error)) ([]Output, error) {
	t, err := c.timeSymbol(at, tname)
	if err != nil {
		return nil, err
	}
	n, err := node(t)
	if err != nil {
		return nil, c.odeError(call, err)
	}
	if bind != nil {
		return outs, c.bindNode(bind, n)
	}
	return append(outs, Output{Kind: Value, Plain: n.String(), LaTeX: n.LaTeX(), Expr: n}), nil
}

// expmClosed runs expm(A*t) for a value A and a scalar symbol t without a
// value: the closed form of e^{At}. It reports false when the argument is
// not of that form.
func (c *cell) expmClosed(call *syntax.Call, bind *syntax.Ident) ([]Output, bool, error) {
	if len(call.Args) != 1 {
		return nil, false, nil
	}
	m, ok := call.Args[0].(*syntax.Binary)
	if !ok || m.Op != syntax.MUL {
		return nil, false, nil
	}
	aExpr, tExpr := m.X, m.Y
	tid, ok := tExpr.(*syntax.Ident)
	if !ok || c.allValued(tid) {
		aExpr, tExpr = m.Y, m.X
		if tid, ok = tExpr.(*syntax.Ident); !ok || c.allValued(tid) {
			return nil, false, nil
		}
	}
	if !c.allValued(aExpr) {
		return nil, false, nil
	}
	if s, ok := c.env.syms[tid.Name]; ok && !s.sym.Shape().IsScalar() {
		return nil, false, nil
	}
	if _, ok := c.env.named[tid.Name]; ok {
		return nil, false, nil
	}
	a, err := c.squareValue(call, aExpr)
	if err != nil {
		return nil, true, err
	}
	e, err := ode.Expm(a)
	if err != nil {
		return nil, true, c.odeError(call, err)
	}
	plain, latex := ode.Render(e.Steps)
	outs, err := c.closedForm(call, tid, tid.Name, bind, []Output{{Kind: Display, Plain: plain, LaTeX: latex}}, e.Node)
	return outs, true, err
}

func (c *cell) stability(call *syntax.Call) ([]Output, error) {
	a, err := c.squareValue(call, call.Args[0])
	if err != nil {
		return nil, err
	}
	var b *linalg.Matrix
	if len(call.Args) > 1 {
		if b, err = c.value(call.Args[1]); err != nil {
			return nil, err
		}
	}
	s, err := ode.CheckStability(a, b)
	if err != nil {
		return nil, c.odeError(call, err)
	}
	plain, latex := ode.Render(s.Steps)
	verdict := s.Verdict.String()
	switch {
	case s.Kind == "":
	case strings.HasSuffix(verdict, ")"):
		// stable but not asymptotically (marginal; center)
		verdict = strings.TrimSuffix(verdict, ")") + "; " + s.Kind + ")"
	default:
		verdict += " (" + s.Kind + ")"
	}
	return []Output{{Kind: Display, Plain: plain, LaTeX: latex}, {Kind: Value, Plain: verdict, LaTeX: `\text{` + expr.TeXText(verdict) + `}`}}, nil
}

func (c *cell) phase(call *syntax.Call) ([]Output, error) {
	a, err := c.squareValue(call, call.Args[0])
	if err != nil {
		return nil, err
	}
	if n, _ := a.Dims(); n != 2 {
		return nil, c.errorf(ShapeError, call.Args[0], "phase draws 2-D systems: %s is %d×%d", c.text(call.Args[0]), n, n)
	}
	x0, err := linalg.NewInts(2, 1, []int64{1, 1})
	if err != nil {
		return nil, c.valueErr(err, call.Pos(), "phase")
	}
	if len(call.Args) > 1 {
		if x0, err = c.value(call.Args[1]); err != nil {
			return nil, err
		}
	}
	var b *linalg.Matrix
	if len(call.Args) > 2 {
		if b, err = c.value(call.Args[2]); err != nil {
			return nil, err
		}
	}
	fig, what, err := plots.Phase(a, b, x0)
	if err != nil {
		return nil, c.odeError(call, err)
	}
	desc := fmt.Sprintf("phase portrait of x' = %s*x", a)
	if b != nil {
		desc += fmt.Sprintf(" + %s", b)
	}
	desc += ": " + what
	return []Output{figureOutput(desc, fig)}, nil
}

// figureOutput is the display of a figure: its description as the plain
// text, the SVG, and the PNG for front ends that do not show SVG.
func figureOutput(desc string, fig *plots.Figure) Output {
	return Output{Kind: Display, Plain: desc, SVG: fig.SVG, PNG: fig.PNG, Width: fig.Width, Height: fig.Height}
}

// plot draws plot(x(t), t = 0..2): the components of an expression in a
// scalar t over a range.
func (c *cell) plot(call *syntax.Call) ([]Output, error) {
	kv, ok := call.Args[1].(*syntax.KeyValue)
	if !ok {
		return nil, c.errorf(SyntaxError, call.Args[1], "expected a range such as t = 0..2")
	}
	rng, ok := kv.Value.(*syntax.Range)
	if !ok {
		return nil, c.errorf(SyntaxError, kv.Value, "expected a range lo..hi, such as 0..2")
	}
	lo, err := c.floatValue(rng.Lo)
	if err != nil {
		return nil, err
	}
	hi, err := c.floatValue(rng.Hi)
	if err != nil {
		return nil, err
	}
	if !(lo < hi) {
		return nil, c.errorf(ValueError, rng, "the range must go from a smaller to a larger number, not %s", c.text(rng))
	}
	t, err := c.timeSymbol(kv.Key, kv.Key.Name)
	if err != nil {
		return nil, err
	}
	target := call.Args[0]
	// x(t) names the function x of t.
	if f, ok := target.(*syntax.Call); ok && len(f.Args) == 1 {
		if id, ok := f.Args[0].(*syntax.Ident); ok && id.Name == kv.Key.Name {
			if _, isFn := c.in.fns[f.Fun.Name]; !isFn {
				target = f.Fun
			}
		}
	}
	node, err := c.lower(target, nil)
	if err != nil {
		return nil, err
	}
	sh := node.Shape()
	if !sh.Cols.IsOne() {
		return nil, c.errorf(ShapeError, call.Args[0], "plot needs a scalar or a vector, but %s is %s", c.text(call.Args[0]), sh)
	}
	bind := c.bindings()
	rows, _, err := bind.Shape(sh)
	if err != nil {
		return nil, c.errorf(ValueError, call.Args[0], "cannot plot %s: %v", c.text(call.Args[0]), err)
	}
	if rows > 20 {
		return nil, c.errorf(ValueError, call.Args[0], "plot draws at most 20 curves, and %s has %d components", c.text(call.Args[0]), rows)
	}
	name := c.text(target)
	eval := func(tv float64) (*linalg.Matrix, error) {
		b := bind.Clone()
		b.Values[t.Name()] = linalg.Float(tv)
		return numeric.EvalContext(c.ctx, node, b)
	}
	if _, err := eval(lo); err != nil {
		return nil, c.errorf(ValueError, call.Args[0], "cannot evaluate %s at %s = %g: %v", c.text(call.Args[0]), t.Name(), lo, err)
	}
	var curves []plots.Curve
	for i := range rows {
		label := name
		if rows > 1 {
			label = fmt.Sprintf("%s[%d]", name, i+1)
		}
		curves = append(curves, plots.Curve{Name: label, F: func(tv float64) (float64, error) {
			v, err := eval(tv)
			if err != nil {
				return 0, err
			}
			return v.At(i, 0), nil
		}})
	}
	fig, err := plots.Curves(c.text(call.Args[0]), curves, lo, hi)
	if err != nil {
		return nil, c.odeError(call, err)
	}
	desc := fmt.Sprintf("plot of %s for %s from %g to %g: %d curve(s)", c.text(call.Args[0]), t.Name(), lo, hi, rows)
	return []Output{figureOutput(desc, fig)}, nil
}

// floatValue evaluates a scalar to a float.
func (c *cell) floatValue(x syntax.Expr) (float64, error) {
	v, err := c.value(x)
	if err != nil {
		return 0, err
	}
	if !v.IsScalar() {
		return 0, c.errorf(ValueError, x, "expected a number, not %s", v)
	}
	return v.Value(), nil
}

// lowerExpm gives the closed form of expm(M*s) for a product of factors
// that have values (the matrix M) and scalar factors without values (s,
// an expression such as t or t^2/2): e^{Mτ} by package ode, with τ then
// replaced by s.
func (c *cell) lowerExpm(call *syntax.Call) (expr.Node, error) {
	arg := call.Args[0]
	var valued, scalars []syntax.Expr
	var divValued, divScalars []syntax.Expr
	var walk func(x syntax.Expr, div bool) bool
	walk = func(x syntax.Expr, div bool) bool {
		if p, ok := x.(*syntax.Paren); ok {
			return walk(p.X, div)
		}
		if b, ok := x.(*syntax.Binary); ok && (b.Op == syntax.MUL || b.Op == syntax.QUO) && !div {
			return walk(b.X, false) && walk(b.Y, b.Op == syntax.QUO)
		}
		switch {
		case c.allValued(x) && div:
			divValued = append(divValued, x)
		case c.allValued(x):
			valued = append(valued, x)
		case div:
			divScalars = append(divScalars, x)
		default:
			scalars = append(scalars, x)
		}
		return true
	}
	walk(arg, false)
	notClosed := func() error {
		return &valueOnlyError{c.errorf(ValueError, call, "expm(…) in closed form needs a matrix with a value times a scalar without one, such as expm(A*t); %s is not of that form", c.text(arg)), "expm"}
	}
	if len(valued) == 0 || len(scalars) == 0 {
		return nil, notClosed()
	}
	// M: the product of the valued factors, in order, over the valued divisors.
	m, err := c.value(valued[0])
	if err != nil {
		return nil, err
	}
	for _, v := range valued[1:] {
		w, err := c.value(v)
		if err != nil {
			return nil, err
		}
		if m, err = linalg.Mul(m, w); err != nil {
			return nil, c.valueErr(err, v.Pos(), "expm")
		}
	}
	for _, v := range divValued {
		w, err := c.value(v)
		if err != nil {
			return nil, err
		}
		if !w.IsScalar() {
			return nil, notClosed()
		}
		if m, err = linalg.Div(m, w); err != nil {
			return nil, c.valueErr(err, v.Pos(), "expm")
		}
	}
	if !m.IsSquare() {
		return nil, c.errorf(ShapeError, arg, "expm needs a square matrix, but the matrix in %s is %s", c.text(arg), numShape(m))
	}
	// s: the product of the scalar factors without values.
	var s expr.Node = expr.IntConst(1)
	for i, x := range append(scalars, divScalars...) {
		n, err := c.lower(x, nil)
		if err != nil {
			return nil, err
		}
		if !n.Shape().IsScalar() {
			return nil, notClosed()
		}
		if i >= len(scalars) {
			s, err = expr.Div(s, n)
		} else {
			s, err = expr.Mul(s, n)
		}
		if err != nil {
			return nil, c.wrapShape(err, x.Pos(), x, nil)
		}
	}
	e, err := ode.Expm(m)
	if err != nil {
		return nil, c.odeError(call, err)
	}
	tau := expr.ScalarSymbol("τ")
	node, err := e.Node(tau)
	if err != nil {
		return nil, c.odeError(call, err)
	}
	node, err = expr.Substitute(node, map[string]expr.Node{tau.Name(): s})
	if err != nil {
		return nil, c.odeError(call, err)
	}
	return node, nil
}
