package expr

import "testing"

func TestTeXText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"checked: max relative error 1e-12", "checked: max relative error 1e-12"},
		{"x_1 at 50% & #2", "x_1 at 50% & #2"}, // verbatim in MathJax's \text
		{"a {b} costs $5", `a \{b\} costs \$5`},
		{`C:\dir`, `C:}\backslash\text{dir`},
	}
	for _, tt := range tests {
		if got := TeXText(tt.in); got != tt.want {
			t.Errorf("TeXText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
