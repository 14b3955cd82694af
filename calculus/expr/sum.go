package expr

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// ratOne() returns a fresh 1, to be multiplied into.
func ratOne() *big.Rat { return new(big.Rat).SetInt64(1) }

// one and minusOne are the coefficients of a plain and of a negated term.
// Like every coefficient in a Term, they are never modified.
var one, minusOne = big.NewRat(1, 1), big.NewRat(-1, 1)

// Unit returns the term 1·x.
func Unit(x Node) Term { return Term{one, x} }

// ratIsOne reports r == 1 without allocating.
func ratIsOne(r *big.Rat) bool { return r.IsInt() && r.Num().IsInt64() && r.Num().Int64() == 1 }

// Add returns a + b + …, flattened, with like terms collected. A scalar
// added to a non-scalar adds to every entry (s·ones). Shapes must agree.
func Add(xs ...Node) (Node, error) {
	terms := make([]Term, len(xs))
	for i, x := range xs {
		terms[i] = Term{one, x}
	}
	return Combine(terms...)
}

// Sub returns a − b.
func Sub(a, b Node) (Node, error) {
	return Combine(Term{one, a}, Term{minusOne, b})
}

// Neg returns −a.
func Neg(a Node) Node { return Scale(minusOne, a) }

// Scale returns c·a (nil for a nil a).
func Scale(c *big.Rat, a Node) Node {
	n, err := combine([]Term{{c, a}}, false)
	if err != nil { // only a nil a: one term cannot mismatch
		return a
	}
	return n
}

// Combine returns Σ cᵢ·xᵢ, the general linear combination behind Add,
// Sub, Neg and Scale.
func Combine(terms ...Term) (Node, error) { return combine(terms, true) }

func combine(terms []Term, checkDepth bool) (Node, error) {
	var shape Shape
	have := false
	for _, t := range terms {
		if err := checkNil("sum", t.X); err != nil {
			return nil, err
		}
		if t.Coef == nil {
			return nil, fmt.Errorf("a term without a coefficient")
		}
		if checkDepth {
			if err := depthOK(t.X); err != nil {
				return nil, err
			}
		}
		if t.X.Shape().IsScalar() {
			continue
		}
		if !have {
			shape, have = t.X.Shape(), true
			continue
		}
		if t.X.Shape() != shape {
			return nil, &ShapeError{Op: "add", Left: renderSum(terms, t), LeftShape: shape, Right: t.X.String(), RightShape: t.X.Shape()}
		}
	}
	if !have {
		shape = ScalarShape()
	}
	if len(terms) == 1 && ratIsOne(terms[0].Coef) {
		switch terms[0].X.(type) {
		case *Sum, *Const, *Zeros:
		default:
			return terms[0].X, nil // 1·x is x
		}
	}
	acc := termSet{out: make([]Term, 0, len(terms))}
	put := acc.put
	var broadcastErr error
	var addTerm func(c *big.Rat, x Node)
	addTerm = func(c *big.Rat, x Node) {
		if c.Sign() == 0 {
			return
		}
		switch x := x.(type) {
		case *Sum:
			for _, t := range x.terms {
				tc := t.Coef
				if !ratIsOne(c) {
					tc = new(big.Rat).Mul(c, t.Coef)
				}
				addTerm(tc, t.X)
			}
			return
		case *Const:
			v := new(big.Rat).Mul(c, x.val)
			x1 := OnesOf(shape)
			put(v, x1)
			return
		case *Zeros:
			return
		}
		if x.Shape().IsScalar() && !shape.IsScalar() {
			m, err := Mul(x, OnesOf(shape))
			if err != nil {
				broadcastErr = err
				return
			}
			addTerm(c, m)
			return
		}
		put(c, x)
	}
	for _, t := range terms {
		addTerm(t.Coef, t.X)
	}
	if broadcastErr != nil {
		return nil, broadcastErr
	}
	out := acc.out
	kept := out[:0]
	for _, t := range out {
		if t.Coef.Sign() != 0 {
			kept = append(kept, t)
		}
	}
	out = kept
	switch len(out) {
	case 0:
		return ZerosOf(shape), nil
	case 1:
		if ratIsOne(out[0].Coef) {
			return out[0].X, nil
		}
		if IsOne(out[0].X) {
			return NewConst(out[0].Coef), nil
		}
	}
	slices.SortStableFunc(out, termCompare)
	return newSum(shape, out), nil
}

// termSet collects like terms: found by key, by a scan while there are
// few, then through a map.
type termSet struct {
	out []Term
	at  map[string]int
}

func (a *termSet) find(k string) int {
	if a.at != nil {
		if i, ok := a.at[k]; ok {
			return i
		}
		return -1
	}
	for i, t := range a.out {
		if t.X.Key() == k {
			return i
		}
	}
	return -1
}

// put adds c·x, to the like term when there is one.
func (a *termSet) put(c *big.Rat, x Node) {
	k := x.Key()
	if i := a.find(k); i >= 0 {
		a.out[i].Coef = new(big.Rat).Add(a.out[i].Coef, c)
		return
	}
	if a.at == nil && len(a.out) >= 8 {
		a.at = make(map[string]int, 2*len(a.out))
		for i, t := range a.out {
			a.at[t.X.Key()] = i
		}
	}
	if a.at != nil {
		a.at[k] = len(a.out)
	}
	a.out = append(a.out, Term{c, x})
}

// termCompare orders the terms of a sum: by key, constants last.
func termCompare(a, b Term) int {
	ac, bc := isConstTerm(a.X), isConstTerm(b.X)
	switch {
	case ac == bc:
		return strings.Compare(a.X.Key(), b.X.Key())
	case bc:
		return -1
	}
	return 1
}

func isConstTerm(n Node) bool {
	switch n.(type) {
	case *Const, *Ones:
		return true
	}
	return false
}

func newSum(shape Shape, terms []Term) *Sum {
	var b strings.Builder
	size := 3
	for _, t := range terms {
		size += len(t.X.Key()) + 4 // "c*key "
	}
	b.Grow(size)
	b.WriteString("+(")
	kids := make([]Node, len(terms))
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeRat(&b, t.Coef)
		b.WriteByte('*')
		b.WriteString(t.X.Key())
		kids[i] = t.X
	}
	b.WriteByte(')')
	return &Sum{nodeBase: newBase(shape, b.String(), kids...), terms: terms}
}

// writeRat writes r as RatString does ("2", "-1/3"), without big's
// allocations when r is a small integer.
func writeRat(b *strings.Builder, r *big.Rat) {
	if r.IsInt() && r.Num().IsInt64() {
		var buf [20]byte
		b.Write(strconv.AppendInt(buf[:0], r.Num().Int64(), 10))
		return
	}
	b.WriteString(r.RatString())
}

func renderSum(terms []Term, upTo Term) string {
	var parts []string
	for _, t := range terms {
		if t == upTo {
			break
		}
		parts = append(parts, t.X.String())
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " + ") + ")"
}
