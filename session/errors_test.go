package session

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus"
	"github.com/matcalc/matcalc/kernel/lang"
)

// TestErrorNames: every kind of error a cell raises is typed, and its
// name on the wire (ename of the notebook output, of user_expressions,
// the first word of the traceback) is the one students have always seen.
func TestErrorNames(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		ctx   context.Context
		code  string
		kind  lang.ErrorKind
		ename string
	}{
		{context.Background(), "1 +", calculus.SyntaxError, "SyntaxError"},
		{context.Background(), "y + 1", calculus.NameError, "NameError"},
		{context.Background(), "A : matrix(2, 3)\nA*A", calculus.ShapeError, "ShapeError"},
		{context.Background(), "rand(2000, 2000)*rand(2000, 2000)", calculus.ValueError, "ValueError"},
		{context.Background(), "%nope", MagicError, "MagicError"},
		{context.Background(), "%sleep x", MagicError, "MagicError"},
		{cancelled, "%sleep 30", lang.Interrupted, "Interrupted"},
		{cancelled, "x : vector(n)", lang.Interrupted, "Interrupted"},
	}
	for _, tc := range cases {
		s := New("test")
		res := s.Execute(tc.ctx, lang.ExecuteRequest{Code: tc.code, StoreHistory: true}, &recorder{})
		if res.Err == nil || res.Err.Kind != tc.kind {
			t.Errorf("%q: error %+v, want kind %v", tc.code, res.Err, tc.kind)
			continue
		}
		if res.Err.Name() != tc.ename || !strings.HasPrefix(res.Err.Traceback[0], tc.ename+":") && !strings.HasPrefix(res.Err.Traceback[0], tc.ename+" at line") {
			t.Errorf("%q: ename %q, traceback %q; want %s", tc.code, res.Err.Name(), res.Err.Traceback, tc.ename)
		}
		cell := New("test").NotebookCell(tc.ctx, tc.code, nil)
		last := cell.Outputs[len(cell.Outputs)-1]
		if cell.Status != "error" || last["output_type"] != "error" || last["ename"] != tc.ename {
			t.Errorf("%q: notebook output %v, want ename %s", tc.code, last, tc.ename)
		}
		if tc.ctx.Err() != nil {
			continue
		}
		ue := New("test").userExpressions(tc.ctx, map[string]string{"e": tc.code})["e"].(map[string]any)
		if k, ok := tc.kind.(calculus.Kind); ok && k != calculus.SyntaxError && strings.Contains(tc.code, "\n") {
			continue // not one expression: a SyntaxError in user_expressions
		}
		if tc.kind == MagicError {
			continue // a magic is not an expression
		}
		if ue["status"] != "error" || ue["ename"] != tc.ename {
			t.Errorf("%q: user expression %v, want ename %s", tc.code, ue, tc.ename)
		}
	}
}

// TestErrorKindNames pins the names of the kinds that no cell above
// raises, and that an unknown error is an OtherError named Error.
func TestErrorKindNames(t *testing.T) {
	for k, want := range map[lang.ErrorKind]string{
		lang.InternalError: "InternalError", lang.Interrupted: "Interrupted",
		MagicError: "MagicError", OtherError: "Error",
	} {
		if k.String() != want {
			t.Errorf("%#v.String() = %q, want %q", k, k.String(), want)
		}
	}
	e := execError(errors.New("disk full"))
	if e.Kind != OtherError || e.Name() != "Error" || e.Traceback[0] != "Error: disk full" {
		t.Errorf("execError = %+v", e)
	}
	if (&lang.ExecError{}).Name() != "Error" {
		t.Errorf("an ExecError without a kind is not named Error")
	}
}
