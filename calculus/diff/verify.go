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
	occurs := false
	for _, v := range d.Vars {
		occurs = occurs || expr.Contains(d.F, v.Name())
	}
	if !occurs {
		return nil, fmt.Errorf("%s does not depend on %s: its derivative is 0, nothing to measure", d.F, d.Vars[0].Name())
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
		rep, err = numeric.CheckJacobian(d.F, d.Vars[0], d.Result, opts)
	case "hessian":
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
