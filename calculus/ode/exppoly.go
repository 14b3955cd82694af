package ode

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
)

// Surd is the real number A + B·√S, with S a squarefree integer ≥ 2, or
// S = 0 (and B = 0) for a rational. The zero Surd is not valid; build
// Surds with RatSurd or from this package's results.
type Surd struct {
	A, B *big.Rat
	S    int64
}

// RatSurd returns the rational r as a Surd.
func RatSurd(r *big.Rat) Surd { return Surd{A: new(big.Rat).Set(r), B: new(big.Rat)} }

func (x Surd) norm() Surd {
	if x.A == nil {
		x.A = new(big.Rat)
	}
	if x.B == nil || x.B.Sign() == 0 || x.S == 0 {
		return Surd{A: x.A, B: new(big.Rat)}
	}
	return x
}

// IsZero reports whether x = 0.
func (x Surd) IsZero() bool { x = x.norm(); return x.A.Sign() == 0 && x.B.Sign() == 0 }

// IsRational reports whether x has no √S part.
func (x Surd) IsRational() bool { x = x.norm(); return x.B.Sign() == 0 }

// Float returns x as a float64.
func (x Surd) Float() float64 {
	x = x.norm()
	a, _ := x.A.Float64()
	b, _ := x.B.Float64()
	return a + b*math.Sqrt(float64(x.S))
}

func (x Surd) key() string {
	x = x.norm()
	return fmt.Sprintf("%s+%s√%d", x.A.RatString(), x.B.RatString(), x.S)
}

func (x Surd) add(y Surd) Surd {
	x, y = x.norm(), y.norm()
	s := max(x.S, y.S)
	if y.B.Sign() == 0 {
		s = x.S
	} else if x.B.Sign() == 0 {
		s = y.S
	}
	return Surd{A: new(big.Rat).Add(x.A, y.A), B: new(big.Rat).Add(x.B, y.B), S: s}.norm()
}

func (x Surd) neg() Surd {
	x = x.norm()
	return Surd{A: new(big.Rat).Neg(x.A), B: new(big.Rat).Neg(x.B), S: x.S}
}

func (x Surd) mul(y Surd) Surd {
	x, y = x.norm(), y.norm()
	s := x.S
	if s == 0 {
		s = y.S
	}
	a := new(big.Rat).Mul(x.A, y.A)
	if x.B.Sign() != 0 && y.B.Sign() != 0 {
		t := new(big.Rat).Mul(x.B, y.B)
		a.Add(a, t.Mul(t, big.NewRat(s, 1)))
	}
	b := new(big.Rat).Mul(x.A, y.B)
	b.Add(b, new(big.Rat).Mul(x.B, y.A))
	return Surd{A: a, B: b, S: s}.norm()
}

// Node returns x as a scalar expression: a rational, or a + b*sqrt(S).
func (x Surd) Node() (expr.Node, error) {
	x = x.norm()
	a := expr.NewConst(x.A)
	if x.B.Sign() == 0 {
		return a, nil
	}
	root, err := expr.Apply("sqrt", expr.IntConst(x.S))
	if err != nil {
		return nil, err
	}
	return expr.Add(a, expr.Scale(x.B, root))
}

// Osc says which oscillating factor a Term has.
type Osc int

// The oscillating factors of a Term.
const (
	NoOsc Osc = iota // no factor
	Cos              // cos(Freq·t)
	Sin              // sin(Freq·t)
)

// Term is Coef · t^K · e^{Rate·t} · osc(Freq·t), one term of an
// exponential polynomial.
type Term struct {
	Coef Surd
	K    int
	Rate Surd
	Osc  Osc
	// Freq is positive for Cos and Sin, ignored for NoOsc.
	Freq Surd
}

func (t Term) key() string {
	k := fmt.Sprintf("%d|%s|%d", t.K, t.Rate.key(), t.Osc)
	if t.Osc != NoOsc {
		k += "|" + t.Freq.key()
	}
	return k
}

// ExpPoly is a real exponential polynomial in t: a sum of Terms with
// distinct (K, Rate, Osc, Freq), none zero. The zero ExpPoly has no
// terms. Entries of e^{At} and components of solutions are ExpPolys.
type ExpPoly struct {
	Terms []Term
}

// newExpPoly merges like terms, drops zeros and sorts the terms: by
// decreasing rate, then increasing power of t, then cos before sin.
func newExpPoly(terms []Term) ExpPoly {
	norm := make([]Term, len(terms))
	for i, t := range terms {
		if t.Osc == NoOsc {
			t.Freq = RatSurd(new(big.Rat))
		}
		norm[i] = t
	}
	kept := mergeLike(norm, Term.key,
		func(t Term) bool { return t.Coef.IsZero() },
		func(x, y Term) Term { x.Coef = x.Coef.add(y.Coef); return x })
	slices.SortStableFunc(kept, func(x, y Term) int {
		if c := cmp.Compare(y.Rate.Float(), x.Rate.Float()); c != 0 {
			return c
		}
		if c := cmp.Compare(x.K, y.K); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Freq.Float(), y.Freq.Float()); c != 0 {
			return c
		}
		return cmp.Compare(x.Osc, y.Osc)
	})
	return ExpPoly{Terms: kept}
}

// IsZero reports whether p is identically zero.
func (p ExpPoly) IsZero() bool { return len(p.Terms) == 0 }

// Eval returns p(t).
func (p ExpPoly) Eval(t float64) float64 {
	s := 0.0
	for _, x := range p.Terms {
		v := x.Coef.Float() * math.Pow(t, float64(x.K)) * math.Exp(x.Rate.Float()*t)
		switch x.Osc {
		case Cos:
			v *= math.Cos(x.Freq.Float() * t)
		case Sin:
			v *= math.Sin(x.Freq.Float() * t)
		}
		s += v
	}
	return s
}

// Deriv returns dp/dt, exactly.
func (p ExpPoly) Deriv() ExpPoly {
	var out []Term
	for _, x := range p.Terms {
		if x.K > 0 {
			y := x
			y.Coef = x.Coef.mul(RatSurd(big.NewRat(int64(x.K), 1)))
			y.K = x.K - 1
			out = append(out, y)
		}
		y := x
		y.Coef = x.Coef.mul(x.Rate)
		out = append(out, y)
		switch x.Osc {
		case Cos:
			z := x
			z.Osc = Sin
			z.Coef = x.Coef.mul(x.Freq).neg()
			out = append(out, z)
		case Sin:
			z := x
			z.Osc = Cos
			z.Coef = x.Coef.mul(x.Freq)
			out = append(out, z)
		}
	}
	return newExpPoly(out)
}

// add returns p + q.
func (p ExpPoly) add(q ExpPoly) ExpPoly {
	return newExpPoly(append(slices.Clone(p.Terms), q.Terms...))
}

// scale returns r·p.
func (p ExpPoly) scale(r *big.Rat) ExpPoly {
	out := make([]Term, len(p.Terms))
	for i, t := range p.Terms {
		t.Coef = t.Coef.mul(RatSurd(r))
		out[i] = t
	}
	return newExpPoly(out)
}

// Node returns p as a scalar expression in the scalar symbol t, built
// with the constructors of package expr: rationals, sqrt, t^k, exp, cos
// and sin. Its String is valid matcalc input.
func (p ExpPoly) Node(t *expr.Symbol) (expr.Node, error) {
	if len(p.Terms) == 0 {
		return expr.IntConst(0), nil
	}
	var terms []expr.Node
	for _, x := range p.Terms {
		c, err := x.Coef.Node()
		if err != nil {
			return nil, err
		}
		fs := []expr.Node{c}
		if x.K > 0 {
			tk, err := expr.Pow(t, x.K)
			if err != nil {
				return nil, err
			}
			fs = append(fs, tk)
		}
		if !x.Rate.IsZero() {
			e, err := rateTimes("exp", x.Rate, t)
			if err != nil {
				return nil, err
			}
			fs = append(fs, e)
		}
		switch x.Osc {
		case Cos, Sin:
			name := "cos"
			if x.Osc == Sin {
				name = "sin"
			}
			e, err := rateTimes(name, x.Freq, t)
			if err != nil {
				return nil, err
			}
			fs = append(fs, e)
		}
		m, err := expr.Mul(fs...)
		if err != nil {
			return nil, err
		}
		terms = append(terms, m)
	}
	return expr.Add(terms...)
}

// rateTimes returns f(r·t).
func rateTimes(f string, r Surd, t *expr.Symbol) (expr.Node, error) {
	rn, err := r.Node()
	if err != nil {
		return nil, err
	}
	arg, err := expr.Mul(rn, t)
	if err != nil {
		return nil, err
	}
	return expr.Apply(f, arg)
}

// kterm is c·t^k·e^{λt} over a kfield; kexp a sum of them.
type kterm struct {
	k   int
	lam knum
	c   knum
}

type kexp []kterm

// normExp merges the terms of x with the same power of t and rate and
// drops the zero ones, keeping the order of first appearance.
func (f kfield) normExp(x kexp) kexp {
	return mergeLike(x,
		func(t kterm) string { return fmt.Sprintf("%d|%s", t.k, t.lam.key()) },
		func(t kterm) bool { return t.c.isZero() },
		func(x, y kterm) kterm { x.c = x.c.add(y.c); return x })
}

// mergeLike sums the terms with the same key and drops the zero ones
// (zero inputs are skipped, and so are sums that cancel), keeping the
// order in which each key first appears.
func mergeLike[T any](terms []T, key func(T) string, isZero func(T) bool, add func(x, y T) T) []T {
	idx := map[string]int{}
	var out []T
	for _, t := range terms {
		if isZero(t) {
			continue
		}
		k := key(t)
		if i, ok := idx[k]; ok {
			out[i] = add(out[i], t)
			continue
		}
		idx[k] = len(out)
		out = append(out, t)
	}
	kept := out[:0]
	for _, t := range out {
		if !isZero(t) {
			kept = append(kept, t)
		}
	}
	return kept
}

func (f kfield) addExp(x, y kexp) kexp { return f.normExp(append(slices.Clone(x), y...)) }

func (f kfield) scaleExp(c knum, x kexp) kexp {
	out := make(kexp, len(x))
	for i, t := range x {
		out[i] = kterm{t.k, t.lam, f.mul(c, t.c)}
	}
	return f.normExp(out)
}

// convolve returns ∫₀ᵗ e^{λ(t−s)} x(s) ds, the solution of ṙ = λr + x
// with r(0) = 0 (Putzer's recurrence).
func (f kfield) convolve(lam knum, x kexp) kexp {
	var out kexp
	for _, t := range x {
		if t.lam.equal(lam) {
			// c·t^{k+1}/(k+1)·e^{λt}
			out = append(out, kterm{t.k + 1, lam, t.c.scale(big.NewRat(1, int64(t.k+1)))})
			continue
		}
		// δ = μ − λ: c[e^{μt} Σᵢ (−1)ⁱ k!/(k−i)! t^{k−i}/δ^{i+1} − (−1)ᵏ k!/δ^{k+1} e^{λt}]
		delta := t.lam.sub(lam)
		dinv := f.inv(delta)
		pow := dinv // 1/δ^{i+1}
		fall := big.NewRat(1, 1)
		for i := 0; i <= t.k; i++ {
			if i > 0 {
				fall.Mul(fall, big.NewRat(int64(t.k-i+1), 1))
				pow = f.mul(pow, dinv)
			}
			c := f.mul(t.c, pow).scale(fall)
			if i%2 == 1 {
				c = c.neg()
			}
			out = append(out, kterm{t.k - i, t.lam, c})
		}
		// pow is now 1/δ^{k+1}, fall = k!
		c := f.mul(t.c, pow).scale(fall)
		if t.k%2 == 0 {
			c = c.neg()
		}
		out = append(out, kterm{0, lam, c})
	}
	return f.normExp(out)
}

// real converts an exponential polynomial over the field to real form.
// For d < 0 it takes the real part term by term (the sum is real).
func (f kfield) real(x kexp) (ExpPoly, error) {
	d := f.d
	var terms []Term
	if d.Sign() == 0 {
		for _, t := range x {
			terms = append(terms, Term{Coef: RatSurd(t.c.a), K: t.k, Rate: RatSurd(t.lam.a)})
		}
		return newExpPoly(terms), nil
	}
	if !d.Num().IsInt64() {
		return ExpPoly{}, noClosedForm("√%s is too large", d.RatString())
	}
	dv := d.Num().Int64()
	if dv > 0 {
		for _, t := range x {
			terms = append(terms, Term{
				Coef: Surd{A: t.c.a, B: t.c.b, S: dv}.norm(),
				K:    t.k,
				Rate: Surd{A: t.lam.a, B: t.lam.b, S: dv}.norm(),
			})
		}
		return newExpPoly(terms), nil
	}
	// ω = i·√s with s = −d: Re(c·e^{(α+γω)t}) = e^{αt}[a·cos(γ√s t) − b√s·sin(γ√s t)].
	s := -dv
	surd := func(r *big.Rat) Surd { // r·√s
		if s == 1 {
			return RatSurd(r)
		}
		return Surd{A: new(big.Rat), B: new(big.Rat).Set(r), S: s}.norm()
	}
	for _, t := range x {
		rate := RatSurd(t.lam.a)
		g := t.lam.b
		if g.Sign() == 0 {
			terms = append(terms, Term{Coef: RatSurd(t.c.a), K: t.k, Rate: rate})
			continue
		}
		freq := surd(new(big.Rat).Abs(g))
		terms = append(terms, Term{Coef: RatSurd(t.c.a), K: t.k, Rate: rate, Osc: Cos, Freq: freq})
		sc := new(big.Rat).Neg(t.c.b)
		if g.Sign() < 0 {
			sc.Neg(sc)
		}
		terms = append(terms, Term{Coef: surd(sc), K: t.k, Rate: rate, Osc: Sin, Freq: freq})
	}
	return newExpPoly(terms), nil
}

// String renders p in t as matcalc input, terms in decreasing rate:
// "4/3*exp(t) - 1/3*exp(-5*t)", "exp(-t)*cos(2*t)", "t*exp(2*t)".
func (p ExpPoly) String() string { return p.render("t", false) }

// LaTeX renders p in t: "\frac{4}{3} {\rm e}^{t} - \frac{1}{3} {\rm e}^{-5t}".
func (p ExpPoly) LaTeX() string { return p.render("t", true) }

// Text renders p in the variable named t, plain or LaTeX.
func (p ExpPoly) Text(t string, latex bool) string { return p.render(t, latex) }

func (p ExpPoly) render(tv string, latex bool) string {
	if len(p.Terms) == 0 {
		return "0"
	}
	var b strings.Builder
	for i, x := range p.Terms {
		neg := false
		coef := x.Coef.norm()
		if coef.B.Sign() == 0 && coef.A.Sign() < 0 {
			neg = true
			coef = coef.neg()
		} else if coef.A.Sign() == 0 && coef.B.Sign() < 0 {
			neg = true
			coef = coef.neg()
		}
		var fs []string
		one := coef.B.Sign() == 0 && coef.A.Cmp(big.NewRat(1, 1)) == 0
		if !one {
			fs = append(fs, surdText(coef, latex, true))
		}
		if x.K > 0 {
			fs = append(fs, tPower(tv, x.K, latex))
		}
		if !x.Rate.IsZero() {
			fs = append(fs, callText("exp", x.Rate, tv, latex))
		}
		switch x.Osc {
		case Cos:
			fs = append(fs, callText("cos", x.Freq, tv, latex))
		case Sin:
			fs = append(fs, callText("sin", x.Freq, tv, latex))
		}
		writeTerm(&b, i, neg, fs, latex)
	}
	return b.String()
}

// tPower renders tᵏ for k ≥ 1: t, t^2 (LaTeX t^{2}).
func tPower(tv string, k int, latex bool) string {
	switch {
	case k == 1:
		return tv
	case latex:
		return fmt.Sprintf("%s^{%d}", tv, k)
	}
	return fmt.Sprintf("%s^%d", tv, k)
}

// writeTerm writes the i-th term of a sum: its sign (a leading "-", or
// " - " or " + " between terms) and then its factors, joined by * (a
// space in LaTeX), or 1 when there is none.
func writeTerm(b *strings.Builder, i int, neg bool, factors []string, latex bool) {
	switch {
	case i == 0 && neg:
		b.WriteString("-")
	case neg:
		b.WriteString(" - ")
	case i > 0:
		b.WriteString(" + ")
	}
	if len(factors) == 0 {
		factors = []string{"1"}
	}
	sep := "*"
	if latex {
		sep = " "
	}
	b.WriteString(strings.Join(factors, sep))
}

// gridText renders rows of entry texts as a matcalc literal
// ([a, b; c, d]) or a LaTeX bmatrix.
func gridText(cells [][]string, latex bool) string {
	var b strings.Builder
	if latex {
		b.WriteString(`\begin{bmatrix}`)
	} else {
		b.WriteString("[")
	}
	for i, row := range cells {
		if i > 0 {
			if latex {
				b.WriteString(` \\`)
			} else {
				b.WriteString("; ")
			}
		}
		for j, x := range row {
			if j > 0 {
				if latex {
					b.WriteString(" &")
				} else {
					b.WriteString(", ")
				}
			}
			if latex {
				b.WriteString(" ")
			}
			b.WriteString(x)
		}
	}
	if latex {
		b.WriteString(` \end{bmatrix}`)
	} else {
		b.WriteString("]")
	}
	return b.String()
}

// surdText renders a Surd; factor says it is a factor of a product (so
// a sum needs parentheses).
func surdText(x Surd, latex, factor bool) string {
	x = x.norm()
	root := func(b *big.Rat) string {
		r := fmt.Sprintf("sqrt(%d)", x.S)
		if latex {
			r = fmt.Sprintf(`\sqrt{%d}`, x.S)
		}
		switch {
		case b.Cmp(big.NewRat(1, 1)) == 0:
			return r
		case b.Cmp(big.NewRat(-1, 1)) == 0:
			return "-" + r
		case latex:
			return ratText(b, true) + " " + r
		}
		return b.RatString() + "*" + r
	}
	switch {
	case x.B.Sign() == 0:
		return ratText(x.A, latex)
	case x.A.Sign() == 0:
		return root(x.B)
	}
	s := ratText(x.A, latex)
	r := root(x.B)
	if strings.HasPrefix(r, "-") {
		s += " - " + r[1:]
	} else {
		s += " + " + r
	}
	if factor {
		if latex {
			return `\left(` + s + `\right)`
		}
		return "(" + s + ")"
	}
	return s
}

// callText renders f(r·t): exp(-5*t), cos(sqrt(2)*t); in LaTeX {\rm e}^{-5t},
// \cos(\sqrt{2} t).
func callText(f string, r Surd, tv string, latex bool) string {
	r = r.norm()
	var arg string
	switch {
	case r.B.Sign() == 0 && r.A.Cmp(big.NewRat(1, 1)) == 0:
		arg = tv
	case r.B.Sign() == 0 && r.A.Cmp(big.NewRat(-1, 1)) == 0:
		arg = "-" + tv
	case latex:
		arg = surdText(r, true, true) + " " + tv
		if r.B.Sign() == 0 {
			arg = ratText(r.A, true) + tv
		}
	default:
		arg = surdText(r, false, true) + "*" + tv
	}
	if !latex {
		return f + "(" + arg + ")"
	}
	if f == "exp" {
		return `{\rm e}^{` + arg + "}"
	}
	return `\` + f + "(" + arg + ")"
}
