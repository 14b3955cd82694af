package diff

import (
	"math/big"

	"github.com/matcalc/matcalc/calculus/expr"
)

// Textbook forms for the staples of a machine-learning course (issue 12):
// written-out functions recognised (sinh ⊘ cosh = tanh, eᵘ ⊘ (eᵘ + 1) =
// sigmoid, uᵀ𝟙 = sum(u)), elementwise products of sums multiplied out
// when that is shorter ((1 − y) ⊙ σ − (1 − σ) ⊙ y = σ − y), common
// elementwise factors taken out of a sum, and diag(a) + diag(b) =
// diag(a + b). Each rewrite keeps the value; a rewrite that does not
// shorten the text is not kept.
// softmax and logsumexp written out are recognised too (softmaxforms.go).

// mlForm rewrites one node (its children already rewritten).
func mlForm(m expr.Node) expr.Node {
	switch m := m.(type) {
	case *expr.HadamardProduct:
		return hadamardForms(m)
	case *expr.Product:
		if n := softmaxProduct(m); n != expr.Node(m) {
			return n
		}
		return onesInner(m)
	case *expr.Func:
		return logSumExpForm(m)
	case *expr.Sum:
		return sumForms(m)
	}
	return m
}

// hadamardForms: sinh(u) ⊙ cosh(u)^-1 = tanh(u); exp(u) ⊙ (exp(u) + 1)^-1
// = sigmoid(u).
func hadamardForms(h *expr.HadamardProduct) expr.Node {
	fs := h.Factors()
	for i, f := range fs {
		p, ok := f.(*expr.Power)
		if !ok || p.Exp().Sign() >= 0 {
			continue
		}
		k := new(big.Rat).Neg(p.Exp()) // den.^-k ⊙ num.^k = (num ⊘ den).^k
		for j, g := range fs {
			if j == i {
				continue
			}
			var r expr.Node
			num, ok := g.(*expr.Func)
			if gp, isPow := g.(*expr.Power); isPow && gp.Exp().Cmp(k) == 0 {
				num, ok = gp.X().(*expr.Func)
			} else if k.Cmp(big.NewRat(1, 1)) != 0 {
				ok = false
			}
			if ok {
				if r = quotientForm(num, p.X()); r != nil && k.Cmp(big.NewRat(1, 1)) != 0 {
					var err error
					if r, err = expr.ElemPow(r, k); err != nil {
						r = nil
					}
				}
			}
			if r == nil {
				continue
			}
			rest := []expr.Node{r}
			for k, o := range fs {
				if k != i && k != j {
					rest = append(rest, o)
				}
			}
			out, err := expr.Hadamard(rest...)
			if err != nil {
				return h
			}
			return out
		}
	}
	return h
}

// quotientForm returns num ⊘ den as one function when it is one: tanh
// or sigmoid, else nil.
func quotientForm(num *expr.Func, den expr.Node) expr.Node {
	u := num.X()
	switch num.Name() {
	case "sinh":
		if d, ok := den.(*expr.Func); ok && d.Name() == "cosh" && expr.Equal(d.X(), u) {
			r, err := expr.Apply("tanh", u)
			if err == nil {
				return r
			}
		}
	case "exp":
		// exp(u) + 1 (1 a scalar or a matrix of ones)
		s, ok := den.(*expr.Sum)
		if !ok || len(s.Terms()) != 2 {
			return nil
		}
		var sawExp, sawOne bool
		for _, t := range s.Terms() {
			if t.Coef.Cmp(big.NewRat(1, 1)) != 0 {
				return nil
			}
			switch x := t.X.(type) {
			case *expr.Func:
				sawExp = sawExp || (x.Name() == "exp" && expr.Equal(x.X(), u))
			case *expr.Ones:
				sawOne = true
			case *expr.Const:
				sawOne = sawOne || expr.IsOne(x)
			}
		}
		if sawExp && sawOne {
			r, err := expr.Apply("sigmoid", u)
			if err == nil {
				return r
			}
		}
	}
	return nil
}

// onesInner: uᵀ𝟙 and 𝟙ᵀu are sum(u), also inside a longer chain
// (p*ones(1, n)*y = sum(y)*p).
func onesInner(p *expr.Product) expr.Node {
	ch := p.Chain()
	for i := 0; i+1 < len(ch); i++ {
		if !ch[i].Shape().Rows.IsOne() || !ch[i+1].Shape().Cols.IsOne() {
			continue
		}
		var u expr.Node
		if _, ok := ch[i+1].(*expr.Ones); ok {
			u = ch[i]
		} else if _, ok := ch[i].(*expr.Ones); ok {
			u = ch[i+1]
		}
		if u == nil {
			continue
		}
		s, err := expr.SumEntries(u)
		if err != nil {
			return p
		}
		rest := append(append(p.Scalars(), s), ch[:i]...)
		out, err := expr.Mul(append(rest, ch[i+2:]...)...)
		if err != nil {
			return p
		}
		return out
	}
	return p
}

// sumForms: diag(a) + diag(b) = diag(a + b); then the shorter of the sum
// as it is, multiplied out over the sums inside its elementwise products,
// and with the elementwise factors common to every term taken out.
func sumForms(s *expr.Sum) expr.Node {
	var n expr.Node = s
	if d := mergeDiags(s); d != nil {
		return d
	}
	// A common factor first, as the text writes σ ⊙ (1 − σ); else the
	// products multiplied out, when shorter. Both need an elementwise
	// product among two or more terms (the terms of a sum differ).
	if !hasHadamardTerm(s) {
		return n
	}
	if c := commonHadamard(s); c != nil && len(c.String()) < len(n.String()) {
		return c
	}
	if e := expandHadamard(s); e != nil && len(e.String()) < len(n.String()) {
		return e
	}
	return n
}

// hasHadamardTerm reports whether s has two or more terms, one of them an
// elementwise product.
func hasHadamardTerm(s *expr.Sum) bool {
	ts := s.Terms()
	if len(ts) < 2 {
		return false
	}
	for _, t := range ts {
		if _, ok := t.X.(*expr.HadamardProduct); ok {
			return true
		}
	}
	return false
}

// mergeDiags returns Σ cᵢ diag(vᵢ) as diag(Σ cᵢ vᵢ), simplified, or nil.
func mergeDiags(s *expr.Sum) expr.Node {
	var vs []expr.Term
	for _, t := range s.Terms() {
		d, ok := t.X.(*expr.DiagMatrix)
		if !ok {
			return nil
		}
		vs = append(vs, expr.Term{Coef: t.Coef, X: d.X()})
	}
	if len(vs) < 2 {
		return nil
	}
	v, err := expr.Combine(vs...)
	if err != nil {
		return nil
	}
	if vsum, ok := v.(*expr.Sum); ok {
		v = sumForms(vsum)
	}
	out, err := expr.Diag(v)
	if err != nil || len(out.String()) >= len(s.String()) {
		return nil
	}
	return out
}

// expandHadamard multiplies out the sums inside the elementwise products
// of s's terms and collects, or returns nil.
func expandHadamard(s *expr.Sum) expr.Node {
	var out []expr.Term
	changed := false
	for _, t := range s.Terms() {
		ts := expandTerm(t.X, 0)
		if ts == nil {
			out = append(out, t)
			continue
		}
		changed = true
		for _, u := range ts {
			out = append(out, expr.Term{Coef: new(big.Rat).Mul(t.Coef, u.Coef), X: u.X})
		}
	}
	if !changed || len(out) > 64 {
		return nil
	}
	r, err := expr.Combine(out...)
	if err != nil {
		return nil
	}
	return r
}

// expandTerm distributes an elementwise product over the first sum among
// its factors, recursively; nil when there is none.
func expandTerm(x expr.Node, depth int) []expr.Term {
	h, ok := x.(*expr.HadamardProduct)
	if !ok || depth > 4 {
		return nil
	}
	fs := h.Factors()
	for i, f := range fs {
		sm, ok := f.(*expr.Sum)
		if !ok {
			continue
		}
		var out []expr.Term
		for _, t := range sm.Terms() {
			xs := append(append(append([]expr.Node(nil), fs[:i]...), t.X), fs[i+1:]...)
			p, err := expr.Hadamard(xs...)
			if err != nil {
				return nil
			}
			if sub := expandTerm(p, depth+1); sub != nil {
				for _, u := range sub {
					out = append(out, expr.Term{Coef: new(big.Rat).Mul(t.Coef, u.Coef), X: u.X})
				}
			} else {
				out = append(out, expr.Term{Coef: t.Coef, X: p})
			}
		}
		return out
	}
	return nil
}

// commonHadamard takes the elementwise factors common to every term of s
// out: a ⊙ b ⊙ c + a ⊙ b ⊙ d = a ⊙ b ⊙ (c + d); nil when there are none.
func commonHadamard(s *expr.Sum) expr.Node {
	terms := s.Terms()
	factors := func(x expr.Node) []expr.Node {
		if h, ok := x.(*expr.HadamardProduct); ok {
			return h.Factors()
		}
		return []expr.Node{x}
	}
	var common []expr.Node
	for _, f := range factors(terms[0].X) {
		inAll := true
		for _, t := range terms[1:] {
			found := false
			for _, g := range factors(t.X) {
				found = found || expr.Equal(f, g)
			}
			inAll = inAll && found
		}
		if inAll {
			common = append(common, f)
		}
	}
	if len(common) == 0 {
		return nil
	}
	var rests []expr.Term
	for _, t := range terms {
		var rest []expr.Node
		used := map[int]bool{}
		for _, g := range factors(t.X) {
			skip := false
			for ci, c := range common {
				if !used[ci] && expr.Equal(c, g) {
					used[ci], skip = true, true
					break
				}
			}
			if !skip {
				rest = append(rest, g)
			}
		}
		var r expr.Node = expr.OnesOf(s.Shape())
		if len(rest) > 0 {
			var err error
			if r, err = expr.Hadamard(rest...); err != nil {
				return nil
			}
		}
		rests = append(rests, expr.Term{Coef: t.Coef, X: r})
	}
	sum, err := expr.Combine(rests...)
	if err != nil {
		return nil
	}
	out, err := expr.Hadamard(append(common, sum)...)
	if err != nil {
		return nil
	}
	return out
}
