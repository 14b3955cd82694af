package ode

import (
	"math/big"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
)

// TestExpLaTeXAgreesWithExpr: the exponentials of an ODE's steps and of a
// value (package expr, as in E = expm(A*t)) are written alike, {\rm e}^{…}
// (no \mathrm: a string macro of MathJax 2.7), up to spaces.
func TestExpLaTeXAgreesWithExpr(t *testing.T) {
	tv := expr.ScalarSymbol("t")
	for _, tt := range []struct {
		r    *big.Rat
		want string
	}{
		{big.NewRat(1, 1), `{\rm e}^{t}`},
		{big.NewRat(-1, 1), `{\rm e}^{-t}`},
		{big.NewRat(-5, 1), `{\rm e}^{-5t}`},
		{big.NewRat(3, 2), `{\rm e}^{\frac{3}{2}t}`},
	} {
		got := callText("exp", RatSurd(tt.r), "t", true)
		if got != tt.want {
			t.Errorf("ode: e^(%s t) = %s, want %s", tt.r.RatString(), got, tt.want)
		}
		arg, err := expr.Mul(expr.NewConst(tt.r), tv)
		if err != nil {
			t.Fatal(err)
		}
		e, err := expr.Apply("exp", arg)
		if err != nil {
			t.Fatal(err)
		}
		if strip := func(s string) string { return strings.ReplaceAll(s, " ", "") }; strip(e.LaTeX()) != strip(got) {
			t.Errorf("expr writes %s, ode %s", e.LaTeX(), got)
		}
	}
}
