package session

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matcalc/matcalc/calculus"
	"github.com/matcalc/matcalc/kernel/lang"
)

// recorder is a lang.Sink that records what a cell shows.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) add(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, fmt.Sprintf(format, args...))
}

func (r *recorder) Input(n int)              { r.add("input %d", n) }
func (r *recorder) Stream(name, text string) { r.add("%s %q", name, text) }
func (r *recorder) Display(b lang.Bundle)    { r.add("display %q", b.Data["text/plain"]) }
func (r *recorder) Result(n int, b lang.Bundle) {
	r.add("result %d %q", n, b.Data["text/plain"])
}
func (r *recorder) Clear(wait bool) { r.add("clear %v", wait) }

func run(s *Session, code string, store bool) (lang.ExecuteResult, []string) {
	rec := &recorder{}
	res := s.Execute(context.Background(), lang.ExecuteRequest{Code: code, StoreHistory: store}, rec)
	return res, rec.events
}

func TestMagics(t *testing.T) {
	tests := []struct {
		code   string
		events []string
		err    lang.ErrorKind // nil: no error
	}{
		{"%echo hello, world", []string{`input 1`, `stdout "hello, world\n"`}, nil},
		{"%warn careful", []string{`input 1`, `stderr "careful\n"`}, nil},
		{"%reset", []string{`input 1`, `stdout "Environment reset.\n"`}, nil},
		{"%echo a\n%clear\n%echo b", []string{`input 1`, `stdout "a\n"`, `clear false`, `stdout "b\n"`}, nil},
		{"%sleep 0.001", []string{`input 1`}, nil},
		{"%sleep x", []string{`input 1`}, MagicError},
		{"%sleep -1", []string{`input 1`}, MagicError},
		{"%nope", []string{`input 1`}, MagicError},
		{"%echo a\n%nope\n%echo never", []string{`input 1`, `stdout "a\n"`}, MagicError},
		{"%help %nope", []string{`input 1`}, MagicError},
	}
	for _, tc := range tests {
		res, events := run(New("test"), tc.code, true)
		if !reflect.DeepEqual(events, tc.events) {
			t.Errorf("%q: events\n got %q\nwant %q", tc.code, events, tc.events)
		}
		var kind lang.ErrorKind
		if res.Err != nil {
			kind = res.Err.Kind
		}
		if kind != tc.err {
			t.Errorf("%q: error %v, want %v (%+v)", tc.code, kind, tc.err, res.Err)
		}
	}
}

func TestWho(t *testing.T) {
	_, events := run(New("test"), "%who", true)
	if len(events) != 2 || !strings.HasPrefix(events[1], "display ") || events[1] == `display ""` {
		t.Errorf("events %q", events)
	}
}

func TestTimeMagic(t *testing.T) {
	_, events := run(New("test"), "%time %sleep 0.01\n%echo x", true)
	if len(events) != 3 || events[1] != `stdout "x\n"` || !strings.HasPrefix(events[2], `stdout "Wall time: `) {
		t.Errorf("events %q", events)
	}
}

// TestTimeKeepsResult checks that the value of a timed cell is still its
// result (Out[n]), shown after the wall time as IPython does.
func TestTimeKeepsResult(t *testing.T) {
	tests := []struct {
		code   string
		events []string // without the Wall time line
	}{
		{"%time 1 + 2", []string{`input 1`, `result 1 "3"`}},
		{"%time\n1 + 2", []string{`input 1`, `result 1 "3"`}},
		{"%time\n1 + 2\n%echo x", []string{`input 1`, `display "3"`, `stdout "x\n"`}},
		{"1 + 2\n%time 3 + 4", []string{`input 1`, `display "3"`, `result 1 "7"`}},
	}
	for _, tc := range tests {
		res, events := run(New("test"), tc.code, true)
		var rest []string
		timed := 0
		for i, e := range events {
			if strings.HasPrefix(e, `stdout "Wall time: `) {
				timed++
				if i+1 < len(events) && strings.HasPrefix(events[i+1], "display ") {
					t.Errorf("%q: a value shown after the wall time is not the result: %q", tc.code, events)
				}
				continue
			}
			rest = append(rest, e)
		}
		if res.Err != nil || timed != 1 || !reflect.DeepEqual(rest, tc.events) {
			t.Errorf("%q: events %q (err %+v), want %q and one wall time", tc.code, events, res.Err, tc.events)
		}
	}
}

func TestHelpPager(t *testing.T) {
	res, _ := run(New("test"), "%help %sleep", true)
	if res.Err != nil || len(res.Payload) != 1 || res.Payload[0]["source"] != "page" {
		t.Fatalf("result %+v", res)
	}
	text := res.Payload[0]["data"].(map[string]any)["text/plain"].(string)
	if !strings.Contains(text, "%sleep S") {
		t.Errorf("help text %q", text)
	}
}

func TestSleepInterrupted(t *testing.T) {
	s := New("test")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	res := s.Execute(ctx, lang.ExecuteRequest{Code: "%sleep 30", StoreHistory: true}, &recorder{})
	if res.Err == nil || res.Err.Kind != lang.Interrupted {
		t.Errorf("result %+v", res.Err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("interrupt took %v", d)
	}
}

func TestExecutionCount(t *testing.T) {
	s := New("test")
	steps := []struct {
		store bool
		want  int
	}{{true, 1}, {false, 1}, {true, 2}, {true, 3}, {false, 3}}
	for i, st := range steps {
		res, events := run(s, "%echo x", st.store)
		if res.ExecutionCount != st.want || events[0] != fmt.Sprintf("input %d", st.want) {
			t.Errorf("step %d: count %d, events %q; want %d", i, res.ExecutionCount, events, st.want)
		}
	}
	if n := len(s.History(lang.HistoryRequest{Access: "tail", N: 10})); n != 3 {
		t.Errorf("%d cells in history, want 3", n)
	}
}

func TestHistory(t *testing.T) {
	s := New("test")
	for _, code := range []string{"%echo a", "%echo b", "%echo a", "%who", "%echo c"} {
		run(s, code, true)
	}
	inputs := func(es []lang.HistoryEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, fmt.Sprintf("%d:%s", e.Line, e.Input))
		}
		return out
	}
	tests := []struct {
		req  lang.HistoryRequest
		want []string
	}{
		{lang.HistoryRequest{Access: "tail", N: 2}, []string{"4:%who", "5:%echo c"}},
		{lang.HistoryRequest{Access: "tail", N: 0}, []string{"1:%echo a", "2:%echo b", "3:%echo a", "4:%who", "5:%echo c"}},
		{lang.HistoryRequest{Access: "tail", N: 10, Unique: true}, []string{"2:%echo b", "3:%echo a", "4:%who", "5:%echo c"}},
		{lang.HistoryRequest{Access: "range", Session: 1, Start: 2, Stop: 4}, []string{"2:%echo b", "3:%echo a"}},
		{lang.HistoryRequest{Access: "range", Session: 0, Start: 5}, []string{"5:%echo c"}},
		{lang.HistoryRequest{Access: "range", Session: -1, Start: 1}, nil},
		{lang.HistoryRequest{Access: "search", Pattern: "%echo a"}, []string{"1:%echo a", "3:%echo a"}},
		{lang.HistoryRequest{Access: "search", Pattern: "%echo ?", N: 2}, []string{"3:%echo a", "5:%echo c"}},
		{lang.HistoryRequest{Access: "search", Pattern: "*a", Unique: true}, []string{"3:%echo a"}},
		{lang.HistoryRequest{Access: "search", Pattern: "%w*"}, []string{"4:%who"}},
		{lang.HistoryRequest{Access: "bogus"}, nil},
	}
	for _, tc := range tests {
		if got := inputs(s.History(tc.req)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v:\n got %q\nwant %q", tc.req, got, tc.want)
		}
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pat, s string
		want   bool
	}{
		{"*", "", true},
		{"*", "any\nthing", true},
		{"a*c", "abbbc", true},
		{"a*c", "abbbd", false},
		{"?∇?", "x∇𝐱", true},
		{"a\\*", "a*", true},
		{"a\\*", "ab", false},
		{"*x*y*", "..x..y..", true},
		{"*x*y", "..y..x", false},
		{"", "", true},
		{"", "a", false},
	}
	for _, tc := range tests {
		if got := glob(tc.pat, tc.s); got != tc.want {
			t.Errorf("glob(%q, %q) = %v", tc.pat, tc.s, got)
		}
	}
}

func TestCompleteCodePoints(t *testing.T) {
	s := New("test")
	tests := []struct {
		code       string
		cursor     int
		matches    []string
		start, end int
	}{
		{"%sl", 3, []string{"%sleep"}, 0, 3},
		{"∇ᵀ𝐱\n%wh", 7, []string{"%who"}, 4, 7},
		{"𝐱𝐱 %e", 5, []string{"%echo"}, 3, 5},
		{"%", 1, magicNames(), 0, 1},
		{"%zz", 3, []string{}, 0, 3},
		{"∇∇", 99, nil, 2, 2},  // nil: any matches (every name)
		{"%wh", -4, nil, 0, 0}, // a cursor before the code is at its start
	}
	for _, tc := range tests {
		got := s.Complete(tc.code, tc.cursor)
		if (tc.matches != nil && !reflect.DeepEqual(got.Matches, tc.matches)) || got.Start != tc.start || got.End != tc.end {
			t.Errorf("Complete(%q, %d) = %+v, want %q [%d,%d)", tc.code, tc.cursor, got, tc.matches, tc.start, tc.end)
		}
	}
}

// TestNameAtCursor checks that completion and inspection find names as
// the language reads them: Aᵀ is A transposed, x₁ is one name.
func TestNameAtCursor(t *testing.T) {
	s := New("test")
	if _, events := run(s, "A : matrix(n, n)\nx₁ : vector(n)\n𝐱 : vector(n)", true); len(events) != 1 {
		t.Fatalf("setup: %q", events)
	}
	tests := []struct {
		code    string
		cursor  int    // in code points
		inspect string // the start of what inspection shows
	}{
		{"𝐱 + Aᵀ", 5, "A : matrix(n, n)"},
		{"Aᵀ*x₁", 5, "x₁ : vector(n)"},
		{"Aᵀ*𝐱", 4, "𝐱 : vector(n)"},
	}
	for _, tc := range tests {
		b := s.Inspect(tc.code, tc.cursor, 0)
		if txt, _ := b.Data["text/plain"].(string); !strings.HasPrefix(txt, tc.inspect) {
			t.Errorf("Inspect(%q, %d) = %q, want %q…", tc.code, tc.cursor, txt, tc.inspect)
		}
	}
	if c := s.Complete("Aᵀ*x", 4); !reflect.DeepEqual(c.Matches, []string{"x₁"}) || c.Start != 3 {
		t.Errorf("Complete(Aᵀ*x) = %+v, want x₁ from 3", c)
	}
}

func TestInspectMagic(t *testing.T) {
	s := New("test")
	b := s.Inspect("∇ %sleep 1", 4, 0)
	if txt, _ := b.Data["text/plain"].(string); !strings.Contains(txt, "interrupt") {
		t.Errorf("inspect %%sleep: %+v", b)
	}
	if b := s.Inspect("%sleep", -2, 0); len(b.Data) != 0 {
		t.Errorf("inspect before the code: %+v", b)
	}
	if b := s.Inspect("   ", 1, 0); len(b.Data) != 0 {
		t.Errorf("inspect of nothing: %+v", b)
	}
}

func TestIsCompleteMagics(t *testing.T) {
	s := New("test")
	for _, code := range []string{"%who", "%sleep 1\n%who", "", "%time 1 + 2", "%time", "%timer (", "%time %sleep 1"} {
		if st, _ := s.IsComplete(code); st != "complete" {
			t.Errorf("IsComplete(%q) = %s", code, st)
		}
	}
	for _, code := range []string{"%time f(x", "%time\t[1 2", "%echo\n%time x +"} {
		if st, _ := s.IsComplete(code); st != "incomplete" {
			t.Errorf("IsComplete(%q) = %s, want incomplete", code, st)
		}
	}
}

func TestExecError(t *testing.T) {
	ce := &calculus.Error{Kind: calculus.ShapeError, Line: 2, Col: 5, Msg: "cannot multiply", Source: "y = A*b"}
	e := execError(fmt.Errorf("wrapped: %w", ce))
	want := []string{"ShapeError at line 2, column 5: cannot multiply", "    y = A*b", "        ^"}
	if e.Kind != calculus.ShapeError || e.Name() != "ShapeError" || e.Value != "cannot multiply" || !reflect.DeepEqual(e.Traceback, want) {
		t.Errorf("execError = %+v\nwant traceback %q", e, want)
	}
	if e := execError(context.Canceled); e.Kind != lang.Interrupted {
		t.Errorf("canceled: %+v", e)
	}
	if got := traceback(calculus.SyntaxError, 1, 3, "m", "\t∇x"); !reflect.DeepEqual(got[1:], []string{"    \t∇x", "    \t ^"}) {
		t.Errorf("caret under a tab: %q", got)
	}
	me := magicLine{line: 3, text: "  %sleep abc"}.errorAt("abc", "bad")
	want = []string{"MagicError at line 3, column 10: bad", "      %sleep abc", "             ^"}
	if e := execError(me); !reflect.DeepEqual(e.Traceback, want) {
		t.Errorf("magic error traceback %q, want %q", e.Traceback, want)
	}
}

func TestBundle(t *testing.T) {
	b := bundle(calculus.Output{Plain: "x'*A*x", LaTeX: `x^{T} A x`, SVG: "<svg/>"})
	want := map[string]any{"text/plain": "x'*A*x", "text/latex": "$$x^{T} A x$$", "image/svg+xml": "<svg/>"}
	if !reflect.DeepEqual(b.Data, want) || b.Metadata == nil {
		t.Errorf("bundle %+v", b)
	}
	b = bundle(calculus.Output{Plain: "plot", SVG: "<svg/>", PNG: []byte("\x89PNG"), Width: 576, Height: 384})
	want = map[string]any{"text/plain": "plot", "image/svg+xml": "<svg/>", "image/png": "iVBORw=="}
	wantMeta := map[string]any{"image/png": map[string]any{"width": 576, "height": 384}}
	if !reflect.DeepEqual(b.Data, want) || !reflect.DeepEqual(b.Metadata, wantMeta) {
		t.Errorf("plot bundle %+v", b)
	}
	if b := bundle(calculus.Output{Plain: "3"}); len(b.Data) != 1 {
		t.Errorf("plain-only bundle %+v", b)
	}
}

func TestSplitCellsAndRunText(t *testing.T) {
	src := "%echo one\n%%\n\n%%\n%echo two\n%nope\n%%\n%echo three\n"
	cells := SplitCells(src)
	want := []Cell{{"%echo one\n", 1}, {"%echo two\n%nope\n", 5}, {"%echo three\n", 8}}
	if !reflect.DeepEqual(cells, want) {
		t.Fatalf("SplitCells = %+v, want %+v", cells, want)
	}
	var out, errw bytes.Buffer
	failed := New("test").RunText(context.Background(), src, &out, &errw)
	wantOut := separator(1, want[0]) + "one\n" + separator(2, want[1]) + "two\n" + separator(3, want[2]) + "three\n"
	// Errors count lines in the file: %nope is on line 6.
	if failed != 1 || out.String() != wantOut || !strings.HasPrefix(errw.String(), "MagicError at line 6, column 1") {
		t.Errorf("RunText: failed %d, out %q, err %q", failed, out.String(), errw.String())
	}
	if !strings.HasPrefix(separator(2, want[1]), "── cell 2, line 5 ──") {
		t.Errorf("separator %q", separator(2, want[1]))
	}
	// A language error too, after blank lines and a magic in its cell.
	errw.Reset()
	src = "x = 1\n%%\n%echo a\n\ny = x +\n"
	if New("test").RunText(context.Background(), src, io.Discard, &errw) != 1 || !strings.HasPrefix(errw.String(), "SyntaxError at line 5, column 8") {
		t.Errorf("RunText error %q, want it at line 5 of the file", errw.String())
	}
}

func TestErrorLineAfterMagics(t *testing.T) {
	res, _ := run(New("test"), "%echo a\n%echo b\nx = )", true)
	if res.Err == nil || !strings.Contains(res.Err.Traceback[0], "line 3") {
		t.Errorf("error %+v, want it at line 3", res.Err)
	}
	res, _ = run(New("test"), "%echo a\n%time\n%echo b\nx = )", true)
	if res.Err == nil || !strings.Contains(res.Err.Traceback[0], "line 4") {
		t.Errorf("error under %%time %+v, want it at line 4", res.Err)
	}
	res, _ = run(New("test"), "%echo a\n%time %echo b\n%nope", true)
	if res.Err == nil || !strings.Contains(res.Err.Traceback[0], "line 3") {
		t.Errorf("magic error under %%time %+v, want it at line 3", res.Err)
	}
}

func TestOneResultPerCell(t *testing.T) {
	rec := &recorder{}
	rs := &resultSink{out: rec, n: 7}
	rs.Input(7)
	rs.Result(0, lang.Bundle{Data: map[string]any{"text/plain": "a"}})
	rs.Stream("stdout", "x")
	rs.Result(0, lang.Bundle{Data: map[string]any{"text/plain": "b"}})
	rs.Result(0, lang.Bundle{Data: map[string]any{"text/plain": "c"}})
	if got := rs.finish(true); got != "c" {
		t.Errorf("finish = %q", got)
	}
	want := []string{`input 7`, `display "a"`, `stdout "x"`, `display "b"`, `result 7 "c"`}
	if !reflect.DeepEqual(rec.events, want) {
		t.Errorf("events\n got %q\nwant %q", rec.events, want)
	}
	rec = &recorder{}
	rs = &resultSink{out: rec, n: 1}
	rs.Result(0, lang.Bundle{Data: map[string]any{"text/plain": "a"}})
	if got := rs.finish(false); got != "" || !reflect.DeepEqual(rec.events, []string{`display "a"`}) {
		t.Errorf("failed cell: finish %q, events %q", got, rec.events)
	}
}

func TestResultAcrossMagics(t *testing.T) {
	res, events := run(New("test"), "1 + 2\n%echo between\n2 + 3", true)
	want := []string{`input 1`, `display "3"`, `stdout "between\n"`, `result 1 "5"`}
	if res.Err != nil || !reflect.DeepEqual(events, want) {
		t.Errorf("events %q (err %+v), want %q", events, res.Err, want)
	}
	if h := New("test").History(lang.HistoryRequest{Access: "tail"}); len(h) != 0 {
		t.Errorf("fresh history %v", h)
	}
}

func TestCompleteLine(t *testing.T) {
	s := New("test")
	tests := []struct {
		line    string
		pos     int
		want    string
		wantPos int
	}{
		{"%sl", 3, "%sleep", 6},
		{"%wh + 1", 3, "%who + 1", 4},
		{"𝐱 %ec", len("𝐱 %ec"), "𝐱 %echo", len("𝐱 %echo")},
		{"%zz", 3, "%zz", 3},
		{"%", 1, "%", 1},   // many matches, no common prefix beyond %
		{"%w", 2, "%w", 2}, // %warn and %who
	}
	for _, tc := range tests {
		got, pos, _ := s.completeLine(tc.line, tc.pos)
		if got != tc.want || pos != tc.wantPos {
			t.Errorf("completeLine(%q, %d) = %q, %d; want %q, %d", tc.line, tc.pos, got, pos, tc.want, tc.wantPos)
		}
	}
}

// TestUserExpressionsChangeNothing checks that user_expressions are
// evaluated after the cell without binding or declaring anything.
func TestUserExpressionsChangeNothing(t *testing.T) {
	s := New("test")
	exprs := map[string]string{"value": "x + 1", "bind": "y = 5", "dim": "n = 3", "decl": "A : matrix(2, 2)", "bad": "zz"}
	res := s.Execute(context.Background(), lang.ExecuteRequest{Code: "x : vector(2)\nx = [1; 2]", StoreHistory: true, UserExpressions: exprs}, &recorder{})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	status := func(name string) string { return res.UserExpressions[name].(map[string]any)["status"].(string) }
	want := map[string]string{"value": "ok", "bind": "error", "dim": "error", "decl": "error", "bad": "error"}
	for name, st := range want {
		if got := status(name); got != st {
			t.Errorf("user expression %s = %q: status %q, want %q (%v)", name, exprs[name], got, st, res.UserExpressions[name])
		}
	}
	v := res.UserExpressions["value"].(map[string]any)["data"].(map[string]any)["text/plain"]
	if v != "[2; 3]" {
		t.Errorf("x + 1 = %v, want [2; 3]", v)
	}
	_, events := run(s, "%who", true)
	if len(events) != 2 || events[1] != `display "x : vector(2) = [1; 2]\nlayout denominator, verify on"` {
		t.Errorf("after user_expressions, %%who shows %q", events)
	}
}

// TestTimeErrorColumns checks that an error in the code after %time on
// its line is shown in the whole line, with the caret under the code.
func TestTimeErrorColumns(t *testing.T) {
	tests := []struct {
		code string
		tb   []string
	}{
		{"%time 1 +", []string{"SyntaxError at line 1, column 10: expected an operand after '+', found end of input", "    %time 1 +", "             ^"}},
		{"%echo a\n%time   [1 2] * [3 4]", []string{"ShapeError at line 2, column 15: cannot multiply [1 2] (1×2) by [3 4] (1×2): inner dimensions 2 and 1 differ", "    %time   [1 2] * [3 4]", "                  ^"}},
		{"%time\t%sleep abc", []string{`MagicError at line 1, column 14: %sleep wants a number of seconds between 0 and 86400, got "abc"`, "    %time\t%sleep abc", "         \t       ^"}},
		{"%time 1\n2 +", []string{"SyntaxError at line 2, column 4: expected an operand after '+', found end of input", "    2 +", "       ^"}},
	}
	for _, tc := range tests {
		res, _ := run(New("test"), tc.code, true)
		if res.Err == nil || !reflect.DeepEqual(res.Err.Traceback, tc.tb) {
			t.Errorf("%q: traceback %q, want %q", tc.code, res.Err, tc.tb)
		}
	}
}
