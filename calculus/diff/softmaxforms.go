package diff

import (
	"math/big"

	"github.com/matcalc/matcalc/calculus/expr"
)

// Softmax written out, recognised: exp(u)/sum(exp(u)) = softmax(u),
// diag(exp(u))/sum(exp(u)) = diag(softmax(u)), exp(u)*exp(u)'/sum(exp(u))^2
// = softmax(u)*softmax(u)', and log(sum(exp(u))) = logsumexp(u), for a
// column u. Each is an identity, so the value is kept.

// expOf returns u when n is exp(u) of a column u.
func expOf(n expr.Node) (expr.Node, bool) {
	f, ok := n.(*expr.Func)
	if !ok || f.Name() != "exp" || !f.X().Shape().IsColumn() {
		return nil, false
	}
	return f.X(), true
}

// sumExpOf returns u when n is sum(exp(u)) of a column u.
func sumExpOf(n expr.Node) (expr.Node, bool) {
	s, ok := n.(*expr.EntrySum)
	if !ok {
		return nil, false
	}
	return expOf(s.X())
}

// logSumExpForm: log(sum(exp(u))) = logsumexp(u).
func logSumExpForm(f *expr.Func) expr.Node {
	if f.Name() != "log" {
		return f
	}
	u, ok := sumExpOf(f.X())
	if !ok {
		return f
	}
	n, err := expr.LogSumExpOf(u)
	if err != nil {
		return f
	}
	return n
}

// softmaxProduct: a product with the scalar factor sum(exp(u))^-k and k
// matrix factors among exp(u), exp(u)' and diag(exp(u)) is the product of
// softmax(u), softmax(u)' and diag(softmax(u)) in their places.
func softmaxProduct(p *expr.Product) expr.Node {
	scalars := p.Scalars()
	for i, s := range scalars {
		pw, ok := s.(*expr.Power)
		if !ok || !pw.Exp().IsInt() || pw.Exp().Sign() >= 0 {
			continue
		}
		u, ok := sumExpOf(pw.X())
		if !ok {
			continue
		}
		k := new(big.Rat).Neg(pw.Exp()).Num().Int64()
		sm, err := expr.SoftmaxOf(u)
		if err != nil {
			return p
		}
		chain := p.Chain()
		found := int64(0)
		for j, c := range chain {
			if r := softmaxFactor(c, u, sm); r != nil {
				chain[j] = r
				found++
			}
		}
		if found != k {
			continue
		}
		rest := append(append([]expr.Node{}, scalars[:i]...), scalars[i+1:]...)
		out, err := expr.Mul(append(rest, chain...)...)
		if err != nil {
			return p
		}
		return out
	}
	return p
}

// softmaxFactor returns softmax(u), its transpose or its diag for a factor
// exp(u), exp(u)' (or exp(u')) or diag(exp(u)), else nil.
func softmaxFactor(c, u, sm expr.Node) expr.Node {
	key := u.Key()
	switch c := c.(type) {
	case *expr.Func:
		if c.Name() == "exp" && c.X().Key() == key {
			return sm
		}
		if c.Name() == "exp" && c.X().Key() == expr.T(u).Key() {
			return expr.T(sm)
		}
	case *expr.Transpose:
		if v, ok := expOf(c.X()); ok && v.Key() == key {
			return expr.T(sm)
		}
	case *expr.DiagMatrix:
		if v, ok := expOf(c.Children()[0]); ok && v.Key() == key {
			d, err := expr.Diag(sm)
			if err == nil {
				return d
			}
		}
	}
	return nil
}
