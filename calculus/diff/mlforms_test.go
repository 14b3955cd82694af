package diff_test

import (
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus"
)

// TestTextbookForms: the machine-learning staples come out in the
// textbook's form, checked numerically by the interpreter; an answer
// right but more than twice as long as the textbook's is a defect kept
// in the list longForms (the test fails when the list is stale).
func TestTextbookForms(t *testing.T) {
	decls := "X : matrix(m, n)\nw : vector(n)\ny : vector(m)\nz : vector(m)\n"
	cases := []struct{ name, cell, textbook string }{
		{"logistic regression", "grad(-(y'*log(sigmoid(X*w)) + (ones(m,1) - y)'*log(ones(m,1) - sigmoid(X*w))), w)", "X'*(sigmoid(X*w) - y)"},
		{"logistic regression, softplus", "grad(sum(softplus(X*w)) - y'*X*w, w)", "X'*(sigmoid(X*w) - y)"},
		{"logistic Hessian", "hessian(-(y'*log(sigmoid(X*w)) + (ones(m,1) - y)'*log(ones(m,1) - sigmoid(X*w))), w)", "X'*diag(sigmoid(X*w) .* (1 - sigmoid(X*w)))*X"},
		{"softmax cross-entropy", "grad(-y'*log(exp(z)/sum(exp(z))), z)", "softmax(z)*sum(y) - y"},
		{"log-cosh", "grad(sum(log(cosh(z))), z)", "tanh(z)"},
		{"logsumexp", "grad(log(sum(exp(z))), z)", "softmax(z)"},
		{"logsumexp Hessian", "hessian(log(sum(exp(z))), z)", "diag(softmax(z)) - softmax(z)*softmax(z)'"},
		{"softmax cross-entropy, named", "grad(-y'*log(softmax(z)), z)", "softmax(z)*sum(y) - y"},
		{"logsumexp, named", "grad(logsumexp(X*w), w)", "X'*softmax(X*w)"},
		{"logsumexp Hessian, named", "hessian(logsumexp(z), z)", "diag(softmax(z)) - softmax(z)*softmax(z)'"},
	}
	// right, but more than twice the textbook's length (none now).
	longForms := map[string]bool{}
	for _, c := range cases {
		in := calculus.New()
		outs, err := in.Exec(t.Context(), decls+c.cell)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		got := outs[len(outs)-1].Plain
		for _, o := range outs {
			if strings.HasPrefix(o.Plain, "✗") || strings.HasPrefix(o.Plain, "not checked") {
				t.Errorf("%s: %s", c.name, o.Plain)
			}
		}
		long := len(got) > 2*len(c.textbook)
		switch {
		case long && !longForms[c.name]:
			t.Errorf("%s: %s is more than twice as long as the textbook's %s", c.name, got, c.textbook)
		case !long && longForms[c.name]:
			t.Errorf("%s: %s is no longer twice the textbook's length: take it off longForms", c.name, got)
		}
		t.Logf("%-28s %s   (textbook %s)", c.name, got, c.textbook)
	}
}
