package syntax

// Node is any node of the syntax tree. Pos is the position of its first
// character and End the position just after its last.
type Node interface {
	Pos() Pos
	End() Pos
}

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// Stmt is a statement node.
type Stmt interface {
	Node
	stmtNode()
}

// File is a parsed cell: its statements in order.
type File struct {
	Stmts []Stmt
	EOF   Pos // position of the end of the input
}

// Pos returns the position of the first statement, or EOF.
func (f *File) Pos() Pos {
	if len(f.Stmts) > 0 {
		return f.Stmts[0].Pos()
	}
	return f.EOF
}

// End returns the end of the input.
func (f *File) End() Pos { return f.EOF }

// Expressions.
type (
	// Ident is a name: a symbol, a dimension, a function or a keyword.
	Ident struct {
		NamePos Pos
		Name    string
	}

	// Number is a numeric literal such as 3, 2.5 or 1e-3, kept as written.
	Number struct {
		ValuePos Pos
		Lit      string
	}

	// Paren is a parenthesized expression.
	Paren struct {
		Lparen Pos
		X      Expr
		Rparen Pos
	}

	// Matrix is a matrix literal [1 2; 3 4]. Every row holds at least one
	// entry; an entry may itself be a matrix (a block).
	Matrix struct {
		Lbrack Pos
		Rows   [][]Expr
		Rbrack Pos
	}

	// Inner is an inner product <X, Y> (or ⟨X, Y⟩).
	Inner struct {
		Langle Pos
		X, Y   Expr
		Rangle Pos
		Close  string // the closing bracket as written: ">" or "⟩"
	}

	// Unary is -X or +X.
	Unary struct {
		OpPos Pos
		Op    Kind // ADD or SUB
		X     Expr
	}

	// Binary is X op Y for op one of + - * / .* ./ ^ .^ == != < > <= >=.
	Binary struct {
		X     Expr
		OpPos Pos
		Op    Kind
		Y     Expr
	}

	// Postfix is a transpose (X', X^T, Xᵀ; Op is QUOTE) or an inverse
	// written X⁻¹ (Op is INV). X^-1 is a Binary power.
	Postfix struct {
		X     Expr
		OpPos Pos
		Op    Kind
		OpEnd Pos
	}

	// Call is a function or command call f(a, b).
	Call struct {
		Fun    *Ident
		Lparen Pos
		Args   []Expr
		Rparen Pos
	}

	// KeyValue is a named argument such as t = 0..2 in plot(x(t), t = 0..2).
	KeyValue struct {
		Key   *Ident
		Eq    Pos
		Value Expr
	}

	// Range is Lo..Hi, allowed as a call argument.
	Range struct {
		Lo    Expr
		OpPos Pos
		Hi    Expr
	}

	// BadExpr stands for an expression that could not be parsed.
	BadExpr struct {
		From, To Pos
	}
)

// Statements.
type (
	// DeclStmt declares symbols: x, b : vector(n) or
	// A : matrix(m, n) symmetric.
	DeclStmt struct {
		Names  []*Ident
		Colon  Pos
		Type   *Ident // scalar, vector or matrix
		Args   []Expr // the dimensions, possibly none
		Rparen Pos    // position of ')' or invalid without arguments
		Props  []*Ident
	}

	// AssignStmt binds a name: n = 3, A = [1 2; 3 4], f = x'*A*x.
	AssignStmt struct {
		Name  *Ident
		Eq    Pos
		Value Expr
	}

	// ExprStmt is a bare expression, shown when run.
	ExprStmt struct {
		X Expr
	}

	// CommandStmt is a name followed by words: layout numerator,
	// verify off.
	CommandStmt struct {
		Name *Ident
		Args []Expr // each an *Ident or a *Number
	}

	// BadStmt stands for a statement that could not be parsed.
	BadStmt struct {
		From, To Pos
	}
)

// Pos returns the position of the first character of the Ident.
func (x *Ident) Pos() Pos { return x.NamePos }

// Pos returns the position of the first character of the Number.
func (x *Number) Pos() Pos { return x.ValuePos }

// Pos returns the position of the first character of the Paren.
func (x *Paren) Pos() Pos { return x.Lparen }

// Pos returns the position of the first character of the Matrix.
func (x *Matrix) Pos() Pos { return x.Lbrack }

// Pos returns the position of the first character of the Inner.
func (x *Inner) Pos() Pos { return x.Langle }

// Pos returns the position of the first character of the Unary.
func (x *Unary) Pos() Pos { return x.OpPos }

// Pos returns the position of the first character of the Binary.
func (x *Binary) Pos() Pos { return x.X.Pos() }

// Pos returns the position of the first character of the Postfix.
func (x *Postfix) Pos() Pos { return x.X.Pos() }

// Pos returns the position of the first character of the Call.
func (x *Call) Pos() Pos { return x.Fun.Pos() }

// Pos returns the position of the first character of the KeyValue.
func (x *KeyValue) Pos() Pos { return x.Key.Pos() }

// Pos returns the position of the first character of the Range.
func (x *Range) Pos() Pos { return x.Lo.Pos() }

// Pos returns the position of the first character of the BadExpr.
func (x *BadExpr) Pos() Pos { return x.From }

// Pos returns the position of the first character of the DeclStmt.
func (s *DeclStmt) Pos() Pos { return s.Names[0].Pos() }

// Pos returns the position of the first character of the AssignStmt.
func (s *AssignStmt) Pos() Pos { return s.Name.Pos() }

// Pos returns the position of the first character of the ExprStmt.
func (s *ExprStmt) Pos() Pos { return s.X.Pos() }

// Pos returns the position of the first character of the CommandStmt.
func (s *CommandStmt) Pos() Pos { return s.Name.Pos() }

// Pos returns the position of the first character of the BadStmt.
func (s *BadStmt) Pos() Pos { return s.From }

// End returns the position just after the Ident.
func (x *Ident) End() Pos { return advance(x.NamePos, x.Name) }

// End returns the position just after the Number.
func (x *Number) End() Pos { return advance(x.ValuePos, x.Lit) }

// End returns the position just after the Paren.
func (x *Paren) End() Pos { return advance(x.Rparen, ")") }

// End returns the position just after the Matrix.
func (x *Matrix) End() Pos { return advance(x.Rbrack, "]") }

// End returns the position just after the Inner.
func (x *Inner) End() Pos {
	if x.Close == "" {
		return advance(x.Rangle, ">")
	}
	return advance(x.Rangle, x.Close)
}

// End returns the position just after the Unary.
func (x *Unary) End() Pos { return x.X.End() }

// End returns the position just after the Binary.
func (x *Binary) End() Pos { return x.Y.End() }

// End returns the position just after the Postfix.
func (x *Postfix) End() Pos { return x.OpEnd }

// End returns the position just after the Call.
func (x *Call) End() Pos { return advance(x.Rparen, ")") }

// End returns the position just after the KeyValue.
func (x *KeyValue) End() Pos { return x.Value.End() }

// End returns the position just after the Range.
func (x *Range) End() Pos { return x.Hi.End() }

// End returns the position just after the BadExpr.
func (x *BadExpr) End() Pos { return x.To }

// End returns the position just after the DeclStmt.
func (s *DeclStmt) End() Pos {
	if n := len(s.Props); n > 0 {
		return s.Props[n-1].End()
	}
	if s.Rparen.IsValid() {
		return advance(s.Rparen, ")")
	}
	return s.Type.End()
}

// End returns the position just after the AssignStmt.
func (s *AssignStmt) End() Pos { return s.Value.End() }

// End returns the position just after the ExprStmt.
func (s *ExprStmt) End() Pos { return s.X.End() }

// End returns the position just after the CommandStmt.
func (s *CommandStmt) End() Pos {
	if n := len(s.Args); n > 0 {
		return s.Args[n-1].End()
	}
	return s.Name.End()
}

// End returns the position just after the BadStmt.
func (s *BadStmt) End() Pos { return s.To }

func (*Ident) exprNode()    {}
func (*Number) exprNode()   {}
func (*Paren) exprNode()    {}
func (*Matrix) exprNode()   {}
func (*Inner) exprNode()    {}
func (*Unary) exprNode()    {}
func (*Binary) exprNode()   {}
func (*Postfix) exprNode()  {}
func (*Call) exprNode()     {}
func (*KeyValue) exprNode() {}
func (*Range) exprNode()    {}
func (*BadExpr) exprNode()  {}

func (*DeclStmt) stmtNode()    {}
func (*AssignStmt) stmtNode()  {}
func (*ExprStmt) stmtNode()    {}
func (*CommandStmt) stmtNode() {}
func (*BadStmt) stmtNode()     {}

// advance returns the position after the single-line text s starting at p.
func advance(p Pos, s string) Pos {
	return Pos{Offset: p.Offset + len(s), Line: p.Line, Col: p.Col + runeCount(s)}
}

// Inspect traverses the tree rooted at n in depth-first order, calling f
// for each node; when f returns false the node's children are skipped.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	switch n := n.(type) {
	case *File:
		for _, s := range n.Stmts {
			Inspect(s, f)
		}
	case *Paren:
		Inspect(n.X, f)
	case *Matrix:
		for _, row := range n.Rows {
			for _, e := range row {
				Inspect(e, f)
			}
		}
	case *Inner:
		Inspect(n.X, f)
		Inspect(n.Y, f)
	case *Unary:
		Inspect(n.X, f)
	case *Binary:
		Inspect(n.X, f)
		Inspect(n.Y, f)
	case *Postfix:
		Inspect(n.X, f)
	case *Call:
		Inspect(n.Fun, f)
		for _, a := range n.Args {
			Inspect(a, f)
		}
	case *KeyValue:
		Inspect(n.Key, f)
		Inspect(n.Value, f)
	case *Range:
		Inspect(n.Lo, f)
		Inspect(n.Hi, f)
	case *DeclStmt:
		for _, x := range n.Names {
			Inspect(x, f)
		}
		Inspect(n.Type, f)
		for _, a := range n.Args {
			Inspect(a, f)
		}
		for _, p := range n.Props {
			Inspect(p, f)
		}
	case *AssignStmt:
		Inspect(n.Name, f)
		Inspect(n.Value, f)
	case *ExprStmt:
		Inspect(n.X, f)
	case *CommandStmt:
		Inspect(n.Name, f)
		for _, a := range n.Args {
			Inspect(a, f)
		}
	}
}
