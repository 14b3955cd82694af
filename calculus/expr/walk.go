package expr

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// Inspect walks n depth-first, calling f on every node before its
// children; when f returns false the children are skipped.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	for _, c := range n.base().children() {
		Inspect(c, f)
	}
}

// Rebuild returns a node of n's kind with the given children in place of
// n's (as Children returns them), through the smart constructors, so the
// result is in normal form. A Sum keeps its coefficients, a Func its
// name, a Power its exponent, a Product takes kids as Scalars then Chain.
// Leaves (symbols, constants, identities, differentials) ignore kids.
func Rebuild(n Node, kids []Node) (Node, error) {
	if len(kids) != len(n.base().children()) {
		return nil, fmt.Errorf("Rebuild of a %s with %d children, want %d", n.Kind(), len(kids), len(n.base().children()))
	}
	var out Node
	var err error
	switch n := n.(type) {
	case *Sum:
		terms := make([]Term, len(kids))
		for i, t := range n.terms {
			terms[i] = Term{t.Coef, kids[i]}
		}
		out, err = Combine(terms...)
	case *Product:
		out, err = Mul(kids...)
	case *Transpose:
		out = T(kids[0])
	case *Inverse:
		out, err = Inv(kids[0])
	case *PseudoInverse:
		out, err = Pinv(kids[0])
	case *Trace:
		out, err = Tr(kids[0])
	case *Determinant:
		out, err = Det(kids[0])
	case *LogDeterminant:
		out, err = LogDet(kids[0])
	case *Softmax:
		out, err = SoftmaxOf(kids[0])
	case *LogSumExp:
		out, err = LogSumExpOf(kids[0])
	case *Func:
		out, err = Apply(n.name, kids[0])
	case *HadamardProduct:
		out, err = Hadamard(kids...)
	case *Power:
		out, err = ElemPow(kids[0], n.p)
	case *MatPow:
		out, err = Pow(kids[0], n.k)
	case *EntrySum:
		out, err = SumEntries(kids[0])
	case *DiagMatrix:
		out, err = Diag(kids[0])
	case *DiagPart:
		out, err = Diag(kids[0])
	case *Vectorize:
		out, err = Vec(kids[0])
	case *KronProduct:
		out, err = Kron(kids[0], kids[1])
	case *Literal:
		rows := make([][]Node, len(n.rows))
		k := 0
		for i, r := range n.rows {
			rows[i] = kids[k : k+len(r)]
			k += len(r)
		}
		out, err = Matrix(rows)
	default:
		return n, nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Map rebuilds n bottom-up, replacing every node m by f(m) after its
// children were mapped (f sees the rebuilt node). It stops at the first
// error.
func Map(n Node, f func(Node) (Node, error)) (Node, error) {
	kids := n.base().children()
	var nk []Node // the new children, made at the first that changes
	for i, k := range kids {
		m, err := Map(k, f)
		if err != nil {
			return nil, err
		}
		if m != k && nk == nil {
			nk = make([]Node, len(kids))
			copy(nk, kids[:i])
		}
		if nk != nil {
			nk[i] = m
		}
	}
	if nk != nil {
		var err error
		if n, err = Rebuild(n, nk); err != nil {
			return nil, err
		}
	}
	return f(n)
}

// Substitute replaces symbols by name with the given expressions (of the
// same shape) and renormalises.
func Substitute(n Node, by map[string]Node) (Node, error) {
	return Map(n, func(m Node) (Node, error) {
		if s, ok := m.(*Symbol); ok {
			if r, ok := by[s.name]; ok {
				if r.Shape() != s.shape {
					return nil, &ShapeError{Op: "substitute", Left: r.String(), LeftShape: r.Shape(),
						Detail: fmt.Sprintf("%s is %s", s.name, s.shape)}
				}
				return r, nil
			}
		}
		return m, nil
	})
}

// Symbols returns the distinct symbols of n (not counting those inside
// differentials), sorted by name.
func Symbols(n Node) []*Symbol {
	var out []*Symbol
	Inspect(n, func(m Node) bool {
		if s, ok := m.(*Symbol); ok {
			i, found := slices.BinarySearchFunc(out, s.name, func(x *Symbol, name string) int { return strings.Compare(x.name, name) })
			if !found {
				out = slices.Insert(out, i, s)
			}
		}
		return true
	})
	return out
}

// Contains reports whether the symbol called name occurs in n.
func Contains(n Node, name string) bool {
	found := false
	Inspect(n, func(m Node) bool {
		if s, ok := m.(*Symbol); ok && s.name == name {
			found = true
		}
		return !found
	})
	return found
}

// ContainsDifferential reports whether a differential leaf occurs in n.
func ContainsDifferential(n Node) bool {
	found := false
	Inspect(n, func(m Node) bool {
		if _, ok := m.(*Differential); ok {
			found = true
		}
		return !found
	})
	return found
}

// Size returns the number of nodes of n's tree.
func Size(n Node) int {
	c := 0
	Inspect(n, func(Node) bool { c++; return true })
	return c
}

// Expand distributes products over sums: (A + B)C = AC + BC, and takes
// the trace, transpose and Hadamard product through the sums it finds.
// It fails when the result would have more than maxTerms terms.
func Expand(n Node, maxTerms int) (Node, error) {
	return Map(n, func(m Node) (Node, error) {
		switch m := m.(type) {
		case *Product:
			fs := m.Factors()
			acc := []Term{{one, nil}}
			for _, f := range fs {
				var parts []Term
				if s, ok := f.(*Sum); ok {
					parts = s.Terms()
				} else {
					parts = []Term{{one, f}}
				}
				if len(acc)*len(parts) > maxTerms {
					return nil, fmt.Errorf("expanding gives more than %d terms", maxTerms)
				}
				var next []Term
				for _, a := range acc {
					for _, p := range parts {
						var x Node
						if a.X == nil {
							x = p.X
						} else {
							var err error
							if x, err = Mul(a.X, p.X); err != nil {
								return nil, err
							}
						}
						next = append(next, Term{new(big.Rat).Mul(a.Coef, p.Coef), x})
					}
				}
				acc = next
			}
			return Combine(acc...)
		case *HadamardProduct:
			// Distribute over the first factor that is a sum.
			fs := m.Factors()
			for i, f := range fs {
				s, ok := f.(*Sum)
				if !ok || len(s.terms) < 2 {
					continue
				}
				var terms []Term
				for _, t := range s.terms {
					g := append(append(append([]Node(nil), fs[:i]...), t.X), fs[i+1:]...)
					h, err := Hadamard(g...)
					if err != nil {
						return nil, err
					}
					h, err = Expand(h, maxTerms)
					if err != nil {
						return nil, err
					}
					terms = append(terms, Term{t.Coef, h})
				}
				return Combine(terms...)
			}
		}
		return m, nil
	})
}

// WithSpan returns a copy of n that carries the source position s.
func WithSpan(n Node, s Span) Node {
	switch n := n.(type) {
	case *Symbol:
		c := *n
		c.span = s
		return &c
	case *Const:
		c := *n
		c.span = s
		return &c
	case *Sum:
		c := *n
		c.span = s
		return &c
	case *Product:
		c := *n
		c.span = s
		return &c
	case *Transpose:
		c := *n
		c.span = s
		return &c
	case *Inverse:
		c := *n
		c.span = s
		return &c
	case *PseudoInverse:
		c := *n
		c.span = s
		return &c
	case *Trace:
		c := *n
		c.span = s
		return &c
	case *Determinant:
		c := *n
		c.span = s
		return &c
	case *LogDeterminant:
		c := *n
		c.span = s
		return &c
	case *Softmax:
		c := *n
		c.span = s
		return &c
	case *LogSumExp:
		c := *n
		c.span = s
		return &c
	case *Func:
		c := *n
		c.span = s
		return &c
	case *HadamardProduct:
		c := *n
		c.span = s
		return &c
	case *Power:
		c := *n
		c.span = s
		return &c
	case *MatPow:
		c := *n
		c.span = s
		return &c
	case *EntrySum:
		c := *n
		c.span = s
		return &c
	case *DiagMatrix:
		c := *n
		c.span = s
		return &c
	case *DiagPart:
		c := *n
		c.span = s
		return &c
	case *Vectorize:
		c := *n
		c.span = s
		return &c
	case *KronProduct:
		c := *n
		c.span = s
		return &c
	case *Identity:
		c := *n
		c.span = s
		return &c
	case *Commutation:
		c := *n
		c.span = s
		return &c
	case *Zeros:
		c := *n
		c.span = s
		return &c
	case *Ones:
		c := *n
		c.span = s
		return &c
	case *Literal:
		c := *n
		c.span = s
		return &c
	case *Differential:
		c := *n
		c.span = s
		return &c
	}
	return n
}
