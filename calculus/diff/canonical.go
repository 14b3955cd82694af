package diff

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
)

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
		if n, err := show(terms); err == nil && !e.sameLine(n, df) {
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
			if !e.sameLine(n, last) {
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
	if !e.sameLine(canon, last) {
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
			if !e.sameLine(n, last) {
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
	if e.sameLine(col, last) {
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

// sameLine reports whether two lines of a derivation read the same: the
// same expression, or two that print alike (each printed once).
func (e *engine) sameLine(a, b expr.Node) bool {
	return a.Key() == b.Key() || e.text(a) == e.text(b)
}

// text is n.String(), kept for the next comparison.
func (e *engine) text(n expr.Node) string {
	if s, ok := e.texts[n]; ok {
		return s
	}
	if e.texts == nil {
		e.texts = map[expr.Node]string{}
	}
	s := n.String()
	e.texts[n] = s
	return s
}

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
