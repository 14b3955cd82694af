package expr

import "testing"

func TestTeXText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"checked: max relative error 1e-12", "checked: max relative error 1e-12"},
		{"жук, naïve – “quoted”", "жук, naïve – “quoted”"},
		{"x_1 at 50% & #2", `x}\_\text{1 at 50}\%\text{ }\&\text{ }\#\text{2`},
		{"a {b} costs $5", `a }\{\text{b}\}\text{ costs }\$\text{5`},
		{`C:\dir`, `C:}\backslash \text{dir`},
		{"norm(x)^2 ~ 1", `norm(x)}\hat{\ }\text{2 }\tilde{\ }\text{ 1`},
		{"✓ ok, ✗ no", `}\checkmark \text{ ok, }\times \text{ no`},
		{"Aᵀ is 2×3, λ → 0", `A}^{T}\text{ is 2}\times \text{3, }\lambda \text{ }\to \text{ 0`},
		{"a\u2603b", `a}\langle{\tt U+2603}\rangle\text{b`},
	}
	for _, tt := range tests {
		if got := TeXText(tt.in); got != tt.want {
			t.Errorf("TeXText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLaTeXName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"x", "x"}, {"A1", "A_{1}"}, {"x_1", "x_{1}"}, {"x_12", "x_{12}"}, {"n_ab", `n_{{\it ab}}`},
		{"a_i_j", "a_{i,j}"}, {"A1_2", "{A_{1}}_{2}"}, {"alpha", `\alpha`}, {"λ", `\lambda`},
		{"loss", `{\it loss}`}, {"x_", `{\it x\_}`}, {"жук", `\text{жук}`}, {"ж1", `\text{ж}_{1}`},
		{"Ж_0", `\text{Ж}_{0}`},
	}
	for _, tt := range tests {
		if got := latexName(tt.in); got != tt.want {
			t.Errorf("latexName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTeXWidth(t *testing.T) {
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
		if got := TeXWidth(tt.in); got < tt.want-0.01 || got > tt.want+0.01 {
			t.Errorf("TeXWidth(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
