package syntax

import "fmt"

// Grammar (newlines end statements at top level; inside ( ) they are
// ignored; after a binary operator, ',', ':' or '=' they are skipped):
//
//	cell      = { stmt ( NEWLINE | ';' ) } .
//	stmt      = decl | assign | command | expr .
//	decl      = ident { ',' ident } ':' type [ '(' [ expr { ',' expr } ] ')' ] { ident } .
//	assign    = ident '=' expr .
//	command   = ident ( ident | number ) { ident | number } .
//	expr      = sum [ ( '==' | '!=' | '<' | '>' | '<=' | '>=' ) sum ] .
//	sum       = product { ( '+' | '-' ) product } .
//	product   = unary { ( '*' | '/' | '.*' | './' ) unary } .
//	unary     = ( '-' | '+' ) unary | power .
//	power     = postfix { '^' 'T' } [ ( '^' | '.^' ) exponent ] .
//	exponent  = ( '-' | '+' ) exponent | power .
//	postfix   = primary { "'" | 'ᵀ' | '⁻¹' } .
//	primary   = ident [ '(' [ arg { ',' arg } ] ')' ] | number
//	          | '(' expr ')' | '[' rows ']' | '<' expr ',' expr '>' .
//	arg       = ident '=' range | range .
//	range     = expr [ '..' expr ] .
//
// '<' in operand position opens an inner product; in operator position it
// compares. Inside <a, b> a '>' closes the product: parenthesize a
// comparison there. X^T is always a transpose, even when T is declared.

// maxDepth bounds the nesting of expressions, so that no input can exhaust
// the stack.
const maxDepth = 500

// maxOps bounds the binary operators of one statement: a long chain
// a + b + … builds a deep tree, and every later pass recurses over it.
const maxOps = 10000

// maxErrors bounds the errors reported for one cell.
const maxErrors = 10

type parser struct {
	src string
	lex *lexer
	i   int // index of the current token in lex.queue
	tok item

	errs  ErrorList
	depth int
	noGT  bool // inside <a, b>: '>' closes it

	stmtStart int // offset of the statement being parsed
	ops       int // binary operators in the statement so far

	// Nodes are carved from slabs: a cell allocates a few blocks instead
	// of one object per node.
	idents   []Ident
	binaries []Binary
	numbers  []Number
}

const slab = 64

func (p *parser) newIdent(pos Pos, name string) *Ident {
	if len(p.idents) == 0 {
		p.idents = make([]Ident, slab)
	}
	x := &p.idents[0]
	p.idents = p.idents[1:]
	x.NamePos, x.Name = pos, name
	return x
}

func (p *parser) newBinary(x Expr, op item, y Expr) *Binary {
	p.ops++
	if p.ops > maxOps {
		p.errorf(op.Pos, "statement too long: more than %d operators", maxOps)
	}
	if len(p.binaries) == 0 {
		p.binaries = make([]Binary, slab)
	}
	b := &p.binaries[0]
	p.binaries = p.binaries[1:]
	b.X, b.OpPos, b.Op, b.Y = x, op.Pos, op.Kind, y
	return b
}

func (p *parser) newNumber(t item) *Number {
	if len(p.numbers) == 0 {
		p.numbers = make([]Number, slab)
	}
	n := &p.numbers[0]
	p.numbers = p.numbers[1:]
	n.ValuePos, n.Lit = t.Pos, p.lit(t)
	return n
}

// bailout is panicked to abandon a cell with too many errors, and
// recovered in Parse.
type bailout struct{}

// Parse parses a cell. It always returns a *File; when there are errors
// it also returns them as an ErrorList, sorted by position, and the File
// holds BadStmt nodes where statements failed.
func Parse(src string) (*File, error) {
	p := newParser(src)
	f := p.parseFile()
	p.errs.Sort()
	return f, p.errs.Err()
}

// ParseExpr parses a single expression.
func ParseExpr(src string) (Expr, error) {
	p := newParser(src)
	var x Expr
	func() {
		defer p.recoverBailout()
		p.skipNewlines()
		x = p.parseExpr()
		p.skipNewlines()
		if p.tok.Kind != EOF {
			p.errorExpected("end of expression")
		}
	}()
	if x == nil {
		x = &BadExpr{From: p.tok.Pos, To: p.tok.Pos}
	}
	p.errs.Sort()
	return x, p.errs.Err()
}

func newParser(src string) *parser {
	p := &parser{src: src, lex: newLexer(src)}
	p.tok = p.at(0)
	return p
}

// at returns the token at index j of the buffer, reading from the lexer
// as needed. The buffer is the lexer's queue, read in place.
func (p *parser) at(j int) item {
	if j >= len(p.lex.queue) {
		p.lex.fill(j + 1)
		if j >= len(p.lex.queue) {
			return p.lex.eof
		}
	}
	return p.lex.queue[j]
}

// lit returns the source text of t.
func (p *parser) lit(t item) string { return p.src[t.Pos.Offset:t.end] }

// endOf returns the position just after t (a token never spans lines,
// except a NEWLINE, whose end is not used).
func (p *parser) endOf(t item) Pos { return advance(t.Pos, p.lit(t)) }

// prev returns the token before the current one.
func (p *parser) prev() item {
	if p.i == 0 {
		return item{Kind: NEWLINE}
	}
	return p.lex.queue[p.i-1]
}

// compact drops the tokens before the previous one: a statement never
// looks further back.
func (p *parser) compact() {
	if p.i > 1 {
		q := p.lex.queue
		n := copy(q, q[p.i-1:])
		p.lex.queue = q[:n]
		p.i = 1
	}
}

func (p *parser) recoverBailout() {
	if r := recover(); r != nil {
		switch r.(type) {
		case bailout, stmtBailout:
		default:
			panic(r)
		}
	}
}

func (p *parser) next() {
	if p.tok.Kind == EOF {
		return
	}
	p.i++
	if q := p.lex.queue; p.i < len(q) {
		p.tok = q[p.i]
		return
	}
	p.tok = p.at(p.i)
}

// peek returns the token n places ahead.
func (p *parser) peek(n int) item { return p.at(p.i + n) }

func (p *parser) skipNewlines() {
	for p.tok.Kind == NEWLINE {
		p.next()
	}
}

// error records an error at pos. Only the first error of a statement is
// kept, since the rest usually follow from it.
func (p *parser) error(pos Pos, msg string) {
	if n := len(p.errs); n > 0 && p.errs[n-1].Pos.Offset >= p.stmtStart {
		return
	}
	incomplete := p.tok.Kind == EOF
	if incomplete && pos == p.tok.Pos {
		if end := p.lastEnd(pos); end.Line < pos.Line {
			pos = end
		}
	}
	p.errs = append(p.errs, &Error{Pos: pos, Msg: msg, Incomplete: incomplete})
	if len(p.errs) >= maxErrors {
		panic(bailout{})
	}
	panic(stmtBailout{})
}

// lastToken returns the last token before the current one that is not a
// newline or a space, if the statement still holds one.
func (p *parser) lastToken() (item, bool) {
	for j := min(p.i, len(p.lex.queue)) - 1; j >= 0; j-- {
		if t := p.lex.queue[j]; t.Kind != NEWLINE && t.Kind != SPACE && t.Kind != EOF {
			return t, true
		}
	}
	return item{}, false
}

// lastEnd returns the position just after lastToken, so that an error at
// the end of the input, after blank lines or comments, points at a line
// that has something on it; eof when there is no such token.
func (p *parser) lastEnd(eof Pos) Pos {
	if t, ok := p.lastToken(); ok {
		return p.endOf(t)
	}
	return eof
}

// stmtBailout abandons the current statement.
type stmtBailout struct{}

func (p *parser) errorf(pos Pos, format string, args ...any) {
	p.error(pos, fmt.Sprintf(format, args...))
}

// found describes the current token for an error message.
func (p *parser) found() string {
	switch p.tok.Kind {
	case IDENT:
		return fmt.Sprintf("name %s", p.lit(p.tok))
	case NUMBER:
		return fmt.Sprintf("number %s", p.lit(p.tok))
	case ILLEGAL:
		return fmt.Sprintf("%q", p.lit(p.tok))
	case SPACE:
		return "a space between matrix entries"
	}
	return p.tok.Kind.String()
}

func (p *parser) errorExpected(what string) {
	if p.tok.Kind == ILLEGAL {
		p.illegal()
	}
	p.errorf(p.tok.Pos, "expected %s, found %s", what, p.found())
}

// illegal reports the lexer's message for the current ILLEGAL token.
func (p *parser) illegal() {
	for _, e := range p.lex.errs {
		if e.Pos == p.tok.Pos {
			p.error(e.Pos, e.Msg)
		}
	}
	p.errorf(p.tok.Pos, "unexpected %q", p.lit(p.tok))
}

// expect consumes a token of kind k or reports an error.
func (p *parser) expect(k Kind, what string) item {
	t := p.tok
	if t.Kind != k {
		p.errorExpected(what)
	}
	p.next()
	return t
}

// expectClose consumes the closing bracket of open.
func (p *parser) expectClose(k Kind, open item) item {
	t := p.tok
	if t.Kind != k {
		if p.tok.Kind == ILLEGAL {
			p.illegal()
		}
		p.errorf(p.tok.Pos, "expected %s to close '%s' at %s, found %s", k, p.lit(open), open.Pos, p.found())
	}
	p.next()
	return t
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.errorf(p.tok.Pos, "expression nested too deeply (more than %d levels)", maxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

func (p *parser) parseFile() *File {
	f := &File{}
	func() {
		defer p.recoverBailout()
		for {
			for p.tok.Kind == NEWLINE || p.tok.Kind == SEMI {
				p.next()
			}
			if p.tok.Kind == EOF {
				return
			}
			p.compact()
			f.Stmts = append(f.Stmts, p.parseStmtRecover())
		}
	}()
	for p.tok.Kind != EOF {
		p.next()
	}
	f.EOF = p.tok.Pos
	return f
}

// parseStmtRecover parses one statement; on an error it skips to the end
// of the statement and returns a BadStmt.
func (p *parser) parseStmtRecover() (s Stmt) {
	p.stmtStart = p.tok.Pos.Offset
	p.ops = 0
	from := p.tok.Pos
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stmtBailout); !ok {
				panic(r)
			}
			p.depth, p.noGT = 0, false
			p.syncStmt()
			s = &BadStmt{From: from, To: p.tok.Pos}
		}
	}()
	s = p.parseStmt()
	switch p.tok.Kind {
	case NEWLINE, SEMI, EOF:
	default:
		if endsOperand(p.prev().Kind) && (p.tok.Kind == IDENT || p.tok.Kind == NUMBER || p.tok.Kind == LPAREN) {
			p.errorf(p.tok.Pos, "expected an operator or the end of the statement, found %s (write a product with *)", p.found())
		}
		switch p.tok.Kind {
		case RPAREN, RBRACK:
			p.errorf(p.tok.Pos, "unexpected %s: no bracket is open", p.tok.Kind)
		}
		p.errorExpected("end of statement")
	}
	return s
}

// syncStmt skips to the next statement: a newline or ';' outside
// brackets.
func (p *parser) syncStmt() {
	depth := 0
	for {
		switch p.tok.Kind {
		case EOF:
			return
		case LPAREN, LBRACK:
			depth++
		case RPAREN, RBRACK:
			if depth > 0 {
				depth--
			}
		case NEWLINE, SEMI:
			if depth == 0 {
				return
			}
		}
		p.next()
	}
}

func (p *parser) parseStmt() Stmt {
	if p.tok.Kind == IDENT {
		// x, b : vector(n)
		j := 1
		for p.peek(j).Kind == COMMA && p.peek(j+1).Kind == IDENT {
			j += 2
		}
		if p.peek(j).Kind == COLON {
			return p.parseDecl()
		}
		switch p.peek(1).Kind {
		case ASSIGN:
			name := p.parseIdent()
			eq := p.tok.Pos
			p.next()
			p.skipNewlines()
			return &AssignStmt{Name: name, Eq: eq, Value: p.parseExpr()}
		case IDENT, NUMBER:
			name := p.parseIdent()
			cmd := &CommandStmt{Name: name}
			for p.tok.Kind == IDENT || p.tok.Kind == NUMBER {
				if p.tok.Kind == IDENT {
					cmd.Args = append(cmd.Args, p.parseIdent())
				} else {
					cmd.Args = append(cmd.Args, p.newNumber(p.tok))
					p.next()
				}
			}
			return cmd
		}
	}
	return &ExprStmt{X: p.parseExpr()}
}

func (p *parser) parseIdent() *Ident {
	t := p.expect(IDENT, "name")
	return p.newIdent(t.Pos, p.lit(t))
}

func (p *parser) parseDecl() *DeclStmt {
	d := &DeclStmt{}
	d.Names = append(d.Names, p.parseIdent())
	for p.tok.Kind == COMMA {
		p.next()
		p.skipNewlines()
		d.Names = append(d.Names, p.parseIdent())
	}
	d.Colon = p.expect(COLON, "':'").Pos
	p.skipNewlines()
	if p.tok.Kind != IDENT {
		p.errorExpected("a type (scalar, vector(n) or matrix(m, n))")
	}
	d.Type = p.parseIdent()
	if p.tok.Kind == LPAREN {
		d.Args, d.Rparen = p.parseList(false)
	}
	for p.tok.Kind == IDENT || p.tok.Kind == COMMA {
		if p.tok.Kind == COMMA {
			p.next()
			continue
		}
		d.Props = append(d.Props, p.parseIdent())
	}
	return d
}

// parseExpr parses a full expression, comparisons included.
func (p *parser) parseExpr() Expr {
	p.enter()
	defer p.leave()
	x := p.parseSum()
	if isComparison(p.tok.Kind) && !(p.noGT && p.tok.Kind == GTR) {
		op := p.tok
		p.next()
		p.skipNewlines()
		y := p.parseSum()
		x = p.newBinary(x, op, y)
		if isComparison(p.tok.Kind) && !(p.noGT && p.tok.Kind == GTR) {
			p.errorf(p.tok.Pos, "comparisons do not chain: parenthesize one side")
		}
	}
	return x
}

func isComparison(k Kind) bool {
	switch k {
	case EQL, NEQ, LSS, GTR, LEQ, GEQ:
		return true
	}
	return false
}

func (p *parser) parseSum() Expr {
	x := p.parseProduct()
	for p.tok.Kind == ADD || p.tok.Kind == SUB {
		op := p.tok
		p.next()
		p.skipNewlines()
		y := p.parseProduct()
		x = p.newBinary(x, op, y)
	}
	return x
}

func (p *parser) parseProduct() Expr {
	x := p.parseUnary()
	for {
		switch p.tok.Kind {
		case MUL, QUO, EMUL, EQUO:
		default:
			return x
		}
		op := p.tok
		p.next()
		p.skipNewlines()
		y := p.parseUnary()
		x = p.newBinary(x, op, y)
	}
}

func (p *parser) parseUnary() Expr {
	if p.tok.Kind == SUB || p.tok.Kind == ADD {
		p.enter()
		defer p.leave()
		op := p.tok
		p.next()
		return &Unary{OpPos: op.Pos, Op: op.Kind, X: p.parseUnary()}
	}
	return p.parsePower()
}

func (p *parser) parsePower() Expr {
	x := p.parsePostfix()
	for {
		switch p.tok.Kind {
		case POW:
			if t := p.peek(1); t.Kind == IDENT && p.lit(t) == "T" {
				op := p.tok
				p.next()
				end := p.endOf(p.tok)
				p.next()
				x = &Postfix{X: x, OpPos: op.Pos, Op: QUOTE, OpEnd: end}
				x = p.parsePostfixOps(x)
				continue
			}
		case EPOW:
		default:
			return x
		}
		op := p.tok
		p.next()
		p.skipNewlines()
		y := p.parseExponent()
		return p.newBinary(x, op, y)
	}
}

func (p *parser) parseExponent() Expr {
	if p.tok.Kind == SUB || p.tok.Kind == ADD {
		p.enter()
		defer p.leave()
		op := p.tok
		p.next()
		return &Unary{OpPos: op.Pos, Op: op.Kind, X: p.parseExponent()}
	}
	p.enter()
	defer p.leave()
	return p.parsePower()
}

func (p *parser) parsePostfix() Expr {
	return p.parsePostfixOps(p.parsePrimary())
}

func (p *parser) parsePostfixOps(x Expr) Expr {
	for p.tok.Kind == QUOTE || p.tok.Kind == INV {
		x = &Postfix{X: x, OpPos: p.tok.Pos, Op: p.tok.Kind, OpEnd: p.endOf(p.tok)}
		p.next()
	}
	return x
}

func (p *parser) parsePrimary() Expr {
	switch p.tok.Kind {
	case IDENT:
		id := p.parseIdent()
		if p.tok.Kind == LPAREN {
			return p.parseCall(id)
		}
		return id
	case NUMBER:
		x := p.newNumber(p.tok)
		p.next()
		return x
	case LPAREN:
		p.enter()
		defer p.leave()
		open := p.tok
		p.next()
		saved := p.noGT
		p.noGT = false
		x := p.parseExpr()
		p.noGT = saved
		rp := p.expectClose(RPAREN, open)
		return &Paren{Lparen: open.Pos, X: x, Rparen: rp.Pos}
	case LBRACK:
		return p.parseMatrix()
	case LSS:
		return p.parseInner()
	case ILLEGAL:
		p.illegal()
	}
	if p.tok.Kind == EOF {
		if prev, ok := p.lastToken(); ok && prev.Kind.IsBinary() {
			p.errorf(p.tok.Pos, "expected an operand after %s, found end of input", prev.Kind)
		}
	}
	p.errorExpected("an operand")
	return nil
}

func (p *parser) parseCall(fun *Ident) *Call {
	p.enter()
	defer p.leave()
	saved := p.noGT
	p.noGT = false
	defer func() { p.noGT = saved }()
	c := &Call{Fun: fun, Lparen: p.tok.Pos}
	c.Args, c.Rparen = p.parseList(true)
	return c
}

// parseList parses a parenthesized, comma-separated list from its '('
// (the current token) to its ')': the arguments of a call (named: each
// may be key = value) or the dimensions of a declaration.
func (p *parser) parseList(named bool) (list []Expr, rparen Pos) {
	open := p.tok
	p.next()
	if p.tok.Kind != RPAREN {
		for {
			if named {
				list = append(list, p.parseArg())
			} else {
				list = append(list, p.parseExpr())
			}
			if p.tok.Kind != COMMA {
				break
			}
			p.next()
		}
	}
	return list, p.expectClose(RPAREN, open).Pos
}

func (p *parser) parseArg() Expr {
	if p.tok.Kind == IDENT && p.peek(1).Kind == ASSIGN {
		key := p.parseIdent()
		eq := p.tok.Pos
		p.next()
		return &KeyValue{Key: key, Eq: eq, Value: p.parseRange()}
	}
	return p.parseRange()
}

func (p *parser) parseRange() Expr {
	x := p.parseExpr()
	if p.tok.Kind == RANGE {
		op := p.tok.Pos
		p.next()
		return &Range{Lo: x, OpPos: op, Hi: p.parseExpr()}
	}
	return x
}

func (p *parser) parseInner() *Inner {
	p.enter()
	defer p.leave()
	open := p.tok
	p.next()
	saved := p.noGT
	p.noGT = true
	defer func() { p.noGT = saved }()
	x := p.parseExpr()
	if p.tok.Kind != COMMA {
		if p.tok.Kind == ILLEGAL {
			p.illegal()
		}
		p.errorf(p.tok.Pos, "expected ',' in the inner product <a, b> opened at %s, found %s", open.Pos, p.found())
	}
	p.next()
	y := p.parseExpr()
	if p.tok.Kind != GTR {
		if p.tok.Kind == ILLEGAL {
			p.illegal()
		}
		p.errorf(p.tok.Pos, "expected '>' to close '<' at %s, found %s", open.Pos, p.found())
	}
	end, closing := p.tok.Pos, ">"
	if p.tok.Kind == GTR {
		closing = p.lit(p.tok)
	}
	p.next()
	return &Inner{Langle: open.Pos, X: x, Y: y, Rangle: end, Close: closing}
}

// parseMatrix parses [1 2; 3 4]. Rows end at ';' or a newline; entries are
// separated by ',' or by a SPACE token (see the lexer for when a space
// separates entries). Empty rows are skipped.
func (p *parser) parseMatrix() *Matrix {
	p.enter()
	defer p.leave()
	open := p.tok
	p.next()
	saved := p.noGT
	p.noGT = false
	defer func() { p.noGT = saved }()
	m := &Matrix{Lbrack: open.Pos}
	var row []Expr
	needEntry := false // after a ',' an entry must follow
	for {
		switch p.tok.Kind {
		case RBRACK, EOF:
			if needEntry {
				p.errorExpected("a matrix entry after ','")
			}
			if len(row) > 0 {
				m.Rows = append(m.Rows, row)
			}
			m.Rbrack = p.expectClose(RBRACK, open).Pos
			return m
		case NEWLINE, SEMI:
			if needEntry {
				p.errorExpected("a matrix entry after ','")
			}
			if len(row) > 0 {
				m.Rows = append(m.Rows, row)
				row = nil
			}
			p.next()
			continue
		case COMMA:
			if len(row) == 0 || needEntry {
				p.errorf(p.tok.Pos, "expected a matrix entry before ','")
			}
			needEntry = true
			p.next()
			continue
		case SPACE:
			p.next()
			continue
		}
		if len(row) > 0 && !needEntry && p.prev().Kind != SPACE {
			p.errorExpected("',', ';' or ']' after a matrix entry")
		}
		row = append(row, p.parseExpr())
		needEntry = false
	}
}
