package diff

import (
	"regexp"
	"strings"
	"testing"
)

// rawMath finds what would come out raw inside \text{…}, which MathJax
// 2.7 shows verbatim: operators, scripts, escapes other than \{ \} \$,
// and a lone capital letter used as a symbol ("A constant").
var rawMath = regexp.MustCompile(`[*^_=×ᵀ⊙]|\\[^{}$]|(^|[ ,(;])[A-Z]($|[ ,)])`)

// mathjaxProblems lists the places where latex would not typeset in
// MathJax 2.7: unbalanced braces, \operatorname*, and raw math in \text.
func mathjaxProblems(latex string) []string {
	var out []string
	depth := 0
	for i := 0; i < len(latex); i++ {
		switch latex[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			if depth--; depth < 0 {
				out = append(out, "unbalanced } at "+latex[max(0, i-20):i+1])
				depth = 0
			}
		}
	}
	if depth != 0 {
		out = append(out, "unbalanced {")
	}
	// MathJax 2.7 expands these macros by pasting the rest of the formula
	// behind them, and fails once that passes 5 KB (MAXBUFFER): a long
	// derivation must not use them ({\rm d}, not \mathrm{d}).
	for _, m := range []string{`\mathrm{`, `\mathbf{`, `\mathit{`, `\mathsf{`, `\mathcal{`, `\mathbb{`, `\mathfrak{`, `\mathtt{`, `\mathscr{`, `\textbf{`, `\textrm{`, `\textit{`} {
		if strings.Contains(latex, m) {
			out = append(out, m+"…} is a string macro in MathJax 2.7 (5 KB buffer)")
		}
	}
	if strings.Contains(latex, `\operatorname*`) {
		out = append(out, `\operatorname* (MathJax 2.7 lacks it)`)
	}
	for _, arg := range textArgs(latex) {
		if rawMath.MatchString(arg) {
			out = append(out, `raw math in \text{`+arg+`}`)
		}
	}
	return out
}

// textArgs returns the arguments of every \text{…} in latex.
func textArgs(latex string) []string {
	var out []string
	for {
		i := strings.Index(latex, `\text{`)
		if i < 0 {
			return out
		}
		latex = latex[i+len(`\text{`):]
		depth, j := 1, 0
		for ; j < len(latex) && depth > 0; j++ {
			switch latex[j] {
			case '\\':
				j++
			case '{':
				depth++
			case '}':
				depth--
			}
		}
		out = append(out, latex[:max(0, j-1)])
		latex = latex[j:]
	}
}

func TestMathJaxProblemsFinds(t *testing.T) {
	tests := []struct {
		latex string
		bad   bool
	}{
		{`\text{product rule}\text{; } A\text{ constant}`, false},
		{`\text{product rule}\text{; A constant}`, true},
		{`\text{the gradient is (A + A')*x}`, true},
		{`\text{x\_1}`, true},
		{`\frac{a}{b`, true},
		{`\operatorname*{arg\,min}`, true},
		{`\text{; a 1×1 factor commutes}`, true},
		{`\text{Note: the second differential is symmetric in }{\rm d}x_{1}`, false},
		{`\mathrm{d}x`, true},
	}
	for _, tt := range tests {
		if got := len(mathjaxProblems(tt.latex)) > 0; got != tt.bad {
			t.Errorf("mathjaxProblems(%q) = %v, want bad %v", tt.latex, mathjaxProblems(tt.latex), tt.bad)
		}
	}
}

// TestDerivationsTypeset checks that every worked example and Cookbook
// derivation gives LaTeX that MathJax 2.7 typesets as meant.
func TestDerivationsTypeset(t *testing.T) {
	for _, c := range append(seedCases(), cookbookCases()...) {
		if c.err != nil {
			continue
		}
		d, _, err := run(c, newWorld())
		if err != nil {
			t.Errorf("%s_%s: %v", c.item, c.name, err)
			continue
		}
		for _, p := range mathjaxProblems(d.LaTeX()) {
			t.Errorf("%s_%s: %s", c.item, c.name, p)
		}
	}
}
