package expr_test

import (
	"fmt"

	"github.com/matcalc/matcalc/calculus/expr"
)

// Building x'*A*x through the constructors, as the package documentation
// shows: the plain text is valid matcalc input, the LaTeX typesets it.
func Example() {
	A := expr.MatrixSymbol("A", expr.Named("n"), expr.Named("n"), 0)
	x := expr.VectorSymbol("x", expr.Named("n"))
	Ax, err := expr.Mul(A, x) // A*x
	if err != nil {
		panic(err)
	}
	f, err := expr.Mul(expr.T(x), Ax) // x'*A*x
	if err != nil {
		panic(err)
	}
	fmt.Println(f, f.Shape())
	fmt.Println(f.LaTeX())
	// Output:
	// x'*A*x 1×1
	// x^{T} A x
}

// Shapes are checked when an expression is built.
func ExampleMul_shapeError() {
	A := expr.MatrixSymbol("A", expr.Named("m"), expr.Named("n"), 0)
	b := expr.VectorSymbol("b", expr.Named("m"))
	_, err := expr.Mul(A, b)
	fmt.Println(err)
	// Output:
	// cannot multiply A (m×n) by b (m×1): inner dimensions n and m differ
}

// Walking an expression: switch on the node types, as with go/ast.
func ExampleInspect() {
	x := expr.VectorSymbol("x", expr.Named("n"))
	e, err := expr.Apply("tanh", x)
	if err != nil {
		panic(err)
	}
	s, err := expr.SumEntries(e)
	if err != nil {
		panic(err)
	}
	expr.Inspect(s, func(n expr.Node) bool {
		switch n := n.(type) {
		case *expr.EntrySum:
			fmt.Println("sum of the entries of", n.X())
		case *expr.Func:
			fmt.Println("elementwise", n.Name(), "of", n.X())
		case *expr.Symbol:
			fmt.Println("symbol", n.Name(), n.Shape())
		}
		return true
	})
	// Output:
	// sum of the entries of tanh(x)
	// elementwise tanh of x
	// symbol x n×1
}
