package ode

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/matcalc/matcalc/calculus/linalg"
)

// systemStep writes the system out component by component, as the text
// does: ẋ = 3x − 4y, ẏ = 4x − 7y, x(0) = 1, y(0) = 1.
func systemStep(a, b, x0 *linalg.Matrix, names []string) Step {
	n := len(names)
	var eqs, eqsL, ics, icsL []string
	for i := 0; i < n; i++ {
		var terms, termsL []string
		for j := 0; j < n; j++ {
			coefText(&terms, &termsL, a.At(i, j), ratOrNil(a, i, j), names[j])
		}
		if b != nil {
			coefText(&terms, &termsL, b.At(i, 0), ratOrNil(b, i, 0), "")
		}
		rhs, rhsL := joinTerms(terms), joinTerms(termsL)
		eqs = append(eqs, fmt.Sprintf("%s' = %s", names[i], rhs))
		eqsL = append(eqsL, fmt.Sprintf(`\dot{%s} &= %s`, names[i], rhsL))
		ics = append(ics, fmt.Sprintf("%s(0) = %s", names[i], entryText(x0, i, false)))
		icsL = append(icsL, fmt.Sprintf("%s(0) = %s", names[i], entryText(x0, i, true)))
	}
	return Step{
		Title: "system",
		Plain: strings.Join(eqs, ", ") + "; " + strings.Join(ics, ", "),
		LaTeX: `\begin{aligned} ` + strings.Join(eqsL, ` \\ `) + ` \end{aligned} \qquad ` + strings.Join(icsL, ",\\ "),
	}
}

func ratOrNil(m *linalg.Matrix, i, j int) *big.Rat {
	q, _ := m.RatAt(i, j)
	return q
}

func entryText(m *linalg.Matrix, i int, latex bool) string {
	if q, ok := m.RatAt(i, 0); ok {
		return ratText(q, latex)
	}
	if latex {
		return linalg.FloatLaTeX(m.At(i, 0), linalg.FloatDigits)
	}
	return linalg.FormatFloat(m.At(i, 0), linalg.FloatDigits)
}

// coefText appends the term c·name (exact when q is set) in plain and
// LaTeX form, skipping zeros.
func coefText(plain, latex *[]string, f float64, q *big.Rat, name string) {
	var p, l string
	if q != nil {
		if q.Sign() == 0 {
			return
		}
		abs := new(big.Rat).Abs(q)
		sign := ""
		if q.Sign() < 0 {
			sign = "-"
		}
		switch {
		case name == "":
			p, l = sign+abs.RatString(), sign+linalg.RatLaTeX(abs)
		case abs.Cmp(big.NewRat(1, 1)) == 0:
			p, l = sign+name, sign+name
		default:
			p, l = sign+abs.RatString()+"*"+name, sign+linalg.RatLaTeX(abs)+name
		}
	} else {
		if f == 0 {
			return
		}
		v := linalg.FormatFloat(f, linalg.FloatDigits)
		vl := linalg.FloatLaTeX(f, linalg.FloatDigits)
		if name == "" {
			p, l = v, vl
		} else {
			p, l = v+"*"+name, vl+" "+name
		}
	}
	*plain = append(*plain, p)
	*latex = append(*latex, l)
}

func joinTerms(ts []string) string {
	if len(ts) == 0 {
		return "0"
	}
	var b strings.Builder
	for i, t := range ts {
		if i > 0 {
			if strings.HasPrefix(t, "-") {
				b.WriteString(" - ")
				t = t[1:]
			} else {
				b.WriteString(" + ")
			}
		}
		b.WriteString(t)
	}
	return b.String()
}

// polyStep shows det(A − λI) = 0 as the monic polynomial equation.
func polyStep(sp *spectrum, a *linalg.Matrix) Step {
	p, pl := polyText(sp.poly, false), polyText(sp.poly, true)
	if n, _ := a.Dims(); n == 2 && a.IsExact() {
		// The 2×2 determinant written out, as the text does.
		e, el := det2Text(a, false), det2Text(a, true)
		return Step{
			Title: "characteristic polynomial",
			Plain: fmt.Sprintf("det(A - λI) = %s = %s = 0", e, p),
			LaTeX: fmt.Sprintf(`\det(A - \lambda I) = %s = %s = 0`, el, pl),
		}
	}
	return Step{
		Title: "characteristic polynomial",
		Plain: fmt.Sprintf("det(A - λI) = 0 ⇔ %s = 0", p),
		LaTeX: fmt.Sprintf(`\det(A - \lambda I) = 0 \;\Longleftrightarrow\; %s = 0`, pl),
	}
}

// det2Text writes det(A − λI) of an exact 2×2 A out:
// det([3 - λ, -4; 4, -7 - λ]) = (3 - λ)*(-7 - λ) - (-4)*4.
func det2Text(a *linalg.Matrix, latex bool) string {
	q := func(i, j int) *big.Rat { r, _ := a.RatAt(i, j); return r }
	lam, mul := "λ", "*"
	if latex {
		lam, mul = `\lambda`, ""
	}
	diag := func(i int) string {
		if q(i, i).Sign() == 0 {
			return "-" + lam
		}
		return ratText(q(i, i), latex) + " - " + lam
	}
	num := func(r *big.Rat) string { // (-4)*4 plain, (-4)(4) in LaTeX
		s := ratText(r, latex)
		if latex || r.Sign() < 0 || !r.IsInt() {
			return "(" + s + ")"
		}
		return s
	}
	var m, prod string
	if latex {
		m = fmt.Sprintf(`\det\begin{bmatrix} %s & %s \\ %s & %s \end{bmatrix}`, diag(0), ratText(q(0, 1), true), ratText(q(1, 0), true), diag(1))
	} else {
		m = fmt.Sprintf("det([%s, %s; %s, %s])", diag(0), ratText(q(0, 1), false), ratText(q(1, 0), false), diag(1))
	}
	prod = "(" + diag(0) + ")" + mul + "(" + diag(1) + ")"
	if q(0, 1).Sign() != 0 && q(1, 0).Sign() != 0 {
		prod += " - " + num(q(0, 1)) + mul + num(q(1, 0))
	}
	return m + " = " + prod
}

// polyText renders a polynomial in λ (lowest degree first), highest
// power first: λ^2 + 4*λ - 5.
func polyText(p []*big.Rat, latex bool) string {
	lam := "λ"
	if latex {
		lam = `\lambda`
	}
	var ts []string
	for k := len(p) - 1; k >= 0; k-- {
		c := p[k]
		if c.Sign() == 0 {
			continue
		}
		var pw string
		switch {
		case k == 1:
			pw = lam
		case k > 1 && latex:
			pw = fmt.Sprintf("%s^{%d}", lam, k)
		case k > 1:
			pw = fmt.Sprintf("%s^%d", lam, k)
		}
		abs := new(big.Rat).Abs(c)
		sign := ""
		if c.Sign() < 0 {
			sign = "-"
		}
		var s string
		switch {
		case pw == "":
			s = ratText(abs, latex)
		case abs.Cmp(big.NewRat(1, 1)) == 0:
			s = pw
		case latex:
			s = ratText(abs, true) + pw
		default:
			s = abs.RatString() + "*" + pw
		}
		ts = append(ts, sign+s)
	}
	return joinTerms(ts)
}

// rootsStep shows the factored polynomial and the eigenvalues.
func rootsStep(sp *spectrum) Step {
	var fac, facL, vals, valsL []string
	for i, r := range sp.roots {
		lin := linFactor(r, false)
		linL := linFactor(r, true)
		if sp.mult[i] > 1 {
			lin = fmt.Sprintf("%s^%d", lin, sp.mult[i])
			linL = fmt.Sprintf("%s^{%d}", linL, sp.mult[i])
		}
		fac = append(fac, lin)
		facL = append(facL, linL)
		v := r.RatString()
		vl := linalg.RatLaTeX(r)
		if sp.mult[i] > 1 {
			v += fmt.Sprintf(" (multiplicity %d)", sp.mult[i])
			vl += fmt.Sprintf(` \text{ (multiplicity %d)}`, sp.mult[i])
		}
		vals = append(vals, v)
		valsL = append(valsL, vl)
	}
	if sp.quad != nil {
		q, ql := polyText(sp.quad, false), polyText(sp.quad, true)
		if len(sp.roots) > 0 || sp.qmult > 1 {
			// A factor of a product or a power: in parentheses.
			q, ql = "("+q+")", `\left(`+ql+`\right)`
		}
		if sp.qmult > 1 {
			q += fmt.Sprintf("^%d", sp.qmult)
			ql += fmt.Sprintf("^{%d}", sp.qmult)
		}
		fac = append(fac, q)
		facL = append(facL, ql)
		pm := sp.field.text(knum{sp.alpha, sp.gamma}, false)
		pml := sp.field.text(knum{sp.alpha, sp.gamma}, true)
		conj := sp.field.text(knum{sp.alpha, new(big.Rat).Neg(sp.gamma)}, false)
		conjl := sp.field.text(knum{sp.alpha, new(big.Rat).Neg(sp.gamma)}, true)
		vals = append(vals, unparen(pm, "(", ")"), unparen(conj, "(", ")"))
		valsL = append(valsL, unparen(pml, "(", ")"), unparen(conjl, "(", ")"))
	}
	return Step{
		Title: "eigenvalues",
		Plain: fmt.Sprintf("%s = 0 ⇒ λ = %s", strings.Join(fac, "*"), strings.Join(vals, ", ")),
		LaTeX: fmt.Sprintf(`%s = 0 \Rightarrow \lambda = %s`, strings.Join(facL, ""), strings.Join(valsL, ",\\ ")),
	}
}

// unparen drops one pair of outer brackets open…close around s, if s has
// them (sqrt(5) inside keeps its own).
func unparen(s, open, close string) string {
	if strings.HasPrefix(s, open) && strings.HasSuffix(s, close) {
		return s[len(open) : len(s)-len(close)]
	}
	return s
}

// linFactor renders (λ − r).
func linFactor(r *big.Rat, latex bool) string {
	lam := "λ"
	if latex {
		lam = `\lambda`
	}
	switch r.Sign() {
	case 0:
		return lam
	case 1:
		return "(" + lam + " - " + ratText(r, latex) + ")"
	}
	return "(" + lam + " + " + ratText(new(big.Rat).Neg(r), latex) + ")"
}

// putzerSteps shows the Pⱼ and rⱼ(t) of Putzer's algorithm and e^{At}.
func putzerSteps(p *Putzer, sp *spectrum) []Step {
	var pl, ll []string
	for j, st := range p.Steps {
		pl = append(pl, fmt.Sprintf("P%d = %s, r%d(t) = %s", j, st.P, j+1, st.R))
		ll = append(ll, fmt.Sprintf(`P_{%d} &= %s, & r_{%d}(t) &= %s`, j, st.PLaTeX, j+1, st.RLaTeX))
	}
	return []Step{
		{
			Title: "Putzer's algorithm",
			Plain: fmt.Sprintf("with λ = %s: P0 = I, Pj = P(j-1)*(A - λj*I); r1' = λ1*r1, r1(0) = 1; rj' = λj*rj + r(j-1), rj(0) = 0: %s", strings.Join(p.Eigenvalues, ", "), strings.Join(pl, "; ")),
			LaTeX: `\begin{aligned} ` + strings.Join(ll, ` \\ `) + ` \end{aligned}`,
		},
		{
			Title: "matrix exponential",
			Plain: "expm(A*t) = Σ r(j+1)(t)*Pj = " + p.Exp.String(),
			LaTeX: `{\rm e}^{At} = \sum_{j=0}^{n-1} r_{j+1}(t) P_{j} = ` + p.Exp.LaTeX(),
		},
	}
}
