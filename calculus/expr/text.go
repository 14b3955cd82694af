package expr

import "strings"

// TeXText makes prose safe inside \text{…} for MathJax 2.7, which shows
// text there verbatim except for \$, \{, \} and \\ (so \_ or \% would show
// their backslash, unlike in LaTeX): braces and dollars are escaped, and a
// backslash leaves the text for math. Every package that writes prose into
// LaTeX uses it.
func TeXText(s string) string {
	if !strings.ContainsAny(s, `\${}`) {
		return s
	}
	r := strings.NewReplacer(`\`, `}\backslash\text{`, "$", `\$`, "{", `\{`, "}", `\}`)
	return r.Replace(s)
}
