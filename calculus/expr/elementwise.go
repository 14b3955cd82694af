package expr

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/matcalc/matcalc/calculus/builtin"
)

// FuncNames lists the elementwise functions Apply knows: the Elementwise
// entries of package builtin, with sign, the derivative of abs.
func FuncNames() []string {
	return builtin.Names(builtin.Elementwise)
}

// Apply returns the elementwise function name applied to a: f(a) for a
// scalar, f applied to every entry otherwise. A function that is a power
// (sqrt(a) is a.^(1/2)) is built as one; a constant folds where the
// function's value there is rational (exp(0) = 1, log(1) = 0).
func Apply(name string, a Node) (Node, error) {
	if err := checkNil(name, a); err != nil {
		return nil, err
	}
	f, ok := builtin.Lookup(name)
	if !ok || f.Kind != builtin.Elementwise {
		return nil, fmt.Errorf("unknown elementwise function %q", name)
	}
	if err := depthOK(a); err != nil {
		return nil, err
	}
	if f.PowDen != 0 {
		return ElemPow(a, big.NewRat(f.PowNum, f.PowDen))
	}
	if c, ok := a.(*Const); ok && f.Domain.ContainsRat(c.val) {
		if v, ok := f.Exact(c.val); ok {
			return NewConst(v), nil
		}
	}
	if name == "exp" {
		if _, ok := a.(*Zeros); ok {
			return OnesOf(a.Shape()), nil
		}
	}
	return mustFunc(name, a), nil
}

func mustFunc(name string, a Node) Node {
	return &Func{nodeBase: newBase1(a.Shape(), name+"("+a.Key()+")", a), name: name, x: a}
}

// Hadamard returns the elementwise product a ⊙ b ⊙ …; a scalar operand
// multiplies (Mul). Shapes must agree. Equal factors merge into powers,
// coefficients come out, ones(…) factors drop.
func Hadamard(xs ...Node) (Node, error) {
	if err := checkNil("elementwise product", xs...); err != nil {
		return nil, err
	}
	if err := depthOK(xs...); err != nil {
		return nil, err
	}
	var shape Shape
	have := false
	var scalars []Node
	for _, x := range xs {
		if x.Shape().IsScalar() {
			scalars = append(scalars, x)
			continue
		}
		if have && x.Shape() != shape {
			return nil, &ShapeError{Op: "combine elementwise", Left: xs[0].String(), LeftShape: shape, Right: x.String(), RightShape: x.Shape()}
		}
		shape, have = x.Shape(), true
	}
	if !have {
		return Mul(xs...)
	}
	coef := ratOne()
	var pw powers
	zero := false
	var collect func(x Node)
	collect = func(x Node) {
		switch x := x.(type) {
		case *HadamardProduct:
			for _, f := range x.factors {
				collect(f)
			}
			return
		case *Ones:
			return
		case *Zeros:
			zero = true
			return
		case *Sum:
			if len(x.terms) == 1 {
				coef.Mul(coef, x.terms[0].Coef)
				collect(x.terms[0].X)
				return
			}
		case *Product:
			if len(x.scalars) > 0 && len(x.chain) > 0 {
				scalars = append(scalars, x.scalars...)
				collect(chainNode(x.chain))
				return
			}
		}
		pw.add(x)
	}
	for _, x := range xs {
		if !x.Shape().IsScalar() {
			collect(x)
		}
	}
	if zero {
		return ZerosOf(shape), nil
	}
	var fs []Node
	for _, g := range pw.groups {
		if g.exp.Sign() == 0 {
			continue
		}
		fs = append(fs, newElemPow(g.base, g.exp))
	}
	var core Node
	switch len(fs) {
	case 0:
		core = OnesOf(shape)
	case 1:
		core = fs[0]
	default:
		slices.SortStableFunc(fs, keyCompare)
		core = newHadamard(fs)
	}
	return Mul(append(append(scalars, NewConst(coef)), core)...)
}

func newHadamard(fs []Node) Node {
	slices.SortStableFunc(fs, keyCompare)
	keys := make([]string, len(fs))
	for i, f := range fs {
		keys[i] = f.Key()
	}
	return &HadamardProduct{nodeBase: newBase(fs[0].Shape(), ".*("+strings.Join(keys, " ")+")", fs...), factors: fs}
}

// HadamardDiv returns the elementwise quotient a ./ b = a ⊙ b.^-1.
func HadamardDiv(a, b Node) (Node, error) {
	if err := checkNil("elementwise quotient", a, b); err != nil {
		return nil, err
	}
	r, err := ElemPow(b, big.NewRat(-1, 1))
	if err != nil {
		return nil, err
	}
	return Hadamard(a, r)
}

// ElemPow returns a.^p (s^p for a scalar): p = 1 gives a, p = 0 ones,
// (a.^q).^p = a.^(pq), a rational constant to an integer power is folded,
// and a Hadamard product or a product of scalars is raised factor by
// factor.
func ElemPow(a Node, p *big.Rat) (Node, error) {
	if err := checkNil("power", a); err != nil {
		return nil, err
	}
	if err := depthOK(a); err != nil {
		return nil, err
	}
	if ratIsOne(p) {
		return a, nil
	}
	if p.Sign() == 0 {
		return OnesOf(a.Shape()), nil
	}
	switch x := a.(type) {
	case *Const:
		if p.IsInt() && p.Num().IsInt64() {
			k := p.Num().Int64()
			if x.val.Sign() == 0 {
				if k < 0 {
					return nil, fmt.Errorf("division by zero")
				}
				return x, nil
			}
			bits := int64(x.val.Num().BitLen() + x.val.Denom().BitLen())
			if k > -4096 && k < 4096 && bits*abs64(k) <= 1<<16 {
				num := new(big.Int).Exp(x.val.Num(), big.NewInt(abs64(k)), nil)
				den := new(big.Int).Exp(x.val.Denom(), big.NewInt(abs64(k)), nil)
				if k < 0 {
					num, den = den, num
				}
				return NewConst(new(big.Rat).SetFrac(num, den)), nil
			}
		}
	case *Zeros:
		if p.Sign() > 0 {
			return x, nil
		}
	case *Ones:
		return x, nil
	case *Power:
		// (u^a)^p = u^(ap), except for an even a under a fractional p:
		// (u²)^(1/2) is |u|, not u.
		if p.IsInt() || !x.p.IsInt() || x.p.Num().Bit(0) == 1 {
			return ElemPow(x.x, new(big.Rat).Mul(x.p, p))
		}
	case *HadamardProduct:
		fs := make([]Node, len(x.factors))
		for i, f := range x.factors {
			var err error
			if fs[i], err = ElemPow(f, p); err != nil {
				return nil, err
			}
		}
		return Hadamard(fs...)
	case *Product:
		if len(x.chain) == 0 || (len(x.chain) == 1 && p.IsInt()) {
			// (s·M).^k = s^k·M.^k: a scalar factor leaves an elementwise
			// integer power, so that u ./ (u/s) cancels to s.
			fs := make([]Node, 0, len(x.scalars)+len(x.chain))
			for _, f := range append(append([]Node(nil), x.scalars...), x.chain...) {
				g, err := ElemPow(f, p)
				if err != nil {
					return nil, err
				}
				fs = append(fs, g)
			}
			return Mul(fs...)
		}
	case *Sum:
		if len(x.terms) == 1 && p.IsInt() && p.Num().IsInt64() && p.Num().Int64() > -4096 && p.Num().Int64() < 4096 {
			c, err := ElemPow(NewConst(x.terms[0].Coef), p)
			if err != nil {
				return nil, err
			}
			b, err := ElemPow(x.terms[0].X, p)
			if err != nil {
				return nil, err
			}
			return Mul(c, b)
		}
	}
	return newElemPow(a, p), nil
}

func abs64(k int64) int64 {
	if k < 0 {
		return -k
	}
	return k
}

func newElemPow(a Node, p *big.Rat) Node {
	if ratIsOne(p) {
		return a
	}
	v := new(big.Rat).Set(p)
	return &Power{nodeBase: newBase1(a.Shape(), "pow("+a.Key()+","+v.RatString()+")", a), x: a, p: v}
}

// MaxPower bounds the integer exponent of a matrix power.
const MaxPower = 4096

// Pow returns the matrix power aᵏ of a square a: a⁰ = I, a¹ = a, a⁻¹ =
// Inv(a), a⁻ᵏ = (aᵏ)⁻¹, (Xʲ)ᵏ = Xʲᵏ; a scalar gives s^k.
func Pow(a Node, k int) (Node, error) {
	if err := squareCheck("a power", a); err != nil {
		return nil, err
	}
	if k > MaxPower || k < -MaxPower {
		return nil, fmt.Errorf("power %d is out of range (at most %d)", k, MaxPower)
	}
	if a.Shape().IsScalar() {
		return ElemPow(a, big.NewRat(int64(k), 1))
	}
	switch {
	case k == 0:
		return Eye(a.Shape().Rows), nil
	case k == 1:
		return a, nil
	case k < 0:
		p, err := Pow(a, -k)
		if err != nil {
			return nil, err
		}
		return Inv(p)
	}
	switch x := a.(type) {
	case *Identity:
		return x, nil
	case *MatPow:
		return Pow(x.x, x.k*k)
	case *Zeros:
		return x, nil
	case *Sum:
		if len(x.terms) == 1 {
			c, err := ElemPow(NewConst(x.terms[0].Coef), big.NewRat(int64(k), 1))
			if err != nil {
				return nil, err
			}
			b, err := Pow(x.terms[0].X, k)
			if err != nil {
				return nil, err
			}
			return Mul(c, b)
		}
	}
	return &MatPow{nodeBase: newBase1(a.Shape(), powKey(a, k), a), x: a, k: k}, nil
}

func powKey(a Node, k int) string { return fmt.Sprintf("mpow(%s,%d)", a.Key(), k) }

// keyCompare orders nodes by key.
func keyCompare(a, b Node) int { return strings.Compare(a.Key(), b.Key()) }
