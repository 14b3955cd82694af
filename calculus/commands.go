package calculus

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/matcalc/matcalc/calculus/diff"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/numeric"
	"github.com/matcalc/matcalc/calculus/syntax"
)

// derivationCommands are the commands answered by package diff.
func isDerivation(name string) bool {
	switch name {
	case "d", "grad", "jacobian", "hessian", "d2":
		return true
	}
	return false
}

// runCommand runs a command (grad, ode, …) standing alone (bind nil) or
// assigned to a name (g = grad(f, x)).
func (c *cell) runCommand(call *syntax.Call, bind *syntax.Ident) ([]Output, error) {
	name := call.Fun.Name
	if err := c.checkArity(call, c.in.fns[name]); err != nil {
		return nil, err
	}
	switch {
	case isDerivation(name):
		der, err := c.derive(call, bind)
		if err != nil {
			return nil, err
		}
		outs := []Output{{Kind: Display, Plain: strings.TrimRight(der.Plain(), "\n"), LaTeX: der.LaTeX()}}
		if o, ok := c.verification(der); ok {
			outs = append(outs, o)
		}
		at, valued := c.atBoundValues(der)
		if bind != nil {
			if err := c.checkAssignable(bind); err != nil {
				return nil, err
			}
			if s, ok := c.env.syms[bind.Name]; ok && !s.implicit {
				return nil, c.errorf(NameError, bind, "%s is a declared symbol: bind the result to a new name", bind.Name)
			}
			c.env.forget(bind.Name)
			c.env.named[bind.Name] = &named{node: der.Result, der: der}
			c.env.define(bind.Name)
			if valued {
				outs = append(outs, at)
			}
			return outs, nil
		}
		// Before the symbolic result, which stays the cell's value (Out[n]).
		if valued {
			outs = append(outs, at)
		}
		return append(outs, Output{Kind: Value, Plain: der.Result.String(), LaTeX: der.Result.LaTeX(), Expr: der.Result}), nil
	case name == "check":
		return c.check(call)
	case name == "components":
		return c.components(call)
	case name == "code":
		return c.code(call)
	}
	switch name {
	case "ode", "putzer", "stability", "plot", "phase":
		return c.odeCommand(call, bind)
	}
	return nil, c.errorf(NameError, call.Fun, "unknown command %s", name)
}

// components runs components(f, x, n): f written out coordinate by
// coordinate for n = 1, 2, 3 …
func (c *cell) components(call *syntax.Call) ([]Output, error) {
	f, err := c.lower(call.Args[0], nil)
	if err != nil {
		return nil, err
	}
	x, err := c.variable(call, call.Args[1])
	if err != nil {
		return nil, err
	}
	n, err := c.intArg(call.Args[2])
	if err != nil {
		return nil, err
	}
	if n > diff.MaxComponents {
		return nil, c.errorf(ValueError, call.Args[2], "components writes out at most n = %d, not %d", diff.MaxComponents, n)
	}
	der, err := diff.Components(f, x, n)
	if err != nil {
		return nil, c.failed(ValueError, call, err)
	}
	outs := []Output{{Kind: Display, Plain: strings.TrimRight(der.Plain(), "\n"), LaTeX: der.LaTeX()}}
	if der.Result != nil {
		// Written in the entries (x1, A12, …), which are not names of the
		// session: shown, not meant to be read back (no Expr).
		outs = append(outs, Output{Kind: Value, Plain: der.Result.String(), LaTeX: der.Result.LaTeX()})
	}
	return outs, nil
}

// code runs code(g, numpy) and code(g, gonum): a derivation's result (or
// any expression) as a ready function.
func (c *cell) code(call *syntax.Call) ([]Output, error) {
	lang, ok := call.Args[1].(*syntax.Ident)
	if !ok || (lang.Name != "numpy" && lang.Name != "gonum") {
		return nil, c.errorf(ValueError, call.Args[1], "code exports to numpy or gonum: write code(g, numpy)")
	}
	var text string
	var err error
	switch a := call.Args[0].(type) {
	case *syntax.Call:
		if isDerivation(a.Fun.Name) {
			if err := c.checkArity(a, c.in.fns[a.Fun.Name]); err != nil {
				return nil, err
			}
			der, derr := c.derive(a, nil)
			if derr != nil {
				return nil, derr
			}
			text, err = diff.Code(der, lang.Name)
			break
		}
		n, lerr := c.lower(a, nil)
		if lerr != nil {
			return nil, lerr
		}
		text, err = diff.CodeExpr("f", n, lang.Name)
	case *syntax.Ident:
		if nm, ok := c.env.named[a.Name]; ok && nm.der != nil {
			text, err = diff.Code(nm.der, lang.Name)
			break
		}
		n, lerr := c.lower(a, nil)
		if lerr != nil {
			return nil, lerr
		}
		text, err = diff.CodeExpr(a.Name, n, lang.Name)
	default:
		n, lerr := c.lower(a, nil)
		if lerr != nil {
			return nil, lerr
		}
		text, err = diff.CodeExpr("f", n, lang.Name)
	}
	if err != nil {
		return nil, c.failed(ValueError, call, err)
	}
	return []Output{{Kind: Value, Plain: strings.TrimRight(text, "\n")}}, nil
}

// variable reads the variable argument of a derivation: a declared symbol.
func (c *cell) variable(call *syntax.Call, a syntax.Expr) (*expr.Symbol, error) {
	id, ok := a.(*syntax.Ident)
	if ok {
		if s, ok := c.env.syms[id.Name]; ok {
			return s.sym, nil
		}
		if _, ok := c.env.named[id.Name]; !ok {
			return nil, c.unknownName(id)
		}
	}
	return nil, c.errorf(ValueError, a, "the variable of %s must be a declared symbol (x : vector(n)), not %s", call.Fun.Name, c.text(a))
}

// derive runs d, grad, jacobian, hessian or d2 through package diff.
func (c *cell) derive(call *syntax.Call, bind *syntax.Ident) (*diff.Derivation, error) {
	name := call.Fun.Name
	f, err := c.lower(call.Args[0], nil)
	if err != nil {
		return nil, err
	}
	opts := diff.Options{}
	if c.env.layout == "numerator" {
		opts.Layout = diff.Numerator
	}
	if id, ok := call.Args[0].(*syntax.Ident); ok {
		opts.Name = id.Name
	}
	var vars []*expr.Symbol
	for _, a := range call.Args[1:] {
		v, err := c.variable(call, a)
		if err != nil {
			return nil, err
		}
		vars = append(vars, v)
	}
	var der *diff.Derivation
	switch name {
	case "d":
		der, err = diff.Differential(f, vars, opts)
	case "grad":
		der, err = diff.Grad(f, vars[0], opts)
	case "jacobian":
		der, err = diff.Jacobian(f, vars[0], opts)
	case "hessian":
		der, err = diff.Hessian(f, vars[0], opts)
	case "d2":
		der, err = diff.D2(f, vars[0], opts)
	}
	if err != nil {
		kind := ValueError
		if errors.Is(err, diff.ErrTensor) {
			kind = TensorError
		}
		var se *expr.ShapeError
		if errors.As(err, &se) {
			kind = ShapeError
		}
		return nil, c.failed(kind, call, err)
	}
	if der == nil || der.Result == nil {
		return nil, c.errorf(InternalError, call, "%s gave no result", name)
	}
	return der, nil
}

// atBoundValues evaluates a derivation's result when every symbol in it
// has a value (A = …, x = …): "at the bound values: [2; 8; 18]", shown under
// the derivation (whose last line is the symbolic answer) and its check,
// before the symbolic result that stays the cell's value, for grad,
// jacobian and hessian (and of a name bound
// to one). The answer of d and d2 is linear in the differentials, which
// have no value: with everything else bound it says so and where the
// numbers are. A result with a symbol left unbound shows nothing.
func (c *cell) atBoundValues(der *diff.Derivation) (Output, bool) {
	if !c.nodeValued(der.Result) {
		return Output{}, false
	}
	const lead = "at the bound values: "
	if expr.ContainsDifferential(der.Result) {
		var ds []string
		for _, v := range der.Vars {
			ds = append(ds, "d"+v.Name())
		}
		if len(ds) == 0 {
			ds = []string{"the differentials"}
		}
		has := "which has no value"
		if len(der.Vars) > 1 {
			has = "which have no value"
		}
		msg := lead + "the differential is linear in " + strings.Join(ds, ", ") +
			", " + has + ": grad, jacobian or hessian give the numbers"
		return Output{Kind: Display, Plain: msg, LaTeX: `\text{` + expr.TeXText(msg) + `}`}, true
	}
	if work, what := c.overBudget(der.Result); work > maxWork {
		msg := fmt.Sprintf("%snot computed: %s would take about %.1e operations; the limit is %.1e", lead, what, work, float64(maxWork))
		return Output{Kind: Display, Plain: msg, LaTeX: `\text{` + expr.TeXText(msg) + `}`}, true
	}
	v, err := numeric.EvalContext(c.ctx, der.Result, c.bindings())
	if err != nil {
		msg := lead + "cannot evaluate: " + err.Error()
		return Output{Kind: Display, Plain: msg, LaTeX: `\text{` + expr.TeXText(msg) + `}`}, true
	}
	o := valueOutput(v)
	return Output{Kind: Display, Plain: lead + o.Plain, LaTeX: `\text{` + lead + `}` + o.LaTeX}, true
}

// verification checks a derivation against finite differences when
// verify is on, and says how it went.
func (c *cell) verification(der *diff.Derivation) (Output, bool) {
	if !c.env.verify {
		return Output{}, false
	}
	var vars *expr.Symbol
	if len(der.Vars) == 1 {
		vars = der.Vars[0]
	}
	if work := c.checkWork(der); work > maxCheckWork {
		msg := fmt.Sprintf("at the sizes of the values it would take about %.1e operations (the limit is %.1e): check on smaller values", work, float64(maxCheckWork))
		return Output{Kind: Display, Plain: "not checked numerically: " + msg, LaTeX: `\text{not checked numerically: ` + expr.TeXText(msg) + `}`}, true
	}
	rep, err := der.Verify(&numeric.Options{Dims: c.sampleDims(), Values: c.sampleValues(vars)})
	if err != nil {
		msg := err.Error()
		return Output{Kind: Display, Plain: "not checked numerically: " + msg, LaTeX: `\text{not checked numerically: ` + expr.TeXText(msg) + `}`}, true
	}
	if rep.OK(numeric.DefaultTol) {
		msg := "✓ checked against central finite differences: " + rep.String()
		return Output{Kind: Display, Plain: msg, LaTeX: checkMark + `\quad \text{` + expr.TeXText(strings.TrimPrefix(msg, "✓ ")) + `}`}, true
	}
	msg := "✗ the numeric check FAILED (please report it): " + rep.String() + "\n" + rep.Describe()
	return Output{Kind: Display, Plain: msg, LaTeX: crossMark + `\quad \text{` + expr.TeXText(strings.TrimPrefix(strings.Split(msg, "\n")[0], "✗ ")) + `}`}, true
}

// check runs check(grad(f, x) == G) or check(d(f) == expr) and any
// check(lhs == rhs): the two sides are compared symbolically and on
// random values.
func (c *cell) check(call *syntax.Call) ([]Output, error) {
	cmp, ok := call.Args[0].(*syntax.Binary)
	if !ok || cmp.Op != syntax.EQL {
		return nil, c.errorf(SyntaxError, call.Args[0], "check needs an equation: check(grad(f, x) == answer)")
	}
	if l, ok := cmp.X.(*syntax.Call); ok && (l.Fun.Name == "grad" || l.Fun.Name == "d") {
		return c.checkDerivative(l, cmp)
	}
	var der *diff.Derivation
	var lhs expr.Node
	var err error
	if l, ok := cmp.X.(*syntax.Call); ok && isDerivation(l.Fun.Name) {
		if err := c.checkArity(l, c.in.fns[l.Fun.Name]); err != nil {
			return nil, err
		}
		if der, err = c.derive(l, nil); err != nil {
			if outs, ok := c.checkNumerically(l, cmp, err); ok {
				return outs, nil
			}
			return nil, err
		}
		lhs = der.Result
	} else if lhs, err = c.lower(cmp.X, nil); err != nil {
		return nil, err
	}
	rhs, err := c.lower(cmp.Y, nil)
	if err != nil {
		return nil, err
	}
	left := lhs.LaTeX()
	if der != nil {
		left = callLaTeX(der)
	}
	view := diff.VerdictView{Left: left, Right: rhs.LaTeX()}
	if !shapesEqual(lhs.Shape(), rhs.Shape()) {
		hint := ""
		if shapesEqual(lhs.Shape(), rhs.Shape().T()) {
			hint = " — it has the shape of the transpose"
		}
		msg := fmt.Sprintf("✗ %s is %s, but %s is %s%s", c.source(cmp.Y), rhs.Shape(), c.source(cmp.X), lhs.Shape(), hint)
		view.How = `\text{` + expr.TeXText(fmt.Sprintf("the answer is %s, the left side %s", rhs.Shape(), lhs.Shape())) + `}`
		if hint != "" {
			view.Hint = `\text{it has the shape of the transpose}`
		}
		return []Output{{Kind: Value, Plain: msg, LaTeX: view.LaTeX()}}, nil
	}
	if expr.Equal(lhs, rhs) || expr.Equal(diff.Simplify(lhs), diff.Simplify(rhs)) {
		msg := fmt.Sprintf("✓ correct: %s equals %s symbolically", c.source(cmp.Y), c.source(cmp.X))
		view.Correct, view.How = true, `\text{symbolically}`
		return []Output{{Kind: Value, Plain: msg, LaTeX: view.LaTeX()}}, nil
	}
	worst, point, err := c.compare(lhs, rhs)
	if err != nil {
		return nil, c.errorf(ValueError, call, "cannot compare the two sides on numbers: %v", err)
	}
	if worst < 1e-8 {
		msg := fmt.Sprintf("✓ correct: %s equals %s on random values (relative difference %.1e)", c.source(cmp.Y), c.source(cmp.X), worst)
		view.Correct = true
		view.How = `\text{` + expr.TeXText(fmt.Sprintf("on random values (relative difference %.1e), not proved symbolically", worst)) + `}`
		return []Output{{Kind: Value, Plain: msg, LaTeX: view.LaTeX()}}, nil
	}
	msg := fmt.Sprintf("✗ wrong: %s differs from %s (relative difference %.2g)", c.source(cmp.Y), c.source(cmp.X), worst)
	view.How = `\text{` + expr.TeXText(fmt.Sprintf("relative difference %.2g on random values", worst)) + `}`
	if der != nil {
		msg += "\nthe right answer is " + lhs.String()
		view.Expected = lhs.LaTeX()
	}
	if h := c.hint(lhs, rhs); h != "" {
		msg += "\nhint: " + h
		view.Hint = diff.WrapText(h, 84)
	}
	if point != "" {
		msg += "\nfor example at\n" + point
	}
	return []Output{{Kind: Value, Plain: msg, LaTeX: view.LaTeX()}}, nil
}

// checkMark and crossMark are ✓ and ✗ in every verdict's LaTeX (diff.VerdictView's).
const (
	checkMark = `{\color{green}\checkmark}`
	crossMark = `{\color{red}\times}`
)

// callLaTeX typesets what a derivation was asked for, as the left side of a checked
// equation: \nabla_{x}\left(f\right) for grad(f, x), {\rm d}^{2}\left(f\right) for d2,
// \nabla^{2}_{x} for hessian, \frac{\partial F}{\partial x} for jacobian.
func callLaTeX(der *diff.Derivation) string {
	var vars []string
	for _, v := range der.Vars {
		vars = append(vars, v.LaTeX())
	}
	at := strings.Join(vars, ",")
	f := `\left(` + der.F.LaTeX() + `\right)`
	switch der.What {
	case "gradient":
		return `\nabla_{` + at + `}` + f
	case "jacobian":
		return `\frac{\partial}{\partial ` + at + `}` + f
	case "hessian":
		return `\nabla^{2}_{` + at + `}` + f
	case "second differential":
		return `{\rm d}^{2}` + f
	}
	return `{\rm d}` + f
}

// checkNumerically decides check(jacobian(F, x) == J) and
// check(hessian(f, x) == H) by finite differences alone when matcalc
// could not derive the left side symbolically (derr says why).
func (c *cell) checkNumerically(l *syntax.Call, cmp *syntax.Binary, derr error) ([]Output, bool) {
	var ce *Error
	if !errors.As(derr, &ce) || ce.Kind != ValueError || (l.Fun.Name != "jacobian" && l.Fun.Name != "hessian") {
		return nil, false
	}
	f, err := c.lower(l.Args[0], nil)
	if err != nil {
		return nil, false
	}
	x, err := c.variable(l, l.Args[1])
	if err != nil {
		return nil, false
	}
	answer, err := c.lower(cmp.Y, nil)
	if err != nil {
		return nil, false
	}
	opts := &numeric.Options{Dims: c.sampleDims(), Values: c.sampleValues(x)}
	var rep *numeric.Report
	if l.Fun.Name == "jacobian" {
		rep, err = numeric.CheckJacobian(f, x, answer, opts)
	} else {
		rep, err = numeric.CheckHessian(f, x, answer, opts)
	}
	if err != nil {
		return nil, false
	}
	why := ce.Msg
	if ce.err != nil {
		why = ce.err.Error()
	}
	var msg string
	if rep.OK(numeric.DefaultTol) {
		msg = fmt.Sprintf("✓ correct: %s agrees with finite differences (%s)\nnote: matcalc has no symbolic derivation of %s: %s", c.source(cmp.Y), rep, c.source(l), why)
	} else {
		msg = fmt.Sprintf("✗ wrong: %s disagrees with finite differences (%s) at the point\n%s\nnote: matcalc has no symbolic derivation of %s: %s", c.source(cmp.Y), rep, strings.TrimRight(rep.Describe(), "\n"), c.source(l), why)
	}
	view := diff.VerdictView{Correct: rep.OK(numeric.DefaultTol), Right: answer.LaTeX(),
		How:  `\text{` + expr.TeXText("finite differences: "+rep.String()) + `}`,
		Hint: diff.WrapText("matcalc has no symbolic derivation here: "+why, 84)}
	view.Left = callLaTeX(&diff.Derivation{What: l.Fun.Name, F: f, Vars: []*expr.Symbol{x}})
	return []Output{{Kind: Value, Plain: msg, LaTeX: view.LaTeX()}}, true
}

func shapesEqual(a, b expr.Shape) bool { return a.Rows == b.Rows && a.Cols == b.Cols }

// compare evaluates a and b on random values honouring the declared
// properties and returns the largest relative difference and a point.
func (c *cell) compare(a, b expr.Node) (float64, string, error) {
	worst, point := 0.0, ""
	for seed := uint64(1); seed <= 3; seed++ {
		bind, err := numeric.Sample([]expr.Node{a, b}, &numeric.Options{Seed: seed, Dims: c.sampleDims(), Values: c.sampleValues(nil)})
		if err != nil {
			return 0, "", err
		}
		if err := c.sampleDiffs(bind, a, b); err != nil {
			return 0, "", err
		}
		va, err := numeric.EvalContext(c.ctx, a, bind)
		if err != nil {
			return 0, "", err
		}
		vb, err := numeric.EvalContext(c.ctx, b, bind)
		if err != nil {
			return 0, "", err
		}
		fa, fb := va.Floats(), vb.Floats()
		var diff2, na, nb float64
		for i := range fa {
			d := fa[i] - fb[i]
			diff2 += d * d
			na += fa[i] * fa[i]
			nb += fb[i] * fb[i]
		}
		rel := math.Sqrt(diff2) / math.Max(math.Max(math.Sqrt(na), math.Sqrt(nb)), 1e-12)
		if rel > worst || math.IsNaN(rel) {
			worst = rel
			var lines []string
			seen := map[string]bool{}
			for _, s := range append(expr.Symbols(a), expr.Symbols(b)...) {
				if v, ok := bind.Values[s.Name()]; ok && !seen[s.Name()] {
					seen[s.Name()] = true
					lines = append(lines, fmt.Sprintf("  %s = %s", s.Name(), v.Text(4)))
				}
			}
			point = strings.Join(lines, "\n")
		}
	}
	return worst, point, nil
}

// sampleDims returns the bound dimensions small enough for random
// instances: a check at n = 3 is made with n = 3 when n is bound to 3.
func (c *cell) sampleDims() map[string]int {
	dims := map[string]int{}
	for name, v := range c.env.dims {
		if v <= numeric.MaxSampleDim {
			dims[name] = v
		}
	}
	return dims
}

// sampleValues returns the values of the symbols that were given a value
// without a declaration (A = [3 -4; 4 -7]): they are numbers, and random
// instances keep them. Declared symbols are drawn at random even when they
// have a value, so that a check tests an identity, not one instance. The
// variable x, when not nil, is always drawn.
func (c *cell) sampleValues(x *expr.Symbol) map[string]*linalg.Matrix {
	vals := map[string]*linalg.Matrix{}
	for name, s := range c.env.syms {
		if s.implicit && s.value != nil && (x == nil || x.Name() != name) {
			vals[name] = s.value
		}
	}
	return vals
}

// sampleDiffs gives the differential leaves dX, dX1, dX2 of a and b
// random directions, so that differentials can be compared on numbers.
func (c *cell) sampleDiffs(bind *numeric.Bindings, nodes ...expr.Node) error {
	if bind.Diffs == nil {
		bind.Diffs = map[numeric.DiffKey]*linalg.Matrix{}
	}
	var err error
	for _, n := range nodes {
		expr.Inspect(n, func(k expr.Node) bool {
			d, ok := k.(*expr.Differential)
			if !ok || err != nil {
				return err == nil
			}
			key := numeric.DiffKey{Name: d.Of().Name(), Index: d.Index()}
			if _, done := bind.Diffs[key]; done {
				return false
			}
			r, cols, e := bind.Shape(d.Shape())
			if e != nil {
				err = e
				return false
			}
			data := make([]float64, r*cols)
			for i := range data {
				data[i] = 2*c.in.rng.Float64() - 1
			}
			v, e := linalg.New(r, cols, data)
			if e != nil {
				err = e
				return false
			}
			bind.Diffs[key] = v
			return false
		})
	}
	return err
}

// hint looks for the usual mistakes in a wrong answer.
func (c *cell) hint(right, wrong expr.Node) string {
	if r := differentialIndices(right); r[1] && r[2] {
		if w := differentialIndices(wrong); !w[1] || !w[2] {
			return "d2 is bilinear: every term has one differential with index 1 and one with index 2 (dX1 and dX2); it is zero only when f is linear"
		}
	}
	if !wrong.Shape().IsScalar() {
		if w, _, err := c.compare(right, expr.T(wrong)); err == nil && w < 1e-8 {
			return "this is the transpose of the right answer"
		}
	}
	if w, _, err := c.compare(expr.Scale(big.NewRat(1, 2), right), wrong); err == nil && w < 1e-8 {
		return "the answer is half of the right one (a missing factor 2, or a missing transposed term)"
	}
	if w, _, err := c.compare(expr.Scale(big.NewRat(-1, 1), right), wrong); err == nil && w < 1e-8 {
		return "the sign is wrong"
	}
	if w, _, err := c.compare(expr.Scale(big.NewRat(2, 1), right), wrong); err == nil && w < 1e-8 {
		return "the answer is twice the right one (a term counted twice, or a symmetric matrix assumed)"
	}
	return ""
}

// differentialIndices tells which indexed differentials (dX1, dX2) n contains.
func differentialIndices(n expr.Node) map[int]bool {
	in := map[int]bool{}
	expr.Inspect(n, func(m expr.Node) bool {
		if k := m.Key(); strings.HasPrefix(k, "d:") {
			switch {
			case strings.HasSuffix(k, ":1"):
				in[1] = true
			case strings.HasSuffix(k, ":2"):
				in[2] = true
			}
		}
		return true
	})
	return in
}

// checkDerivative runs check(grad(f, x) == G) and check(d(f) == df)
// through package diff, which decides symbolically where it can,
// numerically always, and gives hints.
func (c *cell) checkDerivative(l *syntax.Call, cmp *syntax.Binary) ([]Output, error) {
	if err := c.checkArity(l, c.in.fns[l.Fun.Name]); err != nil {
		return nil, err
	}
	f, err := c.lower(l.Args[0], nil)
	if err != nil {
		return nil, err
	}
	var vars []*expr.Symbol
	for _, a := range l.Args[1:] {
		v, err := c.variable(l, a)
		if err != nil {
			return nil, err
		}
		vars = append(vars, v)
	}
	answer, err := c.lower(cmp.Y, nil)
	if err != nil {
		return nil, err
	}
	opts := diff.Options{Sample: &numeric.Options{Dims: c.sampleDims(), Values: c.sampleValues(nil)}}
	if c.env.layout == "numerator" {
		opts.Layout = diff.Numerator
	}
	if id, ok := l.Args[0].(*syntax.Ident); ok {
		opts.Name = id.Name
	}
	var v *diff.Verdict
	if l.Fun.Name == "grad" {
		v, err = diff.CheckGrad(f, vars[0], answer, opts)
	} else {
		v, err = diff.CheckDifferential(f, vars, answer, opts)
	}
	if err != nil {
		return nil, c.failed(ValueError, cmp, err)
	}
	what := "gradient"
	if l.Fun.Name == "d" {
		what = "differential"
	}
	left := callLaTeX(&diff.Derivation{What: what, F: f, Vars: vars})
	return []Output{{Kind: Value, Plain: strings.TrimRight(v.Plain(), "\n"), LaTeX: v.View(left).LaTeX()}}, nil
}
