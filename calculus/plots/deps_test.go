package plots

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOneFont keeps the twelve Liberation fonts out of every binary that
// draws figures (the browser's WebAssembly module above all): the
// package must not depend on gonum.org/v1/plot itself, whose init
// registers them all (nor on plotter or plotutil, which import it), and
// of the fonts it links only Liberation Sans Regular.
func TestOneFont(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go list: %v: %s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case dep == "gonum.org/v1/plot", dep == "gonum.org/v1/plot/plotter",
			dep == "gonum.org/v1/plot/plotutil", dep == "gonum.org/v1/plot/font/liberation":
			t.Errorf("package plots depends on %s", dep)
		case strings.HasPrefix(dep, "codeberg.org/go-fonts/") &&
			dep != "codeberg.org/go-fonts/liberation/liberationsansregular":
			t.Errorf("package plots links the font %s", dep)
		}
	}
}
