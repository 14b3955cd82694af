package calculus

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/matcalc/matcalc/calculus/builtin"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/syntax"
)

// Error is an error in a cell, located at a line and column of its source.
type Error struct {
	Kind   Kind   // SyntaxError, NameError, ShapeError, ValueError, …
	Line   int    // 1-based line in the cell
	Col    int    // 1-based column, in Unicode code points
	Msg    string // what was wrong and what was expected
	Source string // the text of the offending line, for the caret display

	err error // the underlying error, if any
}

// Error returns "line:col: msg".
func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// Unwrap returns the underlying error, such as the one a command failed
// with.
func (e *Error) Unwrap() error { return e.err }

// MaxCell is the longest cell Exec accepts, in bytes.
const MaxCell = 1 << 20

// Interpreter runs cells of the matrix language against one environment
// of declared symbols, dimensions, values and named expressions. It is not
// safe for concurrent use.
type Interpreter struct {
	env      *env
	fns      map[string]builtin.Func
	commands map[string]builtin.Func
	pcg      *rand.PCG // the state of rng, copied by Eval
	rng      *rand.Rand
}

// New returns an Interpreter with an empty environment.
func New() *Interpreter {
	pcg := newPCG()
	return &Interpreter{
		env:      newEnv(),
		fns:      builtins(),
		commands: statementCommands(),
		pcg:      pcg,
		rng:      rand.New(pcg),
	}
}

// Exec runs the statements of one cell in order and returns what they
// show. It stops at the first failing statement: the outputs of the
// statements before it are returned together with the error, which is an
// *Error when it has a position. A cell with a syntax error, or with a
// shape error found by the static check of the whole cell, runs nothing.
// When ctx is cancelled, Exec returns ctx.Err() promptly, wrapped.
func (in *Interpreter) Exec(ctx context.Context, src string) ([]Output, error) {
	return in.exec(ctx, src, nil)
}

// Eval evaluates src as one expression, the way a Jupyter client's
// user_expressions are evaluated after a cell: it returns the value the
// expression shows (its last Value output), and leaves the session as it
// was. An assignment, a declaration, a command statement or more than one
// statement is a SyntaxError; whatever an expression would change on the
// way (the time variable ode declares, the numbers drawn by rand or by a
// numerical check) is changed in a copy of the environment and forgotten.
func (in *Interpreter) Eval(ctx context.Context, src string) (Output, error) {
	pcg := *in.pcg
	probe := &Interpreter{env: in.env.clone(), fns: in.fns, commands: in.commands, pcg: &pcg, rng: rand.New(&pcg)}
	outs, err := probe.exec(ctx, src, onlyExpression)
	if err != nil {
		return Output{}, err
	}
	for i := len(outs) - 1; i >= 0; i-- {
		if outs[i].Kind == Value {
			return outs[i], nil
		}
	}
	return Output{Kind: Value}, nil
}

// onlyExpression refuses a cell that is not one bare expression, for Eval.
func onlyExpression(c *cell, f *syntax.File) error {
	if len(f.Stmts) == 0 {
		return c.errorAt(SyntaxError, f.EOF, "expected an expression, found nothing")
	}
	if len(f.Stmts) > 1 {
		return c.errorf(SyntaxError, f.Stmts[1], "expected one expression: an expression is evaluated, not run as a cell")
	}
	what := ""
	switch f.Stmts[0].(type) {
	case *syntax.ExprStmt:
		return nil
	case *syntax.AssignStmt:
		what = "an assignment"
	case *syntax.DeclStmt:
		what = "a declaration"
	case *syntax.CommandStmt:
		what = "a command"
	default:
		what = "this statement"
	}
	return c.errorf(SyntaxError, f.Stmts[0], "expected an expression, not %s: an expression is evaluated and changes nothing", what)
}

// exec is Exec; when only is not nil, it may refuse the parsed cell
// before anything runs.
func (in *Interpreter) exec(ctx context.Context, src string, only func(*cell, *syntax.File) error) ([]Output, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("cell not run: %w", err)
	}
	if len(src) > MaxCell {
		return nil, &Error{Kind: ValueError, Line: 1, Col: 1, Msg: fmt.Sprintf("the cell is %d bytes long; the limit is %d", len(src), MaxCell)}
	}
	file, err := syntax.Parse(src)
	if err != nil {
		var list syntax.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			e := list[0]
			return nil, &Error{Kind: SyntaxError, Line: e.Pos.Line, Col: e.Pos.Col, Msg: e.Msg, Source: syntax.Line(src, e.Pos.Line), err: err}
		}
		return nil, err
	}
	c := &cell{in: in, env: in.env, src: src, ctx: ctx}
	if only != nil {
		if err := only(c, file); err != nil {
			return nil, err
		}
	}
	if err := c.checkShapes(file); err != nil {
		return nil, err
	}
	var outs []Output
	for _, st := range file.Stmts {
		if err := ctx.Err(); err != nil {
			return outs, fmt.Errorf("interrupted before line %d: %w", st.Pos().Line, err)
		}
		o, err := c.runStmt(st)
		outs = append(outs, o...)
		if err != nil {
			return outs, err
		}
	}
	return outs, nil
}

// IsComplete reports whether src is a complete cell: "complete",
// "incomplete" (an open bracket or a trailing operator: more lines are
// expected, and indent is the indentation to offer), or "invalid".
func (in *Interpreter) IsComplete(src string) (status, indent string) {
	return syntax.IsComplete(src)
}

// Names returns every name a completion may offer: declared symbols,
// dimensions, named expressions, functions, commands and keywords, sorted.
func (in *Interpreter) Names() []string {
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, n := range in.env.order {
		add(n)
	}
	for n := range in.env.dimNames {
		add(n)
	}
	for n := range in.env.dims {
		add(n)
	}
	for _, n := range languageNames() {
		add(n)
	}
	sort.Strings(names)
	return names
}

// Describe returns what inspection shows for name (a symbol's declaration,
// shape, properties and value; a function's signature and doc), and false
// when name means nothing here.
func (in *Interpreter) Describe(name string) (Output, bool) {
	e := in.env
	if s, ok := e.syms[name]; ok {
		plain := fmt.Sprintf("%s : %s\nshape %s", name, s.decl(), e.shapeText(s.sym.Shape()))
		latex := s.sym.LaTeX() + ` : ` + s.declLaTeX()
		if s.value != nil {
			plain += "\nvalue " + valuePlain(s.value)
			latex += ` = ` + s.value.LaTeX()
		} else {
			plain += "\nno value"
		}
		return Output{Kind: Display, Plain: plain, LaTeX: latex}, true
	}
	if n, ok := e.named[name]; ok {
		return Output{Kind: Display,
			Plain: fmt.Sprintf("%s = %s\nshape %s", name, n.node, e.shapeText(n.node.Shape())),
			LaTeX: fmt.Sprintf(`%s = %s`, name, n.node.LaTeX())}, true
	}
	if v, ok := e.dims[name]; ok {
		return Output{Kind: Display, Plain: fmt.Sprintf("%s = %d (a dimension)", name, v)}, true
	}
	if e.dimNames[name] {
		return Output{Kind: Display, Plain: fmt.Sprintf("%s is a dimension with no value yet (give it one: %s = 3)", name, name)}, true
	}
	if f, ok := in.fns[name]; ok {
		return Output{Kind: Display, Plain: HelpText(f)}, true
	}
	if c, ok := in.commands[name]; ok {
		return Output{Kind: Display, Plain: HelpText(c)}, true
	}
	switch name {
	case "I":
		return Output{Kind: Display, Plain: "I — the identity matrix, its size taken from where it is used (A + I, A*I); eye(n) gives a size"}, true
	case "scalar", "vector", "matrix":
		return Output{Kind: Display, Plain: "a type in declarations: c : scalar, x : vector(n), A : matrix(m, n)"}, true
	case "symmetric", "spd", "invertible", "diagonal", "orthogonal":
		return Output{Kind: Display, Plain: name + " — a property in declarations: S : matrix(n, n) " + name}, true
	}
	return Output{}, false
}

// HelpText is the help on a function, command or statement of the language, from its
// entry in the builtin table: the signature and what kind of name it is, one line of what
// it does, the rule or identity it uses, and an example cell that runs as it stands.
func HelpText(f builtin.Func) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n    %s\n", f.Help.Sig, f.Kind, f.Help.Doc)
	if f.Help.Rule != "" {
		fmt.Fprintf(&b, "rule:\n    %s\n", f.Help.Rule)
	}
	if f.Help.Example != "" {
		b.WriteString("example (a cell that runs):\n")
		for _, l := range strings.Split(f.Help.Example, "\n") {
			b.WriteString("    " + l + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// CallAt returns the name of the function or command whose call's parentheses enclose
// the cursor (an offset in code points), or "" when the cursor is inside no call:
// grad for "grad(x'*A*x, |x)".
func CallAt(code string, cursor int) string {
	rs := []rune(code)
	cursor = max(0, min(cursor, len(rs)))
	depth := 0
	for i := cursor - 1; i >= 0; i-- {
		switch rs[i] {
		case ')', ']':
			depth++
		case '[':
			depth--
		case '(':
			if depth > 0 {
				depth--
				continue
			}
			j := i
			for j > 0 && (rs[j-1] == ' ' || rs[j-1] == '\t') {
				j--
			}
			k := j
			for k > 0 && syntax.IsIdentChar(rs[k-1]) {
				k--
			}
			if k < j {
				return string(rs[k:j])
			}
		}
		if depth < 0 {
			depth = 0
		}
	}
	return ""
}

// Who lists the declared symbols with their shapes, properties and values.
func (in *Interpreter) Who() Output { return in.env.who() }

// Reset forgets every declaration, value and setting, and restarts the
// random numbers of rand, as in a new Interpreter.
func (in *Interpreter) Reset() {
	in.env = newEnv()
	in.pcg = newPCG()
	in.rng = rand.New(in.pcg)
}

// newPCG returns the source of the numbers of rand(m, n): seeded, so that
// a notebook run twice shows the same numbers.
func newPCG() *rand.PCG { return rand.NewPCG(1, 2) }

// Closest returns the candidate nearest to name by edit distance, when it
// is near enough to be a plausible typo.
func Closest(name string, candidates []string) string {
	// Case is ignored, then breaks ties: xx suggests x before X.
	best, bestD, bestCase := "", 1<<30, 1<<30
	for _, c := range candidates {
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if d > bestD {
			continue
		}
		dc := editDistance(name, c)
		if d < bestD || dc < bestCase || (dc == bestCase && c < best) {
			best, bestD, bestCase = c, d, dc
		}
	}
	limit := 0 // a one-letter name is suggested only for a change of case
	switch n := len([]rune(name)); {
	case n > 4:
		limit = 2
	case n > 1:
		limit = 1
	}
	if best != "" && bestD <= limit {
		return best
	}
	return ""
}

// editDistance is the number of edits from a to b, in runes: insertions,
// deletions, substitutions, and transpositions of two neighbours (the
// optimal string alignment distance), so that gard is one edit from grad.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1) // row i-2
	prev := make([]int, len(rb)+1)  // row i-1
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Symbolic parses src as one expression and returns its symbolic form in
// the session's environment, without evaluating it or changing anything:
// what matcalc understands a pasted answer to mean (the round-trip tests
// compare it with the expression that was printed).
func (in *Interpreter) Symbolic(src string) (expr.Node, error) {
	file, err := syntax.Parse(src)
	if err != nil {
		return nil, err
	}
	c := &cell{in: in, env: in.env, src: src, ctx: context.Background()}
	if err := onlyExpression(c, file); err != nil {
		return nil, err
	}
	return c.lower(file.Stmts[0].(*syntax.ExprStmt).X, nil)
}
