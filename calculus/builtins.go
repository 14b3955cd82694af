package calculus

import "sort"

// builtin describes a function or command of the language, for
// completion, inspection and argument checking.
type builtin struct {
	sig     string // how it is called
	doc     string // one line of what it does
	min     int    // fewest arguments
	max     int    // most arguments (-1: any)
	command bool   // a command of issue 4 or 5 rather than a function
}

// builtins returns a new table of the language's functions and commands.
// The Interpreter builds it once; there is no package-level table.
func builtins() map[string]builtin {
	return map[string]builtin{
		"tr":      {sig: "tr(X)", doc: "trace of a square matrix", min: 1, max: 1},
		"det":     {sig: "det(X)", doc: "determinant of a square matrix", min: 1, max: 1},
		"logdet":  {sig: "logdet(X)", doc: "log det X", min: 1, max: 1},
		"inv":     {sig: "inv(X)", doc: "inverse of a square matrix (also X^-1)", min: 1, max: 1},
		"pinv":    {sig: "pinv(X)", doc: "Moore–Penrose pseudo-inverse (numbers only)", min: 1, max: 1},
		"log":     {sig: "log(X)", doc: "natural logarithm, elementwise", min: 1, max: 1},
		"exp":     {sig: "exp(X)", doc: "exponential, elementwise (expm is the matrix exponential)", min: 1, max: 1},
		"sin":     {sig: "sin(X)", doc: "sine, elementwise", min: 1, max: 1},
		"cos":     {sig: "cos(X)", doc: "cosine, elementwise", min: 1, max: 1},
		"tanh":    {sig: "tanh(X)", doc: "hyperbolic tangent, elementwise", min: 1, max: 1},
		"sigmoid": {sig: "sigmoid(X)", doc: "logistic function 1/(1 + exp(-x)), elementwise", min: 1, max: 1},
		"sqrt":    {sig: "sqrt(X)", doc: "square root, elementwise", min: 1, max: 1},
		"abs":     {sig: "abs(X)", doc: "absolute value, elementwise", min: 1, max: 1},
		"norm":    {sig: "norm(X)", doc: "2-norm of a vector, Frobenius norm of a matrix", min: 1, max: 1},
		"sum":     {sig: "sum(X)", doc: "sum of all entries", min: 1, max: 1},
		"diag":    {sig: "diag(X)", doc: "vector → diagonal matrix; square matrix → its diagonal", min: 1, max: 1},
		"vec":     {sig: "vec(X)", doc: "the columns of X stacked into one vector", min: 1, max: 1},
		"eye":     {sig: "eye(n)", doc: "the n×n identity (also I, sized by context)", min: 1, max: 1},
		"zeros":   {sig: "zeros(m, n)", doc: "the m×n zero matrix", min: 1, max: 2},
		"ones":    {sig: "ones(m, n)", doc: "the m×n matrix of ones", min: 1, max: 2},
		"rand":    {sig: "rand(m, n)", doc: "an m×n matrix of uniform random numbers in [0, 1) (numbers only)", min: 1, max: 2},
		"kron":    {sig: "kron(A, B)", doc: "Kronecker product", min: 2, max: 2},
		"dot":     {sig: "dot(a, b)", doc: "inner product <a, b> (Frobenius for matrices)", min: 2, max: 2},
		"rank":    {sig: "rank(A)", doc: "rank of a matrix (numbers only)", min: 1, max: 1},
		"eig":     {sig: "eig(A)", doc: "eigenvalues and eigenvectors, exact when they are rational (numbers only)", min: 1, max: 1},
		"expm":    {sig: "expm(A) or expm(A*t)", doc: "matrix exponential: of a value numerically; expm(A*t) for a scalar t without a value in closed form", min: 1, max: 1},
		"solve":   {sig: "solve(A, b)", doc: "the solution x of A*x = b (numbers only)", min: 2, max: 2},
		"chol":    {sig: "chol(A)", doc: "Cholesky factor L of an spd matrix, A = L*L' (numbers only)", min: 1, max: 1},
		"svd":     {sig: "svd(A)", doc: "singular value decomposition A = U*diag(s)*V' (numbers only)", min: 1, max: 1},

		"d":          {sig: "d(f) or d(f, X)", doc: "the differential of f, step by step", min: 1, max: 2, command: true},
		"grad":       {sig: "grad(f, X)", doc: "gradient of a scalar f with respect to X", min: 2, max: 2, command: true},
		"jacobian":   {sig: "jacobian(F, x)", doc: "Jacobian of a vector F of a vector x", min: 2, max: 2, command: true},
		"hessian":    {sig: "hessian(f, x)", doc: "Hessian of a scalar f of a vector x", min: 2, max: 2, command: true},
		"d2":         {sig: "d2(f, X)", doc: "second differential as a bilinear form", min: 2, max: 2, command: true},
		"check":      {sig: "check(grad(f, X) == G)", doc: "check an answer symbolically and numerically", min: 1, max: 1, command: true},
		"components": {sig: "components(f, x, n)", doc: "the formula written out coordinate by coordinate", min: 3, max: 3, command: true},
		"code":       {sig: "code(g, numpy)", doc: "export a result as a NumPy or gonum function", min: 2, max: 2, command: true},
		"ode":        {sig: "ode(A, x0) or ode(A, x0, b)", doc: "solve x' = A*x (+ b), x(0) = x0 in closed form, step by step", min: 2, max: 3, command: true},
		"putzer":     {sig: "putzer(A)", doc: "e^{At} by Putzer's algorithm", min: 1, max: 1, command: true},
		"stability":  {sig: "stability(A) or stability(A, b)", doc: "stability of x' = A*x (+ b)", min: 1, max: 2, command: true},
		"plot":       {sig: "plot(x(t), t = 0..2)", doc: "plot the components of a solution over time", min: 2, max: 2, command: true},
		"phase":      {sig: "phase(A), phase(A, x0) or phase(A, x0, b)", doc: "2-D phase portrait with the trajectory from x0", min: 1, max: 3, command: true},
	}
}

// stmtCommand is a command statement such as `layout numerator`.
type stmtCommand struct {
	doc  string
	args []string
}

// statementCommands returns the words that begin a command statement.
func statementCommands() map[string]stmtCommand {
	return map[string]stmtCommand{
		"layout": {doc: "layout numerator | layout denominator: the convention for derivatives (default denominator: the gradient has the shape of the variable)", args: []string{"numerator", "denominator"}},
		"verify": {doc: "verify on | verify off: check every result against finite differences", args: []string{"on", "off"}},
	}
}

// keywords returns the other words of the language.
func keywords() []string {
	return []string{"scalar", "vector", "matrix", "symmetric", "spd", "invertible", "diagonal", "orthogonal", "I", "numerator", "denominator", "on", "off", "numpy", "gonum"}
}

// languageNames returns the builtin names, commands and keywords, sorted.
func languageNames() []string {
	var names []string
	for n := range builtins() {
		names = append(names, n)
	}
	for n := range statementCommands() {
		names = append(names, n)
	}
	names = append(names, keywords()...)
	sort.Strings(names)
	return names
}

// aliases returns the names other tools use for the language's functions,
// for suggestions.
func aliases() map[string]string {
	return map[string]string{
		"trace": "tr", "determinant": "det", "inverse": "inv", "transpose": "x' or x^T",
		"identity": "eye", "logm": "log (elementwise) or logdet", "expmat": "expm",
		"transp": "x'", "t": "x'", "frobenius": "norm", "linsolve": "solve", "eigs": "eig",
		"eigen": "eig", "cholesky": "chol", "hadamard": ".*", "outer": "x*y'", "inner": "dot or <a, b>",
	}
}
