package calculus

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestDeclaredDims declares symbols with dimension expressions and reads
// back the shapes %who shows, in text and LaTeX.
func TestDeclaredDims(t *testing.T) {
	cases := []struct {
		decl, plain, latex string
	}{
		{"a : vector(n*n)", "a : vector(n*n)", `\text{vector}(n \cdot n)`},
		{"a : vector(n^2)", "a : vector(n*n)", `\text{vector}(n \cdot n)`},
		{"a : vector(n^3)", "a : vector(n*n*n)", `\text{vector}(n \cdot n \cdot n)`},
		{"a : vector((n)^2)", "a : vector(n*n)", `\text{vector}(n \cdot n)`},
		{"M : matrix(m*n, n)", "M : matrix(m*n, n)", `\text{matrix}(m \cdot n, n)`},
		{"M : matrix(n*m)", "M : matrix(m*n, m*n)", `\text{matrix}(m \cdot n, m \cdot n)`},
		{"M : matrix(2*n, 3)", "M : matrix(2*n, 3)", `\text{matrix}(2 \cdot n, 3)`},
		{"M : matrix(2*3, n)", "M : matrix(6, n)", `\text{matrix}(6, n)`},
		{"S : matrix(n*n) symmetric", "S : matrix(n*n, n*n) symmetric", `\text{symmetric}`},
		{"k = 2\na : vector(k*n)", "a : vector(k*n)", `\text{vector}(k \cdot n)`},
	}
	for _, tc := range cases {
		in := New()
		if _, err := in.Exec(context.Background(), tc.decl); err != nil {
			t.Errorf("%q: %v", tc.decl, err)
			continue
		}
		who := in.Who()
		if !strings.Contains(who.Plain, tc.plain) {
			t.Errorf("%q: %%who shows\n%s\nwant a line %q", tc.decl, who.Plain, tc.plain)
		}
		if !strings.Contains(who.LaTeX, tc.latex) {
			t.Errorf("%q: %%who LaTeX\n%s\nwant %q in it", tc.decl, who.LaTeX, tc.latex)
		}
	}
}

// TestDimsStaticCheck: a shape error after a declaration with a product
// is found by the static check, before any statement of the cell runs.
func TestDimsStaticCheck(t *testing.T) {
	cases := []struct {
		src, where string
	}{
		{"k = 5\na : vector(n*n)\nA : matrix(n)\nA*a", "4:2"},
		{"k = 5\na : vector(n^2)\nB : matrix(n, n*n)\nB*a + a", "4:5"},
		{"k = 5\nM : matrix(m*n, n)\nx : vector(m)\nM'*x", "4:3"},
	}
	for _, tc := range cases {
		in := New()
		_, err := in.Exec(context.Background(), tc.src)
		var ce *Error
		if !errors.As(err, &ce) || ce.Kind != ShapeError {
			t.Errorf("%q: got %v, want a ShapeError", tc.src, err)
			continue
		}
		if got := ce.Error()[:strings.IndexByte(ce.Error(), ' ')-1]; got != tc.where {
			t.Errorf("%q: error at %s, want %s (%v)", tc.src, got, tc.where, ce)
		}
		if _, err := in.Exec(context.Background(), "k"); err == nil {
			t.Errorf("%q: k = 5 ran before the shape error was found", tc.src)
		}
	}
}

// TestIntRoot checks the integer roots that bind a dimension from a value.
func TestIntRoot(t *testing.T) {
	cases := []struct {
		q, p, root int
		exact      bool
	}{
		{9, 2, 3, true}, {8, 3, 2, true}, {10, 2, 4, false}, {1, 5, 1, true},
		{7, 1, 7, true}, {1 << 22, 2, 1 << 11, true}, {(1 << 22) + 1, 2, 2049, false},
	}
	for _, tc := range cases {
		if r, ok := intRoot(tc.q, tc.p); r != tc.root || ok != tc.exact {
			t.Errorf("intRoot(%d, %d) = %d, %v; want %d, %v", tc.q, tc.p, r, ok, tc.root, tc.exact)
		}
	}
}
