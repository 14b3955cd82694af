package syntax

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The lexer is a state machine in the manner of text/template/parse: each
// state is a function that scans part of the input, emits at most a few
// tokens, and returns the next state.
//
// Newlines and spaces depend on the innermost open bracket:
//   - at top level a newline ends a statement (NEWLINE);
//   - inside ( ) newlines and spaces are ignored;
//   - inside [ ] a newline ends a row (NEWLINE), and a run of spaces becomes
//     a SPACE token — an entry separator — when the token before it can end
//     an operand (a name, a number, ')', ']', a transpose, '>') and the
//     token after it can begin one (a name, a number, '(', '[', or a '+',
//     '-' or '<' that is written against what follows it). So [1 -2] and
//     [a' b'] have two entries, while [1 - 2] and [1 -  2] ... have one:
//     a sign with space on both sides is a binary operator.

const eof = -1

// item is a token as the lexer hands it to the parser: without its text,
// which is src[Pos.Offset:end], so that it holds no pointer and copying
// it costs the garbage collector nothing.
type item struct {
	Kind Kind
	Pos  Pos
	end  int // byte offset just after the token
}

type stateFn func(*lexer) stateFn

type lexer struct {
	input string
	state stateFn

	pos  int // current byte offset
	line int // current line, 1-based
	col  int // current column in code points, 1-based

	// the position before the last next(), for backup
	lastPos, lastLine, lastCol int

	start Pos // start of the token being scanned

	queue  []item // tokens emitted and not yet taken by nextToken
	eof    item   // the EOF token, once emitted
	delims []item // open '(' and '[' tokens, innermost last
	prev   Kind   // kind of the last significant token emitted
	errs   ErrorList
}

// Scan splits src into tokens, ending with an EOF token. Comments are
// dropped. Characters the language does not use become ILLEGAL tokens and
// are reported in the returned ErrorList as well.
func Scan(src string) ([]Token, ErrorList) {
	l := newLexer(src)
	var toks []Token
	for {
		it := l.nextToken()
		t := Token{Kind: it.Kind, Pos: it.Pos, Lit: src[it.Pos.Offset:it.end]}
		toks = append(toks, t)
		if t.Kind == EOF {
			return toks, l.errs
		}
	}
}

func newLexer(src string) *lexer {
	l := &lexer{input: src, line: 1, col: 1, prev: NEWLINE, state: lexAny, queue: make([]item, 0, 64)}
	l.start = Pos{Line: 1, Col: 1}
	return l
}

// nextToken returns the next token, running the state machine until one
// is emitted. After the end of the input it keeps returning EOF.
func (l *lexer) nextToken() item {
	for len(l.queue) == 0 {
		if l.state == nil {
			return l.eof
		}
		l.state = l.state(l)
	}
	t := l.queue[0]
	if len(l.queue) == 1 {
		l.queue = l.queue[:0]
	} else {
		l.queue = l.queue[1:]
	}
	return t
}

// fill runs the state machine until at least n tokens are queued or the
// input ends; the parser reads the queue in place.
func (l *lexer) fill(n int) {
	for len(l.queue) < n && l.state != nil {
		l.state = l.state(l)
	}
}

// run scans to the end of the input.
func (l *lexer) run() {
	for l.nextToken().Kind != EOF {
	}
}

func (l *lexer) here() Pos { return Pos{Offset: l.pos, Line: l.line, Col: l.col} }

// next returns the next rune and advances, or eof.
func (l *lexer) next() rune {
	l.lastPos, l.lastLine, l.lastCol = l.pos, l.line, l.col
	if l.pos >= len(l.input) {
		return eof
	}
	r, w := rune(l.input[l.pos]), 1
	if r >= utf8.RuneSelf {
		r, w = utf8.DecodeRuneInString(l.input[l.pos:])
	}
	l.pos += w
	if r == '\n' {
		l.line++
		l.col = 1
	} else {
		l.col++
	}
	return r
}

// backup steps back over the rune just read; it may be called once per next.
func (l *lexer) backup() { l.pos, l.line, l.col = l.lastPos, l.lastLine, l.lastCol }

// peek returns the next rune without consuming it.
func (l *lexer) peek() rune {
	if l.pos >= len(l.input) {
		return eof
	}
	if c := l.input[l.pos]; c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeRuneInString(l.input[l.pos:])
	return r
}

// peekAt returns the rune that starts at byte offset off, or eof.
func (l *lexer) peekAt(off int) rune {
	if off >= len(l.input) {
		return eof
	}
	r, _ := utf8.DecodeRuneInString(l.input[off:])
	return r
}

// ignore drops the text scanned since the last token.
func (l *lexer) ignore() { l.start = l.here() }

// emit records the text scanned since the last token as a token of kind k.
func (l *lexer) emit(k Kind) {
	t := item{Kind: k, Pos: l.start, end: l.pos}
	l.queue = append(l.queue, t)
	if k == EOF {
		l.eof = t
	}
	switch k {
	case LPAREN, LBRACK:
		l.delims = append(l.delims, t)
	case RPAREN, RBRACK:
		want := LPAREN
		if k == RBRACK {
			want = LBRACK
		}
		if n := len(l.delims); n > 0 && l.delims[n-1].Kind == want {
			l.delims = l.delims[:n-1]
		}
	}
	if k != SPACE {
		l.prev = k
	}
	l.start = l.here()
}

// errorf emits an ILLEGAL token for the text scanned so far and records
// the error.
func (l *lexer) errorf(format string, args ...any) {
	l.errs.Add(l.start, false, format, args...)
	l.emit(ILLEGAL)
}

// inside returns the innermost open bracket kind, or EOF at top level.
func (l *lexer) inside() Kind {
	if n := len(l.delims); n > 0 {
		return l.delims[n-1].Kind
	}
	return EOF
}

func lexAny(l *lexer) stateFn {
	r := l.next()
	switch {
	case r == eof:
		l.emit(EOF)
		return nil
	case r == ' ' || r == '\t' || r == '\r' || r == '\u00a0' || r == '\ufeff':
		return lexSpace
	case r == '\n':
		return lexNewline
	case r == '#':
		return lexComment
	case r == '.':
		if isDigit(l.peek()) {
			l.backup()
			return lexNumber
		}
		switch l.next() {
		case '*':
			l.emit(EMUL)
		case '/':
			l.emit(EQUO)
		case '^':
			l.emit(EPOW)
		case '.':
			l.emit(RANGE)
		default:
			l.backup()
			l.errorf("unexpected '.': write a number as 0.5, or use .* ./ .^ or ..")
		}
		return lexAny
	case isDigit(r):
		l.backup()
		return lexNumber
	case isIdentStart(r):
		return lexIdent
	}
	switch r {
	case '(':
		l.emit(LPAREN)
	case ')':
		l.emit(RPAREN)
	case '[':
		l.emit(LBRACK)
	case ']':
		l.emit(RBRACK)
	case ',':
		l.emit(COMMA)
	case ';':
		l.emit(SEMI)
	case ':':
		l.emit(COLON)
	case '+':
		l.emit(ADD)
	case '-', '−':
		l.emit(SUB)
	case '*', '·':
		if r == '*' && l.peek() == '*' {
			l.next()
			l.errorf("unexpected '**': write a power with ^ (x^2, X^-1) or .^ elementwise")
			return lexAny
		}
		l.emit(MUL)
	case '/':
		l.emit(QUO)
	case '^':
		l.emit(POW)
	case '\'', 'ᵀ', '’':
		l.emit(QUOTE)
	case '⁻':
		if l.peek() == '¹' {
			l.next()
			l.emit(INV)
		} else {
			l.errorf("unexpected '⁻': write an inverse as ⁻¹ or ^-1")
		}
	case '=':
		if l.peek() == '=' {
			l.next()
			l.emit(EQL)
		} else {
			l.emit(ASSIGN)
		}
	case '!':
		if l.peek() == '=' {
			l.next()
			l.emit(NEQ)
		} else {
			l.errorf("unexpected '!': did you mean '!='?")
		}
	case '<':
		if l.peek() == '=' {
			l.next()
			l.emit(LEQ)
		} else {
			l.emit(LSS)
		}
	case '>':
		if l.peek() == '=' {
			l.next()
			l.emit(GEQ)
		} else {
			l.emit(GTR)
		}
	case '⟨':
		l.emit(LSS)
	case '⟩':
		l.emit(GTR)
	case '\\':
		l.errorf("unexpected '\\': write solve(A, b) for the solution of A*x = b, or inv(A)*b")
	default:
		if r == utf8.RuneError && l.pos-l.lastPos == 1 {
			l.errorf("invalid UTF-8 encoding")
		} else {
			l.errorf("unexpected character %q", r)
		}
	}
	return lexAny
}

// lexSpace scans a run of blanks. Inside a matrix literal it may emit a
// SPACE token that separates entries.
func lexSpace(l *lexer) stateFn {
	for {
		r := l.peek()
		if r != ' ' && r != '\t' && r != '\r' && r != '\u00a0' && r != '\ufeff' {
			break
		}
		l.next()
	}
	if l.inside() == LBRACK && endsOperand(l.prev) && l.startsOperand() {
		l.emit(SPACE)
	} else {
		l.ignore()
	}
	return lexAny
}

// endsOperand reports whether a token of kind k can be the last token of
// an operand.
func endsOperand(k Kind) bool {
	switch k {
	case IDENT, NUMBER, RPAREN, RBRACK, QUOTE, INV, GTR:
		return true
	}
	return false
}

// startsOperand reports whether the input at the current position begins
// a new operand, for the purpose of separating matrix entries.
func (l *lexer) startsOperand() bool {
	r := l.peek()
	switch {
	case isDigit(r), isIdentStart(r), r == '(', r == '[', r == '⟨':
		return true
	case r == '.':
		return isDigit(l.peekAt(l.pos + 1))
	case r == '+' || r == '-' || r == '<' || r == '−':
		after := l.peekAt(l.pos + utf8.RuneLen(r))
		switch after {
		case ' ', '\t', '\r', '\n', '\u00a0', eof, '=', ']', ';', ',', '#':
			return false
		}
		return true
	}
	return false
}

func lexNewline(l *lexer) stateFn {
	if l.inside() == LPAREN {
		l.ignore()
	} else {
		l.emit(NEWLINE)
	}
	return lexAny
}

func lexComment(l *lexer) stateFn {
	i := strings.IndexByte(l.input[l.pos:], '\n')
	if i < 0 {
		i = len(l.input) - l.pos
	}
	for end := l.pos + i; l.pos < end; {
		l.next()
	}
	l.ignore()
	return lexAny
}

// lexNumber scans 12, 2.5, .5, 1e-3. A '.' is part of the number only when
// a digit follows it, so 1..2 is a range and 1.*x an elementwise product.
func lexNumber(l *lexer) stateFn {
	digits := func() {
		for isDigit(l.peek()) {
			l.next()
		}
	}
	digits()
	if l.peek() == '.' && isDigit(l.peekAt(l.pos+1)) {
		l.next()
		digits()
	}
	if r := l.peek(); r == 'e' || r == 'E' {
		off := l.pos + 1
		if s := l.peekAt(off); s == '+' || s == '-' {
			off++
		}
		if isDigit(l.peekAt(off)) {
			l.next()
			if s := l.peek(); s == '+' || s == '-' {
				l.next()
			}
			digits()
		}
	}
	if r := l.peek(); isIdentStart(r) {
		// 2x is not a product: say so rather than parse it as 2 x.
		l.next()
		for IsIdentChar(l.peek()) {
			l.next()
		}
		l.errorf("malformed number %q: write a product as 2*x", l.input[l.start.Offset:l.pos])
		return lexAny
	}
	l.emit(NUMBER)
	return lexAny
}

func lexIdent(l *lexer) stateFn {
	for IsIdentChar(l.peek()) {
		l.next()
	}
	l.emit(IDENT)
	return lexAny
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

func isIdentStart(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '_'
	}
	return unicode.IsLetter(r) && r != 'ᵀ'
}

// IsIdentChar reports whether r may be part of a name: a letter (not ᵀ,
// which transposes), a digit, '_' or a subscript digit ₀ … ₉. Front ends
// use it to find the name at a cursor.
func IsIdentChar(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '_' || '0' <= r && r <= '9'
	}
	return isIdentStart(r) || ('₀' <= r && r <= '₉')
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }
