package syntax

import (
	"fmt"
	"strings"
	"testing"
)

// sexpr renders a node fully parenthesized, for comparing parse trees.
func sexpr(n Node) string {
	switch n := n.(type) {
	case *File:
		var parts []string
		for _, s := range n.Stmts {
			parts = append(parts, sexpr(s))
		}
		return strings.Join(parts, "; ")
	case *Ident:
		return n.Name
	case *Number:
		return n.Lit
	case *Paren:
		return "(paren " + sexpr(n.X) + ")"
	case *Matrix:
		var rows []string
		for _, r := range n.Rows {
			var es []string
			for _, e := range r {
				es = append(es, sexpr(e))
			}
			rows = append(rows, strings.Join(es, ", "))
		}
		return "[" + strings.Join(rows, "; ") + "]"
	case *Inner:
		return "<" + sexpr(n.X) + ", " + sexpr(n.Y) + ">"
	case *Unary:
		return "(" + n.Op.Op() + " " + sexpr(n.X) + ")"
	case *Binary:
		return "(" + sexpr(n.X) + " " + n.Op.Op() + " " + sexpr(n.Y) + ")"
	case *Postfix:
		return "(" + sexpr(n.X) + " " + n.Op.Op() + ")"
	case *Call:
		var as []string
		for _, a := range n.Args {
			as = append(as, sexpr(a))
		}
		return n.Fun.Name + "(" + strings.Join(as, ", ") + ")"
	case *KeyValue:
		return n.Key.Name + "=" + sexpr(n.Value)
	case *Range:
		return sexpr(n.Lo) + ".." + sexpr(n.Hi)
	case *DeclStmt:
		var names, args, props []string
		for _, x := range n.Names {
			names = append(names, x.Name)
		}
		for _, x := range n.Args {
			args = append(args, sexpr(x))
		}
		for _, x := range n.Props {
			props = append(props, x.Name)
		}
		return fmt.Sprintf("decl %s : %s(%s) %s", strings.Join(names, ","), n.Type.Name, strings.Join(args, ","), strings.Join(props, " "))
	case *AssignStmt:
		return n.Name.Name + " := " + sexpr(n.Value)
	case *ExprStmt:
		return sexpr(n.X)
	case *CommandStmt:
		var args []string
		for _, a := range n.Args {
			args = append(args, sexpr(a))
		}
		return "cmd " + n.Name.Name + " " + strings.Join(args, " ")
	case *BadStmt:
		return "BAD"
	case *BadExpr:
		return "BADEXPR"
	}
	return fmt.Sprintf("?%T", n)
}

func TestParse(t *testing.T) {
	tests := []struct{ src, want string }{
		{"x'*A*x", "(((x ') * A) * x)"},
		{"a + b*c - d", "((a + (b * c)) - d)"},
		{"-x^2", "(- (x ^ 2))"},
		{"2*-x", "(2 * (- x))"},
		{"X^-1", "(X ^ (- 1))"},
		{"X^T*Y", "((X ') * Y)"},
		{"X^T^-1", "((X ') ^ (- 1))"},
		{"a^b^c", "(a ^ (b ^ c))"},
		{"x.^2 ./ y .* z", "(((x .^ 2) ./ y) .* z)"},
		{"Xᵀ X⁻¹", "BAD"},
		{"Xᵀ*X⁻¹", "((X ') * (X ^-1))"},
		{"(A*x - b)'", "((paren ((A * x) - b)) ')"},
		{"norm(A*x - b)^2", "(norm(((A * x) - b)) ^ 2)"},
		{"<a, x>", "<a, x>"},
		{"<A*x, x> + 1", "(<(A * x), x> + 1)"},
		{"a < b", "(a < b)"},
		{"<(a > b), c>", "<(paren (a > b)), c>"},
		{"check(grad(f, x) == 2*x)", "check((grad(f, x) == (2 * x)))"},
		{"plot(x(t), t = 0..2)", "plot(x(t), t=0..2)"},
		{"components(f, x, 3)", "components(f, x, 3)"},
		{"[1 2 3; 4 5 6]", "[1, 2, 3; 4, 5, 6]"},
		{"[1, 2\n 3, 4]", "[1, 2; 3, 4]"},
		{"[\n 1 2\n\n 3 4\n]", "[1, 2; 3, 4]"},
		{"[1 -2]", "[1, (- 2)]"},
		{"[1 - 2]", "[(1 - 2)]"},
		{"[1-2]", "[(1 - 2)]"},
		{"[1 -  2]", "[(1 - 2)]"},
		{"[a' b']", "[(a '), (b ')]"},
		{"[a' -b']", "[(a '), (- (b '))]"},
		{"[f(1, 2) (3)]", "[f(1, 2), (paren 3)]"},
		{"[x (y + 1)]", "[x, (paren (y + 1))]"},
		{"[<a, b> <c, d>]", "[<a, b>, <c, d>]"},
		{"[4/3*exp(t) - 1/3*exp(-5*t), 2; 0, 1]", "[(((4 / 3) * exp(t)) - ((1 / 3) * exp(((- 5) * t)))), 2; 0, 1]"},
		{"[A b; c' 1]", "[A, b; (c '), 1]"},
		{"[]", "[]"},
		{"x, b : vector(n)", "decl x,b : vector(n) "},
		{"A : matrix(m, n) symmetric", "decl A : matrix(m,n) symmetric"},
		{"S : matrix(n, n) symmetric, spd", "decl S : matrix(n,n) symmetric spd"},
		{"c : scalar", "decl c : scalar() "},
		{"n = 3", "n := 3"},
		{"f = norm(A*x - b)^2", "f := (norm(((A * x) - b)) ^ 2)"},
		{"layout numerator", "cmd layout numerator"},
		{"verify off", "cmd verify off"},
		{"x # comment\ny", "x; y"},
		{"a; b\n\nc", "a; b; c"},
		{"f = a +\n  b", "f := (a + b)"},
		{"f(a,\n  b)", "f(a, b)"},
		{"1..2", "BAD"},
		{"1.*x", "(1 .* x)"},
		{".5 + 1e-3 + 2.5E+2", "((.5 + 1e-3) + 2.5E+2)"},
		{"α + β₁", "(α + β₁)"},
		{"a − b", "(a - b)"},
		{"\ufeffx\r\ny", "x; y"},
		{"tr(X)\n", "tr(X)"},
		{"f()", "f()"},
		{"ode(A, x0)", "ode(A, x0)"},
	}
	for _, tt := range tests {
		f, _ := Parse(tt.src)
		if got := sexpr(f); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"f(x", "1:4: expected ')' to close '(' at 1:2, found end of input"},
		{"f(x\ny = 2", "2:1: expected ')' to close '(' at 1:2, found name y"},
		{"(a + b", "1:7: expected ')' to close '(' at 1:1, found end of input"},
		{"[1 2", "1:5: expected ']' to close '[' at 1:1, found end of input"},
		{"x +", "1:4: expected an operand after '+', found end of input"},
		{"x + * y", "1:5: expected an operand, found '*'"},
		{"x)", "1:2: unexpected ')': no bracket is open"},
		{"2x", "1:1: malformed number \"2x\": write a product as 2*x"},
		{"a b c + 1", "1:7: expected end of statement, found '+'"},
		{"f(x) g", "1:6: expected an operator or the end of the statement, found name g (write a product with *)"},
		{"x = 1 %", "1:7: unexpected character '%'"},
		{"x**2", "1:2: unexpected '**': write a power with ^ (x^2, X^-1) or .^ elementwise"},
		{"A\\b", "1:2: unexpected '\\': write solve(A, b) for the solution of A*x = b, or inv(A)*b"},
		{"A : ", "1:5: expected a type (scalar, vector(n) or matrix(m, n)), found end of input"},
		{"<a b>", "1:4: expected ',' in the inner product <a, b> opened at 1:1, found name b"},
		{"<a, b", "1:6: expected '>' to close '<' at 1:1, found end of input"},
		{"a < b < c", "1:7: comparisons do not chain: parenthesize one side"},
		{"[1,,2]", "1:4: expected a matrix entry before ','"},
		{"[1, 2,]", "1:7: expected a matrix entry after ',', found ']'"},
		{"α + )", "1:5: expected an operand, found ')'"},
		{"x = .", "1:5: unexpected '.': write a number as 0.5, or use .* ./ .^ or .."},
		{"x\n  y = (", "2:8: expected an operand, found end of input"},
		// At the end of input after a newline, blank lines or a comment,
		// the error points just after the last token, on a line with text.
		{"f(1, (2\n", "1:8: expected ')' to close '(' at 1:6, found end of input"},
		{"1 +\n\n  \n", "1:4: expected an operand after '+', found end of input"},
		{"x = [1 2\n  3 4   # more\n\n", "2:6: expected ']' to close '[' at 1:5, found end of input"},
		{"a = 1\nb = )\nc = ]", "2:5: expected an operand, found ')' (and 1 more errors)"},
		{strings.Repeat("(", 600) + "x", "1:251: expression nested too deeply (more than 500 levels)"},
		{strings.Repeat("-", 600) + "x", "1:500: expression nested too deeply (more than 500 levels)"},
		{"x" + strings.Repeat("+x", 10001), "1:20002: statement too long: more than 10000 operators"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		if err == nil {
			t.Errorf("Parse(%q): no error, want %s", tt.src, tt.want)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("Parse(%q):\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestIsComplete(t *testing.T) {
	tests := []struct{ src, status, indent string }{
		{"", Complete, ""},
		{"x'*A*x", Complete, ""},
		{"f(x", Incomplete, "    "},
		{"A = [1 2\n", Incomplete, "    "},
		{"g(f(x", Incomplete, "        "},
		{"x +", Incomplete, ""},
		{"x + # more to come", Incomplete, ""},
		{"f =", Incomplete, ""},
		{"A :", Incomplete, ""},
		{"<a, b", Incomplete, ""},
		{"x)", Invalid, ""},
		{"f(x\ny = )", Invalid, ""},
		{"x = 1 %", Invalid, ""},
		{"layout numerator", Complete, ""},
	}
	for _, tt := range tests {
		st, ind := IsComplete(tt.src)
		if st != tt.status || ind != tt.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", tt.src, st, ind, tt.status, tt.indent)
		}
	}
}

func TestPositions(t *testing.T) {
	src := "f = αβ + x'\n  [1 -2]"
	f, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	Inspect(f, func(n Node) bool {
		got = append(got, fmt.Sprintf("%T %s-%s %q", n, n.Pos(), n.End(), src[n.Pos().Offset:n.End().Offset]))
		return true
	})
	want := []string{
		`*syntax.File 1:1-2:9 "f = αβ + x'\n  [1 -2]"`,
		`*syntax.AssignStmt 1:1-1:12 "f = αβ + x'"`,
		`*syntax.Ident 1:1-1:2 "f"`,
		`*syntax.Binary 1:5-1:12 "αβ + x'"`,
		`*syntax.Ident 1:5-1:7 "αβ"`,
		`*syntax.Postfix 1:10-1:12 "x'"`,
		`*syntax.Ident 1:10-1:11 "x"`,
		`*syntax.ExprStmt 2:3-2:9 "[1 -2]"`,
		`*syntax.Matrix 2:3-2:9 "[1 -2]"`,
		`*syntax.Number 2:4-2:5 "1"`,
		`*syntax.Unary 2:6-2:8 "-2"`,
		`*syntax.Number 2:7-2:8 "2"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("positions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCaret(t *testing.T) {
	src := "a = 1\n\tb = α + )"
	_, err := Parse(src)
	e := err.(ErrorList)[0]
	got := Caret(Line(src, e.Pos.Line), e.Pos.Col)
	want := "\tb = α + )\n\t        ^"
	if got != want {
		t.Errorf("Caret:\n%s\nwant:\n%s", got, want)
	}
}
