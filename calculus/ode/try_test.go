package ode

import (
	"testing"

	"github.com/matcalc/matcalc/calculus/linalg"
)

func TestTry(t *testing.T) {
	for _, data := range [][]int64{{3, -4, 4, -7}, {2, 1, 0, 2}, {-1, -2, 2, -1}} {
		a, _ := linalg.NewInts(2, 2, data)
		x0, _ := linalg.NewInts(2, 1, []int64{1, 1})
		s, err := Solve(a, nil, x0)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range s.Steps {
			t.Logf("%s: %s\n    %s", st.Title, st.Plain, st.LaTeX)
		}
	}
	a, _ := linalg.NewInts(2, 2, []int64{-2, 1, 1, -2})
	b, _ := linalg.NewInts(2, 1, []int64{1, 0})
	x0, _ := linalg.NewInts(2, 1, []int64{0, 0})
	s, err := Solve(a, b, x0)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range s.Steps {
		t.Logf("%s: %s", st.Title, st.Plain)
	}
}
