package diff

import "github.com/matcalc/matcalc/calculus/expr"

// RuleID names one rule of the derivation engine. Every step of a
// Derivation carries the RuleID that justifies it; Rules gives the rule's
// name and formula.
type RuleID int

// The rules, in the order a teacher would list them.
const (
	RuleStart                RuleID = iota // the differential to find
	RuleConstant                           // dA = 0
	RuleVariable                           // d(X) = dX
	RuleLinearity                          // d(αX + βY) = α dX + β dY
	RuleConstantFactor                     // d(AXB) = A dX B
	RuleProduct                            // d(XY) = dX Y + X dY
	RuleTranspose                          // d(Xᵀ) = (dX)ᵀ
	RuleInverse                            // d(X⁻¹) = −X⁻¹ dX X⁻¹
	RulePinvSquare                         // square X⁺ = X⁻¹: d(X⁺) = −X⁺ dX X⁺
	RulePinvColumn                         // full column rank: d(X⁺) = −X⁺ dX X⁺ + (XᵀX)⁻¹ dXᵀ (I − X X⁺)
	RulePinvRow                            // full row rank: d(X⁺) = −X⁺ dX X⁺ + (I − X⁺X) dXᵀ (X Xᵀ)⁻¹
	RulePinvRank                           // constant rank: the general formula
	RuleDet                                // d det X = det X tr(X⁻¹ dX)
	RuleLogDet                             // d log det X = tr(X⁻¹ dX)
	RuleTrace                              // d tr X = tr dX
	RuleElementwise                        // d f(X) = f'(X) ⊙ dX
	RuleScalarChain                        // d f(s) = f'(s) ds
	RulePower                              // d(s^p) = p s^(p−1) ds, elementwise for matrices
	RuleMatPow                             // d(Xᵏ) = Σ Xⁱ dX Xᵏ⁻¹⁻ⁱ
	RuleHadamard                           // d(X ⊙ Y) = dX ⊙ Y + X ⊙ dY
	RuleLinearMap                          // d sum(X) = sum(dX), d diag, d vec
	RuleKron                               // d(A ⊗ B) = dA ⊗ B + A ⊗ dB
	RuleEntrywise                          // a matrix literal is differentiated entry by entry
	RuleExpand                             // distribute over the sums that hold dX
	RuleScalarTrace                        // a scalar is its own trace: s = tr(s)
	RuleScalarTransposed                   // a scalar is its own transpose: sᵀ = s
	RuleTraceTranspose                     // tr(Mᵀ) = tr(M)
	RuleCyclic                             // tr(ABC) = tr(CAB)
	RuleHadamardTrace                      // tr(A(B ⊙ dX)) = tr((A ⊙ Bᵀ) dX)
	RuleSumEntries                         // sum(M) = tr(𝟙ᵀ M)
	RuleDiagTrace                          // tr(A diag(dx)) = diag(A)ᵀ dx
	RuleCollect                            // tr(A dX) + tr(B dX) = tr((A + B) dX)
	RuleReadScalar                         // df = f'(x) dx
	RuleReadGradient                       // df = ∇fᵀ dx
	RuleReadMatrix                         // df = tr(∇fᵀ dX)
	RuleReadJacobian                       // dF = 𝔍 dx
	RuleScalarOut                          // x (sᵀ dx) = x xᵀ… : a 1×1 factor commutes
	RuleFactor                             // XA + XB = X(A + B)
	RuleSymmetric                          // symmetric X: ∇f = sym(G) = (G + Gᵀ)/2
	RuleLayout                             // numerator layout: the gradient as a row
	RuleSecond                             // d²f = d(df) with dX₁ held constant
	RuleBilinear                           // d²f = dx₂ᵀ H dx₁
	RuleHessian                            // H read off the bilinear form
	RulePartial                            // ∂f/∂xᵢ of the written-out f
	RuleDiagonal                           // diagonal X: ∇f = I ⊙ G
	RuleHadamardDiag                       // u ⊙ dx = diag(u) dx
	RuleVec                                // d vec F = vec(dF)
	RuleVecKron                            // vec(A dX B) = (Bᵀ ⊗ A) vec dX
	RuleCommutation                        // vec(dXᵀ) = K(m, n) vec dX
	RuleVecHadamard                        // vec(A ⊙ dX) = diag(vec A) vec dX
	RuleVecScalar                          // vec(R tr(M dX)) = vec(R) vec(Mᵀ)ᵀ vec dX
	RuleVecKronProduct                     // vec(A ⊗ B) = (Iₙ ⊗ K(q, m) ⊗ Iₚ)(vec A ⊗ vec B)
	RuleReadVecJacobian                    // d vec F = J d vec X
	RuleVecBilinear                        // d²f = vec(dX₂)ᵀ B vec(dX₁)
	RuleSecondIdentification               // H = (B + Bᵀ)/2
	RuleSoftmax                            // d softmax(z) = (diag(p) − p pᵀ) dz, p = softmax(z)
	RuleLogSumExp                          // d logsumexp(z) = softmax(z)ᵀ dz
	RuleLogSoftmax                         // d log softmax(z) = dz − 𝟙 softmax(z)ᵀ dz
	RuleVecTrace                           // tr(M dX) = vec(Mᵀ)ᵀ vec dX
	RuleReadVecRow                         // df = J vec dX, J 1×mn
	numRules
)

// Rule is one rule of the engine, as a teacher reads it: a short name and
// the formula it applies, in LaTeX and in plain text.
type Rule struct {
	ID    RuleID
	Name  string
	LaTeX string
	Plain string
}

// Tag returns the LaTeX shown beside a step that uses the rule: its name
// as \text, with the read-off rules' formulas typeset.
func (r Rule) Tag() string {
	switch r.ID {
	case RuleReadScalar, RuleReadGradient, RuleReadMatrix, RuleReadJacobian, RuleReadVecJacobian, RuleReadVecRow:
		return `\text{read off: } ` + r.LaTeX
	case RuleScalarOut:
		return `\text{a } 1 \times 1 \text{ factor commutes}`
	}
	return `\text{` + expr.TeXText(r.Name) + `}`
}

// Rules returns the engine's rules, indexed by RuleID. It is the one place
// a teacher reviews what the engine may do.
func Rules() [numRules]Rule {
	return [numRules]Rule{
		RuleStart:                {RuleStart, "the differential", `{\rm d}f`, "df"},
		RuleConstant:             {RuleConstant, "constant", `{\rm d}A = 0`, "dA = 0"},
		RuleVariable:             {RuleVariable, "variable", `{\rm d}(X) = {\rm d}X`, "d(X) = dX"},
		RuleLinearity:            {RuleLinearity, "linearity", `{\rm d}(\alpha X + \beta Y) = \alpha\,{\rm d}X + \beta\,{\rm d}Y`, "d(a*X + b*Y) = a*dX + b*dY"},
		RuleConstantFactor:       {RuleConstantFactor, "constant factors", `{\rm d}(AXB) = A\,{\rm d}X\,B`, "d(A*X*B) = A*dX*B"},
		RuleProduct:              {RuleProduct, "product rule", `{\rm d}(XY) = {\rm d}X\,Y + X\,{\rm d}Y`, "d(X*Y) = dX*Y + X*dY"},
		RuleTranspose:            {RuleTranspose, "transpose", `{\rm d}(X^{T}) = ({\rm d}X)^{T}`, "d(X') = dX'"},
		RuleInverse:              {RuleInverse, "inverse", `{\rm d}(X^{-1}) = -X^{-1}\,{\rm d}X\,X^{-1}`, "d(inv(X)) = -inv(X)*dX*inv(X)"},
		RulePinvSquare:           {RulePinvSquare, "pseudo-inverse of a square matrix, assumed invertible", `{\rm d}(X^{+}) = -X^{+}\,{\rm d}X\,X^{+}`, "d(pinv(X)) = -pinv(X)*dX*pinv(X)"},
		RulePinvColumn:           {RulePinvColumn, "pseudo-inverse of full column rank", `{\rm d}(X^{+}) = -X^{+}\,{\rm d}X\,X^{+} + (X^{T}X)^{-1}{\rm d}X^{T}(I - XX^{+})`, "d(pinv(X)) = -pinv(X)*dX*pinv(X) + inv(X'*X)*dX'*(I - X*pinv(X))"},
		RulePinvRow:              {RulePinvRow, "pseudo-inverse of full row rank", `{\rm d}(X^{+}) = -X^{+}\,{\rm d}X\,X^{+} + (I - X^{+}X)\,{\rm d}X^{T}(XX^{T})^{-1}`, "d(pinv(X)) = -pinv(X)*dX*pinv(X) + (I - pinv(X)*X)*dX'*inv(X*X')"},
		RulePinvRank:             {RulePinvRank, "pseudo-inverse, rank assumed constant", `{\rm d}(X^{+}) = -X^{+}{\rm d}X\,X^{+} + X^{+}X^{+T}{\rm d}X^{T}(I - XX^{+}) + (I - X^{+}X)\,{\rm d}X^{T}X^{+T}X^{+}`, "d(pinv(X)) = -pinv(X)*dX*pinv(X) + pinv(X)*pinv(X)'*dX'*(I - X*pinv(X)) + (I - pinv(X)*X)*dX'*pinv(X)'*pinv(X)"},
		RuleDet:                  {RuleDet, "determinant", `{\rm d}\det X = \det X \operatorname{tr}(X^{-1}{\rm d}X)`, "d(det(X)) = det(X)*tr(inv(X)*dX)"},
		RuleLogDet:               {RuleLogDet, "log-determinant", `{\rm d}\log\det X = \operatorname{tr}(X^{-1}{\rm d}X)`, "d(logdet(X)) = tr(inv(X)*dX)"},
		RuleTrace:                {RuleTrace, "trace", `{\rm d}\operatorname{tr}X = \operatorname{tr}{\rm d}X`, "d(tr(X)) = tr(dX)"},
		RuleElementwise:          {RuleElementwise, "chain rule, elementwise", `{\rm d}f(X) = f'(X) \odot {\rm d}X`, "d(f(X)) = f'(X) .* dX"},
		RuleScalarChain:          {RuleScalarChain, "chain rule", `{\rm d}f(s) = f'(s)\,{\rm d}s`, "d(f(s)) = f'(s)*ds"},
		RulePower:                {RulePower, "power rule", `{\rm d}(s^{p}) = p\,s^{p-1}{\rm d}s`, "d(s^p) = p*s^(p-1)*ds"},
		RuleMatPow:               {RuleMatPow, "matrix power", `{\rm d}(X^{k}) = \sum_{i=0}^{k-1} X^{i}\,{\rm d}X\,X^{k-1-i}`, "d(X^k) = sum of X^i*dX*X^(k-1-i)"},
		RuleHadamard:             {RuleHadamard, "product rule, elementwise", `{\rm d}(X \odot Y) = {\rm d}X \odot Y + X \odot {\rm d}Y`, "d(X .* Y) = dX .* Y + X .* dY"},
		RuleLinearMap:            {RuleLinearMap, "linear map", `{\rm d}\,L(X) = L({\rm d}X)`, "d(L(X)) = L(dX) for sum, diag, vec"},
		RuleKron:                 {RuleKron, "product rule, Kronecker", `{\rm d}(A \otimes B) = {\rm d}A \otimes B + A \otimes {\rm d}B`, "d(kron(A, B)) = kron(dA, B) + kron(A, dB)"},
		RuleEntrywise:            {RuleEntrywise, "entry by entry", `{\rm d}[a_{ij}] = [{\rm d}a_{ij}]`, "d([a, b; c, d]) = [da, db; dc, dd]"},
		RuleExpand:               {RuleExpand, "expand", `A(B + C) = AB + AC`, "A*(B + C) = A*B + A*C"},
		RuleScalarTrace:          {RuleScalarTrace, "a scalar is its own trace", `s = \operatorname{tr}(s)`, "s = tr(s)"},
		RuleScalarTransposed:     {RuleScalarTransposed, "a scalar is its own transpose", `s^{T} = s`, "s' = s"},
		RuleTraceTranspose:       {RuleTraceTranspose, "trace of a transpose", `\operatorname{tr}(M^{T}) = \operatorname{tr}(M)`, "tr(M') = tr(M)"},
		RuleCyclic:               {RuleCyclic, "cyclic property of the trace", `\operatorname{tr}(ABC) = \operatorname{tr}(CAB)`, "tr(A*B*C) = tr(C*A*B)"},
		RuleHadamardTrace:        {RuleHadamardTrace, "trace of a Hadamard product", `\operatorname{tr}(A(B \odot {\rm d}X)) = \operatorname{tr}((A \odot B^{T})\,{\rm d}X)`, "tr(A*(B .* dX)) = tr((A .* B')*dX)"},
		RuleSumEntries:           {RuleSumEntries, "sum of entries as a trace", `\operatorname{sum}(M) = \operatorname{tr}({\bf 1}^{T} M)`, "sum(M) = tr(ones'*M)"},
		RuleDiagTrace:            {RuleDiagTrace, "trace with a diagonal", `\operatorname{tr}(A \operatorname{diag}(v)) = \operatorname{diag}(A)^{T} v`, "tr(A*diag(v)) = diag(A)'*v"},
		RuleCollect:              {RuleCollect, "collect terms", `\operatorname{tr}(A\,{\rm d}X) + \operatorname{tr}(B\,{\rm d}X) = \operatorname{tr}((A + B)\,{\rm d}X)`, "tr(A*dX) + tr(B*dX) = tr((A + B)*dX)"},
		RuleReadScalar:           {RuleReadScalar, "read off: df = f'(x)*dx", `{\rm d}f = f'(x)\,{\rm d}x`, "df = f'(x)*dx"},
		RuleReadGradient:         {RuleReadGradient, "read off: df = grad(f)'*dx", `{\rm d}f = \nabla f^{T} {\rm d}x`, "df = grad(f)'*dx"},
		RuleReadMatrix:           {RuleReadMatrix, "read off: df = tr(grad(f)'*dX)", `{\rm d}f = \operatorname{tr}(\nabla f^{T} {\rm d}X)`, "df = tr(grad(f)'*dX)"},
		RuleReadJacobian:         {RuleReadJacobian, "read off: dF = J*dx", `{\rm d}F = {\frak J}\,{\rm d}x`, "dF = J*dx"},
		RuleScalarOut:            {RuleScalarOut, "a 1×1 factor commutes", `u\,(v^{T}{\rm d}x) = (u v^{T})\,{\rm d}x`, "u*(v'*dx) = (u*v')*dx"},
		RuleFactor:               {RuleFactor, "factor out", `XA + XB = X(A + B)`, "X*A + X*B = X*(A + B)"},
		RuleSymmetric:            {RuleSymmetric, "symmetric variable: gradient on symmetric matrices", `\nabla_{{\rm sym}} f = \tfrac{1}{2}(G + G^{T})`, "grad_sym(f) = (G + G')/2"},
		RuleLayout:               {RuleLayout, "numerator layout", `\frac{\partial f}{\partial x} = \nabla f^{T}`, "df/dx = grad(f)'"},
		RuleSecond:               {RuleSecond, "second differential", `{\rm d}^{2}f = {\rm d}({\rm d}f),\ {\rm d}^{2}X = 0`, "d2f = d(df) with d(dX) = 0"},
		RuleBilinear:             {RuleBilinear, "bilinear form", `{\rm d}^{2}f = {\rm d}x_{2}^{T} H\,{\rm d}x_{1}`, "d2f = dx2'*H*dx1"},
		RuleHessian:              {RuleHessian, "read off the Hessian", `{\rm d}^{2}f = {\rm d}x_{2}^{T} H\,{\rm d}x_{1}`, "H read off d2f = dx2'*H*dx1"},
		RuleDiagonal:             {RuleDiagonal, "diagonal variable: gradient on diagonal matrices", `\nabla_{{\rm diag}} f = I \odot G`, "grad_diag(f) = diag(diag(G))"},
		RuleHadamardDiag:         {RuleHadamardDiag, "an elementwise product is a diagonal matrix", `u \odot {\rm d}x = \operatorname{diag}(u)\,{\rm d}x`, "u .* dx = diag(u)*dx"},
		RulePartial:              {RulePartial, "partial derivative", `\frac{\partial f}{\partial x_{i}}`, "df/dx_i"},
		RuleVec:                  {RuleVec, "vec of both sides", `{\rm d}\operatorname{vec}F = \operatorname{vec}({\rm d}F)`, "d vec(F) = vec(dF)"},
		RuleVecKron:              {RuleVecKron, "vec of a product", `\operatorname{vec}(A\,{\rm d}X\,B) = (B^{T} \otimes A)\operatorname{vec}({\rm d}X)`, "vec(A*dX*B) = kron(B', A)*vec(dX)"},
		RuleCommutation:          {RuleCommutation, "commutation matrix", `\operatorname{vec}({\rm d}X^{T}) = K_{m,n}\operatorname{vec}({\rm d}X)`, "vec(dX') = K(m, n)*vec(dX) for an m×n X"},
		RuleVecHadamard:          {RuleVecHadamard, "vec of a Hadamard product", `\operatorname{vec}(A \odot {\rm d}X) = \operatorname{diag}(\operatorname{vec}A)\operatorname{vec}({\rm d}X)`, "vec(A .* dX) = diag(vec(A))*vec(dX)"},
		RuleVecScalar:            {RuleVecScalar, "vec of a scalar multiple", `\operatorname{vec}(R\operatorname{tr}(M\,{\rm d}X)) = \operatorname{vec}(R)\operatorname{vec}(M^{T})^{T}\operatorname{vec}({\rm d}X)`, "vec(R*tr(M*dX)) = vec(R)*vec(M')'*vec(dX)"},
		RuleVecKronProduct:       {RuleVecKronProduct, "vec of a Kronecker product", `\operatorname{vec}(A \otimes B) = (I_{n} \otimes K_{q,m} \otimes I_{p})(\operatorname{vec}A \otimes \operatorname{vec}B)`, "vec(kron(A, B)) = kron(kron(eye(n), K(q, m)), eye(p))*kron(vec(A), vec(B)) for A m×n, B p×q"},
		RuleReadVecJacobian:      {RuleReadVecJacobian, "read off: d vec(F) = J*d vec(X)", `{\rm d}\operatorname{vec}F = {\frak J}\,{\rm d}\operatorname{vec}X`, "d vec(F) = J*d vec(X)"},
		RuleSoftmax:              {RuleSoftmax, "softmax", `{\rm d}\operatorname{softmax}(z) = (\operatorname{diag}(p) - p p^{T})\,{\rm d}z,\ p = \operatorname{softmax}(z)`, "d(softmax(z)) = (diag(p) - p*p')*dz with p = softmax(z)"},
		RuleLogSumExp:            {RuleLogSumExp, "log-sum-exp", `{\rm d}\operatorname{logsumexp}(z) = \operatorname{softmax}(z)^{T}{\rm d}z`, "d(logsumexp(z)) = softmax(z)'*dz"},
		RuleLogSoftmax:           {RuleLogSoftmax, "log-softmax", `{\rm d}\log\operatorname{softmax}(z) = {\rm d}z - {\bf 1}\operatorname{softmax}(z)^{T}{\rm d}z`, "d(log(softmax(z))) = dz - ones*softmax(z)'*dz"},
		RuleVecTrace:             {RuleVecTrace, "a trace as a vec product", `\operatorname{tr}(M\,{\rm d}X) = \operatorname{vec}(M^{T})^{T}\operatorname{vec}({\rm d}X)`, "tr(M*dX) = vec(M')'*vec(dX)"},
		RuleReadVecRow:           {RuleReadVecRow, "read off: df = J*vec(dX)", `{\rm d}f = {\frak J}\operatorname{vec}({\rm d}X)`, "df = J*vec(dX)"},
		RuleVecBilinear:          {RuleVecBilinear, "bilinear form in vec dX", `{\rm d}^{2}f = \operatorname{vec}({\rm d}X_{2})^{T} B\,\operatorname{vec}({\rm d}X_{1})`, "d2f = vec(dX2)'*B*vec(dX1)"},
		RuleSecondIdentification: {RuleSecondIdentification, "second identification theorem", `H = \tfrac{1}{2}(B + B^{T})`, "H = (B + B')/2"},
	}
}

// Rule returns the rule with this ID.
func (id RuleID) Rule() Rule {
	if id < 0 || id >= numRules {
		return Rule{ID: id, Name: "?"}
	}
	return Rules()[id]
}

// String returns the rule's name.
func (id RuleID) String() string { return id.Rule().Name }
