package ode

import (
	"fmt"
	"math"
	"math/big"
	"strings"

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
		return nil, fmt.Errorf("ode: stability of a %d×%d matrix: %w", n, c, linalg.ErrNotSquare)
	}
	if b != nil {
		if r, c := b.Dims(); r != n || c != 1 {
			return nil, fmt.Errorf("ode: b is %d×%d, want %d×1: %w", r, c, n, linalg.ErrShape)
		}
	}
	st := &Stability{}
	if b != nil {
		st.Steps = append(st.Steps, steadyStep(a, b, st))
	}
	if sp, err := analyse(a); err == nil {
		if err := exactStability(a, sp, st); err != nil {
			return nil, err
		}
	} else if err := floatStability(a, st); err != nil {
		return nil, err
	}
	if n == 2 {
		st.Steps = append(st.Steps, traceDetStep(a, st))
	}
	conclusion := fmt.Sprintf("the system is %s", st.Verdict)
	if st.SteadyState != nil && st.Verdict == Stable {
		conclusion += fmt.Sprintf(": every solution tends to x* = %s", st.SteadyState)
	}
	st.Steps = append(st.Steps, Step{Title: "verdict", Plain: conclusion, LaTeX: `\text{` + latexEscape(conclusion) + `}`})
	return st, nil
}

func latexEscape(s string) string {
	return strings.NewReplacer("*", `{*}`, "_", `\_`, "^", `\^{}`, "&", `\&`, "%", `\%`, "#", `\#`).Replace(s)
}

func steadyStep(a, b *linalg.Matrix, st *Stability) Step {
	ai, err := linalg.Inv(a)
	if err != nil {
		return Step{
			Title: "steady state",
			Plain: "A is singular: there is no unique steady state x* (ẋ = 0 has no solution or infinitely many)",
			LaTeX: `\det A = 0: \text{ no unique steady state}`,
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
		LaTeX: fmt.Sprintf(`\dot{x}^{*} = 0 \Rightarrow x^{*} = -A^{-1}b = %s,\quad \tfrac{d}{dt}(x - x^{*}) = A(x - x^{*})`, xs.LaTeX()),
	}
}

func exactStability(a *linalg.Matrix, sp *spectrum, st *Stability) error {
	st.Exact = true
	n, _ := a.Dims()
	var maxRe *big.Rat
	consider := func(r *big.Rat) {
		if maxRe == nil || r.Cmp(maxRe) > 0 {
			maxRe = r
		}
	}
	for _, r := range sp.roots {
		consider(r)
	}
	if sp.quad != nil {
		consider(sp.alpha)
	}
	st.MaxRealPart, _ = maxRe.Float64()
	var parts, partsL []string
	for i, r := range sp.roots {
		parts = append(parts, fmt.Sprintf("λ = %s (×%d)", r.RatString(), sp.mult[i]))
		partsL = append(partsL, fmt.Sprintf(`\lambda = %s\ (\times %d)`, linalg.RatLaTeX(r), sp.mult[i]))
	}
	if sp.quad != nil {
		pm := strings.Trim(sp.field.text(knum{sp.alpha, sp.gamma}, false), "()")
		pml := strings.Trim(sp.field.text(knum{sp.alpha, sp.gamma}, true), "()")
		parts = append(parts, fmt.Sprintf("λ = %s and its conjugate (×%d), real part %s", pm, sp.qmult, sp.alpha.RatString()))
		partsL = append(partsL, fmt.Sprintf(`\lambda = %s \text{ and conjugate } (\times %d),\ \operatorname{Re}\lambda = %s`, pml, sp.qmult, linalg.RatLaTeX(sp.alpha)))
	}
	switch maxRe.Sign() {
	case -1:
		st.Verdict = Stable
	case 1:
		st.Verdict = Unstable
	default:
		// Real part exactly 0: stable (bounded) iff semisimple.
		st.Verdict = Marginal
		for i, r := range sp.roots {
			if r.Sign() == 0 {
				rank, err := linalg.Rank(a)
				if err != nil {
					return err
				}
				if n-rank != sp.mult[i] {
					st.Verdict = Unstable
				}
			}
		}
		if sp.quad != nil && sp.alpha.Sign() == 0 && sp.qmult > 1 {
			// Q(A) = A² + pA + qI must have nullity 2m.
			a2, _ := linalg.Mul(a, a)
			pa, _ := linalg.Mul(linalg.Scalar(sp.quad[1]), a)
			id, _ := linalg.Eye(n)
			qi, _ := linalg.Mul(linalg.Scalar(sp.quad[0]), id)
			qa, _ := linalg.Add(a2, pa)
			qa, _ = linalg.Add(qa, qi)
			rank, err := linalg.Rank(qa)
			if err != nil {
				return err
			}
			if n-rank != 2*sp.qmult {
				st.Verdict = Unstable
			}
		}
	}
	st.Steps = append(st.Steps, polyStep(sp), Step{
		Title: "eigenvalues",
		Plain: fmt.Sprintf("%s; the largest real part is %s", strings.Join(parts, ", "), maxRe.RatString()),
		LaTeX: fmt.Sprintf(`%s;\quad \max \operatorname{Re}\lambda = %s`, strings.Join(partsL, ",\\ "), linalg.RatLaTeX(maxRe)),
	})
	return nil
}

func floatStability(a *linalg.Matrix, st *Stability) error {
	eig, err := linalg.Eig(a)
	if err != nil {
		return fmt.Errorf("ode: stability: %w", err)
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
	cmpText := func(v float64, pos, neg string) string {
		switch {
		case v > 0:
			return pos
		case v < 0:
			return neg
		}
		return "= 0"
	}
	ok := "both conditions hold"
	if !(t < 0 && d > 0) {
		ok = "the test fails"
	}
	return Step{
		Title: "trace and determinant",
		Plain: fmt.Sprintf("2×2: stable ⇔ tr A < 0 and det A > 0; here tr A = %s %s, det A = %s %s: %s; the phase portrait is a %s",
			tr, cmpText(t, "> 0", "< 0"), det, cmpText(d, "> 0", "< 0"), ok, st.Kind),
		LaTeX: fmt.Sprintf(`\operatorname{tr}A = %s,\ \det A = %s \;(\text{stable} \iff \operatorname{tr}A < 0,\ \det A > 0):\ \text{%s; %s}`,
			tr.LaTeX(), det.LaTeX(), ok, st.Kind),
	}
}
