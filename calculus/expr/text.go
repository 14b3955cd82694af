package expr

import (
	"strings"
	"unicode/utf8"
)

// TeXText makes prose safe inside \text{…}, as in `\text{` + TeXText(s) + `}`, for every
// renderer a student's front end uses. They disagree about what \text holds: MathJax 2.7
// and MathJax 3 without textmacros show it verbatim (so \_ would show its backslash);
// MathJax 3/4 with textmacros (JupyterLab, Notebook 7) and KaTeX read it as LaTeX text
// mode, where ^ _ # & % $ { } \ ~ are special; KaTeX in strict mode also rejects symbols
// its fonts lack (✗, ×, ᵀ, →, ...). So no special character and no such symbol is left
// inside \text: each one closes the text, is written as a math macro that all of them
// know (\_, \#, \checkmark, \times, ^{T}, \to, ...), and the text reopens. Letters (Latin,
// Greek, Cyrillic), digits, spaces, ordinary punctuation, dashes and quotes stay text.
// Every package that writes prose into LaTeX uses it.
func TeXText(s string) string {
	macros := textMacros()
	if isPlainText(s, macros) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if m, ok := macros[r]; ok {
			b.WriteString(`}` + m + `\text{`)
			continue
		}
		if g, ok := greekTeX(r); ok {
			b.WriteString(`}` + g + ` \text{`)
			continue
		}
		if textSafe(r) {
			b.WriteRune(r)
			continue
		}
		// Anything else: its code point as math, never a character a renderer rejects.
		b.WriteString(`}\langle{\tt U+` + strings.ToUpper(hex4(r)) + `}\rangle\text{`)
	}
	return b.String()
}

func hex4(r rune) string {
	const digits = "0123456789abcdef"
	var buf []byte
	for v := uint32(r); v > 0 || len(buf) < 4; v >>= 4 {
		buf = append([]byte{digits[v&15]}, buf...)
	}
	return string(buf)
}

func isPlainText(s string, macros map[rune]string) bool {
	for _, r := range s {
		if _, ok := macros[r]; ok || !textSafe(r) || isGreekRune(r) {
			return false
		}
	}
	return true
}

// textSafe reports whether r may stay inside \text for every renderer: ASCII that no
// renderer treats specially, Latin-1 and Latin Extended-A letters, Cyrillic letters, and
// the dashes, quotes and ellipsis KaTeX's text fonts have (not Greek: KaTeX's text fonts
// lack it, so Greek letters leave \text as \alpha, ...).
func textSafe(r rune) bool {
	switch {
	case r < 0x80:
		return r >= ' ' && r != '\x7f' && !strings.ContainsRune(`\$%&#^_{}~`, r)
	case r >= 0xc0 && r <= 0x17f && r != 0xd7 && r != 0xf7:
		return true
	case r >= 0x400 && r <= 0x45f:
		return true
	}
	return strings.ContainsRune("–—‘’“”…", r)
}

// textMacros returns the characters that leave \text, each with the math that stands for it.
func textMacros() map[rune]string {
	return map[rune]string{
		'\\': `\backslash `, '$': `\$`, '%': `\%`, '&': `\&`, '#': `\#`, '_': `\_`, '{': `\{`,
		'}': `\}`, '^': `\hat{\ }`, '~': `\tilde{\ }`, '✓': `\checkmark `, '✗': `\times `,
		'×': `\times `, '·': `\cdot `, '÷': `\div `, 'ᵀ': `^{T}`, '⁻': `^{-}`, '¹': `^{1}`,
		'²': `^{2}`, '³': `^{3}`, '⁰': `^{0}`, '₀': `_{0}`, '₁': `_{1}`, '₂': `_{2}`, '₃': `_{3}`,
		'₄': `_{4}`, '₅': `_{5}`, '→': `\to `, '←': `\leftarrow `, '⇒': `\Rightarrow `,
		'⇔': `\Leftrightarrow `, '↦': `\mapsto `, '≠': `\ne `, '≈': `\approx `, '≤': `\le `,
		'≥': `\ge `, '±': `\pm `, '∞': `\infty `, '∈': `\in `, '∑': `\sum `, '∂': `\partial `,
		'∇': `\nabla `, '‖': `\|`, '⊙': `\odot `, '⊗': `\otimes `, '⊕': `\oplus `, '∘': `\circ `,
		'√': `\surd `, 'ẋ': `\dot{x}`, '⟨': `\langle `,
		'⟩': `\rangle `, '−': `-`, '\u00a0': `\ `, '\t': `\ `, '\n': `\ `,
	}
}

// greekLetters are the Greek letters in alphabetical order, lower case then upper case, with
// the TeX for each (upper-case letters TeX has no macro for are their Latin twins).
const greekLetters = "αβγδεζηθικλμνξοπρστυφχψωςϑϕϵϱϖ" + "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"

func greekNames() []string {
	return []string{`\alpha`, `\beta`, `\gamma`, `\delta`, `\varepsilon`, `\zeta`, `\eta`, `\theta`,
		`\iota`, `\kappa`, `\lambda`, `\mu`, `\nu`, `\xi`, `o`, `\pi`, `\rho`, `\sigma`, `\tau`,
		`\upsilon`, `\varphi`, `\chi`, `\psi`, `\omega`, `\varsigma`, `\vartheta`, `\phi`,
		`\epsilon`, `\varrho`, `\varpi`,
		`A`, `B`, `\Gamma`, `\Delta`, `E`, `Z`, `H`, `\Theta`, `I`, `K`, `\Lambda`, `M`, `N`, `\Xi`,
		`O`, `\Pi`, `P`, `\Sigma`, `T`, `\Upsilon`, `\Phi`, `X`, `\Psi`, `\Omega`}
}

func isGreekRune(r rune) bool { _, ok := greekTeX(r); return ok }

// greekTeX returns the math for a Greek letter: \alpha for α.
func greekTeX(r rune) (string, bool) {
	i := 0
	for _, g := range greekLetters {
		if g == r {
			return greekNames()[i], true
		}
		i++
	}
	return "", false
}

// TeXWidth estimates how wide LaTeX math content renders, in units of about an italic
// letter of math (a binary operator with its spaces is 2.5), so that layouts can keep a
// formula inside a notebook's column: a
// fraction is as wide as its wider part, scripts are smaller, \left( is one character,
// a command such as \exp or \operatorname{sum} as wide as its name.
func TeXWidth(s string) float64 {
	w, _ := texRun(s, 0)
	return w
}

// texRun measures from i to the end of s or of the current group; it returns the width
// and the index after the group's closing brace.
func texRun(s string, i int) (float64, int) {
	var w float64
	for i < len(s) {
		c := s[i]
		switch {
		case c == '}':
			return w, i + 1
		case c == '{':
			g, j := texRun(s, i+1)
			w, i = w+g, j
		case c == '^' || c == '_':
			i++
			if i < len(s) && s[i] == '{' {
				g, j := texRun(s, i+1)
				w, i = w+0.7*g, j
			} else if i < len(s) {
				w, i = w+0.7, i+1
			}
		case c == '\\':
			j := i + 1
			for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
				j++
			}
			name := s[i+1 : j]
			switch name {
			case "frac", "tfrac", "dfrac":
				num, k := texRun(s, j+1)
				den, l := texRun(s, k+1)
				w, i = w+max(num, den)+0.5, l
				continue
			case "left", "right", "rm", "it", "bf", "tt", "":
				if name == "" && j < len(s) {
					j++ // \, \{ \| and the like
				}
			case "begin":
				k := strings.Index(s[j:], `\end{`)
				if k < 0 {
					return w, len(s)
				}
				body := s[j:][strings.IndexByte(s[j:], '}')+1 : k]
				var widest float64
				for _, row := range strings.Split(body, `\\`) {
					widest = max(widest, TeXWidth(row))
				}
				w += widest + 1
				i = j + k + len(`\end{`)
				if e := strings.IndexByte(s[i:], '}'); e >= 0 {
					i += e + 1
				}
				continue
			case "operatorname", "text", "mathrm":
				g, k := texRun(s, j+1)
				w, i = w+g, k
				continue
			case "neq", "ne", "le", "ge", "approx", "odot", "otimes", "times", "cdot", "circ":
				w += 2.5
			case "quad":
				w++
			case "qquad":
				w += 2
			default:
				w += float64(min(len(name), 3))
			}
			i = j
		case c == ' ' || c == '&':
			i++
		case c == '+' || c == '-' || c == '=' || c == '<' || c == '>':
			w, i = w+2.5, i+1
		default:
			_, size := utf8.DecodeRuneInString(s[i:])
			w, i = w+1, i+size
		}
	}
	return w, i
}
