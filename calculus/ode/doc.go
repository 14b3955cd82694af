// Package ode solves linear matrix differential equations ẋ = Ax (+ b)
// with constant A the way the course text's Document 5 does, exactly
// where it can be done exactly.
//
//   - Expm, Diagonalize and PutzerExp give the closed form of e^{At} for a
//     rational A: an n×n matrix of exponential polynomials (ExpPoly: sums
//     of c·tᵏ·e^{rt}·cos/sin(ft) with exact coefficients). Diagonalisation
//     needs rational eigenvalues and a basis of eigenvectors; Putzer's
//     algorithm needs neither a basis nor a Jordan form, so repeated
//     eigenvalues (t·e^{λt}) and complex ones (e^{αt}cos βt, e^{αt}sin βt)
//     work. The arithmetic is exact in Q(√d): rational eigenvalues plus at
//     most one (possibly repeated) conjugate pair α ± γ√d; SpectralExp
//     adds several distinct quadratic factors by spectral projectors.
//     Anything else, or a float A, is ErrNoClosedForm; NumericExpm gives
//     values.
//   - Solve(A, b, x0) gives x(t) with the steps of the text: the system
//     written out, the steady state x* = −A⁻¹b and deviation form when b
//     is given, the characteristic polynomial, the eigenvalues, the
//     smallest-integer eigenvectors, the general solution Σ cᵢe^{λᵢt}uᵢ,
//     the constants from x(0), the result, and its check (substitution,
//     exactly, and a Runge–Kutta integration). Without a closed form the
//     solution is numeric, says so, and is checked numerically.
//     SolveAffine also takes a singular A with b (no unique steady state)
//     through the homogeneous system of z = [x; 1].
//   - CheckStability(A, b) decides stability by the real parts of the
//     eigenvalues (exactly when possible, so the boundary Re λ = 0 is
//     recognised), with the 2×2 trace/determinant test.
//
// Plots of these solutions live in package plots, so that the solver
// builds without a plotting library.
//
// Every result renders as plain text that is valid matcalc input
// (ExpPoly.String, ExpAt.String: "[4/3*exp(t) - 1/3*exp(-5*t), …]") and
// as LaTeX; ExpPoly.Node and ExpAt.Node build the same as package expr
// expressions in a scalar symbol t.
package ode
