package builtin

import (
	"math"
	"math/big"
)

// entries returns the table, one entry per name. To add an elementwise
// function, add its entry here (and its tests): the shape checker, the
// evaluator, the symbolic lowering, the derivation engine, the code
// exporters, the renderer and help all read it.
//
// Long: it is the table itself, one entry per name, and reads best whole.
func entries() []Func {
	return []Func{
		// ---- elementwise functions ----
		{Name: "exp", Kind: Elementwise, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "exp(X)", Doc: "exponential, elementwise (expm is the matrix exponential)",
				Example: "x : vector(n)\ngrad(sum(exp(x)), x)"},
			NumPy: "np.exp({})", Gonum: "math.Exp", LaTeX: `\exp`, TeX: TeXPower,
			Float: math.Exp, Exact: at(0, 1), Deriv: call("exp", u())},
		{Name: "log", Kind: Elementwise, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "log(X)", Doc: "natural logarithm, elementwise",
				Example: "x : vector(n)\ngrad(sum(log(x)), x)"},
			NumPy: "np.log({})", Gonum: "math.Log", LaTeX: `\log`, Domain: Positive,
			Float: math.Log, Exact: at(1, 0), Deriv: pow(u(), -1, 1)},
		{Name: "sin", Kind: Elementwise, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "sin(X)", Doc: "sine, elementwise",
				Example: "x : vector(n)\ngrad(sum(sin(x)), x)"},
			NumPy: "np.sin({})", Gonum: "math.Sin", LaTeX: `\sin`,
			Float: math.Sin, Exact: at(0, 0), Deriv: call("cos", u())},
		{Name: "cos", Kind: Elementwise, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "cos(X)", Doc: "cosine, elementwise",
				Example: "x : vector(n)\ngrad(sum(cos(x)), x)"},
			NumPy: "np.cos({})", Gonum: "math.Cos", LaTeX: `\cos`,
			Float: math.Cos, Exact: at(0, 1), Deriv: neg(call("sin", u()))},
		{Name: "tanh", Kind: Elementwise, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "tanh(X)", Doc: "hyperbolic tangent, elementwise",
				Example: "x : vector(n)\ngrad(sum(tanh(x)), x)"},
			NumPy: "np.tanh({})", Gonum: "math.Tanh", LaTeX: `\tanh`,
			Float: math.Tanh, Exact: at(0, 0), Deriv: oneMinus(pow(call("tanh", u()), 2, 1))},
		{Name: "cosh", Kind: Elementwise, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "cosh(X)", Doc: "hyperbolic cosine, elementwise",
				Example: "x : vector(n)\ngrad(sum(cosh(x)), x)"},
			NumPy: "np.cosh({})", Gonum: "math.Cosh", LaTeX: `\cosh`,
			Float: math.Cosh, Exact: at(0, 1), Deriv: call("sinh", u())},
		{Name: "sinh", Kind: Elementwise, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "sinh(X)", Doc: "hyperbolic sine, elementwise",
				Example: "x : vector(n)\ngrad(sum(sinh(x)), x)"},
			NumPy: "np.sinh({})", Gonum: "math.Sinh", LaTeX: `\sinh`,
			Float: math.Sinh, Exact: at(0, 0), Deriv: call("cosh", u())},
		{Name: "sigmoid", Kind: Elementwise, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "sigmoid(X)", Doc: "logistic function 1/(1 + exp(-x)), elementwise",
				Example: "x : vector(n)\ngrad(sum(sigmoid(x)), x)"},
			NumPy: "1.0 / (1.0 + np.exp(-({})))", Gonum: "func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }",
			LaTeX: `\sigma`, Float: sigmoid, Exact: at2(0, 1, 2),
			Deriv: times(call("sigmoid", u()), oneMinus(call("sigmoid", u())))},
		{Name: "softplus", Kind: Elementwise, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "softplus(X)", Doc: "log(1 + exp(x)), elementwise (a smooth ReLU; its derivative is sigmoid)",
				Example: "X : matrix(m, n)\nw : vector(n)\ny : vector(m)\ngrad(sum(softplus(X*w)) - y'*X*w, w)"},
			NumPy: "np.logaddexp(0, {})", Gonum: "func(v float64) float64 { return math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))) }",
			LaTeX: `\operatorname{softplus}`, Float: softplus,
			Exact: func(*big.Rat) (*big.Rat, bool) { return nil, false }, Deriv: call("sigmoid", u())},
		{Name: "sqrt", Kind: Elementwise, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "sqrt(X)", Doc: "square root, elementwise",
				Example: "x : vector(n)\ngrad(sum(sqrt(x)), x)"},
			NumPy: "np.sqrt({})", Gonum: "math.Sqrt", LaTeX: `\sqrt`, Domain: NonNegative,
			Float: math.Sqrt, Exact: ratSqrt, Deriv: scale(1, 2, pow(u(), -1, 2)), PowNum: 1, PowDen: 2},
		{Name: "abs", Kind: Elementwise, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "abs(X)", Doc: "absolute value, elementwise",
				Example: "x : vector(n)\ngrad(sum(abs(x)), x)"},
			NumPy: "np.abs({})", Gonum: "math.Abs", LaTeX: `\left|\right|`, TeX: TeXBars,
			Float: math.Abs, Exact: func(x *big.Rat) (*big.Rat, bool) { return new(big.Rat).Abs(x), true },
			Deriv: call("sign", u())},
		{Name: "sign", Kind: Elementwise, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "sign(X)", Doc: "sign (−1, 0 or 1), elementwise: the derivative of abs (a name of the language, so that answers with it read back)",
				Example: "x : vector(n)\ngrad(sum(abs(x)), x)"},
			NumPy: "np.sign({})", Gonum: "func(v float64) float64 { if v > 0 { return 1 } else if v < 0 { return -1 }; return 0 }",
			LaTeX: `\operatorname{sign}`, Float: sign,
			Exact: func(x *big.Rat) (*big.Rat, bool) { return big.NewRat(int64(x.Sign()), 1), true },
			Deriv: zero()},

		// ---- functions of matrices, each with its node in package expr ----
		{Name: "tr", Kind: Matrix, Min: 1, Max: 1, Shape: ShapeScalar,
			Help: Help{Sig: "tr(X)", Doc: "trace of a square matrix",
				Example: "X : matrix(n, n)\nA : matrix(n, n)\ngrad(tr(A*X), X)", Rule: "d(tr(X)) = tr(dX)"},
			NumPy: "np.trace({})", Gonum: "mat.Trace({})", LaTeX: `\operatorname{tr}`},
		{Name: "det", Kind: Matrix, Min: 1, Max: 1, Shape: ShapeScalar,
			Help: Help{Sig: "det(X)", Doc: "determinant of a square matrix",
				Example: "X : matrix(n, n) invertible\ngrad(det(X), X)", Rule: "d(det(X)) = det(X)*tr(inv(X)*dX)"},
			NumPy: "np.linalg.det({})", Gonum: "mat.Det({})", LaTeX: `\det`},
		{Name: "logdet", Kind: Matrix, Min: 1, Max: 1, Shape: ShapeScalar,
			Help: Help{Sig: "logdet(X)", Doc: "log det X",
				Example: "X : matrix(n, n) spd\ngrad(logdet(X), X)", Rule: "d(logdet(X)) = tr(inv(X)*dX)"},
			NumPy: "np.linalg.slogdet({})[1]", Gonum: "mat.LogDet({})", LaTeX: `\log\det`},
		{Name: "inv", Kind: Matrix, Min: 1, Max: 1, Shape: ShapeSame,
			Help: Help{Sig: "inv(X)", Doc: "inverse of a square matrix (also X^-1)",
				Example: "X : matrix(n, n) invertible\nd(inv(X))", Rule: "d(inv(X)) = -inv(X)*dX*inv(X)"},
			NumPy: "np.linalg.inv({})", Gonum: "(*mat.Dense).Inverse({})", LaTeX: `^{-1}`},
		{Name: "pinv", Kind: Matrix, Min: 1, Max: 1,
			Help: Help{Sig: "pinv(X)", Doc: "Moore–Penrose pseudo-inverse (n×m for an m×n X; from the SVD for numbers)",
				Example: "X : matrix(5, 3)\nd(pinv(X))",
				Rule:    "d(pinv(X)) = -pinv(X)*dX*pinv(X) + inv(X'*X)*dX'*(I - X*pinv(X)) for full column rank (m ≥ n), -pinv(X)*dX*pinv(X) + (I - pinv(X)*X)*dX'*inv(X*X') for full row rank (m ≤ n)"},
			NumPy: "np.linalg.pinv({})", Gonum: "mat.SVD, then V*inv(S)*U'", LaTeX: `^{+}`},
		{Name: "norm", Kind: Matrix, Min: 1, Max: 1, Shape: ShapeScalar,
			Help: Help{Sig: "norm(X)", Doc: "2-norm of a vector, Frobenius norm of a matrix",
				Example: "x : vector(n)\ngrad(norm(x), x)", Rule: "norm(X) = <X, X>^(1/2), so d(norm(X)) = <X, dX>/norm(X)"},
			NumPy: "np.linalg.norm({})", Gonum: "mat.Norm({}, 2)", LaTeX: `\left\|\right\|`},
		{Name: "sum", Kind: Matrix, Min: 1, Max: 1, Shape: ShapeScalar,
			Help: Help{Sig: "sum(X)", Doc: "sum of all entries",
				Example: "X : matrix(m, n)\ngrad(sum(X), X)", Rule: "sum(M) = tr(ones'*M), linear: d(sum(X)) = sum(dX)"},
			NumPy: "np.sum({})", Gonum: "mat.Sum({})", LaTeX: `\operatorname{sum}`},
		{Name: "diag", Kind: Matrix, Min: 1, Max: 1,
			Help: Help{Sig: "diag(X)", Doc: "vector → diagonal matrix; square matrix → its diagonal",
				Example: "x : vector(n)\nA : matrix(n, n)\ngrad(x'*diag(x)*A*x, x)", Rule: "linear: d(diag(X)) = diag(dX); tr(A*diag(v)) = diag(A)'*v"},
			NumPy: "np.diagflat({}) or np.diag({})", Gonum: "mat.NewDiagDense", LaTeX: `\operatorname{diag}`},
		{Name: "vec", Kind: Matrix, Min: 1, Max: 1,
			Help: Help{Sig: "vec(X)", Doc: "the columns of X stacked into one vector",
				Example: "X : matrix(n, n)\nd(vec(X*X))", Rule: "linear: d(vec(X)) = vec(dX)"},
			NumPy: "{}.reshape(-1, 1, order=\"F\")", Gonum: "mat.NewVecDense (columns copied in turn)", LaTeX: `\operatorname{vec}`},
		{Name: "kron", Kind: Matrix, Min: 2, Max: 2,
			Help: Help{Sig: "kron(A, B)", Doc: "Kronecker product",
				Example: "X : matrix(2, 2)\nA : matrix(2, 2)\nd(kron(A, X))", Rule: "d(kron(A, B)) = kron(dA, B) + kron(A, dB)"},
			NumPy: "np.kron({}, {})", Gonum: "(*mat.Dense).Kronecker({}, {})", LaTeX: `\otimes`},
		{Name: "dot", Kind: Matrix, Min: 2, Max: 2,
			Help: Help{Sig: "dot(a, b)", Doc: "inner product <a, b> (Frobenius for matrices)",
				Example: "a : vector(n)\nx : vector(n)\ngrad(dot(a, x), x)", Rule: "<A, B> = tr(A'*B), so d<A, B> = <dA, B> + <A, dB>"},
			NumPy: "np.vdot({}, {})", Gonum: "mat.Dot({}, {})", LaTeX: `\left\langle , \right\rangle`},
		{Name: "softmax", Kind: Matrix, Min: 1, Max: 1, Shape: ShapeSame, Vector: true,
			Help: Help{Sig: "softmax(z)", Doc: "exp(z)/sum(exp(z)) of a vector z: positive entries that sum to 1 (not elementwise)",
				Example: "z : vector(n)\ny : vector(n)\ngrad(-y'*log(softmax(z)), z)",
				Rule:    "d(softmax(z)) = (diag(p) - p*p')*dz with p = softmax(z)"},
			NumPy: "(lambda v: np.exp(v - v.max()) / np.exp(v - v.max()).sum())({})",
			Gonum: "mSoftmax({})", LaTeX: `\operatorname{softmax}`},
		{Name: "logsumexp", Kind: Matrix, Min: 1, Max: 1, Shape: ShapeScalar, Vector: true,
			Help: Help{Sig: "logsumexp(z)", Doc: "log(sum(exp(z))) of a vector z, computed without overflow (a smooth max)",
				Example: "z : vector(n)\nhessian(logsumexp(z), z)",
				Rule:    "d(logsumexp(z)) = softmax(z)'*dz"},
			NumPy: "(lambda v: v.max() + np.log(np.exp(v - v.max()).sum()))({})", Gonum: "mLogSumExp({})", LaTeX: `\operatorname{logsumexp}`},

		// ---- constant matrices from sizes ----
		{Name: "eye", Kind: Constructor, Min: 1, Max: 1,
			Help: Help{Sig: "eye(n)", Doc: "the n×n identity (also I, sized by context)",
				Example: "eye(3)", Rule: "a constant: d(eye(n)) = 0"},
			NumPy: "np.eye({})", Gonum: "mat.NewDiagDense({}, ones)", LaTeX: `I`},
		{Name: "zeros", Kind: Constructor, Min: 1, Max: 2,
			Help: Help{Sig: "zeros(m, n)", Doc: "the m×n zero matrix",
				Example: "zeros(2, 3)", Rule: "a constant: d(zeros(m, n)) = 0"},
			NumPy: "np.zeros(({}, {}))", Gonum: "mat.NewDense({}, {}, nil)", LaTeX: `0`},
		{Name: "ones", Kind: Constructor, Min: 1, Max: 2,
			Help: Help{Sig: "ones(m, n)", Doc: "the m×n matrix of ones",
				Example: "ones(2, 3)", Rule: "a constant: d(ones(m, n)) = 0; sum(M) = tr(ones'*M)"},
			NumPy: "np.ones(({}, {}))", Gonum: "mat.NewDense({}, {}, data of ones)", LaTeX: `{\bf 1}`},
		{Name: "K", Kind: Constructor, Min: 2, Max: 2,
			Help: Help{Sig: "K(m, n)", Doc: "the commutation matrix (mn×mn): K(m, n)*vec(X) = vec(X') for an m×n X",
				Example: "K(2, 3)", Rule: "a constant: d(K(m, n)) = 0; vec(dX') = K(m, n)*vec(dX)"},
			NumPy: "np.eye(m * n)[np.arange(m * n).reshape((m, n), order=\"F\").ravel()]", Gonum: "mat.NewDense(m*n, m*n, nil) with entry (j + i*n, i + j*m) = 1", LaTeX: `K_{m,n}`},

		// ---- functions of numbers only ----
		{Name: "rand", Kind: Numeric, Min: 1, Max: 2,
			Help: Help{Sig: "rand(m, n)", Doc: "an m×n matrix of uniform random numbers in [0, 1) (numbers only)",
				Example: "R = rand(2, 2)\nsize = norm(R)", Rule: "numbers only: no derivative"},
			NumPy: "np.random.rand({}, {})", Gonum: "mat.NewDense({}, {}, data from rand.Float64)", LaTeX: `\operatorname{rand}`},

		{Name: "rank", Kind: Numeric, Min: 1, Max: 1,
			Help: Help{Sig: "rank(A)", Doc: "rank of a matrix (numbers only)",
				Example: "rank([1, 2; 2, 4])", Rule: "the number of singular values above a tolerance"},
			NumPy: "np.linalg.matrix_rank({})", Gonum: "mat.SVD.Rank", LaTeX: `\operatorname{rank}`},
		{Name: "eig", Kind: Numeric, Min: 1, Max: 1,
			Help: Help{Sig: "eig(A)", Doc: "eigenvalues and eigenvectors, exact when they are rational (numbers only)",
				Example: "eig([2, 1; 1, 2])", Rule: "A*v = lambda*v: the roots of det(A - lambda*I) = 0"},
			NumPy: "np.linalg.eig({})", Gonum: "mat.Eigen", LaTeX: `\lambda`},
		{Name: "expm", Kind: Numeric, Min: 1, Max: 1,
			Help: Help{Sig: "expm(A) or expm(A*t)", Doc: "matrix exponential: of a value numerically; expm(A*t) for a scalar t without a value in closed form",
				Example: "expm([0, 1; 0, 0])", Rule: "e^{At} = sum of (At)^k/k!, found by diagonalisation, Putzer or spectral projectors"},
			NumPy: "scipy.linalg.expm({})", Gonum: "(*mat.Dense).Exp({})", LaTeX: `\exp`},
		{Name: "solve", Kind: Numeric, Min: 2, Max: 2,
			Help: Help{Sig: "solve(A, b)", Doc: "the solution x of A*x = b (numbers only)",
				Example: "solve([2, 0; 0, 4], [2; 2])", Rule: "x = inv(A)*b, by LU factorisation"},
			NumPy: "np.linalg.solve({}, {})", Gonum: "(*mat.Dense).Solve({}, {})", LaTeX: `A^{-1}b`},
		{Name: "chol", Kind: Numeric, Min: 1, Max: 1,
			Help: Help{Sig: "chol(A)", Doc: "Cholesky factor L of an spd matrix, A = L*L' (numbers only)",
				Example: "chol([4, 2; 2, 3])", Rule: "A = L*L' with L lower triangular"},
			NumPy: "np.linalg.cholesky({})", Gonum: "mat.Cholesky", LaTeX: `L`},
		{Name: "svd", Kind: Numeric, Min: 1, Max: 1,
			Help: Help{Sig: "svd(A)", Doc: "singular value decomposition A = U*diag(s)*V' (numbers only)",
				Example: "svd([3, 0; 0, 4])", Rule: "A = U*diag(s)*V' with U, V orthogonal"},
			NumPy: "np.linalg.svd({})", Gonum: "mat.SVD", LaTeX: `U \Sigma V^{T}`},

		// ---- commands ----
		{Name: "d", Kind: Command, Min: 1, Max: 2,
			Help: Help{Sig: "d(f) or d(f, X)", Doc: "the differential of f, step by step",
				Example: "X : matrix(n, n)\nd(tr(X*X))", Rule: "the rules of differentials, one per step"}},
		{Name: "grad", Kind: Command, Min: 2, Max: 2,
			Help: Help{Sig: "grad(f, X)", Doc: "gradient of a scalar f with respect to X; its value too once every symbol in it is bound",
				Example: "A : matrix(n, n)\nx : vector(n)\ngrad(x'*A*x, x)", Rule: "df = tr(grad(f)'*dX): the gradient read off the canonical form"}},
		{Name: "jacobian", Kind: Command, Min: 2, Max: 2,
			Help: Help{Sig: "jacobian(F, X)", Doc: "Jacobian of a vector F of a vector x; of a matrix F or by a matrix X, J with d vec(F) = J*d vec(X), written with kron, eye and K(m, n) (for a scalar f, the row J = vec(grad(f, X))', there also when f holds vec(X) and grad has no form); its value too once every symbol in it is bound",
				Example: "A : matrix(m, n)\nx : vector(n)\njacobian(A*x, x)\nX : matrix(m, n)\njacobian(X', X)", Rule: "dF = J*dx; vec(A*dX*B) = kron(B', A)*vec(dX), vec(dX') = K(m, n)*vec(dX)"}},
		{Name: "hessian", Kind: Command, Min: 2, Max: 2,
			Help: Help{Sig: "hessian(f, X)", Doc: "Hessian of a scalar f of a vector x, or of a matrix X (mn×mn, by vec); its value too once every symbol in it is bound",
				Example: "A : matrix(n, n)\nx : vector(n)\nhessian(x'*A*x, x)\nX : matrix(m, n)\nhessian(tr(X'*X), X)", Rule: "d2f = dx2'*H*dx1, or vec(dX2)'*H*vec(dX1) symmetrised"}},
		{Name: "d2", Kind: Command, Min: 2, Max: 2,
			Help: Help{Sig: "d2(f, X)", Doc: "second differential as a bilinear form",
				Example: "x : vector(n)\nd2(x'*x, x)", Rule: "d2f = d(df) with d(dX) = 0"}},
		{Name: "check", Kind: Command, Min: 1, Max: 1,
			Help: Help{Sig: "check(grad(f, X) == G)", Doc: "check an answer symbolically and numerically",
				Example: "A : matrix(n, n)\nx : vector(n)\ncheck(grad(x'*A*x, x) == (A + A')*x)", Rule: "equal normal forms, then finite differences at random points"}},
		{Name: "components", Kind: Command, Min: 3, Max: 3,
			Help: Help{Sig: "components(f, x, n)", Doc: "the formula written out coordinate by coordinate",
				Example: "A : matrix(n, n)\nx : vector(n)\ncomponents(x'*A*x, x, 2)", Rule: "df/dx_i of the written-out f"}},
		{Name: "code", Kind: Command, Min: 2, Max: 2,
			Help: Help{Sig: "code(g, numpy)", Doc: "export a result as a NumPy or gonum function",
				Example: "A : matrix(n, n)\nx : vector(n)\ng = grad(x'*A*x, x)\ncode(g, numpy)", Rule: "each node spelled as the library spells it"}},
		{Name: "ode", Kind: Command, Min: 2, Max: 3,
			Help: Help{Sig: "ode(A, x0) or ode(A, x0, b)", Doc: "solve x' = A*x (+ b), x(0) = x0 in closed form, step by step",
				Example: "ode([0, 1; -2, -3], [1; 0])", Rule: "x(t) = e^{At}*x0 (+ the particular solution for b)"}},
		{Name: "putzer", Kind: Command, Min: 1, Max: 1,
			Help: Help{Sig: "putzer(A)", Doc: "e^{At} by Putzer's algorithm",
				Example: "putzer([0, 1; -2, -3])", Rule: "e^{At} = sum of r_k(t)*P_k, P_k = (A - l_1 I)…(A - l_k I)"}},
		{Name: "stability", Kind: Command, Min: 1, Max: 2,
			Help: Help{Sig: "stability(A) or stability(A, b)", Doc: "stability of x' = A*x (+ b)",
				Example: "stability([0, 1; -2, -3])", Rule: "asymptotically stable iff every eigenvalue has a negative real part"}},
		{Name: "plot", Kind: Command, Min: 2, Max: 2,
			Help: Help{Sig: "plot(x(t), t = 0..2)", Doc: "plot the components of a solution over time",
				Example: "x = ode([0, 1; -2, -3], [1; 0])\nplot(x(t), t = 0..2)", Rule: "the closed form evaluated on a grid of t"}},
		{Name: "phase", Kind: Command, Min: 1, Max: 3,
			Help: Help{Sig: "phase(A), phase(A, x0) or phase(A, x0, b)", Doc: "2-D phase portrait with the trajectory from x0",
				Example: "phase([0, 1; -2, -3], [1; 0])", Rule: "the field A*x (+ b) and the closed-form trajectory"}},

		// ---- statements ----
		{Name: "layout", Kind: Statement, Args: []string{"numerator", "denominator"},
			Help: Help{Sig: "layout numerator | layout denominator", Doc: "layout numerator | layout denominator: the convention for derivatives (default denominator: the gradient has the shape of the variable)",
				Example: "layout numerator\nx : vector(n)\ngrad(x'*x, x)", Rule: "numerator layout: df/dx = grad(f)'"}},
		{Name: "verify", Kind: Statement, Args: []string{"on", "off"},
			Help: Help{Sig: "verify on | verify off", Doc: "verify on | verify off: check every result against finite differences",
				Example: "verify off\nx : vector(n)\ngrad(x'*x, x)", Rule: "(f(x + h*v) - f(x - h*v))/(2h) compared with <grad(f), v>"}},
	}
}

// at returns an exact kernel for a function that is rational only at one
// integer point: f(x) = val there, inexact elsewhere.
func at(x, val int64) func(*big.Rat) (*big.Rat, bool) {
	return at2(x, val, 1)
}

// at2 is at with the value num/den.
func at2(x, num, den int64) func(*big.Rat) (*big.Rat, bool) {
	return func(r *big.Rat) (*big.Rat, bool) {
		if r.IsInt() && r.Num().IsInt64() && r.Num().Int64() == x {
			return big.NewRat(num, den), true
		}
		return nil, false
	}
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// softplus is log(1 + eˣ), computed without overflow.
func softplus(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x // 0, or NaN
}

// ratSqrt returns the square root of a non-negative rational when it is
// rational (sqrt(9/4) = 3/2).
func ratSqrt(x *big.Rat) (*big.Rat, bool) {
	if x.Sign() < 0 {
		return nil, false
	}
	root := func(n *big.Int) (*big.Int, bool) {
		r := new(big.Int).Sqrt(n)
		return r, new(big.Int).Mul(r, r).Cmp(n) == 0
	}
	n, ok := root(x.Num())
	if !ok {
		return nil, false
	}
	d, ok := root(x.Denom())
	if !ok {
		return nil, false
	}
	return new(big.Rat).SetFrac(n, d), true
}
