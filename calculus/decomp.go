package calculus

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/matcalc/matcalc/calculus/linalg"
	"github.com/matcalc/matcalc/calculus/syntax"
)

// Limits of what eig shows.
const (
	maxEigenvaluesShown  = 100
	maxEigenvectorsShown = 12
)

// decomposition shows eig(A) or svd(A) of a value.
func (c *cell) decomposition(call *syntax.Call) ([]Output, error) {
	if err := c.checkArity(call, c.in.fns[call.Fun.Name]); err != nil {
		return nil, err
	}
	a, err := c.value(call.Args[0])
	if err != nil {
		return nil, err
	}
	if err := c.interrupted(); err != nil {
		return nil, err
	}
	name := c.text(call.Args[0])
	if r, cols := a.Dims(); true {
		if err := c.budget(call, call.Fun.Name+fmt.Sprintf(" of a %d×%d matrix", r, cols), workFactor(call.Fun.Name)*float64(r)*float64(cols)*float64(min(r, cols))); err != nil {
			return nil, err
		}
	}
	if call.Fun.Name == "svd" {
		u, s, v, err := linalg.SVD(a)
		if err != nil {
			return nil, c.valueErr(err, call.Pos(), "cannot compute "+c.text(call))
		}
		plain := fmt.Sprintf("svd of %s = U*diag(s)*V'  # floating point\nU = %s\ns = %s\nV = %s", name, u, s, v)
		latex := fmt.Sprintf(`\begin{aligned} %s &= U \operatorname{diag}(s) V^{T} \quad\text{(floating point)} \\ U &= %s \\ s &= %s \\ V &= %s \end{aligned}`, name, u.LaTeX(), s.LaTeX(), v.LaTeX())
		return []Output{{Kind: Value, Plain: plain, LaTeX: latex}}, nil
	}
	if !a.IsSquare() {
		return nil, c.shapeErr("take eig of", call.Pos(), call.Args[0], a, nil, nil, "eig needs a square matrix")
	}
	e, err := linalg.Eig(a)
	if err != nil {
		return nil, c.valueErr(err, call.Pos(), "cannot compute "+c.text(call))
	}
	var p, l strings.Builder
	l.WriteString(`\begin{aligned}`)
	if e.Poly != nil {
		fmt.Fprintf(&p, "det(lambda*I - %s) = %s\n", name, polyPlain(e.Poly))
		fmt.Fprintf(&l, `\det(\lambda I - %s) &= %s \\`, name, polyLaTeX(e.Poly))
	}
	note := ""
	if !e.Exact {
		note = "  # floating point"
	}
	var vals, lvals []string
	spaces := e.Spaces
	if len(spaces) > maxEigenvaluesShown {
		spaces = spaces[:maxEigenvaluesShown]
	}
	for _, s := range spaces {
		v, lv := eigenvalueText(s)
		if s.Mult > 1 {
			v += fmt.Sprintf(" (multiplicity %d)", s.Mult)
			lv += fmt.Sprintf(`\ (\text{multiplicity } %d)`, s.Mult)
		}
		vals = append(vals, v)
		lvals = append(lvals, lv)
	}
	if len(spaces) < len(e.Spaces) {
		vals = append(vals, fmt.Sprintf("… (%d more)", len(e.Spaces)-len(spaces)))
		lvals = append(lvals, fmt.Sprintf(`\dots\ (%d\ \text{more})`, len(e.Spaces)-len(spaces)))
	}
	fmt.Fprintf(&p, "eigenvalues: %s%s\n", strings.Join(vals, ", "), note)
	fmt.Fprintf(&l, `\lambda &\in \{%s\}%s \\`, strings.Join(lvals, ",\\ "), map[bool]string{true: "", false: `\quad\text{(floating point)}`}[e.Exact])
	if r, _ := a.Dims(); r > maxEigenvectorsShown {
		fmt.Fprintf(&p, "(eigenvectors are shown for matrices up to %d×%d)\n", maxEigenvectorsShown, maxEigenvectorsShown)
		l.WriteString(`&\text{(eigenvectors omitted)} \\`)
		l.WriteString(`\end{aligned}`)
		return []Output{{Kind: Value, Plain: strings.TrimRight(p.String(), "\n"), LaTeX: l.String()}}, nil
	}
	for _, s := range e.Spaces {
		v, lv := eigenvalueText(s)
		switch {
		case s.Vectors != nil:
			_, g := s.Vectors.Dims()
			for j := range g {
				col, err := column(s.Vectors, j)
				if err != nil {
					return nil, c.valueErr(err, call.Pos(), "eigenvector")
				}
				fmt.Fprintf(&p, "lambda = %s: v = %s\n", v, col)
				fmt.Fprintf(&l, `\lambda = %s:\ & v = %s \\`, lv, col.LaTeX())
			}
		case s.Complex != nil:
			var parts, lparts []string
			for _, z := range s.Complex {
				parts = append(parts, complexText(z, "*"))
				lparts = append(lparts, complexText(z, `\,`))
			}
			fmt.Fprintf(&p, "lambda = %s: v = [%s]  # floating point\n", v, strings.Join(parts, "; "))
			fmt.Fprintf(&l, `\lambda = %s:\ & v = \begin{bmatrix} %s \end{bmatrix} \\`, lv, strings.Join(lparts, ` \\ `))
		}
	}
	if defective(e) {
		p.WriteString("not diagonalizable: too few independent eigenvectors\n")
		l.WriteString(`&\text{not diagonalizable} \\`)
	}
	l.WriteString(`\end{aligned}`)
	return []Output{{Kind: Value, Plain: strings.TrimRight(p.String(), "\n"), LaTeX: l.String()}}, nil
}

// defective reports whether some eigenvalue has fewer independent
// eigenvectors than its multiplicity, so that the matrix is not
// diagonalizable even over the complex numbers. (linalg's
// Eigen.Diagonalizable answers over the reals, where a complex
// eigenvalue already fails; here each complex eigenvalue, listed once per
// occurrence, has its eigenvector.)
func defective(e *linalg.Eigen) bool {
	for _, s := range e.Spaces {
		if s.Complex != nil {
			continue
		}
		if s.Vectors == nil {
			return true
		}
		if _, g := s.Vectors.Dims(); g < s.Mult {
			return true
		}
	}
	return false
}

// column returns column j of m as a vector value.
func column(m *linalg.Matrix, j int) (*linalg.Matrix, error) {
	r, _ := m.Dims()
	if m.IsExact() {
		data := make([]*big.Rat, r)
		for i := range r {
			data[i], _ = m.RatAt(i, j)
		}
		return linalg.NewRat(r, 1, data)
	}
	data := make([]float64, r)
	for i := range r {
		data[i] = m.At(i, j)
	}
	return linalg.New(r, 1, data)
}

func eigenvalueText(s linalg.Eigenspace) (plain, latex string) {
	if s.Rat != nil {
		return linalg.FormatRat(s.Rat), linalg.RatLaTeX(s.Rat)
	}
	if imag(s.Value) == 0 {
		return linalg.FormatFloat(real(s.Value), linalg.FloatDigits), linalg.FloatLaTeX(real(s.Value), linalg.FloatDigits)
	}
	return complexText(s.Value, "*"), complexText(s.Value, `\,`)
}

// complexText writes z as a teacher would, the way package ode writes
// its eigenvalues: 2 - 3*i, 3*i, -i, 0.5, 0; mul goes between a number
// and i ("*" in plain text, `\,` in LaTeX).
func complexText(z complex128, mul string) string {
	re, im := real(z), imag(z)
	num := func(f float64) string { return linalg.FormatFloat(f, linalg.FloatDigits) }
	imText := func(f float64) string {
		if f == 1 {
			return "i"
		}
		return num(f) + mul + "i"
	}
	switch {
	case im == 0:
		return num(re)
	case re == 0 && im < 0:
		return "-" + imText(-im)
	case re == 0:
		return imText(im)
	case im < 0:
		return num(re) + " - " + imText(-im)
	}
	return num(re) + " + " + imText(im)
}

// polyPlain renders Σ cᵢ λⁱ (lowest degree first) as matcalc input in
// lambda, highest degree first.
func polyPlain(c []*big.Rat) string { return poly(c, "lambda", "*", linalg.FormatRat) }

func polyLaTeX(c []*big.Rat) string { return poly(c, `\lambda`, " ", linalg.RatLaTeX) }

func poly(c []*big.Rat, x, mul string, num func(*big.Rat) string) string {
	var b strings.Builder
	for i := len(c) - 1; i >= 0; i-- {
		q := c[i]
		if q.Sign() == 0 {
			continue
		}
		a := new(big.Rat).Abs(q)
		switch {
		case b.Len() == 0 && q.Sign() < 0:
			b.WriteString("-")
		case b.Len() > 0 && q.Sign() < 0:
			b.WriteString(" - ")
		case b.Len() > 0:
			b.WriteString(" + ")
		}
		one := a.Cmp(big.NewRat(1, 1)) == 0
		if !one || i == 0 {
			b.WriteString(num(a))
			if i > 0 {
				b.WriteString(mul)
			}
		}
		switch {
		case i == 1:
			b.WriteString(x)
		case i > 1:
			fmt.Fprintf(&b, "%s^%d", x, i)
		}
	}
	if b.Len() == 0 {
		return "0"
	}
	return b.String()
}
