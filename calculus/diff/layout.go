package diff

import (
	"strings"
	"unicode/utf8"

	"github.com/matcalc/matcalc/calculus/expr"
)

// The layout of a derivation in LaTeX. A derivation must fit a notebook's content column
// (about 900 pixels) whatever its rule labels say, in every renderer, and MathJax and
// KaTeX cannot wrap text inside a formula. So the labels get a column of their own (the
// second column pair of an aligned environment), and matcalc wraps each label itself into
// rows no wider than what the widest equation leaves of the column, measured in
// characters of the plain rendering; a formula inside a label is never broken. Notes go
// below the steps, wrapped the same way, so that they never widen the equations' column.

// columnChars is the width a derivation may take, in the units of texWidth (about an
// italic letter of math, 11 pixels): about 900 pixels at a notebook's font size. A
// character of a label's text is textChar of them.
const (
	columnChars = 80
	textChar    = 0.65
	noteChars   = 110 // a line of notes, in characters of text
)

// Label widths, in characters: never narrower than minLabel, never wider than maxLabel.
const (
	minLabel = 22
	maxLabel = 44
)

// LaTeX renders the derivation as an aligned environment: each step an equation, its rule
// label beside it in a column of its own, wrapped onto further rows when long; the notes
// below.
func (d *Derivation) LaTeX() string {
	var widest, lhsWidest float64
	for _, s := range d.Steps() {
		widest = max(widest, expr.TeXWidth(s.LaTeX))
		lhsWidest = max(lhsWidest, expr.TeXWidth(s.LHSLaTeX))
	}
	labelWidth := int((columnChars - widest - lhsWidest - 3) / textChar)
	// Equations too wide for a label column beside them: each label goes on rows of its
	// own under its step, indented, in the equations' column.
	split := labelWidth < minLabel
	labelWidth = min(max(labelWidth, minLabel), maxLabel)
	var rows []string
	for _, s := range d.Steps() {
		row := s.LHSLaTeX + " &= " + s.LaTeX
		if s.Rule == RuleStart {
			rows = append(rows, row)
			continue
		}
		if split {
			rows = append(rows, row)
			for _, l := range wrapPieces(stepLabel(s), int((columnChars-lhsWidest-4)/textChar)) {
				rows = append(rows, ` & \qquad `+l)
			}
			continue
		}
		for i, l := range wrapPieces(stepLabel(s), labelWidth) {
			if i == 0 {
				rows = append(rows, row+` && `+l)
			} else {
				rows = append(rows, ` & && `+l)
			}
		}
	}
	out := `\begin{aligned}` + "\n" + strings.Join(rows, ` \\`+"\n") + "\n" + `\end{aligned}`
	if len(d.Notes) == 0 {
		return out
	}
	notes := []string{out}
	for i, n := range d.Notes {
		ps := append([]piece{}, textPieces("Note: ")...)
		if i < len(d.NotesLaTeX) && d.NotesLaTeX[i] != "" {
			ps = append(ps, piece{latex: d.NotesLaTeX[i], n: utf8.RuneCountInString(n)})
		} else {
			ps = append(ps, textPieces(n)...)
		}
		notes = append(notes, wrapPieces(ps, noteChars)...)
	}
	// An array row for each line of notes: MathJax 2.7 breaks lines only in an environment.
	return `\begin{array}{l}` + "\n" + strings.Join(notes, ` \\`+"\n") + "\n" + `\end{array}`
}

// piece is a word of a label (text) or a formula, with its width in characters.
type piece struct {
	latex string // the formula, or the word for text
	n     int
	text  bool
}

// textPieces splits words into text pieces, each word with the space after it.
func textPieces(s string) []piece {
	var out []piece
	for _, w := range strings.SplitAfter(s, " ") {
		if w != "" {
			out = append(out, piece{latex: w, n: utf8.RuneCountInString(w), text: true})
		}
	}
	return out
}

// stepLabel is the label of a step as pieces: the rule, then "; " and the note.
func stepLabel(s Step) []piece {
	r := s.Rule.Rule()
	var ps []piece
	switch s.Rule {
	case RuleReadScalar, RuleReadGradient, RuleReadMatrix, RuleReadJacobian, RuleReadVecJacobian, RuleReadVecRow, RuleScalarOut:
		tag, plain := r.Tag(), r.Plain
		if s.ReadOffLaTeX != "" {
			// the formula in the derivation's own names
			tag, plain = `\text{read off: } `+s.ReadOffLaTeX, s.ReadOff
		}
		ps = append(ps, piece{latex: tag, n: utf8.RuneCountInString(r.Name) + utf8.RuneCountInString(plain)/2})
	default:
		ps = textPieces(r.Name)
	}
	switch {
	case s.NoteLaTeX != "":
		ps = append(ps, textPieces("; ")...)
		ps = append(ps, piece{latex: s.NoteLaTeX, n: utf8.RuneCountInString(s.Note)})
	case s.Note != "":
		ps = append(ps, textPieces("; "+s.Note)...)
	}
	return ps
}

// wrapPieces fills rows of at most width characters with the pieces, a formula or a word
// never split, and renders each row: runs of words as one \text{…}, formulas as they are.
func wrapPieces(ps []piece, width int) []string {
	var rows []string
	var row []piece
	n := 0
	flush := func() {
		if len(row) > 0 {
			rows = append(rows, renderPieces(row))
		}
		row, n = nil, 0
	}
	for _, p := range ps {
		w := p.n
		if p.text {
			w = utf8.RuneCountInString(strings.TrimRight(p.latex, " "))
		}
		if n > 0 && n+w > width {
			flush()
		}
		row = append(row, p)
		n += p.n
	}
	flush()
	return rows
}

func renderPieces(ps []piece) string {
	var b, words strings.Builder
	emit := func() {
		if w := strings.TrimRight(words.String(), " "); w != "" {
			b.WriteString(`\text{` + expr.TeXText(w) + `}`)
			if w != words.String() {
				b.WriteString(`\ `)
			}
		}
		words.Reset()
	}
	for _, p := range ps {
		if p.text {
			words.WriteString(p.latex)
			continue
		}
		emit()
		b.WriteString(p.latex + " ")
	}
	emit()
	return strings.TrimSuffix(strings.TrimSuffix(b.String(), `\ `), " ")
}
