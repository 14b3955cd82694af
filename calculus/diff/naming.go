package diff

import (
	"github.com/matcalc/matcalc/calculus/expr"
)

// nameSigmoid adds a note that reads the answer as the textbook does, with
// the one sigmoid(u) or softmax(u) it holds named p: "with p =
// sigmoid(X*w): grad(f, w) = X'*(p - y)", "with p = softmax(z): H =
// diag(p) - p*p'". The Result itself stays written out, so that it pastes
// back as it is. lhsOf gives the answer's left side, plain and LaTeX.
func (d *Derivation) nameSigmoid(lhsOf func() (string, string)) {
	if d == nil || d.Result == nil {
		return
	}
	var sig expr.Node
	several := false
	expr.Inspect(d.Result, func(m expr.Node) bool {
		if namedForm(m) {
			if sig != nil && !expr.Equal(sig, m) {
				several = true
			}
			sig = m
		}
		return true
	})
	if sig == nil || several {
		return
	}
	name := "p"
	for _, s := range append(expr.Symbols(d.F), expr.Symbols(d.Result)...) {
		if s.Name() == name {
			return
		}
	}
	p := expr.NewSymbol(name, sig.Shape(), 0)
	named, err := expr.Map(d.Result, func(m expr.Node) (expr.Node, error) {
		if expr.Equal(m, sig) {
			return p, nil
		}
		return m, nil
	})
	if err != nil || expr.Equal(named, p) {
		return
	}
	lhs, lhsLaTeX := lhsOf()
	d.note(new(prose).text("with ").math(name+" = "+sig.String(), name+` = `+sig.LaTeX()).text(": ").
		math(lhs+" = "+named.String(), lhsLaTeX+` = `+named.LaTeX()))
}

// namedForm reports whether m is a vector sigmoid(u) or a softmax(u), the
// p of the textbook.
func namedForm(m expr.Node) bool {
	switch m := m.(type) {
	case *expr.Func:
		return m.Name() == "sigmoid" && !m.Shape().IsScalar()
	case *expr.Softmax:
		return true
	}
	return false
}
