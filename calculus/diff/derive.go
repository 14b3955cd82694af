package diff

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/matcalc/matcalc/calculus/builtin"
	"github.com/matcalc/matcalc/calculus/expr"
)

// engine computes differentials with recorded steps.
type engine struct {
	opts  Options
	vars  []string             // the variables' names (a derivation has one or two)
	ds    []*expr.Differential // their differentials, made once (dOf)
	index int                  // differential index of the variables: 0, or 1/2 in d²
	holes []hole               // the pending differentials, in the order made
	byKey map[string]int       // their index by the key of u, once there are many
	steps []Step
	work  int // total size of the recorded steps
	// symTeX holds the constants named in step notes, for their LaTeX.
	symTeX map[string]*expr.Symbol
	// events fix the order the terms of intermediate lines are written in
	// (see display.go); termOrder is what replaying the first replayed of
	// them gives: by the Key of a sum, the Keys of its terms' X in the
	// order written: the order the product rule made them in, then the
	// order of the line before. Only display: the expressions keep their
	// normal form.
	events    []orderEvent
	termOrder map[string][]string
	replayed  int
	texts     map[expr.Node]string // lines printed to compare them (sameLine)
}

func newEngine(vars []*expr.Symbol, index int, opts Options) *engine {
	// One allocation for the short lists a small derivation needs.
	type lists struct {
		e     engine
		steps [4]Step
		vars  [2]string
		ds    [2]*expr.Differential
		holes [4]hole
	}
	l := new(lists)
	e := &l.e
	e.opts, e.index = opts, index
	e.steps, e.vars, e.ds, e.holes = l.steps[:0], l.vars[:0], l.ds[:0], l.holes[:0]
	for _, v := range vars {
		e.vars = append(e.vars, v.Name())
	}
	return e
}

// dOf is the differential of the variable x at the engine's index, made
// once.
func (e *engine) dOf(x *expr.Symbol) *expr.Differential {
	for _, d := range e.ds {
		if d.Of().Name() == x.Name() {
			return d
		}
	}
	d := expr.DN(x, e.index)
	e.ds = append(e.ds, d)
	return d
}

// isVar reports whether name is one of the variables.
func (e *engine) isVar(name string) bool { return contains(e.vars, name) }

func (e *engine) varies(n expr.Node) bool {
	found := false
	expr.Inspect(n, func(m expr.Node) bool {
		if s, ok := m.(*expr.Symbol); ok && e.isVar(s.Name()) {
			found = true
		}
		return !found
	})
	return found
}

// trInvD returns tr(X⁻¹ dX): the differential of log det X, and of det X
// after the factor det X.
func (e *engine) trInvD(x expr.Node) (expr.Node, error) {
	inv, err := expr.Inv(x)
	if err != nil {
		return nil, err
	}
	p, err := expr.Mul(inv, e.part(x))
	if err != nil {
		return nil, err
	}
	return expr.Tr(p)
}

// part is the differential of u as it is written inside an expansion:
// nothing (nil) for a constant, dX for a variable X, dXᵀ for Xᵀ, and a
// pending d(u) otherwise.
func (e *engine) part(u expr.Node) expr.Node {
	if !e.varies(u) {
		return nil
	}
	switch u := u.(type) {
	case *expr.Symbol:
		return e.dOf(u)
	case *expr.Transpose:
		if s, ok := u.X().(*expr.Symbol); ok {
			return expr.T(e.dOf(s))
		}
	}
	if _, ok := u.(*expr.Sum); ok && !u.Shape().IsScalar() {
		// d(xᵀAᵀ − bᵀ) is written d(Ax − b)ᵀ.
		if t := expr.T(u); transposes(t) < transposes(u) {
			return expr.T(e.part(t))
		}
	}
	if h := e.holeByKey(u.Key()); h != nil {
		return h
	}
	name := "\x00" + strconv.Itoa(len(e.holes)) + "\x00"
	h := expr.NewSymbol(name, u.Shape(), 0)
	e.holes = append(e.holes, hole{u, h})
	if e.byKey != nil || len(e.holes) > 16 {
		if e.byKey == nil {
			e.byKey = make(map[string]int, 2*len(e.holes))
			for i, h := range e.holes {
				e.byKey[h.u.Key()] = i
			}
		}
		e.byKey[u.Key()] = len(e.holes) - 1
	}
	return h
}

// hole is a pending differential d(u), written as the symbol sym, named
// "\x00i\x00" for the i-th.
type hole struct {
	u   expr.Node
	sym *expr.Symbol
}

// holeSub is a pending differential's expansion: the hole named name
// becomes n.
type holeSub struct {
	name string
	n    expr.Node
}

// substituteHoles writes the expansions of sub in place of their holes.
func substituteHoles(state expr.Node, sub []holeSub) (expr.Node, error) {
	return expr.Map(state, func(m expr.Node) (expr.Node, error) {
		s, ok := m.(*expr.Symbol)
		if !ok {
			return m, nil
		}
		for _, h := range sub {
			if h.name == s.Name() {
				return h.n, nil
			}
		}
		return m, nil
	})
}

// holeIndex is the index of the hole called name ("\x00i\x00"), or -1.
func holeIndex(name string) int {
	if len(name) < 3 || name[0] != 0 || name[len(name)-1] != 0 {
		return -1
	}
	i, err := strconv.Atoi(name[1 : len(name)-1])
	if err != nil {
		return -1
	}
	return i
}

// holeNamed returns u of the pending differential d(u) called name.
func (e *engine) holeNamed(name string) (expr.Node, bool) {
	i := holeIndex(name)
	if i < 0 || i >= len(e.holes) {
		return nil, false
	}
	return e.holes[i].u, true
}

// holeByKey returns the symbol of the pending differential of the
// expression of key k, or nil: by a scan while there are few, then a map.
func (e *engine) holeByKey(k string) *expr.Symbol {
	if e.byKey != nil {
		if i, ok := e.byKey[k]; ok {
			return e.holes[i].sym
		}
		return nil
	}
	for _, h := range e.holes {
		if h.u.Key() == k {
			return h.sym
		}
	}
	return nil
}

func transposes(n expr.Node) int {
	c := 0
	expr.Inspect(n, func(m expr.Node) bool {
		if _, ok := m.(*expr.Transpose); ok {
			c++
		}
		return true
	})
	return c
}

// zeroOf is the zero of u's shape.
func zeroOf(u expr.Node) expr.Node { return expr.ZerosOf(u.Shape()) }

// sumParts adds the non-nil terms; all nil gives the zero of shape.
func sumParts(shape expr.Shape, terms []expr.Term) (expr.Node, error) {
	var keep []expr.Term
	for _, t := range terms {
		if t.X != nil {
			keep = append(keep, t)
		}
	}
	if len(keep) == 0 {
		return expr.ZerosOf(shape), nil
	}
	return expr.Combine(keep...)
}

// expand applies the one rule of u's kind: the differential of u with the
// differentials of its operands left pending.
func (e *engine) expand(u expr.Node) (expr.Node, RuleID, string, error) {
	switch u := u.(type) {
	case *expr.Sum:
		terms := u.Terms()
		if len(terms) == 1 {
			inner, rule, note, err := e.expand(terms[0].X)
			if err != nil {
				return nil, 0, "", err
			}
			if rule == RuleVariable {
				rule = RuleLinearity // d(cX) = c dX
			}
			return expr.Scale(terms[0].Coef, inner), rule, note, nil
		}
		parts := make([]expr.Term, len(terms))
		for i, t := range terms {
			parts[i] = expr.Term{Coef: t.Coef, X: e.part(t.X)}
		}
		n, err := sumParts(u.Shape(), parts)
		return n, RuleLinearity, "", err
	case *expr.Product:
		fs := u.Factors()
		return e.productRule(u, fs, func(xs []expr.Node) (expr.Node, error) { return expr.Mul(xs...) }, RuleProduct)
	case *expr.HadamardProduct:
		return e.productRule(u, u.Factors(), func(xs []expr.Node) (expr.Node, error) { return expr.Hadamard(xs...) }, RuleHadamard)
	case *expr.Transpose:
		return expr.T(e.part(u.X())), RuleTranspose, "", nil
	case *expr.Inverse:
		inv := u
		n, err := expr.Mul(inv, e.part(u.X()), inv)
		if err != nil {
			return nil, 0, "", err
		}
		return expr.Neg(n), RuleInverse, "", nil
	case *expr.PseudoInverse:
		return e.pinvRule(u)
	case *expr.Trace:
		n, err := expr.Tr(e.part(u.X()))
		return n, RuleTrace, "", err
	case *expr.Determinant:
		t, err := e.trInvD(u.X())
		if err != nil {
			return nil, 0, "", err
		}
		n, err := expr.Mul(u, t)
		return n, RuleDet, "", err
	case *expr.LogDeterminant:
		n, err := e.trInvD(u.X())
		return n, RuleLogDet, "", err
	case *expr.Softmax:
		n, err := softmaxJacobian(u)
		if err == nil {
			n, err = expr.Mul(n, e.part(u.X()))
		}
		return n, RuleSoftmax, "", err
	case *expr.LogSumExp:
		p, err := expr.SoftmaxOf(u.X())
		if err != nil {
			return nil, 0, "", err
		}
		n, err := expr.Mul(expr.T(p), e.part(u.X()))
		return n, RuleLogSumExp, "", err
	case *expr.Func:
		if p, ok := u.X().(*expr.Softmax); ok && u.Name() == "log" {
			n, err := logSoftmaxD(p, e.part(p.X()))
			return n, RuleLogSoftmax, "", err
		}
		der, err := Derivative(u.Name(), u.X())
		if err != nil {
			return nil, 0, "", err
		}
		n, err := expr.Hadamard(der, e.part(u.X()))
		rule := RuleElementwise
		if u.Shape().IsScalar() {
			rule = RuleScalarChain
		}
		return n, rule, "", err
	case *expr.Power:
		p := u.Exp()
		pm1 := new(big.Rat).Sub(p, big.NewRat(1, 1))
		base, err := expr.ElemPow(u.X(), pm1)
		if err != nil {
			return nil, 0, "", err
		}
		n, err := expr.Hadamard(expr.Scale(p, base), e.part(u.X()))
		return n, RulePower, "", err
	case *expr.MatPow:
		return e.matPowRule(u)
	case *expr.EntrySum, *expr.DiagMatrix, *expr.DiagPart, *expr.Vectorize:
		x := u.Children()[0]
		n, err := expr.Rebuild(u, []expr.Node{e.part(x)})
		return n, RuleLinearMap, "", err
	case *expr.KronProduct:
		return e.kronRule(u)
	case *expr.Literal:
		kids := u.Children()
		nk := make([]expr.Node, len(kids))
		for i, k := range kids {
			if nk[i] = e.part(k); nk[i] == nil {
				nk[i] = expr.IntConst(0)
			}
		}
		n, err := expr.Rebuild(u, nk)
		return n, RuleEntrywise, "", err
	case *expr.Symbol:
		if e.isVar(u.Name()) {
			return e.dOf(u), RuleVariable, "", nil
		}
	case *expr.Differential:
		if e.index != 0 {
			return zeroOf(u), RuleSecond, "", nil
		}
		return nil, 0, "", fmt.Errorf("cannot differentiate the differential %s", u)
	}
	return zeroOf(u), RuleConstant, "", nil
}

// matPowRule is d(Xᵏ) = Σ Xⁱ dX Xᵏ⁻¹⁻ⁱ.
func (e *engine) matPowRule(u *expr.MatPow) (expr.Node, RuleID, string, error) {
	k := u.K()
	if k > e.opts.maxSteps() {
		return nil, 0, "", fmt.Errorf("%w: the power %d has %d terms", ErrTooLarge, k, k)
	}
	dx := e.part(u.X())
	terms := make([]expr.Term, 0, k)
	for i := 0; i < k; i++ {
		l, err := expr.Pow(u.X(), i)
		if err != nil {
			return nil, 0, "", err
		}
		r, err := expr.Pow(u.X(), k-1-i)
		if err != nil {
			return nil, 0, "", err
		}
		t, err := expr.Mul(l, dx, r)
		if err != nil {
			return nil, 0, "", err
		}
		terms = append(terms, expr.Unit(t))
	}
	n, err := expr.Combine(terms...)
	return n, RuleMatPow, "", err
}

// kronRule is d(A ⊗ B) = dA ⊗ B + A ⊗ dB.
func (e *engine) kronRule(u *expr.KronProduct) (expr.Node, RuleID, string, error) {
	var terms []expr.Term
	if d := e.part(u.A()); d != nil {
		t, err := expr.Kron(d, u.B())
		if err != nil {
			return nil, 0, "", err
		}
		terms = append(terms, expr.Unit(t))
	}
	if d := e.part(u.B()); d != nil {
		t, err := expr.Kron(u.A(), d)
		if err != nil {
			return nil, 0, "", err
		}
		terms = append(terms, expr.Unit(t))
	}
	n, err := sumParts(u.Shape(), terms)
	return n, RuleKron, "", err
}

func (e *engine) productRule(u expr.Node, fs []expr.Node, build func([]expr.Node) (expr.Node, error), rule RuleID) (expr.Node, RuleID, string, error) {
	var terms []expr.Term
	var diffed []int // the factor each term differentiates
	var consts []string
	for i, f := range fs {
		d := e.part(f)
		if d == nil {
			for _, s := range expr.Symbols(f) {
				if !contains(consts, s.Name()) {
					consts = append(consts, s.Name())
					if e.symTeX == nil {
						e.symTeX = map[string]*expr.Symbol{}
					}
					e.symTeX[s.Name()] = s
				}
			}
			continue
		}
		xs := append(append(append([]expr.Node(nil), fs[:i]...), d), fs[i+1:]...)
		t, err := build(xs)
		if err != nil {
			return nil, 0, "", err
		}
		terms = append(terms, expr.Unit(t))
		diffed = append(diffed, i)
	}
	n, err := sumParts(u.Shape(), terms)
	if err != nil {
		return nil, 0, "", err
	}
	// The text writes d(u) v + u d(v): the terms in the order the factors
	// are written, a denominator's (d(1/v)) after the numerator's.
	var keys, den []string
	for i, t := range terms {
		k := sumTerms(t.X)[0].X.Key()
		if p, ok := fs[diffed[i]].(*expr.Power); ok && p.Shape().IsScalar() && p.Exp().Sign() < 0 {
			den = append(den, k)
		} else {
			keys = append(keys, k)
		}
	}
	e.setOrder(n, append(keys, den...))
	note := ""
	if len(consts) > 0 {
		note = strings.Join(consts, ", ") + " constant"
	}
	if len(terms) == 1 && rule == RuleProduct {
		rule = RuleConstantFactor
	}
	return n, rule, note, nil
}

// Derivative returns f'(u) for the elementwise function name, built from
// its entry in package builtin (exp → exp(u), tanh → 1 − tanh(u).^2, …).
func Derivative(name string, u expr.Node) (expr.Node, error) {
	f, ok := builtin.Lookup(name)
	if !ok || f.Deriv == nil {
		return nil, fmt.Errorf("no derivative known for %s", name)
	}
	return buildTerm(*f.Deriv, u)
}

// buildTerm builds the formula t of package builtin at the argument u.
func buildTerm(t builtin.Term, u expr.Node) (expr.Node, error) {
	var args []expr.Node
	for _, a := range t.Args {
		n, err := buildTerm(a, u)
		if err != nil {
			return nil, err
		}
		args = append(args, n)
	}
	switch t.Op {
	case builtin.U:
		return u, nil
	case builtin.Call:
		return expr.Apply(t.Name, args[0])
	case builtin.Neg:
		return expr.Neg(args[0]), nil
	case builtin.OneMinus:
		return expr.Sub(expr.OnesOf(u.Shape()), args[0])
	case builtin.Pow:
		return expr.ElemPow(args[0], big.NewRat(t.Num, t.Den))
	case builtin.Scale:
		return expr.Scale(big.NewRat(t.Num, t.Den), args[0]), nil
	case builtin.Times:
		return expr.Hadamard(args[0], args[1])
	case builtin.Zero:
		return expr.ZerosOf(u.Shape()), nil
	}
	return nil, fmt.Errorf("no form for the operation %d of a derivative", t.Op)
}

func (e *engine) pending(n expr.Node) string {
	found := ""
	expr.Inspect(n, func(m expr.Node) bool {
		if found != "" {
			return false
		}
		if s, ok := m.(*expr.Symbol); ok {
			if _, ok := e.holeNamed(s.Name()); ok {
				found = s.Name()
			}
		}
		return true
	})
	return found
}

func (e *engine) record(s Step) error {
	if len(e.steps) >= e.opts.maxSteps() {
		return fmt.Errorf("%w: more than %d steps", ErrTooLarge, e.opts.maxSteps())
	}
	e.steps = append(e.steps, s)
	return nil
}

func (e *engine) recordExpr(rule RuleID, note, lhs, lhsLaTeX string, n expr.Node) error {
	size := expr.Size(n)
	if size > e.opts.maxSize() {
		return fmt.Errorf("%w: an expression of more than %d nodes", ErrTooLarge, e.opts.maxSize())
	}
	// The steps together are bounded too: each costs time in its size.
	if e.work += size; e.work > 10*e.opts.maxSize() {
		return fmt.Errorf("%w: the steps hold more than %d nodes in all", ErrTooLarge, 10*e.opts.maxSize())
	}
	s := Step{Rule: rule, Note: note, LHS: lhs, LHSLaTeX: lhsLaTeX,
		src: &stepSource{e: e, node: n, at: len(e.events)}}
	if e.pending(n) == "" {
		s.Expr = n
	}
	return e.record(s)
}

// differential runs the recursion on f, recording the chain
// d f = d(f) = … = df, and returns df.
func (e *engine) differential(f expr.Node, lhs string, lhsLaTeX func() string) (expr.Node, error) {
	state := e.part(f)
	if state == nil {
		state = zeroOf(f)
		if err := e.recordExpr(RuleConstant, "", lhs, "", state); err != nil {
			return nil, err
		}
		e.lastSource().lhsTeX = lhsLaTeX
		return state, nil
	}
	rule := RuleStart
	if _, ok := f.(*expr.Symbol); ok {
		rule = RuleVariable
	}
	if err := e.recordExpr(rule, "", lhs, "", state); err != nil {
		return nil, err
	}
	e.lastSource().lhsTeX = lhsLaTeX
	type expansion struct {
		n    expr.Node
		rule RuleID
		note string
	}
	done := map[int]expansion{} // by hole index
	for {
		hs := e.allPending(state)
		if len(hs) == 0 {
			break
		}
		// Expand every pending differential that takes the same rule as
		// the first, in one step.
		var sub []holeSub
		var rule RuleID
		var notes []string
		var local []pendingRewrite
		for i, h := range hs {
			hi := holeIndex(h)
			u := e.holes[hi].u
			x, ok := done[hi]
			if !ok {
				n, r, note, err := e.expand(u)
				if err != nil {
					return nil, fmt.Errorf("differentiating %s: %w", u, err)
				}
				if n == nil {
					n = zeroOf(u)
				}
				x = expansion{n, r, note}
				done[hi] = x
			}
			if i == 0 {
				rule = x.rule
			}
			if x.rule != rule {
				continue
			}
			sub = append(sub, holeSub{h, x.n})
			local = append(local, pendingRewrite{u: u, after: x.n})
			for _, name := range strings.Split(strings.TrimSuffix(x.note, " constant"), ", ") {
				if name != "" && !contains(notes, name) {
					notes = append(notes, name)
				}
			}
		}
		prev := state
		var err error
		state, err = substituteHoles(state, sub)
		if err != nil {
			return nil, fmt.Errorf("substituting differentials: %w", err)
		}
		localAt := len(e.events)
		if _, ok := state.(*expr.Sum); ok {
			e.events = append(e.events, orderEvent{n: state, prev: prev, subs: sub, keep: true})
		}
		note := ""
		if len(notes) > 0 {
			note = strings.Join(notes, ", ") + " constant"
		}
		if err := e.recordExpr(rule, note, "", "", state); err != nil {
			return nil, err
		}
		src := e.lastSource()
		src.local, src.localAt, src.consts = local, localAt, notes
	}
	return state, nil
}

// sumTerms returns the terms of n: those of a sum, else n itself.
func sumTerms(n expr.Node) []expr.Term {
	if s, ok := n.(*expr.Sum); ok {
		return s.Terms()
	}
	return []expr.Term{expr.Unit(n)}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// allPending lists the pending differentials of n in order.
func (e *engine) allPending(n expr.Node) []string {
	var out []string
	expr.Inspect(n, func(m expr.Node) bool {
		if s, ok := m.(*expr.Symbol); ok {
			if _, ok := e.holeNamed(s.Name()); ok && !contains(out, s.Name()) {
				out = append(out, s.Name())
			}
		}
		return true
	})
	return out
}

// pinvRule is d(X⁺), the case read from X's declared shape m×n: square
// (X⁺ = X⁻¹), full column rank (m > n), full row rank (m < n), or, when the
// sizes are names that do not say which is larger, the general formula for
// X of constant rank (it holds in every full-rank case).
func (e *engine) pinvRule(u *expr.PseudoInverse) (expr.Node, RuleID, string, error) {
	x, p := u.X(), expr.Node(u)
	dx := e.part(x)
	dxt := expr.T(dx)
	m, n := x.Shape().Rows, x.Shape().Cols
	first, err := expr.Mul(p, dx, p)
	if err != nil {
		return nil, 0, "", err
	}
	first = expr.Neg(first)
	// leftNull is I − X X⁺ (m×m), rightNull is I − X⁺X (n×n).
	leftNull := func() (expr.Node, error) {
		xp, err := expr.Mul(x, p)
		if err != nil {
			return nil, err
		}
		return expr.Sub(expr.Eye(m), xp)
	}
	rightNull := func() (expr.Node, error) {
		px, err := expr.Mul(p, x)
		if err != nil {
			return nil, err
		}
		return expr.Sub(expr.Eye(n), px)
	}
	mv, mok := m.Value()
	nv, nok := n.Value()
	var rule RuleID
	switch {
	case m == n:
		return first, RulePinvSquare, "", nil
	case mok && nok && mv > nv:
		rule = RulePinvColumn
	case mok && nok && mv < nv:
		rule = RulePinvRow
	default:
		rule = RulePinvRank
	}
	var terms []expr.Node
	if rule == RulePinvColumn || rule == RulePinvRank {
		var g expr.Node // (XᵀX)⁻¹, or X⁺X⁺ᵀ in general
		if rule == RulePinvColumn {
			if g, err = expr.Mul(expr.T(x), x); err == nil {
				g, err = expr.Inv(g)
			}
		} else {
			g, err = expr.Mul(p, expr.T(p))
		}
		if err != nil {
			return nil, 0, "", err
		}
		l, err := leftNull()
		if err != nil {
			return nil, 0, "", err
		}
		t, err := expr.Mul(g, dxt, l)
		if err != nil {
			return nil, 0, "", err
		}
		terms = append(terms, t)
	}
	if rule == RulePinvRow || rule == RulePinvRank {
		var g expr.Node // (X Xᵀ)⁻¹, or X⁺ᵀX⁺ in general
		if rule == RulePinvRow {
			if g, err = expr.Mul(x, expr.T(x)); err == nil {
				g, err = expr.Inv(g)
			}
		} else {
			g, err = expr.Mul(expr.T(p), p)
		}
		if err != nil {
			return nil, 0, "", err
		}
		r, err := rightNull()
		if err != nil {
			return nil, 0, "", err
		}
		t, err := expr.Mul(r, dxt, g)
		if err != nil {
			return nil, 0, "", err
		}
		terms = append(terms, t)
	}
	out := first
	for _, t := range terms {
		if out, err = expr.Add(out, t); err != nil {
			return nil, 0, "", err
		}
	}
	return out, rule, "", nil
}

// softmaxJacobian returns diag(p) − p pᵀ for p = softmax(z), the Jacobian
// of softmax at z.
func softmaxJacobian(p *expr.Softmax) (expr.Node, error) {
	d, err := expr.Diag(p)
	if err != nil {
		return nil, err
	}
	pp, err := expr.Mul(p, expr.T(p))
	if err != nil {
		return nil, err
	}
	return expr.Sub(d, pp)
}

// logSoftmaxD returns dz − 𝟙 pᵀ dz, the differential of log(p) for
// p = softmax(z) (log p = z − logsumexp(z) 𝟙), given dz.
func logSoftmaxD(p *expr.Softmax, dz expr.Node) (expr.Node, error) {
	t, err := expr.Mul(expr.OnesOf(p.Shape()), expr.T(p), dz)
	if err != nil {
		return nil, err
	}
	return expr.Sub(dz, t)
}
