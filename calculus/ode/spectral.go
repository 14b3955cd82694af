package ode

import (
	"fmt"
	"math"
	"math/big"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/matcalc/matcalc/calculus/linalg"
)

// SpectralMethod is the closed form by spectral projectors: the
// characteristic polynomial is split into coprime factors gᵢ (powers of
// linear factors and distinct irreducible quadratics), each with its
// projector Pᵢ = hᵢ(A)·(p/gᵢ)(A), and e^{At} = Σ e^{At}Pᵢ, each term in
// closed form. It handles several different complex pairs (coupled
// oscillators), which Putzer's algorithm in one field Q(√d) cannot.
const SpectralMethod Method = "spectral projectors"

// block is one coprime factor of the characteristic polynomial.
type block struct {
	g     []*big.Rat // the factor, lowest degree first
	root  *big.Rat   // the root of a linear factor (g = (λ − root)^m)
	m     int        // multiplicity of a linear factor
	quadr bool       // g is an irreducible quadratic λ² + pλ + s
}

// SpectralExp computes e^{At} by spectral projectors for an exact A
// whose characteristic polynomial is a product of powers of rational
// linear factors and distinct irreducible quadratics. Any other A is an
// error wrapping ErrNoClosedForm.
func SpectralExp(a *linalg.Matrix) (*ExpAt, error) {
	cf, err := factorCharPoly(a, "spectral projectors")
	if err != nil {
		return nil, err
	}
	n, poly, roots, mult, rest := cf.n, cf.poly, cf.roots, cf.mult, cf.rest
	var blocks []block
	for i, r := range roots {
		g := []*big.Rat{big.NewRat(1, 1)}
		for k := 0; k < mult[i]; k++ {
			g = linalg.PolyMul(g, []*big.Rat{new(big.Rat).Neg(r), big.NewRat(1, 1)})
		}
		blocks = append(blocks, block{g: g, root: r, m: mult[i]})
	}
	if len(rest) > 1 {
		quads, ok := factorQuadratics(rest)
		if !ok {
			return nil, noClosedForm("the characteristic polynomial has a factor of degree %d that is not a product of distinct rational quadratics", len(rest)-1)
		}
		for _, q := range quads {
			blocks = append(blocks, block{g: q, quadr: true})
		}
	}
	p := monic(poly)
	entries := make([][][]Term, n)
	for i := range entries {
		entries[i] = make([][]Term, n)
	}
	var descr, descrL []string
	for _, b := range blocks {
		cof, _ := polyDivMod(p, b.g) // p/gᵢ
		h, ok := polyInvMod(cof, b.g)
		if !ok {
			return nil, fmt.Errorf("spectral projectors: factors not coprime (a bug)")
		}
		proj, err := polyAt(polyRem(linalg.PolyMul(h, cof), p), a)
		if err != nil {
			return nil, err
		}
		terms, d, dl, err := blockExp(a, b, proj)
		if err != nil {
			return nil, err
		}
		descr = append(descr, d)
		descrL = append(descrL, dl)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				entries[i][j] = append(entries[i][j], terms[i][j]...)
			}
		}
	}
	out := make([][]ExpPoly, n)
	for i := range out {
		out[i] = make([]ExpPoly, n)
		for j := range out[i] {
			out[i][j] = newExpPoly(entries[i][j])
		}
	}
	e := &ExpAt{A: a, Entries: out, Method: SpectralMethod}
	var fac, facL []string
	for _, b := range blocks {
		if b.quadr {
			fac = append(fac, "("+polyText(b.g, false)+")")
			facL = append(facL, `\left(`+polyText(b.g, true)+`\right)`)
			continue
		}
		// (λ + 1)^2 rather than (λ^2 + 2*λ + 1)
		l, ll := linFactor(b.root, false), linFactor(b.root, true)
		if b.m > 1 {
			l += fmt.Sprintf("^%d", b.m)
			ll += fmt.Sprintf("^{%d}", b.m)
		}
		fac = append(fac, l)
		facL = append(facL, ll)
	}
	e.Steps = append(e.Steps,
		Step{Title: "characteristic polynomial", Plain: fmt.Sprintf("det(A - λI) = 0 ⇔ %s = 0", polyText(poly, false)),
			LaTeX: fmt.Sprintf(`\det(A - \lambda I) = 0 \;\Longleftrightarrow\; %s = 0`, polyText(poly, true))},
		Step{Title: "coprime factors", Plain: strings.Join(fac, "*"), LaTeX: strings.Join(facL, "")},
		Step{Title: "spectral projectors", Plain: strings.Join(descr, "; "), LaTeX: `\begin{aligned} ` + strings.Join(descrL, ` \\ `) + ` \end{aligned}`},
		Step{Title: "matrix exponential", Plain: "expm(A*t) = Σ expm(A*t)*Pi (ΣPi = I; each term from its factor alone) = " + e.String(), LaTeX: `{\rm e}^{At} = \sum_i {\rm e}^{At} P_i = ` + e.LaTeX()},
	)
	chk, err := e.verify()
	if err != nil {
		return nil, err
	}
	e.Steps = append(e.Steps, chk)
	return e, nil
}

// blockExp returns the terms of e^{At}·P for one block, entry by entry,
// and a description of the block.
func blockExp(a *linalg.Matrix, b block, proj *linalg.Matrix) ([][][]Term, string, string, error) {
	n, _ := a.Dims()
	terms := make([][][]Term, n)
	for i := range terms {
		terms[i] = make([][]Term, n)
	}
	add := func(m *linalg.Matrix, tmpl Term) {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				q, _ := m.RatAt(i, j)
				if q.Sign() == 0 {
					continue
				}
				t := tmpl
				t.Coef = tmpl.Coef.mul(RatSurd(q))
				terms[i][j] = append(terms[i][j], t)
			}
		}
	}
	if !b.quadr {
		// e^{At}P = e^{rt} Σₖ tᵏ/k! (A − rI)ᵏ P
		shift, err := shifted(a, b.root)
		if err != nil {
			return nil, "", "", err
		}
		nk := proj
		fact := big.NewRat(1, 1)
		for k := 0; k < b.m; k++ {
			if k > 0 {
				if nk, err = linalg.Mul(shift, nk); err != nil {
					return nil, "", "", err
				}
				fact.Quo(fact, big.NewRat(int64(k), 1))
			}
			add(nk, Term{Coef: RatSurd(fact), K: k, Rate: RatSurd(b.root)})
		}
		return terms, fmt.Sprintf("λ = %s: P = %s", b.root.RatString(), proj),
			fmt.Sprintf(`\lambda = %s:\ P = %s`, linalg.RatLaTeX(b.root), proj.LaTeX()), nil
	}
	// λ² + pλ + s: α = −p/2, β² = s − α².
	alpha := new(big.Rat).Mul(b.g[1], big.NewRat(-1, 2))
	beta2 := new(big.Rat).Sub(b.g[0], new(big.Rat).Mul(alpha, alpha))
	shift, err := shifted(a, alpha)
	if err != nil {
		return nil, "", "", err
	}
	np, err := linalg.Mul(shift, proj)
	if err != nil {
		return nil, "", "", err
	}
	// |β²| = (num·den)/den² = (s²·d)/den²: |β| = (s/den)·√d.
	abs := new(big.Rat).Abs(beta2)
	sq, d := squarefree(new(big.Int).Mul(abs.Num(), abs.Denom()))
	if !d.IsInt64() {
		return nil, "", "", noClosedForm("√%s is too large", d)
	}
	gamma := new(big.Rat).SetFrac(sq, abs.Denom())
	dv := d.Int64()
	root := func(r *big.Rat) Surd { // r·√d
		if dv == 1 {
			return RatSurd(r)
		}
		return Surd{A: new(big.Rat), B: new(big.Rat).Set(r), S: dv}.norm()
	}
	// 1/|β| = √d/(γ·d)
	invBeta := root(new(big.Rat).Quo(big.NewRat(1, 1), new(big.Rat).Mul(gamma, big.NewRat(dv, 1))))
	rate := RatSurd(alpha)
	desc := fmt.Sprintf("λ = %s: P = %s", pmText(alpha, root(gamma), beta2.Sign() > 0, false), proj)
	descL := fmt.Sprintf(`\lambda = %s:\ P = %s`, pmText(alpha, root(gamma), beta2.Sign() > 0, true), proj.LaTeX())
	if beta2.Sign() > 0 {
		// e^{αt}[cos βt·P + (sin βt/β)(A − αI)P]
		freq := root(gamma)
		add(proj, Term{Coef: RatSurd(big.NewRat(1, 1)), Rate: rate, Osc: Cos, Freq: freq})
		add(np, Term{Coef: invBeta, Rate: rate, Osc: Sin, Freq: freq})
		return terms, desc, descL, nil
	}
	// Real roots α ± δ: e^{αt}[cosh δt·P + (sinh δt/δ)(A − αI)P].
	delta := root(gamma)
	up, down := rate.add(delta), rate.add(delta.neg())
	half := RatSurd(big.NewRat(1, 2))
	add(proj, Term{Coef: half, Rate: up})
	add(proj, Term{Coef: half, Rate: down})
	hb := invBeta.mul(half)
	add(np, Term{Coef: hb, Rate: up})
	add(np, Term{Coef: hb.neg(), Rate: down})
	return terms, desc, descL, nil
}

func shifted(a *linalg.Matrix, r *big.Rat) (*linalg.Matrix, error) {
	n, _ := a.Dims()
	id, err := linalg.Eye(n)
	if err != nil {
		return nil, err
	}
	ri, err := linalg.Mul(linalg.Scalar(r), id)
	if err != nil {
		return nil, err
	}
	return linalg.Sub(a, ri)
}

// polyAt evaluates the polynomial p (lowest degree first) at the square
// matrix a by Horner's rule, exactly.
func polyAt(p []*big.Rat, a *linalg.Matrix) (*linalg.Matrix, error) {
	n, _ := a.Dims()
	id, err := linalg.Eye(n)
	if err != nil {
		return nil, err
	}
	acc, err := linalg.Zeros(n, n)
	if err != nil {
		return nil, err
	}
	for k := len(p) - 1; k >= 0; k-- {
		if acc, err = linalg.Mul(acc, a); err != nil {
			return nil, err
		}
		ci, err := linalg.Mul(linalg.Scalar(p[k]), id)
		if err != nil {
			return nil, err
		}
		if acc, err = linalg.Add(acc, ci); err != nil {
			return nil, err
		}
	}
	if !acc.IsExact() {
		return nil, noClosedForm("projector entries too large to keep exact")
	}
	return acc, nil
}

func polyRem(p, q []*big.Rat) []*big.Rat {
	_, r := polyDivMod(p, q)
	return r
}

// polyInvMod returns h with h·a ≡ 1 (mod m), by the extended Euclidean
// algorithm, and false when a and m are not coprime.
func polyInvMod(a, m []*big.Rat) ([]*big.Rat, bool) {
	r0, r1 := trim(clonePoly(m)), trim(polyRem(a, m))
	s0, s1 := []*big.Rat{new(big.Rat)}, []*big.Rat{big.NewRat(1, 1)}
	for !polyIsZero(r1) {
		q, r := polyDivMod(r0, r1)
		r0, r1 = r1, trim(r)
		s0, s1 = s1, polySub(s0, linalg.PolyMul(q, s1))
	}
	// r0 is the gcd: a nonzero constant when coprime.
	r0 = trim(r0)
	if len(r0) != 1 || r0[0].Sign() == 0 {
		return nil, false
	}
	inv := new(big.Rat).Inv(r0[0])
	out := make([]*big.Rat, len(s0))
	for i, c := range s0 {
		out[i] = new(big.Rat).Mul(c, inv)
	}
	return polyRem(out, m), true
}

func clonePoly(p []*big.Rat) []*big.Rat {
	out := make([]*big.Rat, len(p))
	for i, c := range p {
		out[i] = new(big.Rat).Set(c)
	}
	return out
}

func polySub(a, b []*big.Rat) []*big.Rat {
	n := max(len(a), len(b))
	out := make([]*big.Rat, n)
	for i := range out {
		out[i] = new(big.Rat)
		if i < len(a) {
			out[i].Add(out[i], a[i])
		}
		if i < len(b) {
			out[i].Sub(out[i], b[i])
		}
	}
	return trim(out)
}

// factorQuadratics splits a monic-normalisable rational polynomial
// without rational roots into distinct monic irreducible quadratics with
// rational coefficients, guided by its float roots and verified by exact
// division; false when that is impossible.
func factorQuadratics(p []*big.Rat) ([][]*big.Rat, bool) {
	rest := monic(p)
	if (len(rest)-1)%2 != 0 {
		return nil, false
	}
	roots := companionRoots(rest)
	if roots == nil {
		return nil, false
	}
	var cands [][2]float64 // (sum, product) of a root pair
	for i, z := range roots {
		if imag(z) > 0 {
			cands = append(cands, [2]float64{2 * real(z), real(z)*real(z) + imag(z)*imag(z)})
		}
		for j := i + 1; j < len(roots); j++ {
			w := roots[j]
			if imag(z) == 0 && imag(w) == 0 {
				cands = append(cands, [2]float64{real(z) + real(w), real(z) * real(w)})
			}
		}
	}
	var out [][]*big.Rat
	for _, c := range cands {
		if len(rest) <= 1 {
			break
		}
		sum, ok1 := rationalize(c[0])
		prod, ok2 := rationalize(c[1])
		if !ok1 || !ok2 {
			continue
		}
		q := []*big.Rat{prod, new(big.Rat).Neg(sum), big.NewRat(1, 1)}
		quo, rem := polyDivMod(rest, q)
		if !polyIsZero(rem) {
			continue
		}
		// Distinct factors only: a repeated quadratic is Putzer's case.
		if _, rem2 := polyDivMod(quo, q); polyIsZero(rem2) && len(quo) > 1 {
			return nil, false
		}
		out = append(out, q)
		rest = trim(quo)
	}
	if len(rest) != 1 {
		return nil, false
	}
	return out, true
}

// rationalize returns the fraction with denominator at most 10⁶ nearest
// to x by continued fractions, when x is finite and not huge.
func rationalize(x float64) (*big.Rat, bool) {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e12 {
		return nil, false
	}
	const maxDen = 1_000_000
	h0, h1 := big.NewInt(0), big.NewInt(1)
	k0, k1 := big.NewInt(1), big.NewInt(0)
	v := x
	for i := 0; i < 64; i++ {
		a := math.Floor(v)
		ai := big.NewInt(int64(a))
		h2 := new(big.Int).Add(new(big.Int).Mul(ai, h1), h0)
		k2 := new(big.Int).Add(new(big.Int).Mul(ai, k1), k0)
		if k2.Cmp(big.NewInt(maxDen)) > 0 {
			break
		}
		h0, h1, k0, k1 = h1, h2, k1, k2
		frac := v - a
		if math.Abs(frac) < 1e-9 {
			break
		}
		v = 1 / frac
	}
	if k1.Sign() == 0 {
		return nil, false
	}
	return new(big.Rat).SetFrac(h1, k1), true
}

// companionRoots returns the roots of a monic polynomial as the
// eigenvalues of its companion matrix.
func companionRoots(p []*big.Rat) (roots []complex128) {
	defer func() {
		if recover() != nil {
			roots = nil
		}
	}()
	n := len(p) - 1
	c := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		v, _ := p[i].Float64()
		c.Set(i, n-1, -v)
		if i > 0 {
			c.Set(i, i-1, 1)
		}
	}
	var eg mat.Eigen
	if !eg.Factorize(c, mat.EigenNone) {
		return nil
	}
	return eg.Values(nil)
}

// pmText renders α ± g (α ± g·i when imaginary): "-1 ± 2*i", "±i",
// "1/2 ± 1/2*sqrt(5)".
func pmText(alpha *big.Rat, g Surd, imaginary, latex bool) string {
	pm := " ± "
	if latex {
		pm = ` \pm `
	}
	var part string
	one := g.IsRational() && g.norm().A.Cmp(big.NewRat(1, 1)) == 0
	switch {
	case imaginary && one:
		part = "i"
	case imaginary && latex:
		part = surdText(g, true, true) + `\,i`
	case imaginary:
		part = surdText(g, false, true) + "*i"
	default:
		part = surdText(g, latex, false)
	}
	if alpha.Sign() == 0 {
		if latex {
			return `\pm ` + part
		}
		return "±" + part
	}
	return ratText(alpha, latex) + pm + part
}
