package expr

import (
	"math/big"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/matcalc/matcalc/calculus/builtin"
)

// Precedence levels of the renderings, loosest first.
const (
	precSum  = 1 // a + b, −a
	precHad  = 2 // a .* b, a ./ b
	precProd = 3 // a*b, a/b, 2*a, 1/2
	precPow  = 5 // a', a^k, a.^k
	precAtom = 6 // names, calls, literals
)

type renderer struct {
	latex bool
}

func wrap(r renderer, s string, p, need int) string {
	if p >= need {
		return s
	}
	if r.latex {
		return `\left(` + s + `\right)`
	}
	return "(" + s + ")"
}

// child renders n for a position that needs precedence need.
func (r renderer) child(n Node, need int) string {
	s, p := r.render(n)
	return wrap(r, s, p, need)
}

// fn renders a call of the function name of package builtin's table,
// typeset with the table's LaTeX.
func (r renderer) fn(name string, args ...Node) string {
	if !r.latex {
		return r.call(name, "", args...)
	}
	return r.call(name, tex(name), args...)
}

// tex returns the LaTeX of the function name in package builtin's table.
func tex(name string) string {
	f, _ := builtin.Lookup(name)
	return f.LaTeX
}

func (r renderer) call(name, latexName string, args ...Node) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i], _ = r.render(a)
	}
	if r.latex {
		return latexName + "(" + strings.Join(parts, ", ") + ")"
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

func ratPlain(v *big.Rat) (string, int) {
	s := v.RatString()
	switch {
	case v.Sign() < 0:
		return s, precSum
	case !v.IsInt():
		return s, precProd
	}
	return s, precAtom
}

func ratLaTeX(v *big.Rat) (string, int) {
	a := new(big.Rat).Abs(v)
	s := a.Num().String()
	p := precAtom
	if !a.IsInt() {
		s = `\frac{` + a.Num().String() + `}{` + a.Denom().String() + `}`
		p = precProd
	}
	if v.Sign() < 0 {
		return "-" + s, precSum
	}
	return s, p
}

// render returns the rendering of n and its precedence.
//
// Long: a type switch over every node kind, each case a few lines.
func (r renderer) render(n Node) (string, int) {
	switch n := n.(type) {
	case *Symbol:
		if r.latex {
			return latexName(n.name), precAtom
		}
		return n.name, precAtom
	case *Const:
		if r.latex {
			return ratLaTeX(n.val)
		}
		return ratPlain(n.val)
	case *Sum:
		return r.sum(n)
	case *Product, *Trace:
		if u, ok := normSquared(n); ok && n.Shape().IsScalar() {
			if r.latex {
				s, _ := r.render(u)
				return `\left\|` + s + `\right\|^{2}`, precPow
			}
			return r.call("norm", "", u) + "^2", precPow
		}
		if p, ok := n.(*Product); ok {
			return r.product(p.scalars, p.chain)
		}
		return r.fn("tr", n.(*Trace).x), precAtom
	case *Transpose:
		if inv, ok := n.x.(*Inverse); ok && r.latex {
			return r.child(inv.x, precAtom) + "^{-T}", precPow
		}
		if pi, ok := n.x.(*PseudoInverse); ok && r.latex {
			return r.child(pi.x, precAtom) + "^{+T}", precPow
		}
		if r.latex {
			return r.child(n.x, precAtom) + "^{T}", precPow
		}
		return r.child(n.x, precPow) + "'", precPow
	case *Inverse:
		if r.latex {
			return r.child(n.x, precAtom) + "^{-1}", precPow
		}
		return r.call("inv", "", n.x), precAtom
	case *PseudoInverse:
		if r.latex {
			return r.child(n.x, precAtom) + "^{+}", precPow
		}
		return r.call("pinv", "", n.x), precAtom
	case *Determinant:
		return r.fn("det", n.x), precAtom
	case *LogDeterminant:
		return r.fn("logdet", n.x), precAtom
	case *Softmax:
		return r.fn("softmax", n.x), precAtom
	case *LogSumExp:
		return r.fn("logsumexp", n.x), precAtom
	case *Func:
		if r.latex {
			f, _ := builtin.Lookup(n.name)
			switch f.TeX {
			case builtin.TeXBars:
				s, _ := r.render(n.x)
				return `\left|` + s + `\right|`, precAtom
			case builtin.TeXPower:
				// e^{-5t} as the text (and package ode) writes it, upright
				// like {\rm d}; elementwise exp of a matrix stays \exp(X),
				// since e^{X} would read as the matrix exponential.
				if n.x.Shape().IsScalar() {
					s, _ := r.render(n.x)
					return `{\rm e}^{` + s + `}`, precPow
				}
			}
			return r.call("", f.LaTeX, n.x), precAtom
		}
		return r.call(n.name, "", n.x), precAtom
	case *HadamardProduct:
		return r.hadamard(n)
	case *Power:
		return r.power(n)
	case *MatPow:
		if r.latex {
			return r.child(n.x, precAtom) + "^{" + itoa(n.k) + "}", precPow
		}
		return r.child(n.x, precAtom) + "^" + itoa(n.k), precPow
	case *EntrySum:
		return r.fn("sum", n.x), precAtom
	case *DiagMatrix:
		return r.fn("diag", n.x), precAtom
	case *DiagPart:
		return r.fn("diag", n.x), precAtom
	case *Vectorize:
		return r.fn("vec", n.x), precAtom
	case *KronProduct:
		if r.latex {
			// ⊗ binds looser than the matrix product: (A ⊗ B) vec(X).
			// An identity shows its size (I_n ⊗ A); A ⊗ B ⊗ C needs no
			// parentheses.
			return r.kronFactor(n.a, true) + " " + tex("kron") + " " + r.kronFactor(n.b, false), precHad
		}
		return r.call("kron", "", n.a, n.b), precAtom
	case *Commutation:
		return r.commutation(n)
	case *Identity:
		if r.latex {
			return "I", precAtom
		}
		// eye(n), not I: as input, I's size is not always clear.
		return "eye(" + n.shape.Rows.String() + ")", precAtom
	case *Zeros:
		if r.latex {
			return "0", precAtom
		}
		return "zeros(" + n.shape.Rows.String() + ", " + n.shape.Cols.String() + ")", precAtom
	case *Ones:
		if r.latex {
			return `{\bf 1}_{` + n.shape.Rows.String() + `\times ` + n.shape.Cols.String() + `}`, precAtom
		}
		return "ones(" + n.shape.Rows.String() + ", " + n.shape.Cols.String() + ")", precAtom
	case *Literal:
		return r.literal(n), precAtom
	case *Differential:
		s := "d" + n.of.name
		if r.latex {
			s = `{\rm d}` + latexName(n.of.name)
			if n.index != 0 {
				s = `{\rm d}` + latexName(n.of.name) + "_{" + itoa(n.index) + "}"
				if strings.Contains(latexName(n.of.name), "_") {
					s = `{\rm d}{` + latexName(n.of.name) + "}_{" + itoa(n.index) + "}"
				}
			}
			return s, precAtom
		}
		if n.index != 0 {
			s += itoa(n.index)
		}
		return s, precAtom
	}
	return "?", precAtom
}

// normSquared recognises uᵀu (and tr(uᵀu)) for a compound u, which prints
// as norm(u)^2.
func normSquared(n Node) (Node, bool) {
	t, isTrace := n.(*Trace)
	if isTrace {
		n = t.x
	}
	p, ok := n.(*Product)
	if !ok || len(p.scalars) != 0 || len(p.chain) != 2 || (!isTrace && !p.shape.IsScalar()) {
		return nil, false
	}
	if _, ok := p.chain[1].(*Sum); !ok {
		return nil, false
	}
	if T(p.chain[0]).Key() != p.chain[1].Key() {
		return nil, false
	}
	return p.chain[1], true
}

// innerSelf recognises uᵀu and tr(uᵀu) for any u, under a power.
func innerSelf(n Node) (Node, bool) {
	if t, ok := n.(*Trace); ok {
		n = t.x
	}
	p, ok := n.(*Product)
	if !ok || len(p.scalars) != 0 || len(p.chain) != 2 {
		return nil, false
	}
	if T(p.chain[0]).Key() != p.chain[1].Key() {
		return nil, false
	}
	return p.chain[1], true
}

func itoa(k int) string { return big.NewInt(int64(k)).String() }

func (r renderer) sum(n *Sum) (string, int) {
	// A common coefficient comes out: 1/2*(A + A'), 2*(X - A).
	if len(n.terms) > 1 {
		c0 := n.terms[0].Coef
		same := !ratAbsIsOne(c0)
		for _, t := range n.terms[1:] {
			if !same || !ratAbsEq(t.Coef, c0) || IsOne(t.X) {
				same = false
				break
			}
		}
		if same && !IsOne(n.terms[0].X) {
			c := new(big.Rat).Abs(c0)
			terms := make([]Term, len(n.terms))
			for i, t := range n.terms {
				terms[i] = Term{new(big.Rat).Quo(t.Coef, c), t.X}
			}
			inner, _ := r.sum(&Sum{nodeBase: n.nodeBase, terms: terms})
			var cs string
			if r.latex {
				cs, _ = ratLaTeX(c)
				return cs + ` \left(` + inner + `\right)`, precProd
			}
			cs, _ = ratPlain(c)
			return cs + "*(" + inner + ")", precProd
		}
	}
	var b strings.Builder
	// Positive terms first: 2*X - 2*A rather than -2*A + 2*X.
	terms := make([]Term, 0, len(n.terms))
	for _, t := range n.terms {
		if t.Coef.Sign() > 0 {
			terms = append(terms, t)
		}
	}
	for _, t := range n.terms {
		if t.Coef.Sign() < 0 {
			terms = append(terms, t)
		}
	}
	for i, t := range terms {
		neg := t.Coef.Sign() < 0
		var s string
		if !IsOne(t.X) && ratAbsIsOne(t.Coef) {
			s = r.child(t.X, precProd)
		} else {
			s = r.scaled(new(big.Rat).Abs(t.Coef), t.X)
		}
		switch {
		case i == 0 && neg:
			b.WriteString("-")
		case i > 0 && neg:
			b.WriteString(" - ")
		case i > 0:
			b.WriteString(" + ")
		}
		b.WriteString(s)
	}
	if len(n.terms) == 1 {
		if n.terms[0].Coef.Sign() < 0 {
			return b.String(), precSum
		}
		return b.String(), precProd
	}
	return b.String(), precSum
}

// scaled renders mag·x, a term's magnitude and expression.
func (r renderer) scaled(mag *big.Rat, x Node) string {
	switch {
	case IsOne(x):
		if r.latex {
			s, _ := ratLaTeX(mag)
			return s
		}
		s, _ := ratPlain(mag)
		return s
	case ratIsOne(mag):
		return r.child(x, precProd)
	}
	if r.latex {
		c, _ := ratLaTeX(mag)
		return c + " " + r.child(x, precProd)
	}
	c, _ := ratPlain(mag)
	return c + "*" + r.child(x, precProd)
}

// ratAbsIsOne reports |r| = 1.
func ratAbsIsOne(r *big.Rat) bool {
	return r.IsInt() && r.Num().IsInt64() && (r.Num().Int64() == 1 || r.Num().Int64() == -1)
}

// ratAbsEq reports |a| = |b|.
func ratAbsEq(a, b *big.Rat) bool {
	if a.IsInt() != b.IsInt() || a.Num().CmpAbs(b.Num()) != 0 {
		return false
	}
	return a.IsInt() || a.Denom().Cmp(b.Denom()) == 0
}

// denominator reports whether a scalar factor is a negative power, and
// returns the positive power.
func denominator(f Node) (Node, bool) {
	p, ok := f.(*Power)
	if !ok || p.p.Sign() >= 0 || !p.shape.IsScalar() {
		return nil, false
	}
	return newElemPow(p.x, new(big.Rat).Neg(p.p)), true
}

func (r renderer) product(scalars, chain []Node) (string, int) {
	var num, den, last []Node
	for _, s := range scalars {
		if d, ok := denominator(s); ok {
			den = append(den, d)
		} else if _, ok := s.(*Differential); ok && len(chain) > 0 {
			// f'(t) dt: the differential of a scalar is written last.
			last = append(last, s)
		} else {
			num = append(num, s)
		}
	}
	num = append(append(num, chain...), last...)
	sep := "*"
	if r.latex {
		sep = " "
	}
	join := func(fs []Node, need int) string {
		parts := make([]string, len(fs))
		for i, f := range fs {
			if p, ok := f.(*Product); ok && len(fs) > 1 && len(p.chain) > 1 {
				if _, ok := normSquared(p); !ok {
					parts[i] = wrap(r, r.child(f, need), precProd, precAtom)
					continue
				}
			}
			if sm, ok := f.(*Sum); ok && len(sm.terms) > 1 && !sm.shape.IsScalar() && mostlyTransposed(sm) {
				// (Ax − b)ᵀ reads better than xᵀAᵀ − bᵀ inside a product.
				if t := T(sm); countTransposes(t) < countTransposes(sm) {
					if r.latex {
						parts[i] = r.child(t, precAtom) + "^{T}"
					} else {
						parts[i] = r.child(t, precPow) + "'"
					}
					continue
				}
			}
			parts[i] = r.child(f, need)
		}
		if !r.latex {
			return strings.Join(parts, sep)
		}
		// A thin space beside a differential: dx\, x^{T}, not dxx^{T}.
		var b strings.Builder
		for i, p := range parts {
			if i > 0 {
				if isDifferential(fs[i-1]) || isDifferential(fs[i]) {
					b.WriteString(`\, `)
				} else {
					b.WriteString(sep)
				}
			}
			b.WriteString(p)
		}
		return b.String()
	}
	if len(den) == 0 {
		return join(num, precProd), precProd
	}
	if r.latex {
		top := "1"
		switch {
		case len(num) == 1:
			// The bar of the fraction groups: \frac{A + B}{s}, no parentheses.
			top = r.child(num[0], 0)
		case len(num) > 1:
			top = join(num, precProd)
		}
		bottom := join(den, precProd)
		if len(den) == 1 {
			bottom = r.child(den[0], 0)
		}
		return `\frac{` + top + `}{` + bottom + `}`, precProd
	}
	top := "1"
	if len(num) > 0 {
		top = join(num, precProd)
	}
	bottom := join(den, precPow)
	if len(den) > 1 {
		bottom = "(" + join(den, precProd) + ")"
	}
	return top + "/" + bottom, precProd
}

func (r renderer) hadamard(n *HadamardProduct) (string, int) {
	var num, den []Node
	for _, f := range n.factors {
		if p, ok := f.(*Power); ok && p.p.Sign() < 0 {
			den = append(den, newElemPow(p.x, new(big.Rat).Neg(p.p)))
		} else {
			num = append(num, f)
		}
	}
	var b strings.Builder
	mul, div := " .* ", " ./ "
	if r.latex {
		mul, div = ` \odot `, ` \oslash `
	}
	// .* and ./ share one level with * and / and group to the left, as
	// in MATLAB and NumPy: an operand that is itself a product or a
	// quotient is parenthesised, so that the text means what is shown.
	for i, f := range num {
		if i > 0 {
			b.WriteString(mul)
		}
		b.WriteString(r.child(f, precPow))
	}
	if len(num) == 0 {
		if r.latex {
			b.WriteString(`{\bf 1}`)
		} else {
			b.WriteString("1")
		}
	}
	for _, f := range den {
		b.WriteString(div)
		b.WriteString(r.child(f, precPow))
	}
	return b.String(), precHad
}

func (r renderer) power(n *Power) (string, int) {
	p := n.p
	scalar := n.shape.IsScalar()
	half := big.NewRat(1, 2)
	if p.Sign() < 0 {
		pos := newElemPow(n.x, new(big.Rat).Neg(p))
		if scalar {
			if r.latex {
				s, _ := r.render(pos)
				return `\frac{1}{` + s + `}`, precProd
			}
			return "1/" + r.child(pos, precPow), precProd
		}
		if r.latex {
			return r.child(n.x, precAtom) + `^{\circ ` + ratString(p) + `}`, precPow
		}
		return "1 ./ " + r.child(pos, precPow), precHad
	}
	if u, ok := innerSelf(n.x); ok && !p.IsInt() && new(big.Rat).Mul(p, big.NewRat(2, 1)).IsInt() {
		// (uᵀu)^(k/2) = ‖u‖ᵏ
		k := new(big.Rat).Mul(p, big.NewRat(2, 1)).Num().Int64()
		if r.latex {
			s, _ := r.render(u)
			if k == 1 {
				return `\left\|` + s + `\right\|`, precAtom
			}
			return `\left\|` + s + `\right\|^{` + itoa(int(k)) + `}`, precPow
		}
		if k == 1 {
			return r.call("norm", "", u), precAtom
		}
		return r.call("norm", "", u) + "^" + itoa(int(k)), precPow
	}
	if p.Cmp(half) == 0 {
		if u, ok := normSquared(n.x); ok {
			if r.latex {
				s, _ := r.render(u)
				return `\left\|` + s + `\right\|`, precAtom
			}
			return r.call("norm", "", u), precAtom
		}
		if r.latex {
			s, _ := r.render(n.x)
			return `\sqrt{` + s + `}`, precAtom
		}
		return r.call("sqrt", "", n.x), precAtom
	}
	if r.latex {
		if scalar {
			return r.child(n.x, precAtom) + "^{" + ratString(p) + "}", precPow
		}
		return r.child(n.x, precAtom) + `^{\circ ` + ratString(p) + "}", precPow
	}
	exp := p.RatString()
	if !p.IsInt() {
		exp = "(" + exp + ")"
	}
	if scalar && p.IsInt() {
		return r.child(n.x, precAtom) + "^" + exp, precPow
	}
	return r.child(n.x, precAtom) + ".^" + exp, precPow
}

func ratString(p *big.Rat) string {
	if p.IsInt() {
		return p.RatString()
	}
	s := `\frac{` + new(big.Int).Abs(p.Num()).String() + `}{` + p.Denom().String() + `}`
	if p.Sign() < 0 {
		return "-" + s
	}
	return s
}

func (r renderer) literal(n *Literal) string {
	var b strings.Builder
	if r.latex {
		b.WriteString(`\begin{bmatrix}`)
	} else {
		b.WriteString("[")
	}
	for i, row := range n.rows {
		if i > 0 {
			if r.latex {
				b.WriteString(` \\ `)
			} else {
				b.WriteString("; ")
			}
		}
		for j, e := range row {
			if j > 0 {
				if r.latex {
					b.WriteString(" & ")
				} else {
					b.WriteString(", ")
				}
			}
			s, _ := r.render(e)
			b.WriteString(s)
		}
	}
	if r.latex {
		b.WriteString(`\end{bmatrix}`)
	} else {
		b.WriteString("]")
	}
	return b.String()
}

// isGreek reports whether name is a Greek letter TeX knows as \name.
func isGreek(name string) bool {
	switch name {
	case "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
		"lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
		"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega":
		return true
	}
	return false
}

// NameLaTeX renders an identifier as math, the way a symbol of that name is rendered:
// x_{1} for x_1, \text{жук} for жук. Dimension names and names in listings use it.
func NameLaTeX(name string) string { return latexName(name) }

// latexName renders an identifier: x; A_{1} for A1 or A_1; x_{12} for x_12; a_{i,j} for
// a_i_j; \alpha for alpha or α; {\it loss} for loss; \text{жук} for жук (KaTeX's math
// fonts have no Cyrillic, and MathJax 2.7's \mathrm is a string macro to avoid).
func latexName(name string) string {
	if i := strings.IndexByte(name, '_'); i > 0 && i < len(name)-1 {
		var subs []string
		for _, p := range strings.Split(name[i+1:], "_") {
			if p != "" {
				subs = append(subs, nameBase(p))
			}
		}
		head := latexName(name[:i])
		if strings.Contains(head, "_") {
			head = "{" + head + "}"
		}
		return head + "_{" + strings.Join(subs, ",") + "}"
	}
	base := strings.TrimRightFunc(name, unicode.IsDigit)
	sub := name[len(base):]
	if base == "" {
		return name
	}
	s := nameBase(base)
	if sub != "" {
		s += "_{" + sub + "}"
	}
	return s
}

// nameBase renders a name without its subscript.
func nameBase(base string) string {
	r, size := utf8.DecodeRuneInString(base)
	one := size == len(base)
	switch {
	case strings.TrimFunc(base, unicode.IsDigit) == "":
		return base
	case one && r < utf8.RuneSelf:
		return base
	case one && isGreekRune(r):
		g, _ := greekTeX(r)
		return g
	case isGreek(base):
		return `\` + base
	case isASCII(base):
		return `{\it ` + strings.ReplaceAll(base, "_", `\_`) + `}`
	}
	return `\text{` + TeXText(base) + `}`
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// mostlyTransposed reports whether more of n's leaves are transposed than
// not, a cheap test before building the transpose of a sum for printing.
func mostlyTransposed(n Node) bool {
	t, p := 0, 0
	Inspect(n, func(m Node) bool {
		switch m := m.(type) {
		case *Transpose:
			t++
			return false
		case *Symbol:
			if !m.shape.IsScalar() && !m.props.Has(Symmetric) {
				p++
			}
		case *Differential:
			if !m.shape.IsScalar() {
				p++
			}
		}
		return true
	})
	return t > p
}

func isDifferential(n Node) bool {
	if t, ok := n.(*Transpose); ok {
		n = t.x
	}
	if s, ok := n.(*Symbol); ok {
		// A placeholder for a pending differential d(u) of package diff.
		return strings.HasPrefix(s.name, "\x00")
	}
	_, ok := n.(*Differential)
	return ok
}

// RenderInOrder renders n as String and LaTeX do, except that when n is a
// sum its terms are written in the order of keys (the Keys of the terms'
// X, as Sum.Terms returns them), the others after them in their normal
// order; negative terms still follow positive ones. Package diff writes
// the intermediate lines of a derivation so, with the terms where they
// arose (the product rule's d(u) v before u d(v)) rather than sorted.
// Sums inside n keep their normal order.
func RenderInOrder(n Node, keys []string) (plain, latex string) {
	s, ok := n.(*Sum)
	if !ok || len(keys) == 0 {
		return plainOf(n), latexOf(n)
	}
	rank := make(map[string]int, len(keys))
	for i, k := range keys {
		if _, dup := rank[k]; !dup {
			rank[k] = i
		}
	}
	at := func(t Term) int {
		if i, ok := rank[t.X.Key()]; ok {
			return i
		}
		return len(keys)
	}
	terms := append([]Term(nil), s.terms...)
	sort.SliceStable(terms, func(i, j int) bool { return at(terms[i]) < at(terms[j]) })
	o := &Sum{nodeBase: s.nodeBase, terms: terms}
	plain, _ = (renderer{}).sum(o)
	latex, _ = (renderer{latex: true}).sum(o)
	return plain, latex
}
