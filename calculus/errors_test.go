package calculus

import (
	"context"
	"errors"
	"regexp"
	"testing"
)

// packagePrefix matches the name of one of matcalc's packages used as
// the prefix of an error's text, which must never reach a student.
var packagePrefix = regexp.MustCompile(`\b(builtin|calculus|diff|expr|linalg|numeric|ode|plots|syntax|lang|kernel|session): `)

// TestErrorKinds runs cells whose errors arise in each layer below the
// interpreter: each has its kind, and no package prefix reaches the text.
func TestErrorKinds(t *testing.T) {
	cases := []struct {
		src  string
		kind Kind
	}{
		{"1 +", SyntaxError},
		{"y + 1", NameError},
		{"tr(1, 2)", TypeError},
		{"A : matrix(2, 3)\nA*A", ShapeError},
		{"inv([1 2; 2 4])", ValueError},                                     // linalg
		{"log([-1; 2])", ValueError},                                        // linalg, a domain
		{"X : matrix(n, n)\nX^5000", ValueError},                            // expr
		{"X : matrix(2, 3)\na : vector(6)\ngrad(a'*vec(X), X)", ValueError}, // diff
		{"X : matrix(n, n)\nhessian(X*X, X)", TensorError},                  // diff: no Hessian matrix of a matrix F
		{"t : scalar\nexpm([0 1 0; 0 0 1; 2 0 0]*t)", ValueError},           // ode
		{"chol([1 2; 2 1])", ValueError},                                    // linalg
	}
	for _, tc := range cases {
		_, err := New().Exec(context.Background(), tc.src)
		var ce *Error
		if !errors.As(err, &ce) {
			t.Errorf("%q: got %v, want a %s", tc.src, err, tc.kind)
			continue
		}
		if ce.Kind != tc.kind {
			t.Errorf("%q: %s %v, want a %s", tc.src, ce.Kind, ce, tc.kind)
		}
		if p := packagePrefix.FindString(ce.Msg); p != "" {
			t.Errorf("%q: the message names a package (%q): %s", tc.src, p, ce.Msg)
		}
	}
}

// TestKindNames pins the names students see.
func TestKindNames(t *testing.T) {
	want := map[Kind]string{SyntaxError: "SyntaxError", NameError: "NameError", TypeError: "TypeError",
		ShapeError: "ShapeError", ValueError: "ValueError", TensorError: "TensorError", InternalError: "InternalError"}
	for k := SyntaxError; k <= InternalError; k++ {
		if k.String() != want[k] {
			t.Errorf("Kind %d: %q, want %q", int(k), k.String(), want[k])
		}
	}
}
