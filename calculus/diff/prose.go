package diff

import (
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
)

// prose builds one sentence in two renderings at once: plain text, and
// LaTeX math content in which the words are \text{…} and the symbols,
// expressions and shapes are typeset as math (MathJax 2.7 shows \text
// verbatim, so math inside it would come out raw).
type prose struct {
	plain, latex strings.Builder
	inText       bool
}

// text appends words.
func (p *prose) text(s string) *prose {
	if s == "" {
		return p
	}
	p.plain.WriteString(s)
	if !p.inText {
		p.latex.WriteString(`\text{`)
		p.inText = true
	}
	p.latex.WriteString(expr.TeXText(s))
	return p
}

// math appends a formula given in both renderings.
func (p *prose) math(plain, latex string) *prose {
	p.plain.WriteString(plain)
	if p.inText {
		p.latex.WriteString(`}`)
		p.inText = false
	}
	p.latex.WriteString(latex)
	return p
}

// node appends an expression.
func (p *prose) node(n expr.Node) *prose { return p.math(n.String(), n.LaTeX()) }

// shape appends a shape, m×n.
func (p *prose) shape(s expr.Shape) *prose {
	return p.math(s.String(), dimLaTeX(s.Rows)+` \times `+dimLaTeX(s.Cols))
}

func dimLaTeX(d expr.Dim) string {
	return strings.ReplaceAll(d.String(), "*", ` `)
}

// list appends the nodes joined by sep (", ", " and ").
func (p *prose) list(ns []expr.Node, sep string) *prose {
	for i, n := range ns {
		if i > 0 {
			p.text(sep)
		}
		p.node(n)
	}
	return p
}

// Plain returns the plain rendering.
func (p *prose) Plain() string { return p.plain.String() }

// LaTeX returns the LaTeX rendering, math content.
func (p *prose) LaTeX() string {
	s := p.latex.String()
	if p.inText {
		s += `}`
	}
	return s
}
