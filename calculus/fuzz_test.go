package calculus

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzExec runs arbitrary cells against an environment with symbols and
// values: nothing may panic (a recovered panic is an InternalError), hang,
// or return an error without a position. The corpus is kept in
// testdata/fuzz/FuzzExec.
func FuzzExec(f *testing.F) {
	for _, s := range []string{
		"x'*S*x", "f = norm(A*x - b)^2\nf", "A*b", "M = [3 -4; 4 -7]\neig(M)\ninv(M)",
		"zeros(100000, 100000)", "X^-1 + I", "[1 -2; 3 4]^3", "log(det(S))", "check(x == x)",
		"S = [2 1 0; 1 2 0; 0 0 1]\nS^-1", "k = 2\nones(k)", "sqrt([4 9])", "layout numerator",
		"[A, b; x', c]", "exp(1e300)", "1/0", "rand(3)*rand(3)", "<x, S*x>", "X^4096",
		"check(⟨x, x⟩ == x'*x + sum(exp(x)) + norm(x)^2 + ⟨x, x⟩ + ⟨x, x⟩ + ⟨x, x⟩)",
		"check(<x, x> == x'*x + xxxxxxxxxxxxxxxxxxxxxxxxxxxx·ααααααααααααααααααα)",
		"a : vector(n^2)\nkron(S, S)*a", "v : vector(2*k*k)\nv = ones(8, 1)\nk", "M : matrix(m*n, (p)^3)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 2000 {
			return
		}
		in := New()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := in.Exec(ctx, decls); err != nil {
			t.Fatal(err)
		}
		outs, err := in.Exec(ctx, src)
		if ctx.Err() != nil {
			t.Fatalf("cell did not finish in 20s: %q", src)
		}
		var ce *Error
		switch {
		case err == nil:
		case errors.As(err, &ce):
			if ce.Kind == InternalError {
				t.Fatalf("panic: %v", ce.Msg)
			}
			if ce.Line < 1 || ce.Col < 1 || ce.Line > strings.Count(src, "\n")+1 {
				t.Fatalf("error at a bad position %d:%d: %v", ce.Line, ce.Col, err)
			}
			if p := packagePrefix.FindString(ce.Msg); p != "" {
				t.Fatalf("the error names a package (%q): %v", p, ce.Msg)
			}
		default:
			t.Fatalf("error without a position: %v", err)
		}
		for _, o := range outs {
			if p := packagePrefix.FindString(o.Plain); p != "" {
				t.Fatalf("the output names a package (%q): %s", p, o.Plain)
			}
			if utf8.ValidString(src) && (!utf8.ValidString(o.Plain) || !utf8.ValidString(o.LaTeX)) {
				t.Fatalf("valid UTF-8 in, invalid UTF-8 out: %q", o.Plain)
			}
		}
		if ce != nil && utf8.ValidString(src) && (!utf8.ValidString(ce.Msg) || !utf8.ValidString(ce.Error())) {
			t.Fatalf("valid UTF-8 in, an invalid UTF-8 error out: %q", ce.Msg)
		}
		_ = in.Who()
		_ = in.Names()
	})
}
