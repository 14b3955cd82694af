package calculus

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// TestPreflight runs cells whose work or size is over the limits: each is
// refused with the message the operation itself gives, before its
// operands are built (the cell allocates almost nothing and draws no
// random number).
func TestPreflight(t *testing.T) {
	cases := []struct {
		setup, cell, want string
	}{
		{"", "rand(2000, 2000)*rand(2000, 2000)", "1:1: this product would take about 8.0e+09 operations; the limit is 2.1e+09"},
		{"", "x = ones(2000, 1)\ny = rand(2000, 2000)*rand(2000, 2000)*x", "2:5: this product would take about 8.0e+09 operations; the limit is 2.1e+09"},
		{"", "(rand(1200, 1200)*rand(1200, 1200))*rand(1200, 2000)", "1:1: this product would take about 2.9e+09 operations; the limit is 2.1e+09"},
		{"", "sum(sin(rand(2000, 2000))*rand(2000, 2000)')", "1:5: this product would take about 8.0e+09 operations; the limit is 2.1e+09"},
		{"", "(rand(2000, 2000) + I)*rand(2000, 2000)", "1:1: this product would take about 8.0e+09 operations; the limit is 2.1e+09"},
		{"", "rand(2000, 2000)^2", "1:1: this power would take about 1.6e+10 operations; the limit is 2.1e+09"},
		{"", "rand(2000, 2000)⁻¹", "1:1: inv of a 2000×2000 matrix would take about 1.6e+10 operations; the limit is 2.1e+09"},
		{"", "det(rand(2000, 2000) + 1)", "1:1: det of a 2000×2000 matrix would take about 8.0e+09 operations; the limit is 2.1e+09"},
		{"", "solve(rand(2000), ones(2000, 1))", "1:1: solve would take about 8.0e+09 operations; the limit is 2.1e+09"},
		{"", "kron(rand(2000, 2000), rand(2, 2))", "1:1: kron(rand(2000, 2000), rand(2, 2)) would have 4000×4000 entries; the limit is 8388608"},
		{"", "[rand(2000), rand(2000); rand(2000), rand(2000)]", "1:1: the matrix would have 16000000 entries; the limit is 8388608"},
		{"n = 2000", "rand(n, n)*rand(n, n)", "1:1: this product would take about 8.0e+09 operations; the limit is 2.1e+09"},
		{"n = 3000\nx = 2", "x'*rand(n, n)", "1:4: rand(n, n) would have 3000×3000 = 9000000 entries; the limit is 8388608"},
		{"A = rand(2000, 2000)", "tr(A*A')", "1:4: this product would take about 8.0e+09 operations; the limit is 2.1e+09"},
		{"A : matrix(n)\nf = A*A*A\nA = rand(2000, 2000)", "f", "1:1: evaluating A^3 would take about 2.4e+10 operations; the limit is 2.1e+09"},
		{"A : matrix(n)\nB : matrix(n)\nf = inv(A)*B\nA = rand(2000, 2000)\nB = A", "f + 1", "1:1: evaluating inv(A) would take about 1.6e+10 operations; the limit is 2.1e+09"},
	}
	for _, tc := range cases {
		in := New()
		ctx := context.Background()
		if tc.setup != "" {
			if _, err := in.Exec(ctx, tc.setup); err != nil {
				t.Fatalf("setup %q: %v", tc.setup, err)
			}
		}
		want := in.rng.Uint64()
		in = New()
		if tc.setup != "" {
			if _, err := in.Exec(ctx, tc.setup); err != nil {
				t.Fatalf("setup %q: %v", tc.setup, err)
			}
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := in.Exec(ctx, tc.cell)
		runtime.ReadMemStats(&after)
		var ce *Error
		if !errors.As(err, &ce) || ce.Kind != ValueError {
			t.Errorf("%q: got %v, want a ValueError %s", tc.cell, err, tc.want)
			continue
		}
		if ce.Error() != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.cell, ce.Error(), tc.want)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
			t.Errorf("%q: allocated %d bytes before refusing", tc.cell, got)
		}
		if got := in.rng.Uint64(); got != want {
			t.Errorf("%q: drew random numbers before refusing", tc.cell)
		}
	}
}

// TestPreflightAllows: work under the limits runs, and what preflight
// cannot size (an I sized by context) is left to the operation itself.
func TestPreflightAllows(t *testing.T) {
	cases := []struct {
		cell, want string
	}{
		{"sum(rand(300, 400)*rand(400, 500) .* 0)", "0"},
		{"n = 1000\ns = sum(rand(n, 2*n)*rand(2*n, 1000) .* 0)\ns", "0"},
		{"A = [1 2; 3 4]\nB = (A + I)*A\nB - A*A - A", "[0, 0; 0, 0]"},
		{"x = ones(2000, 1)\ny = x'*rand(2000, 2000)*rand(2000, 2000)\nsum(y .* 0)", "0"}, // from the left: two 1×2000 products
		{"A = rand(2000, 2000)\nx = ones(2000, 1)\nsum(A*x - A*x)", "0"},
	}
	for _, tc := range cases {
		outs, err := New().Exec(context.Background(), tc.cell)
		if err != nil {
			t.Errorf("%q: %v", tc.cell, err)
			continue
		}
		if got := outs[len(outs)-1].Plain; !strings.HasPrefix(got, tc.want) {
			t.Errorf("%q = %s, want %s", tc.cell, got, tc.want)
		}
	}
}

// TestCheckWork: a numeric check that would take minutes at the sizes of
// the values is not run, and says so; a small one runs.
func TestCheckWork(t *testing.T) {
	cases := []struct {
		cell, want string
	}{
		{"A = rand(1500, 1500)\nx : vector(1500)\ngrad(x'*A*A*A*x, x)", "not checked numerically: at the sizes of the values it would take about"},
		{"A = rand(30, 30)\nx : vector(30)\ngrad(x'*A*A*A*x, x)", "✓ checked"},
		{"A : matrix(n)\nx : vector(n)\nn = 5000\ngrad(x'*A*A*A*x, x)", "✓ checked"}, // n is drawn small
	}
	for _, tc := range cases {
		outs, err := New().Exec(context.Background(), tc.cell)
		if err != nil {
			t.Errorf("%q: %v", tc.cell, err)
			continue
		}
		found := false
		for _, o := range outs {
			found = found || strings.HasPrefix(o.Plain, tc.want)
		}
		if !found {
			t.Errorf("%q: no output starts with %q", tc.cell, tc.want)
		}
	}
}
