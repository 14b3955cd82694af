package expr

// Commutation is the commutation matrix K(m, n): the mn×mn permutation
// with K(m, n)·vec(A) = vec(Aᵀ) for every m×n matrix A (vec stacks
// columns). It is how vec(dXᵀ) = K vec(dX) is written; K(m, n)ᵀ =
// K(n, m) = K(m, n)⁻¹. Magnus & Neudecker write it K_{mn}.
type Commutation struct {
	nodeBase
	m, n Dim
}

// M returns the rows of the matrix whose vec K turns into vec of the
// transpose.
func (k *Commutation) M() Dim { return k.m }

// N returns the columns of that matrix.
func (k *Commutation) N() Dim { return k.n }

// Kind returns KindCommutation.
func (*Commutation) Kind() Kind { return KindCommutation }

// String renders K(m, n), valid matcalc input.
func (k *Commutation) String() string { return plainOf(k) }

// LaTeX renders K_{m,n}.
func (k *Commutation) LaTeX() string { return latexOf(k) }

// Commute returns the commutation matrix K(m, n) (see Commutation);
// K(1, n) and K(m, 1) are the identity of size mn, as vec(aᵀ) = vec(a)
// for a vector.
func Commute(m, n Dim) Node {
	if m.IsOne() || n.IsOne() {
		return Eye(m.Mul(n))
	}
	s := m.Mul(n)
	return &Commutation{nodeBase: newBase(Shape{s, s}, "K("+m.String()+","+n.String()+")"), m: m, n: n}
}

func (r renderer) commutation(k *Commutation) (string, int) {
	if r.latex {
		return "K_{" + dimTeX(k.m) + "," + dimTeX(k.n) + "}", precAtom
	}
	return "K(" + k.m.String() + ", " + k.n.String() + ")", precAtom
}

// dimTeX renders a dimension in a subscript: 3, n, mn.
func dimTeX(d Dim) string {
	s := ""
	if v, ok := d.Value(); ok || v != 1 {
		s = itoa(int(v))
	}
	for _, n := range d.Names() {
		s += latexName(n)
	}
	return s
}

// kronFactor renders an operand of ⊗ in LaTeX: an identity with its
// size, a Kronecker product on the left bare (⊗ is associative), any
// other operand looser than a power in parentheses.
func (r renderer) kronFactor(n Node, left bool) string {
	switch m := n.(type) {
	case *Identity:
		return "I_{" + dimTeX(m.N()) + "}"
	case *KronProduct:
		if left {
			s, _ := r.render(m)
			return s
		}
	}
	return r.child(n, precProd+1)
}
