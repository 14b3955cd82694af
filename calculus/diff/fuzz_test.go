package diff

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
)

// randomExpr builds an expression from a byte program: each byte picks a
// constructor applied to the stack of built nodes. Constructors that
// fail (shape errors) are skipped, as the interpreter would report them.
func randomExpr(prog []byte) []expr.Node {
	w := newWorld()
	leaves := []expr.Node{w.x, w.a, w.A, w.X, w.S, w.P, w.t, w.Amn, w.bm, expr.IntConst(2), expr.RatConst(1, 3), expr.Eye(w.n)}
	stack := []expr.Node{w.x, w.X}
	pop := func() expr.Node {
		n := stack[len(stack)-1]
		if len(stack) > 1 {
			stack = stack[:len(stack)-1]
		}
		return n
	}
	push := func(n expr.Node, err error) {
		if err == nil && n != nil && len(stack) < 64 {
			stack = append(stack, n)
		}
	}
	fns := expr.FuncNames()
	for i, b := range prog {
		if i > 200 {
			break
		}
		switch b % 24 {
		case 0, 1:
			push(leaves[int(b/24)%len(leaves)], nil)
		case 2:
			a, c := pop(), pop()
			push(expr.Add(a, c))
		case 3:
			a, c := pop(), pop()
			push(expr.Mul(c, a))
		case 4:
			push(expr.T(pop()), nil)
		case 5:
			push(expr.Inv(pop()))
		case 6:
			push(expr.Tr(pop()))
		case 7:
			push(expr.Det(pop()))
		case 8:
			push(expr.LogDet(pop()))
		case 9:
			push(expr.Apply(fns[int(b/24)%len(fns)], pop()))
		case 10:
			a, c := pop(), pop()
			push(expr.Hadamard(a, c))
		case 11:
			push(expr.ElemPow(pop(), big.NewRat(int64(b/24)-5, 2)))
		case 12:
			push(expr.Pow(pop(), int(b/24)-3))
		case 13:
			push(expr.SumEntries(pop()))
		case 14:
			push(expr.Diag(pop()))
		case 15:
			push(expr.Vec(pop()))
		case 16:
			a, c := pop(), pop()
			push(expr.Kron(a, c))
		case 17:
			push(expr.Norm(pop()))
		case 18:
			a, c := pop(), pop()
			push(expr.Inner(a, c))
		case 19:
			a, c := pop(), pop()
			push(expr.Sub(a, c))
		case 20:
			a, c := pop(), pop()
			push(expr.Div(a, c))
		case 21:
			a, c := pop(), pop()
			push(expr.HadamardDiv(a, c))
		case 22:
			a := pop()
			push(expr.Matrix([][]expr.Node{{a, expr.IntConst(1)}, {w.t, a}}))
		case 23:
			push(expr.Neg(pop()), nil)
		}
	}
	return stack
}

func deriveAll(t testing.TB, prog []byte) {
	w := newWorld()
	opts := Options{MaxSteps: 200, MaxSize: 5000}
	for _, f := range randomExpr(prog) {
		_ = f.String()
		_ = f.LaTeX()
		for _, v := range []*expr.Symbol{w.x, w.X, w.t, w.S} {
			for _, do := range []func() (*Derivation, error){
				func() (*Derivation, error) { return Differential(f, []*expr.Symbol{v}, opts) },
				func() (*Derivation, error) { return Grad(f, v, opts) },
				func() (*Derivation, error) { return Jacobian(f, v, opts) },
				func() (*Derivation, error) { return Hessian(f, v, opts) },
				func() (*Derivation, error) { return D2(f, v, opts) },
			} {
				d, err := do()
				if err == nil {
					_ = d.Plain()
					_ = d.LaTeX()
				}
			}
		}
	}
}

// FuzzDerive: no expression the constructors accept makes a derivation
// panic (go test -fuzz FuzzDerive).
func FuzzDerive(f *testing.F) {
	f.Add([]byte{0, 3, 6})
	f.Add([]byte{48, 5, 7, 9, 33, 12})
	f.Add([]byte{24, 72, 3, 17, 11, 2, 13})
	f.Fuzz(func(t *testing.T, prog []byte) { deriveAll(t, prog) })
}

// TestRandomDerivations runs a fixed set of random programs, so that CI
// covers the fuzz target without -fuzz.
func TestRandomDerivations(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 150; i++ {
		prog := make([]byte, 4+r.IntN(10))
		for j := range prog {
			prog[j] = byte(r.IntN(256))
		}
		deriveAll(t, prog)
	}
}
