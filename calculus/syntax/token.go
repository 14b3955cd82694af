package syntax

import "fmt"

// Pos is a position in a cell's source. Line and Col are 1-based; Col
// counts Unicode code points, not bytes; Offset is the 0-based byte offset.
// The zero Pos is not a valid position.
type Pos struct {
	Offset int
	Line   int
	Col    int
}

// IsValid reports whether p is a real position.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String returns "line:col", or "-" for an invalid position.
func (p Pos) String() string {
	if !p.IsValid() {
		return "-"
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

// Kind is the kind of a token.
type Kind int

// The token kinds.
const (
	EOF     Kind = iota
	ILLEGAL      // a character the language does not use; Lit holds it
	NEWLINE      // end of a statement at top level; a row break inside [ ]
	SPACE        // whitespace that separates two entries of a matrix literal
	IDENT        // x, A, grad, α
	NUMBER       // 3, 2.5, 1e-3

	LPAREN // (
	RPAREN // )
	LBRACK // [
	RBRACK // ]
	COMMA  // ,
	SEMI   // ;
	COLON  // :
	ASSIGN // =
	RANGE  // ..

	ADD   // +
	SUB   // -
	MUL   // *
	QUO   // /
	EMUL  // .*
	EQUO  // ./
	POW   // ^
	EPOW  // .^
	QUOTE // ' or ᵀ (transpose)
	INV   // ⁻¹ (inverse)

	EQL // ==
	NEQ // !=
	LSS // <
	GTR // >
	LEQ // <=
	GEQ // >=
)

// String returns a description of k fit for an error message, such as
// "')'" or "name".
func (k Kind) String() string {
	names := [...]string{
		EOF:     "end of input",
		ILLEGAL: "illegal character",
		NEWLINE: "newline",
		SPACE:   "space",
		IDENT:   "name",
		NUMBER:  "number",
		LPAREN:  "'('",
		RPAREN:  "')'",
		LBRACK:  "'['",
		RBRACK:  "']'",
		COMMA:   "','",
		SEMI:    "';'",
		COLON:   "':'",
		ASSIGN:  "'='",
		RANGE:   "'..'",
		ADD:     "'+'",
		SUB:     "'-'",
		MUL:     "'*'",
		QUO:     "'/'",
		EMUL:    "'.*'",
		EQUO:    "'./'",
		POW:     "'^'",
		EPOW:    "'.^'",
		QUOTE:   "'''",
		INV:     "'⁻¹'",
		EQL:     "'=='",
		NEQ:     "'!='",
		LSS:     "'<'",
		GTR:     "'>'",
		LEQ:     "'<='",
		GEQ:     "'>='",
	}
	if k >= 0 && int(k) < len(names) {
		return names[k]
	}
	return fmt.Sprintf("token(%d)", int(k))
}

// Op returns the operator's spelling without quotes ("+", ".*", "'"), or
// the empty string when k is not an operator.
func (k Kind) Op() string {
	switch k {
	case ADD:
		return "+"
	case SUB:
		return "-"
	case MUL:
		return "*"
	case QUO:
		return "/"
	case EMUL:
		return ".*"
	case EQUO:
		return "./"
	case POW:
		return "^"
	case EPOW:
		return ".^"
	case QUOTE:
		return "'"
	case INV:
		return "^-1"
	case EQL:
		return "=="
	case NEQ:
		return "!="
	case LSS:
		return "<"
	case GTR:
		return ">"
	case LEQ:
		return "<="
	case GEQ:
		return ">="
	}
	return ""
}

// IsBinary reports whether k can join two operands.
func (k Kind) IsBinary() bool {
	switch k {
	case ADD, SUB, MUL, QUO, EMUL, EQUO, POW, EPOW, EQL, NEQ, LSS, GTR, LEQ, GEQ:
		return true
	}
	return false
}

// Token is one lexical item: its kind, its text, and where it starts.
type Token struct {
	Kind Kind
	Pos  Pos
	Lit  string // the source text of the token
}

// End returns the position just after the token.
func (t Token) End() Pos {
	return Pos{Offset: t.Pos.Offset + len(t.Lit), Line: t.Pos.Line, Col: t.Pos.Col + runeCount(t.Lit)}
}

// String describes the token for messages: "name \"x\"", "')'".
func (t Token) String() string {
	switch t.Kind {
	case IDENT, NUMBER:
		return fmt.Sprintf("%s %q", t.Kind, t.Lit)
	}
	return t.Kind.String()
}
