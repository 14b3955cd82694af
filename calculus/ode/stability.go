package ode

import (
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
)

// Verdict classifies the equilibrium of ẋ = Ax + b.
type Verdict int

// The verdicts of CheckStability.
const (
	// Stable: every eigenvalue has a negative real part; every solution
	// tends to the steady state (asymptotically stable).
	Stable Verdict = iota
	// Marginal: the largest real part is 0 and those eigenvalues are
	// semisimple: solutions stay bounded but need not converge.
	Marginal
	// Unstable: some eigenvalue has a positive real part, or one on the
	// imaginary axis is defective (growth like t).
	Unstable
)

// String returns the verdict in words.
func (v Verdict) String() string {
	switch v {
	case Stable:
		return "asymptotically stable"
	case Marginal:
		return "stable but not asymptotically (marginal)"
	}
	return "unstable"
}

// Stability is the outcome of CheckStability.
type Stability struct {
	Verdict Verdict
	// MaxRealPart is the largest real part of an eigenvalue.
	MaxRealPart float64
	// Exact reports whether the real parts were decided exactly.
	Exact bool
	// SteadyState is x* = −A⁻¹b when b was given and A is invertible.
	SteadyState *linalg.Matrix
	// Kind names the phase portrait of a 2×2 system: "saddle", "stable
	// node", "unstable spiral", "center", …; empty for larger systems.
	Kind  string
	Steps []Step
}

// CheckStability decides the stability of ẋ = Ax + b (b may be nil) by
// the real parts of the eigenvalues of A, exactly when A is rational and
// its eigenvalues lie in one field Q(√d) (so that a real part of exactly
// 0 is recognised), numerically otherwise. With b it gives the steady
// state x* = −A⁻¹b and the deviation form; for a 2×2 matrix it also
// shows the trace/determinant test (stable ⇔ tr A < 0 and det A > 0) and
// names the kind of the phase portrait.
func CheckStability(a, b *linalg.Matrix) (*Stability, error) {
	n, c := a.Dims()
	if n != c {
		return nil, fmt.Errorf("stability of a %d×%d matrix: %w", n, c, linalg.ErrNotSquare)
	}
	if b != nil {
		if r, c := b.Dims(); r != n || c != 1 {
			return nil, fmt.Errorf("b is %d×%d, want %d×1: %w", r, c, n, linalg.ErrShape)
		}
	}
	st := &Stability{}
	if b != nil {
		st.Steps = append(st.Steps, steadyStep(a, b, st))
	}
	if f, ok := factorize(a); ok {
		if err := exactStability(a, f, st); err != nil {
			return nil, err
		}
	} else if err := floatStability(a, st); err != nil {
		return nil, err
	}
	if n == 2 {
		st.Steps = append(st.Steps, traceDetStep(a, st))
	}
	conclusion := fmt.Sprintf("the system is %s", st.Verdict)
	conclusionL := `\text{` + expr.TeXText(conclusion) + `}`
	if st.SteadyState != nil && st.Verdict == Stable {
		conclusion += fmt.Sprintf(": every solution tends to x* = %s", st.SteadyState)
		conclusionL = `\text{` + expr.TeXText(fmt.Sprintf("the system is %s: every solution tends to", st.Verdict)) + `}\ x^{*} = ` + st.SteadyState.LaTeX()
	}
	st.Steps = append(st.Steps, Step{Title: "verdict", Plain: conclusion, LaTeX: conclusionL})
	return st, nil
}

func steadyStep(a, b *linalg.Matrix, st *Stability) Step {
	ai, err := linalg.Inv(a)
	if err != nil {
		// Ax + b = 0 is solvable iff rank [A b] = rank A.
		ra, err1 := linalg.Rank(a)
		ab, err2 := augment(a, b)
		if err1 != nil || err2 != nil {
			return Step{Title: "steady state", Plain: "A is singular: there is no unique steady state x*", LaTeX: `\det A = 0: \text{ no unique steady state}`}
		}
		rab, err := linalg.Rank(ab)
		if err == nil && rab > ra {
			return Step{
				Title: "steady state",
				Plain: "A is singular and b is not in its range: no steady state, Ax + b = 0 has no solution, and solutions drift without bound; the verdict below is about A alone (how solutions move apart), as in the deviation form",
				LaTeX: `\det A = 0,\ \operatorname{rank}[A\ b] > \operatorname{rank}A:\ \text{no steady state; solutions drift without bound (the verdict is about } A \text{ alone)}`,
			}
		}
		return Step{
			Title: "steady state",
			Plain: "A is singular and b is in its range: infinitely many steady states (Ax + b = 0 has a line or more of solutions); the verdict below is about A alone",
			LaTeX: `\det A = 0,\ \operatorname{rank}[A\ b] = \operatorname{rank}A:\ \text{infinitely many steady states (the verdict is about } A \text{ alone)}`,
		}
	}
	xs, err := linalg.Mul(ai, b)
	if err != nil {
		return Step{Title: "steady state", Plain: err.Error()}
	}
	xs = linalg.Neg(xs)
	st.SteadyState = xs
	return Step{
		Title: "steady state",
		Plain: fmt.Sprintf("ẋ* = 0 ⇒ x* = -inv(A)*b = %s; in deviations from it, d/dt (x - x*) = A*(x - x*): stability is decided by A alone", xs),
		LaTeX: fmt.Sprintf(`\dot{x}^{*} = 0 \Rightarrow x^{*} = -A^{-1}b = %s,\quad \tfrac{{\rm d}}{{\rm d}t}(x - x^{*}) = A(x - x^{*})`, xs.LaTeX()),
	}
}

// factorization is the characteristic polynomial split into rational
// roots and irreducible rational quadratics, with multiplicities.
type factorization struct {
	poly  []*big.Rat
	roots []*big.Rat
	mult  []int
	quads [][]*big.Rat // λ² + pλ + s, lowest degree first
	qmult []int
}

// factorize splits the characteristic polynomial of an exact matrix;
// false when some factor is neither linear nor quadratic over Q.
func factorize(a *linalg.Matrix) (*factorization, bool) {
	if sp, err := analyse(a); err == nil {
		f := &factorization{poly: sp.poly, roots: sp.roots, mult: sp.mult}
		if sp.quad != nil {
			f.quads, f.qmult = [][]*big.Rat{sp.quad}, []int{sp.qmult}
		}
		return f, true
	}
	cf, err := factorCharPoly(a, "stability")
	if err != nil {
		return nil, false
	}
	f := &factorization{poly: cf.poly, roots: cf.roots, mult: cf.mult}
	if len(cf.rest) > 1 {
		quads, ok := factorQuadratics(cf.rest)
		if !ok {
			return nil, false
		}
		f.quads = quads
		for range quads {
			f.qmult = append(f.qmult, 1)
		}
	}
	return f, true
}

// KindPhrase puts an article before a kind of portrait that is a noun
// ("a saddle", "an unstable node"), not before "degenerate (a zero
// eigenvalue)".
func KindPhrase(kind string) string {
	switch {
	case strings.HasPrefix(kind, "degenerate ("):
		return kind
	case strings.HasPrefix(kind, "unstable"):
		return "an " + kind
	}
	return "a " + kind
}

// timesText is the multiplicity suffix " (×m)", empty for m = 1.
func timesText(m int, latex bool) string {
	switch {
	case m == 1:
		return ""
	case latex:
		return fmt.Sprintf(`\ (\times %d)`, m)
	}
	return fmt.Sprintf(" (×%d)", m)
}

func exactStability(a *linalg.Matrix, f *factorization, st *Stability) error {
	st.Exact = true
	n, _ := a.Dims()
	positive, zero := false, false
	semisimple := true
	st.MaxRealPart = math.Inf(-1)
	var parts, partsL []string
	for i, r := range f.roots {
		v, _ := r.Float64()
		st.MaxRealPart = math.Max(st.MaxRealPart, v)
		parts = append(parts, fmt.Sprintf("λ = %s%s", r.RatString(), timesText(f.mult[i], false)))
		partsL = append(partsL, fmt.Sprintf(`\lambda = %s%s`, linalg.RatLaTeX(r), timesText(f.mult[i], true)))
		switch r.Sign() {
		case 1:
			positive = true
		case 0:
			zero = true
			rank, err := linalg.Rank(a)
			if err != nil {
				return err
			}
			if n-rank != f.mult[i] {
				semisimple = false
			}
		}
	}
	for i, q := range f.quads {
		// λ² + pλ + s: α = −p/2, disc = α² − s.
		alpha := new(big.Rat).Mul(q[1], big.NewRat(-1, 2))
		disc := new(big.Rat).Mul(alpha, alpha)
		disc.Sub(disc, q[0])
		af, _ := alpha.Float64()
		df, _ := disc.Float64()
		m := f.qmult[i]
		if disc.Sign() < 0 {
			st.MaxRealPart = math.Max(st.MaxRealPart, af)
			// α ± γω with ω² = d < 0, from disc = (γ²)·d.
			sq, d := squarefree(new(big.Int).Mul(disc.Num(), disc.Denom()))
			fld := kfield{d: new(big.Rat).SetInt(d)}
			gamma := new(big.Rat).SetFrac(sq, disc.Denom())
			pair := func(latex bool) string {
				sep := ", "
				if latex {
					sep = `,\ `
				}
				return unparen(fld.text(knum{alpha, gamma}, latex), "(", ")") + sep +
					unparen(fld.text(knum{alpha, new(big.Rat).Neg(gamma)}, latex), "(", ")")
			}
			parts = append(parts, fmt.Sprintf("λ = %s (the roots of %s = 0%s), real part %s", pair(false), polyText(q, false), timesText(m, false), alpha.RatString()))
			partsL = append(partsL, fmt.Sprintf(`\lambda = %s\ (%s = 0%s):\ \operatorname{Re}\lambda = %s`, pair(true), polyText(q, true), timesText(m, true), linalg.RatLaTeX(alpha)))
			switch alpha.Sign() {
			case 1:
				positive = true
			case 0:
				zero = true
				if m > 1 {
					// Q(A) = A² + pA + sI must have nullity 2m.
					qa, err := polyAt(q, a)
					if err != nil {
						return err
					}
					rank, err := linalg.Rank(qa)
					if err != nil {
						return err
					}
					if n-rank != 2*m {
						semisimple = false
					}
				}
			}
			continue
		}
		// Two real irrational roots α ± √disc: the larger is positive
		// when α ≥ 0 or s < 0 (roots of opposite signs).
		st.MaxRealPart = math.Max(st.MaxRealPart, af+math.Sqrt(df))
		if alpha.Sign() >= 0 || q[0].Sign() < 0 {
			positive = true
		}
		parts = append(parts, fmt.Sprintf("two real roots of %s = 0%s, the larger %.6g", polyText(q, false), timesText(m, false), af+math.Sqrt(df)))
		partsL = append(partsL, fmt.Sprintf(`%s = 0%s:\ \lambda_{\max} \approx %s`, polyText(q, true), timesText(m, true), linalg.FloatLaTeX(af+math.Sqrt(df), 6)))
	}
	switch {
	case positive:
		st.Verdict = Unstable
	case zero && semisimple:
		st.Verdict = Marginal
	case zero:
		st.Verdict = Unstable
	default:
		st.Verdict = Stable
	}
	maxText := linalg.FormatFloat(st.MaxRealPart, 6)
	st.Steps = append(st.Steps, Step{
		Title: "characteristic polynomial",
		Plain: fmt.Sprintf("det(A - λI) = 0 ⇔ %s = 0", polyText(f.poly, false)),
		LaTeX: fmt.Sprintf(`\det(A - \lambda I) = 0 \;\Longleftrightarrow\; %s = 0`, polyText(f.poly, true)),
	}, Step{
		Title: "eigenvalues",
		Plain: fmt.Sprintf("%s; the largest real part is %s", strings.Join(parts, ", "), maxText),
		LaTeX: fmt.Sprintf(`%s;\quad \max \operatorname{Re}\lambda = %s`, strings.Join(partsL, ",\\ "), linalg.FloatLaTeX(st.MaxRealPart, 6)),
	})
	if zero && !semisimple {
		st.Steps = append(st.Steps, Step{
			Title: "boundary",
			Plain: "an eigenvalue on the imaginary axis is defective (too few eigenvectors): solutions grow like t",
			LaTeX: `\text{a defective eigenvalue on the imaginary axis: solutions grow like } t`,
		})
	}
	return nil
}

func floatStability(a *linalg.Matrix, st *Stability) error {
	eig, err := linalg.Eig(a)
	if err != nil {
		return fmt.Errorf("stability: %w", err)
	}
	maxRe := math.Inf(-1)
	var parts []string
	for _, s := range eig.Spaces {
		maxRe = math.Max(maxRe, real(s.Value))
		parts = append(parts, fmt.Sprintf("%.6g", s.Value))
	}
	st.MaxRealPart = maxRe
	norm, err := linalg.Norm(a)
	if err != nil {
		return err
	}
	tol := 1e-10 * math.Max(1, norm.Value())
	switch {
	case maxRe < -tol:
		st.Verdict = Stable
	case maxRe > tol:
		st.Verdict = Unstable
	default:
		st.Verdict = Marginal
	}
	note := ""
	if st.Verdict == Marginal {
		note = " (zero to working precision: the float verdict is not reliable at the boundary)"
	}
	st.Steps = append(st.Steps, Step{
		Title: "eigenvalues",
		Plain: fmt.Sprintf("numerically (float64): λ = %s; the largest real part is %.6g%s", strings.Join(parts, ", "), maxRe, note),
		LaTeX: fmt.Sprintf(`\text{numerically: } \max \operatorname{Re}\lambda = %s`, linalg.FloatLaTeX(maxRe, 6)),
	})
	return nil
}

// traceDetStep shows the 2×2 test and names the portrait.
func traceDetStep(a *linalg.Matrix, st *Stability) Step {
	tr, _ := linalg.Trace(a)
	det, _ := linalg.Det(a)
	t, d := tr.Value(), det.Value()
	disc := t*t - 4*d
	if tq, ok := tr.RatValue(); ok {
		if dq, ok := det.RatValue(); ok {
			ds := new(big.Rat).Mul(tq, tq)
			ds.Sub(ds, new(big.Rat).Mul(big.NewRat(4, 1), dq))
			disc = float64(ds.Sign())
			t, d = float64(tq.Sign()), float64(dq.Sign())
		}
	}
	switch {
	case d < 0:
		st.Kind = "saddle"
	case d == 0:
		st.Kind = "degenerate (a zero eigenvalue)"
	case t == 0 && disc < 0:
		st.Kind = "center"
	case disc < 0 && t < 0:
		st.Kind = "stable spiral"
	case disc < 0:
		st.Kind = "unstable spiral"
	case disc == 0 && t < 0:
		st.Kind = "stable degenerate node"
	case disc == 0:
		st.Kind = "unstable degenerate node"
	case t < 0:
		st.Kind = "stable node"
	default:
		st.Kind = "unstable node"
	}
	// sign compares a value with 0: "< 0", "> 0", or "= 0" followed by
	// the condition it misses ("not < 0").
	sign := func(v float64, want string) (plain, latex string) {
		switch {
		case v > 0:
			return "> 0", "> 0"
		case v < 0:
			return "< 0", "< 0"
		}
		return "(not " + want + ")", `\ (\text{not } ` + want + ")"
	}
	ts, tsL := sign(t, "< 0")
	ds, dsL := sign(d, "> 0")
	var ok, okL string
	switch {
	case t < 0 && d > 0:
		ok, okL = "both conditions hold", `\text{both conditions hold}`
	case t < 0:
		ok, okL = "det A > 0 fails", `\det A > 0 \text{ fails}`
	case d > 0:
		ok, okL = "tr A < 0 fails", `\operatorname{tr}A < 0 \text{ fails}`
	default:
		ok, okL = "both conditions fail", `\text{both conditions fail}`
	}
	return Step{
		Title: "trace and determinant",
		Plain: fmt.Sprintf("2×2: stable ⇔ tr A < 0 and det A > 0; here tr A = %s %s, det A = %s %s: %s; the phase portrait is %s",
			tr, ts, det, ds, ok, KindPhrase(st.Kind)),
		LaTeX: fmt.Sprintf(`\operatorname{tr}A = %s %s,\ \det A = %s %s \;(\text{stable} \;\Longleftrightarrow\; \operatorname{tr}A < 0,\ \det A > 0):\ %s\text{; %s}`,
			tr.LaTeX(), tsL, det.LaTeX(), dsL, okL, st.Kind),
	}
}
