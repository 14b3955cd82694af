// Package calculus is matcalc's pure library: the matrix language (see
// package syntax), symbolic matrix expressions (package expr),
// differentiation with a recorded derivation (package diff), exact and
// floating-point linear algebra (package linalg), and the Interpreter that
// ties them together. It knows nothing of Jupyter.
//
// A cell is run with Interpreter.Exec; what it shows comes back as Outputs,
// each carrying a plain-text and a LaTeX rendering of the same content.
package calculus

import "github.com/matcalc/matcalc/calculus/expr"

// OutputKind tells a front end how to present an Output.
type OutputKind int

const (
	// Value is the value of a bare expression statement, such as `f` or
	// `grad(f, x)`. A notebook shows the last one of a cell as Out[n].
	Value OutputKind = iota
	// Display is any other thing a cell shows: a derivation, a check
	// verdict, a numeric verification, a table.
	Display
)

// Output is one thing a cell shows, in several renderings of the same
// content. Plain is always set. LaTeX, when set, is TeX math-mode content
// (no surrounding $$: the front end adds the delimiters), for example
// `\begin{aligned} … \end{aligned}`. SVG, when set, is a complete
// <svg> document (plots); PNG is then the same plot as a PNG image, and
// Width and Height the size to show both at, in CSS pixels. Expr, when
// set, is the symbolic expression a Value shows (Plain is Expr.String(),
// which reads back as the same expression).
type Output struct {
	Kind          OutputKind
	Plain         string
	LaTeX         string
	SVG           string
	PNG           []byte
	Width, Height int
	Expr          expr.Node
}
