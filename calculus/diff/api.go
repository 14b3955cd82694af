package diff

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
)

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

func (o Options) dLHS() (string, string) {
	return "d" + o.name(), `{\rm d}` + latexFn(o.name())
}

func symbolLaTeX(x *expr.Symbol) string { return x.LaTeX() }

// Differential returns df with respect to vars (every symbol of f when
// vars is empty; the others are held constant), with every step. f may
// have any shape. The result is df, simplified.
func Differential(f expr.Node, vars []*expr.Symbol, opts Options) (*Derivation, error) {
	if f == nil {
		return nil, fmt.Errorf("differential of nothing")
	}
	if len(vars) == 0 {
		vars = expr.Symbols(f)
	}
	e := newEngine(vars, 0, opts)
	lhs, lhsL := opts.dLHS()
	df, err := e.differential(f, lhs, lhsL)
	if err != nil {
		return nil, err
	}
	// The differential is shown as the rules leave it: factoring would
	// split its terms across differentials. Only a trace of an outer
	// product is written as the scalar it is (tr(dx yᵀ) = yᵀdx), as the
	// text does.
	res := df
	if out, err := expr.Map(df, func(m expr.Node) (expr.Node, error) {
		if t, ok := m.(*expr.Trace); ok {
			return traceOfOuter(t), nil
		}
		return m, nil
	}); err == nil && !expr.Equal(out, df) {
		if err := e.recordExpr(RuleCyclic, "", "", "", out); err != nil {
			return nil, err
		}
		res = out
	}
	return &Derivation{What: "differential", F: f, Vars: vars, Steps: e.steps, Differential: df, Result: res}, nil
}

// canonical rewrites the terms of df, linear in d, into Σ tr(Mᵢ d) and
// returns M = Σ Mᵢ, recording the steps as the text makes them: the
// terms that hold dXᵀ are transposed first (tr(Mᵀ) = tr(M), or sᵀ = s
// for a scalar), then the traces are rotated until dX is last, then the
// terms are collected. A scalar factor common to every term stays in
// front, as the text keeps 1/(xᵀAx) outside.
func (e *engine) canonical(df expr.Node, d *expr.Differential) (expr.Node, error) {
	k := d.Key()
	terms, err := splitLinear(df, k, e.opts.maxSize())
	if err != nil {
		return nil, err
	}
	// last is the latest line shown, lastTerms its number of terms.
	last, lastTerms := df, len(terms)
	show := func(ts []expr.Term) (expr.Node, error) {
		n, err := expr.Combine(ts...)
		if err != nil {
			return nil, err
		}
		if s, ok := n.(*expr.Sum); ok {
			lastTerms = len(s.Terms())
		} else {
			lastTerms = 1
		}
		return factorCommonScalars(n, k), nil
	}
	if len(terms) > 1 || terms[0].X.Key() != asTerm(df).X.Key() {
		if n, err := show(terms); err == nil && !sameLine(n, df) {
			if err := e.recordExpr(RuleExpand, "", "", "", n); err != nil {
				return nil, err
			}
			last = n
		}
	}
	// Transposes first.
	if !d.Shape().IsScalar() {
		tts, traces, scalars, used := transposesOut(terms, k)
		if traces || scalars {
			n, err := show(tts)
			if err != nil {
				return nil, err
			}
			if !sameLine(n, last) {
				rule, note := RuleTraceTranspose, ""
				switch {
				case scalars && traces:
					rule, note = RuleScalarTransposed, RuleTraceTranspose.String()
				case scalars:
					rule = RuleScalarTransposed
				}
				noteTeX := ""
				if len(used) > 0 {
					note, noteTeX = propertyNote(note, used)
				}
				if err := e.recordExpr(rule, note, "", "", n); err != nil {
					return nil, err
				}
				e.steps[len(e.steps)-1].NoteLaTeX = noteTeX
				last = n
			}
			if terms, err = splitLinear(n, k, e.opts.maxSize()); err != nil {
				return nil, err
			}
		}
	}
	mv := moves{}
	ms, err := linTerms(terms, d, mv)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return expr.ZerosOf(d.Shape().T()), nil
	}
	shownOf := func(ms []expr.Term) (expr.Node, error) {
		var shown []expr.Term
		for _, t := range ms {
			tr, err := trForm(t.X, d)
			if err != nil {
				return nil, err
			}
			shown = append(shown, expr.Term{Coef: t.Coef, X: tr})
		}
		return show(shown)
	}
	canon, err := shownOf(ms)
	if err != nil {
		return nil, err
	}
	if !sameLine(canon, last) {
		rule, note := e.moveRule(mv, d)
		if err := e.recordExpr(rule, note, "", "", canon); err != nil {
			return nil, err
		}
		last = canon
	}
	if d.Shape().IsScalar() && len(ms) > 1 {
		// f'(t) as a sum of scalars: written the same way round, so
		// that they collect (vᵀA(tv + w) = (tv + w)ᵀAᵀv).
		if turned, ok := alignScalars(ms); ok {
			n, err := shownOf(turned)
			if err != nil {
				return nil, err
			}
			if !sameLine(n, last) {
				if err := e.recordExpr(RuleScalarTransposed, "", "", "", n); err != nil {
					return nil, err
				}
				ms, last = turned, n
			}
		}
	}
	M, err := expr.Combine(ms...)
	if err != nil {
		return nil, err
	}
	M = Simplify(M)
	if lastTerms > 1 && len(ms) > 1 {
		if err := e.collect(M, d, last); err != nil {
			return nil, err
		}
	}
	return M, nil
}

// collect records the step that collects the terms tr(Mᵢ dX) into
// tr(M dX), unless it reads as the last line shown.
func (e *engine) collect(M expr.Node, d *expr.Differential, last expr.Node) error {
	col, err := trForm(M, d)
	if err != nil {
		return err
	}
	if sameLine(col, last) {
		return nil
	}
	return e.recordExpr(RuleCollect, "", "", "", col)
}

// transposesOut takes the transposes of the differential out of each
// term (tr(Mᵀ) = tr(M), sᵀ = s): the terms, whether a trace or a scalar
// was transposed, and the symbols declared symmetric that a transpose met.
func transposesOut(terms []expr.Term, k string) (tts []expr.Term, traces, scalars bool, used []*expr.Symbol) {
	for _, t := range terms {
		x, tr, sc := transposeOut(t.X, k)
		traces, scalars = traces || tr, scalars || sc
		if tr || sc {
			used = appendSymmetric(used, transposedPart(t.X, k))
		}
		tts = append(tts, expr.Term{Coef: t.Coef, X: flattenScalar(x, k)})
	}
	return tts, traces, scalars, used
}

// linTerms brings each term of df, linear in d, to the form tr(Mᵢ d) and
// returns the terms Mᵢ with their coefficients; a zero term drops.
func linTerms(terms []expr.Term, d *expr.Differential, mv moves) ([]expr.Term, error) {
	var ms []expr.Term
	for _, t := range terms {
		if !holds(t.X, d.Key()) {
			if expr.IsZero(t.X) {
				continue
			}
			return nil, fmt.Errorf("the term %s of the differential does not hold %s", t.X, d)
		}
		m, err := lin(nil, t.X, d, mv)
		if err != nil {
			return nil, err
		}
		ms = append(ms, expr.Term{Coef: t.Coef, X: m})
	}
	return ms, nil
}

// sameLine reports whether two lines of a derivation read the same.
func sameLine(a, b expr.Node) bool { return a.Key() == b.Key() || a.String() == b.String() }

// factorCommonScalars writes c·(Σ tᵢ) for a sum whose terms share the
// scalar factors c that do not hold the leaf k; n otherwise.
func factorCommonScalars(n expr.Node, k string) expr.Node {
	s, ok := n.(*expr.Sum)
	if !ok || len(s.Terms()) < 2 {
		return n
	}
	// Cheap test first: the first term's scalar factors, in every term.
	var cand []expr.Node
	for _, t := range s.Terms() {
		p, ok := t.X.(*expr.Product)
		if !ok {
			return n
		}
		if cand == nil {
			for _, c := range p.Scalars() {
				if !holds(c, k) {
					cand = append(cand, c)
				}
			}
		} else {
			var keep []expr.Node
			for _, c := range cand {
				if hasKey(p.Scalars(), c.Key()) {
					keep = append(keep, c)
				}
			}
			cand = keep
		}
		if len(cand) == 0 {
			return n
		}
	}
	ss := make([]split, len(s.Terms()))
	for i, t := range s.Terms() {
		ss[i] = splitTerm(t)
	}
	var common []expr.Node
	for _, c := range ss[0].scalars {
		if !holds(c, k) && all(ss, func(x split) bool { return hasKey(x.scalars, c.Key()) }) && !hasKey(common, c.Key()) {
			common = append(common, c)
		}
	}
	if len(common) == 0 {
		return n
	}
	// A coefficient common to every term goes in front too.
	coef := new(big.Rat).Set(ss[0].coef)
	for _, x := range ss {
		if x.coef.Cmp(coef) != 0 {
			coef.SetInt64(1)
			break
		}
	}
	rest := make([]split, len(ss))
	for i, x := range ss {
		sc := x.scalars
		for _, c := range common {
			sc = without(sc, c.Key())
		}
		rest[i] = split{new(big.Rat).Quo(x.coef, coef), sc, x.chain}
	}
	inner, err := combineSplits(rest, s.Shape())
	if err != nil {
		return n
	}
	out, err := expr.Mul(append(append([]expr.Node(nil), common...), inner)...)
	if err != nil {
		return n
	}
	return expr.Scale(coef, out)
}

// transposeOut transposes the part of the term n where the leaf k appears
// transposed as a factor of its own: tr(A dXᵀ B) = tr(Bᵀ dX Aᵀ), and a
// scalar dxᵀ A x = xᵀ Aᵀ dx. It reports whether a trace or a scalar
// product was transposed.
// transposedPart is the part of the term n that transposeOut transposes:
// the scalar factor that holds the leaf k, or the whole.
func transposedPart(n expr.Node, k string) expr.Node {
	if p, ok := n.(*expr.Product); ok {
		for _, s := range p.Scalars() {
			if holds(s, k) {
				return transposedPart(s, k)
			}
		}
	}
	return n
}

// appendSymmetric adds the symbols of n declared symmetric (spd,
// diagonal) to syms, once each.
func appendSymmetric(syms []*expr.Symbol, n expr.Node) []*expr.Symbol {
	for _, s := range expr.Symbols(n) {
		if !s.Props().Has(expr.Symmetric) || s.Shape().IsScalar() {
			continue
		}
		dup := false
		for _, t := range syms {
			dup = dup || t.Name() == s.Name()
		}
		if !dup {
			syms = append(syms, s)
		}
	}
	return syms
}

// propertyNote adds to note the declarations a step used — "S
// symmetric: S' = S" — and returns it in plain text and LaTeX.
func propertyNote(note string, syms []*expr.Symbol) (string, string) {
	var p prose
	if note != "" {
		p.text(note + "; ")
	}
	for i, s := range syms {
		if i > 0 {
			p.text("; ")
		}
		word := "symmetric"
		switch pr := s.Props(); {
		case pr.Has(expr.SPD):
			word = "spd"
		case pr.Has(expr.Diagonal):
			word = "diagonal"
		}
		p.math(s.Name(), s.LaTeX())
		p.text(" " + word + ": ")
		p.math(s.Name()+"' = "+s.Name(), s.LaTeX()+`^{T} = `+s.LaTeX())
	}
	return p.Plain(), p.LaTeX()
}

func transposeOut(n expr.Node, k string) (expr.Node, bool, bool) {
	direct := func(chain []expr.Node) bool {
		for _, f := range chain {
			if t, ok := f.(*expr.Transpose); ok && t.X().Key() == k {
				return true
			}
		}
		return false
	}
	switch m := n.(type) {
	case *expr.Trace:
		if p, ok := m.X().(*expr.Product); ok && len(p.Scalars()) == 0 && direct(p.Chain()) {
			t, err := expr.Tr(expr.T(p))
			if err == nil {
				return t, true, false
			}
		}
	case *expr.Product:
		scalars, chain := m.Scalars(), m.Chain()
		for i, s := range scalars {
			if !holds(s, k) {
				continue
			}
			x, tr, sc := transposeOut(s, k)
			if !tr && !sc {
				return n, false, false
			}
			xs := append(append([]expr.Node(nil), scalars[:i]...), scalars[i+1:]...)
			if xp, ok := x.(*expr.Product); ok && len(chain) == 0 {
				xs = append(xs, xp.Factors()...) // (xᵀx)·xᵀdx, not (xᵀx)(xᵀdx)
			} else {
				xs = append(xs, x)
			}
			p, err := expr.Mul(append(xs, chain...)...)
			if err != nil {
				return n, false, false
			}
			return p, tr, sc
		}
		if len(chain) > 1 && m.Shape().IsScalar() && direct(chain) {
			c, err := expr.Mul(chain...)
			if err != nil {
				return n, false, false
			}
			xs := scalars
			if tp, ok := expr.T(c).(*expr.Product); ok {
				xs = append(xs, tp.Factors()...)
			} else {
				xs = append(xs, expr.T(c))
			}
			p, err := expr.Mul(xs...)
			if err == nil {
				return p, false, true
			}
		}
	}
	return n, false, false
}

// flattenOne writes a product of scalars s·(uᵀAv) as s·uᵀAv: its first
// scalar factor that is a product of matrices joins the chain.
func flattenOne(p *expr.Product) *expr.Product {
	if len(p.Chain()) > 0 {
		return p
	}
	scalars := p.Scalars()
	for i, s := range scalars {
		sp, ok := s.(*expr.Product)
		if !ok || len(sp.Scalars()) > 0 {
			continue
		}
		xs := append(append(append([]expr.Node(nil), scalars[:i]...), scalars[i+1:]...), sp.Chain()...)
		if q, err := expr.Mul(xs...); err == nil {
			if qp, ok := q.(*expr.Product); ok {
				return qp
			}
		}
		break
	}
	return p
}

// flattenScalar writes s·(uᵀ dx) as s·uᵀ dx: one product, so that terms
// that differ only in that grouping collect.
func flattenScalar(n expr.Node, k string) expr.Node {
	p, ok := n.(*expr.Product)
	if !ok || len(p.Chain()) > 0 {
		return n
	}
	scalars := p.Scalars()
	for i, s := range scalars {
		sp, ok := s.(*expr.Product)
		if !ok || !holds(s, k) || len(sp.Scalars()) > 0 {
			continue
		}
		xs := append(append(append([]expr.Node(nil), scalars[:i]...), scalars[i+1:]...), sp.Chain()...)
		if q, err := expr.Mul(xs...); err == nil {
			return q
		}
	}
	return n
}

// alignScalars turns the 1×1 products among ts so that as many as can
// start with the same factor: vᵀA(tv + w) = (tv + w)ᵀAᵀv beside
// (tv + w)ᵀAv. It reports whether any was turned.
func alignScalars(ts []expr.Term) ([]expr.Term, bool) {
	flat := func(n expr.Node) expr.Node {
		if p, ok := n.(*expr.Product); ok {
			return flattenOne(p)
		}
		return n
	}
	first := func(n expr.Node) string {
		if p, ok := n.(*expr.Product); ok && len(p.Chain()) > 1 && p.Shape().IsScalar() {
			return p.Chain()[0].Key()
		}
		return ""
	}
	count := map[string]int{}
	var order []string
	for _, t := range ts {
		x := flat(t.X)
		for _, k := range []string{first(x), first(flat(expr.T(x)))} {
			if k == "" {
				continue
			}
			if count[k] == 0 {
				order = append(order, k)
			}
			count[k]++
		}
	}
	head := ""
	for _, k := range order {
		if count[k] > count[head] {
			head = k
		}
	}
	if head == "" {
		return ts, false
	}
	out := append([]expr.Term(nil), ts...)
	turned := false
	for i, t := range out {
		x := flat(t.X)
		if first(x) == head {
			continue
		}
		if tx := flat(expr.T(x)); first(tx) == head {
			out[i] = expr.Term{Coef: t.Coef, X: tx}
			turned = true
		}
	}
	return out, turned
}

// trForm is tr(M·dX), which for a vector or scalar variable is M·dx.
func trForm(m expr.Node, d *expr.Differential) (expr.Node, error) {
	xs := []expr.Node{m, d}
	if pm, ok := m.(*expr.Product); ok && d.Shape().IsScalar() {
		// f'(t) dt with f'(t) a product: one product, not (…) dt.
		xs = append(flattenOne(pm).Factors(), d)
	}
	p, err := expr.Mul(xs...)
	if err != nil {
		return nil, err
	}
	if p.Shape().IsScalar() {
		return p, nil
	}
	return expr.Tr(p)
}

func (e *engine) moveRule(mv moves, d *expr.Differential) (RuleID, string) {
	order := []RuleID{RuleHadamardDiag, RuleHadamardTrace, RuleSumEntries, RuleDiagTrace, RuleCyclic, RuleTraceTranspose, RuleScalarOut}
	var used []RuleID
	for _, r := range order {
		if mv[r] {
			used = append(used, r)
		}
	}
	if d.Shape().IsScalar() && len(used) > 0 {
		// For a scalar variable rotations and transposes are dt, 1×1,
		// commuting to the end; sums of entries and the like still count.
		if used[0] == RuleCyclic || used[0] == RuleTraceTranspose {
			return RuleScalarOut, ""
		}
		return used[0], RuleScalarOut.String()
	}
	vector := d.Shape().Cols.IsOne()
	name := func(r RuleID) RuleID {
		if vector && r == RuleTraceTranspose {
			return RuleScalarTransposed
		}
		return r
	}
	if len(used) == 0 {
		return RuleScalarTrace, ""
	}
	var extra []string
	for _, r := range used[1:] {
		extra = append(extra, name(r).String())
	}
	return name(used[0]), strings.Join(extra, ", ")
}

// Grad returns the gradient of the scalar f with respect to x: the
// differential with every step, its canonical form tr(Gᵀ dX) (Gᵀdx for a
// vector, f'(x)dx for a scalar), G read off and simplified. For a
// symmetric (or spd) x the gradient on symmetric matrices sym(G) is
// returned and a note says so. With Layout Numerator a vector's gradient
// is returned as a row.
func Grad(f expr.Node, x *expr.Symbol, opts Options) (*Derivation, error) {
	if f == nil || x == nil {
		return nil, fmt.Errorf("grad of nothing")
	}
	if !f.Shape().IsScalar() {
		return nil, fmt.Errorf("grad needs a scalar function, %s is %s (use jacobian for a vector, d for a matrix)", f, f.Shape())
	}
	e := newEngine([]*expr.Symbol{x}, 0, opts)
	lhs, lhsL := opts.dLHS()
	df, err := e.differential(f, lhs, lhsL)
	if err != nil {
		return nil, err
	}
	d := expr.D(x)
	M, err := e.canonical(df, d)
	if err != nil {
		return nil, err
	}
	G := M
	if !x.Shape().IsScalar() {
		G = expr.T(M)
	}
	G = Simplify(G)
	rule := RuleReadMatrix
	switch {
	case x.Shape().IsScalar():
		rule = RuleReadScalar
	case x.Shape().Cols.IsOne():
		rule = RuleReadGradient
	}
	gl, gL := "grad("+opts.name()+", "+x.Name()+")", `\nabla_{`+symbolLaTeX(x)+`} `+latexFn(opts.name())
	if err := e.recordExpr(rule, "", gl, gL, G); err != nil {
		return nil, err
	}
	e.readOff(rule, x, opts)
	der := &Derivation{What: "gradient", F: f, Vars: []*expr.Symbol{x}, Differential: df, Layout: opts.Layout}
	if x.Props().Has(expr.Diagonal) {
		dg, err := expr.Diag(G)
		if err != nil {
			return nil, err
		}
		if _, ok := dg.(*expr.DiagPart); ok {
			if G, err = expr.Diag(dg); err != nil {
				return nil, err
			}
			if err := e.recordExpr(RuleDiagonal, "", "", "", G); err != nil {
				return nil, err
			}
		}
		der.note(new(prose).node(x).text(" is diagonal: the gradient is taken on diagonal matrices, ").
			math("diag(diag(G))", `\operatorname{diag}(\operatorname{diag}(G))`))
	} else if x.Props().Has(expr.Symmetric) {
		if !expr.IsSymmetric(G) {
			s, err := expr.Add(G, expr.T(G))
			if err != nil {
				return nil, err
			}
			G = Simplify(expr.Scale(big.NewRat(1, 2), s))
			if err := e.recordExpr(RuleSymmetric, "", "", "", G); err != nil {
				return nil, err
			}
		}
		der.note(new(prose).node(x).text(" is symmetric: the gradient is taken on symmetric matrices under the Frobenius inner product, ").
			math("sym(G) = (G + G')/2", `\operatorname{sym}(G) = \tfrac{1}{2}(G + G^{T})`).
			text(" (not the Matrix Cookbook's ").math("2G - G.*I", `2G - G \odot I`).text(")"))
	}
	if opts.Layout == Numerator && !x.Shape().IsScalar() {
		G = expr.T(G)
		if err := e.recordExpr(RuleLayout, "", "d"+opts.name()+"/d"+x.Name(), `\frac{\partial `+latexFn(opts.name())+`}{\partial `+symbolLaTeX(x)+`}`, G); err != nil {
			return nil, err
		}
		der.note(new(prose).text("numerator layout: the derivative is a row, the transpose of the gradient"))
	}
	der.Steps, der.Result = e.steps, G
	return der, nil
}

// Jacobian returns J with dF = J·dx for a vector (or scalar) F of a
// vector (or scalar) x, J of shape len(F)×len(x), in both layouts. For a
// matrix F or a matrix X it is J with d vec(F) = J d vec(X), written with
// kron, the identity and the commutation matrix (see vecJacobian).
func Jacobian(F expr.Node, x *expr.Symbol, opts Options) (*Derivation, error) {
	if F == nil || x == nil {
		return nil, fmt.Errorf("jacobian of nothing")
	}
	fs, xs := F.Shape(), x.Shape()
	if !fs.Cols.IsOne() || (!xs.Cols.IsOne() && !fs.IsScalar()) {
		return vecJacobian(F, x, opts)
	}
	if !xs.Cols.IsOne() {
		return nil, fmt.Errorf("the Jacobian of a scalar by the matrix %s is its gradient: use grad", x.Name())
	}
	e := newEngine([]*expr.Symbol{x}, 0, opts)
	lhs, lhsL := opts.dLHS()
	if opts.Name == "" {
		lhs, lhsL = "dF", `{\rm d}F`
	}
	df, err := e.differential(F, lhs, lhsL)
	if err != nil {
		return nil, err
	}
	d := expr.D(x)
	terms, err := splitLinear(df, d.Key(), opts.maxSize())
	if err != nil {
		return nil, err
	}
	mv := moves{}
	var js, shown []expr.Term
	for _, t := range terms {
		if expr.IsZero(t.X) {
			continue
		}
		j, err := jac(t.X, d, mv)
		if err != nil {
			return nil, err
		}
		js = append(js, expr.Term{Coef: t.Coef, X: j})
		p, err := expr.Mul(j, d)
		if err != nil {
			return nil, err
		}
		shown = append(shown, expr.Term{Coef: t.Coef, X: p})
	}
	var J expr.Node
	if len(js) == 0 {
		J = expr.ZerosOf(expr.Shape{Rows: fs.Rows, Cols: xs.Rows})
	} else {
		canon, err := expr.Combine(shown...)
		if err != nil {
			return nil, err
		}
		if canon.Key() != df.Key() {
			rule, note := e.moveRule(mv, d)
			if mv[RuleScalarOut] {
				// x (dxᵀx): the 1×1 factor commutes, and any other move
				// (the scalar transposed) is named beside it.
				others := moves{}
				for r, ok := range mv {
					if ok && r != RuleScalarOut {
						others[r] = true
					}
				}
				rule, note = RuleScalarOut, ""
				if len(others) > 0 {
					r, n := e.moveRule(others, d)
					note = r.String()
					if n != "" {
						note += ", " + n
					}
				}
			}
			if err := e.recordExpr(rule, note, "", "", canon); err != nil {
				return nil, err
			}
		}
		if J, err = expr.Combine(js...); err != nil {
			return nil, err
		}
		J = Simplify(J)
		col, err := expr.Mul(J, d)
		if err != nil {
			return nil, err
		}
		if len(js) > 1 && col.Key() != canon.Key() {
			if err := e.recordExpr(RuleCollect, "", "", "", col); err != nil {
				return nil, err
			}
		}
	}
	if err := e.recordExpr(RuleReadJacobian, "", "J", `{\frak J}`, J); err != nil {
		return nil, err
	}
	e.readOff(RuleReadJacobian, x, opts)
	return &Derivation{What: "jacobian", F: F, Vars: []*expr.Symbol{x}, Steps: e.steps, Differential: df, Result: J}, nil
}

// secondDifferential runs both passes: df in dX₁, then d(df) in dX₂.
func secondDifferential(f expr.Node, x *expr.Symbol, opts Options) (*engine, expr.Node, error) {
	e1 := newEngine([]*expr.Symbol{x}, 1, opts)
	lhs, lhsL := opts.dLHS()
	df, err := e1.differential(f, lhs, lhsL)
	if err != nil {
		return nil, nil, err
	}
	e2 := newEngine([]*expr.Symbol{x}, 2, opts)
	e2.steps = e1.steps
	d2, err := e2.differential(df, "d2"+opts.name(), `{\rm d}^{2}`+latexFn(opts.name()))
	if err != nil {
		return nil, nil, err
	}
	if len(e2.steps) > len(e1.steps) {
		e2.steps[len(e1.steps)].Rule = RuleSecond
	}
	return e2, d2, nil
}

// D2 returns the second differential of f with respect to x as a bilinear
// form in the directions dX₁ = expr.DN(x, 1) and dX₂ = expr.DN(x, 2): the
// differential of the first differential with dX₁ held constant. x may be
// a matrix (the text's log det example).
func D2(f expr.Node, x *expr.Symbol, opts Options) (*Derivation, error) {
	if f == nil || x == nil {
		return nil, fmt.Errorf("d2 of nothing")
	}
	e, d2, err := secondDifferential(f, x, opts)
	if err != nil {
		return nil, err
	}
	res := Simplify(d2)
	rule, note := RuleFactor, ""
	switch {
	case f.Shape().IsScalar() && x.Shape().Cols.IsOne() && !x.Shape().IsScalar():
		H, n, err := bilinearMatrix(d2, x, opts)
		if err != nil {
			return nil, err
		}
		if res, err = expr.Mul(expr.T(expr.DN(x, 2)), H, expr.DN(x, 1)); err != nil {
			return nil, err
		}
		rule, note = RuleBilinear, n
	case f.Shape().IsScalar():
		c, err := canonTraces(d2, expr.DN(x, 1), opts.maxSize())
		if err != nil {
			return nil, err
		}
		if c.Key() != d2.Key() {
			res, rule = c, RuleCyclic
		}
	}
	if res.Key() != d2.Key() {
		if err := e.recordExpr(rule, note, "", "", res); err != nil {
			return nil, err
		}
	}
	der := &Derivation{What: "second differential", F: f, Vars: []*expr.Symbol{x}, Steps: e.steps, Differential: d2, Result: res}
	if swapped, err := swapDirections(d2); err == nil && expandedEqual(d2, swapped) {
		der.note(new(prose).text("the second differential is symmetric in ").node(expr.DN(x, 1)).text(" and ").node(expr.DN(x, 2)))
	}
	return der, nil
}

// swapDirections exchanges the directions dX₁ and dX₂ of n.
func swapDirections(n expr.Node) (expr.Node, error) {
	return expr.Map(n, func(m expr.Node) (expr.Node, error) {
		if d, ok := m.(*expr.Differential); ok && d.Index() != 0 {
			return expr.DN(d.Of(), 3-d.Index()), nil
		}
		return m, nil
	})
}

// canonTraces expands n and rotates every trace so that d comes last
// (transposing the product first when d appears transposed), so that
// equal terms of a second differential collect.
func canonTraces(n expr.Node, d *expr.Differential, limit int) (expr.Node, error) {
	ex, err := expr.Expand(n, limit)
	if err != nil {
		return nil, err
	}
	k := d.Key()
	return expr.Map(ex, func(m expr.Node) (expr.Node, error) {
		t, ok := m.(*expr.Trace)
		if !ok {
			return m, nil
		}
		p, ok := t.X().(*expr.Product)
		if !ok || len(p.Scalars()) > 0 {
			return m, nil
		}
		chain := p.Chain()
		find := func(ch []expr.Node) (int, bool) {
			for i, f := range ch {
				if f.Key() == k {
					return i, false
				}
				if tt, ok := f.(*expr.Transpose); ok && tt.X().Key() == k {
					return i, true
				}
			}
			return -1, false
		}
		i, transposed := find(chain)
		if i < 0 {
			return m, nil
		}
		if transposed {
			rev := make([]expr.Node, len(chain))
			for j, f := range chain {
				rev[len(chain)-1-j] = expr.T(f)
			}
			chain = rev
			if i, _ = find(chain); i < 0 {
				return m, nil
			}
		}
		rot := append(append([]expr.Node(nil), chain[i+1:]...), chain[:i+1]...)
		q, err := expr.Mul(rot...)
		if err != nil {
			return nil, err
		}
		return expr.Tr(q)
	})
}

// Hessian returns the Hessian H of the scalar f of the vector x: the
// second differential written as the bilinear form dx₂ᵀ H dx₁, H read off.
// For a matrix X it is the mn×mn H of vec(dX₂)ᵀ H vec(dX₁), symmetrised
// (see matrixHessian). A non-scalar f wraps ErrTensor.
func Hessian(f expr.Node, x *expr.Symbol, opts Options) (*Derivation, error) {
	if f == nil || x == nil {
		return nil, fmt.Errorf("hessian of nothing")
	}
	if !f.Shape().IsScalar() {
		return nil, fmt.Errorf("%w: %s is %s, not a scalar, so its second derivative has an index for each of its entries besides the two of a Hessian; d2(%s, %s) gives the second differential, jacobian(%s, %s) the first derivative as a matrix, and hessian takes one scalar entry at a time", ErrTensor, f, f.Shape(), f, x.Name(), f, x.Name())
	}
	if !x.Shape().Cols.IsOne() {
		return matrixHessian(f, x, opts)
	}
	e, d2, err := secondDifferential(f, x, opts)
	if err != nil {
		return nil, err
	}
	H, note, err := bilinearMatrix(d2, x, opts)
	if err != nil {
		return nil, err
	}
	form, err := expr.Mul(expr.T(expr.DN(x, 2)), H, expr.DN(x, 1))
	if err != nil {
		return nil, err
	}
	if err := e.recordExpr(RuleBilinear, note, "", "", form); err != nil {
		return nil, err
	}
	if err := e.recordExpr(RuleHessian, "", "H", "H", H); err != nil {
		return nil, err
	}
	return &Derivation{What: "hessian", F: f, Vars: []*expr.Symbol{x}, Steps: e.steps, Differential: d2, Result: H}, nil
}

// bilinearMatrix reads H off a second differential d2 = dx₂ᵀ H dx₁, and
// names the moves that took (dx₁ᵀA dx₂ = dx₂ᵀAᵀdx₁: a scalar is its own
// transpose).
func bilinearMatrix(d2 expr.Node, x *expr.Symbol, opts Options) (expr.Node, string, error) {
	H, mv, err := bilinear(d2, x, opts)
	if err != nil {
		return nil, "", err
	}
	var names []string
	// x is a vector: a rotation of a 1×1 product is scalars commuting.
	for _, r := range []RuleID{RuleHadamardDiag, RuleHadamardTrace, RuleSumEntries, RuleDiagTrace, RuleTraceTranspose, RuleScalarOut} {
		if mv[r] {
			if r == RuleTraceTranspose {
				r = RuleScalarTransposed
			}
			names = append(names, r.String())
		}
	}
	return H, strings.Join(names, ", "), nil
}

func bilinear(d2 expr.Node, x *expr.Symbol, opts Options) (expr.Node, moves, error) {
	d1, d2leaf := expr.DN(x, 1), expr.DN(x, 2)
	terms, err := splitLinear(d2, d1.Key(), opts.maxSize())
	if err != nil {
		return nil, nil, err
	}
	mv := moves{}
	var hs []expr.Term
	for _, t := range terms {
		if expr.IsZero(t.X) {
			continue
		}
		m1, err := lin(nil, t.X, d1, mv)
		if err != nil {
			return nil, nil, err
		}
		sub, err := splitLinear(expr.T(m1), d2leaf.Key(), opts.maxSize())
		if err != nil {
			return nil, nil, err
		}
		for _, s := range sub {
			if expr.IsZero(s.X) {
				continue
			}
			j, err := jac(s.X, d2leaf, mv)
			if err != nil {
				return nil, nil, err
			}
			hs = append(hs, expr.Term{Coef: new(big.Rat).Mul(t.Coef, s.Coef), X: expr.T(j)})
		}
	}
	var H expr.Node = expr.ZerosOf(expr.Shape{Rows: x.Shape().Rows, Cols: x.Shape().Rows})
	if len(hs) > 0 {
		if H, err = expr.Combine(hs...); err != nil {
			return nil, nil, err
		}
	}
	return simplifySymmetric(H, opts.maxSize()), mv, nil
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
	for _, s := range d.Steps {
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
	default:
		return
	}
	last := &e.steps[len(e.steps)-1]
	last.ReadOff, last.ReadOffLaTeX = "read off: "+plain, latex
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
	for _, s := range d.Steps {
		seen[s.Rule] = true
	}
	var out []RuleID
	for r := range seen {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
