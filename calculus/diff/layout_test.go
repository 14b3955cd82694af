package diff

import "testing"

func TestTexWidth(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{`x^{T} A x`, 3.7},
		{`\frac{a + b}{c}`, 5},
		{`\operatorname{sum}(\exp(x))`, 11},
		{`\begin{bmatrix}a + b \\ c\end{bmatrix}`, 5.5},
		{`{\rm d}\left(x\right)`, 4},
	}
	for _, tt := range tests {
		if got := texWidth(tt.in); got < tt.want-0.01 || got > tt.want+0.01 {
			t.Errorf("texWidth(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestWrapPieces(t *testing.T) {
	got := wrapPieces(append(textPieces("bilinear form; a scalar is its own transpose; "), piece{latex: `A\text{ constant}`, n: 10}), 24)
	want := []string{`\text{bilinear form; a scalar}`, `\text{is its own transpose;}`, `A\text{ constant}`}
	if len(got) != len(want) {
		t.Fatalf("wrapPieces = %q, want %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("row %d = %q, want %q", i, got[i], want[i])
		}
	}
}
