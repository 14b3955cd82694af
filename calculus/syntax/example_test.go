package syntax_test

import (
	"fmt"

	"github.com/matcalc/matcalc/calculus/syntax"
)

// The statements of the package documentation, parsed.
func ExampleParse() {
	f, err := syntax.Parse("x, b : vector(n)\nA : matrix(m, n) symmetric\nn = 3\nlayout numerator\ngrad(x'*A*x, x)")
	if err != nil {
		panic(err)
	}
	for _, s := range f.Stmts {
		fmt.Printf("%d:%d %T\n", s.Pos().Line, s.Pos().Col, s)
	}
	// Output:
	// 1:1 *syntax.DeclStmt
	// 2:1 *syntax.DeclStmt
	// 3:1 *syntax.AssignStmt
	// 4:1 *syntax.CommandStmt
	// 5:1 *syntax.ExprStmt
}

// An error says where, shows what was expected, and what was found.
func ExampleParse_error() {
	_, err := syntax.Parse("A*(x +")
	fmt.Println(err)
	// Output:
	// 1:7: expected an operand after '+', found end of input
}

// Entries of a matrix literal are split by spaces, as the package
// documentation explains.
func ExampleParseExpr() {
	for _, src := range []string{"[1 -2]", "[1 - 2]", "[a' b']"} {
		e, err := syntax.ParseExpr(src)
		if err != nil {
			panic(err)
		}
		m := e.(*syntax.Matrix)
		fmt.Println(src, "has", len(m.Rows[0]), "entries")
	}
	// Output:
	// [1 -2] has 2 entries
	// [1 - 2] has 1 entries
	// [a' b'] has 2 entries
}
