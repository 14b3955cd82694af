package expr

// Softmax is softmax(z) = exp(z)/sum(exp(z)) of a column vector z.
type Softmax struct {
	nodeBase
	x Node
}

// X returns the operand.
func (s *Softmax) X() Node { return s.x }

// Kind returns KindSoftmax.
func (*Softmax) Kind() Kind { return KindSoftmax }

// String renders softmax(z).
func (s *Softmax) String() string { return plainOf(s) }

// LaTeX renders \operatorname{softmax}(z).
func (s *Softmax) LaTeX() string { return latexOf(s) }

// LogSumExp is logsumexp(z) = log(sum(exp(z))) of a column vector z.
type LogSumExp struct {
	nodeBase
	x Node
}

// X returns the operand.
func (s *LogSumExp) X() Node { return s.x }

// Kind returns KindLogSumExp.
func (*LogSumExp) Kind() Kind { return KindLogSumExp }

// String renders logsumexp(z).
func (s *LogSumExp) String() string { return plainOf(s) }

// LaTeX renders \operatorname{logsumexp}(z).
func (s *LogSumExp) LaTeX() string { return latexOf(s) }

// vectorCheck reports a ShapeError unless a is a vector or a scalar.
func vectorCheck(op string, a Node) error {
	if err := checkNil(op, a); err != nil {
		return err
	}
	if s := a.Shape(); !s.IsColumn() && !s.IsRow() && !s.IsScalar() {
		return &ShapeError{Op: "take " + op + " of", Left: a.String(), LeftShape: s, Detail: op + " needs a vector"}
	}
	return depthOK(a)
}

// SoftmaxOf returns softmax(a) of a vector a: exp(a)/sum(exp(a)), of a's
// shape; softmax of a scalar is 1, of a row it is the row softmax(aᵀ)ᵀ.
func SoftmaxOf(a Node) (Node, error) {
	if err := vectorCheck("softmax", a); err != nil {
		return nil, err
	}
	s := a.Shape()
	switch {
	case s.IsScalar():
		return IntConst(1), nil
	case !s.IsColumn():
		n, err := SoftmaxOf(T(a))
		if err != nil {
			return nil, err
		}
		return T(n), nil
	}
	return &Softmax{nodeBase: newBase1(s, "softmax("+a.Key()+")", a), x: a}, nil
}

// LogSumExpOf returns logsumexp(a) = log(sum(exp(a))) of a vector a, a
// scalar; logsumexp of a scalar s is s, of a row it is that of its column.
func LogSumExpOf(a Node) (Node, error) {
	if err := vectorCheck("logsumexp", a); err != nil {
		return nil, err
	}
	s := a.Shape()
	switch {
	case s.IsScalar():
		return a, nil
	case !s.IsColumn():
		return LogSumExpOf(T(a))
	}
	return &LogSumExp{nodeBase: newBase1(ScalarShape(), "logsumexp("+a.Key()+")", a), x: a}, nil
}
