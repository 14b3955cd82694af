package diff

import (
	"errors"
	"sort"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/numeric"
)

// Layout is the convention for writing derivatives of scalars by vectors.
type Layout int

const (
	// Denominator layout (the default, Document 1's convention): the
	// gradient has the shape of the variable.
	Denominator Layout = iota
	// Numerator layout (Document 4's): df/dx is a row, the transpose of the
	// gradient.
	Numerator
)

// Options tune a derivation. The zero value is ready to use.
type Options struct {
	// Layout of gradients; the Jacobian is always dF = J·dx, J m×n.
	Layout Layout
	// Name is how f is called in the output ("f"); empty means the
	// expression itself is shown.
	Name string
	// MaxSteps bounds the number of recorded steps (default 400).
	MaxSteps int
	// MaxSize bounds the size, in nodes, of any intermediate expression
	// (default 20000): a request that blows up fails instead of hanging.
	MaxSize int
	// Sample, when set, is what the numeric checks of CheckGrad and
	// CheckDifferential honour: dimensions bound by the user (n = 3) and
	// values that stay fixed. Its Seed, Trials and Directions are ignored.
	Sample *numeric.Options
}

func (o Options) maxSteps() int {
	if o.MaxSteps > 0 {
		return o.MaxSteps
	}
	return 400
}

func (o Options) maxSize() int {
	if o.MaxSize > 0 {
		return o.MaxSize
	}
	return 20000
}

// ErrTooLarge is returned (wrapped) when a derivation would exceed
// Options.MaxSteps or Options.MaxSize.
var ErrTooLarge = errors.New("the derivation grows too large")

// ErrTensor is returned (wrapped) when the derivative asked for has no
// matrix form: the Hessian of a vector or matrix function (an index for
// each of its entries besides the two of a Hessian). First derivatives
// of matrix functions are matrices through vec (see Jacobian).
var ErrTensor = errors.New("this derivative is a tensor, not a matrix")

// Step is one line of a derivation: an equation whose right side follows
// from the line before by Rule. LHS, when set, starts a new chain of
// equalities ("∇f = …"); otherwise the line continues the chain ("= …").
type Step struct {
	Rule RuleID
	Note string // extra words beside the rule's name ("A, B constant")
	// NoteLaTeX is Note as LaTeX math content (words in \text, symbols
	// typeset); empty means Note has no math and is set as text.
	NoteLaTeX string
	LHS       string // plain left side, or "" for a continuation
	LHSLaTeX  string
	Plain     string // plain right side
	LaTeX     string // LaTeX right side
	// Expr is the right side as an expression, nil while it still holds
	// pending differentials d(…) of compound expressions.
	Expr expr.Node
	// Local lists the rewrites the step made inside the expression, each
	// a rule applied to one part: d(x'*A*x) → dx'*A*x + x'*A*dx.
	Local []Rewrite
	// src, until the step is rendered, is what rendering it needs.
	src *stepSource
	// ReadOff and ReadOffLaTeX, on a read-off step, are its formula in
	// the derivation's own names (df = grad(f, z)'*dz, tr(∇_A fᵀ dA)),
	// shown instead of the rule's generic one.
	ReadOff, ReadOffLaTeX string
}

// Rewrite is one local application of a rule: Before became After.
type Rewrite struct {
	Before, After           string // plain
	BeforeLaTeX, AfterLaTeX string
}

// Derivation is the result of differentiating: the steps, in order, and
// what was found.
type Derivation struct {
	// What was asked: "differential", "gradient", "jacobian", "hessian",
	// "second differential".
	What string
	// F is the differentiated expression, Vars the variables.
	F    expr.Node
	Vars []*expr.Symbol
	// steps are the lines of the derivation, rendered when Steps asks.
	steps []Step
	// Differential is df, linear in the leaves expr.D(X) of the variables
	// (for d2 and hessian: d²f, bilinear in expr.DN(X, 1), expr.DN(X, 2)).
	Differential expr.Node
	// Result is the answer: the differential, the gradient (in the
	// requested layout), the Jacobian, the Hessian or the bilinear form.
	Result expr.Node
	// Notes state the conventions used (layout, symmetric gradient).
	Notes []string
	// NotesLaTeX are the Notes as LaTeX math content, one for each note
	// (a missing one is set as text).
	NotesLaTeX []string
	// Layout is the layout the gradient is written in.
	Layout Layout
}

func (o Options) name() string {
	if o.Name != "" {
		return o.Name
	}
	return "f"
}

func latexFn(name string) string {
	if len([]rune(name)) == 1 {
		return name
	}
	return `{\it ` + name + `}`
}

// dLHS is the left side "df" of a differential's first line, its LaTeX
// written when the line is shown.
func (o Options) dLHS() (string, func() string) {
	return "d" + o.name(), func() string { return `{\rm d}` + latexFn(o.name()) }
}

func symbolLaTeX(x *expr.Symbol) string { return x.LaTeX() }

// Steps returns the lines of the derivation, in order, rendering those not
// rendered yet. Like the rest of a Derivation, it is not safe for
// concurrent use.
func (d *Derivation) Steps() []Step {
	for i := range d.steps {
		d.steps[i].fill()
	}
	return d.steps
}

// note adds a note in its two renderings.
func (d *Derivation) note(p *prose) {
	for len(d.NotesLaTeX) < len(d.Notes) {
		d.NotesLaTeX = append(d.NotesLaTeX, "")
	}
	d.Notes = append(d.Notes, p.Plain())
	d.NotesLaTeX = append(d.NotesLaTeX, p.LaTeX())
}

// Plain renders the derivation as plain text, one equation a line with
// the rule beside it; the last line's right side is valid matcalc input.
func (d *Derivation) Plain() string {
	var b strings.Builder
	lhs := ""
	for _, s := range d.Steps() {
		if s.LHS != "" {
			lhs = s.LHS
			b.WriteString(s.LHS + " = ")
		} else {
			b.WriteString(strings.Repeat(" ", len([]rune(lhs))) + " = ")
		}
		b.WriteString(s.Plain)
		if r := s.ruleText(); r != "" {
			b.WriteString("    (" + r + ")")
		}
		b.WriteString("\n")
	}
	for _, n := range d.Notes {
		b.WriteString("Note: " + n + "\n")
	}
	return b.String()
}

// readOff names the last step's read-off formula after the variable x
// and the function's name: df = grad(f, z)'*dz, df = tr(grad(f, A)'*dA).
func (e *engine) readOff(rule RuleID, x *expr.Symbol, opts Options) {
	if len(e.steps) == 0 {
		return
	}
	last := &e.steps[len(e.steps)-1]
	if last.src != nil { // written when the step is
		last.src.readOff = &readOffOf{rule, x, opts}
		return
	}
	last.ReadOff, last.ReadOffLaTeX = readOffText(rule, x, opts)
}

// readOffOf is what a step's read-off formula is written from.
type readOffOf struct {
	rule RuleID
	x    *expr.Symbol
	opts Options
}

// readOffText is the read-off formula of rule in x's and the function's
// names, plain ("read off: df = …") and LaTeX; empty for another rule.
func readOffText(rule RuleID, x *expr.Symbol, opts Options) (string, string) {
	f, fL := opts.name(), latexFn(opts.name())
	dx, dxL := "d"+x.Name(), `{\rm d}`+symbolLaTeX(x)
	grad, gradL := "grad("+f+", "+x.Name()+")", `\nabla_{`+symbolLaTeX(x)+`} `+fL
	var plain, latex string
	switch rule {
	case RuleReadScalar:
		plain, latex = "d"+f+" = "+f+"'("+x.Name()+")*"+dx, `{\rm d}`+fL+` = `+fL+`'(`+symbolLaTeX(x)+`)\,`+dxL
	case RuleReadGradient:
		plain, latex = "d"+f+" = "+grad+"'*"+dx, `{\rm d}`+fL+` = `+gradL+`^{T} `+dxL
	case RuleReadMatrix:
		plain, latex = "d"+f+" = tr("+grad+"'*"+dx+")", `{\rm d}`+fL+` = \operatorname{tr}(`+gradL+`^{T} `+dxL+`)`
	case RuleReadJacobian:
		F, FL := opts.Name, latexFn(opts.Name)
		if F == "" {
			F, FL = "F", "F"
		}
		plain, latex = "d"+F+" = J*"+dx, `{\rm d}`+FL+` = {\frak J}\,`+dxL
	case RuleReadVecRow:
		plain, latex = "d"+f+" = J*vec("+dx+")", `{\rm d}`+fL+` = {\frak J}\operatorname{vec}(`+dxL+`)`
	default:
		return "", ""
	}
	return "read off: " + plain, latex
}

func (s Step) ruleText() string {
	if s.Rule == RuleStart {
		return ""
	}
	if s.ReadOff != "" {
		return s.ReadOff
	}
	t := s.Rule.String()
	if s.Note != "" {
		t += "; " + s.Note
	}
	return t
}

// RulesUsed returns the distinct rules of the derivation's steps, in the
// order of the rules table.
func (d *Derivation) RulesUsed() []RuleID {
	seen := map[RuleID]bool{}
	for _, s := range d.steps {
		seen[s.Rule] = true
	}
	var out []RuleID
	for r := range seen {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
