package syntax

import (
	"strings"
	"testing"
)

// FuzzParse checks that no input panics or hangs the parser, that every
// node lies inside the source in order, and that IsComplete agrees with
// Parse. The corpus is kept in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"x'*A*x", "A = [1 2 3; 4 5 6]", "x, b : vector(n)", "f = norm(A*x - b)^2",
		"plot(x(t), t = 0..2)", "check(grad(f, x) == (A + A')*x)", "[a' -b']",
		"<A*x, x>", "layout numerator", "X^T^-1", "f(x", "[1 2\n3 4]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, err := Parse(src)
		if file == nil {
			t.Fatal("Parse returned a nil File")
		}
		Inspect(file, func(n Node) bool {
			p, e := n.Pos(), n.End()
			if p.Offset < 0 || e.Offset > len(src) || p.Offset > e.Offset {
				t.Fatalf("%T spans %d..%d outside 0..%d", n, p.Offset, e.Offset, len(src))
			}
			return true
		})
		st, _ := IsComplete(src)
		switch {
		case err == nil && st != Complete:
			t.Fatalf("IsComplete = %s for a cell that parses", st)
		case err != nil && st == Complete:
			t.Fatalf("IsComplete = complete for a cell with errors: %v", err)
		}
		if err != nil {
			for _, e := range err.(ErrorList) {
				if e.Pos.Line < 1 || e.Pos.Col < 1 || e.Pos.Offset > len(src) {
					t.Fatalf("error at bad position %v (offset %d)", e.Pos, e.Pos.Offset)
				}
				_ = Caret(Line(src, e.Pos.Line), e.Pos.Col)
			}
		}
	})
}

// cell200 is a 200-line cell of declarations, assignments and expressions.
func cell200() string {
	var b strings.Builder
	lines := []string{
		"A : matrix(m, n)",
		"x, b : vector(n)",
		"S : matrix(n, n) symmetric",
		"f = norm(A*x - b)^2 + <x, S*x>",
		"g = x'*S*x + sum(exp(x)) / 2",
		"M = [1 2 3; 4 5 6; 7 8 10]",
		"h = tr(S^-1 * S') - logdet(S) + det(S^T)",
		"grad(f, x)",
	}
	for i := 0; i < 200; i++ {
		b.WriteString(lines[i%len(lines)])
		b.WriteByte('\n')
	}
	return b.String()
}

func BenchmarkParse200(b *testing.B) {
	src := cell200()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScan200(b *testing.B) {
	src := cell200()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Scan(src)
	}
}
