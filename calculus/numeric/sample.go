package numeric

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/matcalc/matcalc/calculus/builtin"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
)

// Options control random instances and checks. The zero value (or a nil
// *Options) means the defaults given beside each field.
type Options struct {
	// Seed makes instances reproducible; 0 means 1.
	Seed uint64
	// Dims fixes named dimensions; the others are drawn.
	Dims map[string]int
	// MinDim and MaxDim bound drawn dimensions (defaults 2 and 5). Drawn
	// dimensions are distinct from each other where the range allows, so
	// that an m×n and an n×m operand cannot be confused.
	MinDim, MaxDim int
	// Values fixes the values of some symbols; the others are drawn. A
	// check never perturbs a fixed value unless it is a variable.
	Values map[string]*linalg.Matrix
	// Trials is the number of random instances a check draws (default 3).
	Trials int
	// Directions is the number of random directions per instance
	// (default 2).
	Directions int
}

func (o *Options) withDefaults() Options {
	var out Options
	if o != nil {
		out = *o
	}
	if out.Seed == 0 {
		out.Seed = 1
	}
	if out.MinDim < 1 {
		out.MinDim = 2
	}
	if out.MaxDim < out.MinDim {
		out.MaxDim = max(out.MinDim, 5)
	}
	if out.Trials < 1 {
		out.Trials = 3
	}
	if out.Directions < 1 {
		out.Directions = 2
	}
	return out
}

// MaxSampleDim bounds drawn dimensions: checks are meant to be quick.
const MaxSampleDim = 64

// MaxSampleSquare bounds the order of a square matrix Sample draws (its
// orthogonal factors cost O(n³)), whatever dimension opts fixes.
const MaxSampleSquare = 1024

// sampler draws instances from one seeded generator.
type sampler struct {
	rng  *rand.Rand
	opts Options
}

func newSampler(o *Options) *sampler {
	opts := o.withDefaults()
	opts.MaxDim = min(opts.MaxDim, MaxSampleDim)
	opts.MinDim = min(opts.MinDim, opts.MaxDim)
	return &sampler{rng: rand.New(rand.NewPCG(opts.Seed, 0x6d617463616c63)), opts: opts}
}

// Sample returns random values for the symbols of the given expressions
// (and their named dimensions), honouring the declared properties: a
// symmetric symbol gets a symmetric value, spd a symmetric positive
// definite one (eigenvalues in [0.5, 2.5]), diagonal a diagonal one,
// orthogonal an orthogonal one; any other square matrix is well
// conditioned (singular values in [0.5, 2]) with a positive determinant,
// so that inv, det and logdet are defined. Symbols that appear under
// log, sqrt or a fractional power get positive entries. Values and Dims
// fixed in opts are kept. The same opts give the same instance.
func Sample(nodes []expr.Node, opts *Options) (*Bindings, error) {
	s := newSampler(opts)
	return s.instance(nodes)
}

func (s *sampler) instance(nodes []expr.Node) (*Bindings, error) {
	syms, positive, posdef, dimNames := analyse(nodes)
	b := &Bindings{Values: map[string]*linalg.Matrix{}, Dims: map[string]int{}, Diffs: map[DiffKey]*linalg.Matrix{}}
	if err := s.dims(dimNames, b); err != nil {
		return nil, err
	}
	for _, sym := range syms {
		if v, ok := s.opts.Values[sym.Name()]; ok {
			b.Values[sym.Name()] = v
			continue
		}
		r, c, err := b.Shape(sym.Shape())
		if err != nil {
			return nil, fmt.Errorf("sample %s: %w", sym.Name(), err)
		}
		props := sym.Props()
		if posdef[sym.Name()] && props.Has(expr.Symmetric) {
			props |= expr.SPD
		}
		v, err := s.value(r, c, props, positive[sym.Name()])
		if err != nil {
			return nil, fmt.Errorf("sample %s: %w", sym.Name(), err)
		}
		b.Values[sym.Name()] = v
	}
	return b, nil
}

// analyse collects the symbols of nodes (and of their differentials),
// and which of them appear under a function that needs positive entries
// or under logdet, and the named dimensions of every node (eye(n) needs n
// even where no symbol of size n occurs).
func analyse(nodes []expr.Node) (syms []*expr.Symbol, positive, posdef map[string]bool, dimNames []string) {
	seen := map[string]*expr.Symbol{}
	positive = map[string]bool{}
	posdef = map[string]bool{}
	dimSeen := map[string]bool{}
	var walk func(n expr.Node, pos, pd bool)
	walk = func(n expr.Node, pos, pd bool) {
		sh := n.Shape()
		for _, d := range []expr.Dim{sh.Rows, sh.Cols} {
			for _, name := range d.Names() {
				if !dimSeen[name] {
					dimSeen[name] = true
					dimNames = append(dimNames, name)
				}
			}
		}
		switch n := n.(type) {
		case *expr.Symbol:
			seen[n.Name()] = n
			if pos {
				positive[n.Name()] = true
			}
			if pd {
				posdef[n.Name()] = true
			}
			return
		case *expr.Differential:
			if _, ok := seen[n.Of().Name()]; !ok {
				seen[n.Of().Name()] = n.Of()
			}
			return
		case *expr.Func:
			if f, _ := builtin.Lookup(n.Name()); f.Domain != builtin.Reals {
				pos = true
			}
		case *expr.Power:
			if !n.Exp().IsInt() {
				pos = true
			}
		case *expr.LogDeterminant:
			pd = true
		}
		for _, k := range n.Children() {
			walk(k, pos, pd)
		}
	}
	for _, n := range nodes {
		if n != nil {
			walk(n, false, false)
		}
	}
	for _, s := range seen {
		syms = append(syms, s)
	}
	sort.Slice(syms, func(i, j int) bool { return syms[i].Name() < syms[j].Name() })
	sort.Strings(dimNames)
	return syms, positive, posdef, dimNames
}

// dims binds every named dimension (names, sorted): fixed ones from
// opts, the others drawn distinct where the range allows.
func (s *sampler) dims(names []string, b *Bindings) error {
	used := map[int]bool{}
	for _, n := range names {
		if v, ok := s.opts.Dims[n]; ok {
			if v < 1 {
				return fmt.Errorf("dimension %s = %d must be positive", n, v)
			}
			b.Dims[n] = v
			used[v] = true
		}
	}
	for _, n := range names {
		if _, ok := b.Dims[n]; ok {
			continue
		}
		lo, hi := s.opts.MinDim, s.opts.MaxDim
		var free []int
		for v := lo; v <= hi; v++ {
			if !used[v] {
				free = append(free, v)
			}
		}
		var v int
		if len(free) > 0 {
			v = free[s.rng.IntN(len(free))]
		} else {
			v = lo + s.rng.IntN(hi-lo+1)
		}
		b.Dims[n] = v
		used[v] = true
	}
	return nil
}

// value draws an r×c value with the given properties.
func (s *sampler) value(r, c int, props expr.Props, positive bool) (*linalg.Matrix, error) {
	if r*c > linalg.MaxElements {
		return nil, fmt.Errorf("a %d×%d sample: %w", r, c, linalg.ErrTooLarge)
	}
	if r == 1 && c == 1 {
		return linalg.Float(s.magnitude(positive)), nil
	}
	if r == c && r > MaxSampleSquare {
		return nil, fmt.Errorf("a random %d×%d matrix is larger than %d×%d: %w", r, c, MaxSampleSquare, MaxSampleSquare, linalg.ErrTooLarge)
	}
	if r != c || (positive && props == 0) {
		data := make([]float64, r*c)
		for i := range data {
			if positive {
				data[i] = 0.5 + 1.5*s.rng.Float64()
			} else {
				data[i] = s.rng.NormFloat64()
			}
		}
		return linalg.New(r, c, data)
	}
	n := r
	switch {
	case props.Has(expr.Diagonal):
		d := make([]float64, n)
		for i := range d {
			d[i] = s.magnitude(positive || props.Has(expr.SPD))
		}
		return diagMatrix(d)
	case props.Has(expr.Orthogonal):
		return linalg.FromDense(s.orthogonal(n))
	case props.Has(expr.SPD):
		return s.spectral(n, 0.5, 2.5, false)
	case props.Has(expr.Symmetric):
		return s.spectral(n, 0.5, 2, true)
	}
	// A well-conditioned generic matrix U·diag(σ)·Vᵀ with det > 0.
	u, v := s.orthogonal(n), s.orthogonal(n)
	sig := make([]float64, n)
	for i := range sig {
		sig[i] = 0.5 + 1.5*s.rng.Float64()
	}
	if mat.Det(u)*mat.Det(v) < 0 {
		for i := 0; i < n; i++ {
			u.Set(i, 0, -u.At(i, 0))
		}
	}
	var us, m mat.Dense
	us.Mul(u, mat.NewDiagDense(n, sig))
	m.Mul(&us, v.T())
	return linalg.FromDense(&m)
}

// magnitude draws a scalar with |x| in [0.5, 2], positive when asked.
func (s *sampler) magnitude(positive bool) float64 {
	x := 0.5 + 1.5*s.rng.Float64()
	if !positive && s.rng.IntN(2) == 0 {
		x = -x
	}
	return x
}

// spectral draws Q·diag(λ)·Qᵀ with |λ| in [lo, hi], signs random when
// signed.
func (s *sampler) spectral(n int, lo, hi float64, signed bool) (*linalg.Matrix, error) {
	q := s.orthogonal(n)
	l := make([]float64, n)
	for i := range l {
		l[i] = lo + (hi-lo)*s.rng.Float64()
		if signed && s.rng.IntN(2) == 0 {
			l[i] = -l[i]
		}
	}
	var ql, m mat.Dense
	ql.Mul(q, mat.NewDiagDense(n, l))
	m.Mul(&ql, q.T())
	// Symmetrise exactly against rounding.
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := (m.At(i, j) + m.At(j, i)) / 2
			m.Set(i, j, v)
			m.Set(j, i, v)
		}
	}
	return linalg.FromDense(&m)
}

// orthogonal draws a random orthogonal matrix (QR of a Gaussian matrix,
// signs fixed so that the distribution is Haar).
func (s *sampler) orthogonal(n int) *mat.Dense {
	g := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g.Set(i, j, s.rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(g)
	var q, r mat.Dense
	qr.QTo(&q)
	qr.RTo(&r)
	for j := 0; j < n; j++ {
		if r.At(j, j) < 0 {
			for i := 0; i < n; i++ {
				q.Set(i, j, -q.At(i, j))
			}
		}
	}
	return &q
}

func diagMatrix(d []float64) (*linalg.Matrix, error) {
	v, err := linalg.New(len(d), 1, d)
	if err != nil {
		return nil, err
	}
	return linalg.Diag(v)
}

// direction draws a unit-norm (Frobenius) direction for a variable with
// value x and the given properties: symmetric for symmetric variables,
// diagonal for diagonal ones, tangent (x·S, S skew) for orthogonal ones,
// general otherwise.
func (s *sampler) direction(x *linalg.Matrix, props expr.Props) (*linalg.Matrix, error) {
	r, c := x.Dims()
	data := make([]float64, r*c)
	for i := range data {
		data[i] = s.rng.NormFloat64()
	}
	g, err := linalg.New(r, c, data)
	if err != nil {
		return nil, err
	}
	if r == c && r > 1 {
		switch {
		case props.Has(expr.Diagonal):
			d, err := linalg.Diag(g)
			if err != nil {
				return nil, err
			}
			if g, err = linalg.Diag(d); err != nil {
				return nil, err
			}
		case props.Has(expr.Orthogonal):
			skew, err := linalg.Sub(g, g.T())
			if err != nil {
				return nil, err
			}
			if g, err = linalg.Mul(x, skew); err != nil {
				return nil, err
			}
		case props.Has(expr.Symmetric):
			if g, err = linalg.Add(g, g.T()); err != nil {
				return nil, err
			}
		}
	}
	nrm, err := linalg.Norm(g)
	if err != nil {
		return nil, err
	}
	if nv := nrm.Value(); nv == 0 || math.IsNaN(nv) {
		return g, nil
	}
	return linalg.Div(g, nrm)
}
