// Package builtin is the one table of matcalc's functions and commands,
// in the manner of go/types' universe.go: for each function, in one
// entry, its name, arity and shape rule, its value (exact and float), its
// derivative (a formula a teacher can read), its NumPy and gonum
// spellings, its LaTeX and its help (signature, one line, a runnable
// example, the rule or identity it uses).
//
// The package is the lowest layer of the language: it imports only the
// standard library, so that every other layer reads the same table —
// calculus/linalg its values, calculus/expr its names, folding and LaTeX,
// calculus/diff its derivatives and code spellings, and package calculus
// its arities, shapes and help. Adding an elementwise function is one
// entry in table (and its tests); TestTable in package calculus walks the
// table and fails when any piece is missing for any function.
package builtin

import (
	"math/big"
	"slices"
	"sort"
	"sync"
)

// Kind says what sort of name an entry is, and so which of its pieces
// must be present.
type Kind int

const (
	// Elementwise is a function applied to every entry (exp, tanh): its
	// value, derivative, spellings and LaTeX all come from its entry.
	Elementwise Kind = iota
	// Matrix is a function of whole matrices with its own node in package
	// expr (tr, det, inv, kron): it has a derivative rule of package diff.
	Matrix
	// Constructor builds a constant matrix from sizes (eye, zeros).
	Constructor
	// Numeric is a function of numbers only (rank, eig, solve): it has a
	// value but no symbolic form and no derivative.
	Numeric
	// Command is a command of the language (grad, ode, plot) used alone on
	// a line or bound to a name.
	Command
	// Statement is a word that begins a statement (layout, verify).
	Statement
)

// String returns the kind's name as help shows it.
func (k Kind) String() string {
	switch k {
	case Elementwise:
		return "elementwise function"
	case Matrix:
		return "function"
	case Constructor:
		return "constructor"
	case Numeric:
		return "function of numbers"
	case Command:
		return "command"
	case Statement:
		return "statement"
	}
	return "?"
}

// ShapeRule is how the shape of a one-argument call follows from its
// argument's, for the shape checker.
type ShapeRule int

const (
	// ShapeOther: the shape is worked out where the call is built (two
	// arguments, sizes, decompositions).
	ShapeOther ShapeRule = iota
	// ShapeSame: the result has the argument's shape.
	ShapeSame
	// ShapeScalar: the result is a scalar.
	ShapeScalar
)

// Domain is the set of numbers an elementwise function is defined on.
type Domain int

const (
	// Reals: every real number.
	Reals Domain = iota
	// Positive numbers (log).
	Positive
	// NonNegative numbers (sqrt).
	NonNegative
)

// Contains reports whether x is in the domain (NaN is in Reals only).
func (d Domain) Contains(x float64) bool {
	switch d {
	case Positive:
		return x > 0
	case NonNegative:
		return !(x < 0)
	}
	return true
}

// ContainsRat reports whether the rational x is in the domain.
func (d Domain) ContainsRat(x *big.Rat) bool {
	switch d {
	case Positive:
		return x.Sign() > 0
	case NonNegative:
		return x.Sign() >= 0
	}
	return true
}

// Requirement says what an argument outside the domain lacks, as in
// "log needs a positive argument".
func (d Domain) Requirement() string {
	switch d {
	case Positive:
		return "a positive argument"
	case NonNegative:
		return "a non-negative argument"
	}
	return "a real argument"
}

// TeXForm is how an elementwise function is typeset.
type TeXForm int

const (
	// TeXCall: the operator applied, \tanh\left(x\right).
	TeXCall TeXForm = iota
	// TeXBars: between bars, \left|x\right|.
	TeXBars
	// TeXPower: of a scalar, as the power {\rm e}^{x}; of a matrix, as a
	// call (e^{X} would read as the matrix exponential).
	TeXPower
)

// Help is what help on a name shows.
type Help struct {
	Sig     string // how it is called: "tanh(X)"
	Doc     string // one line of what it does
	Example string // a cell that runs as it stands
	Rule    string // the rule or identity it uses, in the language's notation
}

// Func is one entry of the table. Which fields are set depends on Kind;
// TestTable in package calculus says which must be.
type Func struct {
	Name     string
	Kind     Kind
	Min, Max int       // fewest and most arguments (Max −1: any)
	Shape    ShapeRule // for a one-argument call
	Vector   bool      // the argument must be a vector (softmax, logsumexp)
	Internal bool      // not a name of the language (sign, the derivative of abs)
	Help     Help

	// NumPy and Gonum spell the function in exported code. NumPy is a
	// template: {} stands for the argument. Gonum is a Go function of
	// float64 for an elementwise function, a call otherwise.
	NumPy, Gonum string
	// LaTeX is the operator as typeset (\tanh, \operatorname{tr}).
	LaTeX string
	// Args lists the words a statement takes (layout numerator).
	Args []string

	// For an elementwise function:
	TeX    TeXForm
	Domain Domain
	// Float is the value at a number of the domain.
	Float func(x float64) float64
	// Exact is the value at a rational of the domain when it is rational
	// (exp(0) = 1), or false.
	Exact func(x *big.Rat) (*big.Rat, bool)
	// Deriv is f'(u), so that d f(u) = f'(u) ⊙ du.
	Deriv *Term
	// PowNum/PowDen ≠ 0: the function is the elementwise power
	// u.^(PowNum/PowDen) and is built as one (sqrt).
	PowNum, PowDen int64
}

// Callable reports whether a student may call the name as a function or
// a command (everything but statements and internal functions).
func (f Func) Callable() bool { return !f.Internal && f.Kind != Statement }

// table returns the entries, built once: every reader gets copies (see
// Lookup and All), so the table itself never changes.
var table = sync.OnceValues(func() ([]Func, map[string]int) {
	fs := entries()
	idx := make(map[string]int, len(fs))
	for i := range fs {
		if fs[i].Kind == Elementwise && fs[i].Deriv != nil {
			fs[i].Help.Rule = fs[i].Rule()
		}
		idx[fs[i].Name] = i
	}
	return fs, idx
})

// Lookup returns the entry called name.
func Lookup(name string) (Func, bool) {
	fs, idx := table()
	i, ok := idx[name]
	if !ok {
		return Func{}, false
	}
	f := fs[i]
	f.Args = slices.Clone(f.Args)
	return f, true
}

// All returns every entry, sorted by name.
func All() []Func {
	fs, _ := table()
	out := make([]Func, len(fs))
	for i, f := range fs {
		f.Args = slices.Clone(f.Args)
		out[i] = f
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the names of the entries of kind k, sorted.
func Names(k Kind) []string {
	var ns []string
	for _, f := range All() {
		if f.Kind == k {
			ns = append(ns, f.Name)
		}
	}
	return ns
}

// IsElementwise reports whether name is an elementwise function.
func IsElementwise(name string) bool {
	f, ok := Lookup(name)
	return ok && f.Kind == Elementwise
}
