package expr

// IsSymmetric reports whether n is known to be symmetric: a symmetric,
// spd or diagonal symbol, I, diag(v), a scalar, or built from these by
// inverse, power, sum and a product that equals its own transpose.
func IsSymmetric(n Node) bool {
	if !n.Shape().IsSquare() {
		return false
	}
	if n.Shape().IsScalar() {
		return true
	}
	switch n := n.(type) {
	case *Symbol:
		return n.props.Has(Symmetric)
	case *Differential:
		return n.of.props.Has(Symmetric)
	case *Identity, *DiagMatrix, *Zeros, *Ones:
		return true
	case *Inverse, *PseudoInverse:
		return IsSymmetric(n.Children()[0])
	case *MatPow:
		return IsSymmetric(n.x)
	case *Func:
		return IsSymmetric(n.x)
	case *Power:
		return IsSymmetric(n.x)
	}
	return T(n).Key() == n.Key()
}

// T returns the transpose of a, with transposes pushed to the leaves:
// (AB)ᵀ = BᵀAᵀ, (A + B)ᵀ = Aᵀ + Bᵀ, (Aᵀ)ᵀ = A, f(X)ᵀ = f(Xᵀ); a symmetric
// symbol, a scalar, I and diag(v) are their own transposes; (X⁻¹)ᵀ stays as
// the leaf X⁻ᵀ.
func T(a Node) Node {
	if a == nil {
		return nil
	}
	switch a := a.(type) {
	case *Const, *Trace, *Determinant, *LogDeterminant, *LogSumExp, *EntrySum, *Identity, *DiagMatrix:
		return a
	case *Symbol:
		if a.shape.IsScalar() || a.props.Has(Symmetric) {
			return a
		}
	case *Differential:
		if a.shape.IsScalar() || a.of.props.Has(Symmetric) {
			return a
		}
	case *Transpose:
		return a.x
	case *Inverse:
		if IsSymmetric(a.x) {
			return a
		}
	case *PseudoInverse:
		if IsSymmetric(a.x) {
			return a
		}
	case *Sum:
		terms := make([]Term, len(a.terms))
		for i, t := range a.terms {
			terms[i] = Term{t.Coef, T(t.X)}
		}
		return newSumNormal(a.shape.T(), terms)
	case *Product:
		if projector(a.chain) {
			return a // X X⁺ and X⁺X are symmetric (Moore–Penrose)
		}
		chain := make([]Node, len(a.chain))
		for i, f := range a.chain {
			chain[len(a.chain)-1-i] = T(f)
		}
		if len(chain) == 0 {
			return a
		}
		if m, err := Mul(append(append([]Node(nil), a.scalars...), chain...)...); err == nil {
			return m
		}
		return newProduct(a.scalars, chain)
	case *MatPow:
		x := T(a.x)
		return &MatPow{nodeBase: newBase1(a.shape, powKey(x, a.k), x), x: x, k: a.k}
	case *Func:
		return mustFunc(a.name, T(a.x))
	case *HadamardProduct:
		fs := make([]Node, len(a.factors))
		for i, f := range a.factors {
			fs[i] = T(f)
		}
		return newHadamard(fs)
	case *Power:
		return newElemPow(T(a.x), a.p)
	case *KronProduct:
		return newKron(T(a.a), T(a.b))
	case *Commutation:
		return Commute(a.n, a.m)
	case *Zeros:
		return ZerosOf(a.shape.T())
	case *Ones:
		return OnesOf(a.shape.T())
	case *Literal:
		rows := make([][]Node, len(a.cols()))
		for j := range rows {
			rows[j] = make([]Node, len(a.rows))
			for i := range a.rows {
				rows[j][i] = a.rows[i][j]
			}
		}
		return newLiteral(rows)
	}
	if a.Shape().IsScalar() {
		return a
	}
	return &Transpose{nodeBase: newBase1(a.Shape().T(), a.Key()+"'", a), x: a}
}

// projector reports whether chain is X X⁺ or X⁺X, a symmetric projector.
func projector(chain []Node) bool {
	if len(chain) != 2 {
		return false
	}
	if p, ok := chain[1].(*PseudoInverse); ok && p.x.Key() == chain[0].Key() {
		return true
	}
	p, ok := chain[0].(*PseudoInverse)
	return ok && p.x.Key() == chain[1].Key()
}

func (l *Literal) cols() []struct{} {
	if len(l.rows) == 0 {
		return nil
	}
	return make([]struct{}, len(l.rows[0]))
}

// newSumNormal rebuilds a sum whose terms changed but stayed distinct.
func newSumNormal(shape Shape, terms []Term) Node {
	out := make([]Term, 0, len(terms))
	for _, t := range terms {
		out = append(out, Term{t.Coef, t.X})
	}
	n, err := combine(out, false)
	if err != nil { // terms of one shape cannot mismatch
		return newSum(shape, out)
	}
	return n
}
