package calculus

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/syntax"
)

// shapeCell200 is a 200-line cell of declarations, named expressions and
// bare symbolic expressions, all shape-checked and none evaluated.
func shapeCell200() string {
	var b strings.Builder
	b.WriteString("A : matrix(m, n)\nx, y : vector(n)\nb : vector(m)\nS : matrix(n, n) symmetric\nX : matrix(n, n) invertible\nc : scalar\n")
	lines := []string{
		"f%d = norm(A*x - b)^2 + c*<x, S*x>",
		"g%d = x'*S*x + sum(exp(x)) / 2 - tr(X^-1*S)",
		"h%d = logdet(X) + det(X') * y'*X*x",
		"(A*x - b)'*(A*x - b) + c",
	}
	for i := 6; i < 200; i++ {
		line := lines[i%len(lines)]
		if strings.Contains(line, "%d") {
			line = fmt.Sprintf(line, i)
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// BenchmarkParseCheck200 parses a 200-line cell and checks the shapes of
// all its statements statically (the check Exec runs before a cell).
func BenchmarkParseCheck200(b *testing.B) {
	src := shapeCell200()
	in := New()
	c := &cell{in: in, env: in.env, src: src, ctx: context.Background()}
	for b.Loop() {
		file, err := syntax.Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.checkShapes(file); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExec200 runs a 200-line cell in a fresh interpreter: parse,
// static check, and every statement built in normal form by package expr
// and rendered.
func BenchmarkExec200(b *testing.B) {
	src := shapeCell200()
	ctx := context.Background()
	for b.Loop() {
		if _, err := New().Exec(ctx, src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvalSmall evaluates exact values of small matrices.
func BenchmarkEvalSmall(b *testing.B) {
	in := New()
	ctx := context.Background()
	if _, err := in.Exec(ctx, "M = [3 -4 1; 4 -7 2; 1 2 3]\nv = [1; 2; 3]"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := in.Exec(ctx, "det(M)\ninv(M)*v + M^3*v - v'*M*v"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvalNamed evaluates a named expression on values through
// package numeric.
func BenchmarkEvalNamed(b *testing.B) {
	in := New()
	ctx := context.Background()
	if _, err := in.Exec(ctx, decls+"\n"+values+"\nf = norm(A*x - b)^2 + c*x'*x"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := in.Exec(ctx, "f"); err != nil {
			b.Fatal(err)
		}
	}
}

// The 500×500 float det, inv and eig, and their ratio to NumPy, are
// package linalg's benchmarks (calculus/linalg/bench_test.go and
// calculus/linalg/testdata/bench_numpy.py): the interpreter adds nothing
// to them but a call.
