package builtin_test

import (
	"fmt"

	"github.com/matcalc/matcalc/calculus/builtin"
)

// One entry of the table: everything the language knows about cosh.
func ExampleLookup() {
	f, _ := builtin.Lookup("cosh")
	fmt.Println(f.Help.Sig, "—", f.Help.Doc)
	fmt.Println(f.Help.Rule)
	fmt.Println(builtin.Fill(f.NumPy, "x"), f.Gonum, f.LaTeX)
	fmt.Println(f.Help.Example)
	// Output:
	// cosh(X) — hyperbolic cosine, elementwise
	// d cosh(u) = sinh(u) .* du
	// np.cosh(x) math.Cosh \cosh
	// x : vector(n)
	// grad(sum(cosh(x)), x)
}
