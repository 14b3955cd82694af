// Package diff differentiates symbolic matrix expressions (package expr)
// the way the course text does — by rules on whole matrices, bringing the
// differential to canonical form and reading the derivative off it — and
// records every step with the rule that justifies it.
//
// # Entry points (for the interpreter)
//
//	d, err := diff.Differential(f, vars, opts) // d(f), d(f, X): df with every step
//	d, err := diff.Grad(f, x, opts)            // grad(f, x): scalar f, gradient of x's shape
//	d, err := diff.Jacobian(F, x, opts)        // jacobian(F, x): dF = J dx; d vec F = J d vec X for matrices
//	d, err := diff.Hessian(f, x, opts)         // hessian(f, x): d²f = dx₂ᵀ H dx₁; vec(dX₂)ᵀ H vec(dX₁)
//	d, err := diff.D2(f, X, opts)              // d2(f, X): the second differential, bilinear
//	v, err := diff.CheckGrad(f, x, G, opts)    // check(grad(f, x) == G): a *Verdict
//	v, err := diff.CheckDifferential(f, vars, D, opts) // check(d(f) == D)
//	d, err := diff.Components(f, x, 3)         // the formula coordinate by coordinate
//	src, err := diff.Code(d, "numpy")          // a derivation as a ready function (numpy, gonum)
//	src, err := diff.CodeExpr("g", g, "gonum") // any expression as a ready function
//
// Each returns a *Derivation: Steps() (each with its RuleID, rendered plain
// and LaTeX when first asked for: deriving renders nothing), Result (the answer as an expr.Node, whose String is valid
// matcalc input), Differential, and Notes (the conventions used, such as
// the symmetric gradient). Derivation.Plain and Derivation.LaTeX render the
// whole derivation (LaTeX as an aligned environment, the rule named beside
// each line); Derivation.Verify proves the result by central finite
// differences (package numeric).
//
// Errors: ErrTensor (wrapped) when the derivative asked for has no matrix
// form (the Hessian of a non-scalar); ErrTooLarge
// (wrapped) when a derivation would exceed Options.MaxSteps or MaxSize.
// Nothing a user can type makes this package panic or run unbounded.
//
// # Rules
//
// Every rule the engine applies is in the table returned by Rules (file
// rules.go): its name and formula in LaTeX and plain text. That table is
// what a teacher reviews.
package diff
