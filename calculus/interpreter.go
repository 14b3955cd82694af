package calculus

import (
	"context"
	"errors"
	"fmt"
)

// This file fixes the Interpreter's API, which package session is written
// against. Its bodies are being filled in (issue 3): until then Exec
// refuses every cell with ErrNotImplemented.

// ErrNotImplemented is returned while the language is being built.
var ErrNotImplemented = errors.New("calculus: the language is not implemented yet")

// Error is an error in a cell, located at a line and column of its source.
type Error struct {
	Kind   string // SyntaxError, NameError, ShapeError, ValueError, …
	Line   int    // 1-based line in the cell
	Col    int    // 1-based column, in Unicode code points
	Msg    string // what was wrong and what was expected
	Source string // the text of the offending line, for the caret display
}

// Error returns "line:col: msg".
func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// Interpreter runs cells of the matrix language against one environment
// of declared symbols, dimensions, values and named expressions. It is not
// safe for concurrent use.
type Interpreter struct{}

// New returns an Interpreter with an empty environment.
func New() *Interpreter { return &Interpreter{} }

// Exec runs the statements of one cell in order and returns what they
// show. It stops at the first failing statement: the outputs of the
// statements before it are returned together with the error, which is an
// *Error when it has a position. When ctx is cancelled, Exec returns
// ctx.Err() promptly, wrapped.
func (in *Interpreter) Exec(ctx context.Context, src string) ([]Output, error) {
	return nil, ErrNotImplemented
}

// IsComplete reports whether src is a complete cell: "complete",
// "incomplete" (an open bracket or a trailing operator: more lines are
// expected, and indent is the indentation to offer), or "invalid".
func (in *Interpreter) IsComplete(src string) (status, indent string) {
	return "complete", ""
}

// Names returns every name a completion may offer: declared symbols,
// dimensions, named expressions, functions, commands and keywords, sorted.
func (in *Interpreter) Names() []string { return nil }

// Describe returns what inspection shows for name (a symbol's declaration,
// shape, properties and value; a function's signature and doc), and false
// when name means nothing here.
func (in *Interpreter) Describe(name string) (Output, bool) { return Output{}, false }

// Who lists the declared symbols with their shapes, properties and values.
func (in *Interpreter) Who() Output { return Output{Kind: Display, Plain: ""} }

// Reset forgets every declaration, value and setting.
func (in *Interpreter) Reset() {}
