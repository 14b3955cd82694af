package ode

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
)

// Method names how a closed form of e^{At} was found.
type Method string

// The methods of ExpAt.
const (
	Diagonalisation Method = "diagonalisation"
	PutzerMethod    Method = "Putzer's algorithm"
)

// Step is one step of a derivation, in plain text and in LaTeX
// (math-mode content, no delimiters).
type Step struct {
	Title string
	Plain string
	LaTeX string
}

// ExpAt is the closed form of e^{At}: an n×n matrix of exponential
// polynomials in t with exact coefficients.
type ExpAt struct {
	// A is the matrix.
	A *linalg.Matrix
	// Entries holds e^{At} entry by entry.
	Entries [][]ExpPoly
	// Method is how the closed form was found.
	Method Method
	// Steps is the derivation: the characteristic polynomial, the
	// eigenvalues, the method's stages (U, Λ, U⁻¹; or Putzer's Pⱼ and
	// rⱼ(t)), the result and its exact check.
	Steps []Step
}

// verify checks d/dt e^{At} = A·e^{At} and e^{A·0} = I exactly and
// returns the step that says so, or an error (a bug) when it fails.
func (e *ExpAt) verify() (Step, error) {
	n := len(e.Entries)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			lhs := e.Entries[i][j].Deriv()
			for k := 0; k < n; k++ {
				q, _ := e.A.RatAt(i, k)
				lhs = lhs.add(e.Entries[k][j].scale(q.Neg(q)))
			}
			if !lhs.IsZero() {
				return Step{}, fmt.Errorf("%s: d/dt e^{At} − A e^{At} = %s at (%d, %d), not 0 (a bug)", e.Method, lhs, i+1, j+1)
			}
			at0 := RatSurd(new(big.Rat))
			for _, t := range e.Entries[i][j].Terms {
				if t.K == 0 && t.Osc != Sin {
					at0 = at0.add(t.Coef)
				}
			}
			want := int64(0)
			if i == j {
				want = 1
			}
			if !at0.add(RatSurd(big.NewRat(-want, 1))).IsZero() {
				return Step{}, fmt.Errorf("%s: e^{A·0} ≠ I at (%d, %d) (a bug)", e.Method, i+1, j+1)
			}
		}
	}
	return Step{
		Title: "check",
		Plain: "d/dt expm(A*t) = A*expm(A*t) and expm(A*0) = I, verified exactly",
		LaTeX: `\tfrac{{\rm d}}{{\rm d}t} {\rm e}^{At} = A {\rm e}^{At},\ {\rm e}^{A \cdot 0} = I \quad \text{(verified exactly)}`,
	}, nil
}

// Eval returns e^{At} at the given t as a float matrix.
func (e *ExpAt) Eval(t float64) (*linalg.Matrix, error) {
	n := len(e.Entries)
	data := make([]float64, 0, n*n)
	for _, row := range e.Entries {
		for _, p := range row {
			data = append(data, p.Eval(t))
		}
	}
	return linalg.New(n, n, data)
}

// Node returns e^{At} as a matrix literal whose entries are scalar
// expressions in the scalar symbol t (valid matcalc input when printed).
func (e *ExpAt) Node(t *expr.Symbol) (expr.Node, error) { return matrixNode(e.Entries, t) }

// Equal reports whether e and f have exactly the same entries.
func (e *ExpAt) Equal(f *ExpAt) bool {
	if len(e.Entries) != len(f.Entries) {
		return false
	}
	for i := range e.Entries {
		for j := range e.Entries[i] {
			diff := e.Entries[i][j].add(f.Entries[i][j].scale(big.NewRat(-1, 1)))
			if !diff.IsZero() {
				return false
			}
		}
	}
	return true
}

// Apply returns e^{At}·x0 for an exact vector x0, component by component.
func (e *ExpAt) Apply(x0 *linalg.Matrix) ([]ExpPoly, error) {
	n := len(e.Entries)
	if r, c := x0.Dims(); r != n || c != 1 {
		return nil, fmt.Errorf("initial value is %d×%d, want %d×1: %w", r, c, n, linalg.ErrShape)
	}
	if !x0.IsExact() {
		return nil, noClosedForm("the initial value has float entries")
	}
	out := make([]ExpPoly, n)
	for i := 0; i < n; i++ {
		var acc ExpPoly
		for j := 0; j < n; j++ {
			q, _ := x0.RatAt(j, 0)
			acc = acc.add(e.Entries[i][j].scale(q))
		}
		out[i] = acc
	}
	return out, nil
}

func matrixNode(entries [][]ExpPoly, t *expr.Symbol) (expr.Node, error) {
	rows := make([][]expr.Node, len(entries))
	for i, r := range entries {
		rows[i] = make([]expr.Node, len(r))
		for j, p := range r {
			n, err := p.Node(t)
			if err != nil {
				return nil, err
			}
			rows[i][j] = n
		}
	}
	if len(rows) == 1 && len(rows[0]) == 1 {
		return rows[0][0], nil
	}
	return expr.Matrix(rows)
}

// Diagonalize returns e^{At} = U·e^{Λt}·U⁻¹ for an exact matrix with
// rational eigenvalues and a basis of eigenvectors (U holds the smallest
// integer eigenvectors as columns). Any other matrix is an error
// (ErrNotDiagonalizable, or ErrNoClosedForm for a float matrix); Putzer
// handles those.
func Diagonalize(a *linalg.Matrix) (*ExpAt, error) {
	if !a.IsExact() {
		return nil, noClosedForm("diagonalisation")
	}
	eig, err := linalg.Eig(a)
	if err != nil {
		return nil, fmt.Errorf("diagonalisation: %w", err)
	}
	if !eig.Exact || !eig.Diagonalizable() {
		return nil, fmt.Errorf("diagonalisation: %w", ErrNotDiagonalizable)
	}
	u, lams, err := eigenBasis(eig)
	if err != nil {
		return nil, err
	}
	ui, err := linalg.Inv(u)
	if err != nil {
		return nil, fmt.Errorf("diagonalisation: %w", err)
	}
	n := len(lams)
	entries := make([][]ExpPoly, n)
	for i := 0; i < n; i++ {
		entries[i] = make([]ExpPoly, n)
		for j := 0; j < n; j++ {
			var terms []Term
			for k := 0; k < n; k++ {
				x, _ := u.RatAt(i, k)
				y, _ := ui.RatAt(k, j)
				terms = append(terms, Term{Coef: RatSurd(x.Mul(x, y)), Rate: RatSurd(lams[k])})
			}
			entries[i][j] = newExpPoly(terms)
		}
	}
	e := &ExpAt{A: a, Entries: entries, Method: Diagonalisation}
	if sp, err := analyse(a); err == nil {
		e.Steps = append(e.Steps, polyStep(sp, a), rootsStep(sp))
	}
	diagL := make([]string, len(lams))
	diagP := make([]string, len(lams))
	expP := make([]string, len(lams))
	expL := make([]string, len(lams))
	for k, l := range lams {
		diagP[k] = l.RatString()
		diagL[k] = linalg.RatLaTeX(l)
		one := ExpPoly{Terms: []Term{{Coef: RatSurd(big.NewRat(1, 1)), Rate: RatSurd(l)}}}
		expP[k] = one.String()
		expL[k] = one.LaTeX()
	}
	e.Steps = append(e.Steps, Step{
		Title: "diagonalisation",
		Plain: fmt.Sprintf("A = U*Λ*inv(U) with the eigenvectors as the columns of U = %s, Λ = diag([%s]), inv(U) = %s", u, strings.Join(diagP, "; "), ui),
		LaTeX: fmt.Sprintf(`A = U \Lambda U^{-1},\quad U = %s,\ \Lambda = \operatorname{diag}(%s),\ U^{-1} = %s`, u.LaTeX(), strings.Join(diagL, ", "), ui.LaTeX()),
	}, Step{
		Title: "matrix exponential",
		Plain: fmt.Sprintf("expm(A*t) = U*diag([%s])*inv(U) = %s", strings.Join(expP, "; "), e),
		LaTeX: fmt.Sprintf(`{\rm e}^{At} = U \operatorname{diag}(%s) U^{-1} = %s`, strings.Join(expL, ", "), e.LaTeX()),
	})
	chk, err := e.verify()
	if err != nil {
		return nil, err
	}
	e.Steps = append(e.Steps, chk)
	return e, nil
}

// eigenBasis returns the eigenvectors of an exact diagonalisable
// decomposition as the columns of U, with their eigenvalues.
func eigenBasis(eig *linalg.Eigen) (*linalg.Matrix, []*big.Rat, error) {
	var cols []*linalg.Matrix
	var lams []*big.Rat
	for _, s := range eig.Spaces {
		_, g := s.Vectors.Dims()
		for k := 0; k < g; k++ {
			r, _ := s.Vectors.Dims()
			col := make([]*big.Rat, r)
			for i := range col {
				col[i], _ = s.Vectors.RatAt(i, k)
			}
			v, err := linalg.NewRat(r, 1, col)
			if err != nil {
				return nil, nil, err
			}
			cols = append(cols, v)
			lams = append(lams, s.Rat)
		}
	}
	n := len(cols)
	data := make([]*big.Rat, n*n)
	for j, c := range cols {
		for i := 0; i < n; i++ {
			data[i*n+j], _ = c.RatAt(i, 0)
		}
	}
	u, err := linalg.NewRat(n, n, data)
	if err != nil {
		return nil, nil, err
	}
	return u, lams, nil
}

// PutzerStep is one stage j of Putzer's algorithm: the eigenvalue λⱼ,
// the matrix Pⱼ₋₁ = Πₖ₍ₖ<ⱼ₎(A − λₖI) and the function rⱼ(t), as text.
// When A has complex eigenvalues, Pⱼ and rⱼ are complex (i is the
// imaginary unit); the sum e^{At} = Σ rⱼ₊₁(t)Pⱼ is real.
type PutzerStep struct {
	Lambda, LambdaLaTeX string
	P, PLaTeX           string
	R, RLaTeX           string
}

// Putzer is the outcome of Putzer's algorithm. Exp.Steps is its
// derivation.
type Putzer struct {
	// Eigenvalues lists λ₁ … λₙ in the order used, as text.
	Eigenvalues []string
	Steps       []PutzerStep
	// Exp is e^{At} in real form.
	Exp *ExpAt
}

// PutzerExp computes e^{At} by Putzer's algorithm (Putzer 1966, the
// course text's Document 5): with the eigenvalues λ₁ … λₙ of A (repeated
// as often as their multiplicity),
//
//	e^{At} = Σⱼ₌₀ⁿ⁻¹ rⱼ₊₁(t)·Pⱼ,  P₀ = I,  Pⱼ = Pⱼ₋₁(A − λⱼI),
//	ṙ₁ = λ₁r₁, r₁(0) = 1,  ṙⱼ = λⱼrⱼ + rⱼ₋₁, rⱼ(0) = 0.
//
// No Jordan form is needed, so repeated eigenvalues (t·e^{λt} terms) and
// complex ones (e^{αt}cos βt, e^{αt}sin βt) work. The arithmetic is exact
// in Q(√d) when the eigenvalues are rational or one conjugate pair
// α ± γ√d (possibly repeated) besides rational ones; any other spectrum,
// or a float matrix, is an error wrapping ErrNoClosedForm.
func PutzerExp(a *linalg.Matrix) (*Putzer, error) {
	sp, err := analyse(a)
	if err != nil {
		return nil, err
	}
	f := sp.field
	n := len(sp.values)
	am := kFromMatrix(a)
	p := kIdentity(n)
	var r kexp
	out := &Putzer{}
	acc := make([][]kexp, n)
	for i := range acc {
		acc[i] = make([]kexp, n)
	}
	for j := 0; j < n; j++ {
		lam := sp.values[j]
		if j == 0 {
			r = kexp{{0, lam, kInt(1)}}
		} else {
			p = f.mulMat(p, am.shift(sp.values[j-1]))
			r = f.convolve(lam, r)
		}
		for x := 0; x < n; x++ {
			for y := 0; y < n; y++ {
				if p[x][y].isZero() {
					continue
				}
				acc[x][y] = f.addExp(acc[x][y], f.scaleExp(p[x][y], r))
			}
		}
		// Alone in a list, an eigenvalue needs no parentheses: 1/2 + 1/2*sqrt(5).
		out.Eigenvalues = append(out.Eigenvalues, unparen(f.text(lam, false), "(", ")"))
		out.Steps = append(out.Steps, PutzerStep{
			Lambda: unparen(f.text(lam, false), "(", ")"), LambdaLaTeX: unparen(f.text(lam, true), "(", ")"),
			P: f.matText(p, false), PLaTeX: f.matText(p, true),
			R: f.expText(r, false), RLaTeX: f.expText(r, true),
		})
	}
	// Cayley–Hamilton: Pₙ = Pₙ₋₁(A − λₙI) = 0.
	last := f.mulMat(p, am.shift(sp.values[n-1]))
	for _, row := range last {
		for _, x := range row {
			if !x.isZero() {
				return nil, errors.New("Putzer: Pₙ ≠ 0, the eigenvalues are wrong (a bug)")
			}
		}
	}
	entries := make([][]ExpPoly, n)
	for x := range entries {
		entries[x] = make([]ExpPoly, n)
		for y := range entries[x] {
			if entries[x][y], err = f.real(acc[x][y]); err != nil {
				return nil, err
			}
		}
	}
	out.Exp = &ExpAt{A: a, Entries: entries, Method: PutzerMethod}
	out.Exp.Steps = append([]Step{polyStep(sp, a), rootsStep(sp)}, putzerSteps(out, sp)...)
	chk, err := out.Exp.verify()
	if err != nil {
		return nil, err
	}
	out.Exp.Steps = append(out.Exp.Steps, chk)
	return out, nil
}

// Expm returns the closed form of e^{At}: by diagonalisation when A has
// rational eigenvalues and a basis of eigenvectors, by Putzer's algorithm
// when the eigenvalues lie in one field Q(√d), by spectral projectors
// when the characteristic polynomial splits into powers of rational
// linear factors and distinct rational quadratics. A float matrix, or a spectrum outside one field Q(√d), is an
// error wrapping ErrNoClosedForm: use NumericExpm for values.
func Expm(a *linalg.Matrix) (*ExpAt, error) {
	e, err := Diagonalize(a)
	if err == nil {
		return e, nil
	}
	if !errors.Is(err, ErrNotDiagonalizable) {
		return nil, err
	}
	p, err := PutzerExp(a)
	if err == nil {
		return p.Exp, nil
	}
	if !errors.Is(err, ErrNoClosedForm) || !a.IsExact() {
		return nil, err
	}
	return SpectralExp(a)
}

// NumericExpm returns e^{At} at one t in float64 (scaling and squaring
// with Padé, through linalg.Expm): the fallback for matrices without an
// exact closed form.
func NumericExpm(a *linalg.Matrix, t float64) (*linalg.Matrix, error) {
	at, err := linalg.Mul(linalg.Float(t), a)
	if err != nil {
		return nil, err
	}
	return linalg.Expm(at)
}

// text renders a field element: plain "(1 + 2*i)", "-5", "sqrt(3)"; or
// LaTeX.
func (f kfield) text(x knum, latex bool) string {
	a := ratText(x.a, latex)
	if x.b.Sign() == 0 {
		return a
	}
	w := f.omega(latex)
	var b string
	switch {
	case x.b.Cmp(big.NewRat(1, 1)) == 0:
		b = w
	case x.b.Cmp(big.NewRat(-1, 1)) == 0:
		b = "-" + w
	default:
		if latex {
			b = ratText(x.b, true) + w
		} else {
			b = ratText(x.b, false) + "*" + w
		}
	}
	if x.a.Sign() == 0 {
		return b
	}
	if strings.HasPrefix(b, "-") {
		return "(" + a + " - " + b[1:] + ")"
	}
	return "(" + a + " + " + b + ")"
}

// omega renders ω: i, sqrt(3)*i, sqrt(5).
func (f kfield) omega(latex bool) string {
	d := f.d.Num().Int64()
	switch {
	case d == -1:
		return "i"
	case d < 0 && latex:
		return fmt.Sprintf(`\sqrt{%d}\,i`, -d)
	case d < 0:
		return fmt.Sprintf("sqrt(%d)*i", -d)
	case latex:
		return fmt.Sprintf(`\sqrt{%d}`, d)
	}
	return fmt.Sprintf("sqrt(%d)", d)
}

func ratText(r *big.Rat, latex bool) string {
	if latex {
		return linalg.RatLaTeX(r)
	}
	return r.RatString()
}

func (f kfield) matText(m kmat, latex bool) string {
	cells := make([][]string, len(m))
	for i, row := range m {
		cells[i] = make([]string, len(row))
		for j, x := range row {
			cells[i][j] = f.text(x, latex)
		}
	}
	return gridText(cells, latex)
}

// expText renders Σ c·t^k·e^{λt} over the field.
func (f kfield) expText(x kexp, latex bool) string {
	if len(x) == 0 {
		return "0"
	}
	var b strings.Builder
	for i, t := range x {
		c := t.c
		// Negative: a < 0 alone or b < 0 alone (a + bω with both shows in
		// parentheses, after a +).
		neg := (c.b.Sign() == 0 && c.a.Sign() < 0) || (c.a.Sign() == 0 && c.b.Sign() < 0)
		if neg {
			c = c.neg()
		}
		var fs []string
		if !c.equal(kInt(1)) {
			fs = append(fs, f.text(c, latex))
		}
		if t.k > 0 {
			fs = append(fs, tPower("t", t.k, latex))
		}
		if !t.lam.isZero() {
			l := lamCoef(f.text(t.lam, latex))
			if latex {
				fs = append(fs, fmt.Sprintf(`{\rm e}^{%st}`, l))
			} else if l == "" || l == "-" {
				fs = append(fs, fmt.Sprintf("exp(%st)", l))
			} else {
				fs = append(fs, fmt.Sprintf("exp(%s*t)", l))
			}
		}
		writeTerm(&b, i, neg, fs, latex)
	}
	return b.String()
}

// MatrixText renders a matrix of exponential polynomials in t as a
// matcalc literal ("[4/3*exp(t) - 1/3*exp(-5*t), …; …]") or a LaTeX
// bmatrix.
func MatrixText(entries [][]ExpPoly, latex bool) string {
	cells := make([][]string, len(entries))
	for i, row := range entries {
		cells[i] = make([]string, len(row))
		for j, p := range row {
			cells[i][j] = p.Text("t", latex)
		}
	}
	return gridText(cells, latex)
}

// String renders e^{At} as a matcalc literal in t.
func (e *ExpAt) String() string { return MatrixText(e.Entries, false) }

// LaTeX renders e^{At} as a bmatrix.
func (e *ExpAt) LaTeX() string { return MatrixText(e.Entries, true) }

// lamCoef drops a coefficient 1 in front of t in LaTeX: e^{t}, e^{-t}.
func lamCoef(l string) string {
	switch l {
	case "1":
		return ""
	case "-1":
		return "-"
	}
	return l
}

// Render joins steps into one display: plain text with one "title: …" line per step, and
// LaTeX as an array of \text{title} & step rows (MathJax-ready, no delimiters). When the
// titles' column and the widest step would not fit a notebook's column (about 900 px,
// estimated by expr.TeXWidth), each step is a row of its own instead: the title and the
// step on one line where they fit, else the step on the line under its title, indented.
func Render(steps []Step) (plain, latex string) {
	var p []string
	var titleW, stepW float64
	for _, s := range steps {
		p = append(p, s.Title+": "+s.Plain)
		if s.LaTeX != "" {
			titleW = max(titleW, textWidth(s.Title))
			stepW = max(stepW, expr.TeXWidth(s.LaTeX))
		}
	}
	var l []string
	wide := titleW+stepW > renderColumn
	for _, s := range steps {
		if s.LaTeX == "" {
			continue
		}
		title := `\text{` + expr.TeXText(s.Title) + `:}`
		switch {
		case !wide:
			l = append(l, title+` & `+s.LaTeX)
		case textWidth(s.Title)+expr.TeXWidth(s.LaTeX) <= renderColumn:
			l = append(l, title+`\ `+s.LaTeX)
		default:
			l = append(l, title+` \\ \qquad `+s.LaTeX)
		}
	}
	if wide {
		return strings.Join(p, "\n"), `\begin{array}{l} ` + strings.Join(l, ` \\[4pt] `) + ` \end{array}`
	}
	return strings.Join(p, "\n"), `\begin{array}{ll} ` + strings.Join(l, ` \\[4pt] `) + ` \end{array}`
}

// renderColumn is a notebook's content column in expr.TeXWidth's units (about 900 px).
const renderColumn = 78

// textWidth is the width of a title in expr.TeXWidth's units (text is narrower than math).
func textWidth(s string) float64 { return 0.65 * float64(len([]rune(s))+2) }
