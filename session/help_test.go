package session

import (
	"strings"
	"testing"

	"github.com/matcalc/matcalc/calculus/builtin"
)

// helpOf runs code in a fresh session and returns what help it showed: the pager text
// or the cell's standard output.
func helpOf(t *testing.T, code string) string {
	t.Helper()
	res, events := run(New("test"), code, true)
	if res.Err != nil {
		t.Fatalf("%q: %s: %s", code, res.Err.Name(), res.Err.Value)
	}
	var b strings.Builder
	for _, p := range res.Payload {
		if p["source"] == "page" {
			b.WriteString(p["data"].(map[string]any)["text/plain"].(string))
		}
	}
	for _, e := range events {
		if strings.HasPrefix(e, "stdout ") {
			b.WriteString(e)
		}
	}
	return b.String()
}

// Every function, command and statement has help with a signature, a line, the rule it
// uses and an example (the examples themselves are run by calculus's TestTable), and
// every way of asking shows it.
func TestHelpEveryName(t *testing.T) {
	for _, f := range builtin.All() {
		if !f.Callable() && f.Kind != builtin.Statement {
			continue
		}
		h := f.Help
		if h.Sig == "" || h.Doc == "" || h.Rule == "" || h.Example == "" {
			t.Errorf("%s: help incomplete: %+v", f.Name, h)
			continue
		}
		for _, code := range []string{"%help " + f.Name, "?" + f.Name, f.Name + "?", "help(" + f.Name + ")", "help " + f.Name} {
			got := helpOf(t, code)
			for _, want := range []string{h.Sig, h.Doc, h.Rule, strings.Split(h.Example, "\n")[0]} {
				if !strings.Contains(got, want) {
					t.Errorf("%q: help lacks %q:\n%s", code, want, got)
				}
			}
		}
	}
}

// Every magic has help with an example, and the example runs.
func TestHelpEveryMagic(t *testing.T) {
	for name, m := range magicDocs() {
		if m.usage == "" || m.doc == "" || m.example == "" {
			t.Errorf("%s: help incomplete: %+v", name, m)
			continue
		}
		got := helpOf(t, "%help "+name)
		for _, l := range strings.Split(m.example, "\n") {
			if !strings.Contains(got, "    "+l) {
				t.Errorf("%%help %s lacks its example's line %q:\n%s", name, l, got)
			}
		}
		if res, events := run(New("test"), m.example, true); res.Err != nil {
			t.Errorf("%s: example %q fails: %s: %s (%q)", name, m.example, res.Err.Name(), res.Err.Value, events)
		}
	}
}

func TestHelpOverviewAndUnknown(t *testing.T) {
	got := helpOf(t, "help")
	for _, want := range []string{"?NAME", "Shift+Tab", "Ctrl-D", "grad(f, X)", "%who", "tr(X)"} {
		if !strings.Contains(got, want) {
			t.Errorf("help overview lacks %q", want)
		}
	}
	res, _ := run(New("test"), "help(gradd)", true)
	if res.Err == nil || !strings.Contains(res.Err.Value, "did you mean grad?") {
		t.Errorf("help(gradd) = %+v", res.Err)
	}
}

func TestExitPointsToCtrlD(t *testing.T) {
	for _, code := range []string{"exit", "quit", "exit()", "quit()"} {
		if got := helpOf(t, code); !strings.Contains(got, "Ctrl-D") {
			t.Errorf("%q says %q", code, got)
		}
	}
	// A symbol of that name is the student's: exit is then a value.
	s := New("test")
	if res, events := run(s, "exit = 3\nexit", true); res.Err != nil || !strings.Contains(strings.Join(events, " "), `result`) {
		t.Errorf("exit as a name: %+v %q", res.Err, events)
	}
}

// Shift+Tab anywhere in a call shows the call's help: on its name, right after the
// parenthesis, on an argument (then the argument's declaration too), in a nested call.
func TestInspectInsideCall(t *testing.T) {
	s := New("test")
	if res, _ := run(s, "A : matrix(n, n)\nx : vector(n)", true); res.Err != nil {
		t.Fatal(res.Err.Value)
	}
	tests := []struct {
		code   string
		cursor int
		want   []string
	}{
		{"grad(", 5, []string{"grad(f, X) — command", "example"}},
		{"grad(x'*A*x, x)", 2, []string{"grad(f, X)"}},
		{"grad(x'*A*x, x)", 8, []string{"grad(f, X)", "A : matrix(n, n)"}},
		{"grad(tr(A*(x*x')), x)", 12, []string{"tr(X) — function"}},
		{"check(grad(x'*A*x, x) == (A + A')*x)", 27, []string{"check(grad(f, X) == G)"}},
		{"g = grad(norm(A*x)^2,\n  x)", 25, []string{"grad(f, X)"}},
	}
	for _, tc := range tests {
		b := s.Inspect(tc.code, tc.cursor, 0)
		txt, _ := b.Data["text/plain"].(string)
		for _, w := range tc.want {
			if !strings.Contains(txt, w) {
				t.Errorf("Inspect(%q, %d) = %q, want %q", tc.code, tc.cursor, txt, w)
			}
		}
	}
}
