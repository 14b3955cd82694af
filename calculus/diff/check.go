package diff

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/numeric"
)

// Verdict is the outcome of checking a student's answer.
type Verdict struct {
	// Correct tells whether the answer is right.
	Correct bool
	// Symbolic is true when the answer was decided symbolically (it
	// equals matcalc's result after expansion); the numeric check runs
	// either way.
	Symbolic bool
	// Expected is matcalc's answer, Answer the student's.
	Expected, Answer expr.Node
	// Report is the numeric comparison of the answer with finite
	// differences (nil when the shapes do not even match).
	Report *numeric.Report
	// Hint says what is wrong, where a known pattern applies ("this is the
	// transpose of the gradient", "missing the term A'*x", "right for
	// symmetric A only"); empty when none applies or the answer is right.
	Hint string
	// HintLaTeX is the hint as LaTeX math content: words in \text, the
	// expressions and shapes typeset.
	HintLaTeX string
	// Derivation is matcalc's own derivation of the answer.
	Derivation *Derivation
}

// Plain renders the verdict: ✓ or ✗, how it was decided, the measured
// error, the point where it fails, and the hint.
func (v *Verdict) Plain() string {
	var b strings.Builder
	if v.Correct {
		how := "numerically"
		if v.Symbolic {
			how = "symbolically, and numerically"
		}
		fmt.Fprintf(&b, "✓ correct: %s equals %s (%s", v.Answer, v.Expected, how)
		if v.Report != nil {
			fmt.Fprintf(&b, ", %s", v.Report)
		}
		b.WriteString(")\n")
		return b.String()
	}
	fmt.Fprintf(&b, "✗ wrong: %s is not %s\n", v.Answer, v.Expected)
	if v.Report != nil {
		fmt.Fprintf(&b, "  finite differences disagree: %s; at the point\n", v.Report)
		for _, l := range strings.Split(strings.TrimRight(v.Report.Describe(), "\n"), "\n") {
			if l != "" {
				b.WriteString("    " + l + "\n")
			}
		}
	}
	if v.Hint != "" {
		b.WriteString("  hint: " + v.Hint + "\n")
	}
	return b.String()
}

// LaTeX renders the verdict as TeX math content (see VerdictView).
func (v *Verdict) LaTeX() string {
	return v.View(v.Expected.LaTeX()).LaTeX()
}

// View is the verdict as shown, with left the typeset left side of the checked equation
// (the expected answer, or the call asked for, such as \nabla_{x}\left(x^{T} A x\right)).
func (v *Verdict) View(left string) VerdictView {
	w := VerdictView{Correct: v.Correct, Left: left, Right: v.Answer.LaTeX(), Hint: v.HintLaTeX}
	switch {
	case v.Correct && v.Symbolic:
		w.How = `\text{symbolically, and numerically}`
	case v.Correct:
		w.How = `\text{numerically}`
	}
	if v.Report != nil {
		sep := `\text{: }`
		if w.How == "" {
			sep = ""
		}
		w.How += sep + `\text{` + expr.TeXText(v.Report.String()) + `}`
	}
	if w.Hint == "" && v.Hint != "" {
		w.Hint = WrapText(v.Hint, hintChars)
	}
	if !v.Correct && left != v.Expected.LaTeX() {
		w.Expected = v.Expected.LaTeX()
	}
	return w
}

// hintChars is the width of a hint's lines, in characters.
const hintChars = 84

// WrapText sets prose as rows of at most width characters for an array{l}: \text{…}
// rows joined by \\.
func WrapText(s string, width int) string {
	return strings.Join(wrapPieces(textPieces(s), width), ` \\ `)
}

// VerdictView is what a check's verdict shows, as LaTeX: every verdict of matcalc (a
// gradient, a differential, a Hessian, a d2, any equation) is rendered from one, so that
// ✓ and ✗ look alike whatever was checked, and two verdicts that say different things
// (proved symbolically, agreeing on random values, wrong) look different.
type VerdictView struct {
	// Correct tells ✓ from ✗.
	Correct bool
	// Left and Right are the two sides of the checked equation, typeset: Left as the
	// student wrote it (\nabla_{x} f, or an expression), Right the student's answer.
	Left, Right string
	// How says how it was decided, as math content (\text{symbolically}).
	How string
	// Expected is matcalc's answer when the student's is wrong and it has one, else "".
	Expected string
	// Hint is the hint as math content, else "".
	Hint string
}

// LaTeX renders the view: a coloured ✓ or ✗ (\checkmark, \times: symbols every renderer
// has), the equation with = or \neq, how it was decided; then, for a wrong answer, the
// right one and the hint on lines of their own.
func (w VerdictView) LaTeX() string {
	mark, rel := `{\color{green}\checkmark}`, `=`
	if !w.Correct {
		mark, rel = `{\color{red}\times}`, `\neq`
	}
	line := mark + `\quad ` + w.Left + ` ` + rel + ` ` + w.Right
	lines := []string{line}
	if w.How != "" && expr.TeXWidth(line)+expr.TeXWidth(w.How)*textChar < columnChars-4 {
		lines[0] += `\qquad ` + w.How
	} else if w.How != "" {
		lines = append(lines, `\quad `+w.How)
	}
	if w.Expected != "" {
		lines = append(lines, `\text{the right answer: } `+w.Expected)
	}
	if w.Hint != "" {
		lines = append(lines, `\text{hint: } `+w.Hint)
	}
	if len(lines) == 1 {
		return lines[0]
	}
	// MathJax 2.7 breaks a line at \\ only inside an environment.
	return `\begin{array}{l}` + strings.Join(lines, ` \\ `) + `\end{array}`
}

// checkOpts are the sampling options of a check: a fixed seed, so that a
// verdict and its counterexample are reproducible, and the dimensions and
// values the caller bound.
func (o Options) checkOpts() *numeric.Options {
	n := &numeric.Options{Seed: 11, Trials: 3, Directions: 2}
	if o.Sample != nil {
		n.Dims, n.Values = o.Sample.Dims, o.Sample.Values
	}
	return n
}

// expandedEqual decides a = b symbolically: after distributing products,
// every scalar uᵀMv is written in the smaller of its two transposed forms
// and every trace in the smallest of its rotations and their transposes.
func expandedEqual(a, b expr.Node) bool {
	d, err := expr.Sub(a, b)
	if err != nil {
		return false
	}
	e, err := expr.Expand(d, 2000)
	if err != nil {
		return false
	}
	if expr.IsZero(e) {
		return true
	}
	c, err := expr.Map(e, canonScalar)
	if err != nil {
		return false
	}
	return expr.IsZero(c)
}

// canonScalar picks one representative of a 1×1 product or a trace under
// sᵀ = s, tr(Mᵀ) = tr(M) and tr(AB) = tr(BA).
func canonScalar(n expr.Node) (expr.Node, error) {
	smaller := func(a, b expr.Node) expr.Node {
		if b.Key() < a.Key() {
			return b
		}
		return a
	}
	switch m := n.(type) {
	case *expr.Product:
		if len(m.Scalars()) == 0 && m.Shape().IsScalar() {
			return smaller(m, expr.T(m)), nil
		}
	case *expr.Trace:
		p, ok := m.X().(*expr.Product)
		if !ok || len(p.Scalars()) > 0 {
			return smaller(m, mustTr(expr.T(m.X()), m)), nil
		}
		chain := p.Chain()
		best := expr.Node(m)
		for i := range chain {
			rot := append(append([]expr.Node(nil), chain[i:]...), chain[:i]...)
			q, err := expr.Mul(rot...)
			if err != nil {
				continue
			}
			best = smaller(best, mustTr(q, m))
			best = smaller(best, mustTr(expr.T(q), m))
		}
		return best, nil
	}
	return n, nil
}

func mustTr(x, fallback expr.Node) expr.Node {
	t, err := expr.Tr(x)
	if err != nil {
		return fallback
	}
	return t
}

// CheckGrad checks a student's gradient of the scalar f by x (check(grad(f,
// x) == answer)): symbolically where it can, numerically always, with a
// hint when the answer is wrong in a known way.
func CheckGrad(f expr.Node, x *expr.Symbol, answer expr.Node, opts Options) (*Verdict, error) {
	if answer == nil {
		return nil, fmt.Errorf("check of no answer")
	}
	d, err := Grad(f, x, opts)
	if err != nil {
		return nil, err
	}
	G := d.Result
	v := &Verdict{Expected: G, Answer: answer, Derivation: d}
	toGrad := func(a expr.Node) expr.Node { // the student's answer as a gradient
		if opts.Layout == Numerator && !x.Shape().IsScalar() {
			return expr.T(a)
		}
		return a
	}
	if answer.Shape() != G.Shape() {
		shapes := new(prose).text("the answer is ").shape(answer.Shape()).text(" but the gradient is ").shape(G.Shape())
		h := shapes
		if answer.Shape() == G.Shape().T() {
			h = new(prose).text("this is the transpose of the gradient: the gradient has the shape of ").node(x).text(" (").shape(x.Shape()).text(")")
			if opts.Layout == Numerator {
				h = new(prose).text("this is the gradient; in numerator layout the derivative is its transpose, a row")
			}
			if rep, err := numeric.CheckGradient(f, x, expr.T(toGrad(answer)), opts.checkOpts()); err == nil && !rep.OK(0) {
				h = shapes
			}
		}
		v.setHint(h)
		return v, nil
	}
	v.Symbolic = expandedEqual(G, answer)
	rep, err := numeric.CheckGradient(f, x, toGrad(answer), opts.checkOpts())
	if err != nil {
		return nil, fmt.Errorf("checking %s: %w", answer, err)
	}
	v.Report = rep
	v.Correct = rep.OK(0)
	if v.Correct {
		return v, nil
	}
	v.Symbolic = false
	v.setHint(gradHint(f, x, G, answer, toGrad, opts))
	return v, nil
}

// setHint sets the hint in both renderings (nil: no hint).
func (v *Verdict) setHint(p *prose) {
	if p == nil {
		return
	}
	v.Hint, v.HintLaTeX = p.Plain(), p.LaTeX()
}

// gradHint looks for a known way the answer is wrong.
func gradHint(f expr.Node, x *expr.Symbol, G, answer expr.Node, toGrad func(expr.Node) expr.Node, opts Options) *prose {
	passes := func(f expr.Node, g expr.Node) bool {
		rep, err := numeric.CheckGradient(f, x, toGrad(g), opts.checkOpts())
		return err == nil && rep.OK(0)
	}
	if answer.Shape().IsSquare() && passes(f, expr.T(answer)) {
		return new(prose).text("this is the transpose of the gradient")
	}
	if passes(f, expr.Neg(answer)) {
		return new(prose).text("the sign is wrong")
	}
	for _, c := range []*big.Rat{big.NewRat(2, 1), big.NewRat(1, 2)} {
		if passes(f, expr.Scale(c, answer)) {
			return new(prose).text("off by a factor: the gradient is ").node(expr.NewConst(c)).text(" times this answer")
		}
	}
	// Right only when a constant matrix is symmetric?
	for _, s := range expr.Symbols(f) {
		if s.Name() == x.Name() || !s.Shape().IsSquare() || s.Shape().IsScalar() || s.Props().Has(expr.Symmetric) {
			continue
		}
		sym := expr.NewSymbol(s.Name(), s.Shape(), s.Props()|expr.Symmetric)
		fs, err1 := expr.Substitute(f, map[string]expr.Node{s.Name(): sym})
		as, err2 := expr.Substitute(answer, map[string]expr.Node{s.Name(): sym})
		if err1 == nil && err2 == nil && passes(fs, as) {
			return new(prose).text("right for symmetric ").node(s).text(" only; in general the gradient is ").node(G)
		}
	}
	if expr.IsZero(answer) {
		return new(prose).text("the answer is 0, but f depends on ").node(x)
	}
	// Missing or extra terms, compared term by term after expanding.
	eg, err1 := expr.Expand(G, 500)
	ea, err2 := expr.Expand(answer, 500)
	if err1 == nil && err2 == nil {
		diff, err := expr.Sub(eg, ea)
		if err == nil {
			terms := termsOf(diff)
			if len(terms) > 0 && len(terms) <= 2 {
				coefIn := func(n expr.Node, k string) *big.Rat {
					for _, t := range termsOf(n) {
						if t.X.Key() == k {
							return t.Coef
						}
					}
					return nil
				}
				var missing, extra, was, should []expr.Node
				for _, t := range terms {
					cg, ca := coefIn(eg, t.X.Key()), coefIn(ea, t.X.Key())
					switch {
					case ca == nil && cg != nil:
						missing = append(missing, expr.Scale(cg, t.X))
					case cg == nil && ca != nil:
						extra = append(extra, expr.Scale(ca, t.X))
					case cg != nil && ca != nil:
						was, should = append(was, expr.Scale(ca, t.X)), append(should, expr.Scale(cg, t.X))
					}
				}
				switch {
				case len(was) > 0 && len(missing) == 0 && len(extra) == 0:
					return new(prose).text("the term ").list(was, " and ").text(" should be ").list(should, " and ")
				case len(missing) > 0 && len(extra) == 0 && len(was) == 0:
					return new(prose).text("missing the term ").list(missing, " and ")
				case len(extra) > 0 && len(missing) == 0 && len(was) == 0:
					return new(prose).text("the term ").list(extra, " and ").text(" should not be there")
				case len(extra) > 0 && len(missing) > 0 && len(was) == 0:
					return new(prose).text("the term ").list(extra, " and ").text(" should be ").list(missing, " and ")
				}
			}
		}
	}
	return nil
}

func termsOf(n expr.Node) []expr.Term {
	if expr.IsZero(n) {
		return nil
	}
	if s, ok := n.(*expr.Sum); ok {
		return s.Terms()
	}
	return []expr.Term{expr.Unit(n)}
}

// CheckDifferential checks a student's differential of f with respect to
// vars (check(d(f) == answer)); the answer is written with the leaves dX
// of the variables.
func CheckDifferential(f expr.Node, vars []*expr.Symbol, answer expr.Node, opts Options) (*Verdict, error) {
	if answer == nil {
		return nil, fmt.Errorf("check of no answer")
	}
	d, err := Differential(f, vars, opts)
	if err != nil {
		return nil, err
	}
	v := &Verdict{Expected: d.Result, Answer: answer, Derivation: d}
	if answer.Shape() != d.Result.Shape() {
		v.setHint(new(prose).text("the answer is ").shape(answer.Shape()).text(" but the differential is ").shape(d.Result.Shape()))
		return v, nil
	}
	v.Symbolic = expandedEqual(d.Result, answer)
	rep, err := numeric.CheckDifferential(f, answer, d.Vars, opts.checkOpts())
	if err != nil {
		return nil, fmt.Errorf("checking %s: %w", answer, err)
	}
	v.Report, v.Correct = rep, rep.OK(0)
	if !v.Correct {
		v.Symbolic = false
		if expr.IsZero(answer) {
			v.setHint(new(prose).text("the answer is 0, but f depends on ").list(varNodes(d.Vars), ", "))
		} else if rep2, err := numeric.CheckDifferential(f, expr.Neg(answer), d.Vars, opts.checkOpts()); err == nil && rep2.OK(0) {
			v.setHint(new(prose).text("the sign is wrong"))
		} else if hasMatPow(f) {
			v.setHint(new(prose).text("matrices do not commute: ").
				math("d(X^2) = dX*X + X*dX", `{\rm d}(X^{2}) = {\rm d}X\,X + X\,{\rm d}X`).text(", not ").
				math("2*X*dX", `2X\,{\rm d}X`))
		}
	}
	return v, nil
}

func hasMatPow(n expr.Node) bool {
	found := false
	expr.Inspect(n, func(m expr.Node) bool {
		if _, ok := m.(*expr.MatPow); ok {
			found = true
		}
		return !found
	})
	return found
}

func varNodes(vs []*expr.Symbol) []expr.Node {
	out := make([]expr.Node, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}
