// Package expr is matcalc's symbolic matrix expressions: immutable nodes
// with a shape (symbolic dimensions such as n, 3 or m*n) and an optional
// source span, kept in a normal form so that equal expressions have equal
// keys, and rendered as plain text that is valid matcalc input (x'*A*x,
// inv(X), tr(…), [a, b; c, d]) and as LaTeX (x^{T} A x, X^{-1}, X^{-T},
// \operatorname{tr}, bmatrix).
//
// # Building (for the interpreter)
//
// Declare symbols with NewSymbol (or ScalarSymbol, VectorSymbol,
// MatrixSymbol) and combine them only through the constructors, which
// check shapes and return a *ShapeError naming both operands:
//
//	A := expr.MatrixSymbol("A", expr.Named("n"), expr.Named("n"), 0)
//	x := expr.VectorSymbol("x", expr.Named("n"))
//	Ax, err := expr.Mul(A, x)            // A*x
//	f, err := expr.Mul(expr.T(x), Ax)    // x'*A*x
//
// The language's forms map to constructors: + and - to Add, Sub, Neg (a
// scalar added to a matrix adds to every entry); * to Mul (a 1×1 operand
// is a scalar factor); / by a scalar to Div; ' and ^T to T; inv and ^-1 to
// Inv; X^k to Pow; .* ./ .^ to Hadamard, HadamardDiv, ElemPow; tr det
// logdet to Tr, Det, LogDet; the elementwise functions of package
// builtin's table (exp, log, tanh, sigmoid, …) to Apply; <a, b> and dot to Inner; norm to Norm; sum to SumEntries; diag to
// Diag (vector → matrix, square matrix → vector); vec, kron to Vec, Kron;
// I, eye, zeros, ones to Eye, ZerosOf, OnesOf; a literal [a b; c d] to
// Matrix; numbers to NewConst, IntConst, RatConst. WithSpan attaches a
// source position to a built node.
//
// # Normal form
//
// Transposes are pushed to the leaves ((AB)ᵀ = BᵀAᵀ, (A + B)ᵀ = Aᵀ + Bᵀ);
// symmetric symbols, scalars, I and diag(v) absorb ᵀ; (X⁻¹)ᵀ is the leaf
// X⁻ᵀ. Sums and products are flattened; rational constants fold into the
// coefficients of a Sum (2A is a Sum of one term with coefficient 2); the
// 1×1 factors of a product are pulled in front, sorted; like terms are
// collected with exact big.Rat coefficients; X·X = X², X·X⁻¹ = I. Sums
// are not distributed (Expand does that) and products of matrices are
// never reordered.
//
// # Walking (for numeric evaluation)
//
// Switch on the concrete type, as with go/ast, and read the operands
// through the accessor methods:
//
//	switch n := n.(type) {
//	case *expr.Symbol:       // n.Name(), n.Shape(), n.Props()
//	case *expr.Const:        // n.Value() *big.Rat
//	case *expr.Sum:          // n.Terms(): []Term{Coef, X}
//	case *expr.Product:      // n.Scalars() (1×1, commute), then n.Chain() in order
//	case *expr.Transpose:    // n.X()
//	case *expr.Inverse:      // n.X()
//	case *expr.PseudoInverse: // n.X()
//	case *expr.Trace, *expr.Determinant, *expr.LogDeterminant, *expr.EntrySum: // X()
//	case *expr.Func:         // n.Name() (see FuncNames), n.X(), entrywise
//	case *expr.HadamardProduct: // n.Factors(), entrywise product
//	case *expr.Power:        // n.X().^n.Exp(), entrywise (scalar power for 1×1)
//	case *expr.MatPow:       // n.X()^n.K(), matrix power, K ≥ 2
//	case *expr.DiagMatrix:   // n.X() vector → diagonal matrix
//	case *expr.DiagPart:     // n.X() square matrix → its diagonal
//	case *expr.Vectorize:    // n.X() columns stacked
//	case *expr.KronProduct:  // n.A() ⊗ n.B()
//	case *expr.Identity, *expr.Zeros, *expr.Ones: // by n.Shape()
//	case *expr.Literal:      // n.Rows() of scalar entries
//	case *expr.Differential: // n.Of() symbol, n.Index(): a direction dX
//	}
//
// Kind gives the same information as a small integer, Children the
// operands in order, Rebuild a node of the same kind from new operands,
// Map and Substitute rewrite whole trees.
package expr
