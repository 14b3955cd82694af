package builtin

import (
	"fmt"
	"strings"
)

// Op is the operation at the top of a Term.
type Op int

const (
	// U is the argument u.
	U Op = iota
	// Call applies the elementwise function Name to Args[0].
	Call
	// Neg is −Args[0].
	Neg
	// OneMinus is 1 − Args[0], the 1 being ones of u's shape.
	OneMinus
	// Pow is the elementwise power Args[0].^(Num/Den).
	Pow
	// Scale is (Num/Den) Args[0].
	Scale
	// Times is the elementwise product Args[0] ⊙ Args[1].
	Times
	// Zero is the zero of u's shape.
	Zero
)

// A Term is a formula in one argument u: the form the derivative of an
// elementwise function takes, small enough for package diff to build it
// as an expression and for help to print it.
type Term struct {
	Op       Op
	Name     string // Call
	Num, Den int64  // Pow, Scale
	Args     []Term
}

func u() *Term                        { return &Term{Op: U} }
func call(name string, x *Term) *Term { return &Term{Op: Call, Name: name, Args: []Term{*x}} }
func neg(x *Term) *Term               { return &Term{Op: Neg, Args: []Term{*x}} }
func oneMinus(x *Term) *Term          { return &Term{Op: OneMinus, Args: []Term{*x}} }
func pow(x *Term, num, den int64) *Term {
	return &Term{Op: Pow, Num: num, Den: den, Args: []Term{*x}}
}
func scale(num, den int64, x *Term) *Term {
	return &Term{Op: Scale, Num: num, Den: den, Args: []Term{*x}}
}
func times(x, y *Term) *Term { return &Term{Op: Times, Args: []Term{*x, *y}} }
func zero() *Term            { return &Term{Op: Zero} }

// ratio writes num/den as the language would.
func ratio(num, den int64) string {
	if den == 1 {
		return fmt.Sprint(num)
	}
	return fmt.Sprintf("%d/%d", num, den)
}

// String writes the term in the language's notation, as in
// "1 - tanh(u).^2".
func (t Term) String() string {
	s, _ := t.text()
	return s
}

// Precedences of a term's text, loosest last.
const (
	precAtom    = iota // u, f(u), u.^2
	precProduct        // -a, 1/2*a, a .* b, 1 ./ a
	precSum            // 1 - a
)

// text returns the term's text and its precedence.
func (t Term) text() (string, int) {
	// arg writes operand i, in parentheses when it binds more loosely
	// than prec allows.
	arg := func(i, prec int) string {
		s, p := t.Args[i].text()
		if p > prec {
			return "(" + s + ")"
		}
		return s
	}
	switch t.Op {
	case U:
		return "u", precAtom
	case Call:
		s, _ := t.Args[0].text()
		return t.Name + "(" + s + ")", precAtom
	case Neg:
		return "-" + arg(0, precAtom), precProduct
	case OneMinus:
		return "1 - " + arg(0, precProduct), precSum
	case Pow:
		if t.Num == -1 && t.Den == 1 {
			return "1 ./ " + arg(0, precAtom), precProduct
		}
		e := ratio(t.Num, t.Den)
		if t.Num < 0 || t.Den != 1 {
			e = "(" + e + ")"
		}
		return arg(0, precAtom) + ".^" + e, precAtom
	case Scale:
		return ratio(t.Num, t.Den) + "*" + arg(0, precAtom), precProduct
	case Times:
		return arg(0, precProduct) + " .* " + arg(1, precProduct), precProduct
	case Zero:
		return "0", precAtom
	}
	return "?", precAtom
}

// Rule returns the derivative of an elementwise function as a teacher
// writes it: "d tanh(u) = (1 - tanh(u).^2) .* du".
func (f Func) Rule() string {
	if f.Deriv == nil {
		return ""
	}
	lhs := "d " + f.Name + "(u) = "
	d := *f.Deriv
	switch {
	case d.Op == Zero:
		return lhs + "0"
	case d.Op == Pow && d.Num == -1 && d.Den == 1 && d.Args[0].Op == U:
		return lhs + "du ./ u"
	}
	s, p := d.text()
	if p > precProduct {
		s = "(" + s + ")"
	}
	return lhs + s + " .* du"
}

// Fill returns a NumPy template with its {} replaced by args in turn.
func Fill(template string, args ...string) string {
	var b strings.Builder
	for _, a := range args {
		i := strings.Index(template, "{}")
		if i < 0 {
			break
		}
		b.WriteString(template[:i])
		b.WriteString(a)
		template = template[i+2:]
	}
	b.WriteString(template)
	return b.String()
}
