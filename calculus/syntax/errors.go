package syntax

import (
	"fmt"
	"sort"
	"strings"
)

// Error is a syntax error at a position in a cell.
type Error struct {
	Pos Pos
	Msg string
	// Incomplete is set when the error was met at the end of the input:
	// more lines could make the cell valid (an open bracket, a trailing
	// operator).
	Incomplete bool
}

// Error returns "line:col: msg".
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is a list of syntax errors, in the manner of go/scanner.
// Its zero value is an empty list ready to use.
type ErrorList []*Error

// Add appends an error at pos.
func (p *ErrorList) Add(pos Pos, incomplete bool, format string, args ...any) {
	*p = append(*p, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Incomplete: incomplete})
}

// Len returns the number of errors.
func (p ErrorList) Len() int { return len(p) }

// Swap exchanges errors i and j.
func (p ErrorList) Swap(i, j int) { p[i], p[j] = p[j], p[i] }

// Less orders errors by position.
func (p ErrorList) Less(i, j int) bool {
	return p[i].Pos.Offset < p[j].Pos.Offset
}

// Sort sorts the list by position, keeping the order of errors at the
// same position.
func (p ErrorList) Sort() { sort.Stable(p) }

// Error returns the first error, with a count of the others.
func (p ErrorList) Error() string {
	switch len(p) {
	case 0:
		return "no errors"
	case 1:
		return p[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", p[0], len(p)-1)
}

// Err returns nil for an empty list, else the list as an error.
func (p ErrorList) Err() error {
	if len(p) == 0 {
		return nil
	}
	return p
}

// Line returns the text of the given 1-based line of src, without its
// newline, or "" when there is no such line.
func Line(src string, line int) string {
	if line < 1 {
		return ""
	}
	for i := 1; i < line; i++ {
		j := strings.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	if j := strings.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSuffix(src, "\r")
}

// Caret returns two lines: the given source line and a caret under column
// col (1-based, in code points). Tabs in the line are kept in the caret
// line's indentation so that the caret lines up in a terminal.
func Caret(line string, col int) string {
	var b strings.Builder
	b.WriteString(line)
	b.WriteByte('\n')
	i := 1
	for _, r := range line {
		if i >= col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		i++
	}
	for ; i < col; i++ {
		b.WriteByte(' ')
	}
	b.WriteByte('^')
	return b.String()
}
