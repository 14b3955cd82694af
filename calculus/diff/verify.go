package diff

import (
	"fmt"

	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/numeric"
)

// Verify checks the derivation's result against central finite
// differences on random data that honours the declared properties
// (package numeric), and returns the report: Report.OK tells whether the
// result passed, Report.String gives the measured relative error.
func (d *Derivation) Verify(opts *numeric.Options) (*numeric.Report, error) {
	if d == nil || d.Result == nil || len(d.Vars) == 0 {
		return nil, fmt.Errorf("nothing to verify")
	}
	var rep *numeric.Report
	var err error
	switch d.What {
	case "gradient":
		g := d.Result
		if d.Layout == Numerator && !d.Vars[0].Shape().IsScalar() {
			g = expr.T(g)
		}
		rep, err = numeric.CheckGradient(d.F, d.Vars[0], g, opts)
	case "differential":
		rep, err = numeric.CheckDifferential(d.F, d.Result, d.Vars, opts)
	case "jacobian":
		if !d.F.Shape().Cols.IsOne() || !d.Vars[0].Shape().Cols.IsOne() {
			rep, err = checkVecJacobian(d.F, d.Vars[0], d.Result, opts)
			break
		}
		rep, err = numeric.CheckJacobian(d.F, d.Vars[0], d.Result, opts)
	case "hessian":
		if !d.Vars[0].Shape().Cols.IsOne() {
			rep, err = checkVecHessian(d.F, d.Vars[0], d.Result, opts)
			break
		}
		rep, err = numeric.CheckHessian(d.F, d.Vars[0], d.Result, opts)
	case "second differential":
		rep, err = numeric.CheckSecondDifferential(d.F, d.Result, d.Vars, opts)
	default:
		return nil, fmt.Errorf("cannot verify a %s", d.What)
	}
	if err != nil {
		return nil, fmt.Errorf("verifying the %s of %s: %w", d.What, d.F, err)
	}
	return rep, nil
}

// checkVecJacobian checks d vec(F) = J d vec(X) against central finite
// differences of vec(F) along random directions.
func checkVecJacobian(F expr.Node, x *expr.Symbol, J expr.Node, opts *numeric.Options) (*numeric.Report, error) {
	vf, err := expr.Vec(F)
	if err != nil {
		return nil, err
	}
	vdx, err := expr.Vec(expr.D(x))
	if err != nil {
		return nil, err
	}
	jd, err := expr.Mul(J, vdx)
	if err != nil {
		return nil, err
	}
	return numeric.CheckDifferential(vf, jd, []*expr.Symbol{x}, opts)
}

// checkVecHessian checks d²f = vec(dX₂)ᵀ H vec(dX₁) against mixed
// central second differences of f.
func checkVecHessian(f expr.Node, x *expr.Symbol, H expr.Node, opts *numeric.Options) (*numeric.Report, error) {
	v1, err := expr.Vec(expr.DN(x, 1))
	if err != nil {
		return nil, err
	}
	v2, err := expr.Vec(expr.DN(x, 2))
	if err != nil {
		return nil, err
	}
	form, err := expr.Mul(expr.T(v2), H, v1)
	if err != nil {
		return nil, err
	}
	return numeric.CheckSecondDifferential(f, form, []*expr.Symbol{x}, opts)
}
