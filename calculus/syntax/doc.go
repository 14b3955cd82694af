// Package syntax is the front end of matcalc's matrix language: positions,
// tokens, a scanner written as a state machine in the manner of
// text/template/parse, an AST with a position on every node in the manner
// of go/ast, and a recursive-descent parser with a list of errors in the
// manner of go/scanner.
//
// # Cells and statements
//
// A cell is a sequence of statements separated by newlines or ';'.
// Comments run from '#' to the end of the line. Newlines inside ( ) are
// ignored, and a newline after a binary operator, ',', ':' or '=' does not
// end the statement, so a long expression can be broken after an operator.
//
//	x, b : vector(n)                 # declaration (DeclStmt)
//	A : matrix(m, n) symmetric       # with properties
//	n = 3                            # assignment (AssignStmt)
//	layout numerator                 # command: a name and words (CommandStmt)
//	grad(x'*A*x, x)                  # bare expression (ExprStmt)
//
// # Expressions
//
// From the loosest to the tightest binding:
//
//	== != < > <= >=      comparison (one per expression, not chained)
//	+ -                  sum
//	* / .* ./            product
//	- +                  unary sign
//	^ .^                 power, right-associative; the exponent may carry a
//	                     sign (X^-1); X^T is a transpose
//	' ᵀ ⁻¹               postfix transpose and inverse
//	f(a, …)  ( )  [ ]  <a, b>  names and numbers
//
// In operand position '<' opens an inner product <a, b>; in operator
// position it compares. Inside <a, b> the first '>' at the top level closes
// the product, so a comparison there needs parentheses. Call arguments may
// be ranges lo..hi and named arguments t = 0..2. Numbers are written 3,
// 2.5, .5 or 1e-3; 2x is an error (write 2*x).
//
// # Matrix literals
//
// Rows are separated by ';' or newlines, entries by ',' or by spaces. A
// run of spaces separates two entries when the token before it can end an
// operand (a name, a number, ')', ']', a transpose, '>') and what follows
// can begin one (a name, a number, '(', '[', or a '+', '-' or '<' written
// against what follows it). So
//
//	[1 -2]     two entries: 1 and -2
//	[1 - 2]    one entry: -1 (a sign with spaces on both sides is binary)
//	[1-2]      one entry
//	[a' b']    two entries
//	[f(x) (y)] two entries
//
// Inside parentheses within a literal spaces never separate, so
// [(1 -2) 3] has two entries.
//
// # Errors
//
// Parse returns every statement it could read and an ErrorList with at
// most one error per statement, each at a line and column (in code
// points) with what was expected ("expected ')' to close '(' at 1:5").
// An error met at the end of the input is marked Incomplete, which is how
// IsComplete tells an unfinished cell from a wrong one. No input makes the
// parser panic or recurse without bound (expressions nest at most 500
// deep).
package syntax
