package calculus_test

import (
	"context"
	"fmt"

	"github.com/matcalc/matcalc/calculus"
)

// A cell run by the Interpreter: every output has a plain text and a
// LaTeX rendering.
func ExampleInterpreter_Exec() {
	in := calculus.New()
	outs, err := in.Exec(context.Background(), "M = [3 -4; 4 -7]\ndet(M)\ninv(M)")
	if err != nil {
		panic(err)
	}
	for _, o := range outs {
		fmt.Println(o.Plain, "|", o.LaTeX)
	}
	// Output:
	// -5 | -5
	// [7/5, -4/5; 4/5, -3/5] | \begin{bmatrix} \frac{7}{5} & -\frac{4}{5} \\ \frac{4}{5} & -\frac{3}{5} \end{bmatrix}
}

// An error in a cell has a kind, a position and the line it is on.
func ExampleError() {
	_, err := calculus.New().Exec(context.Background(), "A : matrix(2, 3)\nA*A")
	if e, ok := err.(*calculus.Error); ok {
		fmt.Println(e.Kind, e.Line, e.Col)
		fmt.Println(e.Msg)
		fmt.Println(e.Source)
	}
	// Output:
	// ShapeError 2 2
	// cannot multiply A (2×3) by A (2×3): inner dimensions 3 and 2 differ
	// A*A
}
