package expr

func plainOf(n Node) string { s, _ := (renderer{}).render(n); return s }
func latexOf(n Node) string { s, _ := (renderer{latex: true}).render(n); return s }

// Plain and LaTeX renderings of every node kind.

// String renders the symbol's name.
func (n *Symbol) String() string { return plainOf(n) }

// LaTeX renders the symbol's name (A_{1} for A1, \alpha for alpha).
func (n *Symbol) LaTeX() string { return latexOf(n) }

// String renders the constant: 3, -1/2.
func (n *Const) String() string { return plainOf(n) }

// LaTeX renders the constant: 3, -\frac{1}{2}.
func (n *Const) LaTeX() string { return latexOf(n) }

// String renders the sum: a - 2*b.
func (n *Sum) String() string { return plainOf(n) }

// LaTeX renders the sum.
func (n *Sum) LaTeX() string { return latexOf(n) }

// String renders the product: x'*A*x, (A + A')*x/(x'*A*x).
func (n *Product) String() string { return plainOf(n) }

// LaTeX renders the product: x^{T} A x.
func (n *Product) LaTeX() string { return latexOf(n) }

// String renders the transpose: A', inv(X)'.
func (n *Transpose) String() string { return plainOf(n) }

// LaTeX renders the transpose: A^{T}, X^{-T}.
func (n *Transpose) LaTeX() string { return latexOf(n) }

// String renders inv(X).
func (n *Inverse) String() string { return plainOf(n) }

// LaTeX renders X^{-1}.
func (n *Inverse) LaTeX() string { return latexOf(n) }

// String renders pinv(X).
func (n *PseudoInverse) String() string { return plainOf(n) }

// LaTeX renders X^{+}.
func (n *PseudoInverse) LaTeX() string { return latexOf(n) }

// String renders tr(X).
func (n *Trace) String() string { return plainOf(n) }

// LaTeX renders \operatorname{tr}(X).
func (n *Trace) LaTeX() string { return latexOf(n) }

// String renders det(X).
func (n *Determinant) String() string { return plainOf(n) }

// LaTeX renders \det(X).
func (n *Determinant) LaTeX() string { return latexOf(n) }

// String renders logdet(X).
func (n *LogDeterminant) String() string { return plainOf(n) }

// LaTeX renders \log\det(X).
func (n *LogDeterminant) LaTeX() string { return latexOf(n) }

// String renders f(x).
func (n *Func) String() string { return plainOf(n) }

// LaTeX renders {\rm e}^{s} (\exp(X) of a matrix), \sigma(x), |x| ….
func (n *Func) LaTeX() string { return latexOf(n) }

// String renders a .* b ./ c.
func (n *HadamardProduct) String() string { return plainOf(n) }

// LaTeX renders a \odot b \oslash c.
func (n *HadamardProduct) LaTeX() string { return latexOf(n) }

// String renders x.^2, s^2, sqrt(x), 1/s.
func (n *Power) String() string { return plainOf(n) }

// LaTeX renders x^{\circ 2}, s^{2}, \sqrt{x}, \frac{1}{s}.
func (n *Power) LaTeX() string { return latexOf(n) }

// String renders X^k.
func (n *MatPow) String() string { return plainOf(n) }

// LaTeX renders X^{k}.
func (n *MatPow) LaTeX() string { return latexOf(n) }

// String renders sum(X).
func (n *EntrySum) String() string { return plainOf(n) }

// LaTeX renders \operatorname{sum}(X).
func (n *EntrySum) LaTeX() string { return latexOf(n) }

// String renders diag(v).
func (n *DiagMatrix) String() string { return plainOf(n) }

// LaTeX renders \operatorname{diag}(v).
func (n *DiagMatrix) LaTeX() string { return latexOf(n) }

// String renders diag(X).
func (n *DiagPart) String() string { return plainOf(n) }

// LaTeX renders \operatorname{diag}(X).
func (n *DiagPart) LaTeX() string { return latexOf(n) }

// String renders vec(X).
func (n *Vectorize) String() string { return plainOf(n) }

// LaTeX renders \operatorname{vec}(X).
func (n *Vectorize) LaTeX() string { return latexOf(n) }

// String renders kron(A, B).
func (n *KronProduct) String() string { return plainOf(n) }

// LaTeX renders A \otimes B.
func (n *KronProduct) LaTeX() string { return latexOf(n) }

// String renders I.
func (n *Identity) String() string { return plainOf(n) }

// LaTeX renders I.
func (n *Identity) LaTeX() string { return latexOf(n) }

// String renders zeros(m, n).
func (n *Zeros) String() string { return plainOf(n) }

// LaTeX renders 0.
func (n *Zeros) LaTeX() string { return latexOf(n) }

// String renders ones(m, n).
func (n *Ones) String() string { return plainOf(n) }

// LaTeX renders {\bf 1}_{m\times n}.
func (n *Ones) LaTeX() string { return latexOf(n) }

// String renders [a, b; c, d].
func (n *Literal) String() string { return plainOf(n) }

// LaTeX renders a bmatrix.
func (n *Literal) LaTeX() string { return latexOf(n) }

// String renders dX (dX1, dX2 when indexed).
func (n *Differential) String() string { return plainOf(n) }

// LaTeX renders {\rm d}X ({\rm d}X_{1}).
func (n *Differential) LaTeX() string { return latexOf(n) }
