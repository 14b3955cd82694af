package diff

import (
	"math/big"
	"testing"

	"github.com/matcalc/matcalc/calculus/expr"
)

// cookbookCases are identities of the Matrix Cookbook (Petersen &
// Pedersen, 2012; equation numbers where they apply) and the places other
// tools get wrong: sums of traces, a trace plus a constant, det inside
// log, powers Xᵏ, elementwise functions, second derivatives. Every one is
// proved by finite differences in checkCase; where want is set, the
// printed form is pinned too.
func cookbookCases() []dcase {
	X := func(w *world) *expr.Symbol { return w.X }
	x := func(w *world) *expr.Symbol { return w.x }
	S := func(w *world) *expr.Symbol { return w.S }
	P := func(w *world) *expr.Symbol { return w.P }
	half := big.NewRat(1, 2)
	type F = func(w *world, k *builder) expr.Node
	c := func(label, name, op string, f F, wrt func(*world) *expr.Symbol, want string) dcase {
		return dcase{item: label, name: name, op: op, f: f, wrt: wrt, want: want}
	}
	return []dcase{
		// Traces (Cookbook §2.5).
		c("cb100", "tr_X", "grad", func(w *world, k *builder) expr.Node { return k.tr(w.X) }, X, "eye(n)"),
		c("cb100", "tr_AX", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(w.A, w.X)) }, X, "A'"),
		c("cb101", "tr_AXB", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(w.A, w.X, w.B)) }, X, "A'*B'"),
		c("cb102", "tr_AXtB", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(w.A, T(w.X), w.B)) }, X, "B*A"),
		c("cb103", "tr_Xt", "grad", func(w *world, k *builder) expr.Node { return k.tr(T(w.X)) }, X, "eye(n)"),
		c("cb104", "tr_XtA", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(T(w.X), w.A)) }, X, "A"),
		c("cb105", "tr_kron", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(w.X, w.X)) }, X, "2*X'"),
		c("cb106", "tr_X2", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mpow(w.X, 2)) }, X, "2*X'"),
		c("cb107", "tr_X2B", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(k.mpow(w.X, 2), w.B)) }, X, "B'*X' + X'*B'"),
		c("cb108", "tr_XtBX", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(T(w.X), w.B, w.X)) }, X, "(B + B')*X"),
		c("cb109", "tr_XBXt", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(w.X, w.B, T(w.X))) }, X, "X*(B + B')"),
		c("cb110", "tr_AXBX", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(w.A, w.X, w.B, w.X)) }, X, "A'*X'*B' + B'*X'*A'"),
		c("cb111", "tr_XtX", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(T(w.X), w.X)) }, X, "2*X"),
		c("cb112", "tr_BXXt", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(w.B, w.X, T(w.X))) }, X, "(B + B')*X"),
		c("cb113", "tr_Xk", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mpow(w.X, 5)) }, X, "5*(X')^4"),
		c("cb114", "tr_AXk", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(w.A, k.mpow(w.X, 3))) }, X, ""),
		c("cb115", "tr_AinvXB", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(w.A, k.inv(w.X), w.B)) }, X, "-inv(X)'*A'*B'*inv(X)'"),
		c("cb116", "tr_invX", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.inv(w.X)) }, X, "-inv(X)'*inv(X)'"),
		c("cb117", "tr_XtBXC", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(T(w.X), w.B, w.X, w.C)) }, X, "B*X*C + B'*X*C'"),
		c("tool", "sum_of_traces", "grad", func(w *world, k *builder) expr.Node { return k.add(k.tr(k.mul(w.A, w.X)), k.tr(k.mul(w.B, T(w.X)))) }, X, "A' + B"),
		c("tool", "trace_plus_constant", "grad", func(w *world, k *builder) expr.Node { return k.add(k.tr(k.mul(w.A, w.X)), k.tr(w.B), w.t) }, X, "A'"),
		c("tool", "scaled_trace", "grad", func(w *world, k *builder) expr.Node { return k.mul(w.t, k.tr(k.mul(T(w.X), w.X))) }, X, "2*t*X"),
		// Determinants (§2.1.1, eqs. 49–57).
		c("cb49", "det_X", "grad", func(w *world, k *builder) expr.Node { return k.det(w.X) }, X, "det(X)*inv(X)'"),
		c("cb51", "det_AXB", "grad", func(w *world, k *builder) expr.Node { return k.det(k.mul(w.A, w.X, w.B)) }, X, ""),
		c("cb53", "logdet_XtX", "grad", func(w *world, k *builder) expr.Node { return k.logdet(k.mul(T(w.X), w.X)) }, X, ""),
		c("cb55", "det_Xk", "grad", func(w *world, k *builder) expr.Node { return k.det(k.mpow(w.X, 3)) }, X, ""),
		c("cb57", "log_abs_det", "grad", func(w *world, k *builder) expr.Node { return k.f("log", k.f("abs", k.det(w.X))) }, X, "inv(X)'"),
		c("tool", "det_inside_log", "grad", func(w *world, k *builder) expr.Node { return k.f("log", k.det(w.X)) }, X, "inv(X)'"),
		c("tool", "logdet_plus_trace", "grad", func(w *world, k *builder) expr.Node { return k.add(k.logdet(w.X), k.tr(k.mul(w.A, w.X))) }, X, "A' + inv(X)'"),
		c("cb141", "logdet_spd", "grad", func(w *world, k *builder) expr.Node { return k.logdet(w.P) }, P, "inv(P)"),
		c("cb142", "det_inv", "grad", func(w *world, k *builder) expr.Node { return k.det(k.inv(w.X)) }, X, ""),
		// Inverses (§2.2).
		c("cb59", "d_inverse", "d", func(w *world, k *builder) expr.Node { return k.inv(w.X) }, X, "-inv(X)*dX*inv(X)"),
		c("cb61", "a_invX_b", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.a), k.inv(w.X), w.b) }, X, "-inv(X)'*a*b'*inv(X)'"),
		c("cb63", "d_inv_AXB", "d", func(w *world, k *builder) expr.Node { return k.inv(k.mul(w.A, w.X, w.B)) }, X, ""),
		c("tool", "d_X2", "d", func(w *world, k *builder) expr.Node { return k.mpow(w.X, 2) }, X, "X*dX + dX*X"),
		c("tool", "d_Xk", "d", func(w *world, k *builder) expr.Node { return k.mpow(w.X, 3) }, X, "X*dX*X + dX*X^2 + X^2*dX"),
		// Linear and quadratic forms (§2.4).
		c("cb69", "x_t_a", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.x), w.a) }, x, "a"),
		c("cb70", "a_t_X_b", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.a), w.X, w.b) }, X, "a*b'"),
		c("cb71", "a_t_Xt_b", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.a), T(w.X), w.b) }, X, "b*a'"),
		c("cb72", "a_t_X_a", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.a), w.X, w.a) }, X, "a*a'"),
		c("cb77", "b_t_Xt_X_c", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.b), T(w.X), w.X, w.c) }, X, "X*(b*c' + c*b')"),
		c("cb78", "affine_quadratic", "grad", func(w *world, k *builder) expr.Node {
			return k.mul(T(k.add(k.mul(w.B, w.x), w.b)), w.C, k.add(k.mul(w.A, w.x), w.c))
		}, x, ""),
		c("cb79", "xt_Bt_B_x", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.x), T(w.B), w.B, w.x) }, x, "2*B'*B*x"),
		c("cb81", "quadratic_symmetric", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.x), w.S, w.x) }, x, "2*S*x"),
		c("cb84", "b_t_Xt_D_X_c", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.b), T(w.X), w.A, w.X, w.c) }, X, "A*X*c*b' + A'*X*b*c'"),
		c("cb85", "mahalanobis", "grad", func(w *world, k *builder) expr.Node {
			r := k.sub(w.x, w.a)
			return k.mul(T(r), k.inv(w.P), r)
		}, x, ""),
		// Norms (§2.6).
		c("cb129", "norm2_squared", "grad", func(w *world, k *builder) expr.Node { return k.pow(k.norm(w.x), 2) }, x, "2*x"),
		c("cb129", "norm2", "grad", func(w *world, k *builder) expr.Node { return k.norm(w.x) }, x, "x/norm(x)"),
		c("cb130", "norm_residual", "grad", func(w *world, k *builder) expr.Node { return k.norm(k.sub(k.mul(w.Amn, w.x), w.bm)) }, x, "A'*(A*x - b)/norm(A*x - b)"),
		c("cb131", "frobenius_squared", "grad", func(w *world, k *builder) expr.Node { return k.pow(k.norm(w.X), 2) }, X, "2*X"),
		c("cb131", "frobenius", "grad", func(w *world, k *builder) expr.Node { return k.norm(w.X) }, X, "X/norm(X)"),
		c("tool", "ridge", "grad", func(w *world, k *builder) expr.Node {
			return k.add(k.pow(k.norm(k.sub(k.mul(w.Amn, w.x), w.bm)), 2), k.mul(w.t, k.pow(k.norm(w.x), 2)))
		}, x, "2*(A'*(A*x - b) + t*x)"),
		c("tool", "matrix_factorisation", "grad", func(w *world, k *builder) expr.Node {
			return k.pow(k.norm(k.sub(k.mul(w.X, w.Y), w.A)), 2)
		}, X, "2*(X*Y - A)*Y'"),
		// Elementwise functions, log-sum-exp, logistic loss.
		c("tool", "sum_exp", "grad", func(w *world, k *builder) expr.Node { return k.sum(k.f("exp", w.x)) }, x, "exp(x)"),
		c("tool", "log_sum_exp", "grad", func(w *world, k *builder) expr.Node { return k.f("log", k.sum(k.f("exp", w.x))) }, x, "softmax(x)"),
		c("tool", "log_sum_exp_affine", "grad", func(w *world, k *builder) expr.Node {
			return k.f("log", k.sum(k.f("exp", k.mul(w.Amn, w.x))))
		}, x, ""),
		c("tool", "log_sum_exp_hessian", "hessian", func(w *world, k *builder) expr.Node { return k.f("log", k.sum(k.f("exp", w.x))) }, x, ""),
		c("tool", "logistic_loss", "grad", func(w *world, k *builder) expr.Node {
			m := k.had(expr.Neg(w.bm), k.mul(w.Amn, w.x))
			return k.sum(k.f("log", k.add(expr.OnesOf(w.bm.Shape()), k.f("exp", m))))
		}, x, ""),
		c("tool", "logistic_loss_hessian", "hessian", func(w *world, k *builder) expr.Node {
			m := k.had(expr.Neg(w.bm), k.mul(w.Amn, w.x))
			return k.sum(k.f("log", k.add(expr.OnesOf(w.bm.Shape()), k.f("exp", m))))
		}, x, ""),
		c("tool", "cross_entropy_sigmoid", "grad", func(w *world, k *builder) expr.Node {
			p := k.f("sigmoid", k.mul(w.Amn, w.x))
			one := expr.OnesOf(w.bm.Shape())
			return expr.Neg(k.add(k.mul(T(w.bm), k.f("log", p)), k.mul(T(k.sub(one, w.bm)), k.f("log", k.sub(one, p)))))
		}, x, ""),
		c("tool", "sum_sin", "grad", func(w *world, k *builder) expr.Node { return k.sum(k.f("sin", w.x)) }, x, "cos(x)"),
		c("tool", "a_t_tanh", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.a), k.f("tanh", w.x)) }, x, ""),
		c("tool", "sum_cube", "grad", func(w *world, k *builder) expr.Node { return k.sum(k.pow(w.x, 3)) }, x, "3*x.^2"),
		c("tool", "sum_sqrt", "grad", func(w *world, k *builder) expr.Node { return k.sum(k.ok(expr.ElemPow(w.x, half))) }, x, ""),
		c("tool", "x_diag_a_x", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.x), k.diag(w.a), w.x) }, x, "2*diag(a)*x"),
		c("tool", "hadamard_trace", "grad", func(w *world, k *builder) expr.Node { return k.sum(k.had(w.A, w.X)) }, X, "A"),
		c("tool", "hadamard_square", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(T(w.A), k.had(w.X, w.X))) }, X, "2*(A .* X)"),
		c("tool", "diag_part", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.a), k.diag(w.X)) }, X, ""),
		c("tool", "sigmoid_sum", "grad", func(w *world, k *builder) expr.Node { return k.sum(k.f("sigmoid", w.X)) }, X, ""),
		// Scalar chains.
		c("tool", "quartic", "grad", func(w *world, k *builder) expr.Node { return k.pow(k.mul(T(w.x), w.x), 2) }, x, "4*(x'*x)*x"),
		c("tool", "exp_linear", "grad", func(w *world, k *builder) expr.Node { return k.f("exp", k.mul(T(w.a), w.x)) }, x, "exp(a'*x)*a"),
		c("tool", "reciprocal", "grad", func(w *world, k *builder) expr.Node { return k.div(expr.IntConst(1), k.mul(T(w.x), w.x)) }, x, "-2*x/(x'*x)^2"),
		c("tool", "rayleigh", "grad", func(w *world, k *builder) expr.Node { return k.div(k.mul(T(w.x), w.S, w.x), k.mul(T(w.x), w.x)) }, x, ""),
		// Symmetric variables (the gradient on symmetric matrices).
		c("sym", "tr_AS", "grad", func(w *world, k *builder) expr.Node { return k.tr(k.mul(w.A, w.S)) }, S, "1/2*(A + A')"),
		c("sym", "x_t_S_x", "grad", func(w *world, k *builder) expr.Node { return k.mul(T(w.x), w.S, w.x) }, S, "x*x'"),
		c("sym", "logdet_P_tr", "grad", func(w *world, k *builder) expr.Node { return k.sub(k.logdet(w.P), k.tr(k.mul(w.S, w.P))) }, P, "inv(P) - S"),
		// Jacobians.
		c("jac", "exp_Ax", "jacobian", func(w *world, k *builder) expr.Node { return k.f("exp", k.mul(w.A, w.x)) }, x, "diag(exp(A*x))*A"),
		c("jac", "hadamard_square", "jacobian", func(w *world, k *builder) expr.Node { return k.had(w.x, w.x) }, x, "2*diag(x)"),
		c("jac", "sigmoid", "jacobian", func(w *world, k *builder) expr.Node { return k.f("sigmoid", w.x) }, x, ""),
		c("jac", "normalise", "jacobian", func(w *world, k *builder) expr.Node { return k.div(w.x, k.norm(w.x)) }, x, ""),
		c("jac", "softmax", "jacobian", func(w *world, k *builder) expr.Node { return k.div(k.f("exp", w.x), k.sum(k.f("exp", w.x))) }, x, ""),
		c("jac", "inv_A_x", "jacobian", func(w *world, k *builder) expr.Node { return k.mul(k.inv(w.X), w.x) }, x, "inv(X)"),
		c("jac", "literal_of_scalar", "jacobian", func(w *world, k *builder) expr.Node {
			return k.ok(expr.Matrix([][]expr.Node{{k.pow(w.t, 2)}, {k.f("sin", w.t)}, {w.s}}))
		}, func(w *world) *expr.Symbol { return w.t }, "[2*t; cos(t); 0]"),
		c("jac", "literal_matrix_times_vector", "jacobian", func(w *world, k *builder) expr.Node {
			// expm(A*t)*x0 once expm has a numeric A: a literal in t times a constant vector.
			et, e5 := k.f("exp", w.t), k.f("exp", k.mul(k.num(-5), w.t))
			E := k.ok(expr.Matrix([][]expr.Node{{k.sub(k.mul(k.num(4), et), e5), k.sub(e5, et)}, {k.sub(et, e5), k.sub(k.mul(k.num(4), e5), et)}}))
			return k.mul(E, expr.VectorSymbol("x0", expr.Int(2)))
		}, func(w *world) *expr.Symbol { return w.t }, "[5*exp(-5*t) + 4*exp(t), -5*exp(-5*t) - exp(t); 5*exp(-5*t) + exp(t), -20*exp(-5*t) - exp(t)]*x0"),
		c("tool", "quadratic_form_of_literal", "grad", func(w *world, k *builder) expr.Node {
			x0 := expr.VectorSymbol("x0", expr.Int(2))
			E := k.ok(expr.Matrix([][]expr.Node{{k.f("exp", w.t), w.t}, {k.num(0), k.pow(w.t, 2)}}))
			return k.mul(T(x0), E, x0)
		}, func(w *world) *expr.Symbol { return w.t }, "x0'*[exp(t), 1; 0, 2*t]*x0"),
		c("tool", "sum_of_literal", "grad", func(w *world, k *builder) expr.Node {
			return k.sum(k.ok(expr.Matrix([][]expr.Node{{k.pow(w.t, 2), k.f("sin", w.t)}})))
		}, func(w *world) *expr.Symbol { return w.t }, "cos(t) + 2*t"),
		// Hessians and second differentials.
		c("hess", "quartic", "hessian", func(w *world, k *builder) expr.Node { return k.pow(k.mul(T(w.x), w.x), 2) }, x, ""),
		c("hess", "product_of_linears", "hessian", func(w *world, k *builder) expr.Node { return k.mul(k.mul(T(w.a), w.x), k.mul(T(w.b), w.x)) }, x, "a*b' + b*a'"),
		c("hess", "log_quadratic", "hessian", func(w *world, k *builder) expr.Node { return k.f("log", k.mul(T(w.x), w.P, w.x)) }, x, ""),
		c("hess", "log_quadratic_general", "hessian", func(w *world, k *builder) expr.Node { return k.f("log", k.mul(T(w.x), w.A, w.x)) }, x,
			"(A + A')/(x'*A*x) - (A + A')*x*x'*(A + A')/(x'*A*x)^2"),
		c("hess", "norm", "hessian", func(w *world, k *builder) expr.Node { return k.norm(w.x) }, x, ""),
		c("d2", "tr_X2", "d2", func(w *world, k *builder) expr.Node { return k.tr(k.mpow(w.X, 2)) }, X, "2*tr(dX2*dX1)"),
		c("d2", "tr_inv", "d2", func(w *world, k *builder) expr.Node { return k.tr(k.inv(w.X)) }, X, ""),
		c("d2", "det", "d2", func(w *world, k *builder) expr.Node { return k.det(w.X) }, X, ""),
		c("d2", "eigen_free_XtAX", "d2", func(w *world, k *builder) expr.Node { return k.tr(k.mul(T(w.X), w.A, w.X)) }, X, ""),
		// Kronecker and vec.
		c("kron", "vec_AXB", "d", func(w *world, k *builder) expr.Node { return k.vec(k.mul(w.A, w.X, w.B)) }, X, "vec(A*dX*B)"),
		c("kron", "sum_kron", "d", func(w *world, k *builder) expr.Node { return k.sum(k.kron(w.X, w.A)) }, X, "sum(kron(dX, A))"),
	}
}

// TestCookbook proves each identity by finite differences and pins its
// derivation by a golden file.
func TestCookbook(t *testing.T) {
	cases := cookbookCases()
	if len(cases) < 60 {
		t.Errorf("only %d identities, want at least 60", len(cases))
	}
	for _, c := range cases {
		t.Run(c.item+"_"+c.name, func(t *testing.T) { checkCase(t, c, "cookbook") })
	}
}
